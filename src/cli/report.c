/* report.c - docs.csv, boilerplate.csv and duplicates.csv, which every
 * subcommand that reads a corpus writes, and the manifest's corpus part. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *const docs_columns[] = {
	"doc_id", "file", "date", "source", "title", "n_bytes", "n_tokens", "n_types", "n_sentences",
	"invalid_utf8", "boilerplate_lines", "duplicate_of", "similarity", "status", "encoding", "html_tags"
};

int docs_report_open(struct docs_report *r, const struct cli_opts *opts, struct td_diag *diag)
{
	memset(r, 0, sizeof *r);
	int rc = csv_out_open(&r->docs, opts->out_dir, "docs.csv", docs_columns,
			      sizeof docs_columns / sizeof *docs_columns, opts->precision, diag);
	r->open = rc == 0;
	return rc;
}

int docs_report_row(struct docs_report *r, const struct corpus_doc *cd)
{
	const struct doc *doc = cd->doc;
	struct csv_out *csv = &r->docs;
	csv_out_str(csv, doc->id);
	csv_out_str(csv, doc->file);
	if (doc->has_date)
		csv_out_date(csv, doc->date);
	else
		csv_out_str(csv, NULL);
	csv_out_str(csv, doc->source);
	csv_out_str(csv, doc->title);
	csv_out_uint(csv, doc->n_bytes);
	csv_out_uint(csv, cd->n_tokens);
	csv_out_uint(csv, cd->n_types);
	csv_out_uint(csv, cd->n_sentences);
	csv_out_uint(csv, doc->invalid_utf8);
	csv_out_uint(csv, cd->boilerplate_lines);
	csv_out_str(csv, cd->duplicate_of);
	csv_out_double(csv, cd->similarity);
	csv_out_str(csv, doc_status_name(cd->status));
	csv_out_str(csv, encoding_name(doc->encoding));
	csv_out_uint(csv, doc->html_tags);
	return csv_out_end_row(csv);
}

struct boiler_row {
	const char *line;
	size_t n_docs;
	enum boiler_reason why;
};

struct boiler_rows {
	struct boiler_row *rows;
	size_t n, cap;
};

static int collect_boiler_row(void *ctx, const char *line, size_t n_docs, enum boiler_reason why)
{
	struct boiler_rows *br = ctx;
	if (br->n == br->cap) {
		size_t cap = br->cap ? 2 * br->cap : 64;
		struct boiler_row *grown = realloc(br->rows, cap * sizeof *grown);
		if (!grown)
			return TD_ENOMEM;
		br->rows = grown;
		br->cap = cap;
	}
	br->rows[br->n++] = (struct boiler_row){ line, n_docs, why };
	return 0;
}

/* Most documents first, then the line's bytes: the same order whichever
 * worker thread removed a line first. */
static int compare_boiler_rows(const void *a, const void *b)
{
	const struct boiler_row *x = a, *y = b;
	if (x->n_docs != y->n_docs)
		return x->n_docs < y->n_docs ? 1 : -1;
	return strcmp(x->line, y->line);
}

