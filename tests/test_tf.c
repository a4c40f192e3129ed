/* test_tf.c - term counting, n-grams, pruning and the merged matrix. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hash.h"
#include "tf.h"
#include "dtm_assert.h"
#include "tokens_fixture.h"

/* Builds a matrix from docs (token specs), all counted by one part, or by
 * n_parts parts taking documents round-robin in reverse order. */
static int build(struct dtm *dtm, const char *const *docs, size_t n_docs, const struct tf_opts *opts,
		 size_t n_parts, const bool *included, struct td_diag *diag)
{
	struct tf_part *parts[4] = { 0 };
	bool all[16] = { 0 };
	for (size_t i = 0; i < n_docs; i++)
		all[i] = true;
	for (size_t p = 0; p < n_parts; p++)
		assert_int_equal(tf_part_new(&parts[p], opts), 0);
	for (size_t k = 0; k < n_docs; k++) {
		size_t d = n_parts > 1 ? n_docs - 1 - k : k;
		struct token_list list;
		fixture_tokens(&list, docs[d]);
		assert_int_equal(tf_part_add(parts[k % n_parts], d, &list), 0);
		token_list_free(&list);
	}
	int rc = tf_build(dtm, parts, n_parts, included ? included : all, n_docs, opts, diag);
	for (size_t p = 0; p < n_parts; p++)
		tf_part_free(parts[p]);
	return rc;
}

/* The matrix as text: "term:count ..." per row, rows separated by " / ". */
static const char *render(const struct dtm *dtm)
{
	static char out[1024];
	size_t at = 0;
	out[0] = '\0';
	for (size_t d = 0; d < dtm->n_docs; d++) {
		if (d)
			at += (size_t)snprintf(out + at, sizeof out - at, " /");
		for (uint64_t k = dtm->row_ptr[d]; k < dtm->row_ptr[d + 1]; k++)
			at += (size_t)snprintf(out + at, sizeof out - at, " %s:%u", vocab_term(&dtm->terms, dtm->col[k]),
					       dtm->count[k]);
	}
	return out;
}

static const char *render_vocab(const struct dtm *dtm)
{
	static char out[1024];
	size_t at = 0;
	out[0] = '\0';
	for (size_t t = 0; t < dtm->n_terms; t++)
		at += (size_t)snprintf(out + at, sizeof out - at, "%s%s(%llu,%llu)", t ? " " : "",
				       vocab_term(&dtm->terms, (uint32_t)t), (unsigned long long)dtm->df[t],
				       (unsigned long long)dtm->cf[t]);
	return out;
}

