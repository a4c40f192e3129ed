/* run.c - termdrift run: a whole analysis from a spec (analyses/NAME.ini).
 *
 * The spec's keys are the long options of the stages, grouped in sections;
 * they become one argument list, the command line's options after them, so
 * that the command line wins (and its -i replaces the spec's inputs).  The
 * corpus is read once and every stage writes into a temporary folder that
 * takes the place of output/NAME when the whole analysis, charts included,
 * is there (outdir.h).
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "array.h"
#include "cli.h"
#include "outdir.h"
#include "spec.h"

extern char **environ;

#define DEFAULT_SPEC "analyses/seeds.ini"

static const char run_help[] =
	"usage: termdrift run [SPEC.ini] [options]\n"
	"\n"
	"Runs the analysis a spec describes (default " DEFAULT_SPEC ") into output/NAME/\n"
	"(NAME: the spec's file name without .ini): every table termdrift tfidf writes,\n"
	"docs_by_day.csv, manifest.json, and the charts in output/NAME/plots/ (gnuplot).\n"
	"The spec's sections are [corpus], [tokens], [tfidf], [cooc] (co-occurrences, as\n"
	"termdrift cooc: run when the section is there; its `top` is --cooc-top here),\n"
	"[drift] and [topics] (as termdrift drift and topics, run when there) and [run];\n"
	"their keys are the long option names below and those of termdrift cooc, drift\n"
	"and topics --help (flags take true or false).  Options given here come\n"
	"after the spec's and win; -i replaces the spec's inputs.  The folder is replaced\n"
	"as a whole when the analysis is complete; a failed run leaves it as it was.\n"
	"\n"
	"Charts:\n"
	"      --svg                 SVG charts instead of PNG\n"
	"      --no-plots            no charts\n"
	"      --plot-scripts DIR    folder of the gnuplot scripts (default scripts/plots)\n"
	"\n";

/* The keys each section takes: long option names, and the spec-only "fetch"
 * (how to get a corpus that is not there yet). */
struct section_keys {
	const char *name;
	const char *const *keys;
};

static const char *const corpus_keys[] = {
	"input", "format", "manifest", "id-field", "date-field", "text-field", "title-field", "source-field",
	"strict", "today", "no-boilerplate", "boilerplate-min-frac", "dedup", "dup-threshold", "bin", "fetch",
	"fallback-encoding", "strip-html", "checksum", NULL
};
static const char *const tokens_keys[] = {
	"tokenizer", "stopwords", "stem", "possessive", "split-hyphens", "ngram", "ngram-across-sentences",
	"min-df", "max-df", "max-features", "vocab", NULL
};
static const char *const tfidf_keys[] = { "tf", "sublinear", "binary", "idf", "norm", "top", NULL };
static const char *const cooc_keys[] = {
	"scope", "window", "weighting", "direction", "cross-sentences", "memory", "tmp-dir", "min-count",
	"top-terms", "target", "top", NULL
};
static const char *const drift_keys[] = {
	"smoothing", "permutations", "seed", "prior", "track", "skip-empty-bins", NULL
};
static const char *const topics_keys[] = {
	"k", "model", "solver", "max-iter", "tol", "alpha", "beta", "iterations", "seed", "weight", NULL
};
static const char *const run_keys[] = {
	"out", "threads", "precision", "progress", "quiet", "outputs", "svg", "no-plots", "plot-scripts", NULL
};

static const struct section_keys sections[] = {
	{ "corpus", corpus_keys },
	{ "tokens", tokens_keys },
	{ "tfidf", tfidf_keys },
	{ "cooc", cooc_keys },
	{ "drift", drift_keys },
	{ "topics", topics_keys },
	{ "run", run_keys },
};
#define N_SECTIONS (sizeof sections / sizeof *sections)

