/* tfidf.c - termdrift tfidf: TF-IDF weights by document and by date bin. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mtx.h"

static const char tfidf_help[] =
	"usage: termdrift tfidf -i IN [-i IN ...] [-o DIR] [options]\n"
	"\n"
	"Writes what termdrift tf writes (vocab.csv with idf) and tfidf.csv (doc_id, term,\n"
	"tf, idf, tfidf), tfidf.mtx, top_terms_by_doc.csv (doc_id, rank, term, tfidf),\n"
	"top_terms_by_day.csv (date, rank, term, tfidf: each date bin's summed counts\n"
	"weighted the same way, bins as documents) and top_terms_by_day_wide.csv\n"
	"(date, then one column per term: the union of each bin's top 10), and\n"
	"docs_by_day.csv (date, n_docs, n_tokens: the documents per date bin).\n"
	"\n" CLI_CORPUS_HELP CLI_TF_HELP CLI_WEIGHT_HELP;

#define WIDE_TOP 10
#define MANY_BINS 3660  /* ten years of days */

/* Sorts the weighted entries of row d into *buf (grown as needed); returns
 * the count. */
static size_t rank_row(const struct weighting *wt, size_t d, struct ranked **buf, size_t *cap)
{
	const struct dtm *dtm = wt->dtm;
	size_t n = (size_t)(dtm->row_ptr[d + 1] - dtm->row_ptr[d]);
	if (n > *cap) {
		struct ranked *grown = realloc(*buf, n * sizeof *grown);
		if (!grown)
			return SIZE_MAX;
		*buf = grown;
		*cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t k = dtm->row_ptr[d] + i;
		(*buf)[i] = (struct ranked){ dtm->col[k], weighting_value(wt, d, k) };
	}
	if (n > 1)
		qsort(*buf, n, sizeof **buf, ranked_compare);
	return n;
}

static int write_tfidf(const struct cli_opts *opts, const struct matrix *m, const struct weighting *wt,
		       struct runinfo *ri, struct td_diag *diag)
{
	static const char *const columns[] = { "doc_id", "term", "tf", "idf", "tfidf" };
	const struct dtm *dtm = &m->dtm;
	struct csv_out csv;
	int rc = 0;
	if (!cli_wants(opts, "tfidf.csv"))
		goto mtx;
	if ((rc = csv_out_open(&csv, opts->out_dir, "tfidf.csv", columns, 5, opts->precision, diag)))
		return rc;
	for (size_t d = 0; d < dtm->n_docs; d++)
		for (uint64_t k = dtm->row_ptr[d]; k < dtm->row_ptr[d + 1]; k++) {
			csv_out_str(&csv, corpus_doc_id(m->corpus, d));
			csv_out_strn(&csv, vocab_term(&dtm->terms, dtm->col[k]), dtm->terms.len[dtm->col[k]]);
			csv_out_double(&csv, weighting_tf(wt, d, k));
			csv_out_double(&csv, wt->idf[dtm->col[k]]);
			csv_out_double(&csv, weighting_value(wt, d, k));
			csv_out_end_row(&csv);
		}
	rc = runinfo_commit_table(ri, &csv,
					"tf-idf of every document and term present: tf weight, idf, normalised tf-idf", diag);
	csv_out_free(&csv);
	if (rc)
		return rc;
mtx:
	if (!cli_wants(opts, "tfidf.mtx"))
		return 0;
	uint64_t rows;
	rc = mtx_write(opts->out_dir, "tfidf.mtx", dtm, wt, opts->precision,
		       "termdrift tf-idf: rows = docs.csv order, columns = vocab.csv term_id + 1",
		       opts->corpus.n_threads, &rows, diag);
	if (rc == 0)
		rc = runinfo_record_file(ri, opts->out_dir, "tfidf.mtx", rows,
					 "tf-idf, Matrix Market coordinate (rows docs.csv, columns vocab.csv)", diag);
	return rc;
}

/* top_terms_by_doc.csv, or top_terms_by_day.csv (wt the bins' weighting,
 * NULL when there are none) when by_day. */
