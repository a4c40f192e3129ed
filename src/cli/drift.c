/* drift.c - termdrift drift: how the vocabulary moves between date bins
 * (drift_by_day.csv, term_trends.csv, term_trends_wide.csv). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "drift.h"

static const char drift_help[] =
	"usage: termdrift drift -i IN [-i IN ...] [-o DIR] [options]\n"
	"\n"
	"Compares the date bins' term distributions: drift_by_day.csv (Jensen-Shannon\n"
	"divergence with the previous bin and its permutation p-value, Hellinger, TF-IDF\n"
	"centroid cosine, JSD from the first bin), term_trends.csv (log-odds ratios with an\n"
	"informative Dirichlet prior and z-scores, against the previous bin and the rest)\n"
	"and term_trends_wide.csv (tracked terms per 10,000 tokens).\n"
	"\n"
	"Drift:\n"
	"      --smoothing S         added to every term's count in a bin (default 0.01)\n"
	"      --permutations R      splits per pair of bins (default 999; 0: none)\n"
	"      --seed N              the permutations' seed (default 0)\n"
	"      --prior A0            log-odds prior tokens (default: a bin's mean tokens)\n"
	"      --track T1,T2,...     terms of the wide table (default: 10 most frequent)\n"
	"      --skip-empty-bins     no rows for bins without documents\n"
	"\n" CLI_CORPUS_HELP CLI_TF_HELP CLI_WEIGHT_HELP;

#define DEFAULT_TRACKED 10

/* The bins' summed counts, CSR: bin b's terms are term[ptr[b]..ptr[b+1]). */
struct bin_sums {
	uint64_t *ptr;
	uint32_t *term;
	uint64_t *count;
	uint64_t *total;      /* per bin: the distribution's tokens */
	uint64_t *n_tokens;   /* per bin: tokens counted (docs_by_day's n_tokens) */
	uint64_t *cf;         /* per term: over every binned document */
	uint64_t grand_total;
};

static void bin_sums_free(struct bin_sums *s)
{
	free(s->ptr);
	free(s->term);
	free(s->count);
	free(s->total);
	free(s->n_tokens);
	free(s->cf);
}

static int compare_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

static int sum_bins(const struct matrix *m, const struct drift_bins *bins, struct bin_sums *s)
{
	const struct dtm *dtm = &m->dtm;
	size_t n_terms = dtm->n_terms ? dtm->n_terms : 1, nnz = 0;
	memset(s, 0, sizeof *s);
	uint64_t *acc = calloc(n_terms, sizeof *acc);
	uint32_t *touched = malloc(n_terms * sizeof *touched);
	s->ptr = calloc(bins->n_bins + 1, sizeof *s->ptr);
	s->total = calloc(bins->n_bins + 1, sizeof *s->total);
	s->n_tokens = calloc(bins->n_bins + 1, sizeof *s->n_tokens);
	s->cf = calloc(n_terms, sizeof *s->cf);
	for (size_t i = 0; i < (bins->n_bins ? bins->first[bins->n_bins] : 0); i++) {
		size_t d = bins->doc[i];
		nnz += (size_t)(dtm->row_ptr[d + 1] - dtm->row_ptr[d]);
	}
	s->term = malloc((nnz ? nnz : 1) * sizeof *s->term);
	s->count = malloc((nnz ? nnz : 1) * sizeof *s->count);
	if (!acc || !touched || !s->ptr || !s->total || !s->n_tokens || !s->cf || !s->term || !s->count) {
		free(acc);
		free(touched);
		bin_sums_free(s);
		return TD_ENOMEM;
	}
	uint64_t at = 0;
	for (size_t b = 0; b < bins->n_bins; b++) {
		size_t n_touched = 0;
		for (size_t i = bins->first[b]; i < bins->first[b + 1]; i++) {
			size_t d = bins->doc[i];
			s->n_tokens[b] += m->n_tokens[d];
			for (uint64_t k = dtm->row_ptr[d]; k < dtm->row_ptr[d + 1]; k++) {
				uint32_t t = dtm->col[k];
				if (acc[t] == 0)
					touched[n_touched++] = t;
				acc[t] += dtm->count[k];
			}
		}
		qsort(touched, n_touched, sizeof *touched, compare_u32);
		for (size_t i = 0; i < n_touched; i++) {
			uint32_t t = touched[i];
			s->term[at] = t;
			s->count[at++] = acc[t];
			s->total[b] += acc[t];
			s->cf[t] += acc[t];
			acc[t] = 0;
		}
		s->ptr[b + 1] = at;
		s->grand_total += s->total[b];
	}
	free(acc);
	free(touched);
	return 0;
}

