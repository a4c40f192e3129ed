/* test_drift.c - JSD, Hellinger and the log-odds ratio on hand-worked
 * examples; the sparse, smoothed divergence against the dense definition;
 * date bins; the permutation test: uniform p-values when bins are random,
 * small ones when they differ, the same for any number of threads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "date.h"
#include "drift.h"

static void test_drift__hand_worked_divergences(void **state)
{
	(void)state;
	/* p = (1/2, 1/2, 0), q = (0, 1/2, 1/2), m = (1/4, 1/2, 1/4):
	 * JSD = 1/2 (1/2 log2 2) + 1/2 (1/2 log2 2) = 1/2;
	 * Hellinger = sqrt(1/2 (1/2 + 0 + 1/2)) = sqrt(1/2) */
	uint32_t ta[] = { 0, 1 }, tb[] = { 1, 2 };
	uint64_t ca[] = { 2, 2 }, cb[] = { 2, 2 };
	struct drift_counts a = { 2, ta, ca, 4 }, b = { 2, tb, cb, 4 };
	double jsd, hel;
	drift_divergence(&a, &b, 3, 0, &jsd, &hel);
	assert_float_equal(jsd, 0.5, 1e-15);
	assert_float_equal(hel, sqrt(0.5), 1e-15);
	/* disjoint supports: both 1; identical: both 0 */
	uint32_t tc[] = { 2 };
	uint64_t cc[] = { 7 };
	struct drift_counts c = { 1, tc, cc, 7 }, first = { 1, ta, ca, 2 };
	drift_divergence(&first, &c, 3, 0, &jsd, &hel);
	assert_float_equal(jsd, 1.0, 1e-15);
	assert_float_equal(hel, 1.0, 1e-15);
	drift_divergence(&a, &a, 3, 0.5, &jsd, &hel);
	assert_float_equal(jsd, 0.0, 1e-15);
	assert_float_equal(hel, 0.0, 1e-15);
	/* an empty bin without smoothing has no distribution */
	struct drift_counts empty = { 0, NULL, NULL, 0 };
	drift_divergence(&a, &empty, 3, 0, &jsd, &hel);
	assert_true(isnan(jsd) && isnan(hel));
	/* with smoothing it is uniform: p = (2.5, 2.5, .5)/5.5, q = 1/3 each */
	drift_divergence(&a, &empty, 3, 0.5, &jsd, &hel);
	double p[] = { 2.5 / 5.5, 2.5 / 5.5, 0.5 / 5.5 }, q[] = { 1.0 / 3, 1.0 / 3, 1.0 / 3 };
	assert_float_equal(jsd, drift_jsd_dense(p, q, 3), 1e-15);
}

/* The sparse merge with the closed form for the terms absent from both bins
 * gives the dense definition over the whole vocabulary. */
static void test_drift__sparse_smoothed_equals_dense(void **state)
{
	(void)state;
	enum { V = 1000 };
	uint32_t ta[] = { 3, 10, 500, 999 }, tb[] = { 10, 11, 500 };
	uint64_t ca[] = { 5, 1, 7, 2 }, cb[] = { 4, 9, 1 };
	struct drift_counts a = { 4, ta, ca, 15 }, b = { 3, tb, cb, 14 };
	static double p[V], q[V];
	for (double s = 0.001; s < 2; s *= 10) {
		for (size_t t = 0; t < V; t++)
			p[t] = q[t] = s;
		for (size_t i = 0; i < 4; i++)
			p[ta[i]] += (double)ca[i];
		for (size_t i = 0; i < 3; i++)
			q[tb[i]] += (double)cb[i];
		double hel_dense = 0;
		for (size_t t = 0; t < V; t++) {
			p[t] /= 15 + V * s;
			q[t] /= 14 + V * s;
			hel_dense += (sqrt(p[t]) - sqrt(q[t])) * (sqrt(p[t]) - sqrt(q[t]));
		}
		double jsd, hel;
		drift_divergence(&a, &b, V, s, &jsd, &hel);
		assert_float_equal(jsd, drift_jsd_dense(p, q, V), 1e-12);
		assert_float_equal(hel, sqrt(0.5 * hel_dense), 1e-12);
		assert_true(jsd > 0 && jsd < 1);
	}
}

