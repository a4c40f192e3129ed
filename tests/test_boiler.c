/* test_boiler.c - boilerplate lines: phrases, repeated lines, the seeds.
 * Reads data/seeds/ relative to the repository root (tests run from there). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "read_fixture.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boiler.h"
#include "embedded.h"

/* The default of --boilerplate-min-frac (corpus.c). */
#define DEFAULT_MIN_FRAC 0.05


static struct boiler *new_boiler(const char *phrases, double min_frac)
{
	struct boiler *b = NULL;
	struct td_diag diag = { 0 };
	assert_int_equal(boiler_new(&b, phrases, phrases ? strlen(phrases) : 0, min_frac, &diag), 0);
	assert_non_null(b);
	assert_int_equal(diag.n_warnings, 0);
	td_diag_free(&diag);
	return b;
}

/* Counts a string as one document from an exact-size copy (no NUL). */
static void count_str(struct boiler *b, const char *s)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, s, len);
	assert_int_equal(boiler_count(b, copy, len), 0);
	free(copy);
}

/* Strips a string (from an exact-size copy) and checks the result. */
static void assert_strip(struct boiler *b, const char *in, const char *expected, size_t expected_removed)
{
	size_t len = strlen(in);
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, in, len);
	char *out = NULL;
	size_t out_len = 0, removed = 0;
	assert_int_equal(boiler_strip(b, copy, len, &out, &out_len, &removed), 0);
	free(copy);
	assert_non_null(out);
	assert_string_equal(out, expected);
	assert_int_equal(out_len, strlen(expected));
	assert_int_equal(removed, expected_removed);
	free(out);
}

/* Runs both passes over docs with a phrase list. */
static struct boiler *run_docs(const char *phrases, double min_frac, const char *const *docs, size_t n)
{
	struct boiler *b = new_boiler(phrases, min_frac);
	for (size_t i = 0; i < n; i++)
		count_str(b, docs[i]);
	boiler_finish(b);
	return b;
}

/* What boiler_report gives, as one string "line|n_docs|reason\n" per line. */
struct report {
	char text[4096];
	size_t len;
};

static int collect(void *ctx, const char *line, size_t n_docs, enum boiler_reason why)
{
	struct report *r = ctx;
	int n = snprintf(r->text + r->len, sizeof r->text - r->len, "%s|%zu|%s\n", line, n_docs,
			 why == BOILER_PHRASE ? "phrase" : "repeated");
	assert_true(n > 0 && (size_t)n < sizeof r->text - r->len);
	r->len += (size_t)n;
	return 0;
}

static void assert_report(const struct boiler *b, const char *expected)
{
	struct report r = { .len = 0 };
	r.text[0] = '\0';
	assert_int_equal(boiler_report(b, collect, &r), 0);
	assert_string_equal(r.text, expected);
}

static void test_boiler__phrase_whole_line(void **state)
{
	(void)state;
	struct boiler *b = new_boiler("# comment\n\nShare:\nMore for You\n", DEFAULT_MIN_FRAC);
	boiler_finish(b);
	assert_strip(b, "Share:\nShare the news\nMore for You\nMore for you and me\nshare\n",
		     "Share the news\nMore for you and me\n", 3);
	boiler_free(b);
}

static void test_boiler__phrase_prefix(void **state)
{
	(void)state;
	struct boiler *b = new_boiler("Join our commenting forum*\nSign up to our*\n", DEFAULT_MIN_FRAC);
	boiler_finish(b);
	assert_strip(b,
		     "Join our commenting forum\n"
		     "Join our commenting forum and more\n"
		     "Please join our commenting forum\n"
		     "Sign up to our free newsletter\n"
		     "Sign up to\n",
		     "Please join our commenting forum\nSign up to\n", 3);
	boiler_free(b);
}

/* Case, white space (tabs, no-break spaces), trailing . : ; and NFKC
 * (full-width letters) do not matter, in the list or in the text. */
