/* test_reader.c - every reader with well-formed and malformed input, the
 * manifest, binary files, UTF-8 repair.  Fixtures are written into a fresh
 * temporary folder by each test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <nettle/sha2.h>
#include <xxhash.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

#include "date.h"
#include "encoding.h"
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
	assert_non_null(strstr(out, "bad.jsonl' line 2: not valid JSON: '[' or '{' expected near 'this is not json'"));
}

/* A folder is listed by its entries' types where the file system gives
 * them: files and folders as they are, links followed (a link to a file, a
 * link to a folder), a broken link skipped with a warning; every file is
 * read whole, at its size when read. */
static void test_reader__folder_links_followed(void **state)
{
	(void)state;
	char big[100000];
	memset(big, 'w', sizeof big - 1);
	memcpy(big, "B\n", 2);
	big[sizeof big - 1] = '\0';
	puts_file("other/a.txt", "A\nalpha beta");
	puts_file("in/sub/b.txt", big);
	char target[300], link[300];
	snprintf(target, sizeof target, "%s/other/a.txt", tmpdir);
	snprintf(link, sizeof link, "%s/in/link.txt", tmpdir);
	assert_int_equal(symlink(target, link), 0);
	snprintf(target, sizeof target, "%s/other", tmpdir);
	snprintf(link, sizeof link, "%s/in/linkdir", tmpdir);
	assert_int_equal(symlink(target, link), 0);
	snprintf(link, sizeof link, "%s/in/broken.txt", tmpdir);
	assert_int_equal(symlink("/nonexistent/x", link), 0);
	char in[300];
	snprintf(in, sizeof in, "%s/in", tmpdir);
	const char *inputs[] = { in };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[2048];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 3);
	assert_string_equal(out, "link|-|A||A\nalpha beta\n"
				 "linkdir/a|-|A||A\nalpha beta\n"
				 "sub/b|-|B||B\nwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww\n");
	assert_non_null(strstr(w.text, "broken.txt': No such file or directory"));
}

/* What the JSON parser (cJSON) makes of the edges of JSON: numbers as ids
 * (whole numbers below 2^53; past it, the record number), an escaped lone
 * surrogate (refused), an astral escape pair, white space and more after
 * the object, a value cut short, an object nested too deep (1,000 levels
 * at most), a name given twice (the last value), \u0000 escaped, an
 * escaped backslash before u0000 and one before \u0000, and what the
 * messages quote of the line. */
static void test_reader__jsonl_parser_edges(void **state)
{
	(void)state;
	char deep[2400];
	size_t at = (size_t)snprintf(deep, sizeof deep, "{\"id\": \"deep\", \"text\": \"x\", \"n\": ");
	for (int i = 0; i < 1100; i++)
		deep[at++] = '[';
	for (int i = 0; i < 1100; i++)
		deep[at++] = ']';
	snprintf(deep + at, sizeof deep - at, "}\n");
	char text[8192];
	snprintf(text, sizeof text,
		 "{\"id\": 9007199254740991, \"text\": \"max\"}\n"
		 "{\"id\": -42, \"text\": \"negative\"}\n"
		 "{\"id\": 9007199254740993, \"text\": \"too big\"}\n"
		 "{\"id\": \"s\", \"text\": \"pair \\ud83d\\ude00\"}  \t\r\n"
		 "{\"id\": \"t\", \"text\": \"x\"} trailing\n"
		 "{\"id\": \"u\", \"text\": tru}\n"
		 "{\"id\": \"v\", \"text\": \"cut\n"
		 "%s"
		 "{\"id\": \"w\", \"text\": \"lone \\ud800\"}\n"
		 "{\"id\": \"x\", \"text\": \"first\", \"text\": \"last\"}\n"
		 "{\"id\": \"y\", \"text\": \"a\\u0000b \\\\u0000c \\\\\\u0000d\", \"title\": \"t\\u0000\"}\n",
		 deep);
	const char *path = puts_file("edges.jsonl", text);
	const char *inputs[] = { path };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[2048];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 11);
	assert_string_equal(out, "9007199254740991|-|-||max\n"
				 "-42|-|-||negative\n"
				 "3|-|-||too big\n"
				 "s|-|-||pair \xF0\x9F\x98\x80\n"
				 "5|-|-|M|\n"
				 "6|-|-|M|\n"
				 "7|-|-|M|\n"
				 "8|-|-|M|\n"
				 "9|-|-|M|\n"
				 "x|-|-||last\n"
				 "y|-|t\xEF\xBF\xBD|U|a\xEF\xBF\xBD" "b \\u0000c \\\xEF\xBF\xBD" "d\n");
	assert_non_null(strstr(w.text, "line 5: not valid JSON: unexpected text near 'trailing'"));
	assert_non_null(strstr(w.text, "line 6: not valid JSON: unexpected text near 'tru}'"));
	assert_non_null(strstr(w.text, "line 7: not valid JSON: unexpected text near 'cut'"));
	assert_non_null(strstr(w.text, "line 8: not valid JSON: unexpected text near '[[[["));
	assert_non_null(strstr(w.text, "line 9: not valid JSON: unexpected text near '\\ud800\"}'"));
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
	assert_int_equal(files[0].bytes, len);
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

/* Reads every document and leaves one line per document in out:
 * "id record:line:n_bytes source [problem]", for the bookkeeping fields. */
static int read_places(const char *const *inputs, size_t n, struct reader_opts *opts, char *out, size_t cap,
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
		at += (size_t)snprintf(out + at, cap - at, "%s %llu:%llu:%zu %s%s%s%s\n", doc.id,
				       (unsigned long long)doc.record, (unsigned long long)doc.line, doc.n_bytes,
				       doc.source ? doc.source : "-", doc.problem ? " [" : "",
				       doc.problem ? doc.problem : "", doc.problem ? "]" : "");
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

static void test_reader__single_txt_with_header_metadata(void **state)
{
	(void)state;
	const char *text = "Title: Talks in Washington\nAuthor: Pippa Crerar\nDate: 2025-02-26\n\nStarmer met Trump.\n";
	const char *path = puts_file("one/talks.txt", text);
	char given[256];
	snprintf(given, sizeof given, "%s", path);
	const char *inputs[] = { given };
	struct reader_opts opts = { .inputs = inputs, .n_inputs = 1 };
	struct td_diag diag = { 0 };
	struct reader *r;
	assert_int_equal(reader_open(&r, &opts, &diag), 0);
	struct doc doc = { 0 };
	assert_int_equal(reader_next(r, &doc, &diag), 1);
	assert_string_equal(doc.id, "talks");
	assert_string_equal(doc.file, given);
	assert_string_equal(doc.title, "Talks in Washington");
	assert_string_equal(doc.source, "Pippa Crerar");  /* no Source: line: the author */
	assert_true(doc.has_date);
	assert_int_equal(doc.date, date_from_ymd(2025, 2, 26));
	assert_non_null(strstr(doc.text, "Starmer met Trump."));
	assert_null(strstr(doc.text, "Author:"));
	assert_int_equal(doc.record, 1);
	assert_int_equal(doc.line, 0);
	assert_int_equal(doc.n_bytes, strlen(text));
	assert_false(doc.binary || doc.malformed);
	assert_int_equal(reader_next(r, &doc, &diag), 0);
	assert_int_equal(diag.n_warnings, 0);
	doc_clear(&doc);
	reader_free(r);
	td_diag_free(&diag);
}

static void test_reader__nested_ids_hidden_entries_and_file_list(void **state)
{
	(void)state;
	puts_file("c/2025/feb/a.txt", "Feb a.");
	puts_file("c/2025/feb/b.jsonl", "{\"id\": \"j1\", \"text\": \"one\"}\n{\"id\": \"j2\", \"text\": \"two\"}\n");
	puts_file("c/2025/jan/z.txt", "Jan z.");
	puts_file("c/2025.txt", "Top.");
	puts_file("c/t.csv", "id,text\nc1,first\n");
	puts_file("c/.git/config.txt", "hidden folder");
	puts_file("c/2025/.draft.txt", "hidden file");
	puts_file("c/2025/manifest.csv", "file,date\na.txt,2025-02-01\n");  /* not a document */
	char dir[128], out[2048];
	snprintf(dir, sizeof dir, "%s/c", tmpdir);
	const char *inputs[] = { dir };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 6);
	/* byte order of the paths: "2025.txt" < "2025/..." ('.' < '/') */
	assert_string_equal(out, "2025|-|Top.||Top.\n"
				 "2025/feb/a|-|Feb a.||Feb a.\n"
				 "j1|-|-||one\n"
				 "j2|-|-||two\n"
				 "2025/jan/z|-|Jan z.||Jan z.\n"
				 "c1|-|-||first\n");
	opts.inputs = inputs;
	opts.n_inputs = 1;
	struct reader *r;
	assert_int_equal(reader_open(&r, &opts, NULL), 0);
	size_t n;
	const struct input_file *files = reader_files(r, &n);
	assert_int_equal(n, 5);
	assert_non_null(strstr(files[0].path, "/c/2025.txt"));
	assert_int_equal(files[0].format, FORMAT_TXT);
	assert_non_null(strstr(files[2].path, "/c/2025/feb/b.jsonl"));
	assert_int_equal(files[2].format, FORMAT_JSONL);
	assert_non_null(strstr(files[4].path, "/c/t.csv"));
	assert_int_equal(files[4].format, FORMAT_CSV);
	reader_free(r);
}

