/* test_spec.c - analysis specs (src/spec.c): sections, entries and their
 * lines, the mistakes that must name a line, and key suggestions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec.h"

/* Writes text to a new temporary file named NAME.ini; returns its path. */
static char *write_spec(const char *name, const char *text)
{
	char dir[] = "/tmp/td_spec_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *path = malloc(strlen(dir) + strlen(name) + 8);
	assert_non_null(path);
	sprintf(path, "%s/%s.ini", dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static void remove_spec(char *path)
{
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	free(path);
}

/* Loads text; returns the code, with the message in err (or ""). */
static int load(const char *text, struct spec **spec, char *err, size_t err_cap)
{
	char *path = write_spec("t", text);
	struct td_diag diag = { 0 };
	int rc = spec_load(spec, path, &diag);
	snprintf(err, err_cap, "%s", diag.error ? diag.error : "");
	/* the message names the file: strip its temporary folder */
	char *at = strstr(err, path);
	if (at) {
		size_t plen = strlen(path);
		memmove(at, "t.ini", 5);
		memmove(at + 5, at + plen, strlen(at + plen) + 1);
	}
	td_diag_free(&diag);
	remove_spec(path);
	return rc;
}

static void test_spec__sections_entries_and_lines(void **state)
{
	(void)state;
	struct spec *spec;
	char err[256];
	int rc = load("; the seeds\n"
		      "[corpus]\n"
		      "input = data/seeds   ; five articles\n"
		      "       more/inputs\n"
		      "\n"
		      "# tokens next\n"
		      "[ tokens ]\n"
		      "ngram=1:2\n"
		      "[tfidf]\n",
		      &spec, err, sizeof err);
	assert_int_equal(rc, 0);
	assert_string_equal(spec->name, "t");
	assert_int_equal(spec->n_sections, 3);
	assert_string_equal(spec->sections[0].name, "corpus");
	assert_int_equal(spec->sections[0].line, 2);
	assert_string_equal(spec->sections[1].name, "tokens");
	assert_int_equal(spec->sections[1].line, 7);
	assert_string_equal(spec->sections[2].name, "tfidf");  /* empty, still listed */
	assert_int_equal(spec->sections[2].line, 9);
	assert_int_equal(spec->n_entries, 3);
	assert_string_equal(spec->entries[0].section, "corpus");
	assert_string_equal(spec->entries[0].key, "input");
	assert_string_equal(spec->entries[0].value, "data/seeds");
	assert_int_equal(spec->entries[0].line, 3);
	/* an indented line continues the key: one more value */
	assert_string_equal(spec->entries[1].key, "input");
	assert_string_equal(spec->entries[1].value, "more/inputs");
	assert_int_equal(spec->entries[1].line, 4);
	assert_string_equal(spec->entries[2].section, "tokens");
	assert_string_equal(spec->entries[2].key, "ngram");
	assert_string_equal(spec->entries[2].value, "1:2");
	assert_int_equal(spec->entries[2].line, 8);
	spec_free(spec);
}

static void test_spec__mistakes_name_the_line(void **state)
{
	(void)state;
	struct spec *spec;
	char err[256];
	assert_int_equal(load("input = x\n[corpus]\n", &spec, err, sizeof err), TD_EFORMAT);
	assert_null(spec);
	assert_string_equal(err, "'t.ini' line 1: a key before any [section]");
	assert_int_equal(load("[corpus]\ninput = x\nthis line has no equals sign\n", &spec, err, sizeof err),
			 TD_EFORMAT);
	assert_string_equal(err, "'t.ini' line 3: expected [section] or key = value");
	assert_int_equal(load("[corpus\n", &spec, err, sizeof err), TD_EFORMAT);
	assert_string_equal(err, "'t.ini' line 1: expected [section] or key = value");
	assert_int_equal(load("[corpus]\ninput = \xff\xfe\n", &spec, err, sizeof err), TD_EFORMAT);
	assert_string_equal(err, "'t.ini' line 2: invalid UTF-8");
	char long_line[400];
	memset(long_line, 'a', sizeof long_line);
	memcpy(long_line, "[corpus]\ninput = ", 17);
	memcpy(long_line + sizeof long_line - 2, "\n", 2);
	assert_int_equal(load(long_line, &spec, err, sizeof err), TD_EFORMAT);
	assert_string_equal(err, "'t.ini' line 2: line too long");
}

static void test_spec__missing_file(void **state)
{
	(void)state;
	struct spec *spec = (struct spec *)1;
	struct td_diag diag = { 0 };
	assert_int_equal(spec_load(&spec, "/nonexistent/x.ini", &diag), TD_ENOENT);
	assert_null(spec);
	assert_string_equal(diag.error, "cannot open spec '/nonexistent/x.ini': No such file or directory");
	td_diag_free(&diag);
}

static void test_spec__nearest_key(void **state)
{
	(void)state;
	static const char *const keys[] = { "input", "min-df", "max-df", "ngram", "stopwords", "tokenizer" };
	size_t n = sizeof keys / sizeof *keys;
	assert_string_equal(spec_nearest("min_df", keys, n), "min-df");
	assert_string_equal(spec_nearest("ngrams", keys, n), "ngram");
	assert_string_equal(spec_nearest("stopword", keys, n), "stopwords");
	assert_string_equal(spec_nearest("inputs", keys, n), "input");
	assert_null(spec_nearest("zzzzzzzzzz", keys, n));
	assert_null(spec_nearest("x", keys, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec__sections_entries_and_lines),
		cmocka_unit_test(test_spec__mistakes_name_the_line),
		cmocka_unit_test(test_spec__missing_file),
		cmocka_unit_test(test_spec__nearest_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
