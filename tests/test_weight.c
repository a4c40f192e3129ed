/* test_weight.c - every weighting formula on a hand-worked example, the
 * weighting's values bit for bit as computed before it (weight_reference.h)
 * for any number of threads, and the date bins.  Corpus: d0 = "a b b",
 * d1 = "a c".  n = 2; df: a 2, b 1, c 1.  Expected values: scikit-learn 1.2
 * TfidfVectorizer on the same two documents (printed with 17 digits), or the
 * formula worked by hand where scikit-learn has no such option. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "tokens_fixture.h"
#include "weight.h"
#include "weight_reference.h"

#define EXACT 1e-15

static struct dtm example(void)
{
	const char *docs[] = { "a b b", "a c" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	struct tf_part *part;
	assert_int_equal(tf_part_new(&part, &opts), 0);
	for (size_t d = 0; d < 2; d++) {
		struct token_list list;
		fixture_tokens(&list, docs[d]);
		assert_int_equal(tf_part_add(part, d, &list), 0);
		token_list_free(&list);
	}
	bool included[] = { true, true };
	struct dtm dtm;
	assert_int_equal(tf_build(&dtm, &part, 1, included, 2, &opts, NULL), 0);
	tf_part_free(part);
	return dtm;
}

/* Weights example() and compares the values of its 4 nonzeros (d0 a, d0 b,
 * d1 a, d1 c), one at a time and all at once. */
static void check(enum tf_scheme tf_s, enum idf_scheme idf_s, enum norm_scheme norm_s, const double expect[4])
{
	struct dtm dtm = example();
	struct weight_opts opts = { tf_s, idf_s, norm_s };
	struct weighting wt;
	double *w;
	assert_int_equal(weighting_init(&wt, &dtm, &opts, 1), 0);
	assert_int_equal(weighting_values(&wt, 1, &w), 0);
	static const size_t row_of[] = { 0, 0, 1, 1 };
	for (int k = 0; k < 4; k++) {
		assert_float_equal(weighting_value(&wt, row_of[k], (uint64_t)k), expect[k], EXACT);
		assert_float_equal(w[k], expect[k], EXACT);
	}
	free(w);
	weighting_free(&wt);
	dtm_free(&dtm);
}

static void test_weight__sklearn_default_smooth_l2(void **state)
{
	(void)state;
	const double e[] = { 0.33517574332792605, 0.9421556246632359, 0.5797386715376657, 0.8148024746671689 };
	check(TFS_RAW, IDF_SMOOTH, NORM_L2, e);
	struct dtm dtm = example();
	double *idf;
	assert_int_equal(weight_idf(&dtm, IDF_SMOOTH, &idf), 0);
	assert_float_equal(idf[0], 1.0, EXACT);
	assert_float_equal(idf[1], 1.4054651081081644, EXACT);
	free(idf);
	assert_int_equal(weight_idf(&dtm, IDF_PLAIN, &idf), 0);
	assert_float_equal(idf[1], 1.6931471805599454, EXACT);
	free(idf);
	assert_int_equal(weight_idf(&dtm, IDF_PROB, &idf), 0);
	assert_float_equal(idf[0], 0.0, EXACT);   /* max(0, ln(0/2)) */
	assert_float_equal(idf[1], 0.0, EXACT);   /* ln((2-1)/1) */
	free(idf);
	dtm_free(&dtm);
}

static void test_weight__sklearn_sublinear(void **state)
{
	(void)state;
	const double e[] = { 0.3874113305052739, 0.9219069698164416, 0.5797386715376657, 0.8148024746671689 };
	check(TFS_SUBLINEAR, IDF_SMOOTH, NORM_L2, e);
}

static void test_weight__sklearn_plain_idf(void **state)
{
	(void)state;
	const double e[] = { 0.2832169249871526, 0.95905587605771, 0.5085423203783267, 0.8610369959439764 };
	check(TFS_RAW, IDF_PLAIN, NORM_L2, e);
}

static void test_weight__sklearn_l1_and_none(void **state)
{
	(void)state;
	const double l1[] = { 0.26240312555312206, 0.7375968744468779, 0.4157200188143547, 0.5842799811856452 };
	check(TFS_RAW, IDF_SMOOTH, NORM_L1, l1);
	const double none[] = { 1.0, 2.8109302162163288, 1.0, 1.4054651081081644 };
	check(TFS_RAW, IDF_SMOOTH, NORM_NONE, none);
}

static void test_weight__sklearn_binary(void **state)
{
	(void)state;
	const double e[] = { 0.5797386715376657, 0.8148024746671689, 0.5797386715376657, 0.8148024746671689 };
	check(TFS_BINARY, IDF_SMOOTH, NORM_L2, e);
}