static void test_reader__binary_signatures_and_late_nul(void **state)
{
	(void)state;
	put("b/a.jpg.txt", "\xff\xd8\xff\xe0 JFIF", 9);
	puts_file("b/b.gif", "GIF89a and then pixels");
	puts_file("b/c.pdf", "%PDF-1.7\n1 0 obj");
	put("b/d.zip", "PK\x03\x04 zipped", 11);
	put("b/e.gz", "\x1f\x8b\x08\x00", 4);
	/* a NUL after the first 8 KiB is not a sign of a binary file: repaired */
	char late[9000];
	memset(late, 'x', sizeof late);
	late[8500] = '\0';
	put("b/f.txt", late, sizeof late);
	char dir[128], out[4096];
	snprintf(dir, sizeof dir, "%s/b", tmpdir);
	const char *inputs[] = { dir };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	assert_int_equal(read_places(inputs, 1, &opts, out, sizeof out, &w), 6);
	assert_string_equal(out, "a.jpg 1:0:9 - [binary file]\n"
				 "b 2:0:22 - [binary file]\n"
				 "c 3:0:16 - [binary file]\n"
				 "d 4:0:11 - [binary file]\n"
				 "e 5:0:4 - [binary file]\n"
				 "f 6:0:9000 -\n");
	assert_non_null(strstr(w.text, "skipping binary file '"));
	assert_non_null(strstr(w.text, "/b/e.gz'\n"));
}

static void test_reader__jsonl_custom_fields_and_bad_date(void **state)
{
	(void)state;
	const char *path = puts_file("c.jsonl",
				     "{\"doc\": 7, \"body\": \"B1\", \"headline\": \"H1\", \"outlet\": \"Wire\", \"day\": \"Feb 26, 2025\"}\r\n"
				     "{\"doc\": \"s\", \"body\": \"B2\", \"day\": \"sometime\"}\n");
	const char *inputs[] = { path };
	struct reader_opts opts = { .id_field = "doc", .text_field = "body", .title_field = "headline",
				    .source_field = "outlet", .date_field = "day" };
	struct captured w = { 0 };
	char out[1024];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 2);
	assert_string_equal(out, "7|2025-02-26|H1||B1\ns|-|-||B2\n");
	assert_non_null(strstr(w.text, "c.jsonl' line 2: cannot parse the date 'sometime'; the document has no date"));
	assert_int_equal(read_places(inputs, 1, &opts, out, sizeof out, &w), 2);
	assert_string_equal(out, "7 1:1:85 Wire\ns 2:2:46 -\n");
}

static void test_reader__jsonl_blank_lines_keep_line_numbers(void **state)
{
	(void)state;
	const char *path = puts_file("l.jsonl", "\n{\"text\": \"a\"}\n   \n\n{\"text\": \"b\"}");
	const char *inputs[] = { path };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[512];
	assert_int_equal(read_places(inputs, 1, &opts, out, sizeof out, &w), 2);
	assert_string_equal(out, "1 1:2:14 -\n2 2:5:13 -\n");  /* the last line has no newline, and is whole */
	assert_int_equal(w.len, 0);
}

static void test_reader__csv_line_numbers_and_bytes(void **state)
{
	(void)state;
	const char *path = puts_file("lines.csv", "id,text\n\n1,a\n\n\n2,\"x\ny\"\n3,c");
	const char *inputs[] = { path };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[512];
	assert_int_equal(read_places(inputs, 1, &opts, out, sizeof out, &w), 3);
	assert_string_equal(out, "1 1:3:4 -\n2 2:6:8 -\n3 3:8:3 -\n");
	/* old Mac line ends (CR alone) count as lines too */
	path = puts_file("cr.csv", "id,text\r1,a\r2,\"x\ry\"\r3,c\r");
	inputs[0] = path;
	assert_int_equal(read_places(inputs, 1, &opts, out, sizeof out, &w), 3);
	assert_string_equal(out, "1 1:2:4 -\n2 2:3:8 -\n3 3:5:4 -\n");
	assert_int_equal(w.len, 0);
}

static void test_reader__csv_records_across_chunk_edges(void **state)
{
	(void)state;
	static const char *const eols[] = { "\r\n", "\r", "\n" };
	for (size_t e = 0; e < 3; e++) {
		const char *eol = eols[e];
		size_t eol_len = strlen(eol);
		size_t cap = 4u << 20, at = 0;
		char *data = malloc(cap);
		assert_non_null(data);
		at += (size_t)snprintf(data, cap, "id,text%s1,", eol);
		/* the first record's line end starts on the chunk's last byte */
		size_t n_filler = 65535 - at;
		memset(data + at, 'f', n_filler);
		at += n_filler;
		memcpy(data + at, eol, eol_len);
		at += eol_len;
		uint64_t line = 3;
		size_t n_records = 3000;
		for (size_t i = 2; i <= n_records; i++) {
			if (i % 3 == 0) {  /* a quoted field over two lines */
				at += (size_t)snprintf(data + at, cap - at, "%zu,\"first%ssecond %0*zu\"%s", i, eol,
						       (int)(i % 500), i, eol);
			} else {
				at += (size_t)snprintf(data + at, cap - at, "%zu,plain %0*zu%s", i, (int)(i % 700), i, eol);
			}
		}
		char name[32];
		snprintf(name, sizeof name, "chunks%zu.csv", e);
		const char *path = put(name, data, at);
		const char *inputs[] = { path };
		struct reader_opts opts = { .inputs = inputs, .n_inputs = 1 };
		struct td_diag diag = { 0 };
		struct reader *r;
		assert_int_equal(reader_open(&r, &opts, &diag), 0);
		struct doc doc = { 0 };
		size_t total = strlen("id,text") + eol_len;
		assert_int_equal(reader_next(r, &doc, &diag), 1);
		assert_string_equal(doc.id, "1");
		assert_int_equal(doc.line, 2);
		assert_int_equal(doc.text_len, n_filler);
		assert_int_equal(doc.n_bytes, 2 + n_filler + eol_len);
		total += doc.n_bytes;
		for (size_t i = 2; i <= n_records; i++) {
			assert_int_equal(reader_next(r, &doc, &diag), 1);
			char id[24];
			snprintf(id, sizeof id, "%zu", i);
			assert_string_equal(doc.id, id);
			assert_int_equal(doc.line, line);
			assert_false(doc.malformed);
			if (i % 3 == 0) {
				assert_memory_equal(doc.text, "first", 5);
				assert_memory_equal(doc.text + 5, eol, eol_len);
				line += 2;
			} else {
				assert_memory_equal(doc.text, "plain ", 6);
				line += 1;
			}
			total += doc.n_bytes;
		}
		assert_int_equal(reader_next(r, &doc, &diag), 0);
		assert_int_equal(total, at);  /* every byte belongs to the header or one record */
		assert_int_equal(diag.n_warnings, 0);
		doc_clear(&doc);
		reader_free(r);
		td_diag_free(&diag);
		free(data);
	}
}

