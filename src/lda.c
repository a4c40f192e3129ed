/* lda.c - LDA by sparse collapsed Gibbs sampling (see lda.h).
 *
 * The state, as in SparseLDA:
 *   - every token's topic (4 bytes a token, in token order);
 *   - per term, its nonzero (count, topic) pairs packed as count << 24 | topic
 *     in a slice of one pool, kept in descending order of the packed value:
 *     the frequent topics come first, so the q walk stops early, and the
 *     order is a function of the counts alone;
 *   - per topic, n_t and 1 / (V beta + n_t);
 *   - for the document being swept, n_dt (dense, k), its nonzero topics (a
 *     compact unordered list with each topic's slot) and
 *     coef[t] = (alpha + n_dt) / (V beta + n_t), which is alpha / (...)
 *     outside the document: the q weight of a pair is coef[t] * n_tw;
 *   - the masses s = sum_t alpha beta / (V beta + n_t) and
 *     r = sum_{t in d} n_dt beta / (V beta + n_t), updated as a token leaves
 *     and joins a topic; s is recomputed at each sweep and r at each document,
 *     so rounding cannot build up.
 */
#include "lda.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>

#include "array.h"

#define TOPIC_BITS 24
#define TOPIC_MASK ((UINT64_C(1) << TOPIC_BITS) - 1)
#define ONE_COUNT (UINT64_C(1) << TOPIC_BITS)
#define MAX_TERM_COUNT ((UINT64_C(1) << (64 - TOPIC_BITS)) - 1)
#define NO_SLOT UINT32_MAX

#if defined(__GNUC__)
#define PREFETCH(addr) __builtin_prefetch(addr)
#else
#define PREFETCH(addr) ((void)(addr))
#endif

/* Term w's pairs are pairs[start, start + len); room for min(k, its count).
 * One struct, so that a term costs one cache miss before its pairs. */
struct term_slice {
	uint64_t start;
	uint32_t len;
};

struct lda_state {
	struct lda_counts x;            /* a copy; the arrays are the caller's */
	size_t k;
	double alpha, beta, beta_sum;   /* beta_sum = V beta */
	uint64_t n_tokens;
	uint32_t *topic;                /* n_tokens: each token's topic */
	uint64_t *doc_first;            /* n_docs + 1: each document's first token */
	struct term_slice *terms;       /* n_terms: each term's pairs */
	uint64_t *pairs;                /* count << TOPIC_BITS | topic, descending per term */
	uint64_t *topic_total;          /* k: n_t */
	double *inv_denom;              /* k: 1 / (V beta + n_t) */
	double *coef;                   /* k: see above */
	double *q_cum;                  /* k: the q weights of the current term's pairs, cumulated */
	uint64_t *doc_count;            /* k: n_dt of the current document, zero between documents */
	uint32_t *doc_topics;           /* k: the current document's nonzero topics */
	uint32_t *doc_slot;             /* k: each topic's index in doc_topics */
	size_t doc_nnz;
	double s_mass, r_mass;
	gsl_rng *rng;
};

void lda_opts_default(struct lda_opts *opts, size_t k)
{
	opts->k = k;
	opts->alpha = 5.0 / (double)(k ? k : 1);
	opts->beta = 0.01;
	opts->iterations = 1000;
	opts->seed = 1;
}

/* A rows x cols matrix, or NULL when out of memory or rows * cols
 * overflows.  GSL reports a failed allocation through gsl_error, whose default
 * handler aborts: the termdrift command (and the tests) turn it off, so that
 * the failure comes back here as NULL. */
static gsl_matrix *matrix_new(size_t rows, size_t cols)
{
	if (rows == 0 || cols == 0 || rows > SIZE_MAX / sizeof(double) / cols)
		return NULL;
	return gsl_matrix_alloc(rows, cols);
}

/* An mt19937 generator seeded with the 64-bit seed folded to the 32 bits
 * mt19937 uses, or NULL when out of memory (see matrix_new). */
static gsl_rng *rng_new(uint64_t seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (rng)
		gsl_rng_set(rng, (unsigned long)(uint32_t)(seed ^ (seed >> 32)));
	return rng;
}

/* --- the term's (count, topic) pairs ----------------------------------- */

