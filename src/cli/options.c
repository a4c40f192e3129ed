/* options.c - the options shared by the subcommands, diagnostics, progress. */
#define _GNU_SOURCE  /* nftw's FTW_ACTIONRETVAL */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "date.h"

void cli_errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("termdrift: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void cli_warn_cb(void *ctx, const char *msg)
{
	const bool *quiet = ctx;
	if (!quiet || !*quiet)
		fprintf(stderr, "termdrift: warning: %s\n", msg);
}

int cli_fail(struct td_diag *diag, int code)
{
	cli_errorf("%s", diag && diag->error ? diag->error : td_strerror(code));
	return EXIT_FAILURE_RUN;
}

/* Strict parsing: the whole string must be a number in range. */
static int parse_long(const char *text, long min, long max, long *value)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || end == text || *end != '\0' || v < min || v > max)
		return -1;
	*value = v;
	return 0;
}

/* A finite number in [min, max]. */
static int parse_real(const char *text, double min, double max, double *value)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || end == text || *end != '\0' || !isfinite(v) || v < min || v > max)
		return -1;
	*value = v;
	return 0;
}

static int parse_fraction(const char *text, double *value)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (errno || end == text || *end != '\0' || !isfinite(v) || v < 0 || v > 1)
		return -1;
	*value = v;
	return 0;
}

enum {
	OPT_FORMAT = 256, OPT_MANIFEST, OPT_ID_FIELD, OPT_DATE_FIELD, OPT_TEXT_FIELD, OPT_TITLE_FIELD,
	OPT_SOURCE_FIELD, OPT_TOKENIZER, OPT_STOPWORDS, OPT_STEM, OPT_POSSESSIVE, OPT_SPLIT_HYPHENS,
	OPT_NO_BOILERPLATE, OPT_BOILER_FRAC, OPT_DEDUP, OPT_DUP_THRESHOLD, OPT_PRECISION,
	OPT_PROGRESS, OPT_STRICT, OPT_TODAY, OPT_THREADS, OPT_FALLBACK_ENCODING, OPT_STRIP_HTML,
	OPT_CHECKSUM,
	/* CLI_TF */
	OPT_NGRAM = 512, OPT_NGRAM_ACROSS, OPT_OUTPUTS, OPT_MIN_DF, OPT_MAX_DF, OPT_MAX_FEATURES, OPT_VOCAB,
	/* CLI_WEIGHT */
	OPT_TF = 768, OPT_SUBLINEAR, OPT_BINARY, OPT_IDF, OPT_NORM, OPT_BIN, OPT_TOP,
	/* CLI_RUN */
	OPT_SVG = 1024, OPT_NO_PLOTS, OPT_PLOT_SCRIPTS,
	/* CLI_COOC */
	OPT_SCOPE = 1280, OPT_WINDOW, OPT_WEIGHTING, OPT_DIRECTION, OPT_CROSS_SENTENCES, OPT_MEMORY, OPT_TMP_DIR,
	OPT_MIN_COUNT, OPT_TOP_TERMS, OPT_TARGET, OPT_COOC_TOP,
	/* CLI_DRIFT (OPT_SEED: CLI_TOPICS too) */
	OPT_SMOOTHING = 1536, OPT_PERMUTATIONS, OPT_SEED, OPT_PRIOR, OPT_TRACK, OPT_SKIP_EMPTY_BINS,
	/* CLI_TOPICS */
	OPT_K = 1792, OPT_MODEL, OPT_MAX_ITER, OPT_TOL, OPT_ALPHA, OPT_BETA, OPT_ITERATIONS, OPT_SOLVER,
	OPT_WEIGHT_BY
};

