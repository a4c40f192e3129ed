/* runinfo.c - manifest.json (see runinfo.h). */
#include "runinfo.h"

#include "csvout.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <errno.h>
#include <gsl/gsl_version.h>
#include <jansson.h>
#include <nettle/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>
#include <unistd.h>
#include <time.h>
#include <utf8proc.h>

#include "outfile.h"
#include "version.h"

struct runinfo {
	json_t *root;
	json_t *params;
	json_t *inputs;
	json_t *outputs;
	json_t *stages;
	json_t *counts;
};

double runinfo_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Stores value under key in obj; takes the reference to value. */
static int set_new(json_t *obj, const char *key, json_t *value)
{
	if (!value)
		return TD_ENOMEM;
	return json_object_set_new(obj, key, value) == 0 ? 0 : TD_ENOMEM;
}

static json_t *library_versions(void)
{
	char csv_version[32], nettle_version[32], xxhash_version[32];
	snprintf(csv_version, sizeof csv_version, "%d.%d.%d", CSV_MAJOR, CSV_MINOR, CSV_RELEASE);
	snprintf(nettle_version, sizeof nettle_version, "%d.%d", nettle_version_major(),
		 nettle_version_minor());
	/* the header's: termdrift compiles xxHash in (XXH_INLINE_ALL in
	 * checksum.c and hash.h), so the library's own version says nothing */
	snprintf(xxhash_version, sizeof xxhash_version, "%d.%d.%d", XXH_VERSION_MAJOR, XXH_VERSION_MINOR,
		 XXH_VERSION_RELEASE);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "gsl", gsl_version, "utf8proc",
			 utf8proc_version(), "libcsv", csv_version, "cjson", cJSON_Version(), "jansson",
			 JANSSON_VERSION, "nettle", nettle_version, "xxhash", xxhash_version);
}

int runinfo_new(struct runinfo **out, const char *command, int argc, char **argv)
{
	*out = NULL;
	struct runinfo *ri = calloc(1, sizeof *ri);
	if (!ri)
		return TD_ENOMEM;
	json_t *args = json_array();
	for (int i = 0; args && i < argc; i++)
		if (json_array_append_new(args, json_string(argv[i])) != 0) {
			json_decref(args);
			args = NULL;
		}
	ri->params = json_object();
	ri->inputs = json_array();
	ri->outputs = json_array();
	ri->stages = json_object();
	ri->counts = json_object();
	time_t now = time(NULL);
	char stamp[32] = "";
	struct tm tm;
	if (gmtime_r(&now, &tm))
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* GLIBC_TUNABLES: malloc's settings, which termdrift sets itself
	 * (huge pages, main.c) unless the user did: speed depends on them */
	ri->root = json_pack("{s:s, s:s, s:o*, s:s, s:o*, s:s?}", "termdrift", TERMDRIFT_VERSION, "command",
			     command, "argv", args, "started", stamp, "libraries", library_versions(),
			     "glibc_tunables", getenv("GLIBC_TUNABLES"));
	if (!ri->root || !ri->params || !ri->inputs || !ri->outputs || !ri->stages || !ri->counts ||
	    json_object_set(ri->root, "parameters", ri->params) ||
	    json_object_set(ri->root, "inputs", ri->inputs) ||
	    json_object_set(ri->root, "outputs", ri->outputs) ||
	    json_object_set(ri->root, "stage_seconds", ri->stages) ||
	    json_object_set(ri->root, "counts", ri->counts)) {
		runinfo_free(ri);
		return TD_ENOMEM;
	}
	*out = ri;
	return 0;
}

int runinfo_param_str(struct runinfo *ri, const char *key, const char *str)
{
	return set_new(ri->params, key, str ? json_string(str) : json_null());
}

int runinfo_param_int(struct runinfo *ri, const char *key, int64_t value)
{
	return set_new(ri->params, key, json_integer(value));
}

int runinfo_param_real(struct runinfo *ri, const char *key, double value)
{
	return set_new(ri->params, key, json_real(value));
}

int runinfo_param_bool(struct runinfo *ri, const char *key, bool value)
{
	return set_new(ri->params, key, json_boolean(value));
}

int runinfo_add_input(struct runinfo *ri, const char *path, const char *format, uint64_t bytes,
		      enum checksum_kind kind, const char *checksum, struct td_diag *diag)
{
	char hex[CHECKSUM_HEX_MAX + 1];
	if (!checksum) {
		/* not hashed as it was read: the file is read once more, as
		 * before the reader hashed its inputs */
		int rc = checksum_file(path, kind, hex, &bytes);
		if (rc == TD_ENOMEM)
			return td_fail(diag, rc, "out of memory");
		if (rc)
			return td_fail(diag, TD_EIO, "cannot read '%s': %s", path, strerror(errno));
		checksum = hex;
	}
	json_t *entry = json_pack("{s:s, s:s, s:I, s:s}", "path", path, "format", format, "bytes",
				  (json_int_t)bytes, checksum_name(kind), checksum);
	if (!entry || json_array_append_new(ri->inputs, entry) != 0)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	return 0;
}

int runinfo_add_output(struct runinfo *ri, const char *name, uint64_t rows, const char *description)
{
	json_t *entry = json_pack("{s:s, s:I, s:s}", "file", name, "rows", (json_int_t)rows,
				  "description", description);
	if (!entry || json_array_append_new(ri->outputs, entry) != 0)
		return TD_ENOMEM;
	return 0;
}