/* Adds a token of topic t to term w.  slot is t's index in the term's pairs
 * when the caller knows it, else NO_SLOT.  Keeps the slice descending. */
static inline void word_inc(struct lda_state *st, uint32_t w, uint32_t t, uint32_t slot)
{
	struct term_slice *slice = &st->terms[w];
	uint64_t *p = st->pairs + slice->start;
	uint32_t i = slot;
	if (i == NO_SLOT) {
		uint32_t len = slice->len;
		for (i = 0; i < len && (p[i] & TOPIC_MASK) != t; i++)
			;
		if (i == len) {   /* room: a term has at most min(k, its count) topics */
			p[i] = t;
			slice->len = len + 1;
		}
	}
	uint64_t v = p[i] + ONE_COUNT;
	while (i > 0 && p[i - 1] < v) {
		p[i] = p[i - 1];
		i--;
	}
	p[i] = v;
}

/* Removes a token of topic t (which the term has) from term w. */
static inline void word_dec(struct lda_state *st, uint32_t w, uint32_t t)
{
	struct term_slice *slice = &st->terms[w];
	uint64_t *p = st->pairs + slice->start;
	uint32_t len = slice->len, i = 0;
	while ((p[i] & TOPIC_MASK) != t)
		i++;
	uint64_t v = p[i] - ONE_COUNT;
	while (i + 1 < len && p[i + 1] > v) {
		p[i] = p[i + 1];
		i++;
	}
	p[i] = v;
	if (v < ONE_COUNT)   /* count 0: it is last, every other pair has >= 1 */
		slice->len = len - 1;
}

/* --- the current document ---------------------------------------------- */

static inline void doc_topic_add(struct lda_state *st, uint32_t t)
{
	st->doc_slot[t] = (uint32_t)st->doc_nnz;
	st->doc_topics[st->doc_nnz++] = t;
}

static inline void doc_topic_remove(struct lda_state *st, uint32_t t)
{
	uint32_t slot = st->doc_slot[t], last = st->doc_topics[--st->doc_nnz];
	st->doc_topics[slot] = last;
	st->doc_slot[last] = slot;
}

/* Counts document d's topics and sets its coefficients and r. */
static void doc_begin(struct lda_state *st, size_t d)
{
	const uint32_t *z = st->topic;
	for (uint64_t i = st->doc_first[d]; i < st->doc_first[d + 1]; i++)
		if (st->doc_count[z[i]]++ == 0)
			doc_topic_add(st, z[i]);
	double r = 0;
	for (size_t j = 0; j < st->doc_nnz; j++) {
		uint32_t t = st->doc_topics[j];
		double n = (double)st->doc_count[t];
		r += st->beta * n * st->inv_denom[t];
		st->coef[t] = (st->alpha + n) * st->inv_denom[t];
	}
	st->r_mass = r;
}

/* Undoes doc_begin's per-document state (the coefficients back to alpha). */
static void doc_end(struct lda_state *st)
{
	for (size_t j = 0; j < st->doc_nnz; j++) {
		uint32_t t = st->doc_topics[j];
		st->doc_count[t] = 0;
		st->coef[t] = st->alpha * st->inv_denom[t];
	}
	st->doc_nnz = 0;
	st->r_mass = 0;
}

/* --- one token ------------------------------------------------------------ */

/* Moves topic t's terms in s and r, n_dt and n_t by delta (+1 or -1). */
static inline void topic_move(struct lda_state *st, uint32_t t, int delta)
{
	double ab = st->alpha * st->beta;
	double inv = st->inv_denom[t];
	uint64_t ndt = st->doc_count[t];
	st->s_mass -= ab * inv;
	st->r_mass -= st->beta * (double)ndt * inv;
	if (delta > 0) {
		if (ndt++ == 0)
			doc_topic_add(st, t);
		st->topic_total[t]++;
	} else {
		if (--ndt == 0)
			doc_topic_remove(st, t);
		st->topic_total[t]--;
	}
	st->doc_count[t] = ndt;
	inv = 1.0 / (st->beta_sum + (double)st->topic_total[t]);
	st->inv_denom[t] = inv;
	st->s_mass += ab * inv;
	st->r_mass += st->beta * (double)ndt * inv;
	st->coef[t] = (st->alpha + (double)ndt) * inv;
}

