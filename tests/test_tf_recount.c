/* test_tf_recount.c - df and cf counted again from the rows.
 *
 * A part counts each term's df and cf as it counts the rows, in 32-bit
 * fields; past TF_SEEN_COUNTS_MAX occurrences (2^32 - 1) those may have
 * wrapped, and tf_build counts df and cf again from the rows instead.  No
 * test can count 4 billion tokens, so this one compiles tf.c with the limit
 * at 4 occurrences and checks both ways against counts worked by hand: a
 * part past the limit, a part below it, one of each, and documents that do
 * not count in either. */
#define TF_SEEN_COUNTS_MAX 4
#include "../src/tf.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tokens_fixture.h"

/* Counts docs[d] into part parts_of[d], builds the matrix and renders its
 * vocabulary as "term(df,cf) ...". */
static const char *build_vocab(const char *const *docs, const size_t *parts_of, size_t n_docs, size_t n_parts,
			       const bool *included)
{
	static char out[512];
	struct tf_part *parts[2] = { 0 };
	struct tf_opts opts;
	tf_opts_default(&opts);
	for (size_t p = 0; p < n_parts; p++)
		assert_int_equal(tf_part_new(&parts[p], &opts), 0);
	for (size_t d = 0; d < n_docs; d++) {
		struct token_list list;
		fixture_tokens(&list, docs[d]);
		assert_int_equal(tf_part_add(parts[parts_of[d]], d, &list), 0);
		token_list_free(&list);
	}
	struct dtm dtm;
	assert_int_equal(tf_build(&dtm, parts, n_parts, included, n_docs, &opts, NULL), 0);
	size_t at = 0;
	out[0] = '\0';
	for (size_t t = 0; t < dtm.n_terms; t++)
		at += (size_t)snprintf(out + at, sizeof out - at, "%s%s(%llu,%llu)", t ? " " : "",
				       vocab_term(&dtm.terms, (uint32_t)t), (unsigned long long)dtm.df[t],
				       (unsigned long long)dtm.cf[t]);
	dtm_free(&dtm);
	for (size_t p = 0; p < n_parts; p++)
		tf_part_free(parts[p]);
	return out;
}

static void test_tf_recount__past_the_limit_and_below_it(void **state)
{
	(void)state;
	/* 9 occurrences in all: one part past the limit; two parts, one past
	 * it (7) and one below (2); two parts, one past it (5) and one at it (4) */
	const char *docs[] = { "a b a", "b | c", "a a c c" };
	bool all[] = { true, true, true }, no_second[] = { true, false, true };
	const size_t one_part[] = { 0, 0, 0 }, two_parts[] = { 0, 1, 0 }, below_and_past[] = { 1, 1, 0 };
	const char *expect = "a(2,4) b(2,2) c(2,3)";
	assert_string_equal(build_vocab(docs, one_part, 3, 1, all), expect);
	assert_string_equal(build_vocab(docs, two_parts, 3, 2, all), expect);
	assert_string_equal(build_vocab(docs, below_and_past, 3, 2, all), expect);
	/* the second document does not count: its b and c go */
	expect = "a(2,4) b(1,1) c(1,2)";
	assert_string_equal(build_vocab(docs, one_part, 3, 1, no_second), expect);
	assert_string_equal(build_vocab(docs, two_parts, 3, 2, no_second), expect);
	assert_string_equal(build_vocab(docs, below_and_past, 3, 2, no_second), expect);
}

/* Below the limit in every part: the counts as the rows were counted, less
 * the documents that do not count. */
static void test_tf_recount__below_the_limit(void **state)
{
	(void)state;
	const char *docs[] = { "a b", "b c", "c" };
	bool all[] = { true, true, true }, no_second[] = { true, false, true };
	const size_t two_parts[] = { 0, 1, 1 };
	assert_string_equal(build_vocab(docs, two_parts, 3, 2, all), "a(1,1) b(2,2) c(2,2)");
	assert_string_equal(build_vocab(docs, two_parts, 3, 2, no_second), "a(1,1) b(1,1) c(1,1)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tf_recount__past_the_limit_and_below_it),
		cmocka_unit_test(test_tf_recount__below_the_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