static int write_top(const struct cli_opts *opts, const struct matrix *m, const struct weighting *wt,
		     bool by_day, const int32_t *bin_starts, struct runinfo *ri, struct td_diag *diag)
{
	static const char *const doc_columns[] = { "doc_id", "rank", "term", "tfidf" };
	static const char *const day_columns[] = { "date", "rank", "term", "tfidf" };
	const char *name = by_day ? "top_terms_by_day.csv" : "top_terms_by_doc.csv";
	if (!cli_wants(opts, name))
		return 0;
	struct csv_out csv;
	int rc = csv_out_open(&csv, opts->out_dir, name, by_day ? day_columns : doc_columns, 4,
			      opts->precision, diag);
	if (rc)
		return rc;
	struct ranked *buf = NULL;
	size_t cap = 0;
	const struct dtm *dtm = wt ? wt->dtm : NULL;
	for (size_t d = 0; dtm && d < dtm->n_docs; d++) {
		size_t n = rank_row(wt, d, &buf, &cap);
		if (n == SIZE_MAX) {
			free(buf);
			csv_out_abort(&csv);
			csv_out_free(&csv);
			return td_fail(diag, TD_ENOMEM, "out of memory");
		}
		for (size_t r = 0; r < n && r < opts->top; r++) {
			if (by_day)
				csv_out_date(&csv, bin_starts[d]);
			else
				csv_out_str(&csv, corpus_doc_id(m->corpus, d));
			csv_out_uint(&csv, r + 1);
			csv_out_strn(&csv, vocab_term(&dtm->terms, buf[r].term), dtm->terms.len[buf[r].term]);
			csv_out_double(&csv, buf[r].value);
			csv_out_end_row(&csv);
		}
	}
	free(buf);
	rc = runinfo_commit_table(ri, &csv,
					by_day ? "top terms of each date bin (bins weighted as documents), by tf-idf"
						   : "top terms of each document by tf-idf", diag);
	csv_out_free(&csv);
	return rc;
}

/* top_terms_by_day_wide.csv: date, then one column per term of the union of
 * each bin's top WIDE_TOP terms (ordered by their highest tf-idf). */
static int write_top_wide(const struct cli_opts *opts, const struct weighting *wt, const int32_t *bin_starts,
			  struct runinfo *ri, struct td_diag *diag)
{
	if (!cli_wants(opts, "top_terms_by_day_wide.csv"))
		return 0;
	const struct dtm *bins = wt ? wt->dtm : NULL;
	size_t n_terms = bins ? bins->n_terms : 0, n_cols = 0;
	double *best = calloc(n_terms ? n_terms : 1, sizeof *best);
	struct ranked *cols = malloc((n_terms ? n_terms : 1) * sizeof *cols), *buf = NULL;
	double *row = calloc(n_terms ? n_terms : 1, sizeof *row);
	const char **names = NULL;
	size_t cap = 0;
	int rc = 0;
	if (!best || !cols || !row)
		goto nomem;
	for (size_t d = 0; bins && d < bins->n_docs; d++) {
		size_t n = rank_row(wt, d, &buf, &cap);
		if (n == SIZE_MAX)
			goto nomem;
		for (size_t r = 0; r < n && r < WIDE_TOP && r < opts->top; r++)
			best[buf[r].term] = fmax(best[buf[r].term], buf[r].value);
	}
	for (size_t t = 0; t < n_terms; t++)
		if (best[t] > 0)
			cols[n_cols++] = (struct ranked){ (uint32_t)t, best[t] };
	qsort(cols, n_cols, sizeof *cols, ranked_compare);
	names = malloc((n_cols + 1) * sizeof *names);
	if (!names)
		goto nomem;
	names[0] = "date";
	for (size_t c = 0; c < n_cols; c++)
		names[c + 1] = vocab_term(&bins->terms, cols[c].term);
	struct csv_out csv;
	if ((rc = csv_out_open(&csv, opts->out_dir, "top_terms_by_day_wide.csv", names, n_cols + 1,
			       opts->precision, diag)))
		goto out;
	for (size_t d = 0; bins && d < bins->n_docs; d++) {
		for (uint64_t k = bins->row_ptr[d]; k < bins->row_ptr[d + 1]; k++)
			row[bins->col[k]] = weighting_value(wt, d, k);
		csv_out_date(&csv, bin_starts[d]);
		for (size_t c = 0; c < n_cols; c++)
			csv_out_double(&csv, row[cols[c].term]);
		csv_out_end_row(&csv);
		for (uint64_t k = bins->row_ptr[d]; k < bins->row_ptr[d + 1]; k++)
			row[bins->col[k]] = 0;
	}
	rc = runinfo_commit_table(ri, &csv,
					"tf-idf by date bin, one column per top term (for gnuplot)", diag);
	csv_out_free(&csv);
	goto out;
nomem:
	rc = td_fail(diag, TD_ENOMEM, "out of memory");
out:
	free(best);
	free(cols);
	free(buf);
	free(row);
	free(names);
	return rc;
}