static void test_weight__other_tf_schemes_by_hand(void **state)
{
	(void)state;
	double ib = 1 + log(1.5);  /* smooth idf of b and c */
	/* log: ln(1 + tf), no norm */
	const double lg[] = { log(2.0), log(3.0) * ib, log(2.0), log(2.0) * ib };
	check(TFS_LOG, IDF_SMOOTH, NORM_NONE, lg);
	/* prop: tf / row total (3 and 2) */
	const double prop[] = { 1.0 / 3, 2.0 / 3 * ib, 0.5, 0.5 * ib };
	check(TFS_PROP, IDF_SMOOTH, NORM_NONE, prop);
	/* augmented: 0.5 + 0.5 tf / max tf (max 2 and 1) */
	const double aug[] = { 0.75, 1.0 * ib, 1.0, 1.0 * ib };
	check(TFS_AUGMENTED, IDF_SMOOTH, NORM_NONE, aug);
	/* idf none: raw counts, l1 */
	const double raw[] = { 1.0 / 3, 2.0 / 3, 0.5, 0.5 };
	check(TFS_RAW, IDF_NONE, NORM_L1, raw);
	/* prob idf: every weight 0, a norm of 0 that divides nothing */
	const double zero[] = { 0, 0, 0, 0 };
	check(TFS_RAW, IDF_PROB, NORM_L2, zero);
}

/* The tf weights themselves (tfidf.csv's tf column). */
static void test_weight__tf_weights_by_hand(void **state)
{
	(void)state;
	struct dtm dtm = example();  /* counts 1, 2 (row total 3, max 2); 1, 1 (total 2, max 1) */
	static const size_t row_of[] = { 0, 0, 1, 1 };
	const double expect[][4] = {
		[TFS_RAW] = { 1, 2, 1, 1 },
		[TFS_SUBLINEAR] = { 1, 1 + log(2.0), 1, 1 },
		[TFS_BINARY] = { 1, 1, 1, 1 },
		[TFS_LOG] = { log(2.0), log(3.0), log(2.0), log(2.0) },
		[TFS_PROP] = { 1.0 / 3, 2.0 / 3, 0.5, 0.5 },
		[TFS_AUGMENTED] = { 0.75, 1, 1, 1 },
	};
	for (int s = TFS_RAW; s <= TFS_AUGMENTED; s++) {
		struct weight_opts opts = { (enum tf_scheme)s, IDF_SMOOTH, NORM_L2 };
		struct weighting wt;
		assert_int_equal(weighting_init(&wt, &dtm, &opts, 1), 0);
		for (int k = 0; k < 4; k++)
			assert_float_equal(weighting_tf(&wt, row_of[k], (uint64_t)k), expect[s][k], EXACT);
		weighting_free(&wt);
	}
	dtm_free(&dtm);
}

static void test_weight__bins_sum_documents_and_keep_gaps(void **state)
{
	(void)state;
	/* Three documents: d0 and d2 on 2025-02-18, d1 on 2025-02-20; a gap day. */
	const char *docs[] = { "a b", "c", "a a" };
	struct tf_opts opts;
	tf_opts_default(&opts);
	struct tf_part *part;
	assert_int_equal(tf_part_new(&part, &opts), 0);
	for (size_t d = 0; d < 3; d++) {
		struct token_list list;
		fixture_tokens(&list, docs[d]);
		assert_int_equal(tf_part_add(part, d, &list), 0);
		token_list_free(&list);
	}
	bool included[] = { true, true, true }, has_date[] = { true, true, true };
	struct dtm dtm, bins;
	assert_int_equal(tf_build(&dtm, &part, 1, included, 3, &opts, NULL), 0);
	tf_part_free(part);
	int32_t day18 = date_from_ymd(2025, 2, 18), day20 = date_from_ymd(2025, 2, 20);
	int32_t dates[] = { day18, day20, day18 }, *starts;
	assert_int_equal(weight_bin_rows(&dtm, included, dates, has_date, BIN_DAY, &bins, &starts, NULL), 0);
	assert_int_equal(bins.n_docs, 3);      /* 18, 19 (empty), 20 */
	assert_int_equal(bins.n_included, 2);  /* the empty day does not count in n */
	assert_int_equal(starts[1], day18 + 1);
	/* day 18: a 3, b 1; day 19: nothing; day 20: c 1 */
	assert_int_equal(bins.row_ptr[1], 2);
	assert_int_equal(bins.row_ptr[2], 2);
	assert_int_equal(bins.count[0], 3);
	assert_int_equal(bins.count[1], 1);
	assert_int_equal(bins.col[2], 2);
	assert_int_equal(bins.df[0], 1);
	free(starts);
	dtm_free(&bins);

	/* By ISO week: 2025-02-18 is a Tuesday: the week of Monday 17th. */
	assert_int_equal(weight_bin_rows(&dtm, included, dates, has_date, BIN_WEEK, &bins, &starts, NULL), 0);
	assert_int_equal(bins.n_docs, 1);
	assert_int_equal(starts[0], date_from_ymd(2025, 2, 17));
	free(starts);
	dtm_free(&bins);

	/* No dated document: an error the caller can report. */
	bool none[] = { false, false, false };
	assert_int_equal(weight_bin_rows(&dtm, included, dates, none, BIN_DAY, &bins, &starts, NULL), TD_EEMPTY);
	dtm_free(&dtm);
}

