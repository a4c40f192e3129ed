/* weight.c - TF-IDF weighting (see weight.h). */
#include "weight.h"

#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "date.h"
#include "hash.h"
#include "jobs.h"

static int parse_name(const char *name, const char *const *names, int n, int *value)
{
	for (int i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0) {
			*value = i;
			return 0;
		}
	return TD_EINVAL;
}

static const char *const tf_names[] = { "raw", "sublinear", "binary", "log", "prop", "augmented" };
static const char *const idf_names[] = { "smooth", "plain", "prob", "none" };
static const char *const norm_names[] = { "l2", "l1", "none" };

int weight_parse_tf(const char *name, enum tf_scheme *tf)
{
	int v;
	int rc = parse_name(name, tf_names, 6, &v);
	if (!rc)
		*tf = (enum tf_scheme)v;
	return rc;
}

int weight_parse_idf(const char *name, enum idf_scheme *idf)
{
	int v;
	int rc = parse_name(name, idf_names, 4, &v);
	if (!rc)
		*idf = (enum idf_scheme)v;
	return rc;
}

int weight_parse_norm(const char *name, enum norm_scheme *norm)
{
	int v;
	int rc = parse_name(name, norm_names, 3, &v);
	if (!rc)
		*norm = (enum norm_scheme)v;
	return rc;
}

const char *weight_tf_name(enum tf_scheme tf) { return tf_names[tf]; }
const char *weight_idf_name(enum idf_scheme idf) { return idf_names[idf]; }
const char *weight_norm_name(enum norm_scheme norm) { return norm_names[norm]; }

int weight_idf(const struct dtm *dtm, enum idf_scheme scheme, double **idf_out)
{
	double *idf = malloc((dtm->n_terms ? dtm->n_terms : 1) * sizeof *idf);
	if (!idf)
		return TD_ENOMEM;
	double n = (double)dtm->n_included;
	for (size_t t = 0; t < dtm->n_terms; t++) {
		double df = (double)dtm->df[t];
		switch (scheme) {
		case IDF_SMOOTH:
			/* scikit-learn: df += 1, n += 1, then log(n / df) + 1 */
			idf[t] = log((n + 1) / (df + 1)) + 1;
			break;
		case IDF_PLAIN:
			idf[t] = log(n / df) + 1;
			break;
		case IDF_PROB:
			idf[t] = df > 0 && n > df ? fmax(0.0, log((n - df) / df)) : 0.0;
			break;
		default:
			idf[t] = 1;
		}
	}
	*idf_out = idf;
	return 0;
}

/* Starts loading the idf of nonzero k + IDF_AHEAD, if it is before end.
 * The idf is read at random, by column: with bigrams (475,608 terms, 3.8
 * MB of idf for SOTU x10) waiting for it was most of weighting_range's
 * time, 6.1-7.2% of a two-thread run's samples, and 2.6-3.4% with the
 * prefetch (perf, five and six runs).  idf and col are passed as they are:
 * written with wt->idf and wt->dtm->col inside the loop, the prefetch was
 * not in GCC 12's code for weighting_range. */
#define IDF_AHEAD 32
static inline void prefetch_idf(const double *idf, const uint32_t *col, uint64_t k, uint64_t end)
{
#if defined(__GNUC__)
	if (k + IDF_AHEAD < end)
		__builtin_prefetch(&idf[col[k + IDF_AHEAD]]);
#else
	(void)idf;
	(void)col;
	(void)k;
	(void)end;
#endif
}

/* The data of row d of wt's matrix into rows[d] (wt->rows, being made):
 * its total and max, which the tf weights of prop and augmented need, then
 * the norm of its values before division, summed in column order. */
static void weigh_row(const struct weighting *wt, struct weight_row *rows, size_t d)
{
	const struct dtm *dtm = wt->dtm;
	uint64_t start = dtm->row_ptr[d], end = dtm->row_ptr[d + 1];
	/* Summed as integers: the same double as the counts summed as doubles
	 * (each partial sum an integer below 2^53, each addition exact), without
	 * a chain of floating-point additions or a call to fmax per count. */
	uint64_t total = 0;
	uint32_t max = 0;
	for (uint64_t k = start; k < end; k++) {
		total += dtm->count[k];
		max = dtm->count[k] > max ? dtm->count[k] : max;
	}
	rows[d] = (struct weight_row){ (double)total, (double)max, 0 };
	double norm = 0;
	if (wt->opts.norm == NORM_L2) {
		for (uint64_t k = start; k < end; k++) {
			prefetch_idf(wt->idf, dtm->col, k, end);
			double w = weighting_tf(wt, d, k) * wt->idf[dtm->col[k]];
			norm += w * w;
		}
		norm = sqrt(norm);
	} else if (wt->opts.norm == NORM_L1) {
		for (uint64_t k = start; k < end; k++) {
			prefetch_idf(wt->idf, dtm->col, k, end);
			norm += fabs(weighting_tf(wt, d, k) * wt->idf[dtm->col[k]]);
		}
	}
	rows[d].norm = norm;
}

