/* matrix.c - what termdrift tf and tfidf share: reading the corpus into a
 * document-term matrix with one counting part per worker, and writing
 * vocab.csv, tf.csv and dtm.mtx. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "cli.h"
#include "drift.h"
#include "hash.h"
#include "mtx.h"

struct matrix_ctx {
	struct docs_report report;
	struct progress progress;
	bool *included;            /* per document: counts in the matrix */
	uint64_t *n_tokens;        /* per document: tokens, stopwords excluded */
	size_t cap;
	struct td_diag *diag;
};

static int count_doc(void *ctx, const struct corpus_doc *cd)
{
	int rc = tf_part_add(ctx, cd->index, cd->tokens);
	if (rc == 0 && cd->n_types_out)
		*cd->n_types_out = tf_part_last_types(ctx);
	return rc;
}

static int emit_doc(void *ctx, const struct corpus_doc *cd)
{
	struct matrix_ctx *mc = ctx;
	progress_doc(&mc->progress, cd->doc->n_bytes);
	if (cd->index >= mc->cap) {
		size_t cap = mc->cap ? 2 * mc->cap : 1024;
		bool *grown = realloc(mc->included, cap * sizeof *grown);
		if (!grown)
			return td_fail(mc->diag, TD_ENOMEM, "out of memory");
		mc->included = grown;
		uint64_t *tokens = realloc(mc->n_tokens, cap * sizeof *tokens);
		if (!tokens)
			return td_fail(mc->diag, TD_ENOMEM, "out of memory");
		mc->n_tokens = tokens;
		mc->cap = cap;
	}
	mc->included[cd->index] = cd->analysed;
	mc->n_tokens[cd->index] = cd->n_tokens;
	if (docs_report_row(&mc->report, cd))
		return td_fail(mc->diag, TD_EIO, "cannot write docs.csv");
	return 0;
}

int matrix_build(const struct cli_opts *opts, struct runinfo *ri, struct matrix *m, struct td_diag *diag)
{
	unsigned n_parts = opts->corpus.n_threads;
	struct tf_part **parts = calloc(n_parts, sizeof *parts);
	struct matrix_ctx mc = { .diag = diag };
	int rc = 0;
	memset(m, 0, sizeof *m);
	if (!parts)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	for (unsigned i = 0; i < n_parts; i++)
		if ((rc = tf_part_new(&parts[i], &opts->tf))) {
			td_fail(diag, rc, "out of memory");
			goto out;
		}
	if ((rc = docs_report_open(&mc.report, opts, diag)))
		goto out;
	progress_init(&mc.progress, opts);
	struct corpus_hooks hooks = {
		.emit = emit_doc, .emit_ctx = &mc, .work = count_doc, .work_ctx = (void **)parts,
		.work_counts_types = opts->tf.ngram_min == 1
	};
	double start = runinfo_now();
	rc = corpus_run(&m->corpus, &opts->corpus, &hooks, diag);
	progress_end(&mc.progress);
	if (rc)
		goto out;
	runinfo_stage_time(ri, "read_and_count", runinfo_now() - start);
	start = runinfo_now();
	size_t n_docs = corpus_n_docs(m->corpus);
	if (n_docs == 0) {
		rc = td_fail(diag, TD_EEMPTY, "no documents in the input");
		goto out;
	}
	if ((rc = tf_build(&m->dtm, parts, n_parts, mc.included, n_docs, &opts->tf, diag)))
		goto out;
	m->included = mc.included;
	mc.included = NULL;
	m->n_tokens = mc.n_tokens;
	mc.n_tokens = NULL;
	if (opts->tf.keep_streams) {  /* the streams live in the parts */
		m->parts = parts;
		m->n_parts = n_parts;
		parts = NULL;
	}
	runinfo_stage_time(ri, "matrix", runinfo_now() - start);
	/* the document reports appear only once the matrix is sure */
	rc = docs_report_finish(&mc.report, m->corpus, opts, ri, diag);
out:
	docs_report_abort(&mc.report);
	free(mc.included);
	free(mc.n_tokens);
	for (unsigned i = 0; parts && i < n_parts; i++)
		tf_part_free(parts[i]);
	free(parts);
	if (rc)
		matrix_free(m);
	return rc;
}