static void test_reader__csv_strict_mode(void **state)
{
	(void)state;
	const char *path = puts_file("s.csv", "id,text\nA,good\n\"B\",\"multi\nline\"\nC,too,many\n");
	const char *inputs[] = { path };
	struct reader_opts opts = { .strict = true };
	struct captured w = { 0 };
	char out[1024];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), TD_EFORMAT);
	assert_non_null(strstr(out, "s.csv' line 5: 3 fields where the header has 2"));
	path = puts_file("q.csv", "id,text\nA,good\nB,\"open");
	inputs[0] = path;
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), TD_EFORMAT);
	assert_non_null(strstr(out, "q.csv' line 3: unbalanced quotes at the end of the file"));
}

static void test_reader__csv_bad_date_and_empty_id(void **state)
{
	(void)state;
	const char *path = puts_file("d.csv", "id,date,text,source\n,2025-13-01,x,Wire\nk,26 February 2025,y,\n");
	const char *inputs[] = { path };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[1024];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 2);
	assert_string_equal(out, "1|-|-||x\nk|2025-02-26|-||y\n");
	assert_non_null(strstr(w.text, "d.csv' line 2: cannot parse the date '2025-13-01'; the document has no date"));
}

static void test_reader__manifest_option_applies_by_doc_id(void **state)
{
	(void)state;
	const char *jsonl = puts_file("m/recs.jsonl", "{\"id\": \"r1\", \"text\": \"x\", \"date\": \"2025-02-20\"}\n"
						     "{\"id\": \"r2\", \"text\": \"y\"}\n");
	char jsonl_path[256];
	snprintf(jsonl_path, sizeof jsonl_path, "%s", jsonl);
	const char *txt = puts_file("m/note.txt", "A note.");
	char txt_path[256];
	snprintf(txt_path, sizeof txt_path, "%s", txt);
	const char *manifest = puts_file("elsewhere.csv", "\xef\xbb\xbftitle,file,date,source\n"
							  "Given,r1,2025-02-21,\n"
							  ",note.txt,2025-03-01,Desk\n"
							  ",r2,,Agency\n"
							  ",ghost,,\n");
	char manifest_path[256];
	snprintf(manifest_path, sizeof manifest_path, "%s", manifest);
	const char *inputs[] = { jsonl_path, txt_path };
	struct reader_opts opts = { .manifest = manifest_path };
	struct captured w = { 0 };
	char out[1024];
	assert_int_equal(read_all(inputs, 2, &opts, out, sizeof out, &w), 3);
	assert_string_equal(out, "r1|2025-02-21|Given||x\nr2|-|-||y\nnote|2025-03-01|A note.||A note.\n");
	assert_non_null(strstr(w.text, "recs.jsonl': date 2025-02-20 in the file, 2025-02-21 in the manifest; using the manifest"));
	assert_non_null(strstr(w.text, "elsewhere.csv' line 5: no document 'ghost' in the input"));
	assert_int_equal(read_places(inputs, 2, &opts, out, sizeof out, &w), 3);
	assert_string_equal(out, "r1 1:1:48 -\nr2 2:2:26 Agency\nnote 3:0:7 Desk\n");
}

static void test_reader__manifest_errors(void **state)
{
	(void)state;
	puts_file("f/a.txt", "A.");
	puts_file("f/manifest.csv", "name,date\na.txt,2025-02-18\n");
	char dir[128], out[512];
	snprintf(dir, sizeof dir, "%s/f", tmpdir);
	const char *inputs[] = { dir };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), TD_EFORMAT);
	assert_non_null(strstr(out, "f/manifest.csv': the manifest has no column 'file'"));
	opts.manifest = "/nonexistent/manifest.csv";
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), TD_ENOENT);
	assert_string_equal(out, "error -5: cannot open '/nonexistent/manifest.csv': No such file or directory");
}

static void test_reader__seeds_with_their_manifest(void **state)
{
	(void)state;
	const char *inputs[] = { "data/seeds" };
	struct reader_opts opts = { .manifest = "tests/data/reader/seeds_manifest.csv" };
	struct captured w = { 0 };
	char out[4096];
	assert_int_equal(read_places(inputs, 1, &opts, out, sizeof out, &w), 5);
	assert_non_null(strstr(out, "000_696f8e2b83ff48fd 1:0:"));
	assert_non_null(strstr(out, "004_3377007ccdf28ba1 5:0:"));
	assert_non_null(strstr(out, "The Guardian (Pippa Crerar)\n"));
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 5);
	const char *dates[] = { "2025-02-18", "2025-02-27", "2025-02-18", "2025-02-27", "2025-02-26" };
	const char *line = out;
	for (int i = 0; i < 5; i++) {
		const char *bar = strchr(line, '|');
		assert_non_null(bar);
		assert_memory_equal(bar + 1, dates[i], DATE_ISO_LEN);
		line = strchr(line, '\n') + 1;
	}
	assert_null(strstr(w.text, "in the manifest; using the manifest"));  /* the files agree with it */
	assert_null(strstr(w.text, "no document"));
}

/* One line per document of a whole pass, after `skip` documents were read
 * and the reader rewound (skip < 0: no rewind). */
static void one_pass(const char *dir, int skip, char *out, size_t cap)
{
	const char *inputs[] = { dir };
	struct reader_opts opts = { .inputs = inputs, .n_inputs = 1 };
	struct reader *r;
	struct td_diag diag = { 0 };
	assert_int_equal(reader_open(&r, &opts, &diag), 0);
	struct doc doc = { 0 };
	for (int i = 0; i < skip; i++)
		assert_int_equal(reader_next(r, &doc, &diag), 1);
	if (skip >= 0)
		assert_int_equal(reader_rewind(r, &diag), 0);
	size_t at = 0;
	int rc;
	out[0] = '\0';
	while ((rc = reader_next(r, &doc, &diag)) == 1)
		at += (size_t)snprintf(out + at, cap - at, "%s %llu:%llu:%zu %s %s\n", doc.id,
				       (unsigned long long)doc.record, (unsigned long long)doc.line, doc.n_bytes,
				       doc.malformed ? "M" : "-", doc.text);
	assert_int_equal(rc, 0);
	doc_clear(&doc);
	reader_free(r);
	td_diag_free(&diag);
}

static void test_reader__rewind_gives_the_same_sequence(void **state)
{
	(void)state;
	puts_file("rw/a.txt", "date 2025-02-18 Alpha\nbody\n");
	puts_file("rw/b.jsonl", "{\"id\": \"b1\", \"text\": \"one\"}\nnot json\n{\"id\": \"b3\", \"text\": \"three\"}\n");
	puts_file("rw/c.csv", "id,text\nc1,\"multi\nline\"\nc2,plain\nc3,\"open\n");
	puts_file("rw/manifest.csv", "file,title\na.txt,Manifest A\n");
	char dir[128], first[2048], again[2048];
	snprintf(dir, sizeof dir, "%s/rw", tmpdir);
	one_pass(dir, -1, first, sizeof first);
	assert_string_equal(first, "a 1:0:27 - Alpha\nbody\n\n"
				   "b1 2:1:28 - one\n"
				   "3 3:2:9 M \n"
				   "b3 4:3:30 - three\n"
				   "c1 5:2:16 - multi\nline\n"
				   "c2 6:4:9 - plain\n"
				   "c3 7:5:9 M \n");
	for (int skip = 0; skip <= 7; skip++) {  /* rewound in the middle of every kind of file, and at the end */
		one_pass(dir, skip, again, sizeof again);
		assert_string_equal(again, first);
	}
}

static void test_reader__format_option(void **state)
{
	(void)state;
	const char *path = puts_file("records.txt", "{\"id\": \"j\", \"text\": \"json in a .txt\"}\n");
	const char *inputs[] = { path };
	struct reader_opts opts = { .format = FORMAT_JSONL };
	struct captured w = { 0 };
	char out[512];
	assert_int_equal(read_all(inputs, 1, &opts, out, sizeof out, &w), 1);
	assert_string_equal(out, "j|-|-||json in a .txt\n");
	enum input_format format;
	assert_int_equal(reader_format_parse("csv", &format), 0);
	assert_int_equal(format, FORMAT_CSV);
	assert_int_equal(reader_format_parse("auto", &format), 0);
	assert_int_equal(format, FORMAT_AUTO);
	assert_int_equal(reader_format_parse("xml", &format), TD_EINVAL);
	assert_string_equal(reader_format_name(FORMAT_JSONL), "jsonl");
	assert_string_equal(reader_format_name(FORMAT_TXT), "txt");
}