static void test_boiler__normalises_case_and_space(void **state)
{
	(void)state;
	struct boiler *b = new_boiler("  READ\tmore  \nTop   Followed:\nSkip to*\n", DEFAULT_MIN_FRAC);
	boiler_finish(b);
	assert_strip(b,
		     "read more\n"
		     "  Read \xc2\xa0 More .\n"
		     "\xef\xbc\xb2\xef\xbd\x85\xef\xbd\x81\xef\xbd\x84 more;\n"  /* full-width "Read" */
		     "TOP FOLLOWED\n"
		     "top followed:;.\n"
		     "\xe2\x80\x8bSKIP TO main content\n"  /* a zero-width space first */
		     "Read more of this\n"
		     "Top-followed\n",
		     "Read more of this\nTop-followed\n", 6);
	boiler_free(b);
}

/* Case folding goes beyond ASCII: "STRASSE" and "Straße" fold alike. */
static void test_boiler__case_folds_unicode(void **state)
{
	(void)state;
	struct boiler *b = new_boiler("Straße gesperrt\n\xc3\x89" "dition sp\xc3\xa9" "ciale*\n", DEFAULT_MIN_FRAC);
	boiler_finish(b);
	/* "E" + combining acute (NFD) composes to the listed É. */
	assert_strip(b, "STRASSE GESPERRT\nE\xcc\x81" "DITION SP\xc3\x89" "CIALE du soir\nkeep\n", "keep\n", 2);
	boiler_free(b);
}

/* Lines of ASCII, typographic punctuation and Latin-1 letters skip utf8proc;
 * the result must be the same as through it (the ellipsis, NFKC "...",
 * sends a line through utf8proc). */
static void test_boiler__fast_and_full_paths_agree(void **state)
{
	(void)state;
	struct boiler *b = new_boiler("\xc3\x87" "A VA \xe2\x80\x93 \xc2\xab" "BIEN\xc2\xbb\xe2\x80\xa6\n"
				      "\xc3\x89t\xc3\xa9 \xc3\xa0 Paris: 20 \xe2\x82\xac\n",
				      DEFAULT_MIN_FRAC);
	boiler_finish(b);
	assert_strip(b,
		     "\xc3\xa7" "a va \xe2\x80\x93 \xc2\xab" "bien\xc2\xbb\n"          /* "ça va – «bien»" */
		     "\xc3\x89T\xc3\x89 \xc3\x80 PARIS: 20 \xe2\x82\xac \xe2\x80\xa6\n" /* "ÉTÉ À PARIS: 20 € …" */
		     "\xc3\x89t\xc3\xa9 \xc3\xa0 Lyon\n",
		     "\xc3\x89t\xc3\xa9 \xc3\xa0 Lyon\n", 2);
	boiler_free(b);
}

static void test_boiler__repeated_at_threshold(void **state)
{
	(void)state;
	const char *docs[] = {
		"Alpha reported one thing.\nFollow the live coverage\n",
		"Beta reported another.\nFollow the live coverage\n",
		"Gamma said a third.\nFOLLOW the live coverage.\n",
	};
	struct boiler *b = run_docs(NULL, DEFAULT_MIN_FRAC, docs, 3);
	assert_int_equal(boiler_threshold(b), 3);
	assert_strip(b, docs[0], "Alpha reported one thing.\n", 1);
	assert_strip(b, docs[1], "Beta reported another.\n", 1);
	assert_strip(b, docs[2], "Gamma said a third.\n", 1);
	assert_report(b, "follow the live coverage|3|repeated\n");
	boiler_free(b);
}

static void test_boiler__repeated_below_threshold(void **state)
{
	(void)state;
	const char *docs[] = {
		"one\nshared line\n", "two\nshared line\n", "three\n", "four\n", "five\n",
	};
	struct boiler *b = run_docs(NULL, DEFAULT_MIN_FRAC, docs, 5);
	assert_int_equal(boiler_threshold(b), 3);
	assert_strip(b, docs[0], docs[0], 0);
	assert_strip(b, docs[1], docs[1], 0);
	assert_report(b, "");
	boiler_free(b);
}