static const struct option long_options[] = {
	{ "input", required_argument, NULL, 'i' },
	{ "out", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "manifest", required_argument, NULL, OPT_MANIFEST },
	{ "id-field", required_argument, NULL, OPT_ID_FIELD },
	{ "date-field", required_argument, NULL, OPT_DATE_FIELD },
	{ "text-field", required_argument, NULL, OPT_TEXT_FIELD },
	{ "title-field", required_argument, NULL, OPT_TITLE_FIELD },
	{ "source-field", required_argument, NULL, OPT_SOURCE_FIELD },
	{ "tokenizer", required_argument, NULL, OPT_TOKENIZER },
	{ "stopwords", required_argument, NULL, OPT_STOPWORDS },
	{ "stem", required_argument, NULL, OPT_STEM },
	{ "possessive", required_argument, NULL, OPT_POSSESSIVE },
	{ "split-hyphens", no_argument, NULL, OPT_SPLIT_HYPHENS },
	{ "no-boilerplate", no_argument, NULL, OPT_NO_BOILERPLATE },
	{ "boilerplate-min-frac", required_argument, NULL, OPT_BOILER_FRAC },
	{ "dedup", required_argument, NULL, OPT_DEDUP },
	{ "dup-threshold", required_argument, NULL, OPT_DUP_THRESHOLD },
	{ "precision", required_argument, NULL, OPT_PRECISION },
	{ "progress", required_argument, NULL, OPT_PROGRESS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "today", required_argument, NULL, OPT_TODAY },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "fallback-encoding", required_argument, NULL, OPT_FALLBACK_ENCODING },
	{ "strip-html", no_argument, NULL, OPT_STRIP_HTML },
	{ "checksum", required_argument, NULL, OPT_CHECKSUM },
	{ "ngram", required_argument, NULL, OPT_NGRAM },
	{ "ngram-across-sentences", no_argument, NULL, OPT_NGRAM_ACROSS },
	{ "min-df", required_argument, NULL, OPT_MIN_DF },
	{ "max-df", required_argument, NULL, OPT_MAX_DF },
	{ "max-features", required_argument, NULL, OPT_MAX_FEATURES },
	{ "vocab", required_argument, NULL, OPT_VOCAB },
	{ "outputs", required_argument, NULL, OPT_OUTPUTS },
	{ "tf", required_argument, NULL, OPT_TF },
	{ "sublinear", no_argument, NULL, OPT_SUBLINEAR },
	{ "binary", no_argument, NULL, OPT_BINARY },
	{ "idf", required_argument, NULL, OPT_IDF },
	{ "norm", required_argument, NULL, OPT_NORM },
	{ "bin", required_argument, NULL, OPT_BIN },
	{ "top", required_argument, NULL, OPT_TOP },
	{ "svg", no_argument, NULL, OPT_SVG },
	{ "no-plots", no_argument, NULL, OPT_NO_PLOTS },
	{ "plot-scripts", required_argument, NULL, OPT_PLOT_SCRIPTS },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "weighting", required_argument, NULL, OPT_WEIGHTING },
	{ "direction", required_argument, NULL, OPT_DIRECTION },
	{ "cross-sentences", no_argument, NULL, OPT_CROSS_SENTENCES },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "tmp-dir", required_argument, NULL, OPT_TMP_DIR },
	{ "min-count", required_argument, NULL, OPT_MIN_COUNT },
	{ "top-terms", required_argument, NULL, OPT_TOP_TERMS },
	{ "target", required_argument, NULL, OPT_TARGET },
	{ "cooc-top", required_argument, NULL, OPT_COOC_TOP },
	{ "smoothing", required_argument, NULL, OPT_SMOOTHING },
	{ "permutations", required_argument, NULL, OPT_PERMUTATIONS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "prior", required_argument, NULL, OPT_PRIOR },
	{ "track", required_argument, NULL, OPT_TRACK },
	{ "skip-empty-bins", no_argument, NULL, OPT_SKIP_EMPTY_BINS },
	{ "k", required_argument, NULL, OPT_K },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "max-iter", required_argument, NULL, OPT_MAX_ITER },
	{ "tol", required_argument, NULL, OPT_TOL },
	{ "alpha", required_argument, NULL, OPT_ALPHA },
	{ "beta", required_argument, NULL, OPT_BETA },
	{ "iterations", required_argument, NULL, OPT_ITERATIONS },
	{ "solver", required_argument, NULL, OPT_SOLVER },
	{ "weight", required_argument, NULL, OPT_WEIGHT_BY },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int bad_value(const char *command, const char *option, const char *value, const char *expected)
{
	cli_errorf("%s: invalid value '%s' for --%s (expected %s)", command, value, option, expected);
	return EXIT_USAGE;
}