int runinfo_add_table(struct runinfo *ri, const struct csv_out *csv, const char *description)
{
	json_t *columns = json_array();
	if (!columns)
		return TD_ENOMEM;
	for (size_t i = 0; i < csv->n_columns; i++) {
		json_t *col = json_pack("{s:s, s:s}", "name", csv->columns[i], "type", csv_out_column_type(csv, i));
		if (!col || json_array_append_new(columns, col)) {
			json_decref(columns);
			return TD_ENOMEM;
		}
	}
	json_t *entry = json_pack("{s:s, s:I, s:s, s:o}", "file", csv->name, "rows", (json_int_t)csv->n_rows,
				  "description", description, "columns", columns);
	if (!entry || json_array_append_new(ri->outputs, entry) != 0)
		return TD_ENOMEM;
	return 0;
}

int runinfo_add_chart(struct runinfo *ri, const char *name, const char *description)
{
	json_t *entry = json_pack("{s:s, s:n, s:s, s:s}", "file", name, "rows", "kind", "chart",
				  "description", description);
	if (!entry || json_array_append_new(ri->outputs, entry) != 0)
		return TD_ENOMEM;
	return 0;
}

int runinfo_spec(struct runinfo *ri, const struct spec *spec)
{
	json_t *sections = json_object();
	if (!sections)
		return TD_ENOMEM;
	for (size_t i = 0; i < spec->n_sections; i++)
		if (set_new(sections, spec->sections[i].name, json_object()))
			goto nomem;
	/* every value as written; a repeated key (input) gives a list */
	for (size_t i = 0; i < spec->n_entries; i++) {
		const struct spec_entry *e = &spec->entries[i];
		json_t *sec = json_object_get(sections, e->section);
		json_t *old = json_object_get(sec, e->key);
		json_t *value = json_string(e->value);
		if (!value)
			goto nomem;
		if (!old) {
			if (set_new(sec, e->key, value))
				goto nomem;
		} else if (json_is_array(old)) {
			if (json_array_append_new(old, value))
				goto nomem;
		} else {
			json_t *list = json_pack("[O, o]", old, value);
			if (!list || set_new(sec, e->key, list))
				goto nomem;
		}
	}
	json_t *obj = json_pack("{s:s, s:s, s:o}", "file", spec->path, "name", spec->name, "sections", sections);
	if (!obj)
		return TD_ENOMEM;
	return set_new(ri->root, "spec", obj);
nomem:
	json_decref(sections);
	return TD_ENOMEM;
}

int runinfo_commit_table(struct runinfo *ri, struct csv_out *csv, const char *description,
			 struct td_diag *diag)
{
	if (runinfo_add_table(ri, csv, description)) {
		csv_out_abort(csv);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	return csv_out_commit(csv, diag);
}

int runinfo_record_file(struct runinfo *ri, const char *dir, const char *name, uint64_t rows,
			const char *description, struct td_diag *diag)
{
	if (runinfo_add_output(ri, name, rows, description) == 0)
		return 0;
	char *path = fs_join(dir, name);
	if (path)
		unlink(path);
	free(path);
	return td_fail(diag, TD_ENOMEM, "out of memory");
}

void runinfo_remove_outputs(const struct runinfo *ri, const char *dir)
{
	size_t i;
	json_t *entry;
	json_array_foreach(ri->outputs, i, entry) {
		const char *file = json_string_value(json_object_get(entry, "file"));
		char *path = file ? fs_join(dir, file) : NULL;
		if (path)
			unlink(path);
		free(path);
	}
}

void runinfo_print_outputs(const struct runinfo *ri, FILE *fp)
{
	size_t i;
	json_t *entry;
	int width = 0;
	json_array_foreach(ri->outputs, i, entry) {
		int len = (int)strlen(json_string_value(json_object_get(entry, "file")));
		width = len > width ? len : width;
	}
	json_array_foreach(ri->outputs, i, entry) {
		json_t *rows = json_object_get(entry, "rows");
		char count[32] = "";
		if (json_is_integer(rows))
			snprintf(count, sizeof count, "%lld rows", (long long)json_integer_value(rows));
		fprintf(fp, "  %-*s  %11s  %s\n", width, json_string_value(json_object_get(entry, "file")), count,
			json_string_value(json_object_get(entry, "description")));
	}
}

int runinfo_stage_time(struct runinfo *ri, const char *stage, double seconds)
{
	return set_new(ri->stages, stage, json_real(seconds));
}

int runinfo_count(struct runinfo *ri, const char *key, uint64_t value)
{
	return set_new(ri->counts, key, json_integer((json_int_t)value));
}

int runinfo_write(struct runinfo *ri, const char *dir, struct td_diag *diag)
{
	struct outfile of;
	int rc = outfile_open(&of, dir, "manifest.json", diag);
	if (rc)
		return rc;
	if (json_dumpf(ri->root, of.fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', of.fp) == EOF) {
		rc = td_fail(diag, TD_EIO, "cannot write '%s': %s", of.final_path, strerror(errno));
		outfile_abort(&of);
		return rc;
	}
	return outfile_commit(&of, diag);
}

void runinfo_free(struct runinfo *ri)
{
	if (!ri)
		return;
	json_decref(ri->root);
	json_decref(ri->params);
	json_decref(ri->inputs);
	json_decref(ri->outputs);
	json_decref(ri->stages);
	json_decref(ri->counts);
	free(ri);
}
