/* weight_reference.h - the weights as termdrift computed them into arrays
 * before the weighting computed each value where it is written: kept as the
 * tests' reference, since the values must not change by a single bit (the
 * same operations in the same order: tf, times idf, the row's norm summed in
 * column order, then a division by it). */
#ifndef TD_WEIGHT_REFERENCE_H
#define TD_WEIGHT_REFERENCE_H

#include <math.h>

#include "weight.h"

/* The tf weights (into tf) and the values (into w) of every nonzero of dtm. */
static void reference_weights(const struct dtm *dtm, const double *idf, const struct weight_opts *opts, double *tf,
			      double *w)
{
	for (size_t d = 0; d < dtm->n_docs; d++) {
		uint64_t start = dtm->row_ptr[d], end = dtm->row_ptr[d + 1];
		double total = 0, max = 0;
		for (uint64_t k = start; k < end; k++) {
			total += dtm->count[k];
			max = fmax(max, dtm->count[k]);
		}
		for (uint64_t k = start; k < end; k++) {
			double c = dtm->count[k], t;
			switch (opts->tf) {
			case TFS_SUBLINEAR: t = log(c) + 1; break;
			case TFS_BINARY: t = 1; break;
			case TFS_LOG: t = log1p(c); break;
			case TFS_PROP: t = c / total; break;
			case TFS_AUGMENTED: t = 0.5 + 0.5 * c / max; break;
			default: t = c;
			}
			tf[k] = t;
			w[k] = t * idf[dtm->col[k]];
		}
		double norm = 0;
		if (opts->norm == NORM_L2) {
			for (uint64_t k = start; k < end; k++)
				norm += w[k] * w[k];
			norm = sqrt(norm);
		} else if (opts->norm == NORM_L1) {
			for (uint64_t k = start; k < end; k++)
				norm += fabs(w[k]);
		}
		if (norm > 0)
			for (uint64_t k = start; k < end; k++)
				w[k] /= norm;
	}
}

#endif