/* Applies one option; returns 0 or EXIT_USAGE. */
static int apply_option(int opt, const char *arg, const char *command, struct cli_opts *opts)
{
	struct corpus_opts *c = &opts->corpus;
	long n;
	switch (opt) {
	case 'i': {
		const char **grown = realloc(opts->inputs, (opts->n_inputs + 1) * sizeof *grown);
		if (!grown) {
			cli_errorf("out of memory");
			return EXIT_FAILURE_RUN;
		}
		opts->inputs = grown;
		opts->inputs[opts->n_inputs++] = arg;
		return 0;
	}
	case 'o': opts->out_dir = arg; return 0;
	case OPT_FORMAT:
		return reader_format_parse(arg, &c->read.format) ? bad_value(command, "format", arg, "auto, txt, jsonl or csv") : 0;
	case OPT_MANIFEST: c->read.manifest = arg; return 0;
	case OPT_ID_FIELD: c->read.id_field = arg; return 0;
	case OPT_DATE_FIELD: c->read.date_field = arg; return 0;
	case OPT_TEXT_FIELD: c->read.text_field = arg; return 0;
	case OPT_TITLE_FIELD: c->read.title_field = arg; return 0;
	case OPT_SOURCE_FIELD: c->read.source_field = arg; return 0;
	case OPT_TOKENIZER:
		if (strcmp(arg, "default") == 0)
			c->tok.mode = TOK_DEFAULT;
		else if (strcmp(arg, "sklearn") == 0)
			c->tok.mode = TOK_SKLEARN;
		else
			return bad_value(command, "tokenizer", arg, "default or sklearn");
		return 0;
	case OPT_STOPWORDS: c->stopwords = arg; return 0;
	case OPT_STEM: c->tok.stem = strcmp(arg, "none") == 0 ? NULL : arg; return 0;
	case OPT_POSSESSIVE:
		if (strcmp(arg, "keep") == 0)
			c->tok.possessive_strip = false;
		else if (strcmp(arg, "strip") == 0)
			c->tok.possessive_strip = true;
		else
			return bad_value(command, "possessive", arg, "keep or strip");
		return 0;
	case OPT_SPLIT_HYPHENS: c->tok.split_hyphens = true; return 0;
	case OPT_NO_BOILERPLATE: c->boilerplate = false; return 0;
	case OPT_BOILER_FRAC:
		return parse_fraction(arg, &c->boilerplate_min_frac) ? bad_value(command, "boilerplate-min-frac", arg, "a fraction from 0 to 1") : 0;
	case OPT_DEDUP:
		if (strcmp(arg, "off") == 0)
			c->dedup = DEDUP_OFF;
		else if (strcmp(arg, "mark") == 0)
			c->dedup = DEDUP_MARK;
		else if (strcmp(arg, "drop") == 0)
			c->dedup = DEDUP_DROP;
		else
			return bad_value(command, "dedup", arg, "off, mark or drop");
		return 0;
	case OPT_DUP_THRESHOLD:
		if (parse_fraction(arg, &c->dup_threshold) || c->dup_threshold <= 0)
			return bad_value(command, "dup-threshold", arg, "a fraction above 0 and at most 1");
		return 0;
	case OPT_PRECISION:
		if (parse_long(arg, 1, 17, &n))
			return bad_value(command, "precision", arg, "a number of digits from 1 to 17");
		opts->precision = (int)n;
		return 0;
	case OPT_PROGRESS:
		if (strcmp(arg, "auto") == 0)
			opts->progress = PROGRESS_AUTO;
		else if (strcmp(arg, "always") == 0)
			opts->progress = PROGRESS_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			opts->progress = PROGRESS_NEVER;
		else
			return bad_value(command, "progress", arg, "auto, always or never");
		return 0;
	case 'q': opts->quiet = true; return 0;
	case OPT_STRICT: c->read.strict = true; return 0;
	case OPT_FALLBACK_ENCODING:
		if (strcmp(arg, "none") == 0)
			c->read.fallback = ENC_NONE;
		else if (strcmp(arg, "cp1252") == 0 || strcmp(arg, "windows-1252") == 0)
			c->read.fallback = ENC_CP1252;
		else
			return bad_value(command, "fallback-encoding", arg, "none or cp1252");
		return 0;
	case OPT_STRIP_HTML: c->read.strip_html = true; return 0;
	case OPT_CHECKSUM:
		return checksum_parse(arg, &c->read.checksum) ? bad_value(command, "checksum", arg, "xxh128 or sha256") : 0;
	case OPT_TODAY:
		if (date_parse(arg, strlen(arg), &c->today))
			return bad_value(command, "today", arg, "a date YYYY-MM-DD");
		return 0;
	case OPT_THREADS:
		if (parse_long(arg, 1, 64, &n))
			return bad_value(command, "threads", arg, "a number from 1 to 64");
		c->n_threads = (unsigned)n;
		return 0;
	case OPT_NGRAM:
		if (ngram_parse(arg, &opts->tf.ngram_min, &opts->tf.ngram_max))
			return bad_value(command, "ngram", arg, "MIN:MAX with 1 <= MIN <= MAX <= 3");
		return 0;
	case OPT_NGRAM_ACROSS: opts->tf.ngram_across_sentences = true; return 0;
	case OPT_MIN_DF:
		return df_bound_parse(arg, &opts->tf.min_df) ? bad_value(command, "min-df", arg, "a count N or a fraction with a decimal point") : 0;
	case OPT_MAX_DF:
		return df_bound_parse(arg, &opts->tf.max_df) ? bad_value(command, "max-df", arg, "a count N or a fraction with a decimal point") : 0;
	case OPT_MAX_FEATURES:
		if (parse_long(arg, 1, LONG_MAX, &n))
			return bad_value(command, "max-features", arg, "a positive number");
		opts->tf.max_features = (uint64_t)n;
		return 0;
	case OPT_VOCAB: opts->tf.vocab_file = arg; return 0;
	case OPT_OUTPUTS: opts->outputs = arg; return 0;
	case OPT_TF:
		return weight_parse_tf(arg, &opts->weight.tf) ? bad_value(command, "tf", arg, "raw, sublinear, binary, log, prop or augmented") : 0;
	case OPT_SUBLINEAR: opts->weight.tf = TFS_SUBLINEAR; return 0;
	case OPT_BINARY: opts->weight.tf = TFS_BINARY; return 0;
	case OPT_IDF:
		return weight_parse_idf(arg, &opts->weight.idf) ? bad_value(command, "idf", arg, "smooth, plain, prob or none") : 0;
	case OPT_NORM:
		return weight_parse_norm(arg, &opts->weight.norm) ? bad_value(command, "norm", arg, "l2, l1 or none") : 0;
	case OPT_BIN:
		return timeline_parse_unit(arg, &opts->bin) ? bad_value(command, "bin", arg, "day, week, month, year or decade") : 0;
	case OPT_TOP:
		if (parse_long(arg, 1, 100000, &n))
			return bad_value(command, "top", arg, "a number from 1 to 100000");
		opts->top = (unsigned)n;
		opts->top_given = true;
		return 0;
	case OPT_SCOPE:
		if (strcmp(arg, "window") == 0)
			opts->cooc.scope = COOC_WINDOW;
		else if (strcmp(arg, "sentence") == 0)
			opts->cooc.scope = COOC_SENTENCE;
		else if (strcmp(arg, "document") == 0)
			opts->cooc.scope = COOC_DOCUMENT;
		else
			return bad_value(command, "scope", arg, "window, sentence or document");
		return 0;
	case OPT_WINDOW:
		if (parse_long(arg, 1, COOC_MAX_WINDOW, &n))
			return bad_value(command, "window", arg, "a number of tokens from 1 to 20");
		opts->cooc.window = (unsigned)n;
		return 0;
	case OPT_WEIGHTING:
		if (strcmp(arg, "none") == 0)
			opts->cooc.harmonic = false;
		else if (strcmp(arg, "harmonic") == 0)
			opts->cooc.harmonic = true;
		else
			return bad_value(command, "weighting", arg, "none or harmonic");
		return 0;
	case OPT_DIRECTION:
		if (strcmp(arg, "symmetric") == 0)
			opts->cooc.direction = COOC_SYMMETRIC;
		else if (strcmp(arg, "left") == 0)
			opts->cooc.direction = COOC_LEFT;
		else if (strcmp(arg, "right") == 0)
			opts->cooc.direction = COOC_RIGHT;
		else
			return bad_value(command, "direction", arg, "symmetric, left or right");
		return 0;
	case OPT_CROSS_SENTENCES: opts->cooc.cross_sentences = true; return 0;
	case OPT_MEMORY: {
		char *end;
		errno = 0;
		double gb = strtod(arg, &end);
		if (errno || end == arg || *end || !(gb > 0) || gb > 1e6)
			return bad_value(command, "memory", arg, "a number of GB above 0, such as 4 or 0.5");
		opts->cooc.memory = (uint64_t)(gb * (double)(1u << 30));
		return 0;
	}
	case OPT_TMP_DIR: opts->cooc.tmp_dir = arg; return 0;
	case OPT_MIN_COUNT:
		if (parse_long(arg, 1, LONG_MAX, &n))
			return bad_value(command, "min-count", arg, "a positive number");
		opts->min_count = (uint64_t)n;
		return 0;
	case OPT_TOP_TERMS:
		if (parse_long(arg, 1, 1000000, &n))
			return bad_value(command, "top-terms", arg, "a number from 1 to 1000000");
		opts->top_terms = (unsigned)n;
		return 0;
	case OPT_TARGET: opts->targets = arg; return 0;
	case OPT_COOC_TOP:
		if (parse_long(arg, 1, 100000, &n))
			return bad_value(command, "cooc-top", arg, "a number from 1 to 100000");
		opts->cooc_top = (unsigned)n;
		return 0;
	case OPT_SMOOTHING:
		return parse_real(arg, 0, 1e6, &opts->drift.smoothing) ? bad_value(command, "smoothing", arg, "a number from 0 to 1e6") : 0;
	case OPT_PERMUTATIONS:
		if (parse_long(arg, 0, 1000000, &n))
			return bad_value(command, "permutations", arg, "a number from 0 to 1000000");
		opts->drift.permutations = (unsigned)n;
		return 0;
	case OPT_SEED: {
		char *end;
		errno = 0;
		unsigned long long v = strtoull(arg, &end, 10);
		if (errno || end == arg || *end || arg[0] == '-')
			return bad_value(command, "seed", arg, "a non-negative integer");
		opts->seed = (uint64_t)v;
		return 0;
	}
	case OPT_PRIOR:
		return parse_real(arg, 0, 1e15, &opts->drift.prior) ? bad_value(command, "prior", arg, "a number of pseudo-tokens >= 0 (0: the mean tokens of a bin)") : 0;
	case OPT_TRACK: opts->drift.track = arg; return 0;
	case OPT_SKIP_EMPTY_BINS: opts->drift.skip_empty_bins = true; return 0;
	case OPT_K:
		if (parse_long(arg, 1, 10000, &n))
			return bad_value(command, "k", arg, "a number of topics from 1 to 10000");
		opts->topics.k = (size_t)n;
		return 0;
	case OPT_MODEL:
		if (strcmp(arg, "nmf") == 0)
			opts->topics.lda = false;
		else if (strcmp(arg, "lda") == 0)
			opts->topics.lda = true;
		else
			return bad_value(command, "model", arg, "nmf or lda");
		return 0;
	case OPT_MAX_ITER:
		if (parse_long(arg, 0, 1000000, &n))
			return bad_value(command, "max-iter", arg, "a number from 0 to 1000000");
		opts->topics.max_iter = (unsigned)n;
		return 0;
	case OPT_TOL:
		return parse_real(arg, 0, 1, &opts->topics.tol) ? bad_value(command, "tol", arg, "a number from 0 to 1") : 0;
	case OPT_ALPHA:
		if (parse_real(arg, 0, 1e6, &opts->topics.alpha) || opts->topics.alpha <= 0)
			return bad_value(command, "alpha", arg, "a number above 0");
		return 0;
	case OPT_BETA:
		if (parse_real(arg, 0, 1e6, &opts->topics.beta) || opts->topics.beta <= 0)
			return bad_value(command, "beta", arg, "a number above 0");
		return 0;
	case OPT_ITERATIONS:
		if (parse_long(arg, 1, 1000000, &n))
			return bad_value(command, "iterations", arg, "a number from 1 to 1000000");
		opts->topics.iterations = (unsigned)n;
		return 0;
	case OPT_SOLVER:
		if (strcmp(arg, "cd") == 0)
			opts->topics.solver_mu = false;
		else if (strcmp(arg, "mu") == 0)
			opts->topics.solver_mu = true;
		else
			return bad_value(command, "solver", arg, "cd or mu");
		return 0;
	case OPT_WEIGHT_BY:
		if (strcmp(arg, "docs") == 0)
			opts->topics.weight_tokens = false;
		else if (strcmp(arg, "tokens") == 0)
			opts->topics.weight_tokens = true;
		else
			return bad_value(command, "weight", arg, "docs or tokens");
		return 0;
	case OPT_SVG: opts->svg = true; return 0;
	case OPT_NO_PLOTS: opts->no_plots = true; return 0;
	case OPT_PLOT_SCRIPTS: opts->plot_scripts = arg; return 0;
	default:
		return EXIT_USAGE;
	}
}

