/* mtx.h - Matrix Market coordinate files (readable by scipy.io.mmread and
 * R's Matrix::readMM): 1-based indices, one line per nonzero, rows in
 * document order, columns in vocabulary order. */
#ifndef TD_MTX_H
#define TD_MTX_H

#include "error.h"
#include "tf.h"
#include "weight.h"

/* Writes dtm's counts ("integer general") as dir/name, or, when weights (a
 * weighting of dtm) is not NULL, their weighted values ("real general", %.*g
 * with precision digits), computed block by block as the lines are
 * formatted.
 * n_threads > 1 format the lines in parallel (the bytes are the same for any
 * number).  Complete or absent (outfile.h).  Returns 0 or a negative code
 * with a message; *rows receives the number of nonzeros written. */
int mtx_write(const char *dir, const char *name, const struct dtm *dtm, const struct weighting *weights,
	      int precision, const char *comment, unsigned n_threads, uint64_t *rows, struct td_diag *diag);

/* Writes the dense n_rows x n_cols matrix at values (row-major, row stride
 * `stride` doubles) as dir/name in the "array real general" format (values
 * column by column, as the format says), %.*g with precision digits.
 * Complete or absent.  Returns 0 or a negative code with a message. */
int mtx_write_dense(const char *dir, const char *name, const double *values, size_t n_rows, size_t n_cols,
		    size_t stride, int precision, const char *comment, struct td_diag *diag);

#endif
