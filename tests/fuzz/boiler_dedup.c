/* boiler_dedup.c - fuzz target: the cleaning stage, boilerplate removal
 * (boiler.h) then near-duplicate detection (dedup.h), over a small corpus.
 *
 * Input: documents separated by 0x1E (record separator); when the input
 * holds a 0x1F (unit separator), what comes before it is the phrase list,
 * else the embedded English list is used.  Each document is repaired to
 * valid UTF-8 first, as the readers hand documents over.
 *
 * Boilerplate properties:
 *   - counting the documents in two removers (even and odd documents) and
 *     merging them gives what one remover counting all of them gives: the
 *     same threshold, the same text out of every boiler_strip;
 *   - boiler_strip only removes lines: the text out is no longer than the
 *     text in, NUL-terminated, valid UTF-8, with LF line ends only, and
 *     stripping it again removes nothing and changes nothing;
 *   - each reported line is non-empty valid UTF-8, removed from at least
 *     one and at most all of the documents.
 * Dedup properties (on the stripped documents' tokens, stopwords
 * included, as termdrift does):
 *   - dedup_add and dedup_sketch + dedup_add_sketch agree;
 *   - a duplicate points to an earlier document, with a similarity at or
 *     above the threshold equal to dedup_jaccard of the two; the similarity
 *     is in [0, 1];
 *   - a document with the same tokens as an earlier one (and some tokens)
 *     is a duplicate with similarity 1; a document with no tokens is none;
 *   - against every earlier document (brute force): no earlier document
 *     is more similar than the one chosen, and one at or above the
 *     threshold is always found (LSH misses a pair at Jaccard 0.8 with
 *     probability 1e-28);
 *   - the pairs are sorted by doc_b then doc_a, doc_a < doc_b, at or above
 *     report_min, with their exact Jaccard.
 * The same with one-word shingles and report_min 0, for more candidates.
 */
#include "fuzz.h"

#include "boiler.h"
#include "dedup.h"
#include "embedded.h"
#include "error.h"
#include "reader.h"
#include "tokenize.h"

#define MAX_DOCS 64

struct corpus {
	char *text[MAX_DOCS];
	size_t len[MAX_DOCS];
	size_t n;
	const char *phrases;
	size_t phrases_len;
};

static void split_corpus(const uint8_t *data, size_t size, struct corpus *c)
{
	const uint8_t *p = data, *end = data + size;
	const uint8_t *us = memchr(data, 0x1F, size);
	c->n = 0;
	if (us) {
		c->phrases = (const char *)data;
		c->phrases_len = (size_t)(us - data);
		p = us + 1;
	} else {
		c->phrases = embedded_boilerplate_en;
		c->phrases_len = embedded_boilerplate_en_len;
	}
	while (c->n < MAX_DOCS) {
		const uint8_t *rs = memchr(p, 0x1E, (size_t)(end - p));
		const uint8_t *doc_end = rs ? rs : end;
		size_t n_invalid;
		FUZZ_CHECK(utf8_repair((const char *)p, (size_t)(doc_end - p), &c->text[c->n], &c->len[c->n],
				       &n_invalid) == 0);
		c->n++;
		if (!rs)
			break;
		p = rs + 1;
	}
}

/* The number of lines as boiler.c counts them: a line ends at LF, CRLF or
 * a lone CR. */
static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0, i = 0;
	while (i < len) {
		while (i < len && s[i] != '\n' && s[i] != '\r')
			i++;
		n++;
		if (i < len && s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			i++;
		if (i < len)
			i++;
	}
	return n;
}

struct report_check {
	size_t n_docs;
	size_t n_lines;
};

static int check_report_line(void *ctx, const char *line, size_t n_docs, enum boiler_reason why)
{
	struct report_check *rc = ctx;
	FUZZ_CHECK(line[0] != '\0');
	FUZZ_CHECK(fuzz_valid_string(line));
	FUZZ_CHECK(n_docs >= 1 && n_docs <= rc->n_docs);
	FUZZ_CHECK(why == BOILER_PHRASE || why == BOILER_REPEATED);
	rc->n_lines++;
	return 0;
}

