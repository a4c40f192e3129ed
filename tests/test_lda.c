/* test_lda.c - the sparse sampler against the dense formula and a dense
 * sampler written here, planted topics recovered, the same bytes for the
 * same seed, the output's invariants and the errors.
 *
 * The planted corpus: 3 topics over disjoint vocabularies of 10 terms each
 * (V = 30); document d is 80 tokens, each from topic d % 3 with probability
 * 0.8 and from each other topic with 0.1, its term uniform over the topic's
 * 10.  Generated with gsl_rng mt19937, seed 12345. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>

#include "lda.h"

/* The ENOMEM test asks malloc for more than exists; under AddressSanitizer
 * that must return NULL as glibc does, not stop the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }

#define PLANTED_K 3
#define TERMS_PER_TOPIC 10
#define PLANTED_DOCS 60
#define DOC_LEN 80

struct corpus {
	struct lda_counts x;
	uint64_t *row_ptr;
	uint32_t *col, *count;
	size_t *planted;   /* each document's dominant topic */
};

static void corpus_free(struct corpus *c)
{
	free(c->row_ptr);
	free(c->col);
	free(c->count);
	free(c->planted);
}

/* The planted corpus, plus n_empty documents without tokens at the end. */
static struct corpus planted_corpus(size_t n_empty)
{
	size_t n_terms = PLANTED_K * TERMS_PER_TOPIC, n_docs = PLANTED_DOCS + n_empty;
	struct corpus c;
	c.row_ptr = calloc(n_docs + 1, sizeof *c.row_ptr);
	c.col = malloc(PLANTED_DOCS * n_terms * sizeof *c.col);
	c.count = malloc(PLANTED_DOCS * n_terms * sizeof *c.count);
	c.planted = malloc(n_docs * sizeof *c.planted);
	assert_true(c.row_ptr && c.col && c.count && c.planted);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 12345);
	uint64_t nnz = 0;
	for (size_t d = 0; d < n_docs; d++) {
		c.planted[d] = d % PLANTED_K;
		uint32_t counts[PLANTED_K * TERMS_PER_TOPIC] = { 0 };
		for (int i = 0; d < PLANTED_DOCS && i < DOC_LEN; i++) {
			double u = gsl_rng_uniform(rng);
			size_t t = u < 0.8 ? d % PLANTED_K : u < 0.9 ? (d + 1) % PLANTED_K : (d + 2) % PLANTED_K;
			counts[t * TERMS_PER_TOPIC + gsl_rng_uniform_int(rng, TERMS_PER_TOPIC)]++;
		}
		for (uint32_t w = 0; w < n_terms; w++)
			if (counts[w]) {
				c.col[nnz] = w;
				c.count[nnz++] = counts[w];
			}
		c.row_ptr[d + 1] = nnz;
	}
	gsl_rng_free(rng);
	c.x = (struct lda_counts){ n_docs, n_terms, c.row_ptr, c.col, c.count };
	return c;
}

static struct lda_opts opts_for(size_t k, unsigned iterations, uint64_t seed)
{
	struct lda_opts opts;
	lda_opts_default(&opts, k);
	opts.iterations = iterations;
	opts.seed = seed;
	return opts;
}

/* --- a dense collapsed Gibbs sampler: the reference ---------------------- */

struct dense {
	size_t k, n_docs, n_terms, n_tokens;
	double alpha, beta;
	uint32_t *term, *doc, *z;           /* per token */
	double *ndt, *ntw, *nt;             /* counts, as doubles for the formula */
};

