/* cooc.h - co-occurrence counts in bounded memory, and association measures.
 *
 * Input: each document as its stream of term ids (tf.h's streams mapped to
 * the matrix's ids): VOCAB_NONE marks a pruned token, which is removed before
 * windows are formed (as GloVe's cooccur skips words outside its vocabulary),
 * and TF_STREAM_BREAK a sentence end.
 *
 * Scopes:
 *   window    each pair of tokens at most `window` apart (within a sentence
 *             unless cross_sentences; never across documents) adds its
 *             weight, 1 or 1/distance (harmonic, GloVe's definition).
 *             symmetric: the matrix X of GloVe's cooccur with -symmetric 1:
 *             a co-occurrence of a and b adds the weight to X[a][b] and to
 *             X[b][a] (so to X[a][a] twice when a = b); the pair {a, b}, a <= b,
 *             is reported once with X[a][b].  left / right: the pair (target,
 *             context) with the context before / after the target.
 *   sentence  each pair of distinct terms counted once per sentence holding
 *   document  both (once per document: quanteda's fcm(context = "document",
 *             count = "boolean")); no pair of a term with itself.
 *
 * Weighted sums are kept as integers (weights in units of 1/lcm(1..window)),
 * so that every count is exact and the same for any number of threads and
 * any memory budget, whatever the order of the additions.
 *
 * Memory: each worker counts pairs in its own hash table, which grows up to
 * its share of `memory`; when full, its pairs are sorted and written to a
 * run in a temporary folder.  The runs and the tables are merged in pair
 * order at the end, at most COOC_MAX_OPEN files at a time.  Temporary files
 * are removed on success and on error.
 */
#ifndef TD_COOC_H
#define TD_COOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum cooc_scope { COOC_WINDOW = 0, COOC_SENTENCE, COOC_DOCUMENT };
enum cooc_direction { COOC_SYMMETRIC = 0, COOC_LEFT, COOC_RIGHT };

#define COOC_MAX_WINDOW 20       /* lcm(1..20) keeps harmonic sums exact in 64 bits */
#define COOC_MAX_OPEN 64         /* run files open at once while merging */
#define COOC_MIN_MEMORY (1u << 20)

struct cooc_opts {
	enum cooc_scope scope;
	unsigned window;             /* 1..COOC_MAX_WINDOW (default 5) */
	bool harmonic;               /* weight 1/distance */
	enum cooc_direction direction;
	bool cross_sentences;        /* windows run over sentence ends */
	uint64_t memory;             /* bytes for the pair tables (default 4 GB) */
	const char *tmp_dir;         /* where runs go (default: $TMPDIR, else /tmp) */
	unsigned n_threads;
};

void cooc_opts_default(struct cooc_opts *opts);

/* A document: its term ids, as above. */
struct cooc_doc {
	const uint32_t *ids;
	size_t n;
};

/* One pair of the result: a <= b for symmetric and unit scopes, (target,
 * context) otherwise.  weighted is the sum of the weights (the count when
 * there is no weighting). */
struct cooc_pair {
	uint32_t a, b;
	uint64_t count;
	double weighted;
};

/* Called for every pair, in order of (a, b); a non-zero return stops the
 * count and is returned. */
typedef int (*cooc_pair_fn)(void *ctx, const struct cooc_pair *pair);

/* Counts the pairs of n_docs documents over n_terms terms and hands them to
 * emit in order.  Returns 0, the callback's code, TD_EINVAL (a bad option,
 * or a memory budget below COOC_MIN_MEMORY: the message says the minimum),
 * TD_EIO (a run could not be written or read: a full disk) or TD_ENOMEM, with
 * a message.  *n_runs receives the number of runs spilled (may be NULL). */
int cooc_count(const struct cooc_opts *opts, const struct cooc_doc *docs, size_t n_docs, size_t n_terms,
	       cooc_pair_fn emit, void *ctx, size_t *n_runs, struct td_diag *diag);

/* The marginals the measures use, over the same documents: for the window
 * scope, row[t] = the sum of X[t][.] (as target) and col[t] = the sum of
 * X[.][t] (as context; equal to row for symmetric counting), total = the
 * sum of X; weighted (1/distance) when opts->harmonic.  For the sentence and
 * document scopes, row = col = the units (sentences, documents) holding the
 * term and total = the units holding any term.  row and col have n_terms
 * entries (they may be the same array for symmetric scopes only if the
 * caller wants one: pass col = NULL then).  Returns 0 or TD_ENOMEM. */
int cooc_marginals(const struct cooc_opts *opts, const struct cooc_doc *docs, size_t n_docs, size_t n_terms,
		   double *row, double *col, double *total);

/* The pairs (focus term, other term) of the documents, as the rows of X
 * that belong to the focus terms (is_focus[t] says which), counted in memory
 * (a few terms over a slice of the corpus, such as one date bin), handed to
 * emit in order of (a, b) with a the focus term.  Returns 0, the callback's
 * code or TD_ENOMEM. */
int cooc_focus_count(const struct cooc_opts *opts, const struct cooc_doc *docs, size_t n_docs,
		     const bool *is_focus, cooc_pair_fn emit, void *ctx);

/* Association of a pair from its count n_ab, the marginals n_a (row of a),
 * n_b (column of b) and the total n:
 *   pmi  = log2(n_ab n / (n_a n_b)), ppmi = max(0, pmi),
 *   npmi = pmi / -log2(n_ab / n)  (1 when n_ab = n),
 *   llr  = Dunning's G2 = 2 sum k ln(k / E) over the 2x2 table
 *          [n_ab, n_a - n_ab; n_b - n_ab, n - n_a - n_b + n_ab],
 *   p    = P(chi2 with 1 degree of freedom >= llr) = erfc(sqrt(llr / 2))
 *          (gsl_sf_erfc). */
struct cooc_assoc {
	double pmi, ppmi, npmi, llr, p_value;
};
void cooc_measures(double n_ab, double n_a, double n_b, double n, struct cooc_assoc *out);

/* The weight unit of a window: lcm(1..window); a harmonic weight 1/d is
 * unit / d units. */
uint64_t cooc_weight_unit(unsigned window);

#endif
