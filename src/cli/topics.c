/* topics.c - termdrift topics: NMF on the TF-IDF matrix or LDA on the counts,
 * each topic's coherence, and the topics by date bin (prevalence, term
 * distributions, drift). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_matrix.h>

#include "cli.h"
#include "drift.h"
#include "lda.h"
#include "mtx.h"
#include "nmf.h"

static const char topics_help[] =
	"usage: termdrift topics -i IN [-i IN ...] [-o DIR] [options]\n"
	"\n"
	"Fits k topics and writes topics.csv (topic, rank, term, weight), topic_summary.csv\n"
	"(topic, label, coherence, prevalence), doc_topics.csv (doc_id, topic, weight),\n"
	"topic_prevalence_by_day.csv (+ _wide), topic_terms_by_day.csv and topic_drift.csv.\n"
	"\n"
	"Topics:\n"
	"      --k K                 topics (default 10)\n"
	"      --model M             nmf (default; on the TF-IDF matrix) or lda (on the counts)\n"
	"      --solver S            NMF: cd (coordinate descent, default) or mu\n"
	"      --max-iter N          NMF iterations at most (default 200)\n"
	"      --tol T               NMF stopping tolerance (default 1e-4)\n"
	"      --alpha A, --beta B   LDA priors (default 5/k and 0.01, as MALLET)\n"
	"      --iterations N        LDA Gibbs sweeps (default 1000)\n"
	"      --seed N              the generators' seed (default 0)\n"
	"      --weight W            prevalence by date: mean over docs (default) or tokens\n"
	"      --skip-empty-bins     no rows for bins without documents\n"
	"      --bin UNIT            day (default), week, month, year or decade\n"
	"      --top N               terms per topic (default 20)\n"
	"      --tf, --sublinear, --binary, --idf, --norm  the TF-IDF NMF factorises, as in\n"
	"                            termdrift tfidf (default raw, smooth, l2)\n"
	"\n" CLI_CORPUS_HELP CLI_TF_HELP;

#define COHERENCE_TERMS 10
#define LABEL_TERMS 3

/* A fitted model in one form: theta (documents x k, rows summing to 1, or
 * all zero for a document the model gives nothing) and phi (k x terms, rows
 * summing to 1). */
struct model {
	size_t k, n_docs, n_terms;
	double *theta;
	bool *has_topics;
	double *phi;
	unsigned n_iter;
	bool converged;
	double score;          /* NMF: reconstruction error; LDA: log-likelihood */
};

static void model_free(struct model *md)
{
	free(md->theta);
	free(md->has_topics);
	free(md->phi);
}

/* Copies a GSL matrix's rows into a dense array, each row normalised to sum
 * 1; *nonzero[r] says whether row r had any mass (NULL: not kept). */
static void normalise_rows(const gsl_matrix *src, double *dst, bool *nonzero)
{
	for (size_t r = 0; r < src->size1; r++) {
		double sum = 0;
		for (size_t c = 0; c < src->size2; c++)
			sum += gsl_matrix_get(src, r, c);
		for (size_t c = 0; c < src->size2; c++)
			dst[r * src->size2 + c] = sum > 0 ? gsl_matrix_get(src, r, c) / sum : 0;
		if (nonzero)
			nonzero[r] = sum > 0;
	}
}

/* The matrices behind the topics (tfidf.mtx, nmf_w.mtx, nmf_h.mtx) are
 * written only when --outputs names them: they are for checking the
 * factorisation (tests/oracle/), and termdrift run's tfidf stage writes its
 * own tfidf.mtx. */
static bool asked(const struct cli_opts *opts, const char *name)
{
	return opts->outputs && cli_wants(opts, name);
}

/* An NMF factor as name (Matrix Market array), when --outputs asks for it. */
static int write_factor(const struct cli_opts *opts, const gsl_matrix *f, const char *name, const char *comment,
			const char *description, struct runinfo *ri, struct td_diag *diag)
{
	if (!asked(opts, name))
		return 0;
	int rc = mtx_write_dense(opts->out_dir, name, f->data, f->size1, f->size2, f->tda, 17, comment, diag);
	return rc ? rc : runinfo_record_file(ri, opts->out_dir, name, f->size1 * f->size2, description, diag);
}