/* Strips every document with both removers; the stripped texts go to out. */
static void check_boiler(struct corpus *c, char **out, size_t *out_len)
{
	struct boiler *all, *even, *odd;
	FUZZ_CHECK(boiler_new(&all, c->phrases, c->phrases_len, 0.05, NULL) == 0);
	FUZZ_CHECK(boiler_new(&even, c->phrases, c->phrases_len, 0.05, NULL) == 0);
	FUZZ_CHECK(boiler_new(&odd, c->phrases, c->phrases_len, 0.05, NULL) == 0);
	for (size_t i = 0; i < c->n; i++) {
		FUZZ_CHECK(boiler_count(all, c->text[i], c->len[i]) == 0);
		FUZZ_CHECK(boiler_count(i % 2 ? odd : even, c->text[i], c->len[i]) == 0);
	}
	FUZZ_CHECK(boiler_merge(even, odd) == 0);
	boiler_finish(all);
	boiler_finish(even);
	FUZZ_CHECK(boiler_threshold(all) == boiler_threshold(even));
	FUZZ_CHECK(boiler_threshold(all) >= 3);
	for (size_t i = 0; i < c->n; i++) {
		char *merged, *again;
		size_t merged_len, again_len, n_removed, merged_removed, again_removed;
		FUZZ_CHECK(boiler_strip(all, c->text[i], c->len[i], &out[i], &out_len[i], &n_removed) == 0);
		FUZZ_CHECK(boiler_strip(even, c->text[i], c->len[i], &merged, &merged_len, &merged_removed) == 0);
		FUZZ_CHECK(merged_removed == n_removed && merged_len == out_len[i]);
		FUZZ_CHECK(memcmp(merged, out[i], out_len[i]) == 0);
		free(merged);

		FUZZ_CHECK(out_len[i] <= c->len[i]);
		FUZZ_CHECK(out[i][out_len[i]] == '\0' && strlen(out[i]) == out_len[i]);
		FUZZ_CHECK(fuzz_valid_utf8(out[i], out_len[i]));
		FUZZ_CHECK(memchr(out[i], '\r', out_len[i]) == NULL);
		FUZZ_CHECK(n_removed <= count_lines(c->text[i], c->len[i]));

		FUZZ_CHECK(boiler_strip(all, out[i], out_len[i], &again, &again_len, &again_removed) == 0);
		FUZZ_CHECK(again_removed == 0);
		FUZZ_CHECK(again_len == out_len[i] && memcmp(again, out[i], again_len) == 0);
		free(again);
	}
	/* The report counts documents: the strips of the stripped texts above
	 * removed nothing, so at most c->n of them. */
	struct report_check rc = { c->n, 0 };
	FUZZ_CHECK(boiler_report(all, check_report_line, &rc) == 0);
	boiler_free(all);
	boiler_free(even);
	boiler_free(odd);
}

/* The words of one tokenized document, as dedup takes them. */
struct words {
	const char **word;
	uint32_t *len;
	size_t n;
};

