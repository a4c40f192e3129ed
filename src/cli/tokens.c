/* tokens.c - termdrift tokens: every token of every analysed document. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char tokens_help[] =
	"usage: termdrift tokens -i IN [-i IN ...] [-o DIR|-] [options]\n"
	"\n"
	"Writes tokens.csv (doc_id, sentence, position, token, byte_offset): the tokens\n"
	"of each analysed document after cleaning and stopword removal, with docs.csv,\n"
	"boilerplate.csv, duplicates.csv and manifest.json.  With -o - only tokens.csv is\n"
	"written, to standard output.  sentence and position count from 0 within the\n"
	"document; byte_offset is the token's offset in the cleaned text.\n"
	"\n" CLI_CORPUS_HELP;

struct tokens_ctx {
	struct docs_report report;
	struct csv_out tokens;
	bool to_stdout;
	struct progress progress;
	struct td_diag *diag;
};

static int tokens_doc(void *ctx, const struct corpus_doc *cd)
{
	struct tokens_ctx *tc = ctx;
	progress_doc(&tc->progress, cd->doc->n_bytes);
	if (!tc->to_stdout && docs_report_row(&tc->report, cd))
		return td_fail(tc->diag, TD_EIO, "cannot write docs.csv");
	if (!cd->analysed)
		return 0;
	const struct token_list *list = cd->tokens;
	struct csv_out *csv = &tc->tokens;
	uint64_t position = 0;
	for (size_t i = 0; i < list->n; i++) {
		const struct token *t = &list->items[i];
		if (t->flags & TOKEN_STOP)
			continue;
		csv_out_str(csv, cd->doc->id);
		csv_out_uint(csv, t->sentence);
		csv_out_uint(csv, position++);
		csv_out_strn(csv, token_str(list, i), t->len);
		csv_out_uint(csv, t->byte_offset);
		if (csv_out_end_row(csv))
			return td_fail(tc->diag, TD_EIO, "cannot write tokens.csv");
	}
	return 0;
}

int cmd_tokens(int argc, char **argv)
{
	static const char *const columns[] = { "doc_id", "sentence", "position", "token", "byte_offset" };
	struct cli_opts opts;
	int rc = cli_parse(argc, argv, "tokens", tokens_help, 0, &opts);
	if (rc) {
		cli_opts_free(&opts);
		return rc < 0 ? EXIT_OK : rc;
	}
	struct td_diag diag = { .warn = cli_warn_cb, .ctx = &opts.quiet };
	struct tokens_ctx tc = { .diag = &diag, .to_stdout = strcmp(opts.out_dir, "-") == 0 };
	bool tokens_open = false;
	struct runinfo *ri = NULL;
	struct corpus *corpus = NULL;
	if ((rc = runinfo_new(&ri, "tokens", argc, argv))) {
		td_fail(&diag, rc, "out of memory");
		goto out;
	}
	if (!tc.to_stdout && (rc = docs_report_open(&tc.report, &opts, &diag)))
		goto out;
	if ((rc = csv_out_open(&tc.tokens, opts.out_dir, "tokens.csv", columns, 5, opts.precision, &diag)))
		goto out;
	tokens_open = true;
	progress_init(&tc.progress, &opts);
	double start = runinfo_now();
	struct corpus_hooks hooks = { .emit = tokens_doc, .emit_ctx = &tc, .emit_tokens = true };
	rc = corpus_run(&corpus, &opts.corpus, &hooks, &diag);
	progress_end(&tc.progress);
	if (rc)
		goto out;
	runinfo_stage_time(ri, "tokens", runinfo_now() - start);
	tokens_open = false;
	if (tc.to_stdout) {
		rc = csv_out_commit(&tc.tokens, &diag);
		goto out;
	}
	if ((rc = runinfo_commit_table(ri, &tc.tokens,
				       "tokens of the analysed documents (stopwords removed), in document order", &diag)))
		goto out;
	if ((rc = docs_report_finish(&tc.report, corpus, &opts, ri, &diag)))
		goto out;
	if ((rc = cli_record_params(ri, &opts, corpus, &diag)))
		goto out;
	rc = runinfo_write(ri, opts.out_dir, &diag);
out:
	if (tokens_open)
		csv_out_abort(&tc.tokens);
	if (rc && ri && !tc.to_stdout)
		runinfo_remove_outputs(ri, opts.out_dir);
	csv_out_free(&tc.tokens);
	docs_report_abort(&tc.report);
	corpus_free(corpus);
	runinfo_free(ri);
	cli_opts_free(&opts);
	int status = rc ? cli_fail(&diag, rc) : EXIT_OK;
	td_diag_free(&diag);
	return status;
}