/* The by-date outputs: the bins' summed counts weighted as documents. */
static int write_by_day(const struct cli_opts *opts, const struct matrix *m, struct runinfo *ri,
			struct td_diag *diag)
{
	if (!cli_wants(opts, "top_terms_by_day.csv") && !cli_wants(opts, "top_terms_by_day_wide.csv"))
		return 0;
	int32_t *dates = NULL, *bin_starts = NULL;
	bool *has_date = NULL;
	struct dtm bins;
	struct weighting wt = { 0 };
	bool have_bins = false;
	int rc = matrix_dates(m, &dates, &has_date, diag);
	if (rc)
		goto out;
	struct td_diag quiet = { 0 };
	rc = weight_bin_rows(&m->dtm, m->included, dates, has_date, opts->bin, &bins, &bin_starts, &quiet);
	if (rc == TD_EEMPTY)  /* no dated document: empty tables, and say so */
		td_warn(diag, "%s; top_terms_by_day.csv is empty",
			quiet.error ? quiet.error : "no dated document");
	else if (rc)
		td_fail(diag, rc, "%s", quiet.error ? quiet.error : td_strerror(rc));
	td_diag_free(&quiet);
	if (rc && rc != TD_EEMPTY)
		goto out;
	have_bins = rc == 0;
	rc = 0;
	/* A long span by day (230 years of speeches) gives tables of mostly
	 * empty bins: say which --bin would suit, once. */
	if (have_bins && bins.n_docs > MANY_BINS && 10 * bins.n_included < bins.n_docs) {
		char first[DATE_ISO_LEN + 1], last[DATE_ISO_LEN + 1];
		date_format(bin_starts[0], first);
		date_format(bin_starts[bins.n_docs - 1], last);
		td_warn(diag, "%zu date bins (--bin %s) from %s to %s, %zu of them with documents: "
			      "a coarser --bin (week, month, year) gives smaller by-day tables",
			bins.n_docs, timeline_unit_name(opts->bin), first, last, bins.n_included);
	}
	if (have_bins && weighting_init(&wt, &bins, &opts->weight, opts->corpus.n_threads)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = write_top(opts, m, have_bins ? &wt : NULL, true, bin_starts, ri, diag)))
		goto out;
	rc = write_top_wide(opts, have_bins ? &wt : NULL, bin_starts, ri, diag);
out:
	weighting_free(&wt);
	if (have_bins)
		dtm_free(&bins);
	free(dates);
	free(has_date);
	free(bin_starts);
	return rc;
}

/* docs_by_day.csv: the analysed, dated documents and their tokens (not
 * stopwords) per date bin, from the first bin to the last, empty bins
 * included (a chart must show the gap). */