static int fit_nmf(const struct cli_opts *opts, const struct matrix *m, struct model *md, struct runinfo *ri,
		   struct td_diag *diag)
{
	const struct dtm *dtm = &m->dtm;
	struct weighting wt = { 0 };
	double *w = NULL;
	struct nmf_result res = { 0 };
	int rc = 0;
	if (weighting_init(&wt, dtm, &opts->weight, opts->corpus.n_threads) ||
	    weighting_values(&wt, opts->corpus.n_threads, &w)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	struct nmf_matrix x = { dtm->n_docs, dtm->n_terms, dtm->row_ptr, dtm->col, w };
	struct nmf_opts no;
	nmf_opts_default(&no);
	no.k = opts->topics.k;
	no.max_iter = opts->topics.max_iter;
	no.tol = opts->topics.tol;
	no.solver = opts->topics.solver_mu ? NMF_MU : NMF_CD;
	no.seed = opts->seed;
	no.threads = opts->corpus.n_threads;
	if (asked(opts, "tfidf.mtx")) {
		uint64_t rows;
		if ((rc = mtx_write(opts->out_dir, "tfidf.mtx", dtm, &wt, 17,
				    "termdrift tf-idf the topics were fitted on: rows = docs.csv order, columns = vocab.csv term_id + 1",
				    opts->corpus.n_threads, &rows, diag)) ||
		    (rc = runinfo_record_file(ri, opts->out_dir, "tfidf.mtx", rows,
					      "tf-idf matrix factorised (Matrix Market coordinate)", diag)))
			goto out;
	}
	if ((rc = nmf_fit(&x, &no, &res, diag)))
		goto out;
	if (runinfo_param_str(ri, "nmf_kernels", nmf_kernels(&no))) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	md->n_iter = res.n_iter;
	md->converged = res.converged;
	md->score = res.error;
	normalise_rows(res.w, md->theta, md->has_topics);
	normalise_rows(res.h, md->phi, NULL);
	if (!res.converged && no.max_iter > 0)
		td_warn(diag, "NMF stopped at --max-iter %u before converging (last ratio %.3g, --tol %g)", no.max_iter,
			res.final_ratio, no.tol);
	if ((rc = write_factor(opts, res.w, "nmf_w.mtx", "termdrift NMF W: rows = docs.csv order, columns = topics",
			       "NMF factor W (documents x topics), Matrix Market array", ri, diag)) ||
	    (rc = write_factor(opts, res.h, "nmf_h.mtx", "termdrift NMF H: rows = topics, columns = vocab.csv term_id + 1",
			       "NMF factor H (topics x terms), Matrix Market array", ri, diag)))
		goto out;
	if (runinfo_param_real(ri, "reconstruction_error", res.error) ||
	    runinfo_param_str(ri, "solver", opts->topics.solver_mu ? "mu" : "cd") ||
	    runinfo_param_int(ri, "max_iter", no.max_iter) || runinfo_param_real(ri, "tol", no.tol) ||
	    runinfo_param_str(ri, "tf", weight_tf_name(opts->weight.tf)) ||
	    runinfo_param_str(ri, "idf", weight_idf_name(opts->weight.idf)) ||
	    runinfo_param_str(ri, "norm", weight_norm_name(opts->weight.norm)))
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
out:
	nmf_result_free(&res);
	weighting_free(&wt);
	free(w);
	return rc;
}

static int fit_lda(const struct cli_opts *opts, const struct matrix *m, struct model *md, struct runinfo *ri,
		   struct td_diag *diag)
{
	const struct dtm *dtm = &m->dtm;
	struct lda_counts x = { dtm->n_docs, dtm->n_terms, dtm->row_ptr, dtm->col, dtm->count };
	struct lda_opts lo;
	lda_opts_default(&lo, opts->topics.k);
	if (opts->topics.alpha > 0)
		lo.alpha = opts->topics.alpha;
	if (opts->topics.beta > 0)
		lo.beta = opts->topics.beta;
	lo.iterations = opts->topics.iterations;
	lo.seed = opts->seed;
	struct lda_result res = { 0 };
	int rc = lda_fit(&x, &lo, &res, diag);
	if (rc)
		return rc;
	md->n_iter = lo.iterations;
	md->converged = true;
	md->score = res.log_likelihood;
	normalise_rows(res.doc_topic, md->theta, NULL);
	for (size_t d = 0; d < dtm->n_docs; d++)  /* an empty document's theta is only its prior */
		md->has_topics[d] = dtm->row_ptr[d + 1] > dtm->row_ptr[d];
	normalise_rows(res.topic_term, md->phi, NULL);
	if (runinfo_param_real(ri, "alpha", lo.alpha) || runinfo_param_real(ri, "beta", lo.beta) ||
	    runinfo_param_int(ri, "iterations", lo.iterations) ||
	    runinfo_param_real(ri, "log_likelihood", res.log_likelihood) ||
	    runinfo_count(ri, "lda_tokens", res.n_tokens))
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
	lda_result_free(&res);
	return rc;
}

/* The top n terms of each topic (n <= n_terms) into top[t * n ...]. */
static int top_terms(const struct model *md, size_t n, uint32_t *top)
{
	struct ranked *buf = malloc((md->n_terms ? md->n_terms : 1) * sizeof *buf);
	if (!buf)
		return TD_ENOMEM;
	for (size_t t = 0; t < md->k; t++) {
		for (size_t w = 0; w < md->n_terms; w++)
			buf[w] = (struct ranked){ (uint32_t)w, md->phi[t * md->n_terms + w] };
		qsort(buf, md->n_terms, sizeof *buf, ranked_compare);
		for (size_t r = 0; r < n; r++)
			top[t * n + r] = buf[r].term;
	}
	free(buf);
	return 0;
}

/* The n terms most distinctive of each topic into out[t * n ...]: by
 * phi[t][w] ln(phi[t][w] / p(w)), p(w) the term's share of the corpus (cf):
 * a frequent word every topic shares ("will", "government") scores low
 * however high its weight, a word the topic owns scores high. */
static int distinctive_terms(const struct model *md, const struct dtm *dtm, size_t n, uint32_t *out)
{
	struct ranked *buf = malloc((md->n_terms ? md->n_terms : 1) * sizeof *buf);
	if (!buf)
		return TD_ENOMEM;
	double total = 0;
	for (size_t w = 0; w < md->n_terms; w++)
		total += (double)dtm->cf[w];
	for (size_t t = 0; t < md->k; t++) {
		for (size_t w = 0; w < md->n_terms; w++) {
			double phi = md->phi[t * md->n_terms + w], p = (double)dtm->cf[w] / total;
			buf[w] = (struct ranked){ (uint32_t)w, phi > 0 && p > 0 ? phi * log(phi / p) : -HUGE_VAL };
		}
		qsort(buf, md->n_terms, sizeof *buf, ranked_compare);
		for (size_t r = 0; r < n; r++)
			out[t * n + r] = buf[r].term;
	}
	free(buf);
	return 0;
}

/* NPMI coherence of each topic's top n terms from document co-occurrence over
 * the included documents (Bouma 2009; Lau et al. 2014): the mean over pairs
 * of ln(P(a, b) / (P(a) P(b))) / -ln P(a, b), -1 for a pair never together,
 * 1 for a pair always together. */
static int coherence(const struct matrix *m, const struct model *md, const uint32_t *top, size_t n, double *out)
{
	const struct dtm *dtm = &m->dtm;
	size_t k = md->k, slots = k * n;
	int32_t *slot_of = malloc((dtm->n_terms ? dtm->n_terms : 1) * sizeof *slot_of);
	/* distinct terms among the slots, and each slot's distinct index */
	size_t *distinct = malloc((slots ? slots : 1) * sizeof *distinct);
	uint32_t *terms = malloc((slots ? slots : 1) * sizeof *terms);
	bool *present = calloc(slots ? slots : 1, sizeof *present);
	size_t *present_list = malloc((slots ? slots : 1) * sizeof *present_list);
	uint64_t *df = NULL, *joint = NULL;
	size_t n_distinct = 0;
	int rc = 0;
	if (!slot_of || !distinct || !terms || !present || !present_list) {
		rc = TD_ENOMEM;
		goto out;
	}
	for (size_t w = 0; w < dtm->n_terms; w++)
		slot_of[w] = -1;
	for (size_t i = 0; i < slots; i++) {
		if (slot_of[top[i]] < 0) {
			slot_of[top[i]] = (int32_t)n_distinct;
			terms[n_distinct++] = top[i];
		}
		distinct[i] = (size_t)slot_of[top[i]];
	}
	df = calloc(n_distinct ? n_distinct : 1, sizeof *df);
	joint = calloc(n_distinct ? n_distinct * n_distinct : 1, sizeof *joint);
	if (!df || !joint) {
		rc = TD_ENOMEM;
		goto out;
	}
	uint64_t n_docs = 0;
	for (size_t d = 0; d < dtm->n_docs; d++) {
		if (!m->included[d])
			continue;
		n_docs++;
		size_t n_present = 0;
		for (uint64_t x = dtm->row_ptr[d]; x < dtm->row_ptr[d + 1]; x++)
			if (slot_of[dtm->col[x]] >= 0)
				present_list[n_present++] = (size_t)slot_of[dtm->col[x]];
		for (size_t i = 0; i < n_present; i++) {
			df[present_list[i]]++;
			for (size_t j = 0; j < n_present; j++)
				joint[present_list[i] * n_distinct + present_list[j]]++;
		}
	}
	for (size_t t = 0; t < k; t++) {
		double sum = 0;
		size_t pairs = 0;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				size_t a = distinct[t * n + i], b = distinct[t * n + j];
				double pa = (double)df[a] / (double)n_docs, pb = (double)df[b] / (double)n_docs;
				double pab = (double)joint[a * n_distinct + b] / (double)n_docs;
				double npmi = pab <= 0 ? -1 : pab >= 1 ? 1 : log(pab / (pa * pb)) / -log(pab);
				sum += npmi;
				pairs++;
			}
		out[t] = pairs ? sum / (double)pairs : NAN;
	}
out:
	free(slot_of);
	free(distinct);
	free(terms);
	free(present);
	free(present_list);
	free(df);
	free(joint);
	return rc;
}

