/* dedup.h - near-duplicate documents by MinHash over word 5-shingles,
 * candidates from locality-sensitive hashing (bands of the signature),
 * confirmed by the exact Jaccard similarity of the shingle sets.
 *
 * Documents are added in input order; each is compared with the earlier ones
 * only, so a duplicate always points to an earlier document.  Memory: the
 * sorted 64-bit shingle hashes of every document added (8 bytes per distinct
 * shingle) and its 64 band keys (40 to 72 bytes each); the signature is
 * dropped once the band keys are made.
 */
#ifndef TD_DEDUP_H
#define TD_DEDUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct dedup_opts {
	double threshold;     /* a duplicate at Jaccard >= threshold (default 0.8) */
	double report_min;    /* pairs at Jaccard >= report_min are listed (default 0.3) */
	unsigned shingle;     /* words per shingle (default 5) */
	uint64_t seed;        /* hash seed (fixed default; results depend on it only through LSH recall) */
};

struct dedup_pair {
	size_t doc_a, doc_b;  /* indices in order of dedup_add, doc_a < doc_b */
	double jaccard;
};

struct dedup;

#define DEDUP_SIG_LEN 128                         /* MinHash values per document */
#define DEDUP_ROWS 2                              /* values per LSH band */
#define DEDUP_BANDS (DEDUP_SIG_LEN / DEDUP_ROWS)

/* What dedup needs of a document: its sorted, unique shingle hashes and its
 * band keys.  Making it is most of the work and depends on nothing but the
 * document and the dedup's fixed parameters, so workers make sketches in
 * parallel and the documents are then added in input order. */
struct dedup_sketch {
	uint64_t *shingles;   /* owned by the sketch until dedup_add_sketch takes it */
	size_t n;
	uint64_t keys[DEDUP_BANDS];
};

/* Fills opts with the defaults above. */
void dedup_opts_default(struct dedup_opts *opts);

int dedup_new(struct dedup **out, const struct dedup_opts *opts, struct td_diag *diag);

/* Adds the next document, given as its words (n_words strings with their
 * lengths; stopwords included).  Its index is the number of documents added
 * before it.  A document with fewer words than a shingle uses one shingle of
 * all its words; a document without words is never a duplicate.
 * Sets *dup_of to the index of the most similar earlier document with Jaccard
 * >= threshold (ties: the earliest) and *similarity to that Jaccard, or
 * *dup_of = SIZE_MAX and *similarity to the highest Jaccard found (0 if none).
 * Returns 0 or TD_ENOMEM. */
int dedup_add(struct dedup *d, const char *const *words, const uint32_t *lens, size_t n_words,
	      size_t *dup_of, double *similarity);

/* Makes the sketch of a document given as for dedup_add.  Safe to call from
 * several threads at once (d is only read).  Returns 0 or TD_ENOMEM (*out
 * then holds nothing to free). */
int dedup_sketch(const struct dedup *d, const char *const *words, const uint32_t *lens, size_t n_words,
		 struct dedup_sketch *out);

/* dedup_add for a document sketched with dedup_sketch: the same result.  On
 * success the dedup takes the shingles (sketch->shingles becomes NULL).
 * Returns 0 or TD_ENOMEM (the sketch is unchanged). */
int dedup_add_sketch(struct dedup *d, struct dedup_sketch *sketch, size_t *dup_of, double *similarity);

/* Releases what a sketch still owns; safe on a zeroed one. */
void dedup_sketch_free(struct dedup_sketch *sketch);

/* Every pair found with Jaccard >= report_min, sorted by doc_b then doc_a. */
const struct dedup_pair *dedup_pairs(const struct dedup *d, size_t *n_pairs);

/* Exact Jaccard similarity of the shingle sets of two added documents. */
double dedup_jaccard(const struct dedup *d, size_t doc_a, size_t doc_b);

void dedup_free(struct dedup *d);

#endif