/* A line repeated inside one document counts once for that document. */
static void test_boiler__counted_once_per_document(void **state)
{
	(void)state;
	const char *docs[] = { "x\nx\nx\nx\n", "x\n", "y\n" };
	struct boiler *b = run_docs(NULL, DEFAULT_MIN_FRAC, docs, 3);
	assert_strip(b, docs[0], docs[0], 0);
	boiler_free(b);
}

/* With min_frac 0.5 over 10 documents a line needs 5 documents. */
static void test_boiler__min_frac_raises_threshold(void **state)
{
	(void)state;
	const char *docs[10] = {
		"in five\n", "in five\nin four\n", "in five\nin four\n", "in five\nin four\n",
		"in five\nin four\n", "other\n", "other\n", "other\n", "other\n", "other\n",
	};
	struct boiler *b = run_docs(NULL, 0.5, docs, 10);
	assert_int_equal(boiler_threshold(b), 5);
	assert_strip(b, "in five\nin four\nkept\n", "in four\nkept\n", 1);
	boiler_free(b);

	b = run_docs(NULL, 0.0, docs, 10);
	assert_int_equal(boiler_threshold(b), 3);  /* never below 3 */
	assert_strip(b, "in five\nin four\nkept\n", "kept\n", 2);
	boiler_free(b);

	b = run_docs(NULL, 1.0, docs, 10);
	assert_int_equal(boiler_threshold(b), 10);
	assert_strip(b, "in five\nin four\nkept\n", "in five\nin four\nkept\n", 0);
	boiler_free(b);

	/* 0.07 * 100 is 7.000000000000001 in doubles: still 7. */
	const char *hundred[100];
	for (size_t i = 0; i < 100; i++)
		hundred[i] = "d\n";
	b = run_docs(NULL, 0.07, hundred, 100);
	assert_int_equal(boiler_threshold(b), 7);
	boiler_free(b);
}

/* Counting documents in two counters and merging gives the counts of one
 * counter over all of them, also for a line seen once in each counter. */
static void test_boiler__merge_equals_one_counter(void **state)
{
	(void)state;
	const char *docs[] = {
		"a\nshared\nonce each\n", "b\nshared\n", "c\nshared\nonce each\n", "d\nhalf\n",
		"e\nhalf\nonce each\n", "f\nhalf\n", "g\nhalf\n",
	};
	size_t n = sizeof docs / sizeof docs[0];
	struct boiler *all = run_docs("g\n", DEFAULT_MIN_FRAC, docs, n);

	/* Three counters: docs 0-1, 2-3, 4-6; "once each" once in each. */
	struct boiler *parts[3];
	size_t bounds[4] = { 0, 2, 4, 7 };
	for (size_t p = 0; p < 3; p++) {
		parts[p] = new_boiler("g\n", DEFAULT_MIN_FRAC);
		for (size_t i = bounds[p]; i < bounds[p + 1]; i++)
			count_str(parts[p], docs[i]);
	}
	assert_int_equal(boiler_merge(parts[0], parts[0]), TD_EINVAL);
	assert_int_equal(boiler_merge(parts[0], parts[1]), 0);
	assert_int_equal(boiler_merge(parts[0], parts[2]), 0);
	boiler_finish(parts[0]);
	assert_int_equal(boiler_threshold(parts[0]), boiler_threshold(all));

	for (size_t i = 0; i < n; i++) {
		char *out_all, *out_merged;
		size_t len_all, len_merged, rm_all, rm_merged;
		assert_int_equal(boiler_strip(all, docs[i], strlen(docs[i]), &out_all, &len_all, &rm_all), 0);
		assert_int_equal(boiler_strip(parts[0], docs[i], strlen(docs[i]), &out_merged, &len_merged,
					      &rm_merged), 0);
		assert_string_equal(out_all, out_merged);
		assert_int_equal(rm_all, rm_merged);
		free(out_all);
		free(out_merged);
	}
	const char *expected = "shared|3|repeated\nonce each|3|repeated\nhalf|4|repeated\ng|1|phrase\n";
	assert_report(all, expected);
	assert_report(parts[0], expected);
	for (size_t p = 0; p < 3; p++)
		boiler_free(parts[p]);
	boiler_free(all);
}

