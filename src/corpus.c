/* corpus.c - from input files to cleaned, tokenized documents (see corpus.h).
 *
 * Documents are read in batches (BATCH_DOCS documents or BATCH_BYTES bytes)
 * on the calling thread; a JSON Lines record is read as its line only
 * (reader_next_unparsed).  The workers then take documents from the batch one
 * at a time (an atomic counter), parse the JSON Lines records
 * (reader_parse), strip boilerplate, tokenize and call the work hook, and
 * make the document's near-duplicate sketch (its shingles and band keys);
 * with more than one worker, the calling thread reads the next batch
 * meanwhile and then joins in (two batches alternate).  When the batch is
 * done, the calling thread adds each sketch to the near-duplicate index,
 * decides each document's status and calls emit, in input order.
 *
 * Nothing in the output depends on which worker took which document, nor do
 * the messages: what the reader and the workers say about a document (its
 * warnings, and an error) is held in its slot until its turn comes, so
 * warnings appear in input order, and the error of the first document that
 * fails, in input order, is the one reported (the workers finish every
 * document before it).
 */
#include "corpus.h"

#include "array.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "embedded.h"
#include "hash.h"

#define BATCH_DOCS 64
#define BATCH_BYTES (8u << 20)

struct corpus {
	struct reader *reader;
	struct boiler *boiler;
	struct dedup *dedup;
	char **ids;                 /* doc_id per document index */
	int32_t *dates;             /* date per document index */
	bool *has_date;
	size_t n_docs, cap_docs;
	size_t n_read;              /* documents read: the index of the next one */
	size_t *dedup_doc;          /* document index of each document added to dedup */
	size_t n_dedup, cap_dedup;
	struct dedup_pair *pairs;   /* dedup pairs in document indices */
	size_t n_pairs;
};

/* Diagnostics held back until their document's turn: diag is given to the
 * reader and to reader_parse, its warnings are kept and passed on in input
 * order, and its error is reported only if no earlier document failed. */
struct notes {
	struct td_diag diag;        /* diag.ctx is the notes themselves */
	char **warnings;
	size_t n_warnings, cap_warnings;
	bool lost;                  /* a warning could not be kept (out of memory) */
};

/* One document of the batch and what the workers made of it. */
struct slot {
	struct doc doc;
	size_t index;
	struct notes notes;         /* what the reader and the worker said about it */
	int rc;                     /* the worker's result (first_failed says which slot failed) */
	char *clean;                /* text without boilerplate (NULL: doc.text is used) */
	size_t clean_len;
	size_t boilerplate_lines;
	struct token_list tokens;   /* kept for emit when the batch keeps tokens */
	size_t n_all;               /* tokens, stopwords included */
	size_t n_tokens, n_types;
	uint32_t n_sentences;
	struct dedup_sketch sketch; /* when dedup is on and the document has tokens */
	bool has_sketch;
};

/* A worker's own tools. */
struct worker {
	struct tokenizer *tok;
	uint32_t *type_slots;       /* open-addressing set of token indices, stamped */
	uint32_t *type_stamp;
	size_t type_cap;
	uint32_t stamp;
	struct token_list tokens;   /* when the batch does not keep them */
	const char **words;         /* dedup input: the tokens' strings and lengths */
	uint32_t *word_lens;
	size_t words_cap, lens_cap;
	void *work_ctx;
};

struct batch {
	struct slot *slots;
	size_t n;
	bool ended;                 /* the read after the n documents found the end or failed */
	int read_rc;                /* 0, or the error of that read */
	struct notes end;           /* what that read said (its error, warnings) */
	atomic_size_t next;         /* the next slot to take */
	atomic_size_t first_failed; /* the first slot whose preparation failed (SIZE_MAX: none) */
	struct reader *reader;      /* for reader_parse */
	struct boiler *boiler;
	pthread_mutex_t boiler_lock;  /* boiler_strip keeps the per-line report */
	const struct corpus_hooks *hooks;
	bool keep_tokens;           /* each slot keeps its tokens for emit (hooks.emit_tokens) */
	const struct dedup *dedup;  /* NULL when off; workers sketch documents for it */
};