/* The weight in q of term w's pair p: coef[t] n_tw. */
static inline double pair_weight(const struct lda_state *st, uint64_t p)
{
	return st->coef[p & TOPIC_MASK] * (double)(p >> TOPIC_BITS);
}

/* The q weights of term w's pairs, cumulated into q_cum; returns their sum,
 * q (0 when the term has no other token). */
static inline double word_scores(struct lda_state *st, uint32_t w)
{
	const uint64_t *p = st->pairs + st->terms[w].start;
	uint32_t len = st->terms[w].len;
	double q = 0;
	for (uint32_t i = 0; i < len; i++) {
		q += pair_weight(st, p[i]);
		st->q_cum[i] = q;
	}
	return q;
}

/* The topic for u in [0, s + r + q) (q from word_scores(w)), walking q, then
 * r, then s.  *slot is the topic's index in w's pairs when drawn from q, else
 * NO_SLOT.  The q walk ends in the list (u < q, its last cumulated weight); a
 * u that rounding carries past the end of the r or s walk takes that walk's
 * last topic. */
static inline uint32_t draw(const struct lda_state *st, uint32_t w, double q, double u, uint32_t *slot)
{
	if (u < q) {   /* then u < q_cum[len - 1] = q: the walk ends in the list */
		uint32_t i = 0;
		while (st->q_cum[i] <= u)
			i++;
		*slot = i;
		return (uint32_t)(st->pairs[st->terms[w].start + i] & TOPIC_MASK);
	}
	*slot = NO_SLOT;
	u -= q;
	if (u < st->r_mass && st->doc_nnz > 0) {
		size_t last = st->doc_nnz - 1, j = 0;
		for (; j < last; j++) {
			uint32_t t = st->doc_topics[j];
			u -= st->beta * (double)st->doc_count[t] * st->inv_denom[t];
			if (u < 0)
				break;
		}
		return st->doc_topics[j];
	}
	u -= st->r_mass;
	double ab = st->alpha * st->beta;
	size_t t = 0;
	for (; t + 1 < st->k; t++) {
		u -= ab * st->inv_denom[t];
		if (u < 0)
			break;
	}
	return (uint32_t)t;
}

/* Resamples one token of term w whose topic is *z. */
static inline void sample_token(struct lda_state *st, uint32_t w, uint32_t *z)
{
	topic_move(st, *z, -1);
	word_dec(st, w, *z);
	double q = word_scores(st, w);
	double u = gsl_rng_uniform(st->rng) * (st->s_mass + st->r_mass + q);
	uint32_t slot;
	uint32_t t = draw(st, w, q, u, &slot);
	topic_move(st, t, +1);
	word_inc(st, w, t, slot);
	*z = t;
}

/* Recomputes s and the coefficients outside any document. */
static void refresh_smoothing(struct lda_state *st)
{
	double s = 0, ab = st->alpha * st->beta;
	for (size_t t = 0; t < st->k; t++) {
		st->inv_denom[t] = 1.0 / (st->beta_sum + (double)st->topic_total[t]);
		st->coef[t] = st->alpha * st->inv_denom[t];
		s += ab * st->inv_denom[t];
	}
	st->s_mass = s;
}

void lda_state_sweep(struct lda_state *st)
{
	const struct lda_counts *x = &st->x;
	refresh_smoothing(st);
	uint32_t *z = st->topic;
	for (size_t d = 0; d < x->n_docs; d++) {
		doc_begin(st, d);
		uint64_t end = x->row_ptr[d + 1];
		for (uint64_t j = x->row_ptr[d]; j < end; j++) {
			uint32_t w = x->col[j];
			/* The terms are scattered over the pool: ask for the next
			 * term's pairs and the one after's slice ahead of time. */
			if (j + 1 < end)
				PREFETCH(st->pairs + st->terms[x->col[j + 1]].start);
			if (j + 2 < end)
				PREFETCH(st->terms + x->col[j + 2]);
			for (uint32_t c = x->count[j]; c > 0; c--)
				sample_token(st, w, z++);
		}
		doc_end(st);
	}
}

/* --- state ------------------------------------------------------------------ */

void lda_state_free(struct lda_state *st)
{
	if (!st)
		return;
	free(st->topic);
	free(st->doc_first);
	free(st->terms);
	free(st->pairs);
	free(st->topic_total);
	free(st->inv_denom);
	free(st->coef);
	free(st->q_cum);
	free(st->doc_count);
	free(st->doc_topics);
	free(st->doc_slot);
	gsl_rng_free(st->rng);
	free(st);
}

