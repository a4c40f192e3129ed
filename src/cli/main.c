/* main.c - the termdrift command: a table of subcommands over libtermdrift. */
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if defined(__GLIBC__) && defined(__linux__)
#include <sys/auxv.h>
#endif

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

/* glibc's tunable for transparent huge pages in malloc (glibc 2.35 on). */
#define HUGE_PAGES_TUNABLE "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"

/* Starts termdrift again with malloc's memory in transparent huge pages
 * (glibc.malloc.hugetlb=1: the heap and the mapped blocks are advised
 * MADV_HUGEPAGE), unless GLIBC_TUNABLES is set (by the user, or by this
 * very call); returns when it cannot.  A tunable is read only from the
 * environment a program starts with, hence the second start (3 ms).
 * Memory is touched a page at a time, and where a page fault is costly (a
 * virtual machine's: 9 us for each 4 KB page, 0.2 us per 4 KB of a 2 MB
 * page, measured on the benchmark machine) a run paid more for faults than
 * for anything it computed: SOTU x10 with bigrams took 35,000 faults on
 * one thread, 5,600 with huge pages, and 1.84 s became 1.71 s (two threads:
 * 1.59 s became 1.03 s).  GLIBC_TUNABLES set to anything (even empty)
 * keeps the first start.  Not when /proc/self/exe is not termdrift: under
 * valgrind (its preloaded libraries in LD_PRELOAD tell), whose loader the
 * exec left ("You cannot run ... directly"), and when the dynamic loader was
 * run with termdrift as its argument (no interpreter in the auxiliary
 * vector: AT_BASE is 0), which the exec would run with "tfidf" as the
 * program. */
static void start_with_huge_pages(char **argv)
{
#if defined(__GLIBC__) && defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
	extern char **environ;
	const char *preload = getenv("LD_PRELOAD");
	if (getenv("GLIBC_TUNABLES") || (preload && strstr(preload, "vgpreload")) || getauxval(AT_BASE) == 0)
		return;
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = malloc((n + 2) * sizeof *env);
	if (!env)
		return;
	memcpy(env, environ, n * sizeof *env);
	env[n] = (char *)HUGE_PAGES_TUNABLE;
	env[n + 1] = NULL;
	execve("/proc/self/exe", argv, env);
	free(env);  /* not started again (no /proc, say): this start goes on */
#else
	(void)argv;
#endif
}

int main(int argc, char **argv)
{
	start_with_huge_pages(argv);
#ifdef M_MMAP_THRESHOLD
	/* Documents of tens or hundreds of KB are allocated and freed one after
	 * another; glibc would map and unmap each (a page fault per 4 KB).  Keep
	 * them on the heap instead.  Arrays past 1 MB (counts, the matrix) are
	 * mapped: realloc then moves pages instead of copying them, and a freed
	 * array leaves no hole in the heap (a 64 MB threshold cost 20% more peak
	 * memory on the SOTU benchmark). */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	/* The heap grows 64 MB at a time: with huge pages (above), each growth
	 * is advised, and a growth of a few KB, as without this, holds no whole
	 * 2 MB page (the faults of SOTU x10 with bigrams: 16,900 with a 16 MB
	 * pad, 11,900 with 32 MB, 5,600 with 64 MB; peak memory 219, 228 and
	 * 230 MB). */
	mallopt(M_TOP_PAD, 64 << 20);
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