/* Rows [first, last): their data made into rows, or, when rows is NULL, the
 * values of their nonzeros written into values. */
struct weight_job {
	const struct weighting *wt;
	struct weight_row *rows;
	double *values;
	size_t first, last;
};

static void *weight_worker(void *arg)
{
	const struct weight_job *j = arg;
	const uint64_t *row_ptr = j->wt->dtm->row_ptr;
	if (j->rows)
		for (size_t d = j->first; d < j->last; d++)
			weigh_row(j->wt, j->rows, d);
	else
		weighting_range(j->wt, j->first, row_ptr[j->first], row_ptr[j->last], j->values + row_ptr[j->first]);
	return NULL;
}

/* Runs the jobs of weight_worker over every row of wt's matrix: rows are
 * independent, so n_threads take a share of the nonzeros each (whole rows),
 * and the results are the same for any number. */
static void weigh_rows(const struct weighting *wt, struct weight_row *rows, double *values, unsigned n_threads)
{
	const struct dtm *dtm = wt->dtm;
	uint64_t nnz = dtm->row_ptr[dtm->n_docs];
	enum { MIN_SHARE = 1 << 16 };
	unsigned n = n_threads < 1 ? 1 : n_threads > JOBS_MAX ? JOBS_MAX : n_threads;
	if (nnz / n < MIN_SHARE)
		n = nnz / MIN_SHARE > 1 ? (unsigned)(nnz / MIN_SHARE) : 1;
	struct weight_job jobs[JOBS_MAX];
	size_t d = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t goal = nnz / n * (i + 1);
		size_t first = d;
		if (i + 1 == n)
			d = dtm->n_docs;
		else
			while (d < dtm->n_docs && dtm->row_ptr[d + 1] <= goal)
				d++;
		jobs[i] = (struct weight_job){ wt, rows, values, first, d };
	}
	jobs_run(jobs, n, sizeof *jobs, weight_worker);
}

void weighting_range(const struct weighting *wt, size_t d, uint64_t first, uint64_t end, double *values)
{
	const uint64_t *row_ptr = wt->dtm->row_ptr;
	const uint32_t *col = wt->dtm->col;
	const double *idf = wt->idf;
	for (uint64_t k = first; k < end; d++) {
		uint64_t row_end = row_ptr[d + 1] < end ? row_ptr[d + 1] : end;
		for (; k < row_end; k++) {
			prefetch_idf(idf, col, k, end);
			values[k - first] = weighting_value(wt, d, k);
		}
	}
}

int weighting_init(struct weighting *wt, const struct dtm *dtm, const struct weight_opts *opts,
		   unsigned n_threads)
{
	*wt = (struct weighting){ .dtm = dtm, .opts = *opts };
	struct weight_row *rows = malloc((dtm->n_docs ? dtm->n_docs : 1) * sizeof *rows);
	if (!rows || weight_idf(dtm, opts->idf, &wt->idf)) {
		free(rows);
		return TD_ENOMEM;
	}
	wt->rows = rows;
	weigh_rows(wt, rows, NULL, n_threads);
	return 0;
}

void weighting_free(struct weighting *wt)
{
	free(wt->idf);
	free(wt->rows);
	wt->idf = NULL;
	wt->rows = NULL;
}

