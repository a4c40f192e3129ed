/* corpus.c - from input files to cleaned, tokenized documents (see corpus.h). */
#include "corpus.h"

#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "embedded.h"
#include "hash.h"

struct corpus {
	struct reader *reader;
	struct boiler *boiler;
	struct dedup *dedup;
	char **ids;                 /* doc_id per document index */
	size_t n_docs, cap_docs;
	size_t *dedup_doc;          /* document index of each document added to dedup */
	size_t n_dedup, cap_dedup;
	struct dedup_pair *pairs;   /* dedup pairs in document indices */
	size_t n_pairs;
};

/* The scratch space reused from document to document. */
struct scratch {
	struct token_list tokens;
	const char **words;
	uint32_t *word_lens;
	size_t words_cap;
	uint32_t *type_slots;       /* open-addressing set of token indices, stamped */
	uint32_t *type_stamp;
	size_t type_cap;
	uint32_t stamp;
};

void corpus_opts_default(struct corpus_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->boilerplate = true;
	opts->boilerplate_min_frac = 0.05;
	opts->dedup = DEDUP_MARK;
	opts->dup_threshold = 0.8;
	opts->stopwords = "en";
	opts->today = date_today();
}

static int grow(void **items, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t new_cap = *cap ? *cap : 64;
	while (new_cap < need)
		new_cap *= 2;
	void *p = realloc(*items, new_cap * size);
	if (!p)
		return TD_ENOMEM;
	*items = p;
	*cap = new_cap;
	return 0;
}

/* Counts the distinct non-stopword token forms of a document. */
static int count_types(struct scratch *s, size_t *n_types)
{
	const struct token_list *list = &s->tokens;
	size_t need = 16;
	while (need < 2 * list->n)
		need *= 2;
	if (need > s->type_cap) {
		free(s->type_slots);
		free(s->type_stamp);
		s->type_slots = malloc(need * sizeof *s->type_slots);
		s->type_stamp = calloc(need, sizeof *s->type_stamp);
		if (!s->type_slots || !s->type_stamp) {
			s->type_cap = 0;
			return TD_ENOMEM;
		}
		s->type_cap = need;
		s->stamp = 0;
	}
	if (++s->stamp == 0) {  /* the stamp wrapped: forget every slot */
		memset(s->type_stamp, 0, s->type_cap * sizeof *s->type_stamp);
		s->stamp = 1;
	}
	size_t mask = s->type_cap - 1, types = 0;
	for (size_t i = 0; i < list->n; i++) {
		const struct token *t = &list->items[i];
		if (t->flags & TOKEN_STOP)
			continue;
		const char *str = token_str(list, i);
		size_t slot = hash_bytes(str, t->len, 0) & mask;
		for (;; slot = (slot + 1) & mask) {
			if (s->type_stamp[slot] != s->stamp) {
				s->type_stamp[slot] = s->stamp;
				s->type_slots[slot] = (uint32_t)i;
				types++;
				break;
			}
			const struct token *u = &list->items[s->type_slots[slot]];
			if (u->len == t->len && memcmp(token_str(list, s->type_slots[slot]), str, t->len) == 0)
				break;
		}
	}
	*n_types = types;
	return 0;
}

static void scratch_free(struct scratch *s)
{
	token_list_free(&s->tokens);
	free(s->words);
	free(s->word_lens);
	free(s->type_slots);
	free(s->type_stamp);
}

/* Adds the document's tokens to the near-duplicate index. */
static int add_to_dedup(struct corpus *c, struct scratch *s, size_t index, size_t *dup_of,
			double *similarity)
{
	const struct token_list *list = &s->tokens;
	if (grow((void **)&s->words, &s->words_cap, list->n, sizeof *s->words))
		return TD_ENOMEM;
	uint32_t *lens = realloc(s->word_lens, (s->words_cap ? s->words_cap : 1) * sizeof *lens);
	if (!lens)
		return TD_ENOMEM;
	s->word_lens = lens;
	for (size_t i = 0; i < list->n; i++) {
		s->words[i] = token_str(list, i);
		s->word_lens[i] = list->items[i].len;
	}
	if (grow((void **)&c->dedup_doc, &c->cap_dedup, c->n_dedup + 1, sizeof *c->dedup_doc))
		return TD_ENOMEM;
	c->dedup_doc[c->n_dedup++] = index;
	size_t dup;
	int rc = dedup_add(c->dedup, s->words, s->word_lens, list->n, &dup, similarity);
	if (rc)
		return rc;
	*dup_of = dup == SIZE_MAX ? SIZE_MAX : c->dedup_doc[dup];
	return 0;
}