static void test_reader__missing_path_among_inputs(void **state)
{
	(void)state;
	const char *path = puts_file("here.txt", "Here.");
	char here[256];
	snprintf(here, sizeof here, "%s", path);
	const char *inputs[] = { here, "no/such/file.jsonl" };
	struct reader_opts opts = { 0 };
	struct captured w = { 0 };
	char out[512];
	assert_int_equal(read_all(inputs, 2, &opts, out, sizeof out, &w), TD_ENOENT);
	assert_string_equal(out, "error -5: cannot open 'no/such/file.jsonl': No such file or directory");
}

static void test_reader__doc_clear_and_status_names(void **state)
{
	(void)state;
	struct doc doc = { 0 };
	doc_clear(&doc);  /* safe on a zeroed doc */
	doc.id = strdup("x");
	doc.text = strdup("t");
	doc.problem = strdup("p");
	doc.record = 3;
	doc_clear(&doc);
	assert_null(doc.id);
	assert_null(doc.text);
	assert_int_equal(doc.record, 0);
	assert_string_equal(doc_status_name(DOC_OK), "ok");
	assert_string_equal(doc_status_name(DOC_BINARY), "binary");
	assert_string_equal(doc_status_name(DOC_MALFORMED), "malformed");
	assert_string_equal(doc_status_name(DOC_EMPTY), "empty");
	assert_string_equal(doc_status_name(DOC_DUPLICATE), "duplicate");
	assert_string_equal(doc_status_name(DOC_NO_DATE), "no_date");
	assert_string_equal(doc_status_name(DOC_DATE_SUSPECT), "date_suspect");
	assert_string_equal(doc_status_name(DOC_INVALID_UTF8_REPAIRED), "invalid_utf8_repaired");
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
	check_repair("\xf0\x9f\x98\x80!", 5, "\xf0\x9f\x98\x80!", 0);         /* 4 bytes, valid */
	check_repair("\xf0\x9f\x98", 3, "\xef\xbf\xbd", 1);                   /* truncated at the end */
	check_repair("\xf0\x9f\x98x", 4, "\xef\xbf\xbdx", 1);                 /* cut short by ASCII */
	check_repair("\xe0\x80\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 3);  /* overlong, 3 bytes */
	check_repair("\xf4\x90\x80\x80", 4,
		     "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 4);  /* above U+10FFFF */
	check_repair("\x80\xbf", 2, "\xef\xbf\xbd\xef\xbf\xbd", 2);           /* lone continuations */
	check_repair("\xc3(", 2, "\xef\xbf\xbd(", 1);
	check_repair("\xef\xbf\xbd", 3, "\xef\xbf\xbd", 0);                   /* U+FFFD itself is valid */
	/* all invalid: the output is three times the input, grown as it goes */
	char bad[1000], expect[3001];
	memset(bad, 0xFF, sizeof bad);
	for (size_t i = 0; i < sizeof bad; i++)
		memcpy(expect + 3 * i, "\xef\xbf\xbd", 3);
	expect[3000] = '\0';
	check_repair(bad, sizeof bad, expect, 1000);
	/* an input that is not NUL-terminated is read only to len */
	check_repair("abc\xff", 2, "ab", 0);
}

/* ---- utf8_repair against the byte-at-a-time repair it replaced ---------- */

/* The repair as it was written before the valid runs were found 16 bytes at
 * a time (encoding_utf8_clean_prefix): ASCII a byte at a time, everything
 * else through utf8proc_iterate, one U+FFFD per maximal subpart (Unicode's
 * Table 3-8) and per NUL.  The subparts are worked out independently here,
 * with the ranges of Table 3-7. */
static size_t reference_subpart(const unsigned char *p, size_t len)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xBF;
	size_t need;
	if (c >= 0xC2 && c <= 0xDF)
		need = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
	else
		return 1;
	if (len < 2 || p[1] < lo || p[1] > hi)
		return 1;
	size_t k = 2;
	while (k < need && k < len && p[k] >= 0x80 && p[k] <= 0xBF)
		k++;
	return k;
}

static char *reference_repair(const unsigned char *p, size_t len, size_t *out_len, size_t *n_bad)
{
	char *out = malloc(3 * len + 1);
	assert_non_null(out);
	size_t at = 0, i = 0;
	*n_bad = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n > 0 && cp != 0) {
			memcpy(out + at, p + i, (size_t)n);
			at += (size_t)n;
			i += (size_t)n;
		} else {
			memcpy(out + at, "\xEF\xBF\xBD", 3);
			at += 3;
			(*n_bad)++;
			i += n > 0 ? (size_t)n : reference_subpart(p + i, len - i);
		}
	}
	out[at] = '\0';
	*out_len = at;
	return out;
}

/* utf8_repair of an exact-size copy equals reference_repair. */
static void check_against_reference(const unsigned char *bytes, size_t len)
{
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	if (len)
		memcpy(copy, bytes, len);
	char *out, *expect;
	size_t out_len, bad, expect_len, expect_bad;
	assert_int_equal(utf8_repair(copy, len, &out, &out_len, &bad), 0);
	expect = reference_repair(bytes, len, &expect_len, &expect_bad);
	assert_int_equal(out_len, expect_len);
	assert_memory_equal(out, expect, expect_len + 1);
	assert_int_equal(bad, expect_bad);
	/* the reader keeps bytes as they are exactly when the repair would */
	assert_int_equal(encoding_utf8_clean_prefix(copy, len) == len, bad == 0 && out_len == len);
	free(out);
	free(expect);
	free(copy);
}

/* A fixed-seed generator (xorshift64*): a failure repeats. */
static uint64_t rng_state = 0x2545F4914F6CDD1Du;
static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Du) >> 32);
}

/* Byte sequences that end a run of ASCII: valid characters at the edges of
 * their ranges, invalid and cut-short sequences, NUL. */
static const struct {
	const char *bytes;
	size_t len;
} repair_pieces[] = {
#define PIECE(s) { s, sizeof s - 1 }
	PIECE("\xC2\x80"), PIECE("\xC3\xA9"), PIECE("\xDF\xBF"), PIECE("\xE0\xA0\x80"), PIECE("\xE2\x80\x99"),
	PIECE("\xED\x9F\xBF"), PIECE("\xEF\xBF\xBD"), PIECE("\xF0\x90\x80\x80"), PIECE("\xF4\x8F\xBF\xBF"),
	PIECE("\xC0\xAF"), PIECE("\xC1\x81"), PIECE("\xE0\x80\x80"), PIECE("\xE0\x9F\xBF"), PIECE("\xED\xA0\x80"),
	PIECE("\xF0\x80\x80\x80"), PIECE("\xF0\x8F\xBF\xBF"), PIECE("\xF4\x90\x80\x80"), PIECE("\xF5\x80\x80\x80"),
	PIECE("\xFF"), PIECE("\xFE\xFF"), PIECE("\x80"), PIECE("\xBF\xBF"), PIECE("\xC3"), PIECE("\xE2\x80"),
	PIECE("\xF0\x9F\x98"), PIECE("\xF0\x9F"), PIECE("\xC3("), PIECE("\xE2(\x99"), PIECE("\xF0\x9F(\x80"),
	PIECE("\0"), PIECE("\0\0"), PIECE("\xE2\x80\xF0\x9F\x98\x80"),
#undef PIECE
};
#define N_PIECES (sizeof repair_pieces / sizeof repair_pieces[0])

/* Every piece at every offset of a 16-byte block (after 0 to 40 ASCII
 * bytes), the input ending 0 to 20 bytes after it; then random strings. */
static void test_reader__utf8_repair_matches_the_byte_at_a_time_repair(void **state)
{
	(void)state;
	unsigned char buf[1024];
	for (size_t k = 0; k < N_PIECES; k++)
		for (size_t before = 0; before <= 40; before++)
			for (size_t after = 0; after <= 20; after++) {
				memset(buf, 'a', before);
				memcpy(buf + before, repair_pieces[k].bytes, repair_pieces[k].len);
				memset(buf + before + repair_pieces[k].len, 'z', after);
				size_t len = before + repair_pieces[k].len + after;
				check_against_reference(buf, len);
				size_t k2 = (k + before + after) % N_PIECES;  /* a second one */
				memcpy(buf + len, repair_pieces[k2].bytes, repair_pieces[k2].len);
				check_against_reference(buf, len + repair_pieces[k2].len);
			}
	for (int round = 0; round < 20000; round++) {
		size_t len = 0, want = rng() % 900;
		unsigned ascii = rng() % 8;  /* how much of it is ASCII runs */
		while (len < want) {
			unsigned pick = rng() % 8;
			if (pick < ascii) {
				size_t run = 1 + rng() % 48;
				for (size_t i = 0; i < run; i++)
					buf[len++] = (unsigned char)(1 + rng() % 127);
			} else if (pick == 7) {
				buf[len++] = (unsigned char)rng();  /* anything, NUL included */
			} else {
				size_t k = rng() % N_PIECES;
				memcpy(buf + len, repair_pieces[k].bytes, repair_pieces[k].len);
				len += repair_pieces[k].len;
			}
		}
		check_against_reference(buf, len);
	}
	/* all invalid, and long: the output grows to three times the input */
	memset(buf, 0x80, sizeof buf);
	check_against_reference(buf, sizeof buf);
	memset(buf, 0, sizeof buf);
	check_against_reference(buf, sizeof buf);
}

