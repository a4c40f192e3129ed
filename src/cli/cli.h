/* cli.h - the termdrift command: shared option parsing, diagnostics and the
 * reports every subcommand writes.  Only src/cli/ parses argv, prints usage
 * or chooses an exit code. */
#ifndef TD_CLI_H
#define TD_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cooc.h"
#include "corpus.h"
#include "csvout.h"
#include "date.h"
#include "error.h"
#include "runinfo.h"
#include "tf.h"
#include "timeline.h"
#include "weight.h"

/* Exit codes. */
enum {
	EXIT_OK = 0,
	EXIT_FAILURE_RUN = 1,   /* bad input, I/O error, out of memory */
	EXIT_USAGE = 2          /* bad command line */
};

enum progress_mode { PROGRESS_AUTO = 0, PROGRESS_ALWAYS, PROGRESS_NEVER };

/* Every option a subcommand may take, with its effective value. */
struct cli_opts {
	const char **inputs;
	size_t n_inputs;
	const char *out_dir;           /* -o */
	int precision;
	enum progress_mode progress;
	bool quiet;
	struct corpus_opts corpus;
	struct tf_opts tf;             /* CLI_TF */
	struct weight_opts weight;     /* CLI_WEIGHT */
	enum bin_unit bin;
	unsigned top;                  /* top terms per document and per bin */
	const char *outputs;           /* --outputs: comma-separated file names, NULL = all */
	bool svg, no_plots;            /* CLI_RUN: charts as SVG; no charts */
	const char *plot_scripts;      /* CLI_RUN: folder of the gnuplot scripts */
	bool top_given;                /* --top was given (cooc: neighbours per term) */
	struct cooc_opts cooc;         /* CLI_COOC */
	uint64_t min_count;            /* pairs and terms listed from this count */
	unsigned top_terms;            /* neighbours of the N most frequent terms */
	const char *targets;           /* or of these terms (comma-separated) */
	unsigned cooc_top;             /* neighbours per term (--top for termdrift cooc) */
	uint64_t seed;                 /* CLI_DRIFT, CLI_TOPICS: the generators' seed (default 0) */
	struct {
		double smoothing;      /* additive, per term (default 0.01) */
		unsigned permutations; /* of the permutation test (default 999; 0: none) */
		double prior;          /* log-odds prior pseudo-tokens (0: the mean tokens of a bin) */
		const char *track;     /* terms for term_trends_wide.csv (comma-separated) */
		bool skip_empty_bins;  /* leave empty bins out of the by-date tables */
	} drift;                       /* CLI_DRIFT */
	struct {
		size_t k;              /* topics (default 10) */
		bool lda;              /* --model lda (default nmf) */
		bool solver_mu;        /* NMF: multiplicative updates (default coordinate descent) */
		unsigned max_iter;     /* NMF (default 200) */
		double tol;            /* NMF (default 1e-4) */
		double alpha, beta;    /* LDA priors (0: lda_opts_default's) */
		unsigned iterations;   /* LDA Gibbs sweeps (default 1000) */
		bool weight_tokens;    /* prevalence by day weighted by document length */
	} topics;                      /* CLI_TOPICS */
};

/* Whether the file `name` is to be written (--outputs; docs.csv and
 * manifest.json always are). */
bool cli_wants(const struct cli_opts *opts, const char *name);

/* Checks that --outputs names only files of `known`; prints an error and
 * returns EXIT_USAGE otherwise. */
int cli_check_outputs(const struct cli_opts *opts, const char *command, const char *const *known, size_t n);

/* Option groups beyond the corpus options, for cli_parse. */
enum { CLI_TF = 1, CLI_WEIGHT = 2, CLI_RUN = 4, CLI_COOC = 8, CLI_DRIFT = 16, CLI_TOPICS = 32 };

/* Whether `name` is a long option, and whether it takes a value: 0, or -1
 * for no such option. */
int cli_option_info(const char *name, bool *takes_value);

/* Parses the shared options of a subcommand into opts (defaults first).
 * Prints the help text and returns -1 for --help (exit 0), prints an error
 * and returns EXIT_USAGE for a bad option, else 0. */