struct worker_arg {
	struct batch *batch;
	struct worker *worker;
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
	opts->n_threads = 1;
}

/* diag.warn of notes: keeps a copy of the warning. */
static void notes_warn(void *ctx, const char *msg)
{
	struct notes *notes = ctx;
	char *copy = NULL;
	if (array_reserve((void **)&notes->warnings, &notes->cap_warnings, notes->n_warnings + 1,
			  sizeof *notes->warnings) == 0)
		copy = strdup(msg);
	if (copy)
		notes->warnings[notes->n_warnings++] = copy;
	else
		notes->lost = true;
}

static void notes_init(struct notes *notes)
{
	memset(notes, 0, sizeof *notes);
	notes->diag.warn = notes_warn;
	notes->diag.ctx = notes;
}

/* Forgets the warnings and the error (the notes can be used again). */
static void notes_clear(struct notes *notes)
{
	for (size_t i = 0; i < notes->n_warnings; i++)
		free(notes->warnings[i]);
	notes->n_warnings = 0;
	notes->lost = false;
	td_diag_free(&notes->diag);
}

static void notes_free(struct notes *notes)
{
	notes_clear(notes);
	free(notes->warnings);
}

/* Moves what `from` holds into `to` (whose own notes are dropped), leaving
 * `from` empty. */
static void notes_take(struct notes *to, struct notes *from)
{
	notes_free(to);
	*to = *from;
	to->diag.ctx = to;
	notes_init(from);
}

/* Passes the warnings on to diag, in the order given, and forgets them.
 * Returns 0, or TD_ENOMEM (with a message) when one could not be kept. */
static int notes_pass(struct notes *notes, struct td_diag *diag)
{
	for (size_t i = 0; i < notes->n_warnings; i++) {
		td_warn(diag, "%s", notes->warnings[i]);
		free(notes->warnings[i]);
	}
	notes->n_warnings = 0;
	if (notes->lost)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	return 0;
}

/* Reports rc, the error the notes hold: their message, or "out of memory"
 * for TD_ENOMEM without one.  Returns rc. */
static int notes_fail(const struct notes *notes, int rc, struct td_diag *diag)
{
	if (notes->diag.error)
		return td_fail(diag, rc, "%s", notes->diag.error);
	if (rc == TD_ENOMEM)
		return td_fail(diag, rc, "out of memory");
	return rc;
}

/* Counts the distinct non-stopword token forms of a document. */
static int count_types(struct worker *w, const struct token_list *list, size_t *n_types)
{
	size_t need = 16;
	while (need < 2 * list->n)
		need *= 2;
	if (need > w->type_cap) {
		free(w->type_slots);
		free(w->type_stamp);
		w->type_slots = malloc(need * sizeof *w->type_slots);
		w->type_stamp = calloc(need, sizeof *w->type_stamp);
		if (!w->type_slots || !w->type_stamp) {
			w->type_cap = 0;
			return TD_ENOMEM;
		}
		w->type_cap = need;
		w->stamp = 0;
	}
	if (++w->stamp == 0) {  /* the stamp wrapped: forget every slot */
		memset(w->type_stamp, 0, w->type_cap * sizeof *w->type_stamp);
		w->stamp = 1;
	}
	size_t mask = w->type_cap - 1, types = 0;
	for (size_t i = 0; i < list->n; i++) {
		const struct token *t = &list->items[i];
		if (t->flags & TOKEN_STOP)
			continue;
		const char *str = token_str(list, i);
		size_t slot = t->hash & mask;
		for (;; slot = (slot + 1) & mask) {
			if (w->type_stamp[slot] != w->stamp) {
				w->type_stamp[slot] = w->stamp;
				w->type_slots[slot] = (uint32_t)i;
				types++;
				break;
			}
			const struct token *u = &list->items[w->type_slots[slot]];
			if (u->len == t->len && memcmp(token_str(list, w->type_slots[slot]), str, t->len) == 0)
				break;
		}
	}
	*n_types = types;
	return 0;
}

static void worker_free(struct worker *w)
{
	tokenizer_free(w->tok);
	free(w->type_slots);
	free(w->type_stamp);
	token_list_free(&w->tokens);
	free(w->words);
	free(w->word_lens);
}