/* Empty and blank lines are in every document but are never removed. */
static void test_boiler__empty_lines_never_removed(void **state)
{
	(void)state;
	const char *docs[] = { "a\n\n \n\t\nb\n", "c\n\n \n", "\n \nd\n", "\n\n" };
	struct boiler *b = run_docs(NULL, DEFAULT_MIN_FRAC, docs, 4);
	for (size_t i = 0; i < 4; i++)
		assert_strip(b, docs[i], docs[i], 0);
	assert_strip(b, "", "", 0);
	boiler_free(b);
}

/* A phrase that normalises to nothing (it would remove every line) is
 * skipped with a warning. */
static void test_boiler__empty_phrase_warns(void **state)
{
	(void)state;
	struct boiler *b = NULL;
	struct td_diag diag = { 0 };
	const char *list = "*\n...\nShare\n";
	assert_int_equal(boiler_new(&b, list, strlen(list), DEFAULT_MIN_FRAC, &diag), 0);
	assert_int_equal(diag.n_warnings, 2);
	boiler_finish(b);
	assert_strip(b, "Share\nanything\n", "anything\n", 1);
	boiler_free(b);
	td_diag_free(&diag);
}

/* CRLF and lone CR end lines like LF; the output has LF only, and a last
 * line without a line end keeps having none. */
static void test_boiler__crlf_input(void **state)
{
	(void)state;
	const char *docs[] = { "x\r\nRepeated\r\n", "y\rRepeated\r", "z\nRepeated" };
	struct boiler *b = run_docs("Share:\n", DEFAULT_MIN_FRAC, docs, 3);
	assert_strip(b, "a\r\nShare:\r\nb\r\n\r\nRepeated\r\nc", "a\nb\n\nc", 2);
	assert_strip(b, "a\rShare:\rb\r", "a\nb\n", 1);
	assert_strip(b, docs[1], "y\n", 1);
	assert_report(b, "share|2|phrase\nrepeated|2|repeated\n");
	boiler_free(b);
}

/* The report: each distinct normalised line once, the number of documents
 * it was removed from (not the number of removals), the reason (the phrase
 * wins when a listed line is also repeated), in order of first removal. */
static void test_boiler__report_contents(void **state)
{
	(void)state;
	const char *docs[] = {
		"Story one\nShare:\nShare:\nMore for You\nSite footer\n",
		"Story two\nSite footer\nShare\n",
		"Story three\nSITE FOOTER.\nshare:\n",
	};
	struct boiler *b = run_docs("Share:\nMore for You\n", DEFAULT_MIN_FRAC, docs, 3);
	assert_strip(b, docs[0], "Story one\n", 4);
	assert_strip(b, docs[1], "Story two\n", 2);
	assert_strip(b, docs[2], "Story three\n", 2);
	assert_report(b, "share|3|phrase\nmore for you|1|phrase\nsite footer|3|repeated\n");

	boiler_free(b);
}

static int stop_at_first(void *ctx, const char *line, size_t n_docs, enum boiler_reason why)
{
	(void)line;
	(void)n_docs;
	(void)why;
	(*(int *)ctx)++;
	return 42;
}

static void test_boiler__report_stops_on_callback_value(void **state)
{
	(void)state;
	struct boiler *b = new_boiler("a\nb\n", DEFAULT_MIN_FRAC);
	boiler_finish(b);
	assert_strip(b, "a\nb\nc\n", "c\n", 2);
	int calls = 0;
	assert_int_equal(boiler_report(b, stop_at_first, &calls), 42);
	assert_int_equal(calls, 1);
	boiler_free(b);
}