int cli_parse(int argc, char **argv, const char *command, const char *help, unsigned groups,
	      struct cli_opts *opts);

void cli_opts_free(struct cli_opts *opts);

/* The process's resident memory now, in bytes (/proc/self/statm; 0 where
 * it cannot be read). */
uint64_t cli_resident_bytes(void);

/* Diagnostics on stderr: "termdrift: ..." and "termdrift: warning: ...". */
void cli_errorf(const char *fmt, ...) TD_PRINTF(1, 2);
void cli_warn_cb(void *ctx, const char *msg);

/* Prints the error recorded in diag (or the code's text) and returns
 * EXIT_FAILURE_RUN. */
int cli_fail(struct td_diag *diag, int code);

/* Progress on stderr (documents, MB, MB/s), when enabled for this stream. */
struct progress {
	bool on;
	double start, last;
	uint64_t docs, bytes;
	uint64_t total;     /* bytes of the input files (0: unknown), for the time left */
};
void progress_init(struct progress *p, const struct cli_opts *opts);
void progress_doc(struct progress *p, uint64_t bytes);
void progress_end(struct progress *p);

/* The reports of the ingest stage, shared by every subcommand that reads a
 * corpus: docs.csv rows as documents arrive, then boilerplate.csv and
 * duplicates.csv from the finished run, each recorded in the manifest. */
struct docs_report {
	struct csv_out docs;
	bool open;
};
int docs_report_open(struct docs_report *r, const struct cli_opts *opts, struct td_diag *diag);
int docs_report_row(struct docs_report *r, const struct corpus_doc *cd);
int docs_report_finish(struct docs_report *r, const struct corpus *corpus, const struct cli_opts *opts,
		       struct runinfo *ri, struct td_diag *diag);
void docs_report_abort(struct docs_report *r);

/* Records the corpus parameters and the input files in the manifest. */
int cli_record_params(struct runinfo *ri, const struct cli_opts *opts, const struct corpus *corpus,
		      struct td_diag *diag);

/* Prints a subcommand's help with CLI_TEXT_HELP inserted before the
 * CLI_CLEANING_HEADING of CLI_CORPUS_HELP (at the end when there is none). */
void cli_print_help(const char *help);

/* Help for the options every corpus-reading subcommand takes.  The
 * subcommands paste it into one string literal with their own text, which
 * must stay under the 4095 bytes C compilers must support
 * (-Woverlength-strings); CLI_TEXT_HELP is therefore printed apart, by
 * cli_print_help, in front of CLI_CLEANING_HEADING: its first line ends the
 * Input section. */
#define CLI_CLEANING_HEADING "Cleaning:\n"
#define CLI_TEXT_HELP \
"      --checksum KIND       of each input in manifest.json: xxh128 (default) or sha256\n" \
"Text:\n" \
"      --fallback-encoding E none (default: invalid UTF-8 becomes U+FFFD) or cp1252\n" \
"                            (text without a byte order mark that is not valid UTF-8\n" \
"                            is read as Windows-1252, a whole file or record at a time)\n" \
"      --strip-html          remove HTML tags, comments, scripts and styles, and decode\n" \
"                            entities (&amp; &eacute; &#8217;...) before tokenizing\n"
#define CLI_CORPUS_HELP \
"Input:\n" \
"  -i, --input PATH          a folder (read recursively), .txt, .jsonl or .csv file; repeatable\n" \
"      --format FMT          auto (by extension), txt, jsonl or csv\n" \
"      --manifest FILE       CSV with file,date,source,title for the documents\n" \
"      --id-field NAME       JSONL/CSV field names (defaults id, date, text, title, source);\n" \
"      --date-field NAME     likewise --text-field, --title-field, --source-field\n" \
"      --strict              a malformed record is an error, not skipped\n" \
"      --today YYYY-MM-DD    the day after which dates are suspect (default: today)\n" \
CLI_CLEANING_HEADING \
"      --no-boilerplate      keep site furniture lines\n" \
"      --boilerplate-min-frac F  a line repeated in max(3, F x documents) documents is\n" \
"                            boilerplate (default 0.05)\n" \
"      --dedup MODE          off, mark (default) or drop near-duplicates\n" \
"      --dup-threshold J     Jaccard similarity of a duplicate (default 0.8)\n" \
"Tokens:\n" \
"      --tokenizer MODE      default (NFKC + case fold, words, numbers, URLs) or sklearn\n" \
"      --stopwords LIST      en (default), none or a file of words\n" \
"      --stem LANG           none (default) or a Snowball language (english, ...)\n" \
"      --possessive MODE     keep (kyiv's, default) or strip (kyiv)\n" \
"      --split-hyphens       once-in-a-generation gives four tokens\n" \
"      --threads N           worker threads (default: the number of cores); the\n" \
"                            output is the same for any N\n" \
"Output:\n" \
"  -o, --out DIR             output folder (default output)\n" \
"      --precision DIGITS    significant digits of numbers (default 10; 17 round-trips)\n" \
"      --progress WHEN       auto (when stderr is a terminal), always or never\n" \
"  -q, --quiet               no warnings, no progress\n"