/* The near-duplicate sketch of a document's tokens (every token, stopwords
 * included), on the worker: the costly part of dedup, done in parallel. */
static int sketch_slot(const struct batch *b, struct worker *w, const struct token_list *list, struct slot *s)
{
	if (array_reserve((void **)&w->words, &w->words_cap, list->n, sizeof *w->words) ||
	    array_reserve((void **)&w->word_lens, &w->lens_cap, list->n, sizeof *w->word_lens))
		return TD_ENOMEM;
	for (size_t i = 0; i < list->n; i++) {
		w->words[i] = token_str(list, i);
		w->word_lens[i] = list->items[i].len;
	}
	if (dedup_sketch(b->dedup, w->words, w->word_lens, list->n, &s->sketch))
		return TD_ENOMEM;
	s->has_sketch = true;
	return 0;
}

/* The parallel part of one document: parse, clean, tokenize, count, work hook. */
static int prepare_slot(struct batch *b, struct worker *w, struct slot *s)
{
	const struct doc *doc = &s->doc;
	s->tokens.n = 0;
	s->tokens.n_sentences = 0;
	s->n_all = s->n_tokens = s->n_types = 0;
	s->n_sentences = 0;
	dedup_sketch_free(&s->sketch);
	s->has_sketch = false;
	int rc = reader_parse(b->reader, &s->doc, &s->notes.diag);
	if (rc)
		return rc;
	if (doc->binary || doc->malformed)
		return 0;
	const char *text = doc->text;
	size_t len = doc->text_len;
	if (b->boiler) {
		pthread_mutex_lock(&b->boiler_lock);
		rc = boiler_strip(b->boiler, doc->text, doc->text_len, &s->clean, &s->clean_len,
				  &s->boilerplate_lines);
		pthread_mutex_unlock(&b->boiler_lock);
		if (rc)
			return rc;
		text = s->clean;
		len = s->clean_len;
	}
	struct token_list *list = b->keep_tokens ? &s->tokens : &w->tokens;
	bool hook_types = b->hooks->work && b->hooks->work_counts_types;
	rc = tokenizer_run(w->tok, text, len, list);
	if (rc || (!hook_types && (rc = count_types(w, list, &s->n_types))))
		return rc;
	for (size_t i = 0; i < list->n; i++)
		s->n_tokens += !(list->items[i].flags & TOKEN_STOP);
	s->n_all = list->n;
	s->n_sentences = list->n_sentences;
	if (b->dedup && list->n > 0 && (rc = sketch_slot(b, w, list, s)))
		return rc;
	if (b->hooks->work) {
		struct corpus_doc cd = {
			.doc = doc, .index = s->index, .text = text, .text_len = len, .tokens = list,
			.boilerplate_lines = s->boilerplate_lines, .n_tokens = s->n_tokens,
			.n_sentences = s->n_sentences, .n_types = s->n_types,
			.n_types_out = hook_types ? &s->n_types : NULL
		};
		rc = b->hooks->work(w->work_ctx, &cd);
	}
	return rc;
}

/* Takes slots in input order until none is left or one has failed: the
 * slots before a failed one are all taken (they came first), so the first
 * failure in input order is always found, and the slots after it are not
 * needed. */
static void *worker_main(void *arg)
{
	struct worker_arg *wa = arg;
	struct batch *b = wa->batch;
	for (;;) {
		size_t i = atomic_fetch_add(&b->next, 1);
		if (i >= b->n || i > atomic_load(&b->first_failed))
			break;
		struct slot *s = &b->slots[i];
		if ((s->rc = prepare_slot(b, wa->worker, s)) == 0)
			continue;
		size_t first = atomic_load(&b->first_failed);
		while (i < first && !atomic_compare_exchange_weak(&b->first_failed, &first, i))
			;
	}
	return NULL;
}

static void read_batch(struct corpus *c, struct batch *b);
static int finish_batch(struct corpus *c, const struct corpus_opts *opts, const struct corpus_hooks *hooks,
			struct batch *b, struct td_diag *diag);

