/* tf.c - termdrift tf: the vocabulary and the document-term counts. */
#include <stdio.h>

#include "cli.h"

static const char tf_help[] =
	"usage: termdrift tf -i IN [-i IN ...] [-o DIR] [options]\n"
	"\n"
	"Writes vocab.csv (term_id, term, df, cf), tf.csv (doc_id, term_id, term, count),\n"
	"dtm.mtx (Matrix Market: rows in docs.csv order, columns term_id + 1), docs.csv,\n"
	"boilerplate.csv, duplicates.csv and manifest.json.\n"
	"\n" CLI_CORPUS_HELP CLI_TF_HELP;

int cmd_tf(int argc, char **argv)
{
	struct cli_opts opts;
	static const char *const outputs[] = { "vocab.csv", "tf.csv", "dtm.mtx", "boilerplate.csv", "duplicates.csv" };
	int rc = cli_parse(argc, argv, "tf", tf_help, CLI_TF, &opts);
	if (rc == 0)
		rc = cli_check_outputs(&opts, "tf", outputs, sizeof outputs / sizeof *outputs);
	if (rc) {
		cli_opts_free(&opts);
		return rc < 0 ? EXIT_OK : rc;
	}
	struct td_diag diag = { .warn = cli_warn_cb, .ctx = &opts.quiet };
	struct runinfo *ri = NULL;
	struct matrix m = { 0 };
	if ((rc = runinfo_new(&ri, "tf", argc, argv))) {
		td_fail(&diag, rc, "out of memory");
		goto out;
	}
	if ((rc = matrix_build(&opts, ri, &m, &diag)))
		goto out;
	double start = runinfo_now();
	if ((rc = matrix_write_vocab(&opts, &m, NULL, ri, &diag)) ||
	    (rc = matrix_write_counts(&opts, &m, ri, &diag)))
		goto out;
	runinfo_stage_time(ri, "write", runinfo_now() - start);
	if ((rc = matrix_record_params(ri, &opts, &m, &diag)))
		goto out;
	rc = runinfo_write(ri, opts.out_dir, &diag);
out:
	matrix_free(&m);
	if (rc && ri)
		runinfo_remove_outputs(ri, opts.out_dir);
	runinfo_free(ri);
	cli_opts_free(&opts);
	int status = rc ? cli_fail(&diag, rc) : EXIT_OK;
	td_diag_free(&diag);
	return status;
}
