/* drift.c - divergences between date bins, their permutation test, and the
 * log-odds ratio with an informative Dirichlet prior.  See drift.h. */
#include "drift.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "hash.h"

/* What one term adds to the JSD sum and to the Hellinger sum. */
static inline void add_term(double p, double q, double *jsd, double *hel)
{
	double m = 0.5 * (p + q);
	if (p > 0)
		*jsd += 0.5 * p * log2(p / m);
	if (q > 0)
		*jsd += 0.5 * q * log2(q / m);
	double d = sqrt(p) - sqrt(q);
	*hel += d * d;
}

/* The finished measures: the closed-form share of the terms absent from both
 * bins, then clamped into [0, 1] (rounding can step just outside). */
static void finish(size_t n_terms, size_t n_union, double smoothing, double den_a, double den_b, double jsd,
		   double hel, double *out_jsd, double *out_hel)
{
	if (smoothing > 0 && n_terms > n_union) {
		double j0 = 0, h0 = 0;
		add_term(smoothing / den_a, smoothing / den_b, &j0, &h0);
		jsd += (double)(n_terms - n_union) * j0;
		hel += (double)(n_terms - n_union) * h0;
	}
	*out_jsd = fmin(1.0, fmax(0.0, jsd));
	*out_hel = sqrt(fmin(1.0, fmax(0.0, 0.5 * hel)));
}

void drift_divergence(const struct drift_counts *a, const struct drift_counts *b, size_t n_terms,
		      double smoothing, double *jsd, double *hellinger)
{
	double den_a = (double)a->total + (double)n_terms * smoothing;
	double den_b = (double)b->total + (double)n_terms * smoothing;
	if (!(den_a > 0) || !(den_b > 0)) {
		*jsd = *hellinger = NAN;
		return;
	}
	double sum_j = 0, sum_h = 0;
	size_t i = 0, j = 0, n_union = 0;
	while (i < a->n || j < b->n) {
		double ca = 0, cb = 0;
		if (j >= b->n || (i < a->n && a->term[i] < b->term[j])) {
			ca = a->count[i++];
		} else if (i >= a->n || b->term[j] < a->term[i]) {
			cb = b->count[j++];
		} else {
			ca = a->count[i++];
			cb = b->count[j++];
		}
		add_term((ca + smoothing) / den_a, (cb + smoothing) / den_b, &sum_j, &sum_h);
		n_union++;
	}
	finish(n_terms, n_union, smoothing, den_a, den_b, sum_j, sum_h, jsd, hellinger);
}

double drift_jsd_dense(const double *p, const double *q, size_t n)
{
	double jsd = 0, hel = 0;
	for (size_t i = 0; i < n; i++)
		add_term(p[i], q[i], &jsd, &hel);
	return fmin(1.0, fmax(0.0, jsd));
}

double drift_jsd_sparse(size_t n_a, const uint32_t *term_a, const double *p_a, size_t n_b, const uint32_t *term_b,
			const double *p_b)
{
	double jsd = 0, hel = 0;
	size_t i = 0, j = 0;
	while (i < n_a || j < n_b) {
		if (j >= n_b || (i < n_a && term_a[i] < term_b[j]))
			add_term(p_a[i++], 0, &jsd, &hel);
		else if (i >= n_a || term_b[j] < term_a[i])
			add_term(0, p_b[j++], &jsd, &hel);
		else
			add_term(p_a[i++], p_b[j++], &jsd, &hel);
	}
	return fmin(1.0, fmax(0.0, jsd));
}

void drift_log_odds(double y_i, double n_i, double y_j, double n_j, double a_w, double a0, double *delta,
		    double *z)
{
	*delta = log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - log((y_j + a_w) / (n_j + a0 - y_j - a_w));
	*z = *delta / sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w));
}