/* The tokens of x in lda.h's order, topics from z (n_tokens of them). */
static void dense_init(struct dense *m, const struct lda_counts *x, size_t k, double alpha, double beta,
		       const uint32_t *z)
{
	m->k = k;
	m->n_docs = x->n_docs;
	m->n_terms = x->n_terms;
	m->alpha = alpha;
	m->beta = beta;
	m->n_tokens = 0;
	for (uint64_t j = 0; j < x->row_ptr[x->n_docs]; j++)
		m->n_tokens += x->count[j];
	m->term = malloc((m->n_tokens + 1) * sizeof *m->term);
	m->doc = malloc((m->n_tokens + 1) * sizeof *m->doc);
	m->z = malloc((m->n_tokens + 1) * sizeof *m->z);
	m->ndt = calloc(m->n_docs * k, sizeof *m->ndt);
	m->ntw = calloc(k * m->n_terms, sizeof *m->ntw);
	m->nt = calloc(k, sizeof *m->nt);
	assert_true(m->term && m->doc && m->z && m->ndt && m->ntw && m->nt);
	size_t i = 0;
	for (size_t d = 0; d < x->n_docs; d++)
		for (uint64_t j = x->row_ptr[d]; j < x->row_ptr[d + 1]; j++)
			for (uint32_t c = 0; c < x->count[j]; c++, i++) {
				m->term[i] = x->col[j];
				m->doc[i] = (uint32_t)d;
				m->z[i] = z[i];
				m->ndt[d * k + z[i]]++;
				m->ntw[z[i] * m->n_terms + x->col[j]]++;
				m->nt[z[i]]++;
			}
}

static void dense_free(struct dense *m)
{
	free(m->term);
	free(m->doc);
	free(m->z);
	free(m->ndt);
	free(m->ntw);
	free(m->nt);
}

static void dense_move(struct dense *m, size_t i, double delta)
{
	m->ndt[m->doc[i] * m->k + m->z[i]] += delta;
	m->ntw[m->z[i] * m->n_terms + m->term[i]] += delta;
	m->nt[m->z[i]] += delta;
}

/* p(z_i = t | the rest) for every t, normalised, straight from the formula. */
static void dense_conditional(struct dense *m, size_t i, double *p)
{
	dense_move(m, i, -1);
	double vb = (double)m->n_terms * m->beta, total = 0;
	for (size_t t = 0; t < m->k; t++) {
		p[t] = (m->alpha + m->ndt[m->doc[i] * m->k + t]) * (m->beta + m->ntw[t * m->n_terms + m->term[i]]) /
		       (vb + m->nt[t]);
		total += p[t];
	}
	for (size_t t = 0; t < m->k; t++)
		p[t] /= total;
	dense_move(m, i, +1);
}

static void dense_sweep(struct dense *m, gsl_rng *rng, double *p)
{
	for (size_t i = 0; i < m->n_tokens; i++) {
		dense_conditional(m, i, p);
		double u = gsl_rng_uniform(rng);
		size_t t = 0;
		while (t + 1 < m->k && (u -= p[t]) >= 0)
			t++;
		dense_move(m, i, -1);
		m->z[i] = (uint32_t)t;
		dense_move(m, i, +1);
	}
}

/* Griffiths and Steyvers' log p(w | z), every (topic, term) cell. */
static double dense_log_likelihood(const struct dense *m)
{
	double vb = (double)m->n_terms * m->beta;
	double ll = (double)m->k * (gsl_sf_lngamma(vb) - (double)m->n_terms * gsl_sf_lngamma(m->beta));
	for (size_t t = 0; t < m->k; t++) {
		for (size_t w = 0; w < m->n_terms; w++)
			ll += gsl_sf_lngamma(m->ntw[t * m->n_terms + w] + m->beta);
		ll -= gsl_sf_lngamma(m->nt[t] + vb);
	}
	return ll;
}

/* --- checks on a result --------------------------------------------------- */

static void check_rows_sum_to_one(const gsl_matrix *m)
{
	for (size_t i = 0; i < m->size1; i++) {
		double sum = 0;
		for (size_t j = 0; j < m->size2; j++) {
			double v = gsl_matrix_get(m, i, j);
			assert_true(v > 0 && v < 1 + 1e-12);
			sum += v;
		}
		assert_float_equal(sum, 1.0, 1e-12);
	}
}

/* Each planted topic has one fitted topic (all different) with more than 0.9
 * of its mass on the planted topic's terms, and every document's largest
 * theta is the fitted topic of its planted one. */
