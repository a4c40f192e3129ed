/* cooc.c - termdrift cooc: co-occurrence counts, association measures and
 * each focus term's neighbours, over the whole corpus and by date bin. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "cli.h"
#include "fmtnum.h"
#include "hash.h"
#include "outfile.h"

static const char cooc_help[] =
	"usage: termdrift cooc -i IN [-i IN ...] [-o DIR] [options]\n"
	"\n"
	"Counts which terms occur together and how strongly: cooc.csv (term_a, term_b,\n"
	"count, weighted, pmi, npmi, llr, p_value; one row per pair, by term ids),\n"
	"cooc.mtx, neighbors.csv (term, measure, rank, neighbor, score, count: the top\n"
	"neighbours of the most frequent terms or of --target terms, by NPMI and by\n"
	"Dunning's G2) and neighbors_by_day.csv (date, term, rank, neighbor, npmi,\n"
	"count), with vocab.csv and the document reports.\n"
	"\n"
	"Co-occurrence:\n"
	"      --scope SCOPE         window (default), sentence or document\n"
	"      --window N            tokens either side, 1..20 (default 5)\n"
	"      --weighting W         none (default) or harmonic (1/distance, as GloVe)\n"
	"      --direction D         symmetric (default), left or right\n"
	"      --cross-sentences     windows run over sentence ends (never documents)\n"
	"      --memory GB           memory for the pair counts (default 4); beyond it,\n"
	"                            sorted runs go to a temporary folder and are merged\n"
	"      --tmp-dir DIR         where those runs go (default $TMPDIR, else /tmp)\n"
	"      --min-count N         list pairs seen at least N times, of terms seen at\n"
	"                            least N times (default 1)\n"
	"      --top-terms N         neighbours of the N most frequent terms (default 20)\n"
	"      --target T1,T2        ... or of these terms\n"
	"      --top K               neighbours per term and measure (default 10)\n"
	"      --bin UNIT            date bins: day (default), week, month, year, decade\n"
	"\n" CLI_CORPUS_HELP CLI_TF_HELP;

/* A neighbour kept in a top-K list. */
struct neighbor {
	uint32_t term;
	double score;
	uint64_t count;
};

/* Offers a candidate to a list of at most k, best first (score descending,
 * then term id). */
static void offer(struct neighbor *list, size_t *n, size_t k, uint32_t term, double score, uint64_t count)
{
	if (!isfinite(score))
		return;
	size_t at = *n;
	while (at > 0 && (list[at - 1].score < score || (list[at - 1].score == score && list[at - 1].term > term)))
		at--;
	if (at >= k)
		return;
	size_t last = *n < k ? *n : k - 1;
	memmove(list + at + 1, list + at, (last - at) * sizeof *list);
	list[at] = (struct neighbor){ term, score, count };
	if (*n < k)
		(*n)++;
}

/* The focus terms: --target (normalised as the tokenizer does: NFKC and
 * case folding), or the most frequent terms. */
struct focus {
	uint32_t *ids;
	size_t n;
	int32_t *index;     /* per term: its place among the focus terms, or -1 */
	bool *is_focus;
};

/* Terms by collection frequency, highest first, then by id. */
static int choose_focus(const struct cli_opts *opts, struct dtm *dtm, struct focus *f, struct runinfo *ri,
			struct td_diag *diag)
{
	memset(f, 0, sizeof *f);
	size_t n_terms = dtm->n_terms;
	f->index = malloc((n_terms ? n_terms : 1) * sizeof *f->index);
	f->is_focus = calloc(n_terms ? n_terms : 1, sizeof *f->is_focus);
	f->ids = malloc(((opts->targets ? strlen(opts->targets) : 0) + opts->top_terms + 1) * sizeof *f->ids);
	if (!f->index || !f->is_focus || !f->ids)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	for (size_t t = 0; t < n_terms; t++)
		f->index[t] = -1;
	if (opts->targets) {
		uint32_t *ids;
		size_t n_ids;
		char *missing;
		int rc = matrix_find_terms(dtm, opts->targets, "target", &ids, &n_ids, &missing, diag);
		if (rc)
			return rc;
		for (size_t i = 0; i < n_ids; i++) {
			f->index[ids[i]] = (int32_t)f->n;
			f->is_focus[ids[i]] = true;
			f->ids[f->n++] = ids[i];
		}
		free(ids);
		rc = runinfo_param_str(ri, "targets_missing", missing);
		free(missing);
		return rc ? td_fail(diag, TD_ENOMEM, "out of memory") : 0;
	}
	uint32_t *order = terms_by_count(dtm->cf, n_terms);
	if (!order)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	for (size_t i = 0; i < n_terms && f->n < opts->top_terms; i++) {
		/* words only: an n-gram of the matrix is never one side of a pair */
		if (memchr(vocab_term(&dtm->terms, order[i]), ' ', dtm->terms.len[order[i]]))
			continue;
		f->index[order[i]] = (int32_t)f->n;
		f->is_focus[order[i]] = true;
		f->ids[f->n++] = order[i];
	}
	free(order);
	return 0;
}

