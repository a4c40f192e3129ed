/* lda.h - latent Dirichlet allocation by collapsed Gibbs sampling, in the
 * sparse form of Yao, Mimno and McCallum (2009, "SparseLDA", as MALLET): the
 * cost per token grows with the topics the document and the word actually
 * use, not with k.
 *
 * With n_dt the tokens of document d in topic t, n_tw the tokens of term w in
 * topic t, n_t the tokens in topic t (all without the token being sampled)
 * and V terms, a token of w in d takes topic t with probability
 *
 *     p(t) ~ (alpha + n_dt) (beta + n_tw) / (V beta + n_t)
 *          =  alpha beta / (V beta + n_t)          s: every topic
 *          +  n_dt beta / (V beta + n_t)            r: the document's topics
 *          +  (alpha + n_dt) n_tw / (V beta + n_t)  q: the term's topics
 *
 * and the sampler draws from the three buckets, walking only the nonzero
 * terms of r and q (q, the largest in practice, first).
 *
 * The input is a document-term count matrix in CSR form; each document's
 * tokens are its counts expanded in column order (LDA sees a bag of words).
 * Sampling is sequential and seeded (gsl_rng mt19937), so the same input,
 * options and seed give the same bytes on any machine.
 *
 * Memory: 4 bytes per token (its topic), 8 per (term, topic) slot with
 * min(k, the term's count) slots per term, 8 per document and per term, O(k),
 * plus the result's n_docs x k and k x n_terms doubles.
 */
#ifndef TD_LDA_H
#define TD_LDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_matrix.h>

#include "error.h"

/* Counts in CSR form; the arrays belong to the caller (and must outlive an
 * lda_state made from them).  Columns need not be sorted within a row (the
 * token order is the order given); a zero count is no token. */
struct lda_counts {
	size_t n_docs, n_terms;
	const uint64_t *row_ptr;   /* n_docs + 1 offsets, row_ptr[0] == 0, nondecreasing */
	const uint32_t *col;       /* term of each nonzero, < n_terms */
	const uint32_t *count;     /* its count */
};

struct lda_opts {
	size_t k;                  /* topics, 1 <= k <= LDA_MAX_TOPICS */
	double alpha;              /* symmetric document-topic prior, per topic (finite, > 0) */
	double beta;               /* symmetric topic-word prior (finite, > 0) */
	unsigned iterations;       /* Gibbs sweeps over every token (0: the random start) */
	uint64_t seed;             /* folded to 32 bits as seed ^ (seed >> 32) for mt19937;
				      GSL seeds 0 as 4357 */
};

/* The most topics lda_fit accepts (a topic id takes 24 bits of a packed
 * (count, topic) pair; the count has the other 40). */
#define LDA_MAX_TOPICS ((size_t)1 << 24)

/* Sets opts to the defaults for k topics: alpha = 5 / k (MALLET's default
 * alpha sum of 5), beta = 0.01, 1000 iterations, seed 1.  Why 5 / k and not
 * Griffiths and Steyvers' 50 / k: the alpha sum acts as that many pseudo-
 * tokens spread evenly over the topics of every document, and 50 of them
 * outweigh the data of a short document (a 40-token paragraph would be more
 * prior than text, its theta row close to uniform); 5 leaves documents free to
 * concentrate on few topics, which is also what keeps the sparse sampler's
 * document bucket small. */
void lda_opts_default(struct lda_opts *opts, size_t k);

/* The fitted model; both matrices belong to the result (lda_result_free). */
struct lda_result {
	gsl_matrix *doc_topic;     /* n_docs x k: (n_dt + alpha) / (n_d + k alpha); a document
				      without tokens gets exactly 1 / k */
	gsl_matrix *topic_term;    /* k x n_terms: (n_tw + beta) / (n_t + V beta) */
	double log_likelihood;     /* log p(w | z) of the final state (Griffiths and Steyvers
				      2004, eq. 2): k (lnG(V beta) - V lnG(beta))
				      + sum_t (sum_w lnG(n_tw + beta) - lnG(n_t + V beta)) */
	uint64_t n_tokens;         /* tokens sampled per sweep (the sum of the counts) */
};

/* Fits the model: a uniform random topic for every token, then
 * opts->iterations sweeps.  Returns 0 and fills *out, or (with a one-line
 * message in diag, *out then holds no memory): TD_EINVAL for k out of range,
 * a prior <= 0 or not finite, a term id >= n_terms, decreasing row offsets or
 * a term's total count too large to pack; TD_EEMPTY when there are no
 * documents or no terms (a matrix needs both sides); TD_ENOMEM.  Nothing
 * here aborts: allocation failures come back as TD_ENOMEM, not through GSL's
 * error handler. */
int lda_fit(const struct lda_counts *x, const struct lda_opts *opts, struct lda_result *out,
	    struct td_diag *diag);

/* Frees the matrices and zeroes *result; NULL or a zeroed result is fine. */
void lda_result_free(struct lda_result *result);

/* The sampler step by step, for progress reports and for checking the sparse
 * buckets against the dense formula.  lda_fit is lda_state_new, sweeps,
 * lda_state_result, lda_state_free. */
struct lda_state;

/* Validates as lda_fit does and draws the random start into a new state,
 * which borrows x's arrays (they must outlive the state; x itself may not).  Returns 0, TD_EINVAL,
 * TD_EEMPTY or TD_ENOMEM with a message; *state is NULL on error. */
int lda_state_new(struct lda_state **state, const struct lda_counts *x, const struct lda_opts *opts,
		  struct td_diag *diag);

/* One Gibbs sweep over every token, documents in order.  Cannot fail. */
void lda_state_sweep(struct lda_state *state);

/* log p(w | z) of the current state (see struct lda_result). */
double lda_state_log_likelihood(const struct lda_state *state);

/* The current topic of every token, n_tokens of them, in token order
 * (documents in order, each document's counts expanded in column order).
 * Points into the state; valid until the next sweep or lda_state_free. */
const uint32_t *lda_state_topics(const struct lda_state *state, uint64_t *n_tokens);

/* The sampler's distribution for token `position` (0-based within document
 * doc, which must have more tokens than that) given all other tokens, as the
 * three buckets compute it from the sparse counts: prob[t] for t < k, summing
 * to 1.  Does not draw and leaves the state as it was. */
void lda_state_conditional(struct lda_state *state, size_t doc, uint64_t position, double *prob);

/* The topic the sampler would draw for that token from a uniform u in
 * [0, 1), by the same code as a sweep.  Leaves the state as it was. */
uint32_t lda_state_draw(struct lda_state *state, size_t doc, uint64_t position, double u);

/* The result of the current state into *out (doc_topic, topic_term, the
 * log-likelihood).  Returns 0 or TD_ENOMEM (with a message; *out then holds
 * no memory). */
int lda_state_result(const struct lda_state *state, struct lda_result *out, struct td_diag *diag);

/* Frees the state; NULL is fine. */
void lda_state_free(struct lda_state *state);

#endif