void matrix_free(struct matrix *m)
{
	dtm_free(&m->dtm);
	corpus_free(m->corpus);
	free(m->included);
	free(m->n_tokens);
	for (unsigned i = 0; i < m->n_parts; i++)
		tf_part_free(m->parts[i]);
	free(m->parts);
	memset(m, 0, sizeof *m);
}

int matrix_record_params(struct runinfo *ri, const struct cli_opts *opts, const struct matrix *m,
			 struct td_diag *diag)
{
	int rc = cli_record_params(ri, opts, m->corpus, diag);
	if (rc)
		return rc;
	char ngram[16];
	snprintf(ngram, sizeof ngram, "%u:%u", opts->tf.ngram_min, opts->tf.ngram_max);
	const struct df_bound *lo = &opts->tf.min_df, *hi = &opts->tf.max_df;
	rc = runinfo_param_str(ri, "ngram", ngram) ||
	     runinfo_param_bool(ri, "ngram_across_sentences", opts->tf.ngram_across_sentences) ||
	     (lo->is_frac ? runinfo_param_real(ri, "min_df", lo->frac)
			  : runinfo_param_int(ri, "min_df", (int64_t)lo->count)) ||
	     (hi->is_frac ? runinfo_param_real(ri, "max_df", hi->frac)
			  : runinfo_param_int(ri, "max_df", (int64_t)hi->count)) ||
	     runinfo_param_int(ri, "max_features", (int64_t)opts->tf.max_features) ||
	     runinfo_param_str(ri, "vocab", opts->tf.vocab_file) ||
	     runinfo_param_int(ri, "threads", opts->corpus.n_threads) ||
	     runinfo_count(ri, "terms", m->dtm.n_terms) ||
	     runinfo_count(ri, "nonzeros", m->dtm.row_ptr[m->dtm.n_docs]) ||
	     runinfo_count(ri, "documents_in_matrix", m->dtm.n_included);
	return rc ? td_fail(diag, TD_ENOMEM, "out of memory") : 0;
}

/* vocab.csv: term_id, term, df, cf (and idf when given). */
int matrix_write_vocab(const struct cli_opts *opts, const struct matrix *m, const double *idf,
		       struct runinfo *ri, struct td_diag *diag)
{
	static const char *const columns[] = { "term_id", "term", "df", "cf", "idf" };
	if (!cli_wants(opts, "vocab.csv"))
		return 0;
	struct csv_out csv;
	int rc = csv_out_open(&csv, opts->out_dir, "vocab.csv", columns, idf ? 5 : 4, opts->precision, diag);
	if (rc)
		return rc;
	const struct dtm *dtm = &m->dtm;
	for (size_t t = 0; t < dtm->n_terms; t++) {
		csv_out_uint(&csv, t);
		csv_out_strn(&csv, vocab_term(&dtm->terms, (uint32_t)t), dtm->terms.len[t]);
		csv_out_uint(&csv, dtm->df[t]);
		csv_out_uint(&csv, dtm->cf[t]);
		if (idf)
			csv_out_double(&csv, idf[t]);
		csv_out_end_row(&csv);
	}
	rc = runinfo_commit_table(ri, &csv,
					idf ? "the vocabulary: term id (dtm column - 1), term, document and collection frequency, idf"
					    : "the vocabulary: term id (dtm column - 1), term, document and collection frequency", diag);
	csv_out_free(&csv);
	return rc;
}

