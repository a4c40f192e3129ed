/* runinfo.c - manifest.json (see runinfo.h). */
#include "runinfo.h"

#include "csvout.h"

#include <csv.h>
#include <errno.h>
#include <gsl/gsl_version.h>
#include <json-c/json_c_version.h>
#include <json-c/json_object.h>
#include <nettle/sha2.h>
#include <nettle/version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <utf8proc.h>

#include "outfile.h"
#include "version.h"

/* The manifest as json-c values (json-c also parses JSON Lines input,
 * reader.c; one JSON library for both). */
struct runinfo {
	struct json_object *root;
	struct json_object *params;
	struct json_object *inputs;
	struct json_object *outputs;
	struct json_object *stages;
	struct json_object *counts;
};

double runinfo_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Stores value under key in obj (JSON null when null is set); takes the
 * reference to value, which is dropped if it cannot be stored.  Returns 0
 * or TD_ENOMEM (value NULL without null: its making failed). */
static int set_value(struct json_object *obj, const char *key, struct json_object *value, bool null)
{
	if (!value && !null)
		return TD_ENOMEM;
	if (json_object_object_add(obj, key, value) == 0)
		return 0;
	json_object_put(value);
	return TD_ENOMEM;
}

static int set_new(struct json_object *obj, const char *key, struct json_object *value)
{
	return set_value(obj, key, value, false);
}

/* set_new of a string (NULL: JSON null). */
static int set_str(struct json_object *obj, const char *key, const char *str)
{
	return str ? set_new(obj, key, json_object_new_string(str)) : set_value(obj, key, NULL, true);
}

static int set_int(struct json_object *obj, const char *key, int64_t value)
{
	return set_new(obj, key, json_object_new_int64(value));
}

/* Appends value to the array arr; takes the reference (dropped on failure). */
static int append_new(struct json_object *arr, struct json_object *value)
{
	if (!value)
		return TD_ENOMEM;
	if (json_object_array_add(arr, value) == 0)
		return 0;
	json_object_put(value);
	return TD_ENOMEM;
}

/* The string of an object's field, or NULL. */
static const char *field_str(struct json_object *obj, const char *key)
{
	struct json_object *v;
	return json_object_object_get_ex(obj, key, &v) ? json_object_get_string(v) : NULL;
}

static struct json_object *library_versions(void)
{
	char csv_version[32], nettle_version[32];
	snprintf(csv_version, sizeof csv_version, "%d.%d.%d", CSV_MAJOR, CSV_MINOR, CSV_RELEASE);
	snprintf(nettle_version, sizeof nettle_version, "%d.%d", nettle_version_major(),
		 nettle_version_minor());
	struct json_object *v = json_object_new_object();
	if (v && (set_str(v, "gsl", gsl_version) || set_str(v, "utf8proc", utf8proc_version()) ||
		  set_str(v, "libcsv", csv_version) || set_str(v, "json-c", json_c_version()) ||
		  set_str(v, "nettle", nettle_version))) {
		json_object_put(v);
		return NULL;
	}
	return v;
}

int runinfo_new(struct runinfo **out, const char *command, int argc, char **argv)
{
	*out = NULL;
	struct runinfo *ri = calloc(1, sizeof *ri);
	if (!ri)
		return TD_ENOMEM;
	struct json_object *args = json_object_new_array();
	for (int i = 0; args && i < argc; i++)
		if (append_new(args, json_object_new_string(argv[i]))) {
			json_object_put(args);
			args = NULL;
		}
	ri->params = json_object_new_object();
	ri->inputs = json_object_new_array();
	ri->outputs = json_object_new_array();
	ri->stages = json_object_new_object();
	ri->counts = json_object_new_object();
	time_t now = time(NULL);
	char stamp[32] = "";
	struct tm tm;
	if (gmtime_r(&now, &tm))
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* GLIBC_TUNABLES: malloc's settings, which termdrift sets itself
	 * (huge pages, main.c) unless the user did: speed depends on them */
	struct json_object *root = ri->root = json_object_new_object();
	int rc = !root || set_str(root, "termdrift", TERMDRIFT_VERSION) || set_str(root, "command", command);
	if (rc)
		json_object_put(args);
	if (rc || set_new(root, "argv", args) || !ri->params || !ri->inputs || !ri->outputs || !ri->stages ||
	    !ri->counts || set_str(root, "started", stamp) ||
	    set_new(root, "libraries", library_versions()) ||
	    set_str(root, "glibc_tunables", getenv("GLIBC_TUNABLES")) ||
	    set_new(root, "parameters", json_object_get(ri->params)) ||
	    set_new(root, "inputs", json_object_get(ri->inputs)) ||
	    set_new(root, "outputs", json_object_get(ri->outputs)) ||
	    set_new(root, "stage_seconds", json_object_get(ri->stages)) ||
	    set_new(root, "counts", json_object_get(ri->counts))) {
		runinfo_free(ri);
		return TD_ENOMEM;
	}
	*out = ri;
	return 0;
}