/* "term1, term2, term3": a topic's label. */
static char *topic_label(const struct dtm *dtm, const uint32_t *top, size_t n)
{
	size_t len = 1;
	for (size_t r = 0; r < n; r++)
		len += dtm->terms.len[top[r]] + 2;
	char *label = malloc(len), *at = label;
	if (!label)
		return NULL;
	for (size_t r = 0; r < n; r++) {
		if (r)
			at += sprintf(at, ", ");
		memcpy(at, vocab_term(&dtm->terms, top[r]), dtm->terms.len[top[r]]);
		at += dtm->terms.len[top[r]];
	}
	*at = '\0';
	return label;
}

static int write_topics(const struct cli_opts *opts, const struct matrix *m, const struct model *md, size_t n_top,
			const uint32_t *top, struct runinfo *ri, struct td_diag *diag)
{
	static const char *const columns[] = { "topic", "rank", "term", "weight" };
	if (!cli_wants(opts, "topics.csv"))
		return 0;
	struct csv_out csv;
	int rc = csv_out_open(&csv, opts->out_dir, "topics.csv", columns, 4, opts->precision, diag);
	if (rc)
		return rc;
	const struct dtm *dtm = &m->dtm;
	for (size_t t = 0; t < md->k; t++)
		for (size_t r = 0; r < n_top; r++) {
			uint32_t w = top[t * n_top + r];
			csv_out_uint(&csv, t + 1);
			csv_out_uint(&csv, r + 1);
			csv_out_strn(&csv, vocab_term(&dtm->terms, w), dtm->terms.len[w]);
			csv_out_double(&csv, md->phi[t * md->n_terms + w]);
			csv_out_end_row(&csv);
		}
	rc = runinfo_commit_table(ri, &csv, "the top terms of each topic and their share of the topic (weights of a topic sum to 1 over all terms)", diag);
	csv_out_free(&csv);
	return rc;
}

