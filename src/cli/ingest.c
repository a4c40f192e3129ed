/* ingest.c - termdrift ingest: read, clean and account for every document. */
#include <stdio.h>

#include "cli.h"

static const char ingest_help[] =
	"usage: termdrift ingest -i IN [-i IN ...] [-o DIR] [options]\n"
	"\n"
	"Reads the documents, removes boilerplate lines, marks near-duplicates and\n"
	"writes docs.csv (one row per input document, with its status), boilerplate.csv,\n"
	"duplicates.csv and manifest.json into DIR.\n"
	"\n" CLI_CORPUS_HELP;

struct ingest_ctx {
	struct docs_report report;
	struct progress progress;
	struct td_diag *diag;
};

static int ingest_doc(void *ctx, const struct corpus_doc *cd)
{
	struct ingest_ctx *ic = ctx;
	progress_doc(&ic->progress, cd->doc->n_bytes);
	int rc = docs_report_row(&ic->report, cd);
	if (rc)
		return td_fail(ic->diag, rc, "cannot write docs.csv");
	return 0;
}

int cmd_ingest(int argc, char **argv)
{
	struct cli_opts opts;
	int rc = cli_parse(argc, argv, "ingest", ingest_help, 0, &opts);
	if (rc) {
		cli_opts_free(&opts);
		return rc < 0 ? EXIT_OK : rc;
	}
	struct td_diag diag = { .warn = cli_warn_cb, .ctx = &opts.quiet };
	struct ingest_ctx ic = { .diag = &diag };
	struct runinfo *ri = NULL;
	struct corpus *corpus = NULL;
	if ((rc = runinfo_new(&ri, "ingest", argc, argv))) {
		td_fail(&diag, rc, "out of memory");
		goto out;
	}
	if ((rc = docs_report_open(&ic.report, &opts, &diag)))
		goto out;
	progress_init(&ic.progress, &opts);
	double start = runinfo_now();
	struct corpus_hooks hooks = { .emit = ingest_doc, .emit_ctx = &ic };
	rc = corpus_run(&corpus, &opts.corpus, &hooks, &diag);
	progress_end(&ic.progress);
	if (rc)
		goto out;
	runinfo_stage_time(ri, "ingest", runinfo_now() - start);
	if ((rc = docs_report_finish(&ic.report, corpus, &opts, ri, &diag)))
		goto out;
	if ((rc = cli_record_params(ri, &opts, corpus, &diag)))
		goto out;
	rc = runinfo_write(ri, opts.out_dir, &diag);
out:
	docs_report_abort(&ic.report);
	if (rc && ri)
		runinfo_remove_outputs(ri, opts.out_dir);
	corpus_free(corpus);
	runinfo_free(ri);
	cli_opts_free(&opts);
	int status = rc ? cli_fail(&diag, rc) : EXIT_OK;
	td_diag_free(&diag);
	return status;
}
