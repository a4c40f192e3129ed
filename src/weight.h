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

/* The weighted values of every nonzero of dtm (same order as dtm->col) into
 * new arrays: *tf the tf weights (not kept when tf is NULL), *tfidf the final
 * values; rows are shared among n_threads (the values do not depend on it).
 * Returns 0 or TD_ENOMEM. */
int weight_apply(const struct dtm *dtm, const double *idf, const struct weight_opts *opts, unsigned n_threads,
		 double **tf, double **tfidf);

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
