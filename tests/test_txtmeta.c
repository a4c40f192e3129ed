/* test_txtmeta.c - metadata at the top of plain-text articles and e-mails.
 * Reads data/seeds/ relative to the repository root (tests run from there). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "read_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "txtmeta.h"


/* Parses a string literal from an exact-size copy (not NUL-terminated). */
static void parse_str(const char *s, struct txtmeta *meta)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, s, len);
	assert_int_equal(txtmeta_parse(copy, len, meta), 0);
	free(copy);
	assert_non_null(meta->text);
	assert_int_equal(strlen(meta->text), meta->text_len);
}

static void assert_date(const struct txtmeta *meta, const char *iso)
{
	char buf[DATE_ISO_LEN + 1];
	assert_true(meta->has_date);
	date_format(meta->date, buf);
	assert_string_equal(buf, iso);
}

/* Where needle first occurs in hay[0, len), or NULL (memmem is not POSIX). */
static const char *find_bytes(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; n <= len && i <= len - n; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return hay + i;
	return NULL;
}

/* The first line of s, without its line end. */
static char *first_line(const char *s, size_t len)
{
	const char *nl = memchr(s, '\n', len);
	size_t n = nl ? (size_t)(nl - s) : len;
	char *line = malloc(n + 1);
	assert_non_null(line);
	memcpy(line, s, n);
	line[n] = '\0';
	return line;
}

/* 000: " date 2025-02-18 Title..." - the prefix is metadata, the rest of
 * the line stays as text and is the title. */
static void test_txtmeta__seed_000_date_prefix(void **state)
{
	(void)state;
	size_t len;
	char *file = read_file("data/seeds/000_696f8e2b83ff48fd.txt", &len);
	struct txtmeta meta;
	assert_int_equal(txtmeta_parse(file, len, &meta), 0);
	assert_date(&meta, "2025-02-18");
	assert_string_equal(meta.title, "Ukraine-Russia latest: Starmer asks US to provide "
			    "security guarantee for Kyiv to stop Russia from attacking again");
	assert_null(meta.author);
	assert_null(meta.source);
	const char *prefix = " date 2025-02-18 ";
	assert_memory_equal(file, prefix, strlen(prefix));
	assert_int_equal(meta.text_len, len - strlen(prefix));
	assert_memory_equal(meta.text, file + strlen(prefix), meta.text_len);
	txtmeta_free(&meta);
	free(file);
}

static void test_txtmeta__seed_002_date_prefix_long_line(void **state)
{
	(void)state;
	size_t len;
	char *file = read_file("data/seeds/002_4b29c91710fd1c5a.txt", &len);
	struct txtmeta meta;
	assert_int_equal(txtmeta_parse(file, len, &meta), 0);
	assert_date(&meta, "2025-02-18");
	const char *prefix = " date 2025-02-18 ";
	assert_int_equal(meta.text_len, len - strlen(prefix));
	assert_memory_equal(meta.text, file + strlen(prefix), meta.text_len);
	char *line = first_line(meta.text, meta.text_len);
	assert_string_equal(meta.title, line);
	assert_true(strncmp(meta.title, "Your support helps us to tell the story Read more", 49) == 0);
	free(line);
	txtmeta_free(&meta);
	free(file);
}

/* 001 and 003 have no metadata: the text is the file, the title its first line. */
static void check_no_metadata(const char *path)
{
	size_t len;
	char *file = read_file(path, &len);
	struct txtmeta meta;
	assert_int_equal(txtmeta_parse(file, len, &meta), 0);
	assert_false(meta.has_date);
	assert_null(meta.author);
	assert_null(meta.source);
	assert_int_equal(meta.text_len, len);
	assert_memory_equal(meta.text, file, len);
	char *line = first_line(file, len);
	assert_string_equal(meta.title, line);
	free(line);
	txtmeta_free(&meta);
	free(file);
}

static void test_txtmeta__seed_001_no_metadata(void **state)
{
	(void)state;
	check_no_metadata("data/seeds/001_31aae2e22b9fb551.txt");
}

