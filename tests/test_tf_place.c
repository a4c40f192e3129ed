/* test_tf_place.c - the matrix of several parts built in part 0's arrays.
 *
 * With several parts whose rows come in document order (as the counting
 * threads make them), tf_build writes the matrix into part 0's arrays when
 * every share's rows land at or after part 0's rows of the documents before
 * it, and into new arrays when not.  This test compiles tf.c to see which
 * way each build went (placed_in_part0), and checks that both give the
 * matrix one part gives: random corpora in two to four parts, documents
 * handed out round-robin, in runs or at random (each part keeping document
 * order), with n-grams, pruning and excluded documents; and corpora made
 * so that part 0's first rows are pruned away, which must go the other way.
 * The parts' arrays start with room for 64 entries, and grow.
 */
#define ENTRIES_START 64  /* the parts' arrays grow as rows come, as on large corpora */
#include "../src/tf.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tokens_fixture.h"
#include "dtm_assert.h"

/* xorshift64*: the same corpora on every machine */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* A token spec of up to max_tokens words of a vocabulary of n_words, the
 * first ones the most frequent, with sentence breaks and stopwords. */
static char *random_doc(uint64_t *seed, size_t max_tokens, size_t n_words)
{
	size_t n = (size_t)(next_random(seed) % (max_tokens + 1));
	char *spec = malloc(n * 16 + 1), *at = spec;
	assert_non_null(spec);
	for (size_t i = 0; i < n; i++) {
		uint64_t r = next_random(seed);
		if (r % 23 == 0) {
			at += sprintf(at, "| ");
			continue;
		}
		/* the product of two uniform numbers: small ones far more often */
		size_t w = (size_t)((r >> 8) % n_words * ((r >> 40) % n_words) / n_words);
		at += sprintf(at, "%sw%zu ", r % 17 == 0 ? "*" : "", w);
	}
	*at = '\0';
	return spec;
}

/* Counts docs into n_parts parts (part_of[d], each part in document order)
 * and builds the matrix; *placed says whether it went to part 0's arrays. */
static int build_in_parts(struct dtm *dtm, char *const *docs, size_t n_docs, const size_t *part_of, size_t n_parts,
			  const struct tf_opts *opts, const bool *included, bool *placed)
{
	struct tf_part *parts[4] = { 0 };
	for (size_t p = 0; p < n_parts; p++)
		assert_int_equal(tf_part_new(&parts[p], opts), 0);
	for (size_t d = 0; d < n_docs; d++) {
		struct token_list list;
		fixture_tokens(&list, docs[d]);
		assert_int_equal(tf_part_add(parts[part_of[d]], d, &list), 0);
		token_list_free(&list);
	}
	size_t before = placed_in_part0;
	int rc = tf_build(dtm, parts, n_parts, included, n_docs, opts, NULL);
	*placed = placed_in_part0 > before;
	for (size_t p = 0; p < n_parts; p++)
		tf_part_free(parts[p]);
	return rc;
}

/* Random corpora: every way of handing out the documents, every option, the
 * matrix of one part.  Without pruning and with every document counted, a
 * document's rows before it in all parts hold at least part 0's: the rows
 * must go to part 0's arrays.  Rows of thousands of entries take more than
 * a page of a part, which is given back as its share is read. */
static void test_tf_place__random_corpora_match_one_part(void **state)
{
	(void)state;
	enum { N_DOCS = 120 };
	uint64_t seed = 0x9e3779b97f4a7c15u;
	char *docs[N_DOCS];
	for (size_t d = 0; d < N_DOCS; d++)
		docs[d] = random_doc(&seed, d % 10 == 3 ? 1500 : 200, 2000);
	bool all[N_DOCS], some[N_DOCS];
	for (size_t d = 0; d < N_DOCS; d++) {
		all[d] = true;
		some[d] = next_random(&seed) % 5 != 0;
	}
	size_t zeros[N_DOCS] = { 0 };
	size_t n_placed = 0, n_not = 0;
	for (unsigned ngram = 1; ngram <= 3; ngram++)
		for (int pruning = 0; pruning < 4; pruning++)
			for (int inc = 0; inc < 2; inc++) {
				struct tf_opts opts;
				tf_opts_default(&opts);
				opts.ngram_max = ngram;
				if (pruning == 1)
					opts.min_df.count = 2;
				if (pruning == 2)
					opts.max_df = (struct df_bound){ .is_frac = true, .frac = 0.3 };
				if (pruning == 3)
					opts.max_features = 150;
				const bool *included = inc ? some : all;
				struct dtm one;
				bool placed;
				assert_int_equal(build_in_parts(&one, docs, N_DOCS, zeros, 1, &opts, included, &placed), 0);
				for (size_t n_parts = 2; n_parts <= 4; n_parts++)
					for (int way = 0; way < 3; way++) {
						size_t part_of[N_DOCS];
						for (size_t d = 0; d < N_DOCS; d++)
							part_of[d] = way == 0 ? d % n_parts
								   : way == 1 ? d * n_parts / N_DOCS
									      : next_random(&seed) % n_parts;
						struct dtm many;
						assert_int_equal(build_in_parts(&many, docs, N_DOCS, part_of, n_parts, &opts,
										included, &placed), 0);
						assert_same_dtm(&one, &many);
						if (pruning == 0 && !inc)
							assert_true(placed);
						n_placed += placed;
						n_not += !placed;
						dtm_free(&many);
					}
				dtm_free(&one);
			}
	/* pruning and excluded documents made some builds go the other way */
	assert_true(n_placed > 0);
	assert_true(n_not > 0);
	for (size_t d = 0; d < N_DOCS; d++)
		free(docs[d]);
}

/* Part 0's first documents hold terms no other document has, pruned by
 * min_df = 2: the rows of the documents after them land below where part
 * 0's rows of them were, and the matrix goes to new arrays; without the
 * pruning it goes to part 0's.  Both give one part's matrix. */
static void test_tf_place__pruned_first_rows_take_new_arrays(void **state)
{
	(void)state;
	enum { N_DOCS = 64 };
	char *docs[N_DOCS];
	size_t part_of[N_DOCS], zeros[N_DOCS] = { 0 };
	bool all[N_DOCS];
	for (size_t d = 0; d < N_DOCS; d++) {
		docs[d] = malloc(8192);
		assert_non_null(docs[d]);
		char *at = docs[d];
		if (d < 8)  /* 400 terms of their own */
			for (int k = 0; k < 400; k++)
				at += sprintf(at, "only%zu_%d ", d, k);
		at += sprintf(at, "common%zu common%zu shared", d % 4, (d + 1) % 4);
		part_of[d] = d < 8 ? 0 : 1 + d % 2;
		all[d] = true;
	}
	for (int prune = 0; prune < 2; prune++) {
		struct tf_opts opts;
		tf_opts_default(&opts);
		if (prune)
			opts.min_df.count = 2;
		struct dtm one, many;
		bool placed;
		assert_int_equal(build_in_parts(&one, docs, N_DOCS, zeros, 1, &opts, all, &placed), 0);
		assert_int_equal(build_in_parts(&many, docs, N_DOCS, part_of, 3, &opts, all, &placed), 0);
		assert_same_dtm(&one, &many);
		assert_true(placed == !prune);
		dtm_free(&one);
		dtm_free(&many);
	}
	for (size_t d = 0; d < N_DOCS; d++)
		free(docs[d]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tf_place__random_corpora_match_one_part),
		cmocka_unit_test(test_tf_place__pruned_first_rows_take_new_arrays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