/* A document's weight in the means over documents. */
static double doc_weight(const struct cli_opts *opts, const struct matrix *m, size_t d)
{
	return opts->topics.weight_tokens ? (double)m->n_tokens[d] : 1.0;
}

static int write_summary(const struct cli_opts *opts, const struct matrix *m, const struct model *md,
			 char *const *labels, const double *coh, struct runinfo *ri, struct td_diag *diag)
{
	static const char *const columns[] = { "topic", "label", "coherence", "prevalence" };
	if (!cli_wants(opts, "topic_summary.csv"))
		return 0;
	double total = 0;
	for (size_t d = 0; d < md->n_docs; d++)
		if (m->included[d] && md->has_topics[d])
			total += doc_weight(opts, m, d);
	struct csv_out csv;
	int rc = csv_out_open(&csv, opts->out_dir, "topic_summary.csv", columns, 4, opts->precision, diag);
	if (rc)
		return rc;
	for (size_t t = 0; t < md->k; t++) {
		double prevalence = 0;
		for (size_t d = 0; d < md->n_docs; d++)
			if (m->included[d] && md->has_topics[d])
				prevalence += doc_weight(opts, m, d) * md->theta[d * md->k + t];
		csv_out_uint(&csv, t + 1);
		csv_out_str(&csv, labels[t]);
		csv_out_number_or_empty(&csv, coh[t]);
		csv_out_number_or_empty(&csv, total > 0 ? prevalence / total : NAN);
		csv_out_end_row(&csv);
	}
	rc = runinfo_commit_table(ri, &csv, "each topic: its 3 most distinctive terms (weight x ln(weight / corpus share)), the NPMI coherence of its top 10 "
						  "(document co-occurrence) and its prevalence (mean topic share)", diag);
	csv_out_free(&csv);
	return rc;
}