static void check_recovered(const struct corpus *c, const struct lda_result *res)
{
	size_t match[PLANTED_K];
	for (size_t p = 0; p < PLANTED_K; p++) {
		double best = 0;
		for (size_t t = 0; t < PLANTED_K; t++) {
			double mass = 0;
			for (size_t w = p * TERMS_PER_TOPIC; w < (p + 1) * TERMS_PER_TOPIC; w++)
				mass += gsl_matrix_get(res->topic_term, t, w);
			if (mass > best) {
				best = mass;
				match[p] = t;
			}
		}
		assert_true(best > 0.9);
		for (size_t q = 0; q < p; q++)
			assert_int_not_equal(match[q], match[p]);
	}
	for (size_t d = 0; d < PLANTED_DOCS; d++) {
		gsl_vector_const_view row = gsl_matrix_const_row(res->doc_topic, d);
		assert_int_equal(gsl_vector_max_index(&row.vector), match[c->planted[d]]);
	}
}

/* --- tests ------------------------------------------------------------------ */

static void test_lda__recovers_planted_topics(void **state)
{
	(void)state;
	struct corpus c = planted_corpus(0);
	struct lda_opts opts = opts_for(PLANTED_K, 200, 42);
	struct lda_result res;
	assert_int_equal(lda_fit(&c.x, &opts, &res, NULL), 0);
	assert_int_equal(res.n_tokens, PLANTED_DOCS * DOC_LEN);
	assert_int_equal(res.doc_topic->size1, PLANTED_DOCS);
	assert_int_equal(res.doc_topic->size2, PLANTED_K);
	assert_int_equal(res.topic_term->size1, PLANTED_K);
	assert_int_equal(res.topic_term->size2, PLANTED_K * TERMS_PER_TOPIC);
	check_recovered(&c, &res);
	check_rows_sum_to_one(res.doc_topic);
	check_rows_sum_to_one(res.topic_term);
	lda_result_free(&res);
	corpus_free(&c);
}

static void test_lda__same_seed_same_bytes_other_seed_same_topics(void **state)
{
	(void)state;
	struct corpus c = planted_corpus(0);
	struct lda_opts opts = opts_for(PLANTED_K, 100, 7);
	struct lda_result a, b, other;
	assert_int_equal(lda_fit(&c.x, &opts, &a, NULL), 0);
	assert_int_equal(lda_fit(&c.x, &opts, &b, NULL), 0);
	assert_memory_equal(a.doc_topic->data, b.doc_topic->data, PLANTED_DOCS * PLANTED_K * sizeof(double));
	assert_memory_equal(a.topic_term->data, b.topic_term->data,
			    PLANTED_K * PLANTED_K * TERMS_PER_TOPIC * sizeof(double));
	assert_memory_equal(&a.log_likelihood, &b.log_likelihood, sizeof(double));

	opts.seed = 8;
	assert_int_equal(lda_fit(&c.x, &opts, &other, NULL), 0);
	assert_memory_not_equal(a.topic_term->data, other.topic_term->data,
				PLANTED_K * PLANTED_K * TERMS_PER_TOPIC * sizeof(double));
	check_recovered(&c, &other);
	lda_result_free(&a);
	lda_result_free(&b);
	lda_result_free(&other);
	corpus_free(&c);
}

static void test_lda__log_likelihood_rises_and_matches_dense_formula(void **state)
{
	(void)state;
	struct corpus c = planted_corpus(0);
	struct lda_opts opts = opts_for(PLANTED_K, 1, 3);
	struct lda_result one, many;
	assert_int_equal(lda_fit(&c.x, &opts, &one, NULL), 0);
	opts.iterations = 200;
	assert_int_equal(lda_fit(&c.x, &opts, &many, NULL), 0);
	assert_true(many.log_likelihood > one.log_likelihood);
	lda_result_free(&one);
	lda_result_free(&many);

	/* The sparse sum (pairs in use only) against every cell, k = 10. */
	opts = opts_for(10, 0, 3);
	struct lda_state *st;
	assert_int_equal(lda_state_new(&st, &c.x, &opts, NULL), 0);
	for (int sweep = 0; sweep < 3; sweep++) {
		uint64_t n_tokens;
		const uint32_t *z = lda_state_topics(st, &n_tokens);
		struct dense m;
		dense_init(&m, &c.x, opts.k, opts.alpha, opts.beta, z);
		double want = dense_log_likelihood(&m);
		assert_float_equal(lda_state_log_likelihood(st), want, 1e-10 * fabs(want));
		dense_free(&m);
		lda_state_sweep(st);
	}
	lda_state_free(st);
	corpus_free(&c);
}