static struct drift_counts bin_counts(const struct bin_sums *s, size_t b)
{
	return (struct drift_counts){ (size_t)(s->ptr[b + 1] - s->ptr[b]), s->term + s->ptr[b], s->count + s->ptr[b],
				      s->total[b] };
}

/* The count of term t in bin b (0 when absent). */
static uint64_t bin_count(const struct bin_sums *s, size_t b, uint32_t t)
{
	uint64_t lo = s->ptr[b], hi = s->ptr[b + 1];
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (s->term[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->ptr[b + 1] && s->term[lo] == t ? s->count[lo] : 0;
}

/* Per bin: the previous bin holding documents (SIZE_MAX for none) and the
 * measures against it. */
struct bin_drift {
	size_t prev;
	double jsd, p_value, hellinger, cosine, jsd_first;
};

/* The TF-IDF centroid of bin b (summed rows: the cosine ignores the scale)
 * into the dense vec, the terms set into touched; returns its norm. */
static double centroid(const struct matrix *m, const struct drift_bins *bins, const double *w, size_t b,
		       double *vec, uint32_t *touched, size_t *n_touched)
{
	const struct dtm *dtm = &m->dtm;
	*n_touched = 0;
	for (size_t i = bins->first[b]; i < bins->first[b + 1]; i++) {
		size_t d = bins->doc[i];
		for (uint64_t k = dtm->row_ptr[d]; k < dtm->row_ptr[d + 1]; k++) {
			uint32_t t = dtm->col[k];
			if (vec[t] == 0)
				touched[(*n_touched)++] = t;
			vec[t] += w[k];
		}
	}
	/* a weight of exactly 0 (prob idf) can note a term twice */
	qsort(touched, *n_touched, sizeof *touched, compare_u32);
	size_t n = 0;
	for (size_t i = 0; i < *n_touched; i++)
		if (n == 0 || touched[i] != touched[n - 1])
			touched[n++] = touched[i];
	*n_touched = n;
	double norm = 0;
	for (size_t i = 0; i < n; i++)
		norm += vec[touched[i]] * vec[touched[i]];
	return sqrt(norm);
}

static int measure_bins(const struct cli_opts *opts, const struct matrix *m, const struct drift_bins *bins,
			const struct bin_sums *s, struct bin_drift *out, struct td_diag *diag)
{
	size_t n_bins = bins->n_bins, n_terms = m->dtm.n_terms ? m->dtm.n_terms : 1, first = SIZE_MAX, prev = SIZE_MAX;
	struct weighting wt = { 0 };
	double *w = NULL, *vec[2] = { NULL, NULL }, norm[2] = { 0, 0 };
	uint32_t *touched[2] = { NULL, NULL };
	size_t n_touched[2] = { 0, 0 }, *pair_a = NULL, *pair_b = NULL, n_pairs = 0;
	double *observed = NULL, *p_values = NULL;
	int rc = 0;
	vec[0] = calloc(n_terms, sizeof *vec[0]);
	vec[1] = calloc(n_terms, sizeof *vec[1]);
	touched[0] = malloc(n_terms * sizeof *touched[0]);
	touched[1] = malloc(n_terms * sizeof *touched[1]);
	pair_a = malloc((n_bins ? n_bins : 1) * sizeof *pair_a);
	pair_b = malloc((n_bins ? n_bins : 1) * sizeof *pair_b);
	observed = malloc((n_bins ? n_bins : 1) * sizeof *observed);
	p_values = malloc((n_bins ? n_bins : 1) * sizeof *p_values);
	if (!vec[0] || !vec[1] || !touched[0] || !touched[1] || !pair_a || !pair_b || !observed || !p_values ||
	    weighting_init(&wt, &m->dtm, &opts->weight, opts->corpus.n_threads) ||
	    weighting_values(&wt, opts->corpus.n_threads, &w)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	int cur = 0;
	for (size_t b = 0; b < n_bins; b++) {
		struct bin_drift *r = &out[b];
		*r = (struct bin_drift){ SIZE_MAX, NAN, NAN, NAN, NAN, NAN };
		if (bins->first[b + 1] == bins->first[b])
			continue;
		norm[cur] = centroid(m, bins, w, b, vec[cur], touched[cur], &n_touched[cur]);
		if (first == SIZE_MAX)
			first = b;
		struct drift_counts here = bin_counts(s, b), start = bin_counts(s, first);
		double ignored;
		drift_divergence(&start, &here, m->dtm.n_terms, opts->drift.smoothing, &r->jsd_first, &ignored);
		if (prev != SIZE_MAX) {
			struct drift_counts before = bin_counts(s, prev);
			r->prev = prev;
			drift_divergence(&before, &here, m->dtm.n_terms, opts->drift.smoothing, &r->jsd, &r->hellinger);
			double dot = 0;
			for (size_t i = 0; i < n_touched[cur]; i++)
				dot += vec[cur][touched[cur][i]] * vec[!cur][touched[cur][i]];
			if (norm[cur] > 0 && norm[!cur] > 0)
				r->cosine = fmax(0.0, 1.0 - dot / (norm[cur] * norm[!cur]));
			pair_a[n_pairs] = prev;
			pair_b[n_pairs] = b;
			observed[n_pairs++] = r->jsd;
			for (size_t i = 0; i < n_touched[!cur]; i++)
				vec[!cur][touched[!cur][i]] = 0;
		}
		prev = b;
		cur = !cur;
	}
	if (opts->drift.permutations > 0 && n_pairs > 0) {
		if (drift_permutation_test(&m->dtm, bins, pair_a, pair_b, observed, n_pairs, opts->drift.smoothing,
					   opts->drift.permutations, opts->seed, opts->corpus.n_threads, p_values)) {
			rc = td_fail(diag, TD_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < n_pairs; i++)
			if (!isnan(observed[i]))
				out[pair_b[i]].p_value = p_values[i];
	}
out:
	weighting_free(&wt);
	free(w);
	free(vec[0]);
	free(vec[1]);
	free(touched[0]);
	free(touched[1]);
	free(pair_a);
	free(pair_b);
	free(observed);
	free(p_values);
	return rc;
}

static bool bin_shown(const struct cli_opts *opts, const struct drift_bins *bins, size_t b)
{
	return !opts->drift.skip_empty_bins || bins->first[b + 1] > bins->first[b];
}

static int write_drift(const struct cli_opts *opts, const struct drift_bins *bins, const struct bin_sums *s,
		       const struct bin_drift *dr, struct runinfo *ri, struct td_diag *diag)
{
	static const char *const columns[] = { "date", "prev_date", "n_docs", "n_tokens", "jsd", "jsd_p_value",
					       "hellinger", "cosine", "jsd_from_first" };
	if (!cli_wants(opts, "drift_by_day.csv"))
		return 0;
	struct csv_out csv;
	int rc = csv_out_open(&csv, opts->out_dir, "drift_by_day.csv", columns, 9, opts->precision, diag);
	if (rc)
		return rc;
	for (size_t b = 0; b < bins->n_bins; b++) {
		if (!bin_shown(opts, bins, b))
			continue;
		csv_out_date(&csv, bins->start[b]);
		if (dr[b].prev != SIZE_MAX)
			csv_out_date(&csv, bins->start[dr[b].prev]);
		else
			csv_out_str(&csv, NULL);
		csv_out_uint(&csv, bins->first[b + 1] - bins->first[b]);
		csv_out_uint(&csv, s->n_tokens[b]);
		csv_out_number_or_empty(&csv, dr[b].jsd);
		csv_out_number_or_empty(&csv, dr[b].p_value);
		csv_out_number_or_empty(&csv, dr[b].hellinger);
		csv_out_number_or_empty(&csv, dr[b].cosine);
		csv_out_number_or_empty(&csv, dr[b].jsd_first);
		csv_out_end_row(&csv);
	}
	rc = runinfo_commit_table(ri, &csv,
					"drift of each date bin's term distribution from the previous bin with documents "
					"(JSD with its permutation p-value, Hellinger, TF-IDF centroid cosine) and from the first", diag);
	csv_out_free(&csv);
	return rc;
}

struct trend {
	uint32_t term;
	uint64_t count;
	double lo_prev, z_prev, lo_rest, z_rest;
};

/* z against the previous bin descending (against the rest for the first
 * bin), then term id. */
static int compare_trend(const void *x, const void *y)
{
	const struct trend *a = x, *b = y;
	double za = isnan(a->z_prev) ? a->z_rest : a->z_prev, zb = isnan(b->z_prev) ? b->z_rest : b->z_prev;
	if (za != zb)
		return za < zb ? 1 : -1;
	return (a->term > b->term) - (a->term < b->term);
}

static int write_trends(const struct cli_opts *opts, const struct matrix *m, const struct drift_bins *bins,
			const struct bin_sums *s, const struct bin_drift *dr, double a0, struct runinfo *ri,
			struct td_diag *diag)
{
	static const char *const columns[] = { "date", "term", "count", "rel_freq", "log_odds_vs_prev", "z_vs_prev",
					       "log_odds_vs_rest", "z_vs_rest" };
	if (!cli_wants(opts, "term_trends.csv"))
		return 0;
	const struct dtm *dtm = &m->dtm;
	size_t cap = 0;
	for (size_t b = 0; b < bins->n_bins; b++) {
		size_t n = (size_t)(s->ptr[b + 1] - s->ptr[b]) + (dr[b].prev != SIZE_MAX ? (size_t)(s->ptr[dr[b].prev + 1] - s->ptr[dr[b].prev]) : 0);
		cap = n > cap ? n : cap;
	}
	struct trend *rows = malloc((cap ? cap : 1) * sizeof *rows);
	if (!rows)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	struct csv_out csv;
	int rc = csv_out_open(&csv, opts->out_dir, "term_trends.csv", columns, 8, opts->precision, diag);
	if (rc) {
		free(rows);
		return rc;
	}
	double total = (double)s->grand_total;
	for (size_t b = 0; b < bins->n_bins; b++) {
		if (bins->first[b + 1] == bins->first[b])
			continue;
		size_t prev = dr[b].prev, n = 0;
		uint64_t i = s->ptr[b], j = prev != SIZE_MAX ? s->ptr[prev] : 0, j_end = prev != SIZE_MAX ? s->ptr[prev + 1] : 0;
		double n_b = (double)s->total[b], n_prev = prev != SIZE_MAX ? (double)s->total[prev] : 0;
		while (i < s->ptr[b + 1] || j < j_end) {
			uint32_t t;
			uint64_t y = 0, y_prev = 0;
			if (j >= j_end || (i < s->ptr[b + 1] && s->term[i] < s->term[j])) {
				t = s->term[i];
				y = s->count[i++];
			} else if (i >= s->ptr[b + 1] || s->term[j] < s->term[i]) {
				t = s->term[j];
				y_prev = s->count[j++];
			} else {
				t = s->term[i];
				y = s->count[i++];
				y_prev = s->count[j++];
			}
			struct trend *r = &rows[n++];
			r->term = t;
			r->count = y;
			double a_w = a0 * (double)s->cf[t] / total;
			r->lo_prev = r->z_prev = NAN;
			if (prev != SIZE_MAX)
				drift_log_odds((double)y, n_b, (double)y_prev, n_prev, a_w, a0, &r->lo_prev, &r->z_prev);
			drift_log_odds((double)y, n_b, (double)(s->cf[t] - y), total - n_b, a_w, a0, &r->lo_rest,
				       &r->z_rest);
		}
		qsort(rows, n, sizeof *rows, compare_trend);
		for (size_t k = 0; k < n; k++) {
			csv_out_date(&csv, bins->start[b]);
			csv_out_strn(&csv, vocab_term(&dtm->terms, rows[k].term), dtm->terms.len[rows[k].term]);
			csv_out_uint(&csv, rows[k].count);
			csv_out_number_or_empty(&csv, n_b > 0 ? (double)rows[k].count / n_b : NAN);
			csv_out_number_or_empty(&csv, rows[k].lo_prev);
			csv_out_number_or_empty(&csv, rows[k].z_prev);
			csv_out_number_or_empty(&csv, rows[k].lo_rest);
			csv_out_number_or_empty(&csv, rows[k].z_rest);
			csv_out_end_row(&csv);
		}
	}
	free(rows);
	rc = runinfo_commit_table(ri, &csv,
				  "each term of a date bin or the bin before: count, relative frequency, and the "
				  "log-odds ratio with an informative Dirichlet prior (and its z-score) against the "
				  "previous bin and against all other bins; rising terms first", diag);
	csv_out_free(&csv);
	return rc;
}

/* The tracked terms: --track, or the DEFAULT_TRACKED most frequent. */
static int tracked_terms(const struct cli_opts *opts, struct matrix *m, const struct bin_sums *s,
			 uint32_t **ids, size_t *n_ids, struct runinfo *ri, struct td_diag *diag)
{
	size_t n_terms = m->dtm.n_terms;
	if (opts->drift.track) {
		char *missing;
		int rc = matrix_find_terms(&m->dtm, opts->drift.track, "tracked", ids, n_ids, &missing, diag);
		if (rc == 0 && runinfo_param_str(ri, "track_missing", missing))
			rc = td_fail(diag, TD_ENOMEM, "out of memory");
		free(missing);
		return rc;
	}
	uint32_t *order = terms_by_count(s->cf, n_terms);
	*ids = malloc(DEFAULT_TRACKED * sizeof **ids);
	*n_ids = 0;
	if (!order || !*ids) {
		free(order);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n_terms && *n_ids < DEFAULT_TRACKED && s->cf[order[i]] > 0; i++)
		(*ids)[(*n_ids)++] = order[i];
	free(order);
	return 0;
}

static int write_wide(const struct cli_opts *opts, struct matrix *m, const struct drift_bins *bins,
		      const struct bin_sums *s, struct runinfo *ri, struct td_diag *diag)
{
	if (!cli_wants(opts, "term_trends_wide.csv"))
		return 0;
	uint32_t *ids = NULL;
	size_t n_ids = 0;
	int rc = tracked_terms(opts, m, s, &ids, &n_ids, ri, diag);
	if (rc)
		return rc;
	const char **names = malloc((n_ids + 1) * sizeof *names);
	if (!names) {
		free(ids);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	names[0] = "date";
	for (size_t i = 0; i < n_ids; i++)
		names[i + 1] = vocab_term(&m->dtm.terms, ids[i]);
	struct csv_out csv;
	if ((rc = csv_out_open(&csv, opts->out_dir, "term_trends_wide.csv", names, n_ids + 1, opts->precision, diag)))
		goto out;
	for (size_t b = 0; b < bins->n_bins; b++) {
		if (!bin_shown(opts, bins, b))
			continue;
		csv_out_date(&csv, bins->start[b]);
		for (size_t i = 0; i < n_ids; i++)
			csv_out_number_or_empty(&csv, s->total[b] ? 1e4 * (double)bin_count(s, b, ids[i]) / (double)s->total[b] : NAN);
		csv_out_end_row(&csv);
	}
	rc = runinfo_commit_table(ri, &csv, "frequency per 10,000 tokens of each tracked term by date bin", diag);
	csv_out_free(&csv);
out:
	free(names);
	free(ids);
	return rc;
}

int drift_stage(const struct cli_opts *opts, struct matrix *m, struct runinfo *ri, struct td_diag *diag)
{
	struct drift_bins bins = { 0 };
	struct bin_sums sums = { 0 };
	struct bin_drift *dr = NULL;
	bool have_sums = false;
	double start = runinfo_now();
	int rc = matrix_date_bins(opts, m, "the drift tables", &bins, diag);
	if (rc)
		goto out;
	if (bins.n_undated && bins.n_bins)
		td_warn(diag, "%zu document%s without a date %s left out of the drift tables (no_date in manifest.json)",
			bins.n_undated, bins.n_undated == 1 ? "" : "s", bins.n_undated == 1 ? "is" : "are");
	if (sum_bins(m, &bins, &sums)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	have_sums = true;
	size_t n_full = 0;
	for (size_t b = 0; b < bins.n_bins; b++)
		n_full += bins.first[b + 1] > bins.first[b];
	if (n_full == 1) {
		char day[DATE_ISO_LEN + 1];
		date_format(bins.start[0], day);
		td_warn(diag, "all dated documents fall in one %s bin (%s): drift has nothing to compare",
			timeline_unit_name(opts->bin), day);
	}
	dr = malloc((bins.n_bins ? bins.n_bins : 1) * sizeof *dr);
	if (!dr) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	double a0 = opts->drift.prior > 0 ? opts->drift.prior : n_full ? (double)sums.grand_total / (double)n_full : 0;
	if ((rc = measure_bins(opts, m, &bins, &sums, dr, diag)))
		goto out;
	runinfo_stage_time(ri, "drift", runinfo_now() - start);
	start = runinfo_now();
	if ((rc = write_drift(opts, &bins, &sums, dr, ri, diag)) ||
	    (rc = write_trends(opts, m, &bins, &sums, dr, a0, ri, diag)) ||
	    (rc = write_wide(opts, m, &bins, &sums, ri, diag)))
		goto out;
	runinfo_stage_time(ri, "drift_write", runinfo_now() - start);
	if (runinfo_param_str(ri, "bin", timeline_unit_name(opts->bin)) ||
	    runinfo_param_real(ri, "smoothing", opts->drift.smoothing) ||
	    runinfo_param_int(ri, "permutations", opts->drift.permutations) ||
	    runinfo_param_int(ri, "seed", (int64_t)opts->seed) ||
	    runinfo_param_real(ri, "prior", a0) ||
	    runinfo_param_bool(ri, "skip_empty_bins", opts->drift.skip_empty_bins) ||
	    runinfo_count(ri, "no_date", bins.n_undated) ||
	    runinfo_count(ri, "bins", bins.n_bins) ||
	    runinfo_count(ri, "bins_with_documents", n_full))
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
out:
	if (have_sums)
		bin_sums_free(&sums);
	drift_bins_free(&bins);
	free(dr);
	return rc;
}

const char *const drift_outputs[] = {
	"drift_by_day.csv", "term_trends.csv", "term_trends_wide.csv", "boilerplate.csv", "duplicates.csv", NULL
};

int cmd_drift(int argc, char **argv)
{
	return cli_matrix_command(argc, argv, "drift", drift_help, CLI_TF | CLI_WEIGHT | CLI_DRIFT, drift_outputs, NULL, drift_stage);
}
