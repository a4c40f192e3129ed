/* test_fuzz_regressions.c - replays the inputs the fuzz targets found (and
 * their committed seeds) through the same property checks, compiled with the
 * project's compiler, so that `make test` needs no clang: every file of
 * tests/fuzz/regressions/NAME/ and tests/fuzz/seeds/NAME/ goes to the check
 * function fuzz_NAME of tests/fuzz/NAME.c, which abort()s on a violated
 * property.  Run from the repository root, as the other tests are. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz.h"

struct target {
	const char *name;
	void (*check)(const uint8_t *data, size_t size);
};

static const struct target targets[] = {
	{ "tokenize_default", fuzz_tokenize_default },
	{ "tokenize_sklearn", fuzz_tokenize_sklearn },
	{ "date", fuzz_date },
	{ "txtmeta", fuzz_txtmeta },
	{ "jsonl", fuzz_jsonl },
	{ "csv", fuzz_csv },
	{ "spec", fuzz_spec },
	{ "boiler_dedup", fuzz_boiler_dedup },
};

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Feeds every file of dir (if it exists) to check, in name order; returns
 * the number of files. */
static size_t replay_dir(const char *dir, void (*check)(const uint8_t *, size_t))
{
	DIR *d = opendir(dir);
	if (!d) {
		if (errno != ENOENT)
			fail_msg("cannot open '%s': %s", dir, strerror(errno));
		return 0;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			names = realloc(names, cap * sizeof *names);
			assert_non_null(names);
		}
		names[n] = strdup(e->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, compare_names);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *fp = fopen(path, "rb");
		if (!fp)
			fail_msg("cannot open '%s': %s", path, strerror(errno));
		assert_int_equal(fseek(fp, 0, SEEK_END), 0);
		long size = ftell(fp);
		assert_true(size >= 0);
		assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
		/* exactly the input's size, as libFuzzer hands it over */
		uint8_t *data = malloc(size ? (size_t)size : 1);
		assert_non_null(data);
		assert_int_equal(fread(data, 1, (size_t)size, fp), (size_t)size);
		fclose(fp);
		check(data, (size_t)size);
		free(data);
		free(names[i]);
	}
	free(names);
	return n;
}

static void test_fuzz_regressions__replay(void **state)
{
	const struct target *t = *state;
	char dir[256];
	snprintf(dir, sizeof dir, "tests/fuzz/regressions/%s", t->name);
	size_t n = replay_dir(dir, t->check);
	snprintf(dir, sizeof dir, "tests/fuzz/seeds/%s", t->name);
	n += replay_dir(dir, t->check);
	print_message("%zu inputs of %s\n", n, t->name);
}

int main(void)
{
	enum { N_TARGETS = sizeof targets / sizeof targets[0] };
	struct CMUnitTest tests[N_TARGETS];
	static char names[N_TARGETS][64];
	for (size_t i = 0; i < N_TARGETS; i++) {
		snprintf(names[i], sizeof names[i], "test_fuzz_regressions__%s", targets[i].name);
		tests[i] = (struct CMUnitTest){ .name = names[i],
						.test_func = test_fuzz_regressions__replay,
						.initial_state = (void *)&targets[i] };
	}
	return _cmocka_run_group_tests("fuzz_regressions", tests, N_TARGETS, NULL, NULL);
}