/* Reads every document of one input; out gets "id|encoding|invalid|title|text"
 * per document. */
static int read_encodings(const char *path, struct reader_opts *opts, char *out, size_t cap)
{
	struct td_diag diag = { 0 };
	const char *inputs[] = { path };
	opts->inputs = inputs;
	opts->n_inputs = 1;
	struct reader *r;
	assert_int_equal(reader_open(&r, opts, &diag), 0);
	struct doc doc = { 0 };
	int rc, count = 0;
	size_t at = 0;
	out[0] = '\0';
	while ((rc = reader_next(r, &doc, &diag)) == 1) {
		at += (size_t)snprintf(out + at, cap - at, "%s|%s|%zu|%s|%s\n", doc.id, encoding_name(doc.encoding),
				       doc.invalid_utf8, doc.title ? doc.title : "-", doc.text);
		count++;
	}
	assert_int_equal(rc, 0);
	doc_clear(&doc);
	reader_free(r);
	td_diag_free(&diag);
	return count;
}

static void test_reader__utf16_files_are_decoded(void **state)
{
	(void)state;
	struct reader_opts opts = { 0 };
	char out[1024];
	/* .txt, little-endian: "Title: Caf\u00e9\nU+1F600" with a byte order mark */
	const char le[] = "\xFF\xFET\0i\0t\0l\0e\0:\0 \0C\0a\0f\0\xE9\0\n\0\x3D\xD8\x00\xDE";
	assert_int_equal(read_encodings(put("le.txt", le, sizeof le - 1), &opts, out, sizeof out), 1);
	assert_string_equal(out, "le|utf-16le|0|Caf\xC3\xA9|\xF0\x9F\x98\x80\n");
	/* CSV, big-endian, a lone low surrogate in the text: one repair */
	const char csv_be[] = "\xFE\xFF\0i\0d\0,\0t\0e\0x\0t\0\n\0a\0,\0x\xDC\x00\0y\0\n";
	assert_int_equal(read_encodings(put("be.csv", csv_be, sizeof csv_be - 1), &opts, out, sizeof out), 1);
	assert_string_equal(out, "a|utf-16be|1|-|x\xEF\xBF\xBDy\n");
	/* JSON Lines, little-endian, two records */
	const char jl[] = "\xFF\xFE{\0\"\0t\0e\0x\0t\0\"\0:\0\"\0\xE9\0\"\0}\0\n\0"
			  "{\0\"\0t\0e\0x\0t\0\"\0:\0\"\0z\0\"\0}\0\n\0";
	assert_int_equal(read_encodings(put("le.jsonl", jl, sizeof jl - 1), &opts, out, sizeof out), 2);
	assert_string_equal(out, "1|utf-16le|0|-|\xC3\xA9\n2|utf-16le|0|-|z\n");
}

static void test_reader__cp1252_fallback_and_strip_html(void **state)
{
	(void)state;
	char out[1024];
	char txt[256], csv[256], jl[256];  /* put's path is static: copies */
	snprintf(txt, sizeof txt, "%s", puts_file("w.txt", "\x93Hi\x94 \x80 \x81\n<p>caf&eacute;</p>\n"));
	snprintf(csv, sizeof csv, "%s",
		 puts_file("w.csv", "id,title,text\nk,Cr\xe8me,ok\nv,Cr\xc3\xa8me,\xc3\xa9t\xc3\xa9\n"));
	snprintf(jl, sizeof jl, "%s", puts_file("w.jsonl", "{\"id\":\"j\",\"text\":\"<b>D\xe9j\xe0</b> &amp; vu\"}\n"));
	struct reader_opts plain = { 0 };
	assert_int_equal(read_encodings(txt, &plain, out, sizeof out), 1);
	assert_string_equal(out, "w|utf-8-repaired|4|\xEF\xBF\xBDHi\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD|"
				 "\xEF\xBF\xBDHi\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD\n<p>caf&eacute;</p>\n\n");
	struct reader_opts fallback = { .fallback = ENC_CP1252, .strip_html = true };
	assert_int_equal(read_encodings(txt, &fallback, out, sizeof out), 1);
	assert_string_equal(out, "w|cp1252|1|\xE2\x80\x9CHi\xE2\x80\x9D \xE2\x82\xAC \xEF\xBF\xBD|"
				 "\xE2\x80\x9CHi\xE2\x80\x9D \xE2\x82\xAC \xEF\xBF\xBD\ncaf\xC3\xA9\n\n\n");
	/* a record is decoded as a whole: valid UTF-8 records stay UTF-8 */
	assert_int_equal(read_encodings(csv, &fallback, out, sizeof out), 2);
	assert_string_equal(out, "k|cp1252|0|Cr\xC3\xA8me|ok\nv|utf-8|0|Cr\xC3\xA8me|\xC3\xA9t\xC3\xA9\n");
	assert_int_equal(read_encodings(jl, &fallback, out, sizeof out), 1);
	assert_string_equal(out, "j|cp1252|0|-|D\xC3\xA9j\xC3\xA0 & vu\n");
	assert_int_equal(read_encodings(jl, &plain, out, sizeof out), 1);
	assert_string_equal(out, "j|utf-8-repaired|2|-|<b>D\xEF\xBF\xBDj\xEF\xBF\xBD</b> &amp; vu\n");
}

/* ---- JSON Lines records parsed later (reader_next_unparsed, reader_parse) -- */

#define PASS_DOCS 32

/* Appends one line with every field the reader sets in doc. */
static size_t describe_doc(const struct doc *doc, char *out, size_t cap)
{
	char date[DATE_ISO_LEN + 1] = "-";
	if (doc->has_date)
		date_format(doc->date, date);
	return (size_t)snprintf(out, cap, "D: %s %s#%zu %llu:%llu:%zu %s src=%s title=%s enc=%s bad=%zu tags=%zu %s%s%s "
				"[%zu] %s\n", doc->id, doc->file, doc->file_index, (unsigned long long)doc->record,
				(unsigned long long)doc->line, doc->n_bytes, date, doc->source ? doc->source : "-",
				doc->title ? doc->title : "-", encoding_name(doc->encoding), doc->invalid_utf8,
				doc->html_tags, doc->binary ? "B" : "", doc->malformed ? "M" : "",
				doc->problem ? doc->problem : "", doc->text_len, doc->text);
}

/* One pass over opts->inputs, one line per warning and per document, in
 * input order, then the warnings of the end of the pass, or the error that
 * ended it ("E: ...").  With `unparsed`, the documents come from
 * reader_next_unparsed and are parsed once all are read, the last first (as
 * workers may take them), each with a diag of its own; the pass then ends at
 * the first document, in input order, whose reader_parse failed, if any. */