static void test_boiler__invalid_min_frac(void **state)
{
	(void)state;
	const double bad[] = { -0.01, 1.01, NAN, INFINITY };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct boiler *b = (struct boiler *)&b;  /* not NULL: must be reset */
		struct td_diag diag = { 0 };
		assert_int_equal(boiler_new(&b, NULL, 0, bad[i], &diag), TD_EINVAL);
		assert_null(b);
		assert_non_null(diag.error);
		td_diag_free(&diag);
	}
}

/* Before boiler_finish no line counts as repeated. */
static void test_boiler__strip_before_finish(void **state)
{
	(void)state;
	struct boiler *b = new_boiler("Share\n", DEFAULT_MIN_FRAC);
	for (int i = 0; i < 5; i++)
		count_str(b, "same\n");
	assert_int_equal(boiler_threshold(b), SIZE_MAX);
	assert_strip(b, "same\nShare\n", "same\n", 1);
	boiler_free(b);
}

/* Bytes that are not UTF-8 are compared as they are: such a line can still
 * be repeated boilerplate, and the text is copied unchanged. */
static void test_boiler__invalid_utf8(void **state)
{
	(void)state;
	const char *docs[] = { "\xff\xfe junk\nok1\n", "\xff\xfe JUNK\nok2\n", "\xff\xfe junk \nok3\n" };
	struct boiler *b = run_docs(NULL, DEFAULT_MIN_FRAC, docs, 3);
	assert_strip(b, docs[1], "ok2\n", 1);
	assert_strip(b, "caf\xe9\n", "caf\xe9\n", 0);
	boiler_free(b);
}

/* The embedded list loads without a warning and catches the common
 * furniture, but not sentences that begin like it. */
static void test_boiler__embedded_list(void **state)
{
	(void)state;
	struct boiler *b = NULL;
	struct td_diag diag = { 0 };
	assert_int_equal(boiler_new(&b, embedded_boilerplate_en, embedded_boilerplate_en_len,
				    DEFAULT_MIN_FRAC, &diag), 0);
	assert_int_equal(diag.n_warnings, 0);
	boiler_finish(b);
	assert_strip(b,
		     "Advertisement\n"
		     "Skip to main content\n"
		     "Sign up to our free Inside Washington email for exclusive US coverage\n"
		     "We use cookies to improve your experience.\n"
		     "Share this article\n"
		     "Read more\n"
		     "Read more about the talks in our explainer.\n"
		     "Comments from the minister drew criticism.\n"
		     "Advertisements for the campaign ran on TV.\n"
		     "Share prices fell sharply.\n",
		     "Read more about the talks in our explainer.\n"
		     "Comments from the minister drew criticism.\n"
		     "Advertisements for the campaign ran on TV.\n"
		     "Share prices fell sharply.\n",
		     6);
	boiler_free(b);
	td_diag_free(&diag);
}

/* ---- the seeds ---- */

struct seed {
	const char *path;
	bool date_prefix;              /* starts " date 2025-02-18 " (dropped as txtmeta does) */
	const char *removed[8];        /* the start of each removed line, in order */
};

/* Every line the list removes from the five seeds, and nothing else: the
 * donation appeal (000, and the first line of 002), login, notification and
 * comment banners (000, 001), the "read the full article" link (000) and the
 * share/recommendation widgets (004).  No sentence of reporting. */