static void test_drift__log_odds_by_hand(void **state)
{
	(void)state;
	/* y_i 10 of n_i 100, y_j 5 of n_j 200, a_w 1, a0 10:
	 * delta = ln(11 / 99) - ln(6 / 204), z = delta / sqrt(1/11 + 1/6)
	 * (values from Python's math module) */
	double delta, z;
	drift_log_odds(10, 100, 5, 200, 1, 10, &delta, &z);
	assert_float_equal(delta, 1.329135947279942, 1e-14);
	assert_float_equal(z, 2.6188879114797996, 1e-14);
	/* symmetric: swapping the groups negates both */
	double delta2, z2;
	drift_log_odds(5, 200, 10, 100, 1, 10, &delta2, &z2);
	assert_float_equal(delta2, -delta, 1e-14);
	assert_float_equal(z2, -z, 1e-14);
}

static int32_t day(const char *iso)
{
	int32_t d;
	assert_int_equal(date_parse(iso, strlen(iso), &d), 0);
	return d;
}

static void test_drift__bins_keep_gaps_and_count_undated(void **state)
{
	(void)state;
	/* weeks: 2025-02-18 (Tue) is in the week of Monday 02-17; 03-05 (Wed) in
	 * that of 03-03: weeks 02-24 is empty between them */
	int32_t dates[] = { day("2025-03-05"), day("2025-02-18"), 0, day("2025-02-17"), day("2025-03-09"), day("2025-02-20") };
	bool has_date[] = { true, true, false, true, true, true };
	bool included[] = { true, true, true, true, true, false };
	struct drift_bins bins;
	assert_int_equal(drift_bins_build(&bins, 6, included, dates, has_date, BIN_WEEK, NULL), 0);
	assert_int_equal(bins.n_bins, 3);
	assert_int_equal(bins.start[0], day("2025-02-17"));
	assert_int_equal(bins.start[1], day("2025-02-24"));
	assert_int_equal(bins.start[2], day("2025-03-03"));
	assert_int_equal(bins.n_undated, 1);
	/* documents by bin, input order within a bin; the excluded one nowhere */
	size_t expect_first[] = { 0, 2, 2, 4 }, expect_doc[] = { 1, 3, 0, 4 };
	for (size_t b = 0; b <= 3; b++)
		assert_int_equal(bins.first[b], expect_first[b]);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(bins.doc[i], expect_doc[i]);
	drift_bins_free(&bins);
	/* decades: 1789 in the 1780s, 1790 and 1799 in the 1790s, 1811 two decades on */
	int32_t years[] = { day("1799-12-31"), day("1789-07-04"), day("1811-01-01"), day("1790-01-01") };
	bool all[] = { true, true, true, true };
	assert_int_equal(drift_bins_build(&bins, 4, all, years, all, BIN_DECADE, NULL), 0);
	assert_int_equal(bins.n_bins, 4);
	assert_int_equal(bins.start[0], day("1780-01-01"));
	assert_int_equal(bins.start[1], day("1790-01-01"));
	assert_int_equal(bins.start[3], day("1810-01-01"));
	size_t decade_first[] = { 0, 1, 3, 3, 4 };
	for (size_t b = 0; b <= 4; b++)
		assert_int_equal(bins.first[b], decade_first[b]);
	drift_bins_free(&bins);
	bool none[] = { false, false, false, false, false, false };
	assert_int_equal(drift_bins_build(&bins, 6, included, dates, none, BIN_DAY, NULL), TD_EEMPTY);
}

/* A corpus of n_bins bins of docs_per_bin documents of 30 tokens over V
 * terms, drawn from one distribution (shift 0) or from bins that alternate
 * between two (shift > 0: odd bins favour the upper half of the terms). */
struct synth {
	struct dtm dtm;
	struct drift_bins bins;
	size_t *pair_a, *pair_b;
	double *observed;
	size_t n_pairs;
};