/* The long name of an option value. */
static const char *option_name(int opt)
{
	for (const struct option *o = long_options; o->name; o++)
		if (o->val == opt)
			return o->name;
	return "?";
}

/* The option groups that take option opt (the corpus options: all). */
static unsigned option_groups(int opt)
{
	const unsigned by_date = CLI_WEIGHT | CLI_COOC | CLI_DRIFT | CLI_TOPICS;
	if (opt < OPT_NGRAM)
		return ~0u;
	if (opt < OPT_TF)
		return CLI_TF;
	if (opt == OPT_TOP || opt == OPT_BIN)
		return by_date;
	if (opt < OPT_SVG)
		return CLI_WEIGHT;
	if (opt < OPT_SCOPE)
		return CLI_RUN;
	if (opt < OPT_SMOOTHING)
		return CLI_COOC;
	if (opt == OPT_SEED || opt == OPT_SKIP_EMPTY_BINS)
		return CLI_DRIFT | CLI_TOPICS;
	if (opt < OPT_K)
		return CLI_DRIFT;
	return CLI_TOPICS;
}

int cli_option_info(const char *name, bool *takes_value)
{
	for (const struct option *o = long_options; o->name; o++)
		if (strcmp(o->name, name) == 0) {
			*takes_value = o->has_arg == required_argument;
			return 0;
		}
	return -1;
}

