/* mtx.c - Matrix Market coordinate files (see mtx.h). */
#include "mtx.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fmtnum.h"
#include "outfile.h"

/* Writes the decimal digits of v at buf; returns their number (<= 20). */
static size_t put_uint(char *buf, uint64_t v)
{
	char tmp[20];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

int mtx_write(const char *dir, const char *name, const struct dtm *dtm, const double *values,
	      int precision, const char *comment, uint64_t *rows, struct td_diag *diag)
{
	struct outfile of;
	int rc = outfile_open(&of, dir, name, diag);
	if (rc)
		return rc;
	uint64_t nnz = dtm->row_ptr[dtm->n_docs];
	FILE *fp = of.fp;
	fprintf(fp, "%%%%MatrixMarket matrix coordinate %s general\n", values ? "real" : "integer");
	if (comment)
		fprintf(fp, "%% %s\n", comment);
	fprintf(fp, "%zu %zu %" PRIu64 "\n", dtm->n_docs, dtm->n_terms, nnz);
	/* One line per nonzero, built in a block of lines that goes to the
	 * stream whole (one fwrite per 64 KB, not per line): the integers by
	 * hand, the real value by fmtnum_g (%.*g's bytes). */
	enum { LINE_MAX_BYTES = 96, BLOCK = 1 << 16 };
	char block[BLOCK];
	size_t used = 0;
	for (size_t d = 0; d < dtm->n_docs; d++) {
		char row[24];
		size_t row_len = put_uint(row, d + 1);
		row[row_len++] = ' ';
		for (uint64_t k = dtm->row_ptr[d]; k < dtm->row_ptr[d + 1]; k++) {
			if (used > BLOCK - LINE_MAX_BYTES) {
				fwrite(block, 1, used, fp);
				used = 0;
			}
			char *line = block + used;
			memcpy(line, row, row_len);
			size_t at = row_len + put_uint(line + row_len, (uint64_t)dtm->col[k] + 1);
			line[at++] = ' ';
			if (values)
				at += fmtnum_g(line + at, values[k], precision);
			else
				at += put_uint(line + at, dtm->count[k]);
			line[at++] = '\n';
			used += at;
		}
	}
	fwrite(block, 1, used, fp);
	if (ferror(fp)) {
		rc = td_fail(diag, TD_EIO, "cannot write '%s': %s", of.final_path, strerror(errno));
		outfile_abort(&of);
		return rc;
	}
	*rows = nnz;
	return outfile_commit(&of, diag);
}

int mtx_write_dense(const char *dir, const char *name, const double *values, size_t n_rows, size_t n_cols,
		    size_t stride, int precision, const char *comment, struct td_diag *diag)
{
	struct outfile of;
	int rc = outfile_open(&of, dir, name, diag);
	if (rc)
		return rc;
	FILE *fp = of.fp;
	fprintf(fp, "%%%%MatrixMarket matrix array real general\n");
	if (comment)
		fprintf(fp, "%% %s\n", comment);
	fprintf(fp, "%zu %zu\n", n_rows, n_cols);
	char line[64];
	for (size_t c = 0; c < n_cols; c++)
		for (size_t r = 0; r < n_rows; r++) {
			size_t len = fmtnum_g(line, values[r * stride + c], precision);
			line[len++] = '\n';
			fwrite(line, 1, len, fp);
		}
	if (ferror(fp)) {
		rc = td_fail(diag, TD_EIO, "cannot write '%s': %s", of.final_path, strerror(errno));
		outfile_abort(&of);
		return rc;
	}
	return outfile_commit(&of, diag);
}
