/* weight.h - TF-IDF weighting of a document-term matrix: the whole of
 * scikit-learn's TfidfTransformer, and more.
 *
 *   tf    raw (count), sublinear (1 + ln tf), binary (1), log (ln(1 + tf)),
 *         prop (tf / tokens counted in the row), augmented (0.5 + 0.5 tf / max tf)
 *   idf   smooth  ln((1 + n) / (1 + df)) + 1     (scikit-learn's default)
 *         plain   ln(n / df) + 1                  (smooth_idf=False)
 *         prob    max(0, ln((n - df) / df))
 *         none    1
 *   norm  l2 (default), l1, none: each row divided by its norm
 * n is the number of included documents.  Values are computed in the same
 * order as scikit-learn (tf, times idf, then the row norm summed in column
 * order), so they agree with it to the last bit or nearly.
 */
#ifndef TD_WEIGHT_H
#define TD_WEIGHT_H

#include <math.h>

#include "error.h"
#include "tf.h"
#include "timeline.h"

enum tf_scheme { TFS_RAW = 0, TFS_SUBLINEAR, TFS_BINARY, TFS_LOG, TFS_PROP, TFS_AUGMENTED };
enum idf_scheme { IDF_SMOOTH = 0, IDF_PLAIN, IDF_PROB, IDF_NONE };
enum norm_scheme { NORM_L2 = 0, NORM_L1, NORM_NONE };

struct weight_opts {
	enum tf_scheme tf;
	enum idf_scheme idf;
	enum norm_scheme norm;
};

/* Name parsers for the command line; each returns 0 or TD_EINVAL. */
int weight_parse_tf(const char *name, enum tf_scheme *tf);
int weight_parse_idf(const char *name, enum idf_scheme *idf);
int weight_parse_norm(const char *name, enum norm_scheme *norm);
const char *weight_tf_name(enum tf_scheme tf);
const char *weight_idf_name(enum idf_scheme idf);
const char *weight_norm_name(enum norm_scheme norm);

/* The idf of each term of dtm into a new array (dtm->n_terms values).
 * Returns 0 or TD_ENOMEM. */
int weight_idf(const struct dtm *dtm, enum idf_scheme scheme, double **idf);

/* What a row's weights are computed from besides each nonzero's count. */
struct weight_row {
	double total;  /* the row's counts summed (prop) */
	double max;    /* its largest count (augmented) */
	double norm;   /* its values are divided by it when it is > 0 */
};

/* The weighting of one matrix: enough to compute the value of any nonzero on
 * its own, where it is written, instead of an array of every value (one
 * double per nonzero, the largest allocation of a run).  Holds dtm, which
 * must outlive it. */
struct weighting {
	const struct dtm *dtm;
	struct weight_opts opts;
	double *idf;             /* per term (weight_idf) */
	struct weight_row *rows; /* per document */
};

/* Makes wt for dtm: the idf of its terms and the data of its rows, the rows
 * shared among n_threads (the values do not depend on it).  Returns 0 or
 * TD_ENOMEM (wt then holds nothing to free; weighting_free may be called
 * either way). */
int weighting_init(struct weighting *wt, const struct dtm *dtm, const struct weight_opts *opts,
		   unsigned n_threads);

void weighting_free(struct weighting *wt);

/* The tf weight of nonzero k, in row d, of wt's matrix. */
static inline double weighting_tf(const struct weighting *wt, size_t d, uint64_t k)
{
	double c = wt->dtm->count[k];
	switch (wt->opts.tf) {
	case TFS_SUBLINEAR: return log(c) + 1;
	case TFS_BINARY: return 1;
	case TFS_LOG: return log1p(c);
	case TFS_PROP: return c / wt->rows[d].total;
	case TFS_AUGMENTED: return 0.5 + 0.5 * c / wt->rows[d].max;
	default: return c;
	}
}

/* The weighted value of nonzero k, in row d, of wt's matrix: the tf weight
 * times the idf, divided (not multiplied by an inverse, which can differ in
 * the last bit) by the row's norm. */
static inline double weighting_value(const struct weighting *wt, size_t d, uint64_t k)
{
	double w = weighting_tf(wt, d, k) * wt->idf[wt->dtm->col[k]];
	double norm = wt->rows[d].norm;
	return norm > 0 ? w / norm : w;
}

/* The values of nonzeros [first, end) of wt's matrix, which are in row d
 * (the row of nonzero first) and the rows after it, into values[0 .. end -
 * first): many values at once in a loop of their own, cheaper than each in
 * the middle of other work. */
void weighting_range(const struct weighting *wt, size_t d, uint64_t first, uint64_t end, double *values);

/* The value of every nonzero of wt's matrix (same order as its col) into a
 * new array, computed on n_threads (the values do not depend on it), for
 * what needs them all at once.  Returns 0 or TD_ENOMEM. */
int weighting_values(const struct weighting *wt, unsigned n_threads, double **values);

/* Sums the rows of dtm by date bin into a new matrix whose rows are the bins
 * from the first to the last dated, included document (empty bins between
 * them included, as all-zero rows that do not count in n).  dates[d] and
 * has_date[d] give each document's date; *bin_starts receives the first day of
 * each bin (out->n_docs values).  df/cf are recomputed over bins.  Documents
 * without a date are left out.  Returns 0, TD_ENOMEM, or TD_EEMPTY when no
 * included document has a date. */
int weight_bin_rows(const struct dtm *dtm, const bool *included, const int32_t *dates,
		    const bool *has_date, enum bin_unit unit, struct dtm *out, int32_t **bin_starts,
		    struct td_diag *diag);

#endif