/* The number of cores, for the default --threads. */
static unsigned default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

void cli_print_help(const char *help)
{
	const char *cleaning = strstr(help, CLI_CLEANING_HEADING);
	if (!cleaning) {
		fputs(help, stdout);
		fputs(CLI_TEXT_HELP, stdout);
		return;
	}
	fwrite(help, 1, (size_t)(cleaning - help), stdout);
	fputs(CLI_TEXT_HELP, stdout);
	fputs(cleaning, stdout);
}

int cli_parse(int argc, char **argv, const char *command, const char *help, unsigned groups,
	      struct cli_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	corpus_opts_default(&opts->corpus);
	opts->corpus.n_threads = default_threads();
	tf_opts_default(&opts->tf);
	opts->top = 20;
	opts->precision = CSV_DEFAULT_PRECISION;
	opts->out_dir = "output";
	opts->plot_scripts = "scripts/plots";
	cooc_opts_default(&opts->cooc);
	opts->min_count = 1;
	opts->top_terms = 20;
	opts->cooc_top = 10;
	opts->drift.smoothing = 0.01;
	opts->drift.permutations = 999;
	opts->topics.k = 10;
	opts->topics.max_iter = 200;
	opts->topics.tol = 1e-4;
	opts->topics.iterations = 1000;
	optind = 1;
	opterr = 0;
	int opt, rc;
	while ((opt = getopt_long(argc, argv, ":i:o:qh", long_options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			cli_print_help(help);
			return -1;
		case '?':
			if (optopt)
				cli_errorf("%s: unknown option '-%c' (see termdrift %s --help)", command, optopt, command);
			else
				cli_errorf("%s: unknown option '%s' (see termdrift %s --help)", command, argv[optind - 1], command);
			return EXIT_USAGE;
		case ':':
			cli_errorf("%s: option '%s' needs a value", command, argv[optind - 1]);
			return EXIT_USAGE;
		default:
			if (opt >= OPT_NGRAM && !(option_groups(opt) & groups)) {
				cli_errorf("%s: unknown option '--%s' (see termdrift %s --help)", command,
					   option_name(opt), command);
				return EXIT_USAGE;
			}
			if ((rc = apply_option(opt, optarg, command, opts)))
				return rc;
		}
	}
	if (optind < argc) {
		cli_errorf("%s: unexpected argument '%s' (inputs are given with -i)", command, argv[optind]);
		return EXIT_USAGE;
	}
	if (opts->n_inputs == 0) {
		cli_errorf("%s: no input: give a file or folder with -i (see termdrift %s --help)", command, command);
		return EXIT_USAGE;
	}
	opts->cooc.n_threads = opts->corpus.n_threads;
	opts->corpus.read.inputs = opts->inputs;
	opts->corpus.read.n_inputs = opts->n_inputs;
	return 0;
}

bool cli_wants(const struct cli_opts *opts, const char *name)
{
	if (!opts->outputs)
		return true;
	size_t len = strlen(name);
	for (const char *p = opts->outputs; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && memcmp(p, name, len) == 0)
			return true;
		p += n + (end != NULL);
	}
	return false;
}