static void test_txtmeta__seed_003_no_metadata(void **state)
{
	(void)state;
	check_no_metadata("data/seeds/003_f7e05d5061f85ca9.txt");
}

/* 004: "Author:" and "Published:" lines are metadata and removed; "Share:"
 * and the repeated titles stay. */
static void test_txtmeta__seed_004_author_published(void **state)
{
	(void)state;
	size_t len;
	char *file = read_file("data/seeds/004_3377007ccdf28ba1.txt", &len);
	struct txtmeta meta;
	assert_int_equal(txtmeta_parse(file, len, &meta), 0);
	assert_date(&meta, "2025-02-26");
	assert_string_equal(meta.author, "Pippa Crerar in Washington");
	assert_string_equal(meta.title, "Starmer to press Trump on security guarantees in critical Ukraine talks");
	assert_null(meta.source);

	const char *author = "Author: Pippa Crerar in Washington\n";
	const char *published = "Published: Feb, 26 2025 22:30\n";
	char *at = strstr(meta.text, "Share:\n");
	assert_non_null(at);
	assert_null(strstr(meta.text, "Author:"));
	assert_null(strstr(meta.text, "Published:"));
	assert_int_equal(meta.text_len, len - strlen(author) - strlen(published));
	/* Everything before "Author:" and after "Published:" is unchanged. */
	const char *a = find_bytes(file, len, author);
	assert_non_null(a);
	size_t head = (size_t)(a - file);
	assert_memory_equal(meta.text, file, head);
	const char *tail = a + strlen(author) + strlen(published);
	assert_memory_equal(meta.text + head, tail, len - (size_t)(tail - file));
	assert_memory_equal(meta.text + head, "\nPrime minister", 15);
	txtmeta_free(&meta);
	free(file);
}

static void test_txtmeta__email_header_block(void **state)
{
	(void)state;
	struct txtmeta meta;
	parse_str("From: Jane Doe <jane@example.org>\n"
		  "To: list@example.org\n"
		  "Subject: The title\n"
		  "Date: Thu, 22 Aug 2002 12:36:23 +0100\n"
		  "Message-ID: <1@example.org>\n"
		  "\n"
		  "Body line one.\n"
		  "\n"
		  "Date: not part of the header\n", &meta);
	assert_date(&meta, "2002-08-22");
	assert_string_equal(meta.title, "The title");
	assert_string_equal(meta.author, "Jane Doe <jane@example.org>");
	assert_string_equal(meta.text, "Body line one.\n\nDate: not part of the header\n");
	txtmeta_free(&meta);
}

/* Folded fields, a date that is the previous day in UTC, CRLF line ends,
 * and a header longer than TXTMETA_MAX_LINES. */
static void test_txtmeta__email_folded_crlf_long_header(void **state)
{
	(void)state;
	char buf[4096];
	size_t n = 0;
	for (int i = 0; i < 30; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n,
				      "Received: from host%d.example.org\r\n\tby mx.example.org\r\n", i);
	n += (size_t)snprintf(buf + n, sizeof buf - n,
			      "Subject: A long\r\n  folded   title\r\n"
			      "Date: Thu, 22 Aug 2002 00:36:23 +0100 (BST)\r\n"
			      "From: someone@example.org\r\n"
			      "\r\n"
			      "Hello\r\nWorld");
	assert_true(n < sizeof buf);
	struct txtmeta meta;
	parse_str(buf, &meta);
	assert_date(&meta, "2002-08-21");
	assert_string_equal(meta.title, "A long folded   title");
	assert_string_equal(meta.author, "someone@example.org");
	assert_string_equal(meta.text, "Hello\nWorld");
	txtmeta_free(&meta);
}