/* What the calling thread does in run_batch before it works: with more
 * than one worker, it reads the next batch and finishes the one before. */
struct batch_extra {
	struct batch *ahead;           /* to read into, or NULL */
	struct batch *done;            /* to finish, or NULL */
	const struct corpus_opts *opts;
	const struct corpus_hooks *hooks;
	struct td_diag *diag;
};

/* Runs the batch on n_workers workers; the calling thread is worker 0.
 * With x (more than one worker), the calling thread first reads the next
 * batch into x->ahead and finishes x->done (the batch before, in input
 * order) while the other workers start on this one, then joins them:
 * reading, and the documents' reports and the other in-order work, overlap
 * the rest (finished after each batch, the documents of SOTU x10 left the
 * other thread idle 8-11 ms).  Returns what finishing x->done returned (its
 * failure stops the workers early). */
static int run_batch(struct batch *b, struct worker *workers, unsigned n_workers, struct corpus *c,
		     const struct batch_extra *x)
{
	struct batch *ahead = x ? x->ahead : NULL;
	pthread_t threads[64];
	struct worker_arg args[64];
	unsigned started = 0;
	atomic_store(&b->next, 0);
	atomic_store(&b->first_failed, SIZE_MAX);
	for (unsigned i = 1; i < n_workers && (b->n > 1 || ahead || (x && x->done)); i++) {
		args[i] = (struct worker_arg){ b, &workers[i] };
		if (pthread_create(&threads[i], NULL, worker_main, &args[i]) != 0)
			break;  /* fewer workers: slower, not wrong */
		started = i;
	}
	if (ahead)
		read_batch(c, ahead);
	int rc = x && x->done ? finish_batch(c, x->opts, x->hooks, x->done, x->diag) : 0;
	if (rc)
		atomic_store(&b->first_failed, 0);  /* its work is not needed */
	args[0] = (struct worker_arg){ b, &workers[0] };
	worker_main(&args[0]);
	for (unsigned i = 1; i <= started; i++)
		pthread_join(threads[i], NULL);
	return rc;
}

/* Adds the document's sketch to the near-duplicate index, in input order. */
static int add_to_dedup(struct corpus *c, struct slot *s, size_t *dup_of, double *similarity)
{
	if (array_reserve((void **)&c->dedup_doc, &c->cap_dedup, c->n_dedup + 1, sizeof *c->dedup_doc))
		return TD_ENOMEM;
	size_t dup;
	int rc = dedup_add_sketch(c->dedup, &s->sketch, &dup, similarity);
	if (rc)
		return rc;
	c->dedup_doc[c->n_dedup++] = s->index;
	*dup_of = dup == SIZE_MAX ? SIZE_MAX : c->dedup_doc[dup];
	return 0;
}