static void read_pass(const struct reader_opts *opts, bool unparsed, char *out, size_t cap)
{
	static struct doc docs[PASS_DOCS];
	static struct captured notes[PASS_DOCS];
	static struct td_diag diags[PASS_DOCS];
	memset(notes, 0, sizeof notes);
	for (size_t i = 0; i < PASS_DOCS; i++)
		diags[i] = (struct td_diag){ .warn = capture, .ctx = &notes[i] };
	struct reader *r;
	assert_int_equal(reader_open(&r, opts, &diags[0]), 0);
	size_t n = 0;
	int rc;
	while ((rc = unparsed ? reader_next_unparsed(r, &docs[n], &diags[n]) : reader_next(r, &docs[n], &diags[n])) == 1)
		assert_true(++n < PASS_DOCS);
	size_t stop = n;  /* the documents before the first error */
	int parsed[PASS_DOCS];
	for (size_t i = n; i-- > 0;) {
		parsed[i] = reader_parse(r, &docs[i], &diags[i]);
		assert_false(docs[i].json_pending);
	}
	for (size_t i = 0; i < n && stop == n; i++)
		if (parsed[i] < 0) {
			stop = i;
			rc = parsed[i];
		}
	if (rc == 0 && unparsed)
		reader_end_pass(r, &diags[n]);
	size_t at = 0;
	out[0] = '\0';
	for (size_t i = 0; i < stop; i++) {
		at += (size_t)snprintf(out + at, cap - at, "%s", notes[i].text);
		at += describe_doc(&docs[i], out + at, cap - at);
	}
	at += (size_t)snprintf(out + at, cap - at, "%s", notes[stop].text);
	if (rc < 0)
		snprintf(out + at, cap - at, "E: %d %s\n", rc, diags[stop].error);
	for (size_t i = 0; i < PASS_DOCS; i++) {
		doc_clear(&docs[i]);
		td_diag_free(&diags[i]);
	}
	reader_free(r);
}

static void test_reader__jsonl_parsed_later_is_read_the_same(void **state)
{
	(void)state;
	puts_file("later/a.jsonl",
		  "{\"id\": \"a1\", \"date\": \"2025-02-20\", \"title\": \"<i>One</i>\", \"text\": \"First <b>text</b>.\"}\n"
		  "\n"
		  "this is not json\n"
		  "[1, 2]\n"
		  "{\"id\": \"a5\", \"body\": \"no text\"}\r\n"
		  "{\"id\": 6, \"text\": 6}\n"
		  "{\"id\": \"a7\", \"date\": \"2025-02-30\", \"text\": \"bad date, bad bytes \xff\xfe here\"}\n"
		  "{\"id\": \"a8\", \"text\": \"a NUL \\u0000 escape\", \"source\": \"Wire\"}\n"
		  "{\"text\": \"no id: the record number\"}\n");
	put("later/b.jsonl", "\xff\xfe{\0\"\0i\0d\0\"\0:\0\"\0u\0\"\0,\0\"\0t\0e\0x\0t\0\"\0:\0\"\0\xe9\0\"\0}\0\n\0", 46);
	puts_file("later/c.csv", "id,date,text\nc1,2025-03-01,from a CSV\nc2,2025-03-02,too,many\n");
	puts_file("later/d.txt", "date 2025-03-05 A text file\nBody.\n");
	puts_file("later/manifest.csv", "file,date,source,title\n"
					"a1,2025-02-21,Desk,\n"       /* differs from the record's date */
					"6,,Agency,Manifest title\n"  /* a malformed record takes no row */
					"a8,2025-01-01,,\n"
					"d.txt,2025-03-05,,\n"
					"ghost,2025-01-01,,\n");
	char dir[128];
	snprintf(dir, sizeof dir, "%s/later", tmpdir);
	const char *inputs[] = { dir };
	static char now[16384], later[16384];
	struct reader_opts variants[] = {
		{ .inputs = inputs, .n_inputs = 1 },
		{ .inputs = inputs, .n_inputs = 1, .fallback = ENC_CP1252, .strip_html = true },
		{ .inputs = inputs, .n_inputs = 1, .strict = true },
	};
	for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
		read_pass(&variants[v], false, now, sizeof now);
		read_pass(&variants[v], true, later, sizeof later);
		assert_string_equal(later, now);
	}
	/* what the fixture covers */
	read_pass(&variants[0], true, later, sizeof later);
	assert_non_null(strstr(later, "D: a1 "));
	assert_non_null(strstr(later, "a.jsonl' line 3: not valid JSON"));
	assert_non_null(strstr(later, "a.jsonl' line 5: no field 'text'; record listed as malformed"));
	assert_non_null(strstr(later, "a.jsonl': date 2025-02-20 in the file, 2025-02-21 in the manifest"));
	assert_non_null(strstr(later, "a.jsonl' line 7: cannot parse the date '2025-02-30'"));
	assert_non_null(strstr(later, "D: u "));  /* the UTF-16 file */
	assert_non_null(strstr(later, "c.csv' line 3: 4 fields where the header has 3; record listed as malformed"));
	assert_non_null(strstr(later, "no document 'ghost' in the input\n"));
	assert_null(strstr(later, "E: "));
	read_pass(&variants[2], true, later, sizeof later);
	assert_non_null(strstr(later, "E: -4 '"));
	assert_non_null(strstr(later, "a.jsonl' line 3: not valid JSON: '[' or '{' expected near 'this is not json'\n"));
}

/* ---- each input file's size and checksum, taken as it is read ---------- */

/* Asserts that f was hashed and that its size and checksum are those of the
 * len bytes at data, as xxHash (XXH128, in one call rather than streamed) or
 * nettle (SHA-256) computes them. */