/* An e-mail header's Date field that does not parse is still header. */
static void test_txtmeta__email_bad_date_is_still_header(void **state)
{
	(void)state;
	struct txtmeta meta;
	parse_str("From: a@example.org\nDate: sometime\nSubject: Hi\n\nBody\n", &meta);
	assert_false(meta.has_date);
	assert_string_equal(meta.title, "Hi");
	assert_string_equal(meta.text, "Body\n");
	txtmeta_free(&meta);
}

/* One "Name: value" line, or fields that are not e-mail fields, do not make
 * an e-mail: the first paragraph is kept. */
static void test_txtmeta__not_an_email(void **state)
{
	(void)state;
	struct txtmeta meta;
	parse_str("Warning: graphic content\n\nThe story.\n", &meta);
	assert_string_equal(meta.text, "Warning: graphic content\n\nThe story.\n");
	assert_string_equal(meta.title, "Warning: graphic content");
	txtmeta_free(&meta);

	parse_str("Subject: hello\nThis line is prose, not a header.\n\nMore.\n", &meta);
	assert_string_equal(meta.text, "Subject: hello\nThis line is prose, not a header.\n\nMore.\n");
	assert_string_equal(meta.title, "Subject: hello");
	txtmeta_free(&meta);
}

static void test_txtmeta__crlf_and_cr_become_lf(void **state)
{
	(void)state;
	struct txtmeta meta;
	parse_str("Title line\r\n\r\nAuthor: A. Writer\r\nDate: 2025-02-26\r\nBody\rmore\r\n", &meta);
	assert_date(&meta, "2025-02-26");
	assert_string_equal(meta.author, "A. Writer");
	assert_string_equal(meta.title, "Title line");
	assert_string_equal(meta.text, "Title line\n\nBody\nmore\n");
	txtmeta_free(&meta);

	/* CRLF past the examined lines too */
	char buf[1024];
	size_t n = 0;
	for (int i = 0; i < TXTMETA_MAX_LINES + 5; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "line %d\r\n", i);
	parse_str(buf, &meta);
	assert_null(memchr(meta.text, '\r', meta.text_len));
	assert_int_equal(meta.text_len, n - (TXTMETA_MAX_LINES + 5));
	txtmeta_free(&meta);
}

static void test_txtmeta__empty_input(void **state)
{
	(void)state;
	struct txtmeta meta;
	assert_int_equal(txtmeta_parse(NULL, 0, &meta), 0);
	assert_non_null(meta.text);
	assert_string_equal(meta.text, "");
	assert_int_equal(meta.text_len, 0);
	assert_null(meta.title);
	assert_false(meta.has_date);
	txtmeta_free(&meta);

	parse_str("\n\n  \n", &meta);
	assert_string_equal(meta.text, "\n\n  \n");
	assert_null(meta.title);
	txtmeta_free(&meta);

	/* a BOM alone */
	parse_str("\xEF\xBB\xBF", &meta);
	assert_string_equal(meta.text, "");
	assert_null(meta.title);
	txtmeta_free(&meta);
}

/* "date 2025-13-45 text" is not a date prefix: the line is text. */
static void test_txtmeta__invalid_date_prefix_is_text(void **state)
{
	(void)state;
	struct txtmeta meta;
	parse_str("date 2025-13-45 text\nmore\n", &meta);
	assert_false(meta.has_date);
	assert_string_equal(meta.text, "date 2025-13-45 text\nmore\n");
	assert_string_equal(meta.title, "date 2025-13-45 text");
	txtmeta_free(&meta);

	parse_str("Title\nPublished: yesterday afternoon\nDate: 2025-02-30\n", &meta);
	assert_false(meta.has_date);
	assert_string_equal(meta.text, "Title\nPublished: yesterday afternoon\nDate: 2025-02-30\n");
	txtmeta_free(&meta);
}

static void test_txtmeta__title_only(void **state)
{
	(void)state;
	struct txtmeta meta;
	parse_str("  Just a title \t", &meta);
	assert_string_equal(meta.title, "Just a title");
	assert_string_equal(meta.text, "  Just a title \t");
	txtmeta_free(&meta);

	/* trimmed of Unicode spaces too (no-break space, ideographic space) */
	parse_str("\xC2\xA0Title\xE3\x80\x80\n", &meta);
	assert_string_equal(meta.title, "Title");
	txtmeta_free(&meta);
}