static int write_doc_topics(const struct cli_opts *opts, const struct matrix *m, const struct model *md,
			    struct runinfo *ri, struct td_diag *diag)
{
	static const char *const columns[] = { "doc_id", "topic", "weight" };
	if (!cli_wants(opts, "doc_topics.csv"))
		return 0;
	struct csv_out csv;
	int rc = csv_out_open(&csv, opts->out_dir, "doc_topics.csv", columns, 3, opts->precision, diag);
	if (rc)
		return rc;
	for (size_t d = 0; d < md->n_docs; d++) {
		if (!m->included[d] || !md->has_topics[d])
			continue;
		for (size_t t = 0; t < md->k; t++) {
			csv_out_str(&csv, corpus_doc_id(m->corpus, d));
			csv_out_uint(&csv, t + 1);
			csv_out_double(&csv, md->theta[d * md->k + t]);
			csv_out_end_row(&csv);
		}
	}
	rc = runinfo_commit_table(ri, &csv, "each analysed document's topic shares (summing to 1; a document "
					    "without any term of the vocabulary has no rows)", diag);
	csv_out_free(&csv);
	return rc;
}

/* One bin's per-topic term distributions: the bin's distinct terms
 * (increasing) and, per topic, each term's share of the topic's mass. */
struct bin_topics {
	size_t n;
	uint32_t *term;
	double *share;   /* k x n */
	double *mass;    /* k: the topic's mass in the bin, before normalising */
	size_t cap;
};

static int compare_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

/* Shares each count of the bin's documents among the topics in proportion
 * to theta[d][t] phi[t][w] (the topic's responsibility for the word), and
 * normalises each topic's row.  pos is a -1-filled scratch over terms. */
static int bin_topic_terms(const struct matrix *m, const struct model *md, const struct drift_bins *bins, size_t b,
			   int32_t *pos, double *resp, struct bin_topics *bt)
{
	const struct dtm *dtm = &m->dtm;
	size_t k = md->k;
	bt->n = 0;
	for (size_t i = bins->first[b]; i < bins->first[b + 1]; i++) {
		size_t d = bins->doc[i];
		if (!md->has_topics[d])
			continue;
		for (uint64_t x = dtm->row_ptr[d]; x < dtm->row_ptr[d + 1]; x++) {
			uint32_t w = dtm->col[x];
			if (pos[w] >= 0)
				continue;
			if (bt->n == bt->cap) {
				size_t cap = bt->cap ? 2 * bt->cap : 1024;
				uint32_t *terms = realloc(bt->term, cap * sizeof *terms);
				if (!terms)
					return TD_ENOMEM;
				bt->term = terms;
				bt->cap = cap;
			}
			pos[w] = 0;
			bt->term[bt->n++] = w;
		}
	}
	qsort(bt->term, bt->n, sizeof *bt->term, compare_u32);
	for (size_t i = 0; i < bt->n; i++)
		pos[bt->term[i]] = (int32_t)i;
	free(bt->share);
	bt->share = calloc(k * (bt->n ? bt->n : 1), sizeof *bt->share);
	if (!bt->share)
		return TD_ENOMEM;
	for (size_t t = 0; t < k; t++)
		bt->mass[t] = 0;
	for (size_t i = bins->first[b]; i < bins->first[b + 1]; i++) {
		size_t d = bins->doc[i];
		if (!md->has_topics[d])
			continue;
		for (uint64_t x = dtm->row_ptr[d]; x < dtm->row_ptr[d + 1]; x++) {
			uint32_t w = dtm->col[x];
			double sum = 0;
			for (size_t t = 0; t < k; t++) {
				resp[t] = md->theta[d * k + t] * md->phi[t * md->n_terms + w];
				sum += resp[t];
			}
			if (!(sum > 0))
				continue;
			for (size_t t = 0; t < k; t++)
				bt->share[t * bt->n + (size_t)pos[w]] += dtm->count[x] * resp[t] / sum;
		}
	}
	for (size_t i = 0; i < bt->n; i++)
		pos[bt->term[i]] = -1;
	for (size_t t = 0; t < k; t++) {
		double sum = 0;
		for (size_t i = 0; i < bt->n; i++)
			sum += bt->share[t * bt->n + i];
		bt->mass[t] = sum;
		for (size_t i = 0; sum > 0 && i < bt->n; i++)
			bt->share[t * bt->n + i] /= sum;
	}
	return 0;
}

/* The by-date tables: topic_prevalence_by_day.csv (+ _wide),
 * topic_terms_by_day.csv and topic_drift.csv. */
struct by_day {
	struct csv_out prev, wide, terms, drift;
	bool prev_on, wide_on, terms_on, drift_on;
};