static void focus_free(struct focus *f)
{
	free(f->ids);
	free(f->index);
	free(f->is_focus);
}

/* What the pair callback writes and keeps. */
struct writer {
	const struct cli_opts *opts;
	const struct dtm *dtm;
	const double *row, *col;
	double total;
	bool use_weighted;
	struct csv_out csv;
	bool csv_on;
	struct outfile mtx;
	bool mtx_on;
	char *mtx_block;           /* lines go to the file a block at a time */
	size_t mtx_used;
	uint64_t mtx_entries;
	long mtx_size_at;          /* where the size line starts */
	const struct focus *focus;
	bool neighbors_on;         /* neighbors.csv is written: keep each focus term's best */
	size_t k;
	struct neighbor *by_npmi, *by_llr;   /* k per focus term */
	size_t *n_npmi, *n_llr;
	struct td_diag *diag;
};

static bool listed(const struct writer *w, const struct cooc_pair *p)
{
	return p->count >= w->opts->min_count && w->dtm->cf[p->a] >= w->opts->min_count &&
	       w->dtm->cf[p->b] >= w->opts->min_count;
}

/* Keeps b as a neighbour of focus term a. */
static void keep_neighbor(struct writer *w, uint32_t a, uint32_t b, const struct cooc_assoc *as, uint64_t count)
{
	int32_t f = w->focus->index[a];
	if (f < 0 || a == b)
		return;
	offer(w->by_npmi + (size_t)f * w->k, &w->n_npmi[f], w->k, b, as->npmi, count);
	offer(w->by_llr + (size_t)f * w->k, &w->n_llr[f], w->k, b, as->llr, count);
}

/* The bytes of cooc.mtx gathered before one fwrite. */
#define MTX_BLOCK (1u << 16)

static int mtx_flush(struct writer *w)
{
	if (w->mtx_used && fwrite(w->mtx_block, 1, w->mtx_used, w->mtx.fp) != w->mtx_used)
		return td_fail(w->diag, TD_EIO, "cannot write cooc.mtx: %s", strerror(errno));
	w->mtx_used = 0;
	return 0;
}

static int write_pair(void *ctx, const struct cooc_pair *p)
{
	struct writer *w = ctx;
	if (!listed(w, p))
		return 0;
	bool sym = w->opts->cooc.direction == COOC_SYMMETRIC || w->opts->cooc.scope != COOC_WINDOW;
	/* the measures only where a table uses them: cooc.csv, or a pair of a
	 * focus term for neighbors.csv (most pairs have none) */
	bool near_focus = w->neighbors_on && (w->focus->index[p->a] >= 0 || (sym && w->focus->index[p->b] >= 0));
	struct cooc_assoc as;
	if (w->csv_on || near_focus) {
		double n_ab = w->use_weighted ? p->weighted : (double)p->count;
		cooc_measures(n_ab, w->row[p->a], w->col ? w->col[p->b] : w->row[p->b], w->total, &as);
	}
	if (w->csv_on) {
		struct csv_out *csv = &w->csv;
		csv_out_strn(csv, vocab_term(&w->dtm->terms, p->a), w->dtm->terms.len[p->a]);
		csv_out_strn(csv, vocab_term(&w->dtm->terms, p->b), w->dtm->terms.len[p->b]);
		csv_out_uint(csv, p->count);
		csv_out_double(csv, p->weighted);
		csv_out_double(csv, as.pmi);
		csv_out_double(csv, as.npmi);
		csv_out_double(csv, as.llr);
		csv_out_double(csv, as.p_value);
		if (csv_out_end_row(csv))
			return td_fail(w->diag, TD_EIO, "cannot write cooc.csv: %s", strerror(csv->sys_errno));
	}
	if (w->mtx_on) {
		/* a line is at most 2 * 10 digits, two spaces, FMTNUM_MAX and a newline */
		if (w->mtx_used > MTX_BLOCK - 96) {
			int rc = mtx_flush(w);
			if (rc)
				return rc;
		}
		char *line = w->mtx_block + w->mtx_used;
		/* symmetric Matrix Market keeps the lower triangle: row >= column */
		uint32_t r = sym ? p->b : p->a, c = sym ? p->a : p->b;
		size_t len = fmtnum_uint(line, (uint64_t)r + 1);
		line[len++] = ' ';
		len += fmtnum_uint(line + len, (uint64_t)c + 1);
		line[len++] = ' ';
		len += fmtnum_g(line + len, p->weighted, w->opts->precision);
		line[len++] = '\n';
		w->mtx_used += len;
		w->mtx_entries++;
	}
	if (near_focus) {
		keep_neighbor(w, p->a, p->b, &as, p->count);
		if (sym)
			keep_neighbor(w, p->b, p->a, &as, p->count);
	}
	return 0;
}

