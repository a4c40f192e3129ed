/* outfile.c - output files that appear whole or not at all (see outfile.h). */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"

#define OUTFILE_BUFSIZE (1u << 20)

char *fs_join(const char *dir, const char *name)
{
	size_t dlen = strlen(dir), nlen = strlen(name);
	bool slash = dlen > 0 && dir[dlen - 1] != '/';
	char *path = malloc(dlen + slash + nlen + 1);
	if (!path)
		return NULL;
	memcpy(path, dir, dlen);
	if (slash)
		path[dlen] = '/';
	memcpy(path + dlen + slash, name, nlen + 1);
	return path;
}

int fs_mkdirs(const char *path, struct td_diag *diag)
{
	char *copy = strdup(path);
	if (!copy)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	int rc = 0;
	/* Create each prefix that ends before a '/', then the whole path. */
	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		struct stat st;
		if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
			rc = td_fail(diag, TD_EIO, "cannot create folder '%s': %s", copy, strerror(errno));
			break;
		}
		if (stat(copy, &st) != 0 || !S_ISDIR(st.st_mode)) {
			rc = td_fail(diag, TD_EIO, "cannot create folder '%s': not a folder", copy);
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(copy);
	return rc;
}

static void outfile_release(struct outfile *of)
{
	cleanup_forget(of->cleanup);
	free(of->tmp_path);
	free(of->final_path);
	free(of->iobuf);
	memset(of, 0, sizeof *of);
}

int outfile_open(struct outfile *of, const char *dir, const char *name, struct td_diag *diag)
{
	memset(of, 0, sizeof *of);
	if (strcmp(name, "-") == 0 || strcmp(dir, "-") == 0) {
		of->final_path = strdup("-");
		if (!of->final_path)
			return td_fail(diag, TD_ENOMEM, "out of memory");
		of->fp = stdout;
		return 0;
	}
	int rc = fs_mkdirs(dir, diag);
	if (rc)
		return rc;
	of->final_path = fs_join(dir, name);
	size_t tmp_len = strlen(name) + 64;
	char *tmp_name = malloc(tmp_len);
	if (tmp_name)
		snprintf(tmp_name, tmp_len, ".%s.tmp.%ld", name, (long)getpid());
	of->tmp_path = tmp_name ? fs_join(dir, tmp_name) : NULL;
	free(tmp_name);
	of->iobuf = malloc(OUTFILE_BUFSIZE);
	if (!of->final_path || !of->tmp_path || !of->iobuf) {
		outfile_release(of);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	of->cleanup = cleanup_register(of->tmp_path, false);  /* before it exists */
	of->fp = fopen(of->tmp_path, "wb");
	if (!of->fp) {
		rc = td_fail(diag, TD_EIO, "cannot write '%s': %s", of->final_path, strerror(errno));
		outfile_release(of);
		return rc;
	}
	setvbuf(of->fp, of->iobuf, _IOFBF, OUTFILE_BUFSIZE);
	return 0;
}

int outfile_commit(struct outfile *of, struct td_diag *diag)
{
	int rc = 0;
	if (!of->tmp_path) {  /* stdout: flush, keep it open */
		if (of->fp && (fflush(of->fp) != 0 || ferror(of->fp)))
			rc = td_fail(diag, TD_EIO, "cannot write to standard output: %s", strerror(errno));
		outfile_release(of);
		return rc;
	}
	int failed = ferror(of->fp);
	int saved_errno = errno;
	if (fclose(of->fp) != 0 && !failed) {
		failed = 1;
		saved_errno = errno;
	}
	of->fp = NULL;
	if (failed) {
		rc = td_fail(diag, TD_EIO, "cannot write '%s': %s", of->final_path, strerror(saved_errno));
		unlink(of->tmp_path);
	} else if (rename(of->tmp_path, of->final_path) != 0) {
		rc = td_fail(diag, TD_EIO, "cannot rename '%s' to '%s': %s", of->tmp_path, of->final_path,
			     strerror(errno));
		unlink(of->tmp_path);
	}
	outfile_release(of);
	return rc;
}

void outfile_abort(struct outfile *of)
{
	if (of->fp && of->tmp_path) {
		fclose(of->fp);
		unlink(of->tmp_path);
	} else if (of->fp) {
		fflush(of->fp);
	}
	outfile_release(of);
}