static int open_by_day(const struct cli_opts *opts, struct by_day *t, char *const *labels, size_t k,
		       struct td_diag *diag)
{
	static const char *const prev_cols[] = { "date", "topic", "prevalence", "n_docs" };
	static const char *const term_cols[] = { "date", "topic", "rank", "term", "weight" };
	static const char *const drift_cols[] = { "date", "prev_date", "topic", "jsd", "prevalence_change" };
	int rc = 0;
	memset(t, 0, sizeof *t);
	if (cli_wants(opts, "topic_prevalence_by_day.csv")) {
		if ((rc = csv_out_open(&t->prev, opts->out_dir, "topic_prevalence_by_day.csv", prev_cols, 4, opts->precision, diag)))
			return rc;
		t->prev_on = true;
	}
	if (cli_wants(opts, "topic_prevalence_by_day_wide.csv")) {
		const char **names = malloc((k + 1) * sizeof *names);
		if (!names)
			return td_fail(diag, TD_ENOMEM, "out of memory");
		names[0] = "date";
		for (size_t i = 0; i < k; i++)
			names[i + 1] = labels[i];
		rc = csv_out_open(&t->wide, opts->out_dir, "topic_prevalence_by_day_wide.csv", names, k + 1, opts->precision, diag);
		free(names);
		if (rc)
			return rc;
		t->wide_on = true;
	}
	if (cli_wants(opts, "topic_terms_by_day.csv")) {
		if ((rc = csv_out_open(&t->terms, opts->out_dir, "topic_terms_by_day.csv", term_cols, 5, opts->precision, diag)))
			return rc;
		t->terms_on = true;
	}
	if (cli_wants(opts, "topic_drift.csv")) {
		if ((rc = csv_out_open(&t->drift, opts->out_dir, "topic_drift.csv", drift_cols, 5, opts->precision, diag)))
			return rc;
		t->drift_on = true;
	}
	return 0;
}

static void abort_by_day(struct by_day *t)
{
	struct csv_out *all[] = { &t->prev, &t->wide, &t->terms, &t->drift };
	bool on[] = { t->prev_on, t->wide_on, t->terms_on, t->drift_on };
	for (size_t i = 0; i < 4; i++)
		if (on[i]) {
			csv_out_abort(all[i]);
			csv_out_free(all[i]);
		}
	memset(t, 0, sizeof *t);
}

static int commit_by_day(struct by_day *t, struct runinfo *ri, struct td_diag *diag)
{
	struct csv_out *all[] = { &t->prev, &t->wide, &t->terms, &t->drift };
	bool *on[] = { &t->prev_on, &t->wide_on, &t->terms_on, &t->drift_on };
	static const char *const descriptions[] = {
		"each topic's prevalence (mean topic share of the bin's documents) by date bin",
		"topic prevalence by date bin, one column per topic label (for gnuplot)",
		"the top terms of each topic within each date bin (each word's counts shared among topics "
		"by theta x phi), weights summing to 1 per topic and bin",
		"per topic, the JSD of its term distribution from the previous bin with documents, and the "
		"change of its prevalence",
	};
	int rc = 0;
	for (size_t i = 0; i < 4; i++) {
		if (!*on[i])
			continue;
		*on[i] = false;
		if (rc == 0)
			rc = runinfo_commit_table(ri, all[i], descriptions[i], diag);
		else
			csv_out_abort(all[i]);
		csv_out_free(all[i]);
	}
	return rc;
}

