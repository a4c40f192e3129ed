/* corpus.h - from input files to cleaned, tokenized documents.
 *
 * corpus_run reads the inputs (reader.h), removes boilerplate lines
 * (boiler.h: a first pass counts repeated lines, a second pass removes them),
 * tokenizes each document (tokenize.h), marks near-duplicates (dedup.h) and
 * hands each document, in input order, to a callback with its status.  Every
 * input document reaches the callback, binary files and malformed records
 * included, so that docs.csv accounts for all of them.
 */
#ifndef TD_CORPUS_H
#define TD_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boiler.h"
#include "dedup.h"
#include "doc.h"
#include "error.h"
#include "reader.h"
#include "tokenize.h"

enum dedup_mode { DEDUP_OFF = 0, DEDUP_MARK, DEDUP_DROP };

struct corpus_opts {
	struct reader_opts read;
	bool boilerplate;              /* remove boilerplate lines (default true) */
	double boilerplate_min_frac;   /* default 0.05 */
	enum dedup_mode dedup;         /* default DEDUP_MARK */
	double dup_threshold;          /* default 0.8 */
	struct tokenizer_opts tok;     /* tok.stop is set by corpus_run from stopwords */
	const char *stopwords;         /* "en" (default), "none" or a file */
	int32_t today;                 /* day number for date_suspect */
	unsigned n_threads;            /* workers that clean and tokenize (default 1) */
};

/* Fills opts with the defaults above (no inputs). */
void corpus_opts_default(struct corpus_opts *opts);

/* One document as the callback sees it; valid only during the call. */
struct corpus_doc {
	const struct doc *doc;
	size_t index;                  /* 0-based position in input order */
	enum doc_status status;
	bool date_suspect;
	bool analysed;                 /* goes on to the analysis: not binary, malformed or dropped
					  (an empty document is analysed: it counts as a document) */
	size_t boilerplate_lines;      /* lines removed as boilerplate */
	const char *duplicate_of;      /* doc_id of the earlier near-duplicate, or NULL */
	double similarity;             /* highest Jaccard with an earlier document (0 if none) */
	const char *text;              /* the cleaned text that was tokenized */
	size_t text_len;
	const struct token_list *tokens;  /* every token, stopwords flagged TOKEN_STOP; in emit,
					     NULL unless hooks.emit_tokens */
	size_t n_tokens;               /* tokens that are not stopwords */
	size_t n_sentences;            /* sentences that hold a token */
	size_t n_types;                /* their distinct forms */
	size_t *n_types_out;           /* work, when hooks.work_counts_types: where the hook
					  stores n_types (it counts them anyway) */
};

/* Called once per document; a non-zero return stops the run and is returned. */
typedef int (*corpus_doc_fn)(void *ctx, const struct corpus_doc *cd);

/* What the caller does with each document.
 *   emit  is called on the calling thread for every document, in input order,
 *         with everything filled in (the tokens only when emit_tokens is set);
 *   work  (may be NULL) is called on a worker thread for every readable
 *         document (not binary or malformed), in any order, before emit, with
 *         the document, index, text and tokens filled in but not yet the status
 *         or duplicate fields (those need the earlier documents).  work_ctx[i]
 *         is the context of worker i (n_threads of them), so each worker can
 *         count into its own structures without locks. */
struct corpus_hooks {
	corpus_doc_fn emit;
	void *emit_ctx;
	bool emit_tokens;              /* emit reads cd->tokens: each document's tokens are kept
					  until it is emitted (otherwise a worker reuses one list) */
	corpus_doc_fn work;
	void **work_ctx;
	bool work_counts_types;        /* work stores each document's n_types through
					  cd->n_types_out, so the workers do not count them */
};

/* What the run leaves for the reports: boilerplate lines, duplicate pairs,
 * document ids and the input files. */
struct corpus;

/* Runs the pipeline.  Documents are read in batches on the calling thread,
 * parsed (JSON Lines), cleaned and tokenized by opts->n_threads workers, then
 * emitted in input order, so every output is the same for any number of
 * threads; so are the warnings (given in input order) and the error (that of
 * the first document, in input order, that fails).  On success
 * *out holds the run's results (free with corpus_free).  Returns 0 or a
 * negative code with a message (or a hook's non-zero value). */
int corpus_run(struct corpus **out, const struct corpus_opts *opts, const struct corpus_hooks *hooks,
	       struct td_diag *diag);

/* Whether document index has a date to bin by, and the date (day number).
 * A suspect date (date_suspect: before year 1000 or after opts.today) is not
 * one: such a document is left out of the by-date tables as an undated one,
 * so that one typo does not stretch them over centuries (docs.csv still
 * shows the date and the status). */
bool corpus_doc_date(const struct corpus *corpus, size_t index, int32_t *date);

/* Number of documents seen, and the id of document index. */
size_t corpus_n_docs(const struct corpus *corpus);
const char *corpus_doc_id(const struct corpus *corpus, size_t index);

/* The boilerplate remover (NULL when boilerplate removal is off). */
const struct boiler *corpus_boiler(const struct corpus *corpus);

/* Pairs of documents with Jaccard >= 0.3, as document indices (input order);
 * none when dedup is off. */
const struct dedup_pair *corpus_dup_pairs(const struct corpus *corpus, size_t *n_pairs);

/* The input files read. */
const struct input_file *corpus_files(const struct corpus *corpus, size_t *n_files);

void corpus_free(struct corpus *corpus);

#endif
