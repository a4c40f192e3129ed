/* test_reader.c - every reader with well-formed and malformed input, the
 * manifest, binary files, UTF-8 repair.  Fixtures are written into a fresh
 * temporary folder by each test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "date.h"
#include "reader.h"

/* Warnings captured from the reader, joined by '\n'. */
struct captured {
	char text[8192];
	size_t len;
};

static void capture(void *ctx, const char *msg)
{
	struct captured *c = ctx;
	c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "%s\n", msg);
}

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/td_reader_XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes len bytes (or strlen) to tmpdir/name, creating subfolders. */
static const char *put(const char *name, const char *data, size_t len)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	for (char *p = path + strlen(tmpdir) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0777);
			*p = '/';
		}
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
	return path;
}

static const char *puts_file(const char *name, const char *text)
{
	return put(name, text, strlen(text));
}

/* Reads every document of the inputs; returns the number read and leaves
 * a summary line per document in out: "id|date|title|flags|text". */
static int read_all(const char *const *inputs, size_t n, struct reader_opts *opts, char *out, size_t cap,
		    struct captured *warnings)
{
	struct td_diag diag = { .warn = capture, .ctx = warnings };
	opts->inputs = inputs;
	opts->n_inputs = n;
	struct reader *r;
	int rc = reader_open(&r, opts, &diag);
	if (rc) {
		snprintf(out, cap, "error %d: %s", rc, diag.error);
		td_diag_free(&diag);
		return rc;
	}
	struct doc doc = { 0 };
	int count = 0;
	size_t at = 0;
	out[0] = '\0';
	while ((rc = reader_next(r, &doc, &diag)) == 1) {
		char date[DATE_ISO_LEN + 1] = "-";
		if (doc.has_date)
			date_format(doc.date, date);
		at += (size_t)snprintf(out + at, cap - at, "%s|%s|%s|%s%s%s|%.40s\n", doc.id, date,
				       doc.title ? doc.title : "-", doc.binary ? "B" : "", doc.malformed ? "M" : "",
				       doc.invalid_utf8 ? "U" : "", doc.text);
		count++;
	}
	if (rc < 0) {
		snprintf(out, cap, "error %d: %s", rc, diag.error);
		count = rc;
	}
	doc_clear(&doc);
	reader_free(r);
	td_diag_free(&diag);
	return count;
}

static void test_reader__folder_in_sorted_order_with_manifest(void **state)
{
	(void)state;
	puts_file("news/b.txt", "Second\nBody of b.\n");
	puts_file("news/a.txt", "date 2025-02-18 First title\nBody of a.\n");
	puts_file("news/sub/c.txt", "Published: Feb, 26 2025 22:30\nThird\nBody.\n");
	puts_file("news/.hidden.txt", "never read");
	puts_file("news/manifest.csv",
		  "file,date,source,title\nb.txt,2025-02-20,Wire,\nc.txt,2025-02-25,,Manifest title\nzzz.txt,2025-01-01,,\n");
	char dir[128], out[2048];
	snprintf(dir, sizeof dir, "%s/news", tmpdir);
	const char *inputs[] = { dir };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 3);
	assert_string_equal(out, "a|2025-02-18|First title||First title\nBody of a.\n\n"
				 "b|2025-02-20|Second||Second\nBody of b.\n\n"
				 "sub/c|2025-02-25|Manifest title||Third\nBody.\n\n");
	assert_non_null(strstr(w.text, "c.txt': date 2025-02-26 in the file, 2025-02-25 in the manifest; using the manifest"));
	assert_non_null(strstr(w.text, "no document 'zzz.txt' in the input"));
}

static void test_reader__binary_files_are_listed_not_read(void **state)
{
	(void)state;
	put("in/pic.png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
	put("in/nul.txt", "text\0with a NUL", 15);
	puts_file("in/ok.txt", "Plain text.");
	char dir[128], out[1024];
	snprintf(dir, sizeof dir, "%s/in", tmpdir);
	const char *inputs[] = { dir };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 3);
	assert_string_equal(out, "nul|-|-|B|\nok|-|Plain text.||Plain text.\npic|-|-|B|\n");
	assert_non_null(strstr(w.text, "skipping binary file"));
}