static int write_by_day(const struct cli_opts *opts, const struct matrix *m, const struct model *md,
			char *const *labels, struct runinfo *ri, struct td_diag *diag)
{
	size_t k = md->k, n_top = opts->top;
	int32_t *pos = malloc((md->n_terms ? md->n_terms : 1) * sizeof *pos);
	double *resp = malloc(k * sizeof *resp), *prevalence = calloc(k, sizeof *prevalence);
	double *last_prevalence = calloc(k, sizeof *last_prevalence);
	struct bin_topics cur = { 0 }, last = { 0 };
	struct ranked *rank = NULL;
	struct drift_bins bins = { 0 };
	struct by_day t;
	bool have_last = false;
	size_t last_bin = 0;
	int rc = 0;
	cur.mass = calloc(k, sizeof *cur.mass);
	last.mass = calloc(k, sizeof *last.mass);
	if (!pos || !resp || !prevalence || !last_prevalence || !cur.mass || !last.mass) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t w = 0; w < md->n_terms; w++)
		pos[w] = -1;
	if ((rc = matrix_date_bins(opts, m, "the topic tables by date", &bins, diag)))
		goto out;
	if ((rc = open_by_day(opts, &t, labels, k, diag)))
		goto fail;
	for (size_t b = 0; b < bins.n_bins; b++) {
		size_t n_in = 0;
		double total = 0;
		for (size_t t_i = 0; t_i < k; t_i++)
			prevalence[t_i] = 0;
		for (size_t i = bins.first[b]; i < bins.first[b + 1]; i++) {
			size_t d = bins.doc[i];
			if (!md->has_topics[d])
				continue;
			n_in++;
			total += doc_weight(opts, m, d);
			for (size_t t_i = 0; t_i < k; t_i++)
				prevalence[t_i] += doc_weight(opts, m, d) * md->theta[d * k + t_i];
		}
		if (n_in == 0 && opts->drift.skip_empty_bins)
			continue;
		if (t.wide_on)
			csv_out_date(&t.wide, bins.start[b]);
		for (size_t t_i = 0; t_i < k; t_i++) {
			double p = total > 0 ? prevalence[t_i] / total : NAN;
			prevalence[t_i] = p;
			if (t.prev_on) {
				csv_out_date(&t.prev, bins.start[b]);
				csv_out_uint(&t.prev, t_i + 1);
				csv_out_number_or_empty(&t.prev, p);
				csv_out_uint(&t.prev, n_in);
				csv_out_end_row(&t.prev);
			}
			if (t.wide_on)
				csv_out_number_or_empty(&t.wide, p);
		}
		if (t.wide_on)
			csv_out_end_row(&t.wide);
		if (n_in == 0 || (!t.terms_on && !t.drift_on))
			continue;
		if (bin_topic_terms(m, md, &bins, b, pos, resp, &cur)) {
			rc = td_fail(diag, TD_ENOMEM, "out of memory");
			goto fail;
		}
		if (t.terms_on) {
			struct ranked *grown = realloc(rank, (cur.n ? cur.n : 1) * sizeof *grown);
			if (!grown) {
				rc = td_fail(diag, TD_ENOMEM, "out of memory");
				goto fail;
			}
			rank = grown;
			for (size_t t_i = 0; t_i < k; t_i++) {
				if (!(cur.mass[t_i] > 0))
					continue;
				for (size_t i = 0; i < cur.n; i++)
					rank[i] = (struct ranked){ cur.term[i], cur.share[t_i * cur.n + i] };
				qsort(rank, cur.n, sizeof *rank, ranked_compare);
				for (size_t r = 0; r < cur.n && r < n_top && rank[r].value > 0; r++) {
					csv_out_date(&t.terms, bins.start[b]);
					csv_out_uint(&t.terms, t_i + 1);
					csv_out_uint(&t.terms, r + 1);
					csv_out_strn(&t.terms, vocab_term(&m->dtm.terms, rank[r].term), m->dtm.terms.len[rank[r].term]);
					csv_out_double(&t.terms, rank[r].value);
					csv_out_end_row(&t.terms);
				}
			}
		}
		if (t.drift_on && have_last)
			for (size_t t_i = 0; t_i < k; t_i++) {
				csv_out_date(&t.drift, bins.start[b]);
				csv_out_date(&t.drift, bins.start[last_bin]);
				csv_out_uint(&t.drift, t_i + 1);
				csv_out_number_or_empty(&t.drift, cur.mass[t_i] > 0 && last.mass[t_i] > 0
							     ? drift_jsd_sparse(cur.n, cur.term, cur.share + t_i * cur.n, last.n,
										last.term, last.share + t_i * last.n)
							     : NAN);
				csv_out_number_or_empty(&t.drift, prevalence[t_i] - last_prevalence[t_i]);
				csv_out_end_row(&t.drift);
			}
		struct bin_topics swap = last;
		last = cur;
		cur = swap;
		memcpy(last_prevalence, prevalence, k * sizeof *prevalence);
		have_last = true;
		last_bin = b;
	}
	rc = commit_by_day(&t, ri, diag);
	goto out;
fail:
	abort_by_day(&t);
out:
	drift_bins_free(&bins);
	free(pos);
	free(resp);
	free(prevalence);
	free(last_prevalence);
	free(cur.term);
	free(cur.share);
	free(cur.mass);
	free(last.term);
	free(last.share);
	free(last.mass);
	free(rank);
	return rc;
}