/* The charts: a gnuplot script each, drawn when its table was written. */
static const struct chart {
	const char *name;
	const char *table;
	const char *description;
} charts[] = {
	{ "docs_by_day", "docs_by_day.csv", "documents (bars) and tokens (line) per date bin" },
	{ "top_terms_by_day", "top_terms_by_day.csv", "the top tf-idf terms of each date bin, one panel per bin" },
	{ "tfidf_heatmap", "top_terms_by_day_wide.csv", "tf-idf of the top terms (rows) by date bin (columns)" },
	{ "cooc_neighbors", "neighbors.csv", "each focus term's top neighbours by NPMI, one panel per term" },
	{ "neighbor_overlap", "neighbors_by_day.csv",
	  "Jaccard overlap of each focus term's top neighbours with the previous date bin" },
	{ "drift_by_day", "drift_by_day.csv",
	  "drift from the previous date bin: JSD (significant bins marked), Hellinger, cosine, JSD from the first" },
	{ "rising_terms", "term_trends.csv",
	  "the top rising and falling terms against the previous date bin, one panel per bin" },
	{ "term_trends", "term_trends_wide.csv", "frequency per 10,000 tokens of each tracked term over time" },
	{ "topic_prevalence", "topic_prevalence_by_day_wide.csv", "topic prevalence by date bin, stacked" },
	{ "topic_terms_heatmap", "topic_terms_by_day.csv",
	  "each topic's top terms (rows) by date bin (columns), one heatmap per topic" },
};

/* A growing argument list. */
struct args {
	char **v;
	size_t n, cap;
	char **owned;     /* strings made here, freed with the list */
	size_t n_owned, cap_owned;
};

static int args_push(struct args *a, char *arg, bool owned)
{
	if (array_reserve((void **)&a->v, &a->cap, a->n + 2, sizeof *a->v) ||
	    (owned && array_reserve((void **)&a->owned, &a->cap_owned, a->n_owned + 1, sizeof *a->owned))) {
		if (owned)
			free(arg);
		return TD_ENOMEM;
	}
	a->v[a->n++] = arg;
	a->v[a->n] = NULL;
	if (owned)
		a->owned[a->n_owned++] = arg;
	return 0;
}

static void args_free(struct args *a)
{
	for (size_t i = 0; i < a->n_owned; i++)
		free(a->owned[i]);
	free(a->owned);
	free(a->v);
}

static const struct section_keys *find_section(const char *name)
{
	for (size_t i = 0; i < N_SECTIONS; i++)
		if (strcmp(sections[i].name, name) == 0)
			return &sections[i];
	return NULL;
}

static bool has_key(const struct section_keys *s, const char *key)
{
	for (const char *const *k = s->keys; *k; k++)
		if (strcmp(*k, key) == 0)
			return true;
	return false;
}

/* The message for an unknown section or key: where it is and what was meant. */
static int unknown_name(const struct spec *spec, unsigned line, const char *what, const char *name,
			const char *const *candidates, size_t n, const char *in_section)
{
	const char *near = spec_nearest(name, candidates, n);
	char where[96] = "";
	if (in_section)
		snprintf(where, sizeof where, " in [%s]", in_section);
	if (near)
		cli_errorf("'%s' line %u: unknown %s '%s'%s (did you mean '%s'?)", spec->path, line, what, name, where,
			   near);
	else
		cli_errorf("'%s' line %u: unknown %s '%s'%s", spec->path, line, what, name, where);
	return EXIT_USAGE;
}

/* Whether the command line gives inputs (they replace the spec's). */
static bool args_have_input(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strncmp(a, "-i", 2) == 0 || strcmp(a, "--input") == 0 || strncmp(a, "--input=", 8) == 0)
			return true;
	}
	return false;
}

/* Turns the spec into options, after checking every section and key.
 * *fetch receives the spec's fetch hint (or NULL). */