static int write_docs_by_day(const struct cli_opts *opts, const struct matrix *m, struct runinfo *ri,
			     struct td_diag *diag)
{
	static const char *const columns[] = { "date", "n_docs", "n_tokens" };
	if (!cli_wants(opts, "docs_by_day.csv"))
		return 0;
	size_t n_docs = m->dtm.n_docs;
	int32_t first = INT32_MAX, last = INT32_MIN;
	for (size_t d = 0; d < n_docs; d++) {
		int32_t date;
		if (m->included[d] && corpus_doc_date(m->corpus, d, &date)) {
			int32_t bin = timeline_bin_start(date, opts->bin);
			first = bin < first ? bin : first;
			last = bin > last ? bin : last;
		}
	}
	size_t n_bins = 0;
	for (int32_t b = first; first <= last && b <= last; b = timeline_next_bin(b, opts->bin))
		n_bins++;
	int32_t *starts = malloc((n_bins ? n_bins : 1) * sizeof *starts);
	uint64_t *docs = calloc(n_bins ? n_bins : 1, sizeof *docs);
	uint64_t *tokens = calloc(n_bins ? n_bins : 1, sizeof *tokens);
	struct csv_out csv;
	int rc = 0;
	if (!starts || !docs || !tokens) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	size_t k = 0;
	for (int32_t b = first; k < n_bins; b = timeline_next_bin(b, opts->bin))
		starts[k++] = b;
	for (size_t d = 0; d < n_docs; d++) {
		int32_t date;
		if (!m->included[d] || !corpus_doc_date(m->corpus, d, &date))
			continue;
		int32_t bin = timeline_bin_start(date, opts->bin);
		size_t lo = 0, hi = n_bins;  /* the bin starting at `bin` */
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (starts[mid] <= bin)
				lo = mid;
			else
				hi = mid;
		}
		docs[lo]++;
		tokens[lo] += m->n_tokens[d];
	}
	if ((rc = csv_out_open(&csv, opts->out_dir, "docs_by_day.csv", columns, 3, opts->precision, diag)))
		goto out;
	for (k = 0; k < n_bins; k++) {
		csv_out_date(&csv, starts[k]);
		csv_out_uint(&csv, docs[k]);
		csv_out_uint(&csv, tokens[k]);
		csv_out_end_row(&csv);
	}
	rc = runinfo_commit_table(ri, &csv,
					"documents and tokens (stopwords excluded) per date bin, empty bins included", diag);
	csv_out_free(&csv);
out:
	free(starts);
	free(docs);
	free(tokens);
	return rc;
}

int tfidf_stage(const struct cli_opts *opts, struct matrix *mp, struct runinfo *ri, struct td_diag *diag)
{
	const struct matrix m = *mp;  /* a view: the caller keeps and frees it */
	struct weighting wt;
	int rc = 0;
	double start = runinfo_now();
	/* No array of the values: each is computed where it is written. */
	if (weighting_init(&wt, &m.dtm, &opts->weight, opts->corpus.n_threads)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	runinfo_stage_time(ri, "weight", runinfo_now() - start);
	start = runinfo_now();
	if ((rc = matrix_write_vocab(opts, &m, wt.idf, ri, diag)) ||
	    (rc = matrix_write_counts(opts, &m, ri, diag)) ||
	    (rc = write_tfidf(opts, &m, &wt, ri, diag)) ||
	    (rc = write_top(opts, &m, &wt, false, NULL, ri, diag)) ||
	    (rc = write_by_day(opts, &m, ri, diag)) ||
	    (rc = write_docs_by_day(opts, &m, ri, diag)))
		goto out;
	runinfo_stage_time(ri, "write", runinfo_now() - start);
	if (runinfo_param_str(ri, "tf", weight_tf_name(opts->weight.tf)) ||
	    runinfo_param_str(ri, "idf", weight_idf_name(opts->weight.idf)) ||
	    runinfo_param_str(ri, "norm", weight_norm_name(opts->weight.norm)) ||
	    runinfo_param_str(ri, "bin", timeline_unit_name(opts->bin)) ||
	    runinfo_param_int(ri, "top", opts->top))
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
out:
	weighting_free(&wt);
	return rc;
}

const char *const tfidf_outputs[] = {
	"vocab.csv", "tf.csv", "dtm.mtx", "tfidf.csv", "tfidf.mtx", "top_terms_by_doc.csv",
	"top_terms_by_day.csv", "top_terms_by_day_wide.csv", "docs_by_day.csv", "boilerplate.csv",
	"duplicates.csv", NULL
};

int cmd_tfidf(int argc, char **argv)
{
	return cli_matrix_command(argc, argv, "tfidf", tfidf_help, CLI_TF | CLI_WEIGHT, tfidf_outputs, NULL, tfidf_stage);
}