int topics_stage(const struct cli_opts *opts, struct matrix *m, struct runinfo *ri, struct td_diag *diag)
{
	const struct dtm *dtm = &m->dtm;
	size_t k = opts->topics.k, n_docs = dtm->n_docs, n_terms = dtm->n_terms;
	if (k > dtm->n_included)
		return td_fail(diag, TD_EINVAL, "--k %zu is more than the %zu analysed documents", k, dtm->n_included);
	if (k > n_terms)
		return td_fail(diag, TD_EINVAL, "--k %zu is more than the %zu terms of the vocabulary", k, n_terms);
	struct model md = { .k = k, .n_docs = n_docs, .n_terms = n_terms };
	size_t n_top = opts->top < n_terms ? opts->top : n_terms;
	size_t n_coh = COHERENCE_TERMS < n_terms ? COHERENCE_TERMS : n_terms;
	size_t n_rank = n_top > n_coh ? n_top : n_coh;
	uint32_t *top = malloc(k * n_rank * sizeof *top), *coh_top = malloc(k * n_coh * sizeof *coh_top);
	double *coh = malloc(k * sizeof *coh);
	char **labels = calloc(k, sizeof *labels);
	int rc = 0;
	md.theta = calloc(n_docs ? n_docs * k : 1, sizeof *md.theta);
	md.has_topics = calloc(n_docs ? n_docs : 1, sizeof *md.has_topics);
	md.phi = calloc(k * n_terms, sizeof *md.phi);
	if (!top || !coh_top || !coh || !labels || !md.theta || !md.has_topics || !md.phi) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	double start = runinfo_now();
	rc = opts->topics.lda ? fit_lda(opts, m, &md, ri, diag) : fit_nmf(opts, m, &md, ri, diag);
	if (rc)
		goto out;
	runinfo_stage_time(ri, "topics", runinfo_now() - start);
	start = runinfo_now();
	if (top_terms(&md, n_rank, top)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	size_t n_label = n_terms < LABEL_TERMS ? n_terms : LABEL_TERMS;
	uint32_t *label_top = malloc(k * n_label * sizeof *label_top);
	if (!label_top || distinctive_terms(&md, dtm, n_label, label_top)) {
		free(label_top);
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t t = 0; t < k; t++) {
		memcpy(coh_top + t * n_coh, top + t * n_rank, n_coh * sizeof *top);
		if (!(labels[t] = topic_label(dtm, label_top + t * n_label, n_label))) {
			rc = td_fail(diag, TD_ENOMEM, "out of memory");
			break;
		}
	}
	free(label_top);
	if (rc)
		goto out;
	if (coherence(m, &md, coh_top, n_coh, coh)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	/* topics.csv lists n_top of the n_rank ranked terms per topic */
	uint32_t *listed = malloc(k * (n_top ? n_top : 1) * sizeof *listed);
	if (!listed) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	for (size_t t = 0; t < k; t++)
		memcpy(listed + t * n_top, top + t * n_rank, n_top * sizeof *top);
	rc = write_topics(opts, m, &md, n_top, listed, ri, diag);
	free(listed);
	if (rc || (rc = write_summary(opts, m, &md, labels, coh, ri, diag)) ||
	    (rc = write_doc_topics(opts, m, &md, ri, diag)) || (rc = write_by_day(opts, m, &md, labels, ri, diag)))
		goto out;
	runinfo_stage_time(ri, "topics_write", runinfo_now() - start);
	double mean_coh = 0;
	for (size_t t = 0; t < k; t++)
		mean_coh += coh[t] / (double)k;
	if (runinfo_param_str(ri, "model", opts->topics.lda ? "lda" : "nmf") || runinfo_param_int(ri, "k", (int64_t)k) ||
	    runinfo_param_int(ri, "seed", (int64_t)opts->seed) ||
	    runinfo_param_str(ri, "blas", "GSL's CBLAS (libgslcblas)") ||
	    runinfo_param_str(ri, "prevalence_weight", opts->topics.weight_tokens ? "tokens" : "docs") ||
	    runinfo_param_str(ri, "bin", timeline_unit_name(opts->bin)) ||
	    runinfo_count(ri, "topic_iterations", md.n_iter) ||
	    runinfo_param_bool(ri, "converged", md.converged) ||
	    runinfo_param_real(ri, "mean_coherence", mean_coh))
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
out:
	for (size_t t = 0; labels && t < k; t++)
		free(labels[t]);
	free(labels);
	free(top);
	free(coh_top);
	free(coh);
	model_free(&md);
	return rc;
}

const char *const topics_outputs[] = {
	"topics.csv", "topic_summary.csv", "doc_topics.csv", "topic_prevalence_by_day.csv",
	"topic_prevalence_by_day_wide.csv", "topic_terms_by_day.csv", "topic_drift.csv", "tfidf.mtx", "nmf_w.mtx",
	"nmf_h.mtx", "boilerplate.csv", "duplicates.csv", NULL
};

int cmd_topics(int argc, char **argv)
{
	return cli_matrix_command(argc, argv, "topics", topics_help, CLI_TF | CLI_WEIGHT | CLI_TOPICS, topics_outputs, NULL, topics_stage);
}