static void synth_make(struct synth *s, size_t n_pairs, size_t docs_per_bin, double shift, unsigned long seed)
{
	enum { V = 50, TOKENS = 30 };
	size_t n_bins = 2 * n_pairs, n_docs = n_bins * docs_per_bin;
	memset(s, 0, sizeof *s);
	s->dtm.n_docs = n_docs;
	s->dtm.n_terms = V;
	s->dtm.row_ptr = calloc(n_docs + 1, sizeof *s->dtm.row_ptr);
	s->dtm.col = malloc(n_docs * V * sizeof *s->dtm.col);
	s->dtm.count = malloc(n_docs * V * sizeof *s->dtm.count);
	assert_non_null(s->dtm.row_ptr);
	assert_non_null(s->dtm.col);
	assert_non_null(s->dtm.count);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, seed);
	double weights[2][V];
	for (size_t t = 0; t < V; t++) {
		weights[0][t] = 1.0 + (double)(t % 7);
		weights[1][t] = weights[0][t] * (t >= V / 2 ? 1 + shift : 1);
	}
	uint64_t at = 0;
	for (size_t d = 0; d < n_docs; d++) {
		size_t bin = d / docs_per_bin;
		unsigned counts[V];
		gsl_ran_multinomial(rng, V, TOKENS, weights[bin % 2], counts);
		for (size_t t = 0; t < V; t++)
			if (counts[t]) {
				s->dtm.col[at] = (uint32_t)t;
				s->dtm.count[at++] = counts[t];
			}
		s->dtm.row_ptr[d + 1] = at;
	}
	gsl_rng_free(rng);
	s->bins.n_bins = n_bins;
	s->bins.first = malloc((n_bins + 1) * sizeof *s->bins.first);
	s->bins.doc = malloc(n_docs * sizeof *s->bins.doc);
	s->bins.start = calloc(n_bins, sizeof *s->bins.start);
	for (size_t b = 0; b <= n_bins; b++)
		s->bins.first[b] = b * docs_per_bin;
	for (size_t d = 0; d < n_docs; d++)
		s->bins.doc[d] = d;
	s->n_pairs = n_pairs;
	s->pair_a = malloc(n_pairs * sizeof *s->pair_a);
	s->pair_b = malloc(n_pairs * sizeof *s->pair_b);
	s->observed = malloc(n_pairs * sizeof *s->observed);
	/* each pair's observed JSD, from the bins' summed counts */
	for (size_t i = 0; i < n_pairs; i++) {
		uint64_t sum[2][V] = { { 0 } }, total[2] = { 0, 0 };
		uint32_t terms[V];
		for (size_t side = 0; side < 2; side++)
			for (size_t d = (2 * i + side) * docs_per_bin; d < (2 * i + side + 1) * docs_per_bin; d++)
				for (uint64_t k = s->dtm.row_ptr[d]; k < s->dtm.row_ptr[d + 1]; k++) {
					sum[side][s->dtm.col[k]] += s->dtm.count[k];
					total[side] += s->dtm.count[k];
				}
		for (size_t t = 0; t < V; t++)
			terms[t] = (uint32_t)t;
		/* dense rows (zeros included) are a valid sparse form */
		struct drift_counts a = { V, terms, sum[0], total[0] }, b = { V, terms, sum[1], total[1] };
		double hel;
		drift_divergence(&a, &b, V, 0.01, &s->observed[i], &hel);
		s->pair_a[i] = 2 * i;
		s->pair_b[i] = 2 * i + 1;
	}
}

static void synth_free(struct synth *s)
{
	free(s->dtm.row_ptr);
	free(s->dtm.col);
	free(s->dtm.count);
	free(s->bins.first);
	free(s->bins.doc);
	free(s->bins.start);
	free(s->pair_a);
	free(s->pair_b);
	free(s->observed);
}

static int compare_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return (a > b) - (a < b);
}

/* Under the null (every bin from one distribution) the p-values are uniform:
 * their Kolmogorov-Smirnov distance from U(0, 1) stays below the 1% critical
 * value for 200 values (1.63 / sqrt(200) = 0.115), and their mean near 1/2.
 * The seed is fixed, so the test is deterministic, not flaky. */
static void test_drift__permutation_p_values_uniform_under_null(void **state)
{
	(void)state;
	struct synth s;
	synth_make(&s, 200, 6, 0, 11);
	double *p = malloc(s.n_pairs * sizeof *p);
	assert_non_null(p);
	assert_int_equal(drift_permutation_test(&s.dtm, &s.bins, s.pair_a, s.pair_b, s.observed, s.n_pairs, 0.01,
						199, 42, 2, p), 0);
	qsort(p, s.n_pairs, sizeof *p, compare_double);
	double ks = 0, mean = 0;
	for (size_t i = 0; i < s.n_pairs; i++) {
		assert_true(p[i] > 0 && p[i] <= 1);
		double lo = (double)i / (double)s.n_pairs, hi = (double)(i + 1) / (double)s.n_pairs;
		ks = fmax(ks, fmax(fabs(p[i] - lo), fabs(p[i] - hi)));
		mean += p[i] / (double)s.n_pairs;
	}
	print_message("null p-values: KS distance %.4f, mean %.4f\n", ks, mean);
	assert_true(ks < 0.115);
	assert_true(mean > 0.43 && mean < 0.57);
	free(p);
	synth_free(&s);
}

/* Bins from different distributions: small p-values (the test's power); and the same values
 * for 1 and 3 threads, the same for the same seed. */