static void test_reader__jsonl_well_formed(void **state)
{
	(void)state;
	const char *path = puts_file("a.jsonl",
				     "{\"id\": \"x1\", \"date\": \"2025-02-26\", \"title\": \"T\", \"text\": \"Hello\"}\n"
				     "\n"
				     "{\"id\": 42, \"date\": \"1790\", \"text\": \"Year only\"}\n"
				     "{\"text\": \"No id\", \"when\": \"2002-08-22\"}\n");
	const char *inputs[] = { path };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[1024];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 3);
	assert_string_equal(out, "x1|2025-02-26|T||Hello\n42|1790-01-01|-||Year only\n3|-|-||No id\n");
	opts.date_field = "when";
	opts.id_field = "nope";
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 3);
	assert_string_equal(out, "1|-|T||Hello\n2|-|-||Year only\n3|2002-08-22|-||No id\n");
	assert_int_equal(w.len, 0);
}

static void test_reader__jsonl_malformed_and_strict(void **state)
{
	(void)state;
	const char *path = puts_file("bad.jsonl",
				     "{\"id\": \"ok\", \"text\": \"fine\"}\n"
				     "this is not json\n"
				     "[1, 2]\n"
				     "{\"id\": \"nt\"}\n"
				     "{\"id\": \"num\", \"text\": 5}\n"
				     "{\"id\": \"trunc\", \"text\": \"cut of");
	const char *inputs[] = { path };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[2048];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 6);
	assert_string_equal(out, "ok|-|-||fine\n2|-|-|M|\n3|-|-|M|\nnt|-|-|M|\nnum|-|-|M|\n6|-|-|M|\n");
	assert_non_null(strstr(w.text, "bad.jsonl' line 2: not valid JSON"));
	assert_non_null(strstr(w.text, "line 3: not a JSON object"));
	assert_non_null(strstr(w.text, "line 4: no field 'text'"));
	assert_non_null(strstr(w.text, "line 5: the field 'text' is not a string"));
	assert_non_null(strstr(w.text, "line 6: not valid JSON"));
	opts.strict = true;
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), TD_EFORMAT);
	assert_non_null(strstr(out, "bad.jsonl' line 2: not valid JSON: '[' or '{' expected near 'this'"));
}

static void test_reader__jsonl_invalid_utf8_is_repaired(void **state)
{
	(void)state;
	const char *path = puts_file("u.jsonl", "{\"id\": \"u\", \"text\": \"caf\xe9 ok\"}\n"
					       "{\"id\": \"z\", \"text\": \"a\\u0000b\"}\n");
	const char *inputs[] = { path };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[512];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 2);
	assert_string_equal(out, "u|-|-|U|caf\xef\xbf\xbd ok\nz|-|-|U|a\xef\xbf\xbd" "b\n");
}

static void test_reader__csv_quotes_bom_crlf_and_fields(void **state)
{
	(void)state;
	const char *path = puts_file("a.csv",
				     "\xef\xbb\xbfid,published,body,headline\r\n"
				     "1,2025-02-26,\"Multi\r\nline, with \"\"quotes\"\"\",H1\r\n"
				     "2,,plain,H2\r\n");
	const char *inputs[] = { path };
	struct reader_opts opts = { .text_field = "body", .date_field = "published", .title_field = "headline" };
	struct captured w = { 0 };
	char out[1024];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 2);
	assert_string_equal(out, "1|2025-02-26|H1||Multi\r\nline, with \"quotes\"\n2|-|H2||plain\n");
}

static void test_reader__csv_without_text_column_names_the_columns(void **state)
{
	(void)state;
	const char *path = puts_file("n.csv", "id,date,body\n1,2025-02-26,x\n");
	const char *inputs[] = { path };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[512];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), TD_EFORMAT);
	assert_non_null(strstr(out, "n.csv': no column 'text' (columns: id, date, body)"));
}

static void test_reader__csv_ragged_rows_and_open_quote(void **state)
{
	(void)state;
	const char *path = puts_file("r.csv", "id,text\nA,good\nB,too,many\nC\nD,\"never closed\nstill open\n");
	const char *inputs[] = { path };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[1024];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 4);
	assert_string_equal(out, "A|-|-||good\nB|-|-|M|\nC|-|-|M|\nD|-|-|M|\n");
	assert_non_null(strstr(w.text, "r.csv' line 3: 3 fields where the header has 2"));
	assert_non_null(strstr(w.text, "r.csv' line 4: 1 fields where the header has 2"));
	assert_non_null(strstr(w.text, "r.csv' line 5: unbalanced quotes"));
}

static void test_reader__empty_files(void **state)
{
	(void)state;
	const char *txt = puts_file("e/empty.txt", "");
	char out[256];
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	const char *inputs[] = { txt };
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 1);
	assert_string_equal(out, "empty|-|-||\n");
	const char *csv = puts_file("e/empty.csv", "");
	inputs[0] = csv;
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 0);
	assert_non_null(strstr(w.text, "has no header row"));
}