static int check_opts(const struct lda_opts *opts, struct td_diag *diag)
{
	if (opts->k == 0 || opts->k > LDA_MAX_TOPICS)
		return td_fail(diag, TD_EINVAL, "lda: %zu topics is not in 1..%zu", opts->k, LDA_MAX_TOPICS);
	if (!isfinite(opts->alpha) || !(opts->alpha > 0))
		return td_fail(diag, TD_EINVAL, "lda: alpha %g is not a finite number > 0", opts->alpha);
	if (!isfinite(opts->beta) || !(opts->beta > 0))
		return td_fail(diag, TD_EINVAL, "lda: beta %g is not a finite number > 0", opts->beta);
	return 0;
}

/* Checks the matrix; fills doc_first (n_docs + 1 token offsets) and
 * term_total (n_terms, zeroed by the caller). */
static int check_input(const struct lda_counts *x, uint64_t *doc_first, uint64_t *term_total,
		       struct td_diag *diag)
{
	uint64_t n_tokens = 0;
	for (size_t d = 0; d < x->n_docs; d++) {
		doc_first[d] = n_tokens;
		if (x->row_ptr[d + 1] < x->row_ptr[d])
			return td_fail(diag, TD_EINVAL, "lda: row offsets decrease at document %zu", d);
		for (uint64_t j = x->row_ptr[d]; j < x->row_ptr[d + 1]; j++) {
			uint32_t w = x->col[j];
			if (w >= x->n_terms)
				return td_fail(diag, TD_EINVAL, "lda: term id %u in document %zu is not below %zu terms",
					       w, d, x->n_terms);
			term_total[w] += x->count[j];
			if (term_total[w] > MAX_TERM_COUNT)
				return td_fail(diag, TD_EINVAL, "lda: term %u has more than %llu tokens", w,
					       (unsigned long long)MAX_TERM_COUNT);
			n_tokens += x->count[j];   /* < 2^32 on a checked total: no wrap */
			if (n_tokens > SIZE_MAX / sizeof(uint32_t))
				return td_fail(diag, TD_ENOMEM, "lda: %llu tokens do not fit in memory",
					       (unsigned long long)n_tokens);
		}
	}
	doc_first[x->n_docs] = n_tokens;
	return 0;
}

int lda_state_new(struct lda_state **state, const struct lda_counts *x, const struct lda_opts *opts,
		  struct td_diag *diag)
{
	*state = NULL;
	int rc = check_opts(opts, diag);
	if (rc)
		return rc;
	if (x->n_docs == 0 || x->n_terms == 0)
		return td_fail(diag, TD_EEMPTY, "lda: no %s to model", x->n_docs == 0 ? "documents" : "terms");
	if (x->n_docs > SIZE_MAX / sizeof(uint64_t) - 1 || x->n_terms > SIZE_MAX / sizeof(uint64_t) - 1)
		return td_fail(diag, TD_ENOMEM, "lda: too many documents or terms");
	struct lda_state *st = calloc(1, sizeof *st);
	uint64_t *term_total = calloc(x->n_terms, sizeof *term_total);
	if (!st || !term_total) {
		free(st);
		free(term_total);
		return td_fail(diag, TD_ENOMEM, "lda: out of memory");
	}
	size_t k = opts->k;
	st->doc_first = malloc((x->n_docs + 1) * sizeof *st->doc_first);
	if (!st->doc_first)
		goto nomem;
	rc = check_input(x, st->doc_first, term_total, diag);
	if (rc)
		goto out;
	st->x = *x;
	st->k = k;
	st->alpha = opts->alpha;
	st->beta = opts->beta;
	st->beta_sum = (double)x->n_terms * opts->beta;
	st->n_tokens = st->doc_first[x->n_docs];