static void test_lda__empty_document_gets_uniform_row(void **state)
{
	(void)state;
	struct corpus c = planted_corpus(2);
	struct lda_opts opts = opts_for(4, 20, 5);
	struct lda_result res;
	assert_int_equal(lda_fit(&c.x, &opts, &res, NULL), 0);
	for (size_t d = PLANTED_DOCS; d < PLANTED_DOCS + 2; d++)
		for (size_t t = 0; t < 4; t++)
			assert_true(gsl_matrix_get(res.doc_topic, d, t) == 0.25);
	check_rows_sum_to_one(res.doc_topic);
	check_rows_sum_to_one(res.topic_term);
	lda_result_free(&res);

	/* No tokens at all (a count of 0 is no token): uniform everywhere,
	 * log p(w | z) = 0. */
	uint64_t row_ptr[] = { 0, 1, 1 };
	uint32_t col[] = { 2 }, count[] = { 0 };
	struct lda_counts x = { 2, 3, row_ptr, col, count };
	assert_int_equal(lda_fit(&x, &opts, &res, NULL), 0);
	assert_int_equal(res.n_tokens, 0);
	assert_float_equal(res.log_likelihood, 0.0, 1e-9);
	for (size_t t = 0; t < 4; t++) {
		assert_true(gsl_matrix_get(res.doc_topic, 0, t) == 0.25);
		for (size_t w = 0; w < 3; w++)
			assert_float_equal(gsl_matrix_get(res.topic_term, t, w), 1.0 / 3, 1e-15);
	}
	lda_result_free(&res);
	corpus_free(&c);
}

/* Every token of a few documents, in a random state (many topics per
 * document and term: long r and q lists) and after sweeps (short ones): the
 * buckets' distribution equals the dense formula's. */
static void test_lda__sparse_conditional_equals_dense(void **state)
{
	(void)state;
	struct corpus c = planted_corpus(0);
	struct lda_opts opts = opts_for(10, 0, 11);
	struct lda_state *st;
	assert_int_equal(lda_state_new(&st, &c.x, &opts, NULL), 0);
	double sparse[10], dense_p[10];
	for (int round = 0; round < 3; round++) {
		uint64_t n_tokens;
		const uint32_t *z = lda_state_topics(st, &n_tokens);
		struct dense m;
		dense_init(&m, &c.x, opts.k, opts.alpha, opts.beta, z);
		size_t docs[] = { 0, 1, 29, 59 };
		for (size_t i = 0; i < 4; i++)
			for (uint64_t pos = 0; pos < DOC_LEN; pos++) {
				lda_state_conditional(st, docs[i], pos, sparse);
				dense_conditional(&m, docs[i] * DOC_LEN + pos, dense_p);
				double sum = 0;
				for (size_t t = 0; t < opts.k; t++) {
					assert_float_equal(sparse[t], dense_p[t], 1e-13);
					sum += sparse[t];
				}
				assert_float_equal(sum, 1.0, 1e-13);
			}
		/* The state is as it was: the same topics and likelihood. */
		const uint32_t *z_after = lda_state_topics(st, &n_tokens);
		assert_memory_equal(z_after, m.z, n_tokens * sizeof *z_after);
		assert_float_equal(lda_state_log_likelihood(st), dense_log_likelihood(&m), 1e-9 * fabs(dense_log_likelihood(&m)));
		dense_free(&m);
		for (int sweep = 0; sweep < 10 * round + 1; sweep++)
			lda_state_sweep(st);
	}
	lda_state_free(st);
	corpus_free(&c);
}

/* The draw itself, through the sweep's code, is the dense distribution:
 * draw(u) is constant on at most three intervals of [0, 1) per topic (its
 * pair in q, its entry in r, its share of s), so of the N grid points
 * u = (i + 1/2) / N, topic t must take N p[t] within 3 (an interval of length
 * L holds N L +- 1 of them), rounding aside.  Exact, not statistical, and
 * fine enough (3 / N = 1.5e-5) to see a walk that steps over the wrong
 * weights in any bucket.  Small priors (q dominates) and large ones (s and r
 * carry much of the mass), in a random state and after sweeps. */