static void assert_hash_of(const struct input_file *f, enum checksum_kind kind, const void *data, size_t len)
{
	unsigned char digest[SHA256_DIGEST_SIZE];
	size_t n_digest = SHA256_DIGEST_SIZE;
	if (kind == CHECKSUM_SHA256) {
		struct sha256_ctx ctx;
		sha256_init(&ctx);
		sha256_update(&ctx, len, data);
		sha256_digest(&ctx, sizeof digest, digest);
	} else {
		XXH128_canonical_t canon;
		XXH128_canonicalFromHash(&canon, XXH3_128bits(data, len));
		memcpy(digest, canon.digest, sizeof canon.digest);
		n_digest = sizeof canon.digest;
	}
	char hex[2 * SHA256_DIGEST_SIZE + 1];
	for (size_t i = 0; i < n_digest; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	if (!f->hashed)
		fail_msg("'%s' was not hashed", f->path);
	assert_int_equal(f->bytes, len);
	assert_string_equal(f->checksum, hex);
}

/* Reads documents until the end (max < 0) or max of them; returns how many. */
static int read_docs(struct reader *r, int max)
{
	struct doc doc = { 0 };
	int n = 0;
	while ((max < 0 || n < max) && reader_next(r, &doc, NULL) == 1)
		n++;
	doc_clear(&doc);
	return n;
}

/* A buffer of n bytes: lines of text cycling through ASCII and UTF-8. */
static char *make_lines(size_t n, const char *prefix, const char *suffix)
{
	char *buf = malloc(n + 1);
	assert_non_null(buf);
	size_t at = 0;
	for (unsigned i = 0; at < n; i++)
		at += (size_t)snprintf(buf + at, n + 1 - at, "%s%u caf\xC3\xA9 word word%s", prefix, i, suffix);
	return buf;
}

/* ASCII text as UTF-16 (little- or big-endian) after a byte order mark;
 * returns the number of bytes. */
static size_t to_utf16(const char *ascii, bool big_endian, char *out)
{
	size_t n = 0;
	out[n++] = big_endian ? '\xFE' : '\xFF';
	out[n++] = big_endian ? '\xFF' : '\xFE';
	for (const char *p = ascii; *p; p++) {
		out[n++] = big_endian ? '\0' : *p;
		out[n++] = big_endian ? *p : '\0';
	}
	return n;
}

/* A .txt file that needs no decoding becomes the document's text as it was
 * read (no copy); any other takes the decoding path.  Both give what the
 * repair gives. */
static void test_reader__txt_kept_as_read_or_decoded(void **state)
{
	(void)state;
	struct reader_opts opts = { 0 };
	char out[1024];
	static const struct {
		const char *name, *bytes, *expect;
	} cases[] = {
		{ "plain.txt", "First line\nCaf\xC3\xA9 \xF0\x9F\x98\x80.\n",
		  "plain|utf-8|0|First line|First line\nCaf\xC3\xA9 \xF0\x9F\x98\x80.\n\n" },
		{ "bom.txt", "\xEF\xBB\xBF" "Caf\xC3\xA9\r\nBody\rEnd",
		  "bom|utf-8|0|Caf\xC3\xA9|Caf\xC3\xA9\nBody\nEnd\n" },
		{ "head.txt", "Title: T\nAuthor: A\nDate: 2025-02-26\n\nBody\r\n",
		  "head|utf-8|0|T|\nBody\n\n" },
		{ "bad.txt", "Caf\xE9 \xED\xA0\x80 ok\n",
		  "bad|utf-8-repaired|4|Caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD ok|"
		  "Caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD ok\n\n" },
		{ "bombad.txt", "\xEF\xBB\xBF\xC3(\n", "bombad|utf-8-repaired|1|\xEF\xBF\xBD(|\xEF\xBF\xBD(\n\n" },
		{ "empty.txt", "", "empty|utf-8|0|-|\n" },
		{ "onlybom.txt", "\xEF\xBB\xBF", "onlybom|utf-8|0|-|\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *path = put(cases[i].name, cases[i].bytes, strlen(cases[i].bytes));
		char copy[256];
		snprintf(copy, sizeof copy, "%s", path);
		assert_int_equal(read_encodings(copy, &opts, out, sizeof out), 1);
		assert_string_equal(out, cases[i].expect);
	}
}

/* A CSV text field that needs no decoding becomes the text as it is; one
 * that is also the title, source, date or id column is read for each. */
static void test_reader__csv_text_column_kept_or_shared(void **state)
{
	(void)state;
	char out[1024], path[256];
	snprintf(path, sizeof path, "%s",
		 puts_file("t.csv", "id,text,day\nk,\"Caf\xC3\xA9, \"\"ok\"\"\",2025-02-26\nb,x\xFFy,2025-02-27\n"));
	static const struct {
		const char *title, *source, *date, *id, *expect;
	} cases[] = {
		{ NULL, NULL, NULL, NULL,
		  "k|utf-8|0|-|Caf\xC3\xA9, \"ok\"\nb|utf-8-repaired|1|-|x\xEF\xBF\xBDy\n" },
		{ "text", NULL, NULL, NULL,
		  "k|utf-8|0|Caf\xC3\xA9, \"ok\"|Caf\xC3\xA9, \"ok\"\n"
		  "b|utf-8-repaired|2|x\xEF\xBF\xBDy|x\xEF\xBF\xBDy\n" },
		{ NULL, "text", "text", "text",
		  "Caf\xC3\xA9, \"ok\"|utf-8|0|-|Caf\xC3\xA9, \"ok\"\n"
		  "x\xEF\xBF\xBDy|utf-8-repaired|4|-|x\xEF\xBF\xBDy\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct reader_opts opts = { .title_field = cases[i].title, .source_field = cases[i].source,
					    .date_field = cases[i].date, .id_field = cases[i].id };
		assert_int_equal(read_encodings(path, &opts, out, sizeof out), 2);
		assert_string_equal(out, cases[i].expect);
	}
}

/* A .txt file is read whole even when it grew or shrank after the inputs
 * were listed (its buffer is sized from the listed size). */
static void test_reader__txt_changed_after_listing_is_read_whole(void **state)
{
	(void)state;
	size_t sizes[] = { 10, 65536, 65537, 300000, 0, 5 };
	for (size_t k = 0; k + 1 < sizeof sizes / sizeof sizes[0]; k++) {
		char *before = make_lines(sizes[k], "b", "\n");
		char *after = make_lines(sizes[k + 1], "a", "\n");
		const char *path = put("grow.txt", before, sizes[k]);
		const char *inputs[] = { path };
		struct reader_opts opts = { .inputs = inputs, .n_inputs = 1 };
		struct reader *r;
		assert_int_equal(reader_open(&r, &opts, NULL), 0);
		put("grow.txt", after, sizes[k + 1]);
		struct doc doc = { 0 };
		assert_int_equal(reader_next(r, &doc, NULL), 1);
		assert_int_equal(doc.n_bytes, sizes[k + 1]);
		assert_int_equal(doc.text_len, sizes[k + 1]);
		assert_memory_equal(doc.text, after, sizes[k + 1]);
		assert_int_equal(doc.text[doc.text_len], '\0');
		size_t n;
		const struct input_file *files = reader_files(r, &n);
		assert_hash_of(&files[0], CHECKSUM_XXH128, after, sizes[k + 1]);
		doc_clear(&doc);
		reader_free(r);
		free(before);
		free(after);
	}
}

/* A JSONL text is cJSON's string itself, held by the document (a \u0000
 * escape in it read as U+FFFD, and counted as invalid); a text stripped of
 * HTML is a copy of its own. */
static void test_reader__jsonl_text_owned_by_the_document(void **state)
{
	(void)state;
	const char *path = puts_file("own.jsonl", "{\"id\": \"a\", \"text\": \"Caf\\u00e9 \\\"q\\\" <b>x</b>\"}\n"
						  "{\"id\": \"b\", \"text\": \"nul\\u0000here\"}\n"
						  "{\"id\": \"c\", \"text\": \"\xC3(bad\"}\n");
	const char *inputs[] = { path };
	for (int strip = 0; strip < 2; strip++) {
		struct reader_opts opts = { .inputs = inputs, .n_inputs = 1, .strip_html = strip };
		struct reader *r;
		assert_int_equal(reader_open(&r, &opts, NULL), 0);
		struct doc doc = { 0 };
		assert_int_equal(reader_next(r, &doc, NULL), 1);
		assert_string_equal(doc.text, strip ? "Caf\xC3\xA9 \"q\" x" : "Caf\xC3\xA9 \"q\" <b>x</b>");
		assert_int_equal(doc.text_len, strlen(doc.text));
		assert_true(strip ? doc.text_owner == NULL : doc.text_owner != NULL);
		assert_int_equal(doc.encoding, ENC_UTF8);
		assert_int_equal(reader_next(r, &doc, NULL), 1);  /* clears the first */
		assert_true(strip ? doc.text_owner == NULL : doc.text_owner != NULL);
		assert_memory_equal(doc.text, "nul\xEF\xBF\xBDhere", doc.text_len + 1);
		assert_int_equal(doc.invalid_utf8, 1);
		assert_int_equal(reader_next(r, &doc, NULL), 1);  /* repaired before parsing */
		assert_string_equal(doc.text, "\xEF\xBF\xBD(bad");
		assert_true(strip ? doc.text_owner == NULL : doc.text_owner != NULL);
		assert_int_equal(doc.encoding, ENC_UTF8_REPAIRED);
		assert_int_equal(doc.invalid_utf8, 1);
		doc_clear(&doc);
		assert_null(doc.text);
		assert_null(doc.text_owner);
		reader_free(r);
	}
}

static void test_reader__folder_files_are_hashed_as_read(void **state)
{
	(void)state;
	static const char a[] = "date 2025-02-18 First\nBody of a.\n";
	static const char bom[] = "\xEF\xBB\xBFSecond\nBody\r\n";
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR rest of a binary file";
	static const char empty[] = "";
	char le[64];
	size_t le_len = to_utf16("Title\n\nUTF-16 body.\n", false, le);
	size_t big_len = 3 * 65536 + 17;
	char *big = make_lines(big_len, "", "\n");
	put("hf/a.txt", a, sizeof a - 1);
	put("hf/sub/b.txt", bom, sizeof bom - 1);
	put("hf/c.png.txt", png, sizeof png - 1);
	put("hf/d.txt", le, le_len);
	put("hf/e.txt", empty, 0);
	put("hf/f.txt", big, big_len);
	puts_file("hf/manifest.csv", "file,title\na.txt,A\n");
	char dir[128];
	snprintf(dir, sizeof dir, "%s/hf", tmpdir);
	const char *inputs[] = { dir };
	for (enum checksum_kind kind = CHECKSUM_XXH128; kind <= CHECKSUM_SHA256; kind++) {
		struct reader_opts opts = { .inputs = inputs, .n_inputs = 1, .checksum = kind };
		struct reader *r;
		assert_int_equal(reader_open(&r, &opts, NULL), 0);
		size_t n;
		const struct input_file *files = reader_files(r, &n);
		assert_int_equal(n, 6);  /* the manifest is no input */
		for (size_t i = 0; i < n; i++)
			assert_false(files[i].hashed);  /* nothing read yet */
		assert_int_equal(read_docs(r, -1), 6);
		files = reader_files(r, &n);
		assert_hash_of(&files[0], kind, a, sizeof a - 1);
		assert_hash_of(&files[1], kind, png, sizeof png - 1);  /* binary: hashed whole all the same */
		assert_hash_of(&files[2], kind, le, le_len);          /* the raw UTF-16, mark included */
		assert_hash_of(&files[3], kind, empty, 0);
		assert_hash_of(&files[4], kind, big, big_len);
		assert_hash_of(&files[5], kind, bom, sizeof bom - 1);   /* sub/b.txt, its UTF-8 mark included */
		reader_free(r);
	}
	free(big);
}

static void test_reader__jsonl_and_csv_files_are_hashed_as_read(void **state)
{
	(void)state;
	/* JSONL: a byte order mark, blank lines, a malformed line, no final newline */
	static const char jl[] = "\xEF\xBB\xBF{\"id\": \"j1\", \"text\": \"one\"}\n\n   \n"
				 "not json\n{\"id\": \"j2\", \"text\": \"two\"}";
	/* JSONL and CSV over several chunks (CSV_CHUNK is 64 KiB; getline grows) */
	size_t big_len = 5 * 65536 + 123;
	char *big_jl = make_lines(big_len, "{\"text\": \"", "\"}\n");
	big_jl[big_len - 1] = '\n';
	char *big_csv = make_lines(big_len, "x,\"multi\r\nline ", "\"\r\n");
	memcpy(big_csv, "id,text\r\n", 9);
	/* CSV with CR line ends and an open quote at the end */
	static const char csv[] = "id,text\rc1,plain\rc2,\"open\r";
	/* UTF-16: more raw bytes than the decoder reads at a time (16 KiB) */
	size_t text_len = 40000;
	char *text = make_lines(text_len, "{\"text\": \"", "\"}\n");
	text[text_len - 1] = '\n';
	for (size_t i = 0; i < text_len; i++)
		if ((unsigned char)text[i] >= 0x80)
			text[i] = 'e';  /* to_utf16 takes ASCII */
	char *jl16 = malloc(2 * text_len + 2);
	assert_non_null(jl16);
	size_t jl16_len = to_utf16(text, true, jl16);
	char csv16[128];
	size_t csv16_len = to_utf16("id,text\r\nu1,\"sixteen\nbits\"\r\n", false, csv16);
	char paths[6][256];
	snprintf(paths[0], sizeof paths[0], "%s", put("h/a.jsonl", jl, sizeof jl - 1));
	snprintf(paths[1], sizeof paths[1], "%s", put("h/b.jsonl", big_jl, big_len));
	snprintf(paths[2], sizeof paths[2], "%s", put("h/c.csv", big_csv, big_len));
	snprintf(paths[3], sizeof paths[3], "%s", put("h/d.csv", csv, sizeof csv - 1));
	snprintf(paths[4], sizeof paths[4], "%s", put("h/e.jsonl", jl16, jl16_len));
	snprintf(paths[5], sizeof paths[5], "%s", put("h/f.csv", csv16, csv16_len));
	const char *inputs[6];
	for (int i = 0; i < 6; i++)
		inputs[i] = paths[i];
	for (enum checksum_kind kind = CHECKSUM_XXH128; kind <= CHECKSUM_SHA256; kind++) {
		struct reader_opts opts = { .inputs = inputs, .n_inputs = 6, .checksum = kind };
		struct reader *r;
		assert_int_equal(reader_open(&r, &opts, NULL), 0);
		assert_true(read_docs(r, -1) > 2000);
		size_t n;
		const struct input_file *files = reader_files(r, &n);
		assert_int_equal(n, 6);
		assert_hash_of(&files[0], kind, jl, sizeof jl - 1);
		assert_hash_of(&files[1], kind, big_jl, big_len);
		assert_hash_of(&files[2], kind, big_csv, big_len);
		assert_hash_of(&files[3], kind, csv, sizeof csv - 1);
		assert_hash_of(&files[4], kind, jl16, jl16_len);
		assert_hash_of(&files[5], kind, csv16, csv16_len);
		reader_free(r);
	}
	free(big_jl);
	free(big_csv);
	free(text);
	free(jl16);
}

static void test_reader__hashes_are_taken_once_across_rewinds(void **state)
{
	(void)state;
	static const char txt[] = "Title\nSome text.\n";
	static const char jl[] = "{\"text\": \"one\"}\n{\"text\": \"two\"}\n{\"text\": \"three\"}\n";
	size_t csv_len = 3 * 65536 + 5;
	char *csv = make_lines(csv_len, "r,\"", "\"\n");
	memcpy(csv, "id,text\n", 8);
	char paths[3][256];
	snprintf(paths[0], sizeof paths[0], "%s", put("rw/a.txt", txt, sizeof txt - 1));
	snprintf(paths[1], sizeof paths[1], "%s", put("rw/b.jsonl", jl, sizeof jl - 1));
	snprintf(paths[2], sizeof paths[2], "%s", put("rw/c.csv", csv, csv_len));
	const char *inputs[] = { paths[0], paths[1], paths[2] };
	struct reader_opts opts = { .inputs = inputs, .n_inputs = 3 };
	struct reader *r;
	assert_int_equal(reader_open(&r, &opts, NULL), 0);
	size_t n;
	const struct input_file *files = reader_files(r, &n);
	/* a pass that stops in the middle of the JSONL file: a.txt is hashed,
	 * b.jsonl (left part way) and c.csv (not reached) are not */
	assert_int_equal(read_docs(r, 2), 2);
	assert_hash_of(&files[0], CHECKSUM_XXH128, txt, sizeof txt - 1);
	assert_false(files[1].hashed);
	assert_false(files[2].hashed);
	assert_int_equal(reader_rewind(r, NULL), 0);
	/* then a first whole pass (as corpus.c counts boilerplate), stopped
	 * part way into the CSV once: the CSV is hashed whole on the next pass */
	assert_int_equal(read_docs(r, 10), 10);
	assert_false(files[2].hashed);
	assert_int_equal(reader_rewind(r, NULL), 0);
	assert_true(read_docs(r, -1) > 10);
	assert_hash_of(&files[0], CHECKSUM_XXH128, txt, sizeof txt - 1);
	assert_hash_of(&files[1], CHECKSUM_XXH128, jl, sizeof jl - 1);
	assert_hash_of(&files[2], CHECKSUM_XXH128, csv, csv_len);
	/* the files change before the second pass: the hashes of the first
	 * whole reading are kept, not taken again */
	puts_file("rw/a.txt", "Changed.\n");
	puts_file("rw/b.jsonl", "{\"text\": \"changed\"}\n");
	char kept = csv[20];
	csv[20] = 'X';
	put("rw/c.csv", csv, csv_len);
	csv[20] = kept;
	assert_int_equal(reader_rewind(r, NULL), 0);
	assert_true(read_docs(r, -1) > 1);
	assert_hash_of(&files[0], CHECKSUM_XXH128, txt, sizeof txt - 1);
	assert_hash_of(&files[1], CHECKSUM_XXH128, jl, sizeof jl - 1);
	assert_hash_of(&files[2], CHECKSUM_XXH128, csv, csv_len);
	reader_free(r);
	free(csv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reader__folder_in_sorted_order_with_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__binary_files_are_listed_not_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_well_formed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_malformed_and_strict, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_parser_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__folder_links_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_invalid_utf8_is_repaired, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_quotes_bom_crlf_and_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_without_text_column_names_the_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_ragged_rows_and_open_quote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__empty_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__missing_path_and_empty_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__large_single_line_and_rewind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__long_first_line_gives_a_short_title, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__single_txt_with_header_metadata, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__nested_ids_hidden_entries_and_file_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__binary_signatures_and_late_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_custom_fields_and_bad_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_blank_lines_keep_line_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_line_numbers_and_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_records_across_chunk_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_strict_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_bad_date_and_empty_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__manifest_option_applies_by_doc_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__manifest_errors, setup, teardown),
		cmocka_unit_test(test_reader__seeds_with_their_manifest),
		cmocka_unit_test_setup_teardown(test_reader__rewind_gives_the_same_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__format_option, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__missing_path_among_inputs, setup, teardown),
		cmocka_unit_test(test_reader__doc_clear_and_status_names),
		cmocka_unit_test(test_reader__utf8_repair),
		cmocka_unit_test(test_reader__utf8_repair_matches_the_byte_at_a_time_repair),
		cmocka_unit_test_setup_teardown(test_reader__txt_kept_as_read_or_decoded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__txt_changed_after_listing_is_read_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__csv_text_column_kept_or_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_text_owned_by_the_document, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__utf16_files_are_decoded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__cp1252_fallback_and_strip_html, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_parsed_later_is_read_the_same, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__folder_files_are_hashed_as_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__jsonl_and_csv_files_are_hashed_as_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader__hashes_are_taken_once_across_rewinds, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