	st->terms = calloc(x->n_terms, sizeof *st->terms);
	if (!st->terms)
		goto nomem;
	uint64_t n_pairs = 0;   /* <= n_tokens: no wrap */
	for (size_t w = 0; w < x->n_terms; w++) {
		st->terms[w].start = n_pairs;
		n_pairs += term_total[w] < k ? term_total[w] : k;
	}
	if (n_pairs > SIZE_MAX / sizeof *st->pairs)
		goto nomem;
	st->topic = malloc((st->n_tokens ? st->n_tokens : 1) * sizeof *st->topic);
	st->pairs = malloc((n_pairs ? n_pairs : 1) * sizeof *st->pairs);
	st->topic_total = calloc(k, sizeof *st->topic_total);
	st->inv_denom = malloc(k * sizeof *st->inv_denom);
	st->coef = malloc(k * sizeof *st->coef);
	st->q_cum = malloc(k * sizeof *st->q_cum);
	st->doc_count = calloc(k, sizeof *st->doc_count);
	st->doc_topics = malloc(k * sizeof *st->doc_topics);
	st->doc_slot = malloc(k * sizeof *st->doc_slot);
	st->rng = rng_new(opts->seed);
	if (!st->topic || !st->pairs || !st->topic_total || !st->inv_denom || !st->coef || !st->q_cum ||
	    !st->doc_count || !st->doc_topics || !st->doc_slot || !st->rng)
		goto nomem;
	array_hint_huge(st->topic, st->n_tokens * sizeof *st->topic);

	/* The random start: each token's topic uniform over k, in token order. */
	uint32_t *z = st->topic;
	for (size_t d = 0; d < x->n_docs; d++)
		for (uint64_t j = x->row_ptr[d]; j < x->row_ptr[d + 1]; j++)
			for (uint32_t c = 0; c < x->count[j]; c++) {
				uint32_t t = (uint32_t)gsl_rng_uniform_int(st->rng, k);
				*z++ = t;
				st->topic_total[t]++;
				word_inc(st, x->col[j], t, NO_SLOT);
			}
	refresh_smoothing(st);
	goto out;
nomem:
	rc = td_fail(diag, TD_ENOMEM, "lda: out of memory for %zu topics", k);
out:
	free(term_total);
	if (rc)
		lda_state_free(st);
	else
		*state = st;
	return rc;
}

const uint32_t *lda_state_topics(const struct lda_state *st, uint64_t *n_tokens)
{
	*n_tokens = st->n_tokens;
	return st->topic;
}

double lda_state_log_likelihood(const struct lda_state *st)
{
	/* The terms of every zero n_tw are lnG(beta) - lnG(beta) = 0: only the
	 * pairs in use and the topic totals remain. */
	double lg_beta = gsl_sf_lngamma(st->beta);
	double ll = (double)st->k * gsl_sf_lngamma(st->beta_sum);
	for (size_t t = 0; t < st->k; t++)
		ll -= gsl_sf_lngamma(st->beta_sum + (double)st->topic_total[t]);
	for (size_t w = 0; w < st->x.n_terms; w++) {
		const uint64_t *p = st->pairs + st->terms[w].start;
		for (uint32_t i = 0; i < st->terms[w].len; i++)
			ll += gsl_sf_lngamma((double)(p[i] >> TOPIC_BITS) + st->beta) - lg_beta;
	}
	return ll;
}

/* Term and topic of token `position` of document d: sets up d as the
 * current document and takes the token out of the counts, as a sweep does
 * before drawing.  token_put_back undoes it. */
static uint32_t token_take_out(struct lda_state *st, size_t d, uint64_t position, uint32_t *term)
{
	const struct lda_counts *x = &st->x;
	uint64_t left = position;
	uint64_t j = x->row_ptr[d];
	while (left >= x->count[j])
		left -= x->count[j++];
	*term = x->col[j];
	uint32_t t = st->topic[st->doc_first[d] + position];
	doc_begin(st, d);
	topic_move(st, t, -1);
	word_dec(st, *term, t);
	return t;
}

static void token_put_back(struct lda_state *st, uint32_t w, uint32_t t, double s_mass)
{
	topic_move(st, t, +1);
	word_inc(st, w, t, NO_SLOT);
	doc_end(st);
	st->s_mass = s_mass;   /* exactly as it was, not as rounding left it */
}