/* cooc.mtx's header, with room left for the number of entries (known at the
 * end: the line is written again in place). */
#define MTX_SIZE_WIDTH 21

static int mtx_begin(struct writer *w, size_t n_terms, struct td_diag *diag)
{
	if (!(w->mtx_block = malloc(MTX_BLOCK)))
		return td_fail(diag, TD_ENOMEM, "out of memory");
	int rc = outfile_open(&w->mtx, w->opts->out_dir, "cooc.mtx", diag);
	if (rc)
		return rc;
	bool sym = w->opts->cooc.direction == COOC_SYMMETRIC || w->opts->cooc.scope != COOC_WINDOW;
	fprintf(w->mtx.fp, "%%%%MatrixMarket matrix coordinate real %s\n", sym ? "symmetric" : "general");
	fprintf(w->mtx.fp, "%% termdrift co-occurrences: rows and columns = vocab.csv term_id + 1\n");
	w->mtx_size_at = ftell(w->mtx.fp);
	fprintf(w->mtx.fp, "%zu %zu %-*s\n", n_terms, n_terms, MTX_SIZE_WIDTH, "0");
	w->mtx_on = true;
	return 0;
}

static int mtx_end(struct writer *w, size_t n_terms, struct td_diag *diag)
{
	int rc = mtx_flush(w);
	if (rc) {
		outfile_abort(&w->mtx);
		return rc;
	}
	/* the size line, written again in place with the number of entries */
	FILE *fp = w->mtx.fp;
	if (w->mtx_size_at < 0 || fseek(fp, w->mtx_size_at, SEEK_SET) != 0 ||
	    fprintf(fp, "%zu %zu %-*" PRIu64, n_terms, n_terms, MTX_SIZE_WIDTH, w->mtx_entries) < 0) {
		rc = td_fail(diag, TD_EIO, "cannot write '%s': %s", w->mtx.final_path, strerror(errno));
		outfile_abort(&w->mtx);
		return rc;
	}
	return outfile_commit(&w->mtx, diag);
}

/* neighbors.csv from the kept lists. */
static int write_neighbors(struct writer *w, struct runinfo *ri, struct td_diag *diag)
{
	static const char *const columns[] = { "term", "measure", "rank", "neighbor", "score", "count" };
	if (!cli_wants(w->opts, "neighbors.csv"))
		return 0;
	struct csv_out csv;
	int rc = csv_out_open(&csv, w->opts->out_dir, "neighbors.csv", columns, 6, w->opts->precision, diag);
	if (rc)
		return rc;
	const struct vocab *v = &w->dtm->terms;
	for (size_t f = 0; f < w->focus->n; f++) {
		uint32_t t = w->focus->ids[f];
		for (int m = 0; m < 2; m++) {
			const struct neighbor *list = (m ? w->by_llr : w->by_npmi) + f * w->k;
			size_t n = m ? w->n_llr[f] : w->n_npmi[f];
			for (size_t r = 0; r < n; r++) {
				csv_out_strn(&csv, vocab_term(v, t), v->len[t]);
				csv_out_str(&csv, m ? "llr" : "npmi");
				csv_out_uint(&csv, r + 1);
				csv_out_strn(&csv, vocab_term(v, list[r].term), v->len[list[r].term]);
				csv_out_double(&csv, list[r].score);
				csv_out_uint(&csv, list[r].count);
				csv_out_end_row(&csv);
			}
		}
	}
	rc = runinfo_commit_table(ri, &csv, "the top neighbours of each focus term by NPMI and by Dunning's G2 (llr)", diag);
	csv_out_free(&csv);
	return rc;
}