static enum doc_status doc_status_of(const struct corpus_doc *cd, const struct doc *doc)
{
	if (doc->binary)
		return DOC_BINARY;
	if (doc->malformed)
		return DOC_MALFORMED;
	if (cd->tokens->n == 0)
		return DOC_EMPTY;
	if (cd->duplicate_of)
		return DOC_DUPLICATE;
	if (!doc->has_date)
		return DOC_NO_DATE;
	if (cd->date_suspect)
		return DOC_DATE_SUSPECT;
	if (doc->invalid_utf8 > 0)
		return DOC_INVALID_UTF8_REPAIRED;
	return DOC_OK;
}

/* First pass: counts the lines of every document for repeated boilerplate.
 * Warnings were (or will be) given by the second pass, so none here. */
static int count_boilerplate(struct corpus *c, struct td_diag *diag)
{
	struct td_diag quiet = { 0 };
	struct doc doc = { 0 };
	int rc;
	while ((rc = reader_next(c->reader, &doc, &quiet)) == 1) {
		if (!doc.binary && !doc.malformed && (rc = boiler_count(c->boiler, doc.text, doc.text_len)))
			break;
	}
	doc_clear(&doc);
	if (rc < 0) {
		td_fail(diag, rc, "%s", quiet.error ? quiet.error : td_strerror(rc));
		td_diag_free(&quiet);
		return rc;
	}
	td_diag_free(&quiet);
	boiler_finish(c->boiler);
	return reader_rewind(c->reader, diag);
}

/* Second pass over one document: clean, tokenize, dedup, report. */
static int process_doc(struct corpus *c, const struct corpus_opts *opts, struct tokenizer *tok,
		       struct scratch *s, struct doc *doc, corpus_doc_fn fn, void *ctx)
{
	struct corpus_doc cd = { .doc = doc, .index = c->n_docs, .tokens = &s->tokens };
	char *clean = NULL;
	size_t clean_len = 0, dup_of = SIZE_MAX;
	int rc = 0;

	if (grow((void **)&c->ids, &c->cap_docs, c->n_docs + 1, sizeof *c->ids))
		return TD_ENOMEM;
	c->ids[c->n_docs] = strdup(doc->id ? doc->id : "");
	if (!c->ids[c->n_docs])
		return TD_ENOMEM;
	c->n_docs++;

	s->tokens.n = 0;
	s->tokens.n_sentences = 0;
	if (!doc->binary && !doc->malformed) {
		if (c->boiler) {
			rc = boiler_strip(c->boiler, doc->text, doc->text_len, &clean, &clean_len,
					  &cd.boilerplate_lines);
			if (rc)
				goto out;
			cd.text = clean;
			cd.text_len = clean_len;
		} else {
			cd.text = doc->text;
			cd.text_len = doc->text_len;
		}
		if ((rc = tokenizer_run(tok, cd.text, cd.text_len, &s->tokens)))
			goto out;
		if ((rc = count_types(s, &cd.n_types)))
			goto out;
		for (size_t i = 0; i < s->tokens.n; i++)
			cd.n_tokens += !(s->tokens.items[i].flags & TOKEN_STOP);
		if (c->dedup && s->tokens.n > 0 &&
		    (rc = add_to_dedup(c, s, cd.index, &dup_of, &cd.similarity)))
			goto out;
	}
	if (dup_of != SIZE_MAX)
		cd.duplicate_of = c->ids[dup_of];
	cd.date_suspect = doc->has_date && date_suspect(doc->date, opts->today);
	cd.status = doc_status_of(&cd, doc);
	cd.analysed = cd.status != DOC_BINARY && cd.status != DOC_MALFORMED && cd.status != DOC_EMPTY &&
		      !(cd.status == DOC_DUPLICATE && opts->dedup == DEDUP_DROP);
	rc = fn(ctx, &cd);
out:
	free(clean);
	return rc;
}