static enum doc_status doc_status_of(const struct corpus_doc *cd, const struct slot *s)
{
	const struct doc *doc = &s->doc;
	if (doc->binary)
		return DOC_BINARY;
	if (doc->malformed)
		return DOC_MALFORMED;
	if (s->n_all == 0)
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

/* The serial part of one document: duplicates, status, emit. */
static int emit_slot(struct corpus *c, const struct corpus_opts *opts, const struct corpus_hooks *hooks,
		     struct slot *s)
{
	const struct doc *doc = &s->doc;
	struct corpus_doc cd = {
		.doc = doc, .index = s->index, .tokens = hooks->emit_tokens ? &s->tokens : NULL,
		.text = s->clean ? s->clean : doc->text, .text_len = s->clean ? s->clean_len : doc->text_len,
		.boilerplate_lines = s->boilerplate_lines, .n_tokens = s->n_tokens,
		.n_sentences = s->n_sentences, .n_types = s->n_types
	};
	size_t dup_of = SIZE_MAX;
	int rc;
	if (s->has_sketch && (rc = add_to_dedup(c, s, &dup_of, &cd.similarity)))
		return rc;
	if (dup_of != SIZE_MAX)
		cd.duplicate_of = c->ids[dup_of];
	cd.date_suspect = doc->has_date && date_suspect(doc->date, opts->today);
	if (cd.date_suspect)  /* not used for binning (corpus_doc_date) */
		c->has_date[s->index] = false;
	cd.status = doc_status_of(&cd, s);
	cd.analysed = cd.status != DOC_BINARY && cd.status != DOC_MALFORMED &&
		      !(cd.status == DOC_DUPLICATE && opts->dedup == DEDUP_DROP);
	return hooks->emit(hooks->emit_ctx, &cd);
}

/* Records a document's id and date, in input order (its index is
 * c->n_docs); returns 0 or TD_ENOMEM. */
static int remember_doc(struct corpus *c, const struct doc *doc)
{
	size_t cap = c->cap_docs;
	if (c->n_docs == cap) {
		size_t new_cap = cap ? 2 * cap : 1024;
		char **ids = realloc(c->ids, new_cap * sizeof *ids);
		if (!ids)
			return TD_ENOMEM;
		c->ids = ids;
		int32_t *dates = realloc(c->dates, new_cap * sizeof *dates);
		if (!dates)
			return TD_ENOMEM;
		c->dates = dates;
		bool *has_date = realloc(c->has_date, new_cap * sizeof *has_date);
		if (!has_date)
			return TD_ENOMEM;
		c->has_date = has_date;
		c->cap_docs = new_cap;
	}
	c->ids[c->n_docs] = strdup(doc->id ? doc->id : "");
	if (!c->ids[c->n_docs])
		return TD_ENOMEM;
	c->dates[c->n_docs] = doc->date;
	c->has_date[c->n_docs] = doc->has_date;
	c->n_docs++;
	return 0;
}

/* First pass: counts the lines of every document for repeated boilerplate.
 * Warnings are given by the second pass, so none here. */
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

/* Reads the next batch into b->slots: b->n documents (JSON Lines records
 * left unparsed), each with what the reader said about it in its notes.
 * When a read finds the end of the input or fails, b->ended is set and what
 * it said goes to b->end (its error, in b->read_rc, comes after the n
 * documents). */
static void read_batch(struct corpus *c, struct batch *b)
{
	size_t bytes = 0;
	b->n = 0;
	b->ended = false;
	b->read_rc = 0;
	notes_clear(&b->end);
	while (b->n < BATCH_DOCS && bytes < BATCH_BYTES) {
		struct slot *s = &b->slots[b->n];
		free(s->clean);
		s->clean = NULL;
		s->clean_len = 0;
		s->boilerplate_lines = 0;
		notes_clear(&s->notes);
		int rc = reader_next_unparsed(c->reader, &s->doc, &s->notes.diag);
		if (rc <= 0) {
			b->ended = true;
			b->read_rc = rc;
			notes_take(&b->end, &s->notes);
			return;
		}
		s->index = c->n_read++;
		bytes += s->doc.text_len;
		b->n++;
	}
}

/* The serial part of a batch, on the calling thread, in input order: each
 * document's warnings, its id and date, its emit; then what the read that
 * ended the batch said.  Stops at the first document that failed (its
 * warnings, then its error) or at a failed emit. */
static int finish_batch(struct corpus *c, const struct corpus_opts *opts, const struct corpus_hooks *hooks,
			struct batch *b, struct td_diag *diag)
{
	size_t failed = atomic_load(&b->first_failed);
	int rc;
	for (size_t i = 0; i < b->n; i++) {
		struct slot *s = &b->slots[i];
		if ((rc = notes_pass(&s->notes, diag)))
			return rc;
		if (i == failed)
			return notes_fail(&s->notes, s->rc, diag);
		if ((rc = remember_doc(c, &s->doc)))
			return td_fail(diag, rc, "out of memory");
		if ((rc = emit_slot(c, opts, hooks, s))) {
			if (rc == TD_ENOMEM)
				td_fail(diag, rc, "out of memory");
			return rc;
		}
	}
	if ((rc = notes_pass(&b->end, diag)))
		return rc;
	return b->read_rc ? notes_fail(&b->end, b->read_rc, diag) : 0;
}

int corpus_run(struct corpus **out, const struct corpus_opts *opts, const struct corpus_hooks *hooks,
	       struct td_diag *diag)
{
	*out = NULL;
	unsigned n_workers = opts->n_threads < 1 ? 1 : opts->n_threads > 64 ? 64 : opts->n_threads;
	struct corpus *c = calloc(1, sizeof *c);
	struct worker *workers = calloc(n_workers, sizeof *workers);
	struct batch batches[3] = {
		{ .slots = calloc(BATCH_DOCS, sizeof *batches[0].slots), .hooks = hooks,
		  .boiler_lock = PTHREAD_MUTEX_INITIALIZER },
		{ .slots = calloc(BATCH_DOCS, sizeof *batches[1].slots), .hooks = hooks,
		  .boiler_lock = PTHREAD_MUTEX_INITIALIZER },
		{ .slots = calloc(BATCH_DOCS, sizeof *batches[2].slots), .hooks = hooks,
		  .boiler_lock = PTHREAD_MUTEX_INITIALIZER },
	};
	struct stopwords *stop = NULL;
	int rc = 0;
	for (int k = 0; k < 3; k++) {
		notes_init(&batches[k].end);
		for (size_t i = 0; batches[k].slots && i < BATCH_DOCS; i++)
			notes_init(&batches[k].slots[i].notes);
	}
	if (!c || !workers || !batches[0].slots || !batches[1].slots || !batches[2].slots) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}

