/* outdir.c - an output folder that appears whole or not at all (see outdir.h). */
#define _GNU_SOURCE  /* renameat2, nftw's FTW_DEPTH and FTW_PHYS */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "outfile.h"

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (type == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

int fs_remove_tree(const char *path)
{
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Whether the folder holds nothing, or a manifest.json; -1 when it cannot be read. */
static int is_ours(const char *path)
{
	DIR *dir = opendir(path);
	if (!dir)
		return -1;
	bool empty = true, manifest = false;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		empty = false;
		manifest = manifest || strcmp(e->d_name, "manifest.json") == 0;
	}
	closedir(dir);
	return empty || manifest;
}

int outdir_begin(struct outdir *od, const char *final_path, struct td_diag *diag)
{
	memset(od, 0, sizeof *od);
	struct stat st;
	if (stat(final_path, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return td_fail(diag, TD_EINVAL, "output '%s' is a file, not a folder", final_path);
		int ours = is_ours(final_path);
		if (ours < 0)
			return td_fail(diag, TD_EIO, "cannot read output folder '%s': %s", final_path, strerror(errno));
		if (!ours)
			return td_fail(diag, TD_EINVAL,
				       "output folder '%s' holds files but no manifest.json: it is not a termdrift "
				       "output, so it is not replaced (choose another folder)", final_path);
	} else if (errno != ENOENT) {
		return td_fail(diag, TD_EIO, "cannot use output folder '%s': %s", final_path, strerror(errno));
	}
	/* The sibling: same parent, so that a rename can put it in place. */
	size_t len = strlen(final_path);
	while (len > 1 && final_path[len - 1] == '/')
		len--;
	size_t base = len;
	while (base > 0 && final_path[base - 1] != '/')
		base--;
	od->final_path = strndup(final_path, len);
	od->tmp_path = malloc(len + 16);
	if (!od->final_path || !od->tmp_path) {
		outdir_abort(od);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	snprintf(od->tmp_path, len + 16, "%.*s.%s.tmp-XXXXXX", (int)base, final_path, od->final_path + base);
	if (base > 0) {
		char *parent = strndup(final_path, base);
		int rc = parent ? fs_mkdirs(parent, diag) : td_fail(diag, TD_ENOMEM, "out of memory");
		free(parent);
		if (rc) {
			outdir_abort(od);
			return rc;
		}
	}
	if (!mkdtemp(od->tmp_path)) {
		int rc = td_fail(diag, TD_EIO, "cannot create a folder beside '%s': %s", od->final_path, strerror(errno));
		free(od->tmp_path);
		od->tmp_path = NULL;
		outdir_abort(od);
		return rc;
	}
	od->cleanup = cleanup_register(od->tmp_path, true);
	return 0;
}

int outdir_commit(struct outdir *od, struct td_diag *diag)
{
	int rc = 0;
	if (rename(od->tmp_path, od->final_path) == 0)
		goto done;  /* there was nothing in the way (or an empty folder) */
	if (errno != EEXIST && errno != ENOTEMPTY) {
		rc = td_fail(diag, TD_EIO, "cannot rename '%s' to '%s': %s", od->tmp_path, od->final_path,
			     strerror(errno));
		goto done;
	}
	/* Exchange the two names atomically; the old results are then at tmp_path. */
	if (renameat2(AT_FDCWD, od->tmp_path, AT_FDCWD, od->final_path, RENAME_EXCHANGE) != 0) {
		rc = td_fail(diag, TD_EIO, "cannot put '%s' in place of '%s': %s", od->tmp_path, od->final_path,
			     strerror(errno));
		goto done;
	}
done:
	outdir_abort(od);  /* removes the old results, or the new ones after a failure */
	return rc;
}

void outdir_abort(struct outdir *od)
{
	if (od->tmp_path)
		fs_remove_tree(od->tmp_path);
	cleanup_forget(od->cleanup);
	od->cleanup = 0;
	free(od->tmp_path);
	free(od->final_path);
	od->tmp_path = od->final_path = NULL;
}
