/* bench_tokenize.c - tokenizer throughput.
 *
 *   bench_tokenize [-n TIMES] [--sklearn] [--stopwords en|none|FILE] [--stem LANG] PATH...
 *
 * Reads every file given (a folder: the regular files in it, sorted by
 * name) into memory, then tokenizes each file's text as one document, the
 * whole set TIMES times (default 1), with one tokenizer and one token list as
 * a real run would.  Only the tokenizing is timed.  Prints one line:
 *   tokenize MODE: BYTES bytes, TOKENS tokens, SECONDS s, MB/s (10^6 bytes)
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "tokenize.h"

struct doc {
	char *text;
	size_t len;
};

struct docs {
	struct doc *items;
	size_t n, cap;
};

static int read_doc(struct docs *docs, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench_tokenize: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	char *text = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			char *p = realloc(text, cap);
			if (!p) {
				fclose(f);
				free(text);
				fprintf(stderr, "bench_tokenize: out of memory reading '%s'\n", path);
				return -1;
			}
			text = p;
		}
		size_t got = fread(text + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		fprintf(stderr, "bench_tokenize: cannot read '%s'\n", path);
		free(text);
		return -1;
	}
	if (docs->n == docs->cap) {
		size_t new_cap = docs->cap ? 2 * docs->cap : 256;
		struct doc *p = realloc(docs->items, new_cap * sizeof *p);
		if (!p) {
			free(text);
			fprintf(stderr, "bench_tokenize: out of memory\n");
			return -1;
		}
		docs->items = p;
		docs->cap = new_cap;
	}
	docs->items[docs->n++] = (struct doc){ text, len };
	return 0;
}

static int only_files(const struct dirent *entry)
{
	return entry->d_name[0] != '.';
}

/* Reads a file, or the regular files of a folder in name order. */
static int read_path(struct docs *docs, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "bench_tokenize: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return read_doc(docs, path);
	struct dirent **entries;
	int n = scandir(path, &entries, only_files, alphasort);
	if (n < 0) {
		fprintf(stderr, "bench_tokenize: cannot read folder '%s': %s\n", path, strerror(errno));
		return -1;
	}
	int err = 0;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(entries[i]->d_name) + 2;
		char *file = malloc(len);
		if (!file) {
			err = -1;
		} else {
			snprintf(file, len, "%s/%s", path, entries[i]->d_name);
			if (!err && stat(file, &st) == 0 && S_ISREG(st.st_mode))
				err = read_doc(docs, file);
		}
		free(file);
		free(entries[i]);
	}
	free(entries);
	return err;
}

static int parse_times(const char *arg, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(arg, &end, 10);
	if (errno || end == arg || *end || n < 1 || n > 100000)
		return -1;
	*out = n;
	return 0;
}

static void usage(void)
{
	fputs("usage: bench_tokenize [-n TIMES] [--sklearn] [--stopwords en|none|FILE] [--stem LANG] PATH...\n",
	      stderr);
}

int main(int argc, char **argv)
{
	long times = 1;
	const char *stop_name = "en";
	struct tokenizer_opts opts = { .mode = TOK_DEFAULT };
	struct docs docs = { 0 };
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			if (parse_times(argv[++i], &times) != 0) {
				fprintf(stderr, "bench_tokenize: bad -n '%s'\n", argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "--sklearn") == 0) {
			opts.mode = TOK_SKLEARN;
		} else if (strcmp(argv[i], "--stopwords") == 0 && i + 1 < argc) {
			stop_name = argv[++i];
		} else if (strcmp(argv[i], "--stem") == 0 && i + 1 < argc) {
			opts.stem = argv[++i];
		} else {
			usage();
			return 2;
		}
	}
	if (i == argc) {
		usage();
		return 2;
	}
	for (; i < argc; i++)
		if (read_path(&docs, argv[i]) != 0)
			return 1;

	struct td_diag diag = { 0 };
	struct stopwords *stop = NULL;
	struct tokenizer *tok = NULL;
	int err = stopwords_load(&stop, stop_name, &diag);
	opts.stop = stop;
	if (!err)
		err = tokenizer_new(&tok, &opts, &diag);
	if (err) {
		fprintf(stderr, "bench_tokenize: %s\n", diag.error ? diag.error : td_strerror(err));
		td_diag_free(&diag);
		stopwords_free(stop);
		return 1;
	}

	struct token_list list = { 0 };
	unsigned long long bytes = 0, tokens = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long rep = 0; rep < times && !err; rep++) {
		for (size_t d = 0; d < docs.n && !err; d++) {
			err = tokenizer_run(tok, docs.items[d].text, docs.items[d].len, &list);
			bytes += docs.items[d].len;
			tokens += list.n;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (err) {
		fprintf(stderr, "bench_tokenize: %s\n", td_strerror(err));
	} else {
		printf("tokenize %s%s%s%s: %llu bytes, %llu tokens, %.3f s, %.1f MB/s\n",
		       opts.mode == TOK_SKLEARN ? "sklearn" : "default", " stopwords=", stop_name,
		       opts.stem ? (strcmp(opts.stem, "none") ? " stem" : "") : "", bytes, tokens, seconds,
		       seconds > 0 ? (double)bytes / 1e6 / seconds : 0.0);
	}

	token_list_free(&list);
	tokenizer_free(tok);
	stopwords_free(stop);
	for (size_t d = 0; d < docs.n; d++)
		free(docs.items[d].text);
	free(docs.items);
	return err ? 1 : 0;
}