int weighting_values(const struct weighting *wt, unsigned n_threads, double **values_out)
{
	uint64_t nnz = wt->dtm->row_ptr[wt->dtm->n_docs];
#ifdef __GLIBC__
	/* The values are often the largest allocation of a run, and come after
	 * the counting's memory was freed; what of it lies below live blocks in
	 * malloc's heap (which then cannot shrink) would stay resident: its
	 * pages are given back first. */
	malloc_trim(0);
#endif
	double *values = malloc((nnz ? nnz : 1) * sizeof *values);
	if (!values)
		return TD_ENOMEM;
	array_hint_huge(values, nnz * sizeof *values);
	weigh_rows(wt, NULL, values, n_threads);
	*values_out = values;
	return 0;
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* The row of the bin holding day `days`, counting from the bin `first`. */
static size_t bin_index(int32_t first, int32_t days, enum bin_unit unit)
{
	int32_t start = timeline_bin_start(days, unit);
	int y0, m0, y1, m1, dd;
	switch (unit) {
	case BIN_WEEK:
		return (size_t)(start - first) / 7;
	case BIN_MONTH:
		date_to_ymd(first, &y0, &m0, &dd);
		date_to_ymd(start, &y1, &m1, &dd);
		return (size_t)((y1 - y0) * 12 + (m1 - m0));
	case BIN_YEAR:
		date_to_ymd(first, &y0, &m0, &dd);
		date_to_ymd(start, &y1, &m1, &dd);
		return (size_t)(y1 - y0);
	case BIN_DECADE:
		date_to_ymd(first, &y0, &m0, &dd);
		date_to_ymd(start, &y1, &m1, &dd);
		return (size_t)(y1 - y0) / 10;
	default:
		return (size_t)(start - first);
	}
}

int weight_bin_rows(const struct dtm *dtm, const bool *included, const int32_t *dates,
		    const bool *has_date, enum bin_unit unit, struct dtm *out, int32_t **bin_starts,
		    struct td_diag *diag)
{
	memset(out, 0, sizeof *out);
	vocab_init(&out->terms);
	*bin_starts = NULL;
	int32_t first = INT32_MAX, last = INT32_MIN;
	for (size_t d = 0; d < dtm->n_docs; d++)
		if (included[d] && has_date[d]) {
			int32_t b = timeline_bin_start(dates[d], unit);
			first = b < first ? b : first;
			last = b > last ? b : last;
		}
	if (first == INT32_MAX)
		return td_fail(diag, TD_EEMPTY, "no analysed document has a date: nothing to bin by %s",
			       timeline_unit_name(unit));
	size_t n_bins = 0;
	for (int32_t b = first; b <= last; b = timeline_next_bin(b, unit))
		n_bins++;
	int32_t *starts = malloc(n_bins * sizeof *starts);
	double *sums = calloc(dtm->n_terms ? dtm->n_terms : 1, sizeof *sums);
	uint32_t *touched = malloc((dtm->n_terms ? dtm->n_terms : 1) * sizeof *touched);
	size_t *doc_order = malloc((dtm->n_docs ? dtm->n_docs : 1) * sizeof *doc_order);
	out->row_ptr = malloc((n_bins + 1) * sizeof *out->row_ptr);
	out->df = calloc(dtm->n_terms ? dtm->n_terms : 1, sizeof *out->df);
	out->cf = calloc(dtm->n_terms ? dtm->n_terms : 1, sizeof *out->cf);
	size_t *bin_first = NULL;
	int rc = 0;
	if (!starts || !sums || !touched || !doc_order || !out->row_ptr || !out->df || !out->cf)
		goto nomem;
	size_t bi = 0;
	for (int32_t b = first; b <= last; b = timeline_next_bin(b, unit))
		starts[bi++] = b;

	/* Terms: the same strings and ids. */
	if (vocab_copy(&out->terms, &dtm->terms))
		goto nomem;
	out->n_terms = dtm->n_terms;
	out->n_docs = n_bins;

	/* Documents by bin, input order within a bin (a counting sort). */
	bin_first = calloc(n_bins + 1, sizeof *bin_first);
	if (!bin_first)
		goto nomem;
	for (size_t d = 0; d < dtm->n_docs; d++)
		if (included[d] && has_date[d])
			bin_first[bin_index(first, dates[d], unit) + 1]++;
	for (size_t row = 0; row < n_bins; row++)
		bin_first[row + 1] += bin_first[row];
	for (size_t d = 0; d < dtm->n_docs; d++)
		if (included[d] && has_date[d])
			doc_order[bin_first[bin_index(first, dates[d], unit)]++] = d;
	/* bin_first[row] now ends bin row; shift back to starts */
	for (size_t row = n_bins; row > 0; row--)
		bin_first[row] = bin_first[row - 1];
	bin_first[0] = 0;
	size_t cap = 0, at = 0;
	out->row_ptr[0] = 0;
	for (size_t row = 0; row < n_bins; row++) {
		size_t n_touched = 0, n_docs_in_bin = bin_first[row + 1] - bin_first[row];
		for (size_t i = bin_first[row]; i < bin_first[row + 1]; i++) {
			size_t d = doc_order[i];
			for (uint64_t k = dtm->row_ptr[d]; k < dtm->row_ptr[d + 1]; k++) {
				uint32_t t = dtm->col[k];
				if (sums[t] == 0)
					touched[n_touched++] = t;
				sums[t] += dtm->count[k];
			}
		}
		out->n_included += n_docs_in_bin > 0;
		qsort(touched, n_touched, sizeof *touched, compare_u32);
		if (at + n_touched > cap) {
			size_t new_cap = cap ? cap : 1024;
			while (new_cap < at + n_touched)
				new_cap *= 2;
			uint32_t *col = realloc(out->col, new_cap * sizeof *col);
			if (!col)
				goto nomem;
			out->col = col;
			uint32_t *count = realloc(out->count, new_cap * sizeof *count);
			if (!count)
				goto nomem;
			out->count = count;
			cap = new_cap;
		}
		for (size_t i = 0; i < n_touched; i++) {
			uint32_t t = touched[i];
			out->col[at] = t;
			out->count[at] = (uint32_t)sums[t];
			out->df[t]++;
			out->cf[t] += (uint64_t)sums[t];
			sums[t] = 0;
			at++;
		}
		out->row_ptr[row + 1] = at;
	}
	*bin_starts = starts;
	starts = NULL;
	goto out;
nomem:
	rc = td_fail(diag, TD_ENOMEM, "out of memory");
	dtm_free(out);
out:
	free(bin_first);
	free(starts);
	free(sums);
	free(touched);
	free(doc_order);
	return rc;
}