/* Translates the dedup pairs into document indices. */
static int collect_pairs(struct corpus *c)
{
	if (!c->dedup)
		return 0;
	size_t n;
	const struct dedup_pair *pairs = dedup_pairs(c->dedup, &n);
	if (n == 0)
		return 0;
	c->pairs = malloc(n * sizeof *c->pairs);
	if (!c->pairs)
		return TD_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		c->pairs[i].doc_a = c->dedup_doc[pairs[i].doc_a];
		c->pairs[i].doc_b = c->dedup_doc[pairs[i].doc_b];
		c->pairs[i].jaccard = pairs[i].jaccard;
	}
	c->n_pairs = n;
	return 0;
}

int corpus_run(struct corpus **out, const struct corpus_opts *opts, corpus_doc_fn fn, void *ctx,
	       struct td_diag *diag)
{
	*out = NULL;
	struct corpus *c = calloc(1, sizeof *c);
	struct stopwords *stop = NULL;
	struct tokenizer *tok = NULL;
	struct scratch s = { 0 };
	struct doc doc = { 0 };
	int rc;
	if (!c)
		return td_fail(diag, TD_ENOMEM, "out of memory");

	if ((rc = stopwords_load(&stop, opts->stopwords, diag)))
		goto out;
	struct tokenizer_opts tok_opts = opts->tok;
	tok_opts.stop = stop;
	if ((rc = tokenizer_new(&tok, &tok_opts, diag)))
		goto out;
	if ((rc = reader_open(&c->reader, &opts->read, diag)))
		goto out;
	if (opts->dedup != DEDUP_OFF) {
		struct dedup_opts dopts;
		dedup_opts_default(&dopts);
		dopts.threshold = opts->dup_threshold;
		if ((rc = dedup_new(&c->dedup, &dopts, diag)))
			goto out;
	}
	if (opts->boilerplate) {
		rc = boiler_new(&c->boiler, embedded_boilerplate_en, embedded_boilerplate_en_len,
				opts->boilerplate_min_frac, diag);
		if (rc || (rc = count_boilerplate(c, diag)))
			goto out;
	}
	while ((rc = reader_next(c->reader, &doc, diag)) == 1) {
		rc = process_doc(c, opts, tok, &s, &doc, fn, ctx);
		if (rc) {
			if (rc == TD_ENOMEM)
				td_fail(diag, rc, "out of memory");
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	if ((rc = collect_pairs(c))) {
		td_fail(diag, rc, "out of memory");
		goto out;
	}
	*out = c;
	c = NULL;
out:
	doc_clear(&doc);
	scratch_free(&s);
	tokenizer_free(tok);
	stopwords_free(stop);
	corpus_free(c);
	return rc;
}

size_t corpus_n_docs(const struct corpus *corpus)
{
	return corpus->n_docs;
}

const char *corpus_doc_id(const struct corpus *corpus, size_t index)
{
	return index < corpus->n_docs ? corpus->ids[index] : NULL;
}

const struct boiler *corpus_boiler(const struct corpus *corpus)
{
	return corpus->boiler;
}

const struct dedup_pair *corpus_dup_pairs(const struct corpus *corpus, size_t *n_pairs)
{
	*n_pairs = corpus->n_pairs;
	return corpus->pairs;
}

const struct input_file *corpus_files(const struct corpus *corpus, size_t *n_files)
{
	return reader_files(corpus->reader, n_files);
}

void corpus_free(struct corpus *corpus)
{
	if (!corpus)
		return;
	reader_free(corpus->reader);
	boiler_free(corpus->boiler);
	dedup_free(corpus->dedup);
	for (size_t i = 0; i < corpus->n_docs; i++)
		free(corpus->ids[i]);
	free(corpus->ids);
	free(corpus->dedup_doc);
	free(corpus->pairs);
	free(corpus);
}
