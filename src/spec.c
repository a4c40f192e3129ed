/* spec.c - analysis specs read with inih (see spec.h). */
#include "spec.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>
#include <utf8proc.h>

#include "array.h"

/* What the line reader and the handler share while inih parses. */
struct load {
	struct spec *spec;
	FILE *fp;
	unsigned line;            /* lines handed to inih so far */
	size_t cap_sections, cap_entries;
	int error;                /* TD_EFORMAT or TD_ENOMEM, with the line in error_line */
	unsigned error_line;
	const char *error_what;
};

static void load_error(struct load *ld, int code, const char *what)
{
	if (ld->error)
		return;
	ld->error = code;
	ld->error_line = ld->line;
	ld->error_what = what;
}

static bool valid_utf8(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t cp;
	while (len > 0) {
		utf8proc_ssize_t n = utf8proc_iterate(p, (utf8proc_ssize_t)len, &cp);
		if (n < 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* Records a "[name]" line: inih keeps only the current section, and calls
 * the handler for none that is empty, so sections are noted as they are read
 * (an unknown empty section is still a mistake). */
static void note_section(struct load *ld, const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	if (*line != '[')
		return;
	const char *end = strchr(line, ']');
	if (!end)
		return;  /* inih reports the syntax error */
	const char *start = line + 1;
	while (start < end && (*start == ' ' || *start == '\t'))
		start++;
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	struct spec *spec = ld->spec;
	if (array_reserve((void **)&spec->sections, &ld->cap_sections, spec->n_sections + 1, sizeof *spec->sections)) {
		load_error(ld, TD_ENOMEM, "out of memory");
		return;
	}
	char *name = strndup(start, (size_t)(end - start));
	if (!name) {
		load_error(ld, TD_ENOMEM, "out of memory");
		return;
	}
	spec->sections[spec->n_sections++] = (struct spec_section){ name, ld->line };
}

/* inih's line reader: counts lines and refuses long ones and NUL bytes.
 * Bytes are read one at a time rather than with fgets, which gives no way to
 * tell a NUL byte from the end of the line: "a = b\0c" was taken as
 * "a = b" at the end of a file and as a line too long elsewhere. */
static char *read_line(char *str, int num, void *stream)
{
	struct load *ld = stream;
	if (ld->error || num < 2)
		return NULL;
	size_t len = 0, max = (size_t)num - 1;
	int c;
	while (len < max && (c = getc(ld->fp)) != EOF) {
		str[len++] = (char)c;
		if (c == '\n')
			break;
	}
	if (len == 0)
		return NULL;
	str[len] = '\0';
	ld->line++;
	if (memchr(str, '\0', len)) {
		load_error(ld, TD_EFORMAT, "NUL byte");
		return NULL;
	}
	if (str[len - 1] == '\n')
		len--;
	else if (!feof(ld->fp)) {
		load_error(ld, TD_EFORMAT, "line too long");
		return NULL;
	}
	if (len > SPEC_MAX_LINE) {
		load_error(ld, TD_EFORMAT, "line too long");
		return NULL;
	}
	if (!valid_utf8(str, len)) {
		load_error(ld, TD_EFORMAT, "invalid UTF-8");
		return NULL;
	}
	note_section(ld, str);
	return ld->error ? NULL : str;
}

/* inih's handler: one key = value line. */
static int on_entry(void *user, const char *section, const char *key, const char *value)
{
	struct load *ld = user;
	struct spec *spec = ld->spec;
	if (ld->error)
		return 0;
	/* inih keeps the spaces inside "[ tokens ]"; the noted name has none */
	while (*section == ' ' || *section == '\t')
		section++;
	const char *current = spec->n_sections ? spec->sections[spec->n_sections - 1].name : NULL;
	size_t len = current ? strlen(current) : 0;
	if (!current || strncmp(section, current, len) != 0 || strspn(section + len, " \t") != strlen(section + len)) {
		load_error(ld, TD_EFORMAT, "a key before any [section]");
		return 0;
	}
	if (array_reserve((void **)&spec->entries, &ld->cap_entries, spec->n_entries + 1, sizeof *spec->entries)) {
		load_error(ld, TD_ENOMEM, "out of memory");
		return 0;
	}
	char *k = strdup(key), *v = strdup(value ? value : "");
	if (!k || !v) {
		free(k);
		free(v);
		load_error(ld, TD_ENOMEM, "out of memory");
		return 0;
	}
	spec->entries[spec->n_entries++] = (struct spec_entry){
		.section = spec->sections[spec->n_sections - 1].name, .key = k, .value = v, .line = ld->line
	};
	return 1;
}

/* The analysis name: the file name without its folder and ".ini". */
static char *spec_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strlen(base);
	if (len > 4 && strcmp(base + len - 4, ".ini") == 0)
		len -= 4;
	return strndup(base, len);
}

int spec_load(struct spec **out, const char *path, struct td_diag *diag)
{
	*out = NULL;
	struct spec *spec = calloc(1, sizeof *spec);
	if (!spec || !(spec->path = strdup(path)) || !(spec->name = spec_name(path))) {
		spec_free(spec);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	struct load ld = { .spec = spec };
	if (!(ld.fp = fopen(path, "r"))) {
		int rc = td_fail(diag, TD_ENOENT, "cannot open spec '%s': %s", path, strerror(errno));
		spec_free(spec);
		return rc;
	}
	int line = ini_parse_stream(read_line, &ld, on_entry, &ld);
	bool read_failed = ferror(ld.fp) != 0;
	fclose(ld.fp);
	int rc = 0;
	if (ld.error == TD_ENOMEM || line == -2)
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
	else if (ld.error)
		rc = td_fail(diag, ld.error, "'%s' line %u: %s", path, ld.error_line, ld.error_what);
	else if (read_failed)
		rc = td_fail(diag, TD_EIO, "cannot read spec '%s'", path);
	else if (line > 0)
		rc = td_fail(diag, TD_EFORMAT, "'%s' line %d: expected [section] or key = value", path, line);
	if (rc) {
		spec_free(spec);
		return rc;
	}
	*out = spec;
	return 0;
}

void spec_free(struct spec *spec)
{
	if (!spec)
		return;
	for (size_t i = 0; i < spec->n_sections; i++)
		free(spec->sections[i].name);
	for (size_t i = 0; i < spec->n_entries; i++) {
		free(spec->entries[i].key);
		free(spec->entries[i].value);
	}
	free(spec->sections);
	free(spec->entries);
	free(spec->path);
	free(spec->name);
	free(spec);
}

/* Levenshtein distance of two short ASCII-or-UTF-8 strings, by bytes. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (lb > 63)
		return la > lb ? la : lb;
	size_t row[64];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *spec_nearest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (strlen(word) + 1) / 2 + 2;  /* at most half the word, plus one */
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}