int runinfo_param_str(struct runinfo *ri, const char *key, const char *str)
{
	return set_str(ri->params, key, str);
}

int runinfo_param_int(struct runinfo *ri, const char *key, int64_t value)
{
	return set_int(ri->params, key, value);
}

int runinfo_param_real(struct runinfo *ri, const char *key, double value)
{
	return set_new(ri->params, key, json_object_new_double(value));
}

int runinfo_param_bool(struct runinfo *ri, const char *key, bool value)
{
	return set_new(ri->params, key, json_object_new_boolean(value));
}

/* Hex SHA-256 of a file into hex (65 bytes); returns 0 or TD_EIO.  Only for
 * an input the reader did not hash (runinfo_add_input). */
static int sha256_file(const char *path, char hex[2 * SHA256_DIGEST_SIZE + 1], uint64_t *size)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return TD_EIO;
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	unsigned char buf[1 << 16];
	size_t n;
	*size = 0;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		sha256_update(&ctx, n, buf);
		*size += n;
	}
	int failed = ferror(fp);
	fclose(fp);
	if (failed)
		return TD_EIO;
	unsigned char digest[SHA256_DIGEST_SIZE];
	sha256_digest(&ctx, sizeof digest, digest);
	for (size_t i = 0; i < sizeof digest; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return 0;
}