/* One date bin's focus rows, for neighbors_by_day.csv. */
struct bin_ctx {
	struct writer *w;
	const double *row, *col;
	double total;
};

static int bin_pair(void *ctx, const struct cooc_pair *p)
{
	struct bin_ctx *b = ctx;
	struct writer *w = b->w;
	if (p->a == p->b || p->count < w->opts->min_count || w->dtm->cf[p->b] < w->opts->min_count)
		return 0;
	struct cooc_assoc as;
	double n_ab = w->use_weighted ? p->weighted : (double)p->count;
	cooc_measures(n_ab, b->row[p->a], b->col ? b->col[p->b] : b->row[p->b], b->total, &as);
	int32_t f = w->focus->index[p->a];
	offer(w->by_npmi + (size_t)f * w->k, &w->n_npmi[f], w->k, p->b, as.npmi, p->count);
	return 0;
}

/* A dated document and its bin, to group documents by bin. */
struct doc_bin {
	int32_t bin;
	size_t doc;
};

/* By bin, then input order. */
static int compare_doc_bin(const void *x, const void *y)
{
	const struct doc_bin *a = x, *b = y;
	if (a->bin != b->bin)
		return a->bin < b->bin ? -1 : 1;
	return (a->doc > b->doc) - (a->doc < b->doc);
}

/* neighbors_by_day.csv: each bin's documents counted on their own, the
 * marginals those of the bin. */