/* Help for the term-matrix options (CLI_TF). */
#define CLI_TF_HELP \
"Terms:\n" \
"      --ngram MIN:MAX       word n-grams, 1 <= MIN <= MAX <= 3 (default 1:1), formed\n" \
"                            after stopword removal within a sentence\n" \
"      --ngram-across-sentences  n-grams over the whole document (as scikit-learn)\n" \
"      --min-df N|F          keep terms in at least N documents (or a fraction F, with\n" \
"                            a decimal point) (default 1)\n" \
"      --max-df N|F          keep terms in at most N documents or a fraction (default 1.0)\n" \
"      --max-features N      keep the N terms of highest frequency (ties: term order)\n" \
"      --vocab FILE          impose a vocabulary (one term per line, ids in file order)\n" \
"      --outputs LIST        write only these files (comma-separated, e.g. tfidf.mtx);\n" \
"                            docs.csv and manifest.json are always written\n"

/* Help for the weighting options (CLI_WEIGHT). */
#define CLI_WEIGHT_HELP \
"Weighting:\n" \
"      --tf SCHEME           raw (default), sublinear (1 + ln tf), binary, log (ln(1 + tf)),\n" \
"                            prop (tf / row total) or augmented (0.5 + 0.5 tf / max tf)\n" \
"      --sublinear           the same as --tf sublinear\n" \
"      --binary              the same as --tf binary\n" \
"      --idf SCHEME          smooth (default; ln((1+n)/(1+df)) + 1), plain (ln(n/df) + 1),\n" \
"                            prob (max(0, ln((n-df)/df))) or none\n" \
"      --norm NORM           l2 (default), l1 or none\n" \
"      --bin UNIT            date bins: day (default), week, month, year, decade\n" \
"      --top N               top terms per document and per date (default 20)\n"

/* A corpus read into a document-term matrix (tf and tfidf). */
struct matrix {
	struct corpus *corpus;
	struct dtm dtm;
	bool *included;     /* per document: counted in the matrix */
	uint64_t *n_tokens; /* per document: its tokens, stopwords excluded */
	struct tf_part **parts;  /* kept with opts->tf.keep_streams: the documents' streams */
	unsigned n_parts;
};

/* Reads the corpus (writing docs.csv, boilerplate.csv, duplicates.csv) and
 * builds the matrix, counting on opts->corpus.n_threads workers. */
int matrix_build(const struct cli_opts *opts, struct runinfo *ri, struct matrix *m, struct td_diag *diag);
int matrix_record_params(struct runinfo *ri, const struct cli_opts *opts, const struct matrix *m,
			 struct td_diag *diag);
int matrix_write_vocab(const struct cli_opts *opts, const struct matrix *m, const double *idf,
		       struct runinfo *ri, struct td_diag *diag);
int matrix_write_counts(const struct cli_opts *opts, const struct matrix *m, struct runinfo *ri,
			struct td_diag *diag);
void matrix_free(struct matrix *m);

/* Each document's date to bin by (corpus_doc_date) into new arrays *dates
 * and *has_date (m->dtm.n_docs each).  Returns 0 or TD_ENOMEM (message). */