static void test_lda__sparse_draws_follow_dense_distribution(void **state)
{
	(void)state;
	enum { N = 200000, K = 10 };
	const double priors[][2] = { { 0.5, 0.01 }, { 5, 5 } };
	struct corpus c = planted_corpus(0);
	for (size_t prior = 0; prior < 2; prior++) {
		struct lda_opts opts = opts_for(K, 0, 13);
		opts.alpha = priors[prior][0];
		opts.beta = priors[prior][1];
		struct lda_state *st;
		assert_int_equal(lda_state_new(&st, &c.x, &opts, NULL), 0);
		for (int round = 0; round < 2; round++) {
			uint64_t n_tokens;
			struct dense m;
			dense_init(&m, &c.x, K, opts.alpha, opts.beta, lda_state_topics(st, &n_tokens));
			const size_t tokens[][2] = { { 31, 17 }, { 2, 79 }, { 45, 0 } };
			for (size_t i = 0; i < 3; i++) {
				size_t doc = tokens[i][0], pos = tokens[i][1];
				double p[K];
				dense_conditional(&m, doc * DOC_LEN + pos, p);
				unsigned long hits[K] = { 0 };
				for (int g = 0; g < N; g++) {
					uint32_t t = lda_state_draw(st, doc, pos, (g + 0.5) / N);
					assert_true(t < K);
					hits[t]++;
				}
				for (size_t t = 0; t < K; t++)
					assert_float_equal((double)hits[t], N * p[t], 3.01);
			}
			dense_free(&m);
			for (int sweep = 0; sweep < 5; sweep++)
				lda_state_sweep(st);
		}
		lda_state_free(st);
	}
	corpus_free(&c);
}

/* The sparse chain and the dense one are the same Markov chain in law, so
 * log p(w | z) at stationarity has the same mean.  8 chains of each, k = 3,
 * each averaged over sweeps 51..150; the two means must agree within 5
 * standard errors (estimated from the spread of the chains' averages), which
 * a correct sampler misses with probability about 6e-7 under normality. */
static void test_lda__sparse_and_dense_chains_agree_in_mean_likelihood(void **state)
{
	(void)state;
	enum { CHAINS = 8, BURN = 50, KEEP = 100, K = 3 };
	struct corpus c = planted_corpus(0);
	double sparse_avg[CHAINS], dense_avg[CHAINS];
	for (int chain = 0; chain < CHAINS; chain++) {
		struct lda_opts opts = opts_for(K, 0, 1000 + (uint64_t)chain);
		struct lda_state *st;
		assert_int_equal(lda_state_new(&st, &c.x, &opts, NULL), 0);
		uint64_t n_tokens;
		struct dense m;
		dense_init(&m, &c.x, K, opts.alpha, opts.beta, lda_state_topics(st, &n_tokens));
		gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
		gsl_rng_set(rng, 2000 + (unsigned long)chain);
		double p[K];
		sparse_avg[chain] = dense_avg[chain] = 0;
		for (int sweep = 0; sweep < BURN + KEEP; sweep++) {
			lda_state_sweep(st);
			dense_sweep(&m, rng, p);
			if (sweep >= BURN) {
				sparse_avg[chain] += lda_state_log_likelihood(st) / KEEP;
				dense_avg[chain] += dense_log_likelihood(&m) / KEEP;
			}
		}
		gsl_rng_free(rng);
		dense_free(&m);
		lda_state_free(st);
	}
	double mean_s = 0, mean_d = 0, var_s = 0, var_d = 0;
	for (int i = 0; i < CHAINS; i++) {
		mean_s += sparse_avg[i] / CHAINS;
		mean_d += dense_avg[i] / CHAINS;
	}
	for (int i = 0; i < CHAINS; i++) {
		var_s += (sparse_avg[i] - mean_s) * (sparse_avg[i] - mean_s) / (CHAINS - 1);
		var_d += (dense_avg[i] - mean_d) * (dense_avg[i] - mean_d) / (CHAINS - 1);
	}
	double se = sqrt(var_s / CHAINS + var_d / CHAINS);
	print_message("mean log p(w|z): sparse %.3f, dense %.3f, standard error %.3f\n", mean_s, mean_d, se);
	assert_true(fabs(mean_s - mean_d) < 5 * se + 1e-9 * fabs(mean_d));
	corpus_free(&c);
}