/* tf.csv (doc_id, term_id, term, count) and dtm.mtx. */
int matrix_write_counts(const struct cli_opts *opts, const struct matrix *m, struct runinfo *ri,
			struct td_diag *diag)
{
	static const char *const columns[] = { "doc_id", "term_id", "term", "count" };
	const struct dtm *dtm = &m->dtm;
	struct csv_out csv;
	int rc = 0;
	if (!cli_wants(opts, "tf.csv"))
		goto mtx;
	if ((rc = csv_out_open(&csv, opts->out_dir, "tf.csv", columns, 4, opts->precision, diag)))
		return rc;
	for (size_t d = 0; d < dtm->n_docs; d++)
		for (uint64_t k = dtm->row_ptr[d]; k < dtm->row_ptr[d + 1]; k++) {
			csv_out_str(&csv, corpus_doc_id(m->corpus, d));
			csv_out_uint(&csv, dtm->col[k]);
			csv_out_strn(&csv, vocab_term(&dtm->terms, dtm->col[k]), dtm->terms.len[dtm->col[k]]);
			csv_out_uint(&csv, dtm->count[k]);
			csv_out_end_row(&csv);
		}
	rc = runinfo_commit_table(ri, &csv,
					"term counts: one row per document and term present, in docs.csv order", diag);
	csv_out_free(&csv);
	if (rc)
		return rc;
mtx:
	if (!cli_wants(opts, "dtm.mtx"))
		return 0;
	uint64_t rows;
	rc = mtx_write(opts->out_dir, "dtm.mtx", dtm, NULL, opts->precision,
		       "termdrift document-term counts: rows = docs.csv order, columns = vocab.csv term_id + 1",
		       opts->corpus.n_threads, &rows, diag);
	if (rc == 0)
		rc = runinfo_record_file(ri, opts->out_dir, "dtm.mtx", rows,
					 "document-term counts, Matrix Market coordinate (rows docs.csv, columns vocab.csv)", diag);
	return rc;
}

int matrix_find_terms(struct dtm *dtm, const char *list, const char *what, uint32_t **ids, size_t *n_ids,
		      char **missing, struct td_diag *diag)
{
	size_t cap = 1, missing_len = 0, n_missing = 0;
	for (const char *p = list; *p; p++)
		cap += *p == ',';
	*ids = malloc(cap * sizeof **ids);
	*n_ids = 0;
	*missing = NULL;
	char *absent = calloc(strlen(list) + 1, 1);
	if (!*ids || !absent || vocab_index(&dtm->terms))
		goto nomem;
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *word = strndup(p, len);
		utf8proc_uint8_t *folded = word ? utf8proc_NFKC_Casefold((const utf8proc_uint8_t *)word) : NULL;
		if (!word || !folded) {
			free(word);
			goto nomem;
		}
		size_t flen = strlen((char *)folded);
		uint32_t id = flen ? vocab_find(&dtm->terms, (char *)folded, flen, hash_term((char *)folded, flen))
				   : VOCAB_NONE;
		bool seen = false;
		for (size_t i = 0; i < *n_ids; i++)
			seen |= (*ids)[i] == id;
		if (id == VOCAB_NONE && len) {
			missing_len += (size_t)sprintf(absent + missing_len, "%s%s", missing_len ? "," : "", word);
			n_missing++;
		} else if (id != VOCAB_NONE && !seen) {
			(*ids)[(*n_ids)++] = id;
		}
		free(word);
		free(folded);
		p += len + (end != NULL);
	}
	if (n_missing == 1)
		td_warn(diag, "%s term '%s' is not in the vocabulary", what, absent);
	else if (n_missing > 1)
		td_warn(diag, "%zu %s terms are not in the vocabulary: %s", n_missing, what, absent);
	if (missing_len)
		*missing = absent;
	else
		free(absent);
	return 0;
nomem:
	free(*ids);
	*ids = NULL;
	free(absent);
	return td_fail(diag, TD_ENOMEM, "out of memory");
}

int ranked_compare(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? 1 : -1;
	return (x->term > y->term) - (x->term < y->term);
}

