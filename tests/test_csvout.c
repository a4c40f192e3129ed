/* test_csvout.c - CSV output: quoting, numbers, and files that appear whole. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvout.h"
#include "outfile.h"

static char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/td_csvout_XXXXXX";
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	return strdup(dir);
}

static char *slurp(const char *dir, const char *name)
{
	char *path = fs_join(dir, name);
	FILE *fp = fopen(path, "rb");
	free(path);
	if (!fp)
		return NULL;
	static char buf[4096];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* Number of entries in dir other than . and .. */
static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *path = fs_join(dir, e->d_name);
		unlink(path);
		free(path);
	}
	closedir(d);
	rmdir(dir);
}

static void test_csvout__quotes_only_what_needs_it(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	const char *cols[] = { "a", "b", "c" };
	struct csv_out csv;
	assert_int_equal(csv_out_open(&csv, dir, "t.csv", cols, 3, 10, NULL), 0);
	csv_out_str(&csv, "plain");
	csv_out_str(&csv, "with, comma");
	csv_out_str(&csv, "say \"hi\"\nnext");
	assert_int_equal(csv_out_end_row(&csv), 0);
	csv_out_str(&csv, NULL);
	csv_out_str(&csv, " lead");
	csv_out_str(&csv, "Kyiv’s");
	assert_int_equal(csv_out_end_row(&csv), 0);
	assert_int_equal(csv.n_rows, 2);
	assert_int_equal(csv_out_commit(&csv, NULL), 0);
	csv_out_free(&csv);
	assert_string_equal(slurp(dir, "t.csv"),
			    "a,b,c\nplain,\"with, comma\",\"say \"\"hi\"\"\nnext\"\n,\" lead\",Kyiv’s\n");
	remove_tree(dir);
	free(dir);
}

static void test_csvout__numbers_and_precision(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	const char *cols[] = { "x", "y", "z", "d" };
	struct csv_out csv;
	assert_int_equal(csv_out_open(&csv, dir, "n.csv", cols, 4, 17, NULL), 0);
	csv_out_double(&csv, 0.1);
	csv_out_int(&csv, -42);
	csv_out_uint(&csv, UINT64_MAX);
	csv_out_date(&csv, 20147);  /* 2025-02-28 */
	csv_out_end_row(&csv);
	assert_int_equal(csv_out_commit(&csv, NULL), 0);
	csv_out_free(&csv);
	assert_string_equal(slurp(dir, "n.csv"),
			    "x,y,z,d\n0.10000000000000001,-42,18446744073709551615,2025-02-28\n");
	/* 17 digits round-trip */
	assert_true(strtod("0.10000000000000001", NULL) == 0.1);

	assert_int_equal(csv_out_open(&csv, dir, "m.csv", cols, 1, 0, NULL), 0);
	csv_out_double(&csv, 1.0 / 3.0);
	csv_out_end_row(&csv);
	csv_out_double(&csv, -0.0);
	csv_out_end_row(&csv);
	assert_int_equal(csv_out_commit(&csv, NULL), 0);
	csv_out_free(&csv);
	assert_string_equal(slurp(dir, "m.csv"), "x\n0.3333333333\n0\n");
	remove_tree(dir);
	free(dir);
}

static void test_csvout__nothing_visible_until_commit(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	const char *cols[] = { "a" };
	struct csv_out csv;
	assert_int_equal(csv_out_open(&csv, dir, "w.csv", cols, 1, 10, NULL), 0);
	csv_out_str(&csv, "row");
	csv_out_end_row(&csv);
	assert_null(slurp(dir, "w.csv"));
	assert_int_equal(count_entries(dir), 1);  /* only the hidden temporary */
	csv_out_abort(&csv);
	csv_out_free(&csv);
	assert_int_equal(count_entries(dir), 0);
	remove_tree(dir);
	free(dir);
}