static void test_drift__permutation_power_and_thread_invariance(void **state)
{
	(void)state;
	struct synth s;
	synth_make(&s, 20, 8, 4.0, 5);
	double p1[20], p3[20], again[20];
	assert_int_equal(drift_permutation_test(&s.dtm, &s.bins, s.pair_a, s.pair_b, s.observed, s.n_pairs, 0.01,
						499, 7, 1, p1), 0);
	assert_int_equal(drift_permutation_test(&s.dtm, &s.bins, s.pair_a, s.pair_b, s.observed, s.n_pairs, 0.01,
						499, 7, 3, p3), 0);
	assert_int_equal(drift_permutation_test(&s.dtm, &s.bins, s.pair_a, s.pair_b, s.observed, s.n_pairs, 0.01,
						499, 7, 2, again), 0);
	assert_memory_equal(p1, p3, sizeof p1);
	assert_memory_equal(p1, again, sizeof p1);
	size_t small = 0;
	for (size_t i = 0; i < 20; i++) {
		assert_true(p1[i] < 0.1);
		small += p1[i] <= 0.01;
	}
	assert_true(small >= 18);
	synth_free(&s);
}

/* Few documents: every split is tried.  One document beside one other gives
 * p = 1; two alike beside two alike, disjoint from them, reach the observed
 * JSD only in the observed split and its mirror: p = 2 / C(4, 2) = 1/3. */
static void test_drift__exact_test_for_small_bins(void **state)
{
	(void)state;
	/* documents 0, 1: terms 0, 1; documents 2, 3: terms 2, 3 */
	uint64_t row_ptr[] = { 0, 2, 4, 6, 8 };
	uint32_t col[] = { 0, 1, 0, 1, 2, 3, 2, 3 }, count[] = { 3, 1, 3, 1, 2, 2, 2, 2 };
	struct dtm dtm = { .n_docs = 4, .n_terms = 4, .row_ptr = row_ptr, .col = col, .count = count };
	size_t first[] = { 0, 2, 4 }, doc[] = { 0, 1, 2, 3 }, first_single[] = { 0, 1, 2 };
	int32_t start[] = { 0, 1 };
	struct drift_bins bins = { .n_bins = 2, .start = start, .first = first, .doc = doc };
	uint32_t terms_a[] = { 0, 1 }, terms_b[] = { 2, 3 };
	uint64_t sum_a[] = { 6, 2 }, sum_b[] = { 4, 4 };
	struct drift_counts ca = { 2, terms_a, sum_a, 8 }, cb = { 2, terms_b, sum_b, 8 };
	double observed, hel, p;
	drift_divergence(&ca, &cb, 4, 0.01, &observed, &hel);
	size_t pa = 0, pb = 1;
	assert_int_equal(drift_permutation_test(&dtm, &bins, &pa, &pb, &observed, 1, 0.01, 999, 3, 1, &p), 0);
	assert_float_equal(p, 1.0 / 3.0, 1e-15);
	/* one document per bin (documents 0 and 2) */
	size_t doc_single[] = { 0, 2 };
	struct drift_bins single = { .n_bins = 2, .start = start, .first = first_single, .doc = doc_single };
	uint64_t one_a[] = { 3, 1 }, one_b[] = { 2, 2 };
	struct drift_counts sa = { 2, terms_a, one_a, 4 }, sb = { 2, terms_b, one_b, 4 };
	drift_divergence(&sa, &sb, 4, 0.01, &observed, &hel);
	assert_int_equal(drift_permutation_test(&dtm, &single, &pa, &pb, &observed, 1, 0.01, 999, 3, 1, &p), 0);
	assert_float_equal(p, 1.0, 1e-15);
	/* with fewer permutations than splits it samples: p = (1 + r) / (R + 1) */
	drift_divergence(&ca, &cb, 4, 0.01, &observed, &hel);
	assert_int_equal(drift_permutation_test(&dtm, &bins, &pa, &pb, &observed, 1, 0.01, 4, 3, 1, &p), 0);
	assert_true(p > 0 && p <= 1);
	assert_float_equal(p * 5, round(p * 5), 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drift__hand_worked_divergences),
		cmocka_unit_test(test_drift__sparse_smoothed_equals_dense),
		cmocka_unit_test(test_drift__log_odds_by_hand),
		cmocka_unit_test(test_drift__bins_keep_gaps_and_count_undated),
		cmocka_unit_test(test_drift__permutation_p_values_uniform_under_null),
		cmocka_unit_test(test_drift__permutation_power_and_thread_invariance),
		cmocka_unit_test(test_drift__exact_test_for_small_bins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