int cli_check_outputs(const struct cli_opts *opts, const char *command, const char *const *known, size_t n)
{
	if (!opts->outputs)
		return 0;
	for (const char *p = opts->outputs; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool found = false;
		for (size_t i = 0; i < n && !found; i++)
			found = strlen(known[i]) == len && memcmp(known[i], p, len) == 0;
		if (!found) {
			cli_errorf("%s: unknown output '%.*s' in --outputs (see termdrift %s --help)", command,
				   (int)len, p, command);
			return EXIT_USAGE;
		}
		p += len + (end != NULL);
	}
	return 0;
}

void cli_opts_free(struct cli_opts *opts)
{
	free(opts->inputs);
	opts->inputs = NULL;
}

/* nftw cannot pass a context: the total of the walk in progress. */
static _Thread_local uint64_t walk_total;

static int add_size(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *base = path + ftw->base;
	if (ftw->level > 0 && base[0] == '.')
		return type == FTW_D ? FTW_SKIP_SUBTREE : 0;  /* hidden, as the reader skips them */
	if (type == FTW_F)
		walk_total += (uint64_t)st->st_size;
	return 0;
}

void progress_init(struct progress *p, const struct cli_opts *opts)
{
	memset(p, 0, sizeof *p);
	p->on = !opts->quiet && (opts->progress == PROGRESS_ALWAYS ||
				 (opts->progress == PROGRESS_AUTO && isatty(STDERR_FILENO)));
	p->start = p->last = runinfo_now();
	if (!p->on)
		return;
	/* the bytes to read, for the time left: the input files' sizes */
	walk_total = 0;
	for (size_t i = 0; i < opts->n_inputs; i++)
		nftw(opts->inputs[i], add_size, 16, FTW_PHYS | FTW_ACTIONRETVAL);
	p->total = walk_total;
}