static void test_csvout__abort_keeps_earlier_result(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	const char *cols[] = { "a" };
	struct csv_out csv;
	assert_int_equal(csv_out_open(&csv, dir, "k.csv", cols, 1, 10, NULL), 0);
	csv_out_str(&csv, "old");
	csv_out_end_row(&csv);
	assert_int_equal(csv_out_commit(&csv, NULL), 0);
	csv_out_free(&csv);
	assert_int_equal(csv_out_open(&csv, dir, "k.csv", cols, 1, 10, NULL), 0);
	csv_out_str(&csv, "new");
	csv_out_end_row(&csv);
	csv_out_abort(&csv);
	csv_out_free(&csv);
	assert_string_equal(slurp(dir, "k.csv"), "a\nold\n");
	remove_tree(dir);
	free(dir);
}

static void test_csvout__wrong_field_count_fails_commit(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	const char *cols[] = { "a", "b" };
	struct csv_out csv;
	struct td_diag diag = { 0 };
	assert_int_equal(csv_out_open(&csv, dir, "r.csv", cols, 2, 10, NULL), 0);
	csv_out_str(&csv, "only one");
	assert_int_equal(csv_out_end_row(&csv), TD_EINVAL);
	assert_int_equal(csv_out_commit(&csv, &diag), TD_EINVAL);
	csv_out_free(&csv);
	assert_non_null(strstr(diag.error, "r.csv"));
	assert_null(slurp(dir, "r.csv"));
	assert_int_equal(count_entries(dir), 0);
	td_diag_free(&diag);
	remove_tree(dir);
	free(dir);
}

static void test_csvout__full_disk_is_an_error(void **state)
{
	(void)state;
	if (access("/dev/full", W_OK) != 0)
		skip();
	/* Write through a stream on /dev/full: the rows fit the buffer, so the
	 * error only shows at the flush; the commit must report it. */
	struct csv_out csv;
	struct td_diag diag = { 0 };
	memset(&csv, 0, sizeof csv);
	csv.n_columns = 1;
	csv.precision = 10;
	csv.name = strdup("full.csv");
	csv.file.fp = fopen("/dev/full", "w");
	csv.file.final_path = strdup("/dev/full");
	csv.file.tmp_path = strdup("/tmp/td_csvout_never_created");
	assert_non_null(csv.file.fp);
	csv_out_str(&csv, "x");
	csv_out_end_row(&csv);
	assert_int_equal(csv_out_commit(&csv, &diag), TD_EIO);
	assert_non_null(strstr(diag.error, "No space left"));
	csv_out_free(&csv);
	td_diag_free(&diag);
}

static void test_csvout__mkdirs_creates_parents(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char *deep = fs_join(dir, "a/b/c");
	assert_int_equal(fs_mkdirs(deep, NULL), 0);
	assert_int_equal(fs_mkdirs(deep, NULL), 0);  /* exists: fine */
	assert_int_equal(access(deep, W_OK), 0);
	char *file = fs_join(dir, "a/b/c/f");
	FILE *fp = fopen(file, "w");
	fclose(fp);
	assert_int_equal(fs_mkdirs(file, NULL), TD_EIO);  /* a file in the way */
	unlink(file);
	rmdir(deep);
	char *b = fs_join(dir, "a/b"), *a = fs_join(dir, "a");
	rmdir(b);
	rmdir(a);
	rmdir(dir);
	free(a);
	free(b);
	free(file);
	free(deep);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csvout__quotes_only_what_needs_it),
		cmocka_unit_test(test_csvout__numbers_and_precision),
		cmocka_unit_test(test_csvout__nothing_visible_until_commit),
		cmocka_unit_test(test_csvout__abort_keeps_earlier_result),
		cmocka_unit_test(test_csvout__wrong_field_count_fails_commit),
		cmocka_unit_test(test_csvout__full_disk_is_an_error),
		cmocka_unit_test(test_csvout__mkdirs_creates_parents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
