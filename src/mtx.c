/* mtx.c - Matrix Market coordinate files (see mtx.h). */
#include "mtx.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "outfile.h"

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
	for (size_t d = 0; d < dtm->n_docs; d++)
		for (uint64_t k = dtm->row_ptr[d]; k < dtm->row_ptr[d + 1]; k++) {
			if (values)
				fprintf(fp, "%zu %" PRIu32 " %.*g\n", d + 1, dtm->col[k] + 1, precision, values[k]);
			else
				fprintf(fp, "%zu %" PRIu32 " %" PRIu32 "\n", d + 1, dtm->col[k] + 1, dtm->count[k]);
		}
	if (ferror(fp)) {
		rc = td_fail(diag, TD_EIO, "cannot write '%s': %s", of.final_path, strerror(errno));
		outfile_abort(&of);
		return rc;
	}
	*rows = nnz;
	return outfile_commit(&of, diag);
}