static const struct seed seeds[] = {
	{ "data/seeds/000_696f8e2b83ff48fd.txt", true,
	  { "Your support helps us to tell the story",
	    "From reproductive rights to climate change to Big Tech, The Independent is on the ground",
	    "At such a critical moment in US history, we need reporters on the ground.",
	    "The Independent is trusted by Americans across the entire political spectrum.",
	    "Read the full article here:",
	    "Join our commenting forum",
	    "Join thought-provoking conversations, follow other Independent readers" } },
	{ "data/seeds/001_31aae2e22b9fb551.txt", false,
	  { "Notifications can be managed in browser preferences.",
	    "Please refresh the page or navigate to another page on the site",
	    "Join thought-provoking conversations, follow other Independent readers",
	    "Please refresh the page or navigate to another page on the site" } },
	{ "data/seeds/002_4b29c91710fd1c5a.txt", true,
	  { "Your support helps us to tell the story Read more Support Now From reproductive" } },
	{ "data/seeds/003_f7e05d5061f85ca9.txt", false, { NULL } },
	{ "data/seeds/004_3377007ccdf28ba1.txt", false,
	  { "Share:", "Share:", "More for You", "Top Followed" } },
};

#define N_SEEDS (sizeof seeds / sizeof seeds[0])
#define DATE_PREFIX " date 2025-02-18 "

/* The text of a seed as the reader passes it on. */
static char *seed_text(const struct seed *s, size_t *len)
{
	size_t file_len;
	char *file = read_file(s->path, &file_len);
	if (!s->date_prefix) {
		*len = file_len;
		return file;
	}
	size_t skip = strlen(DATE_PREFIX);
	assert_true(file_len > skip);
	assert_memory_equal(file, DATE_PREFIX, skip);
	char *text = malloc(file_len - skip);
	assert_non_null(text);
	memcpy(text, file + skip, file_len - skip);
	free(file);
	*len = file_len - skip;
	return text;
}

/* The next line of s[*pos, len) (LF ends; the seeds have no CR). */
static bool next_line(const char *s, size_t len, size_t *pos, const char **line, size_t *line_len)
{
	if (*pos >= len)
		return false;
	const char *nl = memchr(s + *pos, '\n', len - *pos);
	size_t end = nl ? (size_t)(nl - s) : len;
	*line = s + *pos;
	*line_len = end - *pos;
	*pos = nl ? end + 1 : len;
	return true;
}