static int spec_to_args(const struct spec *spec, bool skip_inputs, struct args *a, const char **fetch)
{
	const char *names[N_SECTIONS];
	for (size_t i = 0; i < N_SECTIONS; i++)
		names[i] = sections[i].name;
	*fetch = NULL;
	for (size_t i = 0; i < spec->n_sections; i++) {
		const struct spec_section *sec = &spec->sections[i];
		if (!find_section(sec->name))
			return unknown_name(spec, sec->line, "section", sec->name, names, N_SECTIONS, NULL);
		for (size_t j = 0; j < i; j++)
			if (strcmp(spec->sections[j].name, sec->name) == 0) {
				cli_errorf("'%s' line %u: section [%s] appears twice (first on line %u)", spec->path,
					   sec->line, sec->name, spec->sections[j].line);
				return EXIT_USAGE;
			}
	}
	for (size_t i = 0; i < spec->n_entries; i++) {
		const struct spec_entry *e = &spec->entries[i];
		const struct section_keys *sec = find_section(e->section);
		if (!has_key(sec, e->key)) {
			for (size_t s = 0; s < N_SECTIONS; s++)
				if (has_key(&sections[s], e->key)) {
					cli_errorf("'%s' line %u: '%s' belongs in [%s], not [%s]", spec->path, e->line, e->key,
						   sections[s].name, e->section);
					return EXIT_USAGE;
				}
			size_t n = 0;
			while (sec->keys[n])
				n++;
			return unknown_name(spec, e->line, "key", e->key, sec->keys, n, e->section);
		}
		bool repeatable = strcmp(e->key, "input") == 0;
		for (size_t j = 0; j < i && !repeatable; j++)
			if (strcmp(spec->entries[j].key, e->key) == 0 && strcmp(spec->entries[j].section, e->section) == 0) {
				cli_errorf("'%s' line %u: '%s' is given twice (first on line %u)", spec->path, e->line, e->key,
					   spec->entries[j].line);
				return EXIT_USAGE;
			}
		if (strcmp(e->key, "fetch") == 0) {
			*fetch = e->value;
			continue;
		}
		if (repeatable && skip_inputs)
			continue;
		/* [cooc] top is the neighbours per term, not [tfidf]'s top terms */
		const char *name = strcmp(e->section, "cooc") == 0 && strcmp(e->key, "top") == 0 ? "cooc-top" : e->key;
		bool takes_value = false;
		cli_option_info(name, &takes_value);
		size_t len = strlen(name) + 3;
		char *opt = malloc(len);
		if (!opt)
			return TD_ENOMEM;
		snprintf(opt, len, "--%s", name);
		if (!takes_value) {
			const char *v = e->value;
			bool on = !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1");
			bool off = !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0");
			if (!on && !off) {
				free(opt);
				cli_errorf("'%s' line %u: '%s' takes true or false, not '%s'", spec->path, e->line, e->key, v);
				return EXIT_USAGE;
			}
			if (off) {
				free(opt);
				continue;
			}
			if (args_push(a, opt, true))
				return TD_ENOMEM;
			continue;
		}
		if (e->value[0] == '\0') {
			free(opt);
			cli_errorf("'%s' line %u: '%s' needs a value", spec->path, e->line, e->key);
			return EXIT_USAGE;
		}
		if (args_push(a, opt, true) || args_push(a, e->value, false))
			return TD_ENOMEM;
	}
	return 0;
}

/* Writes s into buf as a gnuplot single-quoted string ('' for a quote). */
static int gp_quote(char *buf, size_t cap, const char *s)
{
	size_t at = 0;
	for (; *s; s++) {
		if (at + 3 >= cap)
			return -1;
		if (*s == '\'')
			buf[at++] = '\'';
		buf[at++] = *s;
	}
	buf[at] = '\0';
	return 0;
}

/* Whether a table has a row below its header (the by-date tables are
 * empty when no document has a date: there is nothing to draw). */
static bool has_rows(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return false;
	int c, lines = 0;
	while (lines < 1 && (c = getc(fp)) != EOF)
		lines += c == '\n';
	bool more = lines == 1 && getc(fp) != EOF;
	fclose(fp);
	return more;
}

/* Draws the charts whose tables were written and have rows; a missing
 * gnuplot or script, or a chart that fails, is a warning: the tables are the
 * results. */
