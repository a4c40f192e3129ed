/* spec.c - fuzz target: the INI spec loader (spec.h), on the input written
 * to a file "in.ini".
 *
 * Properties:
 *   - spec_load returns 0 with a spec, or one of the documented codes with
 *     no spec and a message;
 *   - a spec is named "in" (the file name without .ini); its sections and
 *     entries are in file order (their lines never go down), every entry's
 *     section is one of the sections' own strings (not a copy), and every
 *     name, key and value is valid UTF-8 on one line;
 *   - every line number is a line of the file, and no line holding an
 *     entry or a section is longer than SPEC_MAX_LINE;
 *   - a file with a NUL byte is refused (it used to be cut at the NUL);
 *   - spec_nearest over the keys gives one of them or NULL, and a key is
 *     its own nearest.
 */
#include "fuzz.h"

#include "error.h"
#include "spec.h"

/* The length of line number `line` (1-based) of the input, or SIZE_MAX when
 * the input has fewer lines. */
static size_t line_length(const uint8_t *data, size_t size, unsigned line)
{
	size_t start = 0;
	for (unsigned n = 1; n < line; n++) {
		const uint8_t *nl = memchr(data + start, '\n', size - start);
		if (!nl)
			return SIZE_MAX;
		start = (size_t)(nl - data) + 1;
	}
	if (start >= size && line > 1)
		return SIZE_MAX;
	const uint8_t *nl = memchr(data + start, '\n', size - start);
	return nl ? (size_t)(nl - data) - start : size - start;
}

static void check_line(const uint8_t *data, size_t size, unsigned line)
{
	FUZZ_CHECK(line >= 1);
	size_t len = line_length(data, size, line);
	FUZZ_CHECK(len != SIZE_MAX);
	FUZZ_CHECK(len <= SPEC_MAX_LINE);
}

static void check_string(const char *s)
{
	FUZZ_CHECK(fuzz_valid_string(s));
	FUZZ_CHECK(strchr(s, '\n') == NULL);
}

void fuzz_spec(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write_file("in.ini", data, size);
	struct td_diag diag = { 0 };
	struct spec *spec = (struct spec *)&diag;  /* must become NULL on failure */
	int rc = spec_load(&spec, path, &diag);
	if (rc != 0) {
		FUZZ_CHECK(rc == TD_EFORMAT || rc == TD_ENOMEM || rc == TD_EIO);
		FUZZ_CHECK(spec == NULL);
		FUZZ_CHECK(diag.error != NULL && diag.error[0] != '\0');
		td_diag_free(&diag);
		return;
	}
	FUZZ_CHECK(spec != NULL);
	FUZZ_CHECK(memchr(data, '\0', size) == NULL);
	FUZZ_CHECK(strcmp(spec->name, "in") == 0);
	unsigned last = 0;
	for (size_t i = 0; i < spec->n_sections; i++) {
		check_string(spec->sections[i].name);
		FUZZ_CHECK(spec->sections[i].line > last);
		last = spec->sections[i].line;
		check_line(data, size, last);
	}
	const char **keys = malloc((spec->n_entries + 1) * sizeof *keys);
	FUZZ_CHECK(keys != NULL);
	last = 0;
	for (size_t i = 0; i < spec->n_entries; i++) {
		const struct spec_entry *e = &spec->entries[i];
		check_string(e->key);
		check_string(e->value);
		FUZZ_CHECK(e->line >= last);
		last = e->line;
		check_line(data, size, e->line);
		/* the section the entry is under: the last one opened before it */
		size_t s = spec->n_sections;
		while (s > 0 && spec->sections[s - 1].line > e->line)
			s--;
		FUZZ_CHECK(s > 0 && e->section == spec->sections[s - 1].name);
		keys[i] = e->key;
	}
	for (size_t i = 0; i < spec->n_entries; i++) {
		const char *near = spec_nearest(keys[i], keys, spec->n_entries);
		bool listed = false;
		for (size_t k = 0; k < spec->n_entries; k++)
			listed = listed || near == keys[k];
		if (strlen(keys[i]) < 64)  /* longer words are compared by length only */
			FUZZ_CHECK(near && strcmp(near, keys[i]) == 0);
		FUZZ_CHECK(!near || listed);
	}
	free(keys);
	spec_free(spec);
	td_diag_free(&diag);
}

FUZZ_ENTRY(fuzz_spec)
