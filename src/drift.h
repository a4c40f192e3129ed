/* drift.h - how the discourse moves between date bins, without a topic model.
 *
 * A bin's term distribution is its summed counts with an additive smoothing s
 * on every term of the vocabulary (V terms, N tokens in the bin):
 *
 *     p(w) = (count(w) + s) / (N + V s)
 *
 * Between two distributions p and q, with m = (p + q) / 2:
 *
 *     JSD(p, q)       = 1/2 sum p log2(p / m) + 1/2 sum q log2(q / m)    in [0, 1]
 *     Hellinger(p, q) = sqrt(1/2 sum (sqrt p - sqrt q)^2)               in [0, 1]
 *
 * Both are computed from the sparse counts: the terms absent from both bins
 * share one closed-form term, so a comparison costs the bins' distinct terms,
 * not V.
 *
 * The permutation test of a consecutive pair of bins pools their documents
 * and splits them at random R times into two groups of the bins' sizes; the
 * p-value is (1 + the splits whose JSD reaches the observed one) / (R + 1).
 * When the pool can be split in at most R ways (a bin of one speech beside
 * another: 2 ways), every split is tried once instead and p is the share of
 * splits, the observed one included, that reach it (an exact test; two
 * single documents always give p = 1: one document per bin is no evidence).
 * Each pair has its own generator (gsl_rng mt19937, seeded from the seed and
 * the pair), so the p-values do not depend on the number of threads.
 *
 * The log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
 * and Quinn 2008, "Fightin' Words", eq. 16 and 18) of a term between groups i
 * and j, with prior pseudo-counts a_w (summing to a0) and y the counts, n the
 * group totals:
 *
 *     delta = ln((y_i + a_w) / (n_i + a0 - y_i - a_w)) - ln((y_j + a_w) / (n_j + a0 - y_j - a_w))
 *     z     = delta / sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))
 */
#ifndef TD_DRIFT_H
#define TD_DRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "tf.h"
#include "timeline.h"

/* One bin's counts: terms increasing, and their total. */
struct drift_counts {
	size_t n;
	const uint32_t *term;
	const uint64_t *count;
	uint64_t total;
};

/* JSD (base 2) and Hellinger distance of two bins' smoothed distributions
 * over n_terms terms.  An empty bin (total 0) with smoothing 0 has no
 * distribution: both are NaN then. */
void drift_divergence(const struct drift_counts *a, const struct drift_counts *b, size_t n_terms,
		      double smoothing, double *jsd, double *hellinger);

/* JSD (base 2) of two dense distributions of n values each (each summing to
 * 1); 0 log 0 is 0. */
double drift_jsd_dense(const double *p, const double *q, size_t n);

/* JSD (base 2) of two sparse distributions (terms increasing, values
 * summing to 1): terms in only one of them count with 0 in the other. */
double drift_jsd_sparse(size_t n_a, const uint32_t *term_a, const double *p_a, size_t n_b, const uint32_t *term_b,
			const double *p_b);

/* The Monroe et al. log-odds ratio delta and its z-score (see above). */
void drift_log_odds(double y_i, double n_i, double y_j, double n_j, double a_w, double a0, double *delta,
		    double *z);

/* Date bins of a document-term matrix: the documents of each bin (input
 * order), from the first to the last dated, included document; empty bins
 * inside the range are kept. */
struct drift_bins {
	size_t n_bins;
	int32_t *start;       /* first day of each bin */
	size_t *first;        /* n_bins + 1 offsets into doc */
	size_t *doc;          /* document indices, grouped by bin */
	size_t n_undated;     /* included documents without a date */
};

/* Groups the included documents by bin.  Returns 0, TD_ENOMEM, or TD_EEMPTY
 * (with a message) when no included document has a date. */
int drift_bins_build(struct drift_bins *bins, size_t n_docs, const bool *included, const int32_t *dates,
		     const bool *has_date, enum bin_unit unit, struct td_diag *diag);
void drift_bins_free(struct drift_bins *bins);

/* The permutation p-value of the JSD between the documents of bins a and b
 * (rows of dtm), for every pair (pair_a[i], pair_b[i]), i < n_pairs, into
 * p_value[i]; observed[i] is the observed JSD.  permutations >= 1.
 * Runs on `threads` threads.  Returns 0 or TD_ENOMEM. */
int drift_permutation_test(const struct dtm *dtm, const struct drift_bins *bins, const size_t *pair_a,
			   const size_t *pair_b, const double *observed, size_t n_pairs, double smoothing,
			   unsigned permutations, uint64_t seed, unsigned threads, double *p_value);

#endif