static void test_boiler__seeds(void **state)
{
	(void)state;
	struct boiler *b = NULL;
	assert_int_equal(boiler_new(&b, embedded_boilerplate_en, embedded_boilerplate_en_len,
				    DEFAULT_MIN_FRAC, NULL), 0);
	char *texts[N_SEEDS];
	size_t lens[N_SEEDS];
	for (size_t i = 0; i < N_SEEDS; i++) {
		texts[i] = seed_text(&seeds[i], &lens[i]);
		assert_int_equal(boiler_count(b, texts[i], lens[i]), 0);
	}
	boiler_finish(b);
	assert_int_equal(boiler_threshold(b), 3);

	for (size_t i = 0; i < N_SEEDS; i++) {
		char *out;
		size_t out_len, n_removed;
		assert_int_equal(boiler_strip(b, texts[i], lens[i], &out, &out_len, &n_removed), 0);
		/* The output is the input less some lines: walk both, and every
		 * input line not matched by the next output line was removed. */
		size_t in_pos = 0, out_pos = 0, k = 0;
		const char *line, *kept = NULL;
		size_t line_len, kept_len = 0;
		bool have_kept = next_line(out, out_len, &out_pos, &kept, &kept_len);
		while (next_line(texts[i], lens[i], &in_pos, &line, &line_len)) {
			if (have_kept && kept_len == line_len && memcmp(kept, line, line_len) == 0) {
				have_kept = next_line(out, out_len, &out_pos, &kept, &kept_len);
				continue;
			}
			const char *want = seeds[i].removed[k];
			if (!want)
				fail_msg("%s: unexpected removal of '%.*s'", seeds[i].path, (int)line_len, line);
			if (line_len < strlen(want) || memcmp(line, want, strlen(want)) != 0)
				fail_msg("%s: removed '%.*s', expected '%s'", seeds[i].path, (int)line_len, line,
					 want);
			k++;
		}
		assert_false(have_kept);
		if (k < 8 && seeds[i].removed[k])
			fail_msg("%s: '%s' was not removed", seeds[i].path, seeds[i].removed[k]);
		assert_int_equal(n_removed, k);
		free(out);
		free(texts[i]);
	}
	assert_report(b,
		      "your support helps us to tell the story|1|phrase\n"
		      "from reproductive rights to climate change to big tech, the independent is on the "
		      "ground when the story is developing. whether it's investigating the financials of "
		      "elon musk's pro-trump pac or producing our latest documentary, 'the a word', which "
		      "shines a light on the american women fighting for reproductive rights, we know how "
		      "important it is to parse out the facts from the messaging|1|phrase\n"
		      "at such a critical moment in us history, we need reporters on the ground. your "
		      "donation allows us to keep sending journalists to speak to both sides of the "
		      "story|1|phrase\n"
		      "the independent is trusted by americans across the entire political spectrum. and "
		      "unlike many other quality news outlets, we choose not to lock americans out of our "
		      "reporting and analysis with paywalls. we believe quality journalism should be "
		      "available to everyone, paid for by those who can afford it.your support makes all "
		      "the difference|1|phrase\n"
		      "read the full article here|1|phrase\n"
		      "join our commenting forum|1|phrase\n"
		      "join thought-provoking conversations, follow other independent readers and see "
		      "their repliescomments|1|phrase\n"
		      "notifications can be managed in browser preferences|1|phrase\n"
		      "please refresh the page or navigate to another page on the site to be automatically "
		      "logged inplease refresh your browser to be logged in|1|phrase\n"
		      "join thought-provoking conversations, follow other independent readers and see "
		      "their replies|1|phrase\n"
		      "your support helps us to tell the story read more support now from reproductive "
		      "rights to climate change to big tech, the independent is on the ground when the "
		      "story is developing. whether it's investigating the financials of elon musk's "
		      "pro-trump pac or producing our latest documentary, 'the a word', which shines a "
		      "light on the american women fighting for reproductive rights, we know how important "
		      "it is to parse out the facts from the messaging. at such a critical moment in us "
		      "history, we need reporters on the ground. your donation allows us to keep sending "
		      "journalists to speak to both sides of the story. the independent is trusted by "
		      "americans across the entire political spectrum. and unlike many other quality news "
		      "outlets, we choose not to lock americans out of our reporting and analysis with "
		      "paywalls. we believe quality journalism should be available to everyone, paid for "
		      "by those who can afford it. your support makes all the difference. read "
		      "more|1|phrase\n"
		      "share|1|phrase\n"
		      "more for you|1|phrase\n"
		      "top followed|1|phrase\n");
	boiler_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boiler__phrase_whole_line),
		cmocka_unit_test(test_boiler__phrase_prefix),
		cmocka_unit_test(test_boiler__normalises_case_and_space),
		cmocka_unit_test(test_boiler__case_folds_unicode),
		cmocka_unit_test(test_boiler__fast_and_full_paths_agree),
		cmocka_unit_test(test_boiler__repeated_at_threshold),
		cmocka_unit_test(test_boiler__repeated_below_threshold),
		cmocka_unit_test(test_boiler__counted_once_per_document),
		cmocka_unit_test(test_boiler__min_frac_raises_threshold),
		cmocka_unit_test(test_boiler__merge_equals_one_counter),
		cmocka_unit_test(test_boiler__empty_lines_never_removed),
		cmocka_unit_test(test_boiler__empty_phrase_warns),
		cmocka_unit_test(test_boiler__crlf_input),
		cmocka_unit_test(test_boiler__report_contents),
		cmocka_unit_test(test_boiler__report_stops_on_callback_value),
		cmocka_unit_test(test_boiler__invalid_min_frac),
		cmocka_unit_test(test_boiler__strip_before_finish),
		cmocka_unit_test(test_boiler__invalid_utf8),
		cmocka_unit_test(test_boiler__embedded_list),
		cmocka_unit_test(test_boiler__seeds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
