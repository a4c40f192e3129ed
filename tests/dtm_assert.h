/* dtm_assert.h - for cmocka tests: two document-term matrices are the same
 * (terms, their hashes, df and cf, and every row), for tests that build one
 * matrix two ways. */
#ifndef TD_DTM_ASSERT_H
#define TD_DTM_ASSERT_H

#include "tf.h"

static void assert_same_dtm(const struct dtm *a, const struct dtm *b)
{
	assert_int_equal(a->n_docs, b->n_docs);
	assert_int_equal(a->n_included, b->n_included);
	assert_int_equal(a->n_terms, b->n_terms);
	for (size_t t = 0; t < a->n_terms; t++) {
		assert_string_equal(vocab_term(&a->terms, (uint32_t)t), vocab_term(&b->terms, (uint32_t)t));
		assert_true(a->terms.hash[t] == b->terms.hash[t]);
		assert_int_equal(a->df[t], b->df[t]);
		assert_int_equal(a->cf[t], b->cf[t]);
	}
	assert_memory_equal(a->row_ptr, b->row_ptr, (a->n_docs + 1) * sizeof *a->row_ptr);
	uint64_t nnz = a->row_ptr[a->n_docs];
	if (nnz) {
		assert_memory_equal(a->col, b->col, nnz * sizeof *a->col);
		assert_memory_equal(a->count, b->count, nnz * sizeof *a->count);
	}
}

#endif