void progress_doc(struct progress *p, uint64_t bytes)
{
	p->docs++;
	p->bytes += bytes;
	if (!p->on)
		return;
	double now = runinfo_now();
	if (now - p->last < 0.5)
		return;
	p->last = now;
	double mb = (double)p->bytes / 1e6, rate = mb / (now - p->start);
	fprintf(stderr, "\rtermdrift: %llu documents, %.1f MB, %.1f MB/s", (unsigned long long)p->docs, mb, rate);
	if (p->total > p->bytes && rate > 0)
		fprintf(stderr, ", about %.0f s left ", ((double)p->total / 1e6 - mb) / rate);
	else
		fputc(' ', stderr);
}

void progress_end(struct progress *p)
{
	if (!p->on)
		return;
	double secs = runinfo_now() - p->start;
	fprintf(stderr, "\rtermdrift: %llu documents, %.1f MB in %.2f s\n", (unsigned long long)p->docs,
		(double)p->bytes / 1e6, secs);
}

uint64_t cli_resident_bytes(void)
{
	FILE *fp = fopen("/proc/self/statm", "r");
	unsigned long long size = 0, resident = 0;
	if (!fp)
		return 0;
	int n = fscanf(fp, "%llu %llu", &size, &resident);
	fclose(fp);
	long page = sysconf(_SC_PAGESIZE);
	return n == 2 && page > 0 ? (uint64_t)resident * (uint64_t)page : 0;
}