/* The index of the bin starting at `start` among n sorted starts. */
static size_t find_bin(const int32_t *starts, size_t n, int32_t start)
{
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (starts[mid] <= start)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int drift_bins_build(struct drift_bins *bins, size_t n_docs, const bool *included, const int32_t *dates,
		     const bool *has_date, enum bin_unit unit, struct td_diag *diag)
{
	memset(bins, 0, sizeof *bins);
	int32_t first = INT32_MAX, last = INT32_MIN;
	size_t n_dated = 0;
	for (size_t d = 0; d < n_docs; d++) {
		if (!included[d])
			continue;
		if (!has_date[d]) {
			bins->n_undated++;
			continue;
		}
		int32_t b = timeline_bin_start(dates[d], unit);
		first = b < first ? b : first;
		last = b > last ? b : last;
		n_dated++;
	}
	if (n_dated == 0)
		return td_fail(diag, TD_EEMPTY, "no analysed document has a date: nothing to compare by %s",
			       timeline_unit_name(unit));
	size_t n_bins = 0;
	for (int32_t b = first; b <= last; b = timeline_next_bin(b, unit))
		n_bins++;
	bins->n_bins = n_bins;
	bins->start = malloc(n_bins * sizeof *bins->start);
	bins->first = calloc(n_bins + 1, sizeof *bins->first);
	bins->doc = malloc(n_dated * sizeof *bins->doc);
	size_t *bin_of = malloc(n_dated * sizeof *bin_of);
	if (!bins->start || !bins->first || !bins->doc || !bin_of) {
		free(bin_of);
		drift_bins_free(bins);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	size_t k = 0;
	for (int32_t b = first; k < n_bins; b = timeline_next_bin(b, unit))
		bins->start[k++] = b;
	/* a counting sort: documents by bin, input order within a bin */
	k = 0;
	for (size_t d = 0; d < n_docs; d++)
		if (included[d] && has_date[d]) {
			bin_of[k] = find_bin(bins->start, n_bins, timeline_bin_start(dates[d], unit));
			bins->first[bin_of[k] + 1]++;
			k++;
		}
	for (size_t b = 0; b < n_bins; b++)
		bins->first[b + 1] += bins->first[b];
	size_t *next = malloc(n_bins * sizeof *next);
	if (!next) {
		free(bin_of);
		drift_bins_free(bins);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	memcpy(next, bins->first, n_bins * sizeof *next);
	k = 0;
	for (size_t d = 0; d < n_docs; d++)
		if (included[d] && has_date[d])
			bins->doc[next[bin_of[k++]]++] = d;
	free(next);
	free(bin_of);
	return 0;
}

void drift_bins_free(struct drift_bins *bins)
{
	free(bins->start);
	free(bins->first);
	free(bins->doc);
	memset(bins, 0, sizeof *bins);
}

/* The permutation test, shared by its threads. */
struct perm_job {
	const struct dtm *dtm;
	const struct drift_bins *bins;
	const size_t *pair_a, *pair_b;
	const double *observed;
	size_t n_pairs;
	double smoothing;
	unsigned permutations;
	uint64_t seed;
	double *p_value;
	atomic_size_t next;
	atomic_bool failed;
};

/* One thread's scratch: the pooled counts of the pair over the vocabulary,
 * one group's counts, and the terms of the pool. */
struct perm_scratch {
	uint64_t *pooled, *group;
	uint32_t *terms;
	size_t n_terms_pooled;
	size_t *pool;
	size_t *pick;      /* the exact test's combination */
	size_t pool_cap;
	gsl_rng *rng;
};

/* Adds document d's row to counts; returns its tokens. */
static uint64_t add_row(const struct dtm *dtm, size_t d, uint64_t *counts)
{
	uint64_t total = 0;
	for (uint64_t k = dtm->row_ptr[d]; k < dtm->row_ptr[d + 1]; k++) {
		counts[dtm->col[k]] += dtm->count[k];
		total += dtm->count[k];
	}
	return total;
}

/* The JSD of a split: s->group holds the counts of the side of `group_size`
 * documents (total group_total), the rest of the pool is the other side;
 * `group_is_a` says which bin the group stands for.  Clears s->group. */
static double split_jsd(const struct perm_job *job, struct perm_scratch *s, uint64_t group_total,
			uint64_t pooled_total, bool group_is_a)
{
	size_t n_terms = job->dtm->n_terms;
	uint64_t total_a = group_is_a ? group_total : pooled_total - group_total;
	uint64_t total_b = pooled_total - total_a;
	double den_a = (double)total_a + (double)n_terms * job->smoothing;
	double den_b = (double)total_b + (double)n_terms * job->smoothing;
	double sum_j = 0, sum_h = 0, jsd, hel;
	for (size_t i = 0; i < s->n_terms_pooled; i++) {
		uint32_t t = s->terms[i];
		uint64_t in_group = s->group[t], rest = s->pooled[t] - in_group;
		uint64_t ca = group_is_a ? in_group : rest, cb = group_is_a ? rest : in_group;
		add_term(((double)ca + job->smoothing) / den_a, ((double)cb + job->smoothing) / den_b, &sum_j, &sum_h);
		s->group[t] = 0;
	}
	if (!(den_a > 0) || !(den_b > 0))
		return NAN;
	finish(n_terms, s->n_terms_pooled, job->smoothing, den_a, den_b, sum_j, sum_h, &jsd, &hel);
	return jsd;
}

/* The number of ways to choose k of n, or HUGE_VAL past 2^53. */
static double choose(size_t n, size_t k)
{
	double c = 1;
	for (size_t i = 1; i <= k; i++) {
		c = c * (double)(n - k + i) / (double)i;
		if (c > 9007199254740992.0)
			return HUGE_VAL;
	}
	return c;
}

/* The p-value of one pair.  The smaller side's documents are summed for each
 * split and the other side is the pool minus them.  When the pool can be
 * split in at most R ways, every split is tried once (an exact test: p is
 * the share of splits, the observed one included, whose JSD reaches the
 * observed); otherwise R random splits (p = (1 + reached) / (R + 1)). */
static double perm_pair(struct perm_job *job, struct perm_scratch *s, size_t pair)
{
	const struct drift_bins *bins = job->bins;
	size_t a = job->pair_a[pair], b = job->pair_b[pair];
	size_t n_a = bins->first[a + 1] - bins->first[a], n_b = bins->first[b + 1] - bins->first[b];
	size_t n = n_a + n_b;
	memcpy(s->pool, bins->doc + bins->first[a], n_a * sizeof *s->pool);
	memcpy(s->pool + n_a, bins->doc + bins->first[b], n_b * sizeof *s->pool);
	/* the pool's counts and terms */
	uint64_t pooled_total = 0;
	s->n_terms_pooled = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dtm *dtm = job->dtm;
		size_t d = s->pool[i];
		for (uint64_t k = dtm->row_ptr[d]; k < dtm->row_ptr[d + 1]; k++) {
			uint32_t t = dtm->col[k];
			if (s->pooled[t] == 0)
				s->terms[s->n_terms_pooled++] = t;
			s->pooled[t] += dtm->count[k];
			pooled_total += dtm->count[k];
		}
	}
	bool group_is_a = n_a <= n_b;
	size_t group_size = group_is_a ? n_a : n_b;
	double observed = job->observed[pair];
	/* a split whose JSD equals the observed one up to rounding reaches it */
	double bar = observed - 1e-12 * fmax(1.0, fabs(observed));
	uint64_t reached = 0, tried = 0;
	double ways = choose(n, group_size);
	if (ways <= (double)job->permutations) {
		for (size_t i = 0; i < group_size; i++)
			s->pick[i] = i;
		for (;;) {
			uint64_t total = 0;
			for (size_t i = 0; i < group_size; i++)
				total += add_row(job->dtm, s->pool[s->pick[i]], s->group);
			reached += split_jsd(job, s, total, pooled_total, group_is_a) >= bar;
			tried++;
			/* the next combination in lexicographic order */
			size_t i = group_size;
			while (i > 0 && s->pick[i - 1] == n - group_size + i - 1)
				i--;
			if (i == 0)
				break;
			s->pick[i - 1]++;
			for (size_t j = i; j < group_size; j++)
				s->pick[j] = s->pick[j - 1] + 1;
		}
	} else {
		gsl_rng_set(s->rng, (unsigned long)hash_mix64(job->seed ^ hash_mix64((uint64_t)pair + 1)));
		for (unsigned r = 0; r < job->permutations; r++) {
			gsl_ran_shuffle(s->rng, s->pool, n, sizeof *s->pool);
			uint64_t total = 0;
			for (size_t i = 0; i < group_size; i++)
				total += add_row(job->dtm, s->pool[i], s->group);
			reached += split_jsd(job, s, total, pooled_total, group_is_a) >= bar;
		}
		reached++;  /* the observed split */
		tried = (uint64_t)job->permutations + 1;
	}
	for (size_t i = 0; i < s->n_terms_pooled; i++)
		s->pooled[s->terms[i]] = 0;
	return (double)reached / (double)tried;
}

static void *perm_worker(void *arg)
{
	struct perm_job *job = arg;
	size_t n_terms = job->dtm->n_terms ? job->dtm->n_terms : 1;
	struct perm_scratch s = { 0 };
	s.pooled = calloc(n_terms, sizeof *s.pooled);
	s.group = calloc(n_terms, sizeof *s.group);
	s.terms = malloc(n_terms * sizeof *s.terms);
	s.rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!s.pooled || !s.group || !s.terms || !s.rng) {
		atomic_store(&job->failed, true);
		goto out;
	}
	for (;;) {
		size_t pair = atomic_fetch_add(&job->next, 1);
		if (pair >= job->n_pairs || atomic_load(&job->failed))
			break;
		const struct drift_bins *bins = job->bins;
		size_t a = job->pair_a[pair], b = job->pair_b[pair];
		size_t n = bins->first[a + 1] - bins->first[a] + bins->first[b + 1] - bins->first[b];
		if (n > s.pool_cap) {
			size_t *grown = realloc(s.pool, n * sizeof *grown), *pick;
			if (grown)
				s.pool = grown;
			if (!grown || !(pick = realloc(s.pick, n * sizeof *pick))) {
				atomic_store(&job->failed, true);
				break;
			}
			s.pick = pick;
			s.pool_cap = n;
		}
		job->p_value[pair] = perm_pair(job, &s, pair);
	}
out:
	free(s.pooled);
	free(s.group);
	free(s.terms);
	free(s.pool);
	free(s.pick);
	if (s.rng)
		gsl_rng_free(s.rng);
	return NULL;
}

int drift_permutation_test(const struct dtm *dtm, const struct drift_bins *bins, const size_t *pair_a,
			   const size_t *pair_b, const double *observed, size_t n_pairs, double smoothing,
			   unsigned permutations, uint64_t seed, unsigned threads, double *p_value)
{
	struct perm_job job = {
		.dtm = dtm, .bins = bins, .pair_a = pair_a, .pair_b = pair_b, .observed = observed,
		.n_pairs = n_pairs, .smoothing = smoothing, .permutations = permutations, .seed = seed,
		.p_value = p_value,
	};
	atomic_init(&job.next, 0);
	atomic_init(&job.failed, false);
	if (threads < 1)
		threads = 1;
	if (threads > n_pairs)
		threads = n_pairs ? (unsigned)n_pairs : 1;
	pthread_t *tids = calloc(threads, sizeof *tids);
	if (!tids)
		return TD_ENOMEM;
	unsigned started = 0;
	for (unsigned t = 1; t < threads; t++) {
		if (pthread_create(&tids[t], NULL, perm_worker, &job) != 0)
			break;
		started++;
	}
	perm_worker(&job);
	for (unsigned t = 1; t <= started; t++)
		pthread_join(tids[t], NULL);
	free(tids);
	return atomic_load(&job.failed) ? TD_ENOMEM : 0;
}