static void test_tf__counts_df_cf_and_sorted_ids(void **state)
{
	(void)state;
	const char *docs[] = { "b a b", "c a", "" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	struct dtm dtm;
	assert_int_equal(build(&dtm, docs, 3, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render_vocab(&dtm), "a(2,2) b(1,2) c(1,1)");
	assert_string_equal(render(&dtm), " a:1 b:2 / a:1 c:1 /");
	assert_int_equal(dtm.n_included, 3);  /* the empty document counts */
	dtm_free(&dtm);
}

static void test_tf__byte_order_is_code_point_order(void **state)
{
	(void)state;
	const char *docs[] = { "été zebra Zulu apple éa" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	struct dtm dtm;
	assert_int_equal(build(&dtm, docs, 1, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render_vocab(&dtm), "Zulu(1,1) apple(1,1) zebra(1,1) éa(1,1) été(1,1)");
	dtm_free(&dtm);
}

static void test_tf__ngrams_stay_within_sentences(void **state)
{
	(void)state;
	const char *docs[] = { "a b | c" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	opts.ngram_max = 2;
	struct dtm dtm;
	assert_int_equal(build(&dtm, docs, 1, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render(&dtm), " a:1 a b:1 b:1 c:1");
	dtm_free(&dtm);
	opts.ngram_across_sentences = true;
	assert_int_equal(build(&dtm, docs, 1, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render(&dtm), " a:1 a b:1 b:1 b c:1 c:1");
	dtm_free(&dtm);
}

static void test_tf__ngrams_skip_stopwords_and_respect_min(void **state)
{
	(void)state;
	const char *docs[] = { "a *the b c a *of b" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	opts.ngram_min = 2;
	opts.ngram_max = 3;
	struct dtm dtm;
	assert_int_equal(build(&dtm, docs, 1, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render(&dtm), " a b:2 a b c:1 b c:1 b c a:1 c a:1 c a b:1");
	dtm_free(&dtm);
}

static void test_tf__min_df_max_df_counts_and_fractions(void **state)
{
	(void)state;
	const char *docs[] = { "a b c", "a b", "a d", "a" };
	struct tf_opts opts;
	struct dtm dtm;
	tf_opts_default(&opts);
	opts.min_df.count = 2;
	assert_int_equal(build(&dtm, docs, 4, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render_vocab(&dtm), "a(4,4) b(2,2)");
	dtm_free(&dtm);

	tf_opts_default(&opts);
	assert_int_equal(df_bound_parse("0.75", &opts.max_df), 0);  /* df <= 3 */
	assert_int_equal(build(&dtm, docs, 4, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render_vocab(&dtm), "b(2,2) c(1,1) d(1,1)");
	assert_string_equal(render(&dtm), " b:1 c:1 / b:1 / d:1 /");
	dtm_free(&dtm);

	tf_opts_default(&opts);
	assert_int_equal(df_bound_parse("0.5", &opts.min_df), 0);  /* df >= 2 */
	assert_int_equal(df_bound_parse("3", &opts.max_df), 0);
	assert_int_equal(build(&dtm, docs, 4, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render_vocab(&dtm), "b(2,2)");
	dtm_free(&dtm);
}

static void test_tf__max_features_ties_by_term_order(void **state)
{
	(void)state;
	const char *docs[] = { "d d c c b a a a" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	opts.max_features = 2;  /* a:3 first, then c and d tie at 2: c wins */
	struct dtm dtm;
	assert_int_equal(build(&dtm, docs, 1, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render_vocab(&dtm), "a(1,3) c(1,2)");
	dtm_free(&dtm);
}

static void test_tf__bad_bounds_and_empty_results_are_errors(void **state)
{
	(void)state;
	const char *docs[] = { "a b", "a" };
	struct tf_opts opts;
	struct dtm dtm;
	struct td_diag diag = { 0 };
	tf_opts_default(&opts);
	opts.min_df.count = 2;
	opts.max_df.is_frac = false;
	opts.max_df.count = 1;
	assert_int_equal(build(&dtm, docs, 2, &opts, 1, NULL, &diag), TD_EINVAL);
	assert_string_equal(diag.error, "max_df corresponds to fewer documents (1) than min_df (2)");
	const char *disjoint[] = { "a b", "c" };
	tf_opts_default(&opts);
	opts.min_df.count = 2;
	assert_int_equal(build(&dtm, disjoint, 2, &opts, 1, NULL, &diag), TD_EEMPTY);
	assert_string_equal(diag.error, "no terms remain after pruning (min_df, max_df, max_features)");
	td_diag_free(&diag);
}

static void test_tf__excluded_documents_have_zero_rows(void **state)
{
	(void)state;
	const char *docs[] = { "a b", "b c", "c" };
	bool included[] = { true, false, true };
	struct tf_opts opts;
	tf_opts_default(&opts);
	struct dtm dtm;
	assert_int_equal(build(&dtm, docs, 3, &opts, 1, included, NULL), 0);
	assert_int_equal(dtm.n_included, 2);
	assert_string_equal(render_vocab(&dtm), "a(1,1) b(1,1) c(1,1)");
	assert_string_equal(render(&dtm), " a:1 b:1 / / c:1");
	dtm_free(&dtm);
}

static void test_tf__parts_merge_to_the_same_matrix(void **state)
{
	(void)state;
	const char *docs[] = { "x y z x", "y | q r", "", "z z a b c", "b a y", "c c c" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	opts.ngram_max = 2;
	struct dtm one, three;
	assert_int_equal(build(&one, docs, 6, &opts, 1, NULL, NULL), 0);
	assert_int_equal(build(&three, docs, 6, &opts, 3, NULL, NULL), 0);
	char expect[1024];
	snprintf(expect, sizeof expect, "%s", render(&one));
	assert_string_equal(render(&three), expect);
	snprintf(expect, sizeof expect, "%s", render_vocab(&one));
	assert_string_equal(render_vocab(&three), expect);
	assert_memory_equal(one.row_ptr, three.row_ptr, 7 * sizeof *one.row_ptr);
	dtm_free(&one);
	dtm_free(&three);
}

static void test_tf__imposed_vocabulary_keeps_file_order(void **state)
{
	(void)state;
	char path[] = "/tmp/td_vocab_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "zeta\nalpha\r\nnever\n\n", 19), 19);
	close(fd);
	const char *docs[] = { "alpha zeta zeta beta" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	opts.vocab_file = path;
	opts.min_df.count = 5;  /* ignored with an imposed vocabulary, as in scikit-learn */
	struct dtm dtm;
	assert_int_equal(build(&dtm, docs, 1, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render_vocab(&dtm), "zeta(1,2) alpha(1,1) never(0,0)");
	assert_string_equal(render(&dtm), " zeta:2 alpha:1");
	dtm_free(&dtm);

	FILE *fp = fopen(path, "w");
	fputs("a\nb\na\n", fp);
	fclose(fp);
	struct td_diag diag = { 0 };
	assert_int_equal(build(&dtm, docs, 1, &opts, 1, NULL, &diag), TD_EFORMAT);
	assert_non_null(strstr(diag.error, "line 3: term 'a' is listed twice"));
	unlink(path);
	opts.vocab_file = path;
	assert_int_equal(build(&dtm, docs, 1, &opts, 1, NULL, &diag), TD_ENOENT);
	td_diag_free(&diag);
}

/* An imposed vocabulary of n-grams is found by the hash the counting gives
 * an n-gram (folded from its words' hashes): the file's "zeta zeta" is the
 * bigram counted in the text. */
static void test_tf__imposed_vocabulary_of_ngrams(void **state)
{
	(void)state;
	char path[] = "/tmp/td_vocab_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "zeta zeta\nalpha\nalpha zeta\nzeta alpha\n", 38), 38);
	close(fd);
	const char *docs[] = { "alpha zeta zeta beta", "zeta zeta zeta" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	opts.ngram_max = 2;
	opts.vocab_file = path;
	struct dtm dtm;
	assert_int_equal(build(&dtm, docs, 2, &opts, 2, NULL, NULL), 0);
	assert_string_equal(render_vocab(&dtm), "zeta zeta(2,3) alpha(1,1) alpha zeta(1,1) zeta alpha(0,0)");
	assert_string_equal(render(&dtm), " zeta zeta:1 alpha:1 alpha zeta:1 / zeta zeta:2");
	dtm_free(&dtm);
	unlink(path);
	/* the fold is the string's hash_term, and a word's is hash_word */
	uint64_t a = hash_word("alpha", 5), z = hash_word("zeta", 4);
	assert_true(hash_term("alpha", 5) == a);
	assert_true(hash_term("alpha zeta", 10) == hash_fold(a, z));
	assert_true(hash_term("zeta alpha", 10) != hash_term("alpha zeta", 10));
	assert_true(hash_term("alpha zeta zeta", 15) == hash_fold(hash_fold(a, z), z));
}

/* Large parts: tf_build gives back a part's pages as it reads them when its
 * rows come in document order; in any other order it must not.  Documents
 * of 300,000 distinct terms each (more than the release step), counted into
 * two parts (1.2 million entries each) in document order and in reverse
 * order, give the matrix one part gives; with bigrams too, whose table
 * (more than 2 MB, aligned to 2 MB) grows as they come. */
static void test_tf__large_parts_in_any_order(void **state)
{
	(void)state;
	enum { N_DOCS = 8, N_TERMS = 300000 };
	struct token_list lists[N_DOCS];
	for (size_t d = 0; d < N_DOCS; d++) {
		struct token_list *l = &lists[d];
		memset(l, 0, sizeof *l);
		l->items = calloc(N_TERMS, sizeof *l->items);
		l->buf = malloc(N_TERMS * 12);  /* room to spare: 16 bytes are readable from any token */
		assert_non_null(l->items);
		assert_non_null(l->buf);
		for (size_t t = 0; t < N_TERMS; t++) {
			int len = snprintf(l->buf + l->buf_len, 12, "t%zu", (t * 7 + d * 1000) % (N_TERMS + 5000));
			l->items[t] = (struct token){ .text = l->buf_len, .len = (uint32_t)len,
						      .hash = hash_word(l->buf + l->buf_len, (size_t)len) };
			l->buf_len += (size_t)len + 1;
		}
		l->n = N_TERMS;
		l->n_sentences = 1;
	}
	bool all[N_DOCS];
	for (size_t d = 0; d < N_DOCS; d++)
		all[d] = true;
	for (unsigned ngram = 1; ngram <= 2; ngram++) {
		struct tf_opts opts;
		tf_opts_default(&opts);
		opts.ngram_max = ngram;
		struct dtm m[3];
		for (int order = 0; order < 3; order++) {  /* one part; two in order; two reversed */
			struct tf_part *parts[2] = { 0 };
			size_t n_parts = order == 0 ? 1 : 2;
			for (size_t p = 0; p < n_parts; p++)
				assert_int_equal(tf_part_new(&parts[p], &opts), 0);
			for (size_t k = 0; k < N_DOCS; k++) {
				size_t d = order == 2 ? N_DOCS - 1 - k : k;
				assert_int_equal(tf_part_add(parts[d % n_parts], d, &lists[d]), 0);
			}
			assert_int_equal(tf_build(&m[order], parts, n_parts, all, N_DOCS, &opts, NULL), 0);
			for (size_t p = 0; p < n_parts; p++)
				tf_part_free(parts[p]);
		}
		uint64_t nnz = m[0].row_ptr[N_DOCS];
		if (ngram == 1)
			assert_int_equal(nnz, (uint64_t)N_DOCS * N_TERMS);
		else
			assert_true(nnz > (uint64_t)N_DOCS * N_TERMS);
		for (int order = 1; order < 3; order++)
			assert_same_dtm(&m[0], &m[order]);
		for (int order = 0; order < 3; order++)
			dtm_free(&m[order]);
	}
	for (size_t d = 0; d < N_DOCS; d++)
		token_list_free(&lists[d]);
}

/* Counts docs into n_parts parts, taking documents round-robin, in document
 * order or in reverse order, and builds the matrix. */
static int build_parts(struct dtm *dtm, const char *const *docs, size_t n_docs, const struct tf_opts *opts,
		       size_t n_parts, bool reverse, const bool *included)
{
	struct tf_part *parts[4] = { 0 };
	for (size_t p = 0; p < n_parts; p++)
		assert_int_equal(tf_part_new(&parts[p], opts), 0);
	for (size_t k = 0; k < n_docs; k++) {
		size_t d = reverse ? n_docs - 1 - k : k;
		struct token_list list;
		fixture_tokens(&list, docs[d]);
		assert_int_equal(tf_part_add(parts[k % n_parts], d, &list), 0);
		token_list_free(&list);
	}
	int rc = tf_build(dtm, parts, n_parts, included, n_docs, opts, NULL);
	for (size_t p = 0; p < n_parts; p++)
		tf_part_free(parts[p]);
	return rc;
}

/* One part whose rows are in document order is rewritten in place into the
 * matrix; one part in another order, or several parts, are merged into new
 * arrays.  Every n-gram range, with and without n-grams across sentences,
 * pruning and excluded documents, gives the same matrix both ways, and the
 * terms hash as hash_term does. */
static void test_tf__one_part_in_place_matches_merged_parts(void **state)
{
	(void)state;
	const char *docs[] = {
		"the united states | of america the united *of states",
		"states united | the the the",
		"",
		"internationalization internationalizations international internationally | x",
		"a b c a b c a b c",
		"c b a | a b | *x c",
		"*of *of | *of",
	};
	enum { N_DOCS = 7 };
	const unsigned ranges[][2] = { { 1, 1 }, { 1, 2 }, { 1, 3 }, { 2, 2 }, { 2, 3 }, { 3, 3 } };
	bool all[N_DOCS], some[N_DOCS];
	for (size_t d = 0; d < N_DOCS; d++) {
		all[d] = true;
		some[d] = d != 1 && d != 4;
	}
	for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++)
		for (int variant = 0; variant < 8; variant++) {
			struct tf_opts opts;
			tf_opts_default(&opts);
			opts.ngram_min = ranges[r][0];
			opts.ngram_max = ranges[r][1];
			opts.ngram_across_sentences = variant & 1;
			if (variant & 2)
				opts.min_df.count = 2;
			if (variant & 4)
				opts.max_features = 5;
			for (int inc = 0; inc < 2; inc++) {
				const bool *included = inc ? some : all;
				struct dtm in_place, one_reversed, three;
				int rc = build_parts(&in_place, docs, N_DOCS, &opts, 1, false, included);
				assert_int_equal(build_parts(&one_reversed, docs, N_DOCS, &opts, 1, true, included), rc);
				assert_int_equal(build_parts(&three, docs, N_DOCS, &opts, 3, false, included), rc);
				if (rc) {
					assert_int_equal(rc, TD_EEMPTY);
					continue;
				}
				assert_same_dtm(&in_place, &one_reversed);
				assert_same_dtm(&in_place, &three);
				for (size_t t = 0; t < in_place.n_terms; t++) {
					const char *term = vocab_term(&in_place.terms, (uint32_t)t);
					assert_true(in_place.terms.hash[t] == hash_term(term, strlen(term)));
				}
				dtm_free(&in_place);
				dtm_free(&one_reversed);
				dtm_free(&three);
			}
		}
}

/* Trigrams are found by their first two words' bigram: with bigrams not
 * counted (3:3), within sentences or across them, stopwords skipped. */
static void test_tf__trigrams_alone(void **state)
{
	(void)state;
	const char *docs[] = { "a b c d | a b c", "b c d *x a" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	opts.ngram_min = opts.ngram_max = 3;
	struct dtm dtm;
	assert_int_equal(build(&dtm, docs, 2, &opts, 1, NULL, NULL), 0);
	assert_string_equal(render_vocab(&dtm), "a b c(1,2) b c d(2,2) c d a(1,1)");
	assert_string_equal(render(&dtm), " a b c:2 b c d:1 / b c d:1 c d a:1");
	dtm_free(&dtm);
	opts.ngram_across_sentences = true;
	assert_int_equal(build(&dtm, docs, 2, &opts, 2, NULL, NULL), 0);
	assert_string_equal(render(&dtm), " a b c:2 b c d:1 c d a:1 d a b:1 / b c d:1 c d a:1");
	dtm_free(&dtm);
}

/* Builds docs with n_parts parts and with one (default options), and checks
 * that both give the same matrix. */
static void build_many_and_one(struct dtm *many, struct dtm *one, const char *const *docs, size_t n_docs,
			       size_t n_parts)
{
	struct tf_opts opts;
	tf_opts_default(&opts);
	assert_int_equal(build(many, docs, n_docs, &opts, n_parts, NULL, NULL), 0);
	assert_int_equal(build(one, docs, n_docs, &opts, 1, NULL, NULL), 0);
	assert_same_dtm(many, one);
}

/* The vocabulary is sorted by 8-byte prefixes, then the terms that share one
 * by their strings: 32 terms with one prefix (past the insertion sort's 16),
 * of lengths around 8 and 16 bytes, in one part and in two. */
static void test_tf__terms_sharing_long_prefixes_sort_in_byte_order(void **state)
{
	(void)state;
	enum { N_WORDS = 40 };
	static char words[N_WORDS][32];
	static char doc0[N_WORDS * 33], doc1[N_WORDS * 33];
	const char *tails[] = { "", "s", "z", "a", "ing", "\xc3\xa9", "zz", "aa", "ationalization", "ation" };
	size_t at0 = 0, at1 = 0;
	for (size_t i = 0; i < N_WORDS; i++) {
		/* distinct: the last letter and the tail come from i; a fifth are shorter */
		snprintf(words[i], sizeof words[i], "%s%s%c", i % 5 ? "prefixed" : "prefix", tails[i % 10],
			 (char)('a' + i / 10));
		size_t k = (i * 17) % N_WORDS;  /* shuffled */
		char *doc = k % 2 ? doc1 : doc0;
		size_t *at = k % 2 ? &at1 : &at0;
		*at += (size_t)snprintf(doc + *at, N_WORDS * 33 - *at, "%s ", words[i]);
	}
	const char *docs[] = { doc0, doc1 };
	struct dtm dtm, one;
	build_many_and_one(&dtm, &one, docs, 2, 2);
	for (size_t t = 1; t < dtm.n_terms; t++)
		assert_true(strcmp(vocab_term(&dtm.terms, (uint32_t)t - 1), vocab_term(&dtm.terms, (uint32_t)t)) < 0);
	assert_int_equal(dtm.n_terms, N_WORDS);
	dtm_free(&dtm);
	dtm_free(&one);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Terms that share 8, 16, 24... bytes in runs of dozens (the prefix sort
 * leaves each run to string comparisons), terms alike for 300 bytes, and
 * terms that are prefixes of others: the vocabulary is in byte order, with
 * one part and three, shuffled. */
static void test_tf__terms_sharing_many_chunks_sort_in_byte_order(void **state)
{
	(void)state;
	static const char *const mids[] = { "", "x", "abcdefg", "abcdefgh", "abcdefghij", "abcdefghijklmnopq" };
	static const char *const tails[] = { "", "a", "zz", "\xc3\xa9", "ab", "b" };
	enum { N_BASES = 3, N_MIDS = 6, N_TAILS = 6, N_WORDS = N_BASES * N_MIDS * N_TAILS * 2 };
	char long_base[301];
	memset(long_base, 'q', 300);
	long_base[300] = '\0';
	const char *bases[N_BASES] = { "internationalization", long_base, "inter" };
	static char words[N_WORDS][340];
	const char *sorted[N_WORDS];
	size_t n_words = 0;
	for (size_t b = 0; b < N_BASES; b++)
		for (size_t m = 0; m < N_MIDS; m++)
			for (size_t t = 0; t < N_TAILS; t++)
				for (size_t e = 0; e < 2; e++) {
					char *w = words[n_words];
					snprintf(w, sizeof words[0], "%s%s%s%s", bases[b], mids[m], tails[t], e ? "k" : "");
					bool seen = w[0] == '\0';
					for (size_t i = 0; i < n_words && !seen; i++)
						seen = strcmp(words[i], w) == 0;
					if (!seen)
						sorted[n_words++] = w;
				}
	/* three documents, the words dealt out in a shuffled order */
	static char docs_text[3][N_WORDS * 341];
	size_t at[3] = { 0 };
	for (size_t i = 0; i < n_words; i++) {
		size_t k = (i * 37) % n_words, d = k % 3;
		at[d] += (size_t)snprintf(docs_text[d] + at[d], sizeof docs_text[d] - at[d], "%s ", words[k]);
	}
	qsort(sorted, n_words, sizeof *sorted, compare_strings);
	const char *docs[] = { docs_text[0], docs_text[1], docs_text[2] };
	struct dtm three, one;
	build_many_and_one(&three, &one, docs, 3, 3);
	assert_int_equal(one.n_terms, n_words);
	for (size_t t = 0; t < one.n_terms; t++)
		assert_string_equal(vocab_term(&one.terms, (uint32_t)t), sorted[t]);
	dtm_free(&three);
	dtm_free(&one);

	/* every word in every document, in three orders: the parts' lists hold
	 * the same terms, which the merge must find equal (by their 16-byte
	 * keys, and past them by their strings) */
	for (size_t d = 0; d < 3; d++) {
		at[d] = 0;
		for (size_t i = 0; i < n_words; i++) {
			size_t k = (i * (d == 0 ? 37 : d == 1 ? 41 : 1)) % n_words;
			at[d] += (size_t)snprintf(docs_text[d] + at[d], sizeof docs_text[d] - at[d], "%s ", words[k]);
		}
	}
	build_many_and_one(&three, &one, docs, 3, 3);
	assert_int_equal(three.n_terms, n_words);
	for (size_t t = 0; t < three.n_terms; t++) {
		assert_string_equal(vocab_term(&three.terms, (uint32_t)t), sorted[t]);
		assert_int_equal(three.df[t], 3);
	}
	dtm_free(&three);
	dtm_free(&one);
}

static void test_tf__option_parsers(void **state)
{
	(void)state;
	struct df_bound b;
	assert_int_equal(df_bound_parse("2", &b), 0);
	assert_false(b.is_frac);
	assert_int_equal(b.count, 2);
	assert_int_equal(df_bound_parse("1.0", &b), 0);
	assert_true(b.is_frac);
	assert_true(b.frac == 1.0);
	assert_int_equal(df_bound_parse("1.5", &b), TD_EINVAL);
	assert_int_equal(df_bound_parse("-1", &b), TD_EINVAL);
	assert_int_equal(df_bound_parse("2x", &b), TD_EINVAL);
	assert_int_equal(df_bound_parse("", &b), TD_EINVAL);
	unsigned lo, hi;
	assert_int_equal(ngram_parse("1:2", &lo, &hi), 0);
	assert_int_equal(lo * 10 + hi, 12);
	assert_int_equal(ngram_parse("2", &lo, &hi), 0);
	assert_int_equal(lo * 10 + hi, 22);
	assert_int_equal(ngram_parse("3:1", &lo, &hi), TD_EINVAL);
	assert_int_equal(ngram_parse("1:4", &lo, &hi), TD_EINVAL);
	assert_int_equal(ngram_parse("0:1", &lo, &hi), TD_EINVAL);
	assert_int_equal(ngram_parse("1:", &lo, &hi), TD_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tf__counts_df_cf_and_sorted_ids),
		cmocka_unit_test(test_tf__byte_order_is_code_point_order),
		cmocka_unit_test(test_tf__ngrams_stay_within_sentences),
		cmocka_unit_test(test_tf__ngrams_skip_stopwords_and_respect_min),
		cmocka_unit_test(test_tf__min_df_max_df_counts_and_fractions),
		cmocka_unit_test(test_tf__max_features_ties_by_term_order),
		cmocka_unit_test(test_tf__bad_bounds_and_empty_results_are_errors),
		cmocka_unit_test(test_tf__excluded_documents_have_zero_rows),
		cmocka_unit_test(test_tf__parts_merge_to_the_same_matrix),
		cmocka_unit_test(test_tf__imposed_vocabulary_keeps_file_order),
		cmocka_unit_test(test_tf__imposed_vocabulary_of_ngrams),
		cmocka_unit_test(test_tf__large_parts_in_any_order),
		cmocka_unit_test(test_tf__one_part_in_place_matches_merged_parts),
		cmocka_unit_test(test_tf__trigrams_alone),
		cmocka_unit_test(test_tf__terms_sharing_long_prefixes_sort_in_byte_order),
		cmocka_unit_test(test_tf__terms_sharing_many_chunks_sort_in_byte_order),
		cmocka_unit_test(test_tf__option_parsers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
