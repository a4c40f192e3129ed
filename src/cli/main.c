/* main.c - the termdrift command: a table of subcommands over libtermdrift. */
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "cleanup.h"
#include "cli.h"
#include "version.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{ "ingest", cmd_ingest, "read, clean and deduplicate: docs.csv, boilerplate.csv, duplicates.csv" },
	{ "tokens", cmd_tokens, "the tokens of every document: tokens.csv" },
	{ "tf", cmd_tf, "the vocabulary and term counts: vocab.csv, tf.csv, dtm.mtx" },
	{ "tfidf", cmd_tfidf, "TF-IDF by document and by date: tfidf.csv, top_terms_by_*.csv" },
	{ "cooc", cmd_cooc, "co-occurrences and association: cooc.csv, neighbors.csv, neighbors_by_day.csv" },
	{ "drift", cmd_drift, "term drift between date bins: drift_by_day.csv, term_trends.csv" },
	{ "topics", cmd_topics, "NMF or LDA topics and their drift: topics.csv, topic_prevalence_by_day.csv" },
	{ "run", cmd_run, "a whole analysis from a spec (default analyses/seeds.ini), with charts" },
};

static void usage(FILE *fp)
{
	fputs("usage: termdrift COMMAND [options]   (termdrift COMMAND --help for its options)\n"
	      "\n"
	      "Statistical text analytics for collections of dated documents.\n"
	      "\n"
	      "Commands:\n",
	      fp);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(fp, "  %-8s %s\n", commands[i].name, commands[i].help);
	fputs("\nOptions:\n  --help     this text\n  --version  the version\n", fp);
}

int main(int argc, char **argv)
{
#ifdef M_MMAP_THRESHOLD
	/* Documents of tens or hundreds of KB are allocated and freed one after
	 * another; glibc would map and unmap each (a page fault per 4 KB).  Keep
	 * them on the heap instead.  Arrays past 1 MB (counts, the matrix) are
	 * mapped: realloc then moves pages instead of copying them, and a freed
	 * array leaves no hole in the heap (a 64 MB threshold cost 20% more peak
	 * memory on the SOTU benchmark). */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
	/* GSL's default error handler aborts the process (on a failed
	 * allocation, say); off, the library's checks report TD_ENOMEM instead */
	gsl_set_error_handler_off();
	/* SIGINT, SIGTERM, SIGHUP: temporary files removed, earlier outputs kept */
	cleanup_on_signals();
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(name, "--version") == 0) {
		printf("termdrift %s\n", TERMDRIFT_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	cli_errorf("'%s' is not a termdrift command (see termdrift --help)", name);
	return EXIT_USAGE;
}