static void test_txtmeta__date_prefix_only_line_removed(void **state)
{
	(void)state;
	struct txtmeta meta;
	parse_str("date 2025-02-18\nHeadline\n", &meta);
	assert_date(&meta, "2025-02-18");
	assert_string_equal(meta.text, "Headline\n");
	assert_string_equal(meta.title, "Headline");
	txtmeta_free(&meta);

	/* a multi-word date after the prefix */
	parse_str("Date Feb 26, 2025 Headline here\n", &meta);
	assert_date(&meta, "2025-02-26");
	assert_string_equal(meta.text, "Headline here\n");
	txtmeta_free(&meta);
}

static void test_txtmeta__title_source_and_first_date_win(void **state)
{
	(void)state;
	struct txtmeta meta;
	parse_str("\xEF\xBB\xBF" "First line\n"
		  "Title:  The Real Title \n"
		  "Source: The Guardian\n"
		  "By: Someone\n"
		  "Updated: 2025-02-27T10:00Z\n"
		  "2025-02-26\n"
		  "Title: Second title\n"
		  "Body\n", &meta);
	assert_date(&meta, "2025-02-27");
	assert_string_equal(meta.title, "The Real Title");
	assert_string_equal(meta.source, "The Guardian");
	assert_string_equal(meta.author, "Someone");
	assert_string_equal(meta.text, "First line\nBody\n");
	txtmeta_free(&meta);
}

/* A year or a year-month alone on a line is not taken for a dateline; an
 * empty "Author:" is text. */
static void test_txtmeta__lone_year_is_text(void **state)
{
	(void)state;
	struct txtmeta meta;
	parse_str("Heading\n1790\n2025-02\nAuthor:\n", &meta);
	assert_false(meta.has_date);
	assert_null(meta.author);
	assert_string_equal(meta.text, "Heading\n1790\n2025-02\nAuthor:\n");
	txtmeta_free(&meta);
}

/* Only the first TXTMETA_MAX_LINES lines are examined. */
static void test_txtmeta__only_first_lines_examined(void **state)
{
	(void)state;
	char buf[1024];
	size_t n = 0;
	for (int i = 0; i < TXTMETA_MAX_LINES; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "line %d\n", i);
	n += (size_t)snprintf(buf + n, sizeof buf - n, "Date: 2025-02-26\nAuthor: X\n");
	struct txtmeta meta;
	parse_str(buf, &meta);
	assert_false(meta.has_date);
	assert_null(meta.author);
	assert_string_equal(meta.text, buf);
	txtmeta_free(&meta);
}

/* Every prefix of an input is parsed from an exact-size buffer: nothing is
 * read past len (the sanitizer build catches it). */
static void test_txtmeta__never_reads_past_len(void **state)
{
	(void)state;
	const char *inputs[] = {
		"From: a@b\r\nSubject: x\r\n y\r\nDate: Thu, 22 Aug 2002 12:36:23 +0100\r\n\r\nBody\r",
		"\xEF\xBB\xBF date 2025-02-18 Title\r\nAuthor: Me\rPublished: Feb, 26 2025 22:30\n\nx",
		"Title: \xC2\xA0T\xC2\xA0\nDate 2025\n",
	};
	for (size_t k = 0; k < sizeof inputs / sizeof inputs[0]; k++) {
		size_t len = strlen(inputs[k]);
		for (size_t n = 0; n <= len; n++) {
			char *copy = malloc(n ? n : 1);
			assert_non_null(copy);
			memcpy(copy, inputs[k], n);
			struct txtmeta meta;
			assert_int_equal(txtmeta_parse(copy, n, &meta), 0);
			assert_true(meta.text_len <= n);
			assert_int_equal(strlen(meta.text), meta.text_len);
			txtmeta_free(&meta);
			free(copy);
		}
	}
}