static void check_dedup(const struct dedup_opts *opts, struct token_list *lists, size_t n_docs)
{
	struct dedup *d, *ds;
	FUZZ_CHECK(dedup_new(&d, opts, NULL) == 0);
	FUZZ_CHECK(dedup_new(&ds, opts, NULL) == 0);
	struct words w[MAX_DOCS];
	for (size_t i = 0; i < n_docs; i++) {
		const struct token_list *l = &lists[i];
		w[i].n = l->n;
		w[i].word = malloc((l->n + 1) * sizeof *w[i].word);
		w[i].len = malloc((l->n + 1) * sizeof *w[i].len);
		FUZZ_CHECK(w[i].word && w[i].len);
		for (size_t k = 0; k < l->n; k++) {
			w[i].word[k] = token_str(l, k);
			w[i].len[k] = l->items[k].len;
		}
		size_t dup_of, dup_of_s;
		double sim, sim_s;
		FUZZ_CHECK(dedup_add(d, w[i].word, w[i].len, w[i].n, &dup_of, &sim) == 0);
		struct dedup_sketch sketch;
		FUZZ_CHECK(dedup_sketch(ds, w[i].word, w[i].len, w[i].n, &sketch) == 0);
		FUZZ_CHECK(dedup_add_sketch(ds, &sketch, &dup_of_s, &sim_s) == 0);
		FUZZ_CHECK(sketch.shingles == NULL);
		dedup_sketch_free(&sketch);
		FUZZ_CHECK(dup_of == dup_of_s && sim == sim_s);

		FUZZ_CHECK(sim >= 0.0 && sim <= 1.0);
		if (w[i].n == 0)
			FUZZ_CHECK(dup_of == SIZE_MAX && sim == 0.0);
		if (dup_of != SIZE_MAX) {
			FUZZ_CHECK(dup_of < i);
			FUZZ_CHECK(sim >= opts->threshold);
			FUZZ_CHECK(sim == dedup_jaccard(d, dup_of, i));
		}
		/* brute force over the earlier documents */
		size_t best = SIZE_MAX;
		double best_j = -1.0;
		for (size_t k = 0; k < i; k++) {
			double j = dedup_jaccard(d, k, i);
			FUZZ_CHECK(j >= 0.0 && j <= 1.0);
			FUZZ_CHECK(j == dedup_jaccard(d, i, k));
			if (w[i].n == 0 || w[k].n == 0)
				continue;
			if (j > best_j) {
				best_j = j;
				best = k;
			}
			bool same = w[i].n == w[k].n;
			for (size_t t = 0; same && t < w[i].n; t++)
				same = w[i].len[t] == w[k].len[t] && memcmp(w[i].word[t], w[k].word[t], w[i].len[t]) == 0;
			if (same)
				FUZZ_CHECK(dup_of != SIZE_MAX && sim == 1.0);
		}
		FUZZ_CHECK(sim <= best_j || best == SIZE_MAX);
		if (best != SIZE_MAX && best_j >= opts->threshold)
			FUZZ_CHECK(dup_of == best && sim == best_j);
		else
			FUZZ_CHECK(dup_of == SIZE_MAX);
	}
	size_t n_pairs;
	const struct dedup_pair *pairs = dedup_pairs(d, &n_pairs);
	for (size_t p = 0; p < n_pairs; p++) {
		FUZZ_CHECK(pairs[p].doc_a < pairs[p].doc_b && pairs[p].doc_b < n_docs);
		FUZZ_CHECK(pairs[p].jaccard >= opts->report_min);
		FUZZ_CHECK(pairs[p].jaccard == dedup_jaccard(d, pairs[p].doc_a, pairs[p].doc_b));
		if (p > 0)
			FUZZ_CHECK(pairs[p - 1].doc_b < pairs[p].doc_b ||
				   (pairs[p - 1].doc_b == pairs[p].doc_b && pairs[p - 1].doc_a < pairs[p].doc_a));
	}
	for (size_t i = 0; i < n_docs; i++) {
		free(w[i].word);
		free(w[i].len);
	}
	dedup_free(d);
	dedup_free(ds);
}

void fuzz_boiler_dedup(const uint8_t *data, size_t size)
{
	static struct tokenizer *tok;
	static struct stopwords *stop;
	if (!tok) {
		FUZZ_CHECK(stopwords_load(&stop, "en", NULL) == 0);
		struct tokenizer_opts topts = { .mode = TOK_DEFAULT, .stop = stop };
		FUZZ_CHECK(tokenizer_new(&tok, &topts, NULL) == 0);
	}
	struct corpus c;
	split_corpus(data, size, &c);
	char *out[MAX_DOCS];
	size_t out_len[MAX_DOCS];
	check_boiler(&c, out, out_len);

	struct token_list lists[MAX_DOCS];
	memset(lists, 0, sizeof lists);
	for (size_t i = 0; i < c.n; i++)
		FUZZ_CHECK(tokenizer_run(tok, out[i], out_len[i], &lists[i]) == 0);
	struct dedup_opts opts;
	dedup_opts_default(&opts);
	check_dedup(&opts, lists, c.n);
	opts.shingle = 1;
	opts.report_min = 0.0;
	opts.threshold = 0.5;
	check_dedup(&opts, lists, c.n);

	for (size_t i = 0; i < c.n; i++) {
		token_list_free(&lists[i]);
		free(out[i]);
		free(c.text[i]);
	}
}

FUZZ_ENTRY(fuzz_boiler_dedup)