static int write_by_day(struct writer *w, const struct matrix *m, const struct cooc_doc *docs, struct runinfo *ri,
			struct td_diag *diag)
{
	static const char *const columns[] = { "date", "term", "rank", "neighbor", "npmi", "count" };
	if (!cli_wants(w->opts, "neighbors_by_day.csv"))
		return 0;
	size_t n_docs = m->dtm.n_docs, n_terms = m->dtm.n_terms;
	size_t *order = malloc((n_docs ? n_docs : 1) * sizeof *order);
	int32_t *bin = malloc((n_docs ? n_docs : 1) * sizeof *bin);
	struct cooc_doc *slice = malloc((n_docs ? n_docs : 1) * sizeof *slice);
	struct doc_bin *by_bin = malloc((n_docs ? n_docs : 1) * sizeof *by_bin);
	double *row = malloc((n_terms ? n_terms : 1) * sizeof *row), *col = NULL;
	bool directional = w->opts->cooc.scope == COOC_WINDOW && w->opts->cooc.direction != COOC_SYMMETRIC;
	if (directional)
		col = malloc((n_terms ? n_terms : 1) * sizeof *col);
	struct csv_out csv;
	int rc = 0;
	bool open = false;
	if (!order || !bin || !slice || !by_bin || !row || (directional && !col)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	size_t n_dated = 0;
	for (size_t d = 0; d < n_docs; d++) {
		int32_t date;
		if (m->included[d] && corpus_doc_date(m->corpus, d, &date)) {
			bin[d] = timeline_bin_start(date, w->opts->bin);
			order[n_dated++] = d;
		}
	}
	/* documents by bin, input order within a bin */
	for (size_t i = 0; i < n_dated; i++)
		by_bin[i] = (struct doc_bin){ bin[order[i]], order[i] };
	qsort(by_bin, n_dated, sizeof *by_bin, compare_doc_bin);
	for (size_t i = 0; i < n_dated; i++)
		order[i] = by_bin[i].doc;
	if ((rc = csv_out_open(&csv, w->opts->out_dir, "neighbors_by_day.csv", columns, 6, w->opts->precision, diag)))
		goto out;
	open = true;
	const struct vocab *v = &m->dtm.terms;
	for (size_t i = 0; i < n_dated && rc == 0;) {
		size_t j = i;
		int32_t b0 = bin[order[i]];
		while (j < n_dated && bin[order[j]] == b0) {
			slice[j - i] = docs[order[j]];
			j++;
		}
		struct bin_ctx bc = { .w = w, .row = row, .col = col };
		if (cooc_marginals(&w->opts->cooc, slice, j - i, n_terms, row, col, &bc.total)) {
			rc = td_fail(diag, TD_ENOMEM, "out of memory");
			break;
		}
		memset(w->n_npmi, 0, w->focus->n * sizeof *w->n_npmi);
		if ((rc = cooc_focus_count(&w->opts->cooc, slice, j - i, w->focus->is_focus, bin_pair, &bc))) {
			td_fail(diag, rc, "out of memory");
			break;
		}
		for (size_t f = 0; f < w->focus->n; f++) {
			uint32_t t = w->focus->ids[f];
			const struct neighbor *list = w->by_npmi + f * w->k;
			for (size_t r = 0; r < w->n_npmi[f]; r++) {
				csv_out_date(&csv, b0);
				csv_out_strn(&csv, vocab_term(v, t), v->len[t]);
				csv_out_uint(&csv, r + 1);
				csv_out_strn(&csv, vocab_term(v, list[r].term), v->len[list[r].term]);
				csv_out_double(&csv, list[r].score);
				csv_out_uint(&csv, list[r].count);
				csv_out_end_row(&csv);
			}
		}
		i = j;
	}
	if (rc == 0) {
		open = false;
		rc = runinfo_commit_table(ri, &csv, "the top neighbours of each focus term by NPMI within each date bin", diag);
		csv_out_free(&csv);
	}
out:
	if (open) {
		csv_out_abort(&csv);
		csv_out_free(&csv);
	}
	free(order);
	free(bin);
	free(slice);
	free(by_bin);
	free(row);
	free(col);
	return rc;
}

int cooc_pipeline(const struct cli_opts *opts, struct matrix *m, struct runinfo *ri, struct td_diag *diag)
{
	size_t n_docs = m->dtm.n_docs, n_terms = m->dtm.n_terms;
	struct cooc_doc *docs = calloc(n_docs ? n_docs : 1, sizeof *docs);
	double *row = malloc((n_terms ? n_terms : 1) * sizeof *row), *col = NULL;
	bool directional = opts->cooc.scope == COOC_WINDOW && opts->cooc.direction != COOC_SYMMETRIC;
	if (directional)
		col = malloc((n_terms ? n_terms : 1) * sizeof *col);
	struct writer w = { .opts = opts, .dtm = &m->dtm, .diag = diag, .k = opts->cooc_top };
	struct focus focus = { 0 };
	int rc = 0;
	if (!docs || !row || (directional && !col)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	double start = runinfo_now();
	for (unsigned p = 0; p < m->n_parts; p++) {
		if (tf_part_map_stream(m->parts[p], &m->dtm)) {
			rc = td_fail(diag, TD_ENOMEM, "out of memory");
			goto out;
		}
		for (size_t r = 0; r < tf_part_rows(m->parts[p]); r++) {
			size_t d = tf_part_row_doc(m->parts[p], r);
			if (d < n_docs && m->included[d])
				docs[d].ids = tf_part_stream(m->parts[p], r, &docs[d].n);
		}
	}
	if (cooc_marginals(&opts->cooc, docs, n_docs, n_terms, row, col, &w.total)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	w.row = row;
	w.col = col;
	w.use_weighted = opts->cooc.scope == COOC_WINDOW && opts->cooc.harmonic;
	if ((rc = choose_focus(opts, &m->dtm, &focus, ri, diag)))
		goto out;
	w.focus = &focus;
	w.neighbors_on = cli_wants(opts, "neighbors.csv");
	w.by_npmi = calloc(focus.n * w.k + 1, sizeof *w.by_npmi);
	w.by_llr = calloc(focus.n * w.k + 1, sizeof *w.by_llr);
	w.n_npmi = calloc(focus.n + 1, sizeof *w.n_npmi);
	w.n_llr = calloc(focus.n + 1, sizeof *w.n_llr);
	if (!w.by_npmi || !w.by_llr || !w.n_npmi || !w.n_llr) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	static const char *const columns[] = { "term_a", "term_b", "count", "weighted", "pmi", "npmi", "llr", "p_value" };
	if (cli_wants(opts, "cooc.csv")) {
		if ((rc = csv_out_open(&w.csv, opts->out_dir, "cooc.csv", columns, 8, opts->precision, diag)))
			goto out;
		w.csv_on = true;
	}
	if (cli_wants(opts, "cooc.mtx") && (rc = mtx_begin(&w, n_terms, diag)))
		goto out;
	/* --memory bounds the process: the pair tables get what the corpus, its
	 * matrix and its token streams (held now) leave of it, and at least the
	 * minimum (a budget below the minimum is cooc_count's error) */
	struct cooc_opts counting = opts->cooc;
	uint64_t held = cli_resident_bytes();
	if (counting.memory >= held + COOC_MIN_MEMORY) {
		counting.memory -= held;
	} else if (counting.memory >= COOC_MIN_MEMORY) {
		td_warn(diag, "--memory %.3g GB is less than the %.0f MB the corpus already holds: counting with the "
			      "%u MB minimum, so the process will use more than --memory",
			(double)counting.memory / (double)(1u << 30), (double)held / (1 << 20), COOC_MIN_MEMORY >> 20);
		counting.memory = COOC_MIN_MEMORY;
	}
	size_t n_runs = 0;
	if ((rc = cooc_count(&counting, docs, n_docs, n_terms, write_pair, &w, &n_runs, diag)))
		goto out;
	if (w.csv_on) {
		w.csv_on = false;
		rc = runinfo_commit_table(ri, &w.csv, "co-occurring pairs: counts, weighted counts, PMI, NPMI, "
						       "Dunning's G2 (llr) and its p-value", diag);
		csv_out_free(&w.csv);
		if (rc)
			goto out;
	}
	if (w.mtx_on) {
		w.mtx_on = false;
		if ((rc = mtx_end(&w, n_terms, diag)) ||
		    (rc = runinfo_record_file(ri, opts->out_dir, "cooc.mtx", w.mtx_entries,
					      "co-occurrence weights, Matrix Market (rows and columns: vocab.csv term_id + 1)",
					      diag)))
			goto out;
	}
	runinfo_stage_time(ri, "cooc", runinfo_now() - start);
	if ((rc = write_neighbors(&w, ri, diag)) || (rc = write_by_day(&w, m, docs, ri, diag)))
		goto out;
	static const char *const scopes[] = { "window", "sentence", "document" };
	static const char *const directions[] = { "symmetric", "left", "right" };
	if (runinfo_param_str(ri, "scope", scopes[opts->cooc.scope]) ||
	    runinfo_param_int(ri, "window", opts->cooc.window) ||
	    runinfo_param_str(ri, "weighting", opts->cooc.harmonic ? "harmonic" : "none") ||
	    runinfo_param_str(ri, "direction", directions[opts->cooc.direction]) ||
	    runinfo_param_bool(ri, "cross_sentences", opts->cooc.cross_sentences) ||
	    runinfo_param_real(ri, "memory_gb", (double)opts->cooc.memory / (double)(1u << 30)) ||
	    runinfo_param_real(ri, "memory_held_before_counting_mb", (double)held / (1 << 20)) ||
	    runinfo_param_int(ri, "min_count", (int64_t)opts->min_count) ||
	    runinfo_param_int(ri, "cooc_top", opts->cooc_top) ||
	    runinfo_param_int(ri, "top_terms", opts->top_terms) ||
	    runinfo_param_str(ri, "target", opts->targets) ||
	    runinfo_count(ri, "cooc_runs_spilled", n_runs) ||
	    runinfo_param_real(ri, "cooc_total", w.total))
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
out:
	if (w.csv_on) {
		csv_out_abort(&w.csv);
		csv_out_free(&w.csv);
	}
	if (w.mtx_on)
		outfile_abort(&w.mtx);
	free(w.mtx_block);
	free(w.by_npmi);
	free(w.by_llr);
	free(w.n_npmi);
	free(w.n_llr);
	focus_free(&focus);
	free(docs);
	free(row);
	free(col);
	return rc;
}

const char *const cooc_outputs[] = {
	"vocab.csv", "cooc.csv", "cooc.mtx", "neighbors.csv", "neighbors_by_day.csv", "boilerplate.csv",
	"duplicates.csv", NULL
};

/* termdrift cooc's options: words only, --top is the neighbours per term,
 * and the matrix keeps the token streams. */
static int cooc_prepare(struct cli_opts *opts)
{
	if (opts->tf.ngram_min != 1) {
		cli_errorf("cooc: co-occurrences are of words: --ngram must start at 1");
		return EXIT_USAGE;
	}
	if (opts->top_given)
		opts->cooc_top = opts->top;
	opts->tf.keep_streams = true;
	return 0;
}

static int cooc_stage(const struct cli_opts *opts, struct matrix *m, struct runinfo *ri, struct td_diag *diag)
{
	int rc = matrix_write_vocab(opts, m, NULL, ri, diag);
	return rc ? rc : cooc_pipeline(opts, m, ri, diag);
}

int cmd_cooc(int argc, char **argv)
{
	return cli_matrix_command(argc, argv, "cooc", cooc_help, CLI_TF | CLI_COOC, cooc_outputs, cooc_prepare,
				  cooc_stage);
}