static void test_reader__missing_path_and_empty_folder(void **state)
{
	(void)state;
	char out[512], dir[128];
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	const char *inputs[] = { "/nonexistent/termdrift" };
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), TD_ENOENT);
	assert_string_equal(out, "error -5: cannot open '/nonexistent/termdrift': No such file or directory");
	snprintf(dir, sizeof dir, "%s/void", tmpdir);
	mkdir(dir, 0777);
	inputs[0] = dir;
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), TD_EEMPTY);
	assert_non_null(strstr(out, "no input files in"));
}

static void test_reader__large_single_line_and_rewind(void **state)
{
	(void)state;
	size_t len = 10u << 20;
	char *big = malloc(len);
	assert_non_null(big);
	for (size_t i = 0; i < len; i++)
		big[i] = i % 7 == 6 ? ' ' : 'a' + (char)(i % 5);
	const char *path = put("big.txt", big, len);
	free(big);
	const char *inputs[] = { path };
	struct reader_opts opts = { .inputs = inputs, .n_inputs = 1 };
	struct reader *r;
	assert_int_equal(reader_open(&r, &opts, NULL), 0);
	struct doc doc = { 0 };
	for (int pass = 0; pass < 2; pass++) {
		assert_int_equal(reader_next(r, &doc, NULL), 1);
		assert_int_equal(doc.n_bytes, len);
		assert_int_equal(doc.text_len, len);
		assert_int_equal(doc.record, 1);
		assert_int_equal(reader_next(r, &doc, NULL), 0);
		assert_int_equal(reader_rewind(r, NULL), 0);
	}
	size_t n;
	const struct input_file *files = reader_files(r, &n);
	assert_int_equal(n, 1);
	assert_int_equal(files[0].size, len);
	doc_clear(&doc);
	reader_free(r);
}

static void test_reader__long_first_line_gives_a_short_title(void **state)
{
	(void)state;
	char text[1200];
	size_t at = 0;
	while (at < 1000)
		at += (size_t)snprintf(text + at, sizeof text - at, "Fellow-Citizens é ");
	const char *path = puts_file("speech.txt", text);
	const char *inputs[] = { path };
	struct reader_opts opts = { .inputs = inputs, .n_inputs = 1 };
	struct reader *r;
	assert_int_equal(reader_open(&r, &opts, NULL), 0);
	struct doc doc = { 0 };
	assert_int_equal(reader_next(r, &doc, NULL), 1);
	size_t len = strlen(doc.title);
	assert_true(len <= 203 && len > 190);
	assert_string_equal(doc.title + len - 3, "\xE2\x80\xA6");
	assert_memory_equal(doc.title, text, len - 3);  /* a prefix, cut between characters */
	assert_int_equal(doc.text_len, strlen(text));    /* the text itself is whole */
	doc_clear(&doc);
	reader_free(r);
}

static void check_repair(const char *in, size_t len, const char *expect, size_t expect_bad)
{
	char *out;
	size_t out_len, bad;
	assert_int_equal(utf8_repair(in, len, &out, &out_len, &bad), 0);
	assert_string_equal(out, expect);
	assert_int_equal(out_len, strlen(expect));
	assert_int_equal(bad, expect_bad);
	free(out);
}

static void test_reader__utf8_repair(void **state)
{
	(void)state;
	check_repair("Київ’s café", strlen("Київ’s café"), "Київ’s café", 0);
	check_repair("a\xe2\x80", 3, "a\xef\xbf\xbd", 1);                /* truncated */
	check_repair("\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd", 2);      /* overlong */
	check_repair("\xed\xa0\x80x", 4, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx", 3);  /* surrogate */
	check_repair("\xff!", 2, "\xef\xbf\xbd!", 1);
	check_repair("a\0b", 3, "a\xef\xbf\xbd" "b", 1);
	check_repair("", 0, "", 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reader__folder_in_sorted_order_with_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__binary_files_are_listed_not_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_well_formed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_malformed_and_strict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_invalid_utf8_is_repaired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_quotes_bom_crlf_and_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_without_text_column_names_the_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_ragged_rows_and_open_quote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__empty_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__missing_path_and_empty_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__large_single_line_and_rewind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__long_first_line_gives_a_short_title, setup, teardown),
		cmocka_unit_test(test_reader__utf8_repair),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