uint32_t *terms_by_count(const uint64_t *count, size_t n_terms)
{
	struct ranked *order = malloc((n_terms ? n_terms : 1) * sizeof *order);
	uint32_t *ids = malloc((n_terms ? n_terms : 1) * sizeof *ids);
	if (!order || !ids) {
		free(order);
		free(ids);
		return NULL;
	}
	/* counts below 2^53 are exact as doubles */
	for (size_t t = 0; t < n_terms; t++)
		order[t] = (struct ranked){ (uint32_t)t, (double)count[t] };
	qsort(order, n_terms, sizeof *order, ranked_compare);
	for (size_t t = 0; t < n_terms; t++)
		ids[t] = order[t].term;
	free(order);
	return ids;
}

int cli_matrix_command(int argc, char **argv, const char *name, const char *help, unsigned groups,
		       const char *const *outputs, int (*prepare)(struct cli_opts *opts), matrix_stage_fn stage)
{
	struct cli_opts opts;
	size_t n_outputs = 0;
	while (outputs[n_outputs])
		n_outputs++;
	int rc = cli_parse(argc, argv, name, help, groups, &opts);
	if (rc == 0 && prepare)
		rc = prepare(&opts);
	if (rc == 0)
		rc = cli_check_outputs(&opts, name, outputs, n_outputs);
	if (rc) {
		cli_opts_free(&opts);
		return rc < 0 ? EXIT_OK : rc;
	}
	struct td_diag diag = { .warn = cli_warn_cb, .ctx = &opts.quiet };
	struct runinfo *ri = NULL;
	struct matrix m = { 0 };
	if ((rc = runinfo_new(&ri, name, argc, argv)))
		td_fail(&diag, rc, "out of memory");
	else if ((rc = matrix_build(&opts, ri, &m, &diag)) == 0 && (rc = matrix_record_params(ri, &opts, &m, &diag)) == 0 &&
		 (rc = stage(&opts, &m, ri, &diag)) == 0)
		rc = runinfo_write(ri, opts.out_dir, &diag);
	matrix_free(&m);
	if (rc && ri)
		runinfo_remove_outputs(ri, opts.out_dir);
	runinfo_free(ri);
	cli_opts_free(&opts);
	int status = rc ? cli_fail(&diag, rc) : EXIT_OK;
	td_diag_free(&diag);
	return status;
}

int matrix_dates(const struct matrix *m, int32_t **dates, bool **has_date, struct td_diag *diag)
{
	size_t n_docs = m->dtm.n_docs;
	*dates = calloc(n_docs ? n_docs : 1, sizeof **dates);
	*has_date = calloc(n_docs ? n_docs : 1, sizeof **has_date);
	if (!*dates || !*has_date) {
		free(*dates);
		free(*has_date);
		*dates = NULL;
		*has_date = NULL;
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	for (size_t d = 0; d < n_docs; d++)
		(*has_date)[d] = corpus_doc_date(m->corpus, d, &(*dates)[d]);
	return 0;
}

int matrix_date_bins(const struct cli_opts *opts, const struct matrix *m, const char *tables,
		     struct drift_bins *bins, struct td_diag *diag)
{
	int32_t *dates;
	bool *has_date;
	int rc = matrix_dates(m, &dates, &has_date, diag);
	if (rc)
		return rc;
	struct td_diag quiet = { 0 };
	rc = drift_bins_build(bins, m->dtm.n_docs, m->included, dates, has_date, opts->bin, &quiet);
	if (rc == TD_EEMPTY) {  /* every document undated: empty tables, and say so */
		td_warn(diag, "%s; %s are empty", quiet.error, tables);
		rc = 0;
	} else if (rc) {
		td_fail(diag, rc, "%s", quiet.error ? quiet.error : td_strerror(rc));
	}
	td_diag_free(&quiet);
	free(dates);
	free(has_date);
	return rc;
}