/* The weighting's values and tf weights are those weight_reference.h
 * computes, bit for bit, with its rows made on 1 to 5 threads and all values
 * computed at once on 1 to 5 threads, on a matrix of 4,000 rows (some empty)
 * and 400,000 nonzeros, for every tf, idf and norm scheme. */
static void test_weight__same_bits_as_reference_any_threads(void **state)
{
	(void)state;
	struct dtm dtm = { .n_docs = 4000, .n_included = 4000, .n_terms = 3000 };
	dtm.row_ptr = malloc((dtm.n_docs + 1) * sizeof *dtm.row_ptr);
	dtm.col = malloc(400000 * sizeof *dtm.col);
	dtm.count = malloc(400000 * sizeof *dtm.count);
	dtm.df = calloc(dtm.n_terms, sizeof *dtm.df);
	double *tf_ref = malloc(400000 * sizeof *tf_ref), *w_ref = malloc(400000 * sizeof *w_ref);
	assert_true(dtm.row_ptr && dtm.col && dtm.count && dtm.df && tf_ref && w_ref);
	uint64_t x = 2463534242u, k = 0;
	for (size_t d = 0; d < dtm.n_docs; d++) {
		dtm.row_ptr[d] = k;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t n = d % 9 == 0 ? 0 : 100 + x % 99;
		for (size_t j = 0; j < n && k < 400000; j++) {
			dtm.col[k] = (uint32_t)(j * 29 % dtm.n_terms);
			dtm.df[dtm.col[k]]++;
			dtm.count[k++] = 1 + (uint32_t)((x >> (j % 40)) % 50);
		}
	}
	dtm.row_ptr[dtm.n_docs] = k;
	for (int t = TFS_RAW; t <= TFS_AUGMENTED; t++)
		for (int i = IDF_SMOOTH; i <= IDF_NONE; i++)
			for (int n = NORM_L2; n <= NORM_NONE; n++) {
				struct weight_opts opts = { (enum tf_scheme)t, (enum idf_scheme)i, (enum norm_scheme)n };
				struct weighting one;
				assert_int_equal(weighting_init(&one, &dtm, &opts, 1), 0);
				reference_weights(&dtm, one.idf, &opts, tf_ref, w_ref);
				size_t differ = 0;
				for (size_t d = 0; d < dtm.n_docs; d++)
					for (uint64_t j = dtm.row_ptr[d]; j < dtm.row_ptr[d + 1]; j++) {
						double tf = weighting_tf(&one, d, j), w = weighting_value(&one, d, j);
						differ += memcmp(&tf, &tf_ref[j], sizeof tf) != 0;
						differ += memcmp(&w, &w_ref[j], sizeof w) != 0;
					}
				assert_int_equal(differ, 0);
				for (unsigned threads = 1; threads <= 5; threads++) {
					struct weighting wt;
					double *w;
					assert_int_equal(weighting_init(&wt, &dtm, &opts, threads), 0);
					assert_memory_equal(wt.rows, one.rows, dtm.n_docs * sizeof *wt.rows);
					assert_int_equal(weighting_values(&wt, threads, &w), 0);
					assert_memory_equal(w, w_ref, k * sizeof *w);
					free(w);
					weighting_free(&wt);
				}
				weighting_free(&one);
			}
	free(dtm.row_ptr);
	free(dtm.col);
	free(dtm.count);
	free(dtm.df);
	free(tf_ref);
	free(w_ref);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weight__sklearn_default_smooth_l2),
		cmocka_unit_test(test_weight__same_bits_as_reference_any_threads),
		cmocka_unit_test(test_weight__sklearn_sublinear),
		cmocka_unit_test(test_weight__sklearn_plain_idf),
		cmocka_unit_test(test_weight__sklearn_l1_and_none),
		cmocka_unit_test(test_weight__sklearn_binary),
		cmocka_unit_test(test_weight__other_tf_schemes_by_hand),
		cmocka_unit_test(test_weight__tf_weights_by_hand),
		cmocka_unit_test(test_weight__bins_sum_documents_and_keep_gaps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