	if ((rc = stopwords_load(&stop, opts->stopwords, diag)))
		goto out;
	struct tokenizer_opts tok_opts = opts->tok;
	tok_opts.stop = stop;
	for (unsigned i = 0; i < n_workers; i++) {
		if ((rc = tokenizer_new(&workers[i].tok, &tok_opts, diag)))
			goto out;
		workers[i].work_ctx = hooks->work_ctx ? hooks->work_ctx[i] : NULL;
	}
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
		for (int k = 0; k < 3; k++)
			batches[k].boiler = c->boiler;
	}
	for (int k = 0; k < 3; k++) {
		batches[k].keep_tokens = hooks->emit_tokens;
		batches[k].dedup = c->dedup;
		batches[k].reader = c->reader;
	}
	/* Three batches (n_workers > 1): while one is tokenized, the next is
	 * read and the one before is finished; one worker takes them in turn. */
	struct batch *done = NULL, *cur = &batches[0], *next = &batches[1], *spare = &batches[2];
	bool overlap = n_workers > 1;
	read_batch(c, cur);
	for (;;) {
		bool more = !cur->ended;
		if (!overlap) {
			run_batch(cur, workers, n_workers, c, NULL);
			if ((rc = finish_batch(c, opts, hooks, cur, diag)) || !more)
				break;
			read_batch(c, cur);
			continue;
		}
		struct batch_extra x = { more ? next : NULL, done, opts, hooks, diag };
		if ((rc = run_batch(cur, workers, n_workers, c, &x)))
			break;
		if (!more) {
			rc = finish_batch(c, opts, hooks, cur, diag);
			break;
		}
		struct batch *t = done ? done : spare;
		done = cur;
		cur = next;
		next = t;
	}
	if (rc)
		goto out;
	reader_end_pass(c->reader, diag);
	if ((rc = collect_pairs(c))) {
		td_fail(diag, rc, "out of memory");
		goto out;
	}
	*out = c;
	c = NULL;
out:
	for (int k = 0; k < 3; k++) {
		struct slot *slots = batches[k].slots;
		for (size_t i = 0; slots && i < BATCH_DOCS; i++) {
			doc_clear(&slots[i].doc);
			free(slots[i].clean);
			token_list_free(&slots[i].tokens);
			dedup_sketch_free(&slots[i].sketch);
			notes_free(&slots[i].notes);
		}
		free(slots);
		notes_free(&batches[k].end);
	}
	if (workers)
		for (unsigned i = 0; i < n_workers; i++)
			worker_free(&workers[i]);
	free(workers);
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

bool corpus_doc_date(const struct corpus *corpus, size_t index, int32_t *date)
{
	if (index >= corpus->n_docs || !corpus->has_date[index])
		return false;
	*date = corpus->dates[index];
	return true;
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
	free(corpus->dates);
	free(corpus->has_date);
	free(corpus->dedup_doc);
	free(corpus->pairs);
	free(corpus);
}