static int draw_charts(const struct cli_opts *opts, const char *dir, const char *name, struct runinfo *ri,
		       struct td_diag *diag)
{
	if (opts->no_plots)
		return 0;
	char *plots = fs_join(dir, "plots");
	if (!plots || fs_mkdirs(plots, diag)) {
		free(plots);
		return plots ? TD_EIO : td_fail(diag, TD_ENOMEM, "out of memory");
	}
	const char *ext = opts->svg ? "svg" : "png";
	bool gnuplot_missing = false;
	int rc = 0;
	for (size_t i = 0; i < sizeof charts / sizeof *charts && !gnuplot_missing && rc == 0; i++) {
		const struct chart *c = &charts[i];
		if (!cli_wants(opts, c->table))
			continue;
		char script[4096], table[4096], out[4096], qdir[2048], qname[512], expr[3072];
		snprintf(script, sizeof script, "%s/%s.gp", opts->plot_scripts, c->name);
		snprintf(table, sizeof table, "%s/%s", dir, c->table);
		snprintf(out, sizeof out, "%s/%s.%s", plots, c->name, ext);
		struct stat st;
		if (!has_rows(table))
			continue;
		if (stat(script, &st) != 0) {
			td_warn(diag, "no chart script '%s': chart %s not drawn", script, c->name);
			continue;
		}
		if (gp_quote(qdir, sizeof qdir, dir) || gp_quote(qname, sizeof qname, name)) {
			td_warn(diag, "output path too long for gnuplot: no charts");
			break;
		}
		snprintf(expr, sizeof expr, "outdir='%s'; corpus='%s'; format='%s'", qdir, qname, ext);
		char *argv[] = { "gnuplot", "-e", expr, script, NULL };
		pid_t pid;
		int err = posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ);
		if (err == ENOENT) {
			td_warn(diag, "gnuplot is not installed: no charts (every table is written; "
				      "install gnuplot-nox to draw them)");
			gnuplot_missing = true;
			break;
		}
		int status = 0;
		if (err || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
		    stat(out, &st) != 0) {
			td_warn(diag, "chart %s failed (gnuplot %s): not drawn", c->name,
				err ? strerror(err) : "exited with an error");
			unlink(out);
			continue;
		}
		char rel[256];
		snprintf(rel, sizeof rel, "plots/%s.%s", c->name, ext);
		if (runinfo_add_chart(ri, rel, c->description))
			rc = td_fail(diag, TD_ENOMEM, "out of memory");
	}
	if (rc == 0 && rmdir(plots) != 0 && errno != ENOTEMPTY && errno != EEXIST)
		rc = td_fail(diag, TD_EIO, "cannot remove empty folder '%s': %s", plots, strerror(errno));
	free(plots);
	return rc;
}

/* The files written, for the user: where and what. */
static void print_summary(const struct runinfo *ri, const char *dir)
{
	printf("termdrift: results in %s/\n", dir);
	runinfo_print_outputs(ri, stdout);
}