int matrix_dates(const struct matrix *m, int32_t **dates, bool **has_date, struct td_diag *diag);

struct drift_bins;

/* The date bins (opts->bin) of the analysed documents into bins.  When no
 * document has a date, warns "...; TABLES are empty" and returns 0 with no
 * bins (bins->n_undated counts the documents).  Returns 0 or TD_ENOMEM. */
int matrix_date_bins(const struct cli_opts *opts, const struct matrix *m, const char *tables,
		     struct drift_bins *bins, struct td_diag *diag);

/* A term and a score; ranked_compare orders by score, highest first, then
 * by term id (for qsort). */
struct ranked {
	uint32_t term;
	double value;
};
int ranked_compare(const void *a, const void *b);

/* The ids of the n_terms terms by count, highest first, ties by id, in a
 * new array (NULL when out of memory). */
uint32_t *terms_by_count(const uint64_t *count, size_t n_terms);

/* A stage that works on a built matrix (tfidf_stage, drift_stage,
 * topics_stage; cooc's maps the matrix's token streams, hence not const). */
typedef int (*matrix_stage_fn)(const struct cli_opts *opts, struct matrix *m, struct runinfo *ri,
			       struct td_diag *diag);

/* A whole subcommand of that kind: parses the options (groups), lets
 * prepare (if not NULL) check and complete them (it prints an error and
 * returns EXIT_USAGE, or 0), checks --outputs against outputs
 * (NULL-terminated), reads the corpus into a matrix, runs stage and writes
 * manifest.json; on failure removes what it wrote.  Returns the exit code. */
int cli_matrix_command(int argc, char **argv, const char *name, const char *help, unsigned groups,
		       const char *const *outputs, int (*prepare)(struct cli_opts *opts), matrix_stage_fn stage);

/* Looks up the comma-separated terms of `list` (case-folded as the tokenizer
 * does) in dtm's vocabulary: *ids (new; duplicates once) receives those found,
 * in list order.  The terms not found are warned about in one line ("WHAT
 * term 'x' is not in the vocabulary", or "N WHAT terms are not in the
 * vocabulary: x,y") and listed in *missing (new, comma-separated; NULL when
 * none).  Returns 0 or TD_ENOMEM. */
int matrix_find_terms(struct dtm *dtm, const char *list, const char *what, uint32_t **ids, size_t *n_ids,
		      char **missing, struct td_diag *diag);

int cmd_ingest(int argc, char **argv);
int cmd_tokens(int argc, char **argv);
int cmd_tf(int argc, char **argv);
int cmd_tfidf(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_cooc(int argc, char **argv);
int cmd_drift(int argc, char **argv);
int cmd_topics(int argc, char **argv);

/* What termdrift drift does with a built matrix: drift_by_day.csv,
 * term_trends.csv and term_trends_wide.csv into opts->out_dir, recorded in
 * ri.  Returns 0 or a negative code with a message. */
int drift_stage(const struct cli_opts *opts, struct matrix *m, struct runinfo *ri, struct td_diag *diag);
extern const char *const drift_outputs[];

/* What termdrift topics does with a built matrix: the model, topics.csv,
 * topic_summary.csv, doc_topics.csv and the by-date topic tables. */
int topics_stage(const struct cli_opts *opts, struct matrix *m, struct runinfo *ri, struct td_diag *diag);
extern const char *const topics_outputs[];

/* What termdrift cooc does with a matrix built with opts->tf.keep_streams:
 * cooc.csv, cooc.mtx, neighbors.csv, neighbors_by_day.csv into
 * opts->out_dir, recorded in ri.  Returns 0 or a negative code with a
 * message. */
int cooc_pipeline(const struct cli_opts *opts, struct matrix *m, struct runinfo *ri, struct td_diag *diag);

/* The files termdrift cooc can write, NULL-terminated (for --outputs). */
extern const char *const cooc_outputs[];

/* The same on a matrix already built (termdrift run shares it among stages). */
int tfidf_stage(const struct cli_opts *opts, struct matrix *m, struct runinfo *ri, struct td_diag *diag);

/* The files termdrift tfidf can write, NULL-terminated (for --outputs). */
extern const char *const tfidf_outputs[];

#endif