int runinfo_add_input(struct runinfo *ri, const char *path, const char *format, uint64_t bytes,
		      const char *sha256, struct td_diag *diag)
{
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	if (!sha256) {
		/* not hashed as it was read: the file is read once more, as
		 * before the reader hashed its inputs */
		if (sha256_file(path, hex, &bytes) != 0)
			return td_fail(diag, TD_EIO, "cannot read '%s': %s", path, strerror(errno));
		sha256 = hex;
	}
	struct json_object *entry = json_object_new_object();
	if (!entry || set_str(entry, "path", path) || set_str(entry, "format", format) ||
	    set_int(entry, "bytes", (int64_t)bytes) || set_str(entry, "sha256", sha256)) {
		json_object_put(entry);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	return append_new(ri->inputs, entry) ? td_fail(diag, TD_ENOMEM, "out of memory") : 0;
}

int runinfo_add_output(struct runinfo *ri, const char *name, uint64_t rows, const char *description)
{
	struct json_object *entry = json_object_new_object();
	if (!entry || set_str(entry, "file", name) || set_int(entry, "rows", (int64_t)rows) ||
	    set_str(entry, "description", description)) {
		json_object_put(entry);
		return TD_ENOMEM;
	}
	return append_new(ri->outputs, entry);
}

int runinfo_add_table(struct runinfo *ri, const struct csv_out *csv, const char *description)
{
	struct json_object *columns = json_object_new_array();
	if (!columns)
		return TD_ENOMEM;
	for (size_t i = 0; i < csv->n_columns; i++) {
		struct json_object *col = json_object_new_object();
		if (!col || set_str(col, "name", csv->columns[i]) || set_str(col, "type", csv_out_column_type(csv, i))) {
			json_object_put(col);
			json_object_put(columns);
			return TD_ENOMEM;
		}
		if (append_new(columns, col)) {
			json_object_put(columns);
			return TD_ENOMEM;
		}
	}
	struct json_object *entry = json_object_new_object();
	if (!entry || set_str(entry, "file", csv->name) || set_int(entry, "rows", (int64_t)csv->n_rows) ||
	    set_str(entry, "description", description)) {
		json_object_put(entry);
		json_object_put(columns);
		return TD_ENOMEM;
	}
	if (set_new(entry, "columns", columns)) {
		json_object_put(entry);
		return TD_ENOMEM;
	}
	return append_new(ri->outputs, entry);
}

int runinfo_add_chart(struct runinfo *ri, const char *name, const char *description)
{
	struct json_object *entry = json_object_new_object();
	if (!entry || set_str(entry, "file", name) || set_value(entry, "rows", NULL, true) ||
	    set_str(entry, "kind", "chart") || set_str(entry, "description", description)) {
		json_object_put(entry);
		return TD_ENOMEM;
	}
	return append_new(ri->outputs, entry);
}

int runinfo_spec(struct runinfo *ri, const struct spec *spec)
{
	struct json_object *sections = json_object_new_object(), *obj = NULL;
	if (!sections)
		return TD_ENOMEM;
	for (size_t i = 0; i < spec->n_sections; i++)
		if (set_new(sections, spec->sections[i].name, json_object_new_object()))
			goto nomem;
	/* every value as written; a repeated key (input) gives a list */
	for (size_t i = 0; i < spec->n_entries; i++) {
		const struct spec_entry *e = &spec->entries[i];
		struct json_object *sec = NULL, *old = NULL;
		json_object_object_get_ex(sections, e->section, &sec);
		json_object_object_get_ex(sec, e->key, &old);
		struct json_object *value = json_object_new_string(e->value);
		if (!value)
			goto nomem;
		if (!old) {
			if (set_new(sec, e->key, value))
				goto nomem;
		} else if (json_object_is_type(old, json_type_array)) {
			if (append_new(old, value))
				goto nomem;
		} else {
			struct json_object *list = json_object_new_array();
			if (!list || append_new(list, json_object_get(old))) {
				json_object_put(list);
				json_object_put(value);
				goto nomem;
			}
			if (append_new(list, value)) {
				json_object_put(list);
				goto nomem;
			}
			if (set_new(sec, e->key, list))
				goto nomem;
		}
	}
	obj = json_object_new_object();
	if (!obj || set_str(obj, "file", spec->path) || set_str(obj, "name", spec->name))
		goto nomem;
	if (set_new(obj, "sections", sections)) {
		json_object_put(obj);
		return TD_ENOMEM;
	}
	return set_new(ri->root, "spec", obj);
nomem:
	json_object_put(obj);
	json_object_put(sections);
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
	for (size_t i = 0; i < json_object_array_length(ri->outputs); i++) {
		const char *file = field_str(json_object_array_get_idx(ri->outputs, i), "file");
		char *path = file ? fs_join(dir, file) : NULL;
		if (path)
			unlink(path);
		free(path);
	}
}

void runinfo_print_outputs(const struct runinfo *ri, FILE *fp)
{
	size_t n = json_object_array_length(ri->outputs);
	int width = 0;
	for (size_t i = 0; i < n; i++) {
		int len = (int)strlen(field_str(json_object_array_get_idx(ri->outputs, i), "file"));
		width = len > width ? len : width;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *entry = json_object_array_get_idx(ri->outputs, i), *rows = NULL;
		json_object_object_get_ex(entry, "rows", &rows);
		char count[32] = "";
		if (json_object_is_type(rows, json_type_int))
			snprintf(count, sizeof count, "%lld rows", (long long)json_object_get_int64(rows));
		fprintf(fp, "  %-*s  %11s  %s\n", width, field_str(entry, "file"), count, field_str(entry, "description"));
	}
}

int runinfo_stage_time(struct runinfo *ri, const char *stage, double seconds)
{
	return set_new(ri->stages, stage, json_object_new_double(seconds));
}

int runinfo_count(struct runinfo *ri, const char *key, uint64_t value)
{
	return set_int(ri->counts, key, (int64_t)value);
}

int runinfo_write(struct runinfo *ri, const char *dir, struct td_diag *diag)
{
	struct outfile of;
	int rc = outfile_open(&of, dir, "manifest.json", diag);
	if (rc)
		return rc;
	/* two-space indents, keys in the order they were set, '/' as is */
	const char *text = json_object_to_json_string_ext(
		ri->root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		outfile_abort(&of);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	if (fputs(text, of.fp) == EOF || fputc('\n', of.fp) == EOF) {
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
	json_object_put(ri->root);
	json_object_put(ri->params);
	json_object_put(ri->inputs);
	json_object_put(ri->outputs);
	json_object_put(ri->stages);
	json_object_put(ri->counts);
	free(ri);
}