void lda_state_conditional(struct lda_state *st, size_t doc, uint64_t position, double *prob)
{
	double s_mass = st->s_mass;
	uint32_t w;
	uint32_t t0 = token_take_out(st, doc, position, &w);
	double q = word_scores(st, w);
	double total = st->s_mass + st->r_mass + q;
	for (size_t t = 0; t < st->k; t++)
		prob[t] = st->alpha * st->beta * st->inv_denom[t];
	for (size_t j = 0; j < st->doc_nnz; j++) {
		uint32_t t = st->doc_topics[j];
		prob[t] += st->beta * (double)st->doc_count[t] * st->inv_denom[t];
	}
	const uint64_t *p = st->pairs + st->terms[w].start;
	for (uint32_t i = 0; i < st->terms[w].len; i++)
		prob[p[i] & TOPIC_MASK] += pair_weight(st, p[i]);
	for (size_t t = 0; t < st->k; t++)
		prob[t] /= total;
	token_put_back(st, w, t0, s_mass);
}

uint32_t lda_state_draw(struct lda_state *st, size_t doc, uint64_t position, double u)
{
	double s_mass = st->s_mass;
	uint32_t w, slot;
	uint32_t t0 = token_take_out(st, doc, position, &w);
	double q = word_scores(st, w);
	uint32_t t = draw(st, w, q, u * (st->s_mass + st->r_mass + q), &slot);
	token_put_back(st, w, t0, s_mass);
	return t;
}

void lda_result_free(struct lda_result *result)
{
	if (!result)
		return;
	gsl_matrix_free(result->doc_topic);
	gsl_matrix_free(result->topic_term);
	memset(result, 0, sizeof *result);
}

int lda_state_result(const struct lda_state *st, struct lda_result *out, struct td_diag *diag)
{
	const struct lda_counts *x = &st->x;
	size_t k = st->k;
	memset(out, 0, sizeof *out);
	out->doc_topic = matrix_new(x->n_docs, k);
	out->topic_term = matrix_new(k, x->n_terms);
	if (!out->doc_topic || !out->topic_term) {
		lda_result_free(out);
		return td_fail(diag, TD_ENOMEM, "lda: out of memory for the %zu x %zu and %zu x %zu results",
			       x->n_docs, k, k, x->n_terms);
	}

	/* theta: counted in place, then smoothed; the counts are exact in a
	 * double up to 2^53. */
	for (size_t d = 0; d < x->n_docs; d++) {
		double *row = out->doc_topic->data + d * out->doc_topic->tda;
		uint64_t first = st->doc_first[d], n_d = st->doc_first[d + 1] - first;
		if (n_d == 0) {
			for (size_t t = 0; t < k; t++)
				row[t] = 1.0 / (double)k;
			continue;
		}
		memset(row, 0, k * sizeof *row);
		for (uint64_t i = 0; i < n_d; i++)
			row[st->topic[first + i]] += 1;
		double denom = (double)n_d + (double)k * st->alpha;
		for (size_t t = 0; t < k; t++)
			row[t] = (row[t] + st->alpha) / denom;
	}

	/* phi: beta / (n_t + V beta) everywhere, then the pairs in use. */
	gsl_matrix *phi = out->topic_term;
	for (size_t t = 0; t < k; t++) {
		double *row = phi->data + t * phi->tda;
		double v = st->beta / (st->beta_sum + (double)st->topic_total[t]);
		for (size_t w = 0; w < x->n_terms; w++)
			row[w] = v;
	}
	for (size_t w = 0; w < x->n_terms; w++) {
		const uint64_t *p = st->pairs + st->terms[w].start;
		for (uint32_t i = 0; i < st->terms[w].len; i++) {
			size_t t = (size_t)(p[i] & TOPIC_MASK);
			phi->data[t * phi->tda + w] = ((double)(p[i] >> TOPIC_BITS) + st->beta) /
						      (st->beta_sum + (double)st->topic_total[t]);
		}
	}
	out->log_likelihood = lda_state_log_likelihood(st);
	out->n_tokens = st->n_tokens;
	return 0;
}

int lda_fit(const struct lda_counts *x, const struct lda_opts *opts, struct lda_result *out,
	    struct td_diag *diag)
{
	memset(out, 0, sizeof *out);
	struct lda_state *st;
	int rc = lda_state_new(&st, x, opts, diag);
	if (rc)
		return rc;
	for (unsigned it = 0; it < opts->iterations; it++)
		lda_state_sweep(st);
	rc = lda_state_result(st, out, diag);
	lda_state_free(st);
	return rc;
}
