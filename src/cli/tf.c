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

/* vocab.csv, tf.csv and dtm.mtx. */
static int tf_stage(const struct cli_opts *opts, struct matrix *m, struct runinfo *ri, struct td_diag *diag)
{
	double start = runinfo_now();
	int rc = matrix_write_vocab(opts, m, NULL, ri, diag);
	if (rc == 0)
		rc = matrix_write_counts(opts, m, ri, diag);
	if (rc == 0)
		runinfo_stage_time(ri, "write", runinfo_now() - start);
	return rc;
}

int cmd_tf(int argc, char **argv)
{
	static const char *const outputs[] = { "vocab.csv", "tf.csv", "dtm.mtx", "boilerplate.csv", "duplicates.csv",
					       NULL };
	return cli_matrix_command(argc, argv, "tf", tf_help, CLI_TF, outputs, NULL, tf_stage);
}