/* Writes boilerplate.csv (line, n_docs, reason). */
static int write_boilerplate(const struct corpus *corpus, const struct cli_opts *opts,
			     struct runinfo *ri, struct td_diag *diag)
{
	static const char *const columns[] = { "line", "n_docs", "reason" };
	if (!cli_wants(opts, "boilerplate.csv"))
		return 0;
	struct boiler_rows br = { 0 };
	const struct boiler *b = corpus_boiler(corpus);
	if (b && boiler_report(b, collect_boiler_row, &br)) {
		free(br.rows);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	if (br.n > 1)
		qsort(br.rows, br.n, sizeof *br.rows, compare_boiler_rows);
	struct csv_out csv;
	int rc = csv_out_open(&csv, opts->out_dir, "boilerplate.csv", columns, 3, opts->precision, diag);
	if (rc) {
		free(br.rows);
		return rc;
	}
	for (size_t i = 0; i < br.n; i++) {
		csv_out_str(&csv, br.rows[i].line);
		csv_out_uint(&csv, br.rows[i].n_docs);
		csv_out_str(&csv, br.rows[i].why == BOILER_PHRASE ? "phrase" : "repeated");
		csv_out_end_row(&csv);
	}
	free(br.rows);
	rc = runinfo_commit_table(ri, &csv,
				  "boilerplate lines removed: normalised line, documents, reason (phrase list or repeated)", diag);
	csv_out_free(&csv);
	return rc;
}

/* Writes duplicates.csv (doc_a, doc_b, jaccard): every pair at Jaccard >= 0.3. */
static int write_duplicates(const struct corpus *corpus, const struct cli_opts *opts,
			    struct runinfo *ri, struct td_diag *diag)
{
	static const char *const columns[] = { "doc_a", "doc_b", "jaccard" };
	if (!cli_wants(opts, "duplicates.csv"))
		return 0;
	struct csv_out csv;
	int rc = csv_out_open(&csv, opts->out_dir, "duplicates.csv", columns, 3, opts->precision, diag);
	if (rc)
		return rc;
	size_t n_pairs;
	const struct dedup_pair *pairs = corpus_dup_pairs(corpus, &n_pairs);
	for (size_t i = 0; i < n_pairs; i++) {
		csv_out_str(&csv, corpus_doc_id(corpus, pairs[i].doc_a));
		csv_out_str(&csv, corpus_doc_id(corpus, pairs[i].doc_b));
		csv_out_double(&csv, pairs[i].jaccard);
		csv_out_end_row(&csv);
	}
	rc = runinfo_commit_table(ri, &csv, "pairs of documents with a word 5-shingle Jaccard similarity of 0.3 or more",
				  diag);
	csv_out_free(&csv);
	return rc;
}

int docs_report_finish(struct docs_report *r, const struct corpus *corpus, const struct cli_opts *opts,
		       struct runinfo *ri, struct td_diag *diag)
{
	r->open = false;
	int rc = runinfo_commit_table(ri, &r->docs, "one row per input document, in input order, with its status", diag);
	csv_out_free(&r->docs);
	if (rc == 0)
		rc = write_boilerplate(corpus, opts, ri, diag);
	if (rc == 0)
		rc = write_duplicates(corpus, opts, ri, diag);
	return rc;
}

void docs_report_abort(struct docs_report *r)
{
	if (r->open)
		csv_out_abort(&r->docs);
	csv_out_free(&r->docs);
	r->open = false;
}

int cli_record_params(struct runinfo *ri, const struct cli_opts *opts, const struct corpus *corpus,
		      struct td_diag *diag)
{
	const struct corpus_opts *c = &opts->corpus;
	static const char *const dedup_names[] = { "off", "mark", "drop" };
	char today[DATE_ISO_LEN + 1];
	date_format(c->today, today);
	int rc = runinfo_param_str(ri, "format", reader_format_name(c->read.format)) ||
		 runinfo_param_str(ri, "manifest", c->read.manifest) ||
		 runinfo_param_str(ri, "id_field", c->read.id_field ? c->read.id_field : "id") ||
		 runinfo_param_str(ri, "date_field", c->read.date_field ? c->read.date_field : "date") ||
		 runinfo_param_str(ri, "text_field", c->read.text_field ? c->read.text_field : "text") ||
		 runinfo_param_str(ri, "title_field", c->read.title_field ? c->read.title_field : "title") ||
		 runinfo_param_str(ri, "source_field", c->read.source_field ? c->read.source_field : "source") ||
		 runinfo_param_bool(ri, "strict", c->read.strict) ||
		 runinfo_param_str(ri, "fallback_encoding", c->read.fallback == ENC_CP1252 ? "cp1252" : "none") ||
		 runinfo_param_bool(ri, "strip_html", c->read.strip_html) ||
		 runinfo_param_str(ri, "checksum", checksum_name(c->read.checksum)) ||
		 runinfo_param_bool(ri, "boilerplate", c->boilerplate) ||
		 runinfo_param_real(ri, "boilerplate_min_frac", c->boilerplate_min_frac) ||
		 runinfo_param_str(ri, "dedup", dedup_names[c->dedup]) ||
		 runinfo_param_real(ri, "dup_threshold", c->dup_threshold) ||
		 runinfo_param_str(ri, "tokenizer", c->tok.mode == TOK_SKLEARN ? "sklearn" : "default") ||
		 runinfo_param_str(ri, "stopwords", c->stopwords) ||
		 runinfo_param_str(ri, "stem", c->tok.stem ? c->tok.stem : "none") ||
		 runinfo_param_str(ri, "possessive", c->tok.possessive_strip ? "strip" : "keep") ||
		 runinfo_param_bool(ri, "split_hyphens", c->tok.split_hyphens) ||
		 runinfo_param_int(ri, "precision", opts->precision) ||
		 runinfo_param_str(ri, "today", today);
	if (rc)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	size_t n_files;
	const struct input_file *files = corpus_files(corpus, &n_files);
	/* sizes and hashes taken by the reader as it read each file; a file it
	 * did not read to its end (none after a complete run) is read again */
	for (size_t i = 0; i < n_files; i++)
		if ((rc = runinfo_add_input(ri, files[i].path, reader_format_name(files[i].format), files[i].bytes,
					    c->read.checksum, files[i].hashed ? files[i].checksum : NULL, diag)))
			return rc;
	return runinfo_count(ri, "documents", corpus_n_docs(corpus)) ? td_fail(diag, TD_ENOMEM, "out of memory") : 0;
}