/* txtmeta_parse_owned on an exact-size buffer (len + 1 bytes, the last one
 * set to poison, which must not be read): the body is written over the
 * input, which becomes meta->text. */
static void parse_owned_poisoned(const char *s, size_t len, char poison, struct txtmeta *meta)
{
	char *buf = malloc(len + 1);
	assert_non_null(buf);
	memcpy(buf, s, len);
	buf[len] = poison;
	assert_int_equal(txtmeta_parse_owned(buf, len, meta), 0);
	assert_ptr_equal(meta->text, buf);
	assert_int_equal(strlen(meta->text), meta->text_len);
	assert_true(meta->text_len <= len);
}

static void parse_owned(const char *s, size_t len, struct txtmeta *meta)
{
	parse_owned_poisoned(s, len, '\r', meta);
}

/* Without metadata lines or CR the text is kept where it is, unchanged. */
static void test_txtmeta__owned_text_without_metadata_is_kept_as_it_is(void **state)
{
	(void)state;
	const char *s = "One speech on a single line, \xC3\xA9 and all";
	struct txtmeta meta;
	parse_owned(s, strlen(s), &meta);
	assert_string_equal(meta.text, s);
	assert_string_equal(meta.title, s);
	txtmeta_free(&meta);
	parse_owned(s, 0, &meta);
	assert_string_equal(meta.text, "");
	txtmeta_free(&meta);
}

/* A fixed-seed generator (xorshift64*): a failure repeats. */
static uint64_t rng_state = 0x853C49E6748FEA9Bu;
static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Du) >> 32);
}

/* Random articles of known shape, parsed in place: metadata lines, plain
 * lines and "date ..." prefixes among the first lines, any line ends (LF,
 * CRLF, CR, none at the end), metadata-like lines past the examined ones.
 * What must come out is worked out line by line beside them. */