static void expect_error(const struct lda_counts *x, const struct lda_opts *opts, int code)
{
	struct td_diag diag = { 0 };
	struct lda_result res;
	memset(&res, 0xff, sizeof res);
	assert_int_equal(lda_fit(x, opts, &res, &diag), code);
	assert_non_null(diag.error);
	assert_null(strchr(diag.error, '\n'));
	assert_null(res.doc_topic);
	assert_null(res.topic_term);
	td_diag_free(&diag);
}

static void test_lda__invalid_options_and_input_are_errors(void **state)
{
	(void)state;
	struct corpus c = planted_corpus(0);
	struct lda_opts opts = opts_for(0, 10, 1);
	expect_error(&c.x, &opts, TD_EINVAL);
	opts = opts_for(LDA_MAX_TOPICS + 1, 10, 1);
	expect_error(&c.x, &opts, TD_EINVAL);
	const double bad[] = { 0, -1, NAN, INFINITY, -INFINITY };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		opts = opts_for(3, 10, 1);
		opts.alpha = bad[i];
		expect_error(&c.x, &opts, TD_EINVAL);
		opts = opts_for(3, 10, 1);
		opts.beta = bad[i];
		expect_error(&c.x, &opts, TD_EINVAL);
	}
	/* Options are checked before the input: k = 0 on no documents. */
	struct lda_counts none = { 0, 30, c.row_ptr, c.col, c.count };
	opts = opts_for(0, 10, 1);
	expect_error(&none, &opts, TD_EINVAL);
	opts = opts_for(3, 10, 1);
	expect_error(&none, &opts, TD_EEMPTY);
	struct lda_counts no_terms = { 1, 0, c.row_ptr, c.col, c.count };
	expect_error(&no_terms, &opts, TD_EEMPTY);

	/* A term id out of range, decreasing offsets. */
	uint64_t row_ptr[] = { 0, 2, 1 };
	uint32_t col[] = { 0, 5 }, count[] = { 1, 1 };
	struct lda_counts x = { 1, 5, row_ptr, col, count };
	expect_error(&x, &opts, TD_EINVAL);
	x = (struct lda_counts){ 2, 6, row_ptr, col, count };
	expect_error(&x, &opts, TD_EINVAL);

	/* More terms than memory: TD_ENOMEM, nothing leaked (the sanitizer
	 * build checks that). */
	x = (struct lda_counts){ 1, (size_t)1 << 60, row_ptr, col, count };
	expect_error(&x, &opts, TD_ENOMEM);

	/* The defaults are valid and say what lda.h says. */
	opts = opts_for(20, 0, 1);
	assert_float_equal(opts.alpha, 0.25, 1e-15);
	assert_float_equal(opts.beta, 0.01, 1e-15);
	lda_opts_default(&opts, 20);
	assert_int_equal(opts.iterations, 1000);
	corpus_free(&c);
}

int main(void)
{
	gsl_set_error_handler_off();  /* as the termdrift command: a failed allocation is NULL */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lda__recovers_planted_topics),
		cmocka_unit_test(test_lda__same_seed_same_bytes_other_seed_same_topics),
		cmocka_unit_test(test_lda__log_likelihood_rises_and_matches_dense_formula),
		cmocka_unit_test(test_lda__empty_document_gets_uniform_row),
		cmocka_unit_test(test_lda__sparse_conditional_equals_dense),
		cmocka_unit_test(test_lda__sparse_draws_follow_dense_distribution),
		cmocka_unit_test(test_lda__sparse_and_dense_chains_agree_in_mean_likelihood),
		cmocka_unit_test(test_lda__invalid_options_and_input_are_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
