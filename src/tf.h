/* tf.h - term counting and the document-term matrix.
 *
 * Counting is done per document into a tf_part: the terms (unigrams and word
 * n-grams of the tokens that are not stopwords) are given the part's own term
 * ids and the document's row of (term, count) pairs is appended.  Words are
 * found by their strings; an n-gram by its words' ids (a bigram by its two
 * words', a trigram by its first two words' bigram and its last word), so
 * that its string is made once, when it is new.  Parts are independent, so
 * each thread counts into its own; tf_build merges them.  Nothing holds more
 * than one document's tokens: memory is the vocabulary plus 8 bytes per
 * (document, term) pair.
 *
 * tf_build then gives the document-term matrix: one row per document index
 * 0..n_docs-1 (documents that were not counted, or not included, have an
 * all-zero row), columns in the byte order of the final vocabulary (the code
 * point order scikit-learn sorts by), after pruning by document frequency and
 * max_features, or in the order of an imposed vocabulary.  Each part sorts
 * its own terms (on a thread of its own) and the sorted lists are merged; a
 * single part whose rows are in document order becomes the matrix in place.
 *
 * The matrix is CSR with 64-bit row offsets and 32-bit term ids, because
 * gsl_spmatrix (GSL 2.7) indexes with int and a corpus can pass 2^31 nonzeros;
 * dtm_to_gsl gives a gsl_spmatrix copy for the numerical stages when it fits.
 */
#ifndef TD_TF_H
#define TD_TF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "tokenize.h"
#include "vocab.h"

/* A document-frequency bound: a count, or a fraction of the documents. */
struct df_bound {
	bool is_frac;
	double frac;      /* when is_frac: 0..1 */
	uint64_t count;   /* otherwise */
};

struct tf_opts {
	unsigned ngram_min, ngram_max;     /* 1..3, min <= max (default 1, 1) */
	bool ngram_across_sentences;       /* n-grams over the whole document, as scikit-learn */
	struct df_bound min_df;            /* default count 1 */
	struct df_bound max_df;            /* default fraction 1.0 */
	uint64_t max_features;             /* 0: no limit */
	const char *vocab_file;            /* NULL, or a file of terms (one per line) to impose */
	bool keep_streams;                 /* each part also keeps every document's words in order
					      (needs ngram_min == 1): see tf_part_stream */
};

void tf_opts_default(struct tf_opts *opts);

/* Parses "N" (a count) or "F" with a decimal point (a fraction 0..1).
 * Returns 0 or TD_EINVAL. */
int df_bound_parse(const char *text, struct df_bound *bound);

/* Parses "MIN:MAX" (or "N") with 1 <= MIN <= MAX <= 3.  Returns 0 or TD_EINVAL. */
int ngram_parse(const char *text, unsigned *min, unsigned *max);

struct tf_part;

int tf_part_new(struct tf_part **out, const struct tf_opts *opts);

/* Counts the terms of document doc_index (the tokens of one document, stopwords
 * flagged and skipped).  Documents may come in any order, each once.
 * Returns 0, TD_ENOMEM or TD_EINVAL (too many distinct terms). */
int tf_part_add(struct tf_part *part, size_t doc_index, const struct token_list *tokens);

/* The number of distinct unigrams (non-stopword token forms) of the document
 * added last, when opts.ngram_min is 1 (0 otherwise): the corpus's n_types,
 * which the counting finds anyway. */
size_t tf_part_last_types(const struct tf_part *part);

void tf_part_free(struct tf_part *part);

/* A document's stream (opts.keep_streams): the term id of each token that is
 * not a stopword, in order, with TF_STREAM_BREAK between sentences.  The ids
 * are the part's own until tf_part_map_stream turns them into the matrix's
 * (VOCAB_NONE for a term pruned away).  Rows are the documents the part
 * counted, in the order it counted them. */
#define TF_STREAM_BREAK (UINT32_MAX - 1)
size_t tf_part_rows(const struct tf_part *part);
size_t tf_part_row_doc(const struct tf_part *part, size_t row);
const uint32_t *tf_part_stream(const struct tf_part *part, size_t row, size_t *n);

struct dtm;

/* Rewrites the part's streams in the term ids of dtm (built from it).
 * Returns 0 or TD_ENOMEM. */
int tf_part_map_stream(struct tf_part *part, struct dtm *dtm);

struct dtm {
	size_t n_docs;          /* rows */
	size_t n_included;      /* documents that count (the n of idf) */
	size_t n_terms;         /* columns */
	uint64_t *row_ptr;      /* n_docs + 1 offsets into col/count */
	uint32_t *col;          /* term ids, increasing within a row */
	uint32_t *count;        /* occurrences of the term in the document */
	struct vocab terms;     /* term strings; id i of the matrix is vocab id i (no hash
				   table: vocab_index before vocab_find) */
	uint64_t *df;           /* documents holding the term */
	uint64_t *cf;           /* occurrences in the whole corpus */
};

/* Merges the parts into the matrix, consuming their counts (their memory is
 * given back as it is read, or becomes the matrix's: afterwards only
 * tf_part_free, and with streams tf_part_rows, tf_part_row_doc,
 * tf_part_stream and tf_part_map_stream, may be called).  included[d] says
 * whether document d counts (its row is kept and it counts in n); n_docs is
 * the number of documents.  Errors, each with a message: min_df above max_df
 * (TD_EINVAL), every term pruned (TD_EEMPTY), a vocabulary file that cannot
 * be read or holds a term twice (TD_ENOENT, TD_EFORMAT), TD_ENOMEM. */
int tf_build(struct dtm *out, struct tf_part *const *parts, size_t n_parts, const bool *included,
	     size_t n_docs, const struct tf_opts *opts, struct td_diag *diag);

void dtm_free(struct dtm *dtm);

#endif