static void test_txtmeta__owned_parse_of_random_articles(void **state)
{
	(void)state;
	static const struct {
		const char *line;
		const char *kept;   /* what stays in the text; NULL: the line goes */
		const char *date;   /* the date it gives, or NULL */
		const char *title;  /* a "Title:" value, or NULL */
	} kinds[] = {
		{ "Title: T one", NULL, NULL, "T one" },
		{ "Title: T two", NULL, NULL, "T two" },
		{ "Author: A. Writer", NULL, NULL, NULL },
		{ "Source: Wire", NULL, NULL, NULL },
		{ "Date: 2025-02-26", NULL, "2025-02-26", NULL },
		{ "Published: Feb, 26 2025 22:30", NULL, "2025-02-26", NULL },
		{ "2024-01-05", NULL, "2024-01-05", NULL },
		{ "date 2025-02-18 Rest of the line", "Rest of the line", "2025-02-18", NULL },
		{ "alpha beta", "alpha beta", NULL, NULL },
		{ "  gamma  ", "  gamma  ", NULL, NULL },
		{ "", "", NULL, NULL },
		{ "Note: not a key", "Note: not a key", NULL, NULL },
		{ "caf\xC3\xA9 \xE2\x80\x99s", "caf\xC3\xA9 \xE2\x80\x99s", NULL, NULL },
		{ "1790", "1790", NULL, NULL },
	};
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	size_t n_kinds = sizeof kinds / sizeof kinds[0];
	char in[4096], expect[4096];
	for (int round = 0; round < 3000; round++) {
		size_t at = 0, out = 0;
		in[0] = expect[0] = '\0';
		const char *date = NULL, *title = NULL;
		bool bom = rng() % 8 == 0;
		if (bom)
			at += (size_t)snprintf(in, sizeof in, "\xEF\xBB\xBF");
		size_t n_lines = rng() % (TXTMETA_MAX_LINES + 8);
		for (size_t i = 0; i < n_lines; i++) {
			size_t k = rng() % n_kinds;
			bool last = i + 1 == n_lines;
			const char *end = last && rng() % 2 ? "" : ends[rng() % 3];
			if (!kinds[k].line[0] && at > 0 && in[at - 1] == '\r' && strcmp(end, "\n") == 0)
				end = "\r\n";  /* CR, then LF alone, would be one CRLF */
			at += (size_t)snprintf(in + at, sizeof in - at, "%s%s", kinds[k].line, end);
			const char *kept = kinds[k].line;
			if (i < TXTMETA_MAX_LINES) {  /* examined */
				kept = kinds[k].kept;
				if (!date && kinds[k].date)
					date = kinds[k].date;
				if (!title && kinds[k].title)
					title = kinds[k].title;
			}
			if (kept)
				out += (size_t)snprintf(expect + out, sizeof expect - out, "%s%s", kept,
							end[0] ? "\n" : "");
		}
		struct txtmeta meta;
		parse_owned(in, at, &meta);
		if (strcmp(meta.text, expect) != 0)
			fail_msg("round %d: input [%.*s] text [%s] (%zu of %zu), expected [%s]", round, (int)at, in, meta.text, meta.text_len, at, expect);
		if (date)
			assert_date(&meta, date);
		else
			assert_false(meta.has_date);
		if (!title) {  /* the first line of the text with more than white space */
			const char *p = expect;
			while (*p) {
				const char *e = strchr(p, '\n');
				size_t n = e ? (size_t)(e - p) : strlen(p);
				const char *b = p;
				while (b < p + n && *b == ' ')
					b++;
				if (b < p + n) {
					static char first[256];
					size_t m = (size_t)(p + n - b);
					while (m > 0 && b[m - 1] == ' ')
						m--;
					memcpy(first, b, m);
					first[m] = '\0';
					title = first;
					break;
				}
				p += n + (e ? 1 : 0);
			}
		}
		if (title)
			assert_string_equal(meta.title, title);
		else
			assert_null(meta.title);
		/* the copying parse gives the same, and so does another byte
		 * after the input (it is not read) */
		struct txtmeta copy;
		assert_int_equal(txtmeta_parse(in, at, &copy), 0);
		assert_string_equal(copy.text, meta.text);
		txtmeta_free(&copy);
		parse_owned_poisoned(in, at, 'Z', &copy);
		assert_string_equal(copy.text, meta.text);
		assert_true(copy.title ? meta.title && strcmp(copy.title, meta.title) == 0 : !meta.title);
		txtmeta_free(&copy);
		txtmeta_free(&meta);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_txtmeta__seed_000_date_prefix),
		cmocka_unit_test(test_txtmeta__seed_001_no_metadata),
		cmocka_unit_test(test_txtmeta__seed_002_date_prefix_long_line),
		cmocka_unit_test(test_txtmeta__seed_003_no_metadata),
		cmocka_unit_test(test_txtmeta__seed_004_author_published),
		cmocka_unit_test(test_txtmeta__email_header_block),
		cmocka_unit_test(test_txtmeta__email_folded_crlf_long_header),
		cmocka_unit_test(test_txtmeta__email_bad_date_is_still_header),
		cmocka_unit_test(test_txtmeta__not_an_email),
		cmocka_unit_test(test_txtmeta__crlf_and_cr_become_lf),
		cmocka_unit_test(test_txtmeta__empty_input),
		cmocka_unit_test(test_txtmeta__invalid_date_prefix_is_text),
		cmocka_unit_test(test_txtmeta__title_only),
		cmocka_unit_test(test_txtmeta__date_prefix_only_line_removed),
		cmocka_unit_test(test_txtmeta__title_source_and_first_date_win),
		cmocka_unit_test(test_txtmeta__lone_year_is_text),
		cmocka_unit_test(test_txtmeta__only_first_lines_examined),
		cmocka_unit_test(test_txtmeta__never_reads_past_len),
		cmocka_unit_test(test_txtmeta__owned_text_without_metadata_is_kept_as_it_is),
		cmocka_unit_test(test_txtmeta__owned_parse_of_random_articles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