int cmd_run(int argc, char **argv)
{
	const char *spec_path = DEFAULT_SPEC;
	int first_opt = 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			/* in parts: one string would pass what C compilers must support */
			fputs(run_help, stdout);
			fputs(CLI_TEXT_HELP, stdout);
			fputs(CLI_CORPUS_HELP, stdout);
			fputs(CLI_TF_HELP, stdout);
			fputs(CLI_WEIGHT_HELP, stdout);
			return EXIT_OK;
		}
	if (argc > 1 && argv[1][0] != '-') {
		spec_path = argv[1];
		first_opt = 2;
	}
	struct td_diag diag = { .warn = cli_warn_cb };
	struct spec *spec = NULL;
	struct args a = { 0 };
	struct cli_opts opts = { 0 };
	struct runinfo *ri = NULL;
	struct outdir od = { 0 };
	bool parsed = false;
	const char *fetch = NULL;
	int rc = spec_load(&spec, spec_path, &diag);
	if (rc) {
		rc = cli_fail(&diag, rc);
		goto out;
	}
	/* output/NAME unless the spec or the command line says otherwise */
	size_t out_len = strlen(spec->name) + 8;
	char *out_dir = malloc(out_len);
	if (out_dir)
		snprintf(out_dir, out_len, "output/%s", spec->name);
	if (!out_dir || args_push(&a, "run", false) || args_push(&a, "-o", false) || args_push(&a, out_dir, true)) {
		rc = cli_fail(&diag, TD_ENOMEM);
		goto out;
	}
	if ((rc = spec_to_args(spec, args_have_input(argc - first_opt, argv + first_opt), &a, &fetch))) {
		if (rc == TD_ENOMEM)
			rc = cli_fail(&diag, rc);
		goto out;
	}
	for (int i = first_opt; i < argc; i++)
		if (args_push(&a, argv[i], false)) {
			rc = cli_fail(&diag, TD_ENOMEM);
			goto out;
		}
	rc = cli_parse((int)a.n, a.v, "run", run_help, CLI_TF | CLI_WEIGHT | CLI_RUN | CLI_COOC | CLI_DRIFT | CLI_TOPICS,
		       &opts);
	parsed = true;
	if (rc) {
		rc = rc < 0 ? EXIT_OK : rc;
		goto out;
	}
	const char *known[64];
	size_t n_outputs = 0;
	for (size_t i = 0; tfidf_outputs[i] && n_outputs < 64; i++)
		known[n_outputs++] = tfidf_outputs[i];
	const char *const *more[] = { cooc_outputs, drift_outputs, topics_outputs };
	for (size_t j = 0; j < 3; j++)
		for (size_t i = 0; more[j][i] && n_outputs < 64; i++)
			known[n_outputs++] = more[j][i];
	if ((rc = cli_check_outputs(&opts, "run", known, n_outputs)))
		goto out;
	bool with_cooc = false, with_drift = false, with_topics = false;
	for (size_t i = 0; i < spec->n_sections; i++) {
		with_cooc = with_cooc || strcmp(spec->sections[i].name, "cooc") == 0;
		with_drift = with_drift || strcmp(spec->sections[i].name, "drift") == 0;
		with_topics = with_topics || strcmp(spec->sections[i].name, "topics") == 0;
	}
	if (with_cooc && opts.tf.ngram_min != 1) {
		cli_errorf("run: [cooc] counts words: [tokens] ngram must start at 1");
		rc = EXIT_USAGE;
		goto out;
	}
	opts.tf.keep_streams = with_cooc;
	diag.ctx = &opts.quiet;
	for (size_t i = 0; i < opts.n_inputs; i++) {
		struct stat st;
		if (stat(opts.inputs[i], &st) != 0) {
			if (fetch)
				cli_errorf("cannot open '%s': %s (fetch the corpus first: %s)", opts.inputs[i], strerror(errno),
					   fetch);
			else
				cli_errorf("cannot open '%s': %s", opts.inputs[i], strerror(errno));
			rc = EXIT_FAILURE_RUN;
			goto out;
		}
	}
	if ((rc = runinfo_new(&ri, "run", argc, argv)) || (rc = runinfo_spec(ri, spec))) {
		rc = cli_fail(&diag, TD_ENOMEM);
		goto out;
	}
	if ((rc = outdir_begin(&od, opts.out_dir, &diag))) {
		rc = cli_fail(&diag, rc);
		goto out;
	}
	struct cli_opts stage = opts;
	stage.out_dir = od.tmp_path;
	struct matrix m = { 0 };
	/* the corpus is read once: every stage works on the same matrix */
	if ((rc = matrix_build(&stage, ri, &m, &diag)) || (rc = matrix_record_params(ri, &stage, &m, &diag)) ||
	    (rc = tfidf_stage(&stage, &m, ri, &diag)) ||
	    (with_cooc && (rc = cooc_pipeline(&stage, &m, ri, &diag))) ||
	    (with_drift && (rc = drift_stage(&stage, &m, ri, &diag))) ||
	    (with_topics && (rc = topics_stage(&stage, &m, ri, &diag))) ||
	    (rc = draw_charts(&stage, od.tmp_path, spec->name, ri, &diag)) ||
	    (rc = runinfo_write(ri, od.tmp_path, &diag)) || (rc = outdir_commit(&od, &diag))) {
		matrix_free(&m);
		rc = cli_fail(&diag, rc);
		goto out;
	}
	matrix_free(&m);
	if (!opts.quiet)
		print_summary(ri, opts.out_dir);
out:
	outdir_abort(&od);
	runinfo_free(ri);
	if (parsed)
		cli_opts_free(&opts);
	args_free(&a);
	spec_free(spec);
	td_diag_free(&diag);
	return rc;
}
