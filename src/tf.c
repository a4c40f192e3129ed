/* tf.c - term counting and the document-term matrix (see tf.h). */
#include "tf.h"

#include "array.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "jobs.h"

/* N-grams are found by their parts' ids, not by their strings: a bigram by
 * the ids of its two words, a trigram by the id of its first two words'
 * bigram and the id of its last word.  A table per order maps such a pair
 * (one 64-bit key) to the gram's id and its term id.  A lookup compares two
 * integers in a 16-byte slot: no string is built, hashed or compared for
 * an n-gram the part has seen, and the words' table stays small (it holds
 * the words alone). */
struct gram_slot {
	uint64_t key;            /* left id << 32 | right word id */
	uint32_t id1;            /* gram id + 1; 0: the slot is empty */
	uint32_t term;           /* its term id, VOCAB_NONE when its order is below ngram_min */
};

struct gram_table {
	struct gram_slot *slots; /* n_slots (a power of two), at most three quarters full */
	size_t n_slots, n_grams;
};

/* Per term of a part: the document that last saw it and where its entry in
 * that document's row is, and the part's rows holding the term (df) and its
 * occurrences in them (cf), counted as the rows are: one 16-byte entry,
 * which the counting reads and writes anyway.  Counting df and cf later,
 * from the rows, read the 17 million entries of a bigram matrix again at
 * random (0.1 s of SOTU x10's 0.47 s of building the matrix). */
struct term_seen {
	uint32_t stamp;
	uint32_t slot;
	uint32_t df;
	uint32_t cf;
};

/* The occurrences a part counts before its entries' df and cf may have
 * wrapped, and tf_build counts them again from the rows (a test lowers it). */
#ifndef TF_SEEN_COUNTS_MAX
#define TF_SEEN_COUNTS_MAX UINT32_MAX
#endif

struct tf_part {
	struct tf_opts opts;
	struct vocab vocab;          /* this part's own term ids */
	struct vocab words;          /* with n-grams: the words, by string (unigrams alone: vocab is) */
	uint32_t *word_term;         /* with n-grams: per word, its term id (VOCAB_NONE: none yet) */
	size_t cap_word_term;
	struct gram_table grams[2];  /* bigrams, trigrams */
	struct term_seen *seen;      /* per term id */
	size_t cap_seen;
	uint32_t cur_stamp;
	uint64_t n_occ;              /* occurrences counted in all rows: up to
					TF_SEEN_COUNTS_MAX, no seen entry's df or cf has wrapped */
	size_t last_types;           /* distinct unigrams of the row added last */
	size_t *doc;                 /* per row: the document index */
	uint64_t *row_ptr;           /* n_rows + 1 offsets */
	size_t n_rows, cap_rows;
	uint32_t *col;               /* local term ids */
	uint32_t *count;
	size_t nnz, cap_nnz;
	/* scratch for one document */
	uint32_t *occ;               /* the term id of each occurrence */
	size_t cap_occ;
	uint32_t *kept_word;         /* per kept token (not a stopword): its word id */
	uint32_t *kept_sentence;     /* and its sentence */
	uint32_t *kept_gram;         /* and the id of the bigram that ends at it (UINT32_MAX: none) */
	size_t cap_kept;
	char *gram;                  /* an n-gram's string */
	size_t gram_cap;
	uint32_t *stream;            /* opts.keep_streams: every row's term ids in order */
	size_t stream_len, stream_cap;
	uint64_t *stream_ptr;        /* per row + 1: where its stream starts */
	size_t cap_stream_rows;
};

void tf_opts_default(struct tf_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->ngram_min = opts->ngram_max = 1;
	opts->min_df.count = 1;
	opts->max_df.is_frac = true;
	opts->max_df.frac = 1.0;
}

int df_bound_parse(const char *text, struct df_bound *bound)
{
	char *end;
	errno = 0;
	memset(bound, 0, sizeof *bound);
	if (strchr(text, '.') || strchr(text, 'e') || strchr(text, 'E')) {
		double v = strtod(text, &end);
		if (errno || end == text || *end || !isfinite(v) || v < 0 || v > 1)
			return TD_EINVAL;
		bound->is_frac = true;
		bound->frac = v;
		return 0;
	}
	if (text[0] == '-' || text[0] == '+')
		return TD_EINVAL;
	unsigned long long v = strtoull(text, &end, 10);
	if (errno || end == text || *end)
		return TD_EINVAL;
	bound->count = v;
	return 0;
}

int ngram_parse(const char *text, unsigned *min, unsigned *max)
{
	char *end;
	errno = 0;
	long lo = strtol(text, &end, 10), hi = lo;
	if (errno || end == text)
		return TD_EINVAL;
	if (*end == ':') {
		const char *rest = end + 1;
		hi = strtol(rest, &end, 10);
		if (errno || end == rest)
			return TD_EINVAL;
	}
	if (*end || lo < 1 || hi > 3 || lo > hi)
		return TD_EINVAL;
	*min = (unsigned)lo;
	*max = (unsigned)hi;
	return 0;
}

int tf_part_new(struct tf_part **out, const struct tf_opts *opts)
{
	struct tf_part *p = calloc(1, sizeof *p);
	if (!p)
		return TD_ENOMEM;
	p->opts = *opts;
	vocab_init(&p->vocab);
	vocab_init(&p->words);
	p->row_ptr = malloc(sizeof *p->row_ptr);
	if (!p->row_ptr) {
		tf_part_free(p);
		return TD_ENOMEM;
	}
	p->row_ptr[0] = 0;
	*out = p;
	return 0;
}

/* Frees what only the counting needs but the seen entries (tf_build calls
 * it, and takes df and cf from the entries before it frees them: the part is
 * read by term id from then on). */
static void drop_counting_state(struct tf_part *p)
{
	vocab_drop_index(&p->vocab);
	vocab_free(&p->words);
	free(p->word_term);
	p->word_term = NULL;
	p->cap_word_term = 0;
	for (int i = 0; i < 2; i++) {
		free(p->grams[i].slots);
		memset(&p->grams[i], 0, sizeof p->grams[i]);
	}
	free(p->occ);
	free(p->kept_word);
	free(p->kept_sentence);
	free(p->kept_gram);
	free(p->gram);
	p->occ = p->kept_word = p->kept_sentence = p->kept_gram = NULL;
	p->gram = NULL;
	p->cap_occ = p->cap_kept = p->gram_cap = 0;
}

void tf_part_free(struct tf_part *p)
{
	if (!p)
		return;
	drop_counting_state(p);
	free(p->seen);
	vocab_free(&p->vocab);
	free(p->doc);
	free(p->row_ptr);
	free(p->col);
	free(p->count);
	free(p->stream);
	free(p->stream_ptr);
	free(p);
}

/* Entries a part's col and count get room for at once, when the first
 * row needs no more: 128 MB of address space each, more than the heap's
 * top pad (64 MB, main.c), so that glibc maps them rather than carve them
 * from its heap; their pages are backed only as entries are written, realloc
 * grows and trims them by moving pages (mremap), and the matrix is trimmed
 * to its size at the end.  Grown from 1,024 entries, the arrays of the part
 * the calling thread counts stayed in glibc's heap: copied at each
 * doubling, and leaving holes that later allocations touched.  SOTU x10,
 * medians of five alternating runs: bigrams on two threads 1.39 s and
 * 322 MB of peak memory before, 1.15 s and 313 MB with this room (the
 * matrix stage 0.29 and 0.19 s); unigrams on one thread 71 and 56 MB.
 * Where the room cannot be had (a limit on address space, ulimit -v), the
 * arrays start small and double as before.  Under AddressSanitizer, whose
 * allocator marks every byte of an allocation in its shadow memory (the tf
 * tests took 138 s instead of 6), and for tests that lower it, so that the
 * arrays grow, the start is small. */
#if defined(__SANITIZE_ADDRESS__)
#define TF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TF_ASAN 1
#endif
#endif
#ifndef ENTRIES_START
#ifdef TF_ASAN
#define ENTRIES_START ((size_t)1024)
#else
#define ENTRIES_START ((size_t)1 << 25)
#endif
#endif

/* Makes the parallel col/count arrays hold n entries (realloc): 0, or
 * TD_ENOMEM with *cap unchanged (either array may have grown). */
static int resize_entries(uint32_t **col, uint32_t **count, size_t *cap, size_t n)
{
	uint32_t *c = realloc(*col, n * sizeof *c);
	if (!c)
		return TD_ENOMEM;
	array_hint_huge(c, n * sizeof *c);
	*col = c;
	uint32_t *k = realloc(*count, n * sizeof *k);
	if (!k)
		return TD_ENOMEM;
	array_hint_huge(k, n * sizeof *k);
	*count = k;
	*cap = n;
	return 0;
}

/* Grows the parallel col/count arrays to hold need entries: ENTRIES_START
 * at first when that is enough and can be had, else by doubling from
 * 1,024.  Returns 0 or TD_ENOMEM (*cap unchanged). */
static int grow_entries(uint32_t **col, uint32_t **count, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	if (*cap == 0 && need <= ENTRIES_START && resize_entries(col, count, cap, ENTRIES_START) == 0)
		return 0;
	size_t new_cap = *cap ? *cap : 1024;
	while (new_cap < need)
		new_cap *= 2;
	return resize_entries(col, count, cap, new_cap);
}

/* ---- n-gram tables ---------------------------------------------------- */

static inline uint64_t gram_key(uint32_t left, uint32_t right)
{
	return (uint64_t)left << 32 | right;
}

/* The slot that holds key, or the empty slot where it would go. */
static inline struct gram_slot *gram_probe(const struct gram_table *t, uint64_t key)
{
	size_t mask = t->n_slots - 1;
	for (size_t at = hash_mix64(key) & mask;; at = (at + 1) & mask) {
		struct gram_slot *s = &t->slots[at];
		if (!s->id1 || s->key == key)
			return s;
	}
}

/* Starts loading the cache line at addr (a hint). */
static inline void prefetch(const void *addr)
{
#if defined(__GNUC__)
	__builtin_prefetch(addr);
#else
	(void)addr;
#endif
}

/* Makes room for n_new more grams, so that no slot moves while a document's
 * grams are looked up.  Returns 0 or TD_ENOMEM (the table unchanged). */
static int gram_reserve(struct gram_table *t, size_t n_new)
{
	size_t need = t->n_grams + n_new, n_slots = t->n_slots ? t->n_slots : 1024;
	while (need > n_slots / 4 * 3) {
		if (n_slots > SIZE_MAX / 2 / sizeof *t->slots)
			return TD_ENOMEM;
		n_slots *= 2;
	}
	if (n_slots == t->n_slots)
		return 0;
	size_t bytes = n_slots * sizeof *t->slots;
	struct gram_slot *slots = array_alloc_table(bytes);
	if (!slots)
		return TD_ENOMEM;
	memset(slots, 0, bytes);
	struct gram_table grown = { slots, n_slots, t->n_grams };
	for (size_t i = 0; i < t->n_slots; i++)
		if (t->slots[i].id1)
			*gram_probe(&grown, t->slots[i].key) = t->slots[i];
	free(t->slots);
	*t = grown;
	return 0;
}

/* ---- counting --------------------------------------------------------- */

/* How many tokens ahead the words' and the n-grams' table slots, and how
 * many occurrences ahead the terms' seen entries, are prefetched (measured
 * on SOTU x10 bigrams: 16 faster than 8, as fast as 24 to 64; the seen
 * entries' prefetch saves a tenth). */
#define PREFETCH_AHEAD 16

/* Makes room in the document scratch for n_tokens tokens, and n_occ term
 * occurrences.  Returns 0 or TD_ENOMEM. */
static int reserve_scratch(struct tf_part *p, size_t n_tokens, size_t n_occ)
{
	if (array_reserve((void **)&p->occ, &p->cap_occ, n_occ ? n_occ : 1, sizeof *p->occ))
		return TD_ENOMEM;
	if (p->opts.ngram_max == 1 || n_tokens <= p->cap_kept)
		return 0;
	size_t cap = p->cap_kept;
	if (array_reserve((void **)&p->kept_word, &cap, n_tokens, sizeof *p->kept_word))
		return TD_ENOMEM;
	cap = p->cap_kept;
	if (array_reserve((void **)&p->kept_sentence, &cap, n_tokens, sizeof *p->kept_sentence))
		return TD_ENOMEM;
	cap = p->cap_kept;
	if (array_reserve((void **)&p->kept_gram, &cap, n_tokens, sizeof *p->kept_gram))
		return TD_ENOMEM;
	p->cap_kept = cap;
	return 0;
}

/* The term id of a word (with n-grams, where words and terms differ), made
 * a term when it is not one yet.  Returns 0 or an error of vocab_append. */
static inline int word_as_term(struct tf_part *p, uint32_t word, uint32_t *term)
{
	if (word >= p->cap_word_term) {
		size_t old = p->cap_word_term;
		if (array_reserve((void **)&p->word_term, &p->cap_word_term, (size_t)word + 1, sizeof *p->word_term))
			return TD_ENOMEM;
		for (size_t w = old; w < p->cap_word_term; w++)
			p->word_term[w] = VOCAB_NONE;
	}
	if (p->word_term[word] == VOCAB_NONE) {
		int rc = vocab_append(&p->vocab, vocab_term(&p->words, word), p->words.len[word],
				      p->words.hash[word], &p->word_term[word]);
		if (rc)
			return rc;
	}
	*term = p->word_term[word];
	return 0;
}

/* Makes the n-gram of words[0..n) a term: its string and hash from its
 * words'.  Returns 0 or an error of vocab_append. */
static int gram_as_term(struct tf_part *p, const uint32_t *words, unsigned n, uint32_t *term)
{
	size_t len = n - 1;
	for (unsigned k = 0; k < n; k++)
		len += p->words.len[words[k]];
	if (len > p->gram_cap) {
		char *gram = realloc(p->gram, len);
		if (!gram)
			return TD_ENOMEM;
		p->gram = gram;
		p->gram_cap = len;
	}
	size_t at = 0;
	uint64_t hash = p->words.hash[words[0]];
	for (unsigned k = 0; k < n; k++) {
		if (k) {
			p->gram[at++] = ' ';
			hash = hash_fold(hash, p->words.hash[words[k]]);
		}
		memcpy(p->gram + at, vocab_term(&p->words, words[k]), p->words.len[words[k]]);
		at += p->words.len[words[k]];
	}
	return vocab_append(&p->vocab, p->gram, len, hash, term);  /* hash == hash_term(gram) */
}

/* The n-grams (n = 2 or 3) of the document's m kept tokens: those of order
 * ngram_min and up into p->occ from *n_occ on, and for n = 2 the id of the
 * bigram that ends at each kept token into kept_gram (the trigrams' keys).
 * Returns 0, TD_ENOMEM or TD_EINVAL (too many distinct terms). */
static int find_grams(struct tf_part *p, size_t m, unsigned n, size_t *n_occ)
{
	struct gram_table *t = &p->grams[n - 2];
	const uint32_t *word = p->kept_word, *sentence = p->kept_sentence;
	uint32_t *gram = p->kept_gram;
	bool across = p->opts.ngram_across_sentences, counted = n >= p->opts.ngram_min;
	if (m < n)
		return 0;
	if (t->n_grams + m >= UINT32_MAX)
		return TD_EINVAL;
	int rc = gram_reserve(t, m);
	if (rc)
		return rc;
	if (n == 2)
		gram[0] = UINT32_MAX;
	/* The gram that ends at kept token j: made of the word (bigram) or the
	 * bigram (trigram) that ends at j - 1, and j's word; there is one when
	 * its first token is in j's sentence, or n-grams cross sentences.  The
	 * slot of the gram PREFETCH_AHEAD tokens on starts loading first (its
	 * key is known: the words, and for trigrams the bigrams of the pass
	 * before): the table (16 MB for SOTU x10's bigrams) is read at random,
	 * and waiting for its slots was half of counting with bigrams; the
	 * prefetch took the counting stage from 1.13-1.18 s to 0.92-0.95. */
	size_t mask = t->n_slots - 1;
	for (size_t j = n - 1; j < m; j++) {
		if (j + PREFETCH_AHEAD < m) {
			uint32_t left = n == 2 ? word[j + PREFETCH_AHEAD - 1] : gram[j + PREFETCH_AHEAD - 1];
			prefetch(&t->slots[hash_mix64(gram_key(left, word[j + PREFETCH_AHEAD])) & mask]);
		}
		uint32_t id = UINT32_MAX;
		if ((across || sentence[j - (n - 1)] == sentence[j]) && (n == 2 || gram[j - 1] != UINT32_MAX)) {
			uint64_t key = gram_key(n == 2 ? word[j - 1] : gram[j - 1], word[j]);
			struct gram_slot *s = gram_probe(t, key);
			if (!s->id1) {
				uint32_t term = VOCAB_NONE;
				if (counted && (rc = gram_as_term(p, word + j - (n - 1), n, &term)))
					return rc;
				s->key = key;
				s->term = term;
				s->id1 = (uint32_t)++t->n_grams;
			}
			id = s->id1 - 1;
			if (counted)
				p->occ[(*n_occ)++] = s->term;
		}
		if (n == 2)
			gram[j] = id;
	}
	return 0;
}

/* Counts the document's term occurrences p->occ[0..n_occ) into a new row
 * (the unigrams first: the first n_unigrams); returns the distinct
 * unigrams.  Room for n_occ + 1 entries and a seen entry per term must be
 * there. */
static size_t count_row(struct tf_part *p, size_t n_occ, size_t n_unigrams)
{
	const uint32_t *occ = p->occ;
	struct term_seen *seen = p->seen;
	uint32_t *col = p->col, *count = p->count, stamp = p->cur_stamp;
	uint64_t row_start = p->nnz, nnz = p->nnz;
	size_t types = 0;
	for (size_t k = 0; k < n_occ; k++) {
		if (k + PREFETCH_AHEAD < n_occ)
			prefetch(&seen[occ[k + PREFETCH_AHEAD]]);
		uint32_t id = occ[k];
		/* Without a branch on whether the row holds the term yet (a
		 * quarter of the tokens are a first occurrence, at random: the
		 * branch was mispredicted on each): a new term gets the entry at
		 * nnz, which is first made a zero count of it; a known one adds
		 * to its entry, and the writes at nnz are left beyond the row's
		 * end. */
		bool fresh = seen[id].stamp != stamp;
		/* a mask, not "fresh ? nnz : ...", which GCC compiled to a
		 * branch around the load of the slot */
		uint64_t new_mask = (uint64_t)0 - fresh;
		uint64_t pos = (nnz & new_mask) | ((row_start + seen[id].slot) & ~new_mask);
		col[nnz] = id;
		count[nnz] = 0;
		count[pos]++;
		seen[id].stamp = stamp;
		seen[id].slot = (uint32_t)(pos - row_start);
		seen[id].df += fresh;
		seen[id].cf++;
		nnz += fresh;
		types += fresh && k < n_unigrams;
	}
	p->nnz = nnz;
	return types;
}

int tf_part_add(struct tf_part *p, size_t doc_index, const struct token_list *tokens)
{
	unsigned nmin = p->opts.ngram_min, nmax = p->opts.ngram_max;
	bool streams = p->opts.keep_streams && nmin == 1;
	size_t n_orders = nmax - nmin + 1;
	if (array_reserve((void **)&p->doc, &p->cap_rows, p->n_rows + 1, sizeof *p->doc))
		return TD_ENOMEM;
	uint64_t *row_ptr = realloc(p->row_ptr, (p->cap_rows + 1) * sizeof *row_ptr);
	if (!row_ptr)
		return TD_ENOMEM;
	p->row_ptr = row_ptr;
	if (tokens->n > SIZE_MAX / 4 || reserve_scratch(p, tokens->n, tokens->n * n_orders))
		return TD_ENOMEM;
	if (streams) {
		/* room for every token and a break between any two: no check below */
		if (array_reserve((void **)&p->stream_ptr, &p->cap_stream_rows, p->n_rows + 2, sizeof *p->stream_ptr) ||
		    array_reserve((void **)&p->stream, &p->stream_cap, p->stream_len + 2 * tokens->n, sizeof *p->stream))
			return TD_ENOMEM;
		if (p->n_rows == 0)
			p->stream_ptr[0] = 0;
	}

	/* 1. The words: their term ids (unigrams), and for n-grams the kept
	 * tokens' word ids.  Unigrams alone: the words are the terms. */
	struct vocab *words = nmax == 1 ? &p->vocab : &p->words;
	size_t stream_start = p->stream_len, n_occ = 0, m = 0;
	uint32_t stream_sentence = 0;
	int rc = 0;
	for (size_t i = 0; i < tokens->n; i++) {
		const struct token *t = &tokens->items[i];
		if (i + PREFETCH_AHEAD < tokens->n)
			vocab_prefetch(words, tokens->items[i + PREFETCH_AHEAD].hash);
		if (t->flags & TOKEN_STOP)
			continue;
		uint32_t word, term;
		const char *str = token_str(tokens, i);
		if (t->len <= VOCAB_INLINE) {
			uint64_t key[2];
			hash_word_key(str, t->len, key);
			rc = vocab_intern_key(words, str, t->len, key, t->hash, &word);
		} else {
			rc = vocab_intern(words, str, t->len, t->hash, &word);
		}
		if (rc)
			goto fail;
		if (nmax > 1) {
			p->kept_word[m] = word;
			p->kept_sentence[m++] = t->sentence;
		}
		if (nmin > 1)
			continue;
		term = word;
		if (nmax > 1 && (rc = word_as_term(p, word, &term)))
			goto fail;
		p->occ[n_occ++] = term;
		if (streams) {
			if (p->stream_len > stream_start && t->sentence != stream_sentence)
				p->stream[p->stream_len++] = TF_STREAM_BREAK;
			stream_sentence = t->sentence;
			p->stream[p->stream_len++] = term;
		}
	}
	size_t n_unigrams = n_occ;

	/* 2. The n-grams, by their words' ids. */
	for (unsigned n = 2; n <= nmax; n++)
		if ((rc = find_grams(p, m, n, &n_occ)))
			goto fail;

	/* 3. The row. */
	if (p->vocab.n_terms > p->cap_seen) {
		size_t old = p->cap_seen;
		if (array_reserve((void **)&p->seen, &p->cap_seen, p->vocab.n_terms, sizeof *p->seen)) {
			rc = TD_ENOMEM;
			goto fail;
		}
		memset(p->seen + old, 0, (p->cap_seen - old) * sizeof *p->seen);
	}
	if (grow_entries(&p->col, &p->count, &p->cap_nnz, p->nnz + n_occ + 1)) {
		rc = TD_ENOMEM;
		goto fail;
	}
	if (++p->cur_stamp == 0) {  /* 2^32 documents: forget the stamps */
		for (size_t k = 0; k < p->cap_seen; k++)
			p->seen[k].stamp = 0;
		p->cur_stamp = 1;
	}
	p->last_types = count_row(p, n_occ, n_unigrams);
	p->n_occ += n_occ;
	p->doc[p->n_rows++] = doc_index;
	p->row_ptr[p->n_rows] = p->nnz;
	if (streams)
		p->stream_ptr[p->n_rows] = p->stream_len;
	return 0;
fail:  /* no row: the terms met stay in the vocabulary, uncounted */
	p->stream_len = stream_start;
	return rc;
}

size_t tf_part_last_types(const struct tf_part *p)
{
	return p->last_types;
}

size_t tf_part_rows(const struct tf_part *p)
{
	return p->n_rows;
}

size_t tf_part_row_doc(const struct tf_part *p, size_t row)
{
	return p->doc[row];
}

const uint32_t *tf_part_stream(const struct tf_part *p, size_t row, size_t *n)
{
	if (!p->stream_ptr) {
		*n = 0;
		return NULL;
	}
	*n = (size_t)(p->stream_ptr[row + 1] - p->stream_ptr[row]);
	return p->stream + p->stream_ptr[row];
}

int tf_part_map_stream(struct tf_part *p, struct dtm *dtm)
{
	if (vocab_index(&dtm->terms))
		return TD_ENOMEM;
	size_t n_local = p->vocab.n_terms;
	uint32_t *to_final = malloc((n_local ? n_local : 1) * sizeof *to_final);
	if (!to_final)
		return TD_ENOMEM;
	for (size_t l = 0; l < n_local; l++)
		to_final[l] = vocab_find(&dtm->terms, vocab_term(&p->vocab, (uint32_t)l), p->vocab.len[l],
					 p->vocab.hash[l]);
	for (size_t k = 0; k < p->stream_len; k++)
		if (p->stream[k] != TF_STREAM_BREAK)
			p->stream[k] = to_final[p->stream[k]];
	free(to_final);
	return 0;
}

/* ---- merging ---------------------------------------------------------- */

/* Entries of a part read before their pages are given back (8 MB). */
#define RELEASE_STEP (UINT64_C(1) << 20)

/* A term of a part, for sorting: its first 16 bytes as two numbers that
 * order as the bytes do, its length and its id in the part.  A term of up
 * to 16 bytes is all in its key, and so are most: the sort and the merge of
 * the parts read the strings of longer terms alone (the merge compared
 * every term that two parts share by its strings, at random in their
 * arenas, when the key was 8 bytes). */
struct term_key {
	uint64_t prefix[2];
	uint32_t len;
	uint32_t id;
};

static inline uint64_t load_be64(const unsigned char *b)
{
	return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 | (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
	       (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 | (uint64_t)b[6] << 8 | (uint64_t)b[7];
}

/* The key of term id of v: its first 16 bytes zero-padded, big-endian
 * (terms hold no NUL, so the padding sorts a shorter term first). */
static struct term_key term_key_of(const struct vocab *v, uint32_t id)
{
	unsigned char b[16] = { 0 };
	uint32_t len = v->len[id];
	memcpy(b, vocab_term(v, id), len < 16 ? len : 16);
	return (struct term_key){ { load_be64(b), load_be64(b + 8) }, len, id };
}

/* Byte order of UTF-8 strings = code point order (what Python sorts by):
 * the keys decide every comparison but those of two terms longer than 16
 * bytes that share their first 16, without reading the strings.  x is a
 * term of vocabulary vx, y of vy. */
static int compare_keys(const struct term_key *x, const struct vocab *vx, const struct term_key *y,
			const struct vocab *vy)
{
	if (x->prefix[0] != y->prefix[0])
		return x->prefix[0] < y->prefix[0] ? -1 : 1;
	if (x->prefix[1] != y->prefix[1])
		return x->prefix[1] < y->prefix[1] ? -1 : 1;
	uint32_t lx = x->len, ly = y->len;
	if (lx > 16 && ly > 16) {  /* else the shorter is the other's first bytes, or they are equal */
		int c = memcmp(vocab_term(vx, x->id) + 16, vocab_term(vy, y->id) + 16, (lx < ly ? lx : ly) - 16);
		if (c)
			return c;
	}
	return (lx > ly) - (lx < ly);
}

/* Sorts n keys of terms of v that share their first 8 bytes, through tmp
 * (room for n): a merge sort, insertion sort below 16. */
static void sort_same_prefix(struct term_key *keys, struct term_key *tmp, size_t n, const struct vocab *v)
{
	if (n < 16) {
		for (size_t i = 1; i < n; i++) {
			struct term_key x = keys[i];
			size_t j = i;
			for (; j > 0 && compare_keys(&keys[j - 1], v, &x, v) > 0; j--)
				keys[j] = keys[j - 1];
			keys[j] = x;
		}
		return;
	}
	size_t half = n / 2, a = 0, b = half, at = 0;
	sort_same_prefix(keys, tmp, half, v);
	sort_same_prefix(keys + half, tmp + half, n - half, v);
	while (a < half && b < n)
		tmp[at++] = compare_keys(&keys[b], v, &keys[a], v) < 0 ? keys[b++] : keys[a++];
	while (a < half)
		tmp[at++] = keys[a++];
	while (b < n)
		tmp[at++] = keys[b++];
	memcpy(keys, tmp, n * sizeof *keys);
}

/* Sorts the n keys of terms of v into term order, through tmp (room for n):
 * an LSD radix sort on their first 8 bytes, 8 bits a pass (a byte that
 * every key shares costs no pass), then each run of equal first 8 bytes by
 * compare_keys. */
static void sort_terms(struct term_key *keys, struct term_key *tmp, size_t n, const struct vocab *v)
{
	size_t (*count)[256] = calloc(8, sizeof *count);  /* per byte of the prefix */
	if (!count) {  /* no room for the counts: sort the strings alone */
		sort_same_prefix(keys, tmp, n, v);
		return;
	}
	for (size_t i = 0; i < n; i++)
		for (unsigned byte = 0; byte < 8; byte++)
			count[byte][(keys[i].prefix[0] >> (8 * byte)) & 255]++;
	struct term_key *from = keys, *to = tmp;
	for (unsigned byte = 0; byte < 8; byte++) {
		size_t *start = count[byte], at = 0;
		if (n == 0 || start[(keys[0].prefix[0] >> (8 * byte)) & 255] == n)
			continue;  /* every prefix has this byte */
		for (unsigned b = 0; b < 256; b++) {
			size_t c = start[b];
			start[b] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			to[start[(from[i].prefix[0] >> (8 * byte)) & 255]++] = from[i];
		struct term_key *t = from;
		from = to;
		to = t;
	}
	free(count);
	if (from != keys)
		memcpy(keys, from, n * sizeof *keys);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && keys[j].prefix[0] == keys[i].prefix[0]; j++)
			;
		if (j - i > 1)
			sort_same_prefix(keys + i, tmp, j - i, v);
	}
}

/* Reads a vocabulary file into v (file order); duplicates are an error. */
static int read_vocab_file(struct vocab *v, const char *path, struct td_diag *diag)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return td_fail(diag, TD_ENOENT, "cannot open '%s': %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = 0;
	while ((n = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		uint64_t h = hash_term(line, (size_t)n);
		if (vocab_find(v, line, (size_t)n, h) != VOCAB_NONE) {
			line[n] = '\0';
			rc = td_fail(diag, TD_EFORMAT, "'%s' line %zu: term '%s' is listed twice", path, lineno, line);
			break;
		}
		uint32_t id;
		if ((rc = vocab_intern(v, line, (size_t)n, h, &id))) {
			td_fail(diag, rc, "out of memory");
			break;
		}
	}
	if (!rc && ferror(fp))
		rc = td_fail(diag, TD_EIO, "cannot read '%s': %s", path, strerror(errno));
	free(line);
	fclose(fp);
	if (!rc && v->n_terms == 0)
		rc = td_fail(diag, TD_EEMPTY, "'%s': the vocabulary file holds no terms", path);
	return rc;
}

static double bound_value(const struct df_bound *b, size_t n_docs)
{
	return b->is_frac ? b->frac * (double)n_docs : (double)b->count;
}

/* What step 1 of tf_build gives for one part, on a thread of its own: the
 * part's df and cf over the included documents, and its terms in term
 * order (unless a vocabulary is imposed); then, from step 2 on, the final id
 * of each of its terms. */
struct part_job {
	struct tf_part *part;
	const bool *included;
	size_t n_docs;
	bool sort;               /* the terms are needed in term order */
	uint64_t *df, *cf;       /* per local id; with sort, per term in term order */
	struct term_key *sorted; /* the local ids in term order */
	uint32_t *sorted_final;  /* with sort: per term in term order, its final id (the merge's) */
	uint32_t *to_final;      /* per local id: the matrix's id, or VOCAB_NONE */
	int rc;
};

static void *count_and_sort_part(void *arg)
{
	struct part_job *j = arg;
	struct tf_part *p = j->part;
	size_t n_local = p->vocab.n_terms, n = n_local ? n_local : 1;
	drop_counting_state(p);  /* the part is read by id from now on */
	j->df = malloc(n * sizeof *j->df);
	j->cf = malloc(n * sizeof *j->cf);
	j->to_final = malloc(n * sizeof *j->to_final);
	if (!j->df || !j->cf || !j->to_final) {
		j->rc = TD_ENOMEM;
		return NULL;
	}
	/* df and cf as counted, less the rows of the documents that do not
	 * count (rare: duplicates dropped); counted again from the rows when a
	 * part's 2^32 occurrences may have wrapped its entries' */
	bool counted = p->n_occ <= TF_SEEN_COUNTS_MAX;
	for (size_t l = 0; l < n_local; l++) {
		bool has = counted && l < p->cap_seen;  /* a term met by a row that failed has none */
		j->df[l] = has ? p->seen[l].df : 0;
		j->cf[l] = has ? p->seen[l].cf : 0;
	}
	free(p->seen);
	p->seen = NULL;
	p->cap_seen = 0;
	for (size_t r = 0; r < p->n_rows; r++) {
		bool counts = p->doc[r] < j->n_docs && j->included[p->doc[r]];
		if (counted == counts)
			continue;
		for (uint64_t k = p->row_ptr[r]; k < p->row_ptr[r + 1]; k++) {
			if (counts) {
				j->df[p->col[k]]++;
				j->cf[p->col[k]] += p->count[k];
			} else {
				j->df[p->col[k]]--;
				j->cf[p->col[k]] -= p->count[k];
			}
		}
	}
	if (!j->sort)
		return NULL;
	struct term_key *tmp = malloc(n * sizeof *tmp);
	j->sorted = malloc(n * sizeof *j->sorted);
	if (!tmp || !j->sorted) {
		free(tmp);
		j->rc = TD_ENOMEM;
		return NULL;
	}
	for (size_t l = 0; l < n_local; l++)
		j->sorted[l] = term_key_of(&p->vocab, (uint32_t)l);
	sort_terms(j->sorted, tmp, n_local, &p->vocab);
	free(tmp);
	/* df and cf in term order, which the merge reads them in (the two
	 * parts of SOTU x10's bigrams, read at random, did not fit the cache
	 * together: the merge took 0.036-0.050 s, a tenth of it with one part) */
	uint64_t *df = malloc(n * sizeof *df), *cf = malloc(n * sizeof *cf);
	j->sorted_final = malloc(n * sizeof *j->sorted_final);
	if (!df || !cf || !j->sorted_final) {
		free(df);
		free(cf);
		j->rc = TD_ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < n_local; i++) {
		df[i] = j->df[j->sorted[i].id];
		cf[i] = j->cf[j->sorted[i].id];
	}
	free(j->df);
	free(j->cf);
	j->df = df;
	j->cf = cf;
	return NULL;
}

/* Gives each of the part's terms the final id the merge gave it in term order. */
static void *spread_final(void *arg)
{
	struct part_job *j = arg;
	for (size_t i = 0; i < j->part->vocab.n_terms; i++)
		j->to_final[j->sorted[i].id] = j->sorted_final[i];
	return NULL;
}

/* A term that passed the df bounds: its counts and where its string is. */
struct kept_term {
	uint64_t df, cf;
	uint32_t part, id;
};

/* cf descending, then term order (ranks ascending). */
struct cf_rank {
	uint64_t cf;
	uint32_t rank;
};

static int compare_cf(const void *a, const void *b)
{
	const struct cf_rank *x = a, *y = b;
	if (x->cf != y->cf)
		return x->cf < y->cf ? 1 : -1;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

static int compare_rank(const void *a, const void *b)
{
	const struct cf_rank *x = a, *y = b;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Keeps the max_features terms of highest cf among the n kept (ties by term
 * order), in term order: *kept is compacted, *n_kept lowered, and each
 * part's to_final renumbered.  Returns 0 or TD_ENOMEM. */
static int keep_most_frequent(struct kept_term *kept, size_t *n_kept, uint64_t max_features,
			      struct part_job *jobs, size_t n_parts)
{
	size_t n = *n_kept;
	struct cf_rank *by_cf = malloc(n * sizeof *by_cf);
	uint32_t *renumber = malloc(n * sizeof *renumber);
	if (!by_cf || !renumber) {
		free(by_cf);
		free(renumber);
		return TD_ENOMEM;
	}
	for (size_t k = 0; k < n; k++)
		by_cf[k] = (struct cf_rank){ kept[k].cf, (uint32_t)k };
	qsort(by_cf, n, sizeof *by_cf, compare_cf);
	n = (size_t)max_features;
	/* back to term order, so that ids follow the sorted vocabulary */
	qsort(by_cf, n, sizeof *by_cf, compare_rank);
	for (size_t k = 0; k < *n_kept; k++)
		renumber[k] = VOCAB_NONE;
	for (size_t k = 0; k < n; k++) {
		renumber[by_cf[k].rank] = (uint32_t)k;
		kept[k] = kept[by_cf[k].rank];  /* rank >= k: not yet overwritten */
	}
	for (size_t pi = 0; pi < n_parts; pi++)
		for (size_t l = 0; l < jobs[pi].part->vocab.n_terms; l++)
			if (jobs[pi].to_final[l] != VOCAB_NONE)
				jobs[pi].to_final[l] = renumber[jobs[pi].to_final[l]];
	free(by_cf);
	free(renumber);
	*n_kept = n;
	return 0;
}

/* Step 2 of tf_build: the final vocabulary into out->terms, out->df and
 * out->cf, and each part's to_final.  The parts' sorted terms are merged:
 * each distinct term once, in term order, with the df and cf of every part
 * that holds it; the terms that pass the df bounds are numbered in that
 * order.  With an imposed vocabulary, the file gives the terms and ids. */
static int choose_terms(struct part_job *jobs, size_t n_parts, struct dtm *out, const struct tf_opts *opts,
			struct td_diag *diag)
{
	if (opts->vocab_file) {  /* imposed: file order, no pruning (as scikit-learn) */
		int rc = read_vocab_file(&out->terms, opts->vocab_file, diag);
		if (rc)
			return rc;
		out->df = calloc(out->terms.n_terms, sizeof *out->df);
		out->cf = calloc(out->terms.n_terms, sizeof *out->cf);
		if (!out->df || !out->cf)
			return td_fail(diag, TD_ENOMEM, "out of memory");
		for (size_t pi = 0; pi < n_parts; pi++) {
			const struct vocab *v = &jobs[pi].part->vocab;
			for (size_t l = 0; l < v->n_terms; l++) {
				uint32_t f = vocab_find(&out->terms, vocab_term(v, (uint32_t)l), v->len[l], v->hash[l]);
				jobs[pi].to_final[l] = f;
				if (f != VOCAB_NONE) {
					out->df[f] += jobs[pi].df[l];
					out->cf[f] += jobs[pi].cf[l];
				}
			}
		}
		return 0;
	}

	double low = bound_value(&opts->min_df, out->n_included);
	double high = bound_value(&opts->max_df, out->n_included);
	if (high < low)
		return td_fail(diag, TD_EINVAL, "max_df corresponds to fewer documents (%g) than min_df (%g)",
			       high, low);
	size_t total = 0;
	for (size_t pi = 0; pi < n_parts; pi++)
		total += jobs[pi].part->vocab.n_terms;
	size_t *at = calloc(n_parts ? n_parts : 1, sizeof *at);
	uint32_t *holders = malloc((n_parts ? n_parts : 1) * sizeof *holders);
	struct kept_term *kept = malloc((total ? total : 1) * sizeof *kept);
	size_t n_kept = 0, n_distinct = 0, arena_bytes = 0;
	int rc = 0;
	if (!at || !holders || !kept) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		/* the least term at the parts' heads, and the parts that hold it
		 * (everything read and written in term order) */
		size_t first = n_parts, n_holders = 0;
		for (size_t pi = 0; pi < n_parts; pi++) {
			if (at[pi] == jobs[pi].part->vocab.n_terms)
				continue;
			int c = first == n_parts ? -1
					: compare_keys(&jobs[pi].sorted[at[pi]], &jobs[pi].part->vocab,
						       &jobs[first].sorted[at[first]], &jobs[first].part->vocab);
			if (c < 0) {
				first = pi;
				n_holders = 0;
			}
			if (c <= 0)
				holders[n_holders++] = (uint32_t)pi;
		}
		if (first == n_parts)
			break;
		if (++n_distinct >= UINT32_MAX) {
			rc = td_fail(diag, TD_EINVAL, "too many distinct terms");
			goto out;
		}
		uint64_t df = 0, cf = 0;
		for (size_t h = 0; h < n_holders; h++) {
			df += jobs[holders[h]].df[at[holders[h]]];
			cf += jobs[holders[h]].cf[at[holders[h]]];
		}
		uint32_t final = VOCAB_NONE;
		if (df > 0 && (double)df >= low && (double)df <= high) {
			uint32_t id = jobs[first].sorted[at[first]].id;
			final = (uint32_t)n_kept;
			kept[n_kept++] = (struct kept_term){ df, cf, (uint32_t)first, id };
		}
		for (size_t h = 0; h < n_holders; h++)
			jobs[holders[h]].sorted_final[at[holders[h]]++] = final;
	}
	jobs_run(jobs, n_parts < JOBS_MAX ? n_parts : JOBS_MAX, sizeof *jobs, spread_final);
	for (size_t pi = JOBS_MAX; pi < n_parts; pi++)
		spread_final(&jobs[pi]);
	if (opts->max_features && n_kept > opts->max_features &&
	    keep_most_frequent(kept, &n_kept, opts->max_features, jobs, n_parts)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	if (n_kept == 0) {
		rc = td_fail(diag, TD_EEMPTY, "no terms remain after pruning (min_df, max_df, max_features)");
		goto out;
	}
	for (size_t k = 0; k < n_kept; k++) {
		if (k + PREFETCH_AHEAD < n_kept)
			prefetch(&jobs[kept[k + PREFETCH_AHEAD].part].part->vocab.len[kept[k + PREFETCH_AHEAD].id]);
		arena_bytes += jobs[kept[k].part].part->vocab.len[kept[k].id] + 1;
	}
	out->df = malloc(n_kept * sizeof *out->df);
	out->cf = malloc(n_kept * sizeof *out->cf);
	if (!out->df || !out->cf || vocab_reserve_terms(&out->terms, n_kept, arena_bytes)) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto out;
	}
	/* The terms in their final order, with no hash table (vocab_index
	 * builds it for the few that look terms up): the kept terms are read
	 * at random in the parts, so their offsets and hashes are fetched
	 * PREFETCH_AHEAD terms on, and their strings half as far on. */
	for (size_t k = 0; k < n_kept; k++) {
		if (k + PREFETCH_AHEAD < n_kept) {
			const struct vocab *ahead = &jobs[kept[k + PREFETCH_AHEAD].part].part->vocab;
			prefetch(&ahead->offset[kept[k + PREFETCH_AHEAD].id]);
			prefetch(&ahead->hash[kept[k + PREFETCH_AHEAD].id]);
		}
		if (k + PREFETCH_AHEAD / 2 < n_kept) {
			const struct vocab *ahead = &jobs[kept[k + PREFETCH_AHEAD / 2].part].part->vocab;
			prefetch(vocab_term(ahead, kept[k + PREFETCH_AHEAD / 2].id));
		}
		const struct vocab *v = &jobs[kept[k].part].part->vocab;
		uint32_t id = kept[k].id, final_id;
		if ((rc = vocab_append(&out->terms, vocab_term(v, id), v->len[id], v->hash[id], &final_id))) {
			td_fail(diag, rc, "out of memory");
			goto out;
		}
		out->df[k] = kept[k].df;
		out->cf[k] = kept[k].cf;
	}
out:
	free(at);
	free(holders);
	free(kept);
	return rc;
}

struct entry {
	uint32_t col;
	uint32_t count;
};

/* Sorts a row's entries by column: insertion sort when short, else an LSD
 * radix sort on bits-wide column ids through tmp (room for n entries), in
 * as few passes of at most 11 bits as cover them (two for up to 4 million
 * terms, where bytes took three past 65,536).  O(n) per row, and nothing
 * larger than the longest row. */
static void sort_entries(struct entry *e, struct entry *tmp, size_t n, unsigned bits)
{
	enum { MAX_WIDTH = 11 };
	if (n < 48) {
		for (size_t i = 1; i < n; i++) {
			struct entry x = e[i];
			size_t j = i;
			for (; j > 0 && e[j - 1].col > x.col; j--)
				e[j] = e[j - 1];
			e[j] = x;
		}
		return;
	}
	unsigned passes = (bits + MAX_WIDTH - 1) / MAX_WIDTH;
	unsigned width = passes ? (bits + passes - 1) / passes : 0;
	uint32_t mask = (UINT32_C(1) << width) - 1;
	struct entry *from = e, *to = tmp;
	for (unsigned shift = 0; shift < bits; shift += width) {
		size_t start[1u << MAX_WIDTH];
		memset(start, 0, ((size_t)mask + 1) * sizeof *start);
		for (size_t i = 0; i < n; i++)
			start[(from[i].col >> shift) & mask]++;
		size_t at = 0;
		for (uint32_t b = 0; b <= mask; b++) {
			size_t c = start[b];
			start[b] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			to[start[(from[i].col >> shift) & mask]++] = from[i];
		struct entry *t = from;
		from = to;
		to = t;
	}
	if (from != e)
		memcpy(e, from, n * sizeof *e);
}

/* Reads row r of part p into row (room for its length) in final ids, the
 * pruned terms left out, sorted by column through tmp; returns its length. */
static size_t final_row(const struct tf_part *p, size_t r, const uint32_t *to_final, bool pruned, unsigned bits,
			struct entry *row, struct entry *tmp)
{
	size_t n = 0;
	if (pruned) {
		for (uint64_t k = p->row_ptr[r]; k < p->row_ptr[r + 1]; k++) {
			uint32_t f = to_final[p->col[k]];
			if (f != VOCAB_NONE)
				row[n++] = (struct entry){ f, p->count[k] };
		}
	} else {
		for (uint64_t k = p->row_ptr[r]; k < p->row_ptr[r + 1]; k++)
			row[n++] = (struct entry){ to_final[p->col[k]], p->count[k] };
	}
	sort_entries(row, tmp, n, bits);
	return n;
}

/* Where each document's row is: its part, and its row there. */
struct doc_row {
	uint32_t part;           /* UINT32_MAX: not counted */
	size_t row;
};

/* A share of the documents whose rows one thread builds. */
struct build_job {
	const struct doc_row *where;
	const struct part_job *parts;
	size_t n_parts;
	const bool *included;
	struct dtm *out;
	size_t first, last;      /* documents [first, last) */
	bool pruned;             /* some terms are not in the final vocabulary */
	bool in_order;           /* every part's rows are in document order */
	unsigned bits;           /* bits of the final ids */
	int rc;
};

/* The entries of document d (its part row, or none). */
static const struct tf_part *doc_row(const struct build_job *j, size_t d, size_t *r, uint32_t *pi)
{
	if (!j->included[d] || j->where[d].part == UINT32_MAX)
		return NULL;
	*pi = j->where[d].part;
	*r = j->where[d].row;
	return j->parts[*pi].part;
}

/* First pass: the length of each of the job's rows into out->row_ptr[d + 1]
 * (the final ids drop pruned terms; without pruning the part's row length). */
static void *row_lengths(void *arg)
{
	struct build_job *j = arg;
	for (size_t d = j->first; d < j->last; d++) {
		size_t r;
		uint32_t pi;
		const struct tf_part *p = doc_row(j, d, &r, &pi);
		uint64_t n = 0;
		if (p && !j->pruned)
			n = p->row_ptr[r + 1] - p->row_ptr[r];
		else if (p)
			for (uint64_t k = p->row_ptr[r]; k < p->row_ptr[r + 1]; k++)
				n += j->parts[pi].to_final[p->col[k]] != VOCAB_NONE;
		j->out->row_ptr[d + 1] = n;
	}
	return NULL;
}

/* Second pass: the job's rows, in final ids, sorted by column, where the
 * first pass put them.  A part's entries that the job has read are given
 * back as it goes (only whole pages inside what it read: the pages it
 * shares with the next job's share stay): a bigram matrix is otherwise held
 * twice. */
static void *fill_rows(void *arg)
{
	struct build_job *j = arg;
	struct entry *row = NULL, *tmp = NULL;
	size_t row_cap = 0, tmp_cap = 0;
	/* per part: read from released[pi] on (UINT64_MAX: nothing yet), up to read[pi] */
	uint64_t *released = malloc(2 * (j->n_parts ? j->n_parts : 1) * sizeof *released), *read = released + j->n_parts;
	if (!released) {
		j->rc = TD_ENOMEM;
		return NULL;
	}
	for (size_t pi = 0; pi < j->n_parts; pi++)
		released[pi] = UINT64_MAX;
	for (size_t d = j->first; d < j->last; d++) {
		size_t r;
		uint32_t pi;
		const struct tf_part *p = doc_row(j, d, &r, &pi);
		if (!p)
			continue;
		uint64_t start = j->out->row_ptr[d], len = p->row_ptr[r + 1] - p->row_ptr[r];
		if (array_reserve((void **)&row, &row_cap, len, sizeof *row) ||
		    array_reserve((void **)&tmp, &tmp_cap, len, sizeof *tmp)) {
			j->rc = TD_ENOMEM;
			break;
		}
		size_t n = final_row(p, r, j->parts[pi].to_final, j->pruned, j->bits, row, tmp);
		for (uint64_t k = 0; k < n; k++) {
			j->out->col[start + k] = row[k].col;
			j->out->count[start + k] = row[k].count;
		}
		if (!j->in_order)
			continue;
		if (released[pi] == UINT64_MAX)
			released[pi] = p->row_ptr[r];
		read[pi] = p->row_ptr[r + 1];
		if (read[pi] - released[pi] >= RELEASE_STEP) {
			array_release(p->col, released[pi] * sizeof *p->col, read[pi] * sizeof *p->col);
			array_release(p->count, released[pi] * sizeof *p->count, read[pi] * sizeof *p->count);
			released[pi] = read[pi];
		}
	}
	/* and what is left of the share (shares are smaller than RELEASE_STEP
	 * on SOTU x10: released only here, the bigram run's peak was 410 MB
	 * instead of 315) */
	for (size_t pi = 0; pi < j->n_parts; pi++) {
		const struct tf_part *p = j->parts[pi].part;
		if (j->in_order && released[pi] != UINT64_MAX && read[pi] > released[pi]) {
			array_release(p->col, released[pi] * sizeof *p->col, read[pi] * sizeof *p->col);
			array_release(p->count, released[pi] * sizeof *p->count, read[pi] * sizeof *p->count);
		}
	}
	free(row);
	free(tmp);
	free(released);
	return NULL;
}

/* Step 3 with one part whose rows are in document order: each row is
 * rewritten in the part's own arrays, which become the matrix's.  A row is
 * read whole before it is written, and it lands at or before where it was
 * (the rows before it only shrink or go), so nothing is overwritten unread;
 * and the entries are never held twice. */
static int build_rows_in_place(struct part_job *job, const bool *included, bool pruned, unsigned bits,
			       struct dtm *out)
{
	struct tf_part *p = job->part;
	struct entry *row = NULL, *tmp = NULL;
	size_t row_cap = 0, tmp_cap = 0, d = 0;
	uint64_t at = 0;
	int rc = 0;
	for (size_t r = 0; r < p->n_rows; r++) {
		size_t doc = p->doc[r];
		if (doc >= out->n_docs || !included[doc])
			continue;
		uint64_t len = p->row_ptr[r + 1] - p->row_ptr[r];
		if (array_reserve((void **)&row, &row_cap, len, sizeof *row) ||
		    array_reserve((void **)&tmp, &tmp_cap, len, sizeof *tmp)) {
			rc = TD_ENOMEM;
			break;
		}
		for (; d <= doc; d++)  /* the documents before it have no row */
			out->row_ptr[d] = at;
		size_t n = final_row(p, r, job->to_final, pruned, bits, row, tmp);
		for (size_t k = 0; k < n; k++) {
			p->col[at + k] = row[k].col;
			p->count[at + k] = row[k].count;
		}
		at += n;
	}
	free(row);
	free(tmp);
	if (rc)
		return rc;
	for (; d <= out->n_docs; d++)
		out->row_ptr[d] = at;
	if (!p->col && grow_entries(&p->col, &p->count, &p->cap_nnz, 1))
		return TD_ENOMEM;
	out->col = p->col;
	out->count = p->count;
	p->col = NULL;
	p->count = NULL;
	p->nnz = p->cap_nnz = 0;
	return 0;
}

/* Shares of the documents per thread in step 3: threads take the next
 * share as they finish one, so that a slower thread takes fewer (with one
 * share each, the thread with the first half of SOTU x10's bigram rows
 * took 0.10-0.12 s and the other 0.06-0.08, whichever thread had which). */
#define SHARES_PER_THREAD 8

/* Threads taking shares of build_job in turn. */
struct share_runner {
	struct build_job *shares;
	size_t n_shares;
	atomic_size_t next;
	void *(*fn)(void *);
};

static void *run_shares(void *arg)
{
	struct share_runner *sr = *(struct share_runner **)arg;
	for (size_t i; (i = atomic_fetch_add(&sr->next, 1)) < sr->n_shares;)
		sr->fn(&sr->shares[i]);
	return NULL;
}

/* Runs fn on every share, on n_threads threads. */
static void run_shares_on(struct build_job *shares, size_t n_shares, size_t n_threads, void *(*fn)(void *))
{
	struct share_runner sr = { shares, n_shares, 0, fn };
	struct share_runner *runners[JOBS_MAX];
	for (size_t i = 0; i < n_threads; i++)
		runners[i] = &sr;
	jobs_run(runners, n_threads, sizeof *runners, run_shares);
}

/* Matrices built in part 0's arrays from several parts (struct placing):
 * the tests that compile this file see which way a build went. */
static atomic_size_t placed_in_part0;

/* Step 3 with several parts whose rows are in document order: the matrix
 * is built in part 0's arrays, grown to its size, as with one part, so that
 * only the other parts' entries are written to new memory (the whole
 * matrix went to new arrays, whose pages cost more to touch on a virtual
 * machine than the rows took to build).
 *
 * Document d's row goes to F(d) = out->row_ptr[d].  Part 0's rows of the
 * documents before d end at P0(d), the start of its first row of a document
 * at or after d.  When F(a) >= P0(a) at the first document a of every share,
 * a share's rows land beyond where the shares before it read part 0, and
 * only the shares after it may still have to read what it overwrites.  So
 * the shares are taken from the last one down: each is read whole into its
 * thread's buffer (in final ids, sorted), and written once every share after
 * it has been read.  A thread waits only for shares taken before its own,
 * which are read without waiting: no thread waits for ever, and one thread
 * alone takes them all in turn.  The other parts' pages are given back as
 * their shares are read.  SOTU x10 on two threads, this step's median of
 * eight alternating runs: unigrams 0.036 s in new arrays, 0.026 placed;
 * bigrams 0.21 and 0.16.  Shares of at most 32,768 entries, whose buffers
 * stay in the cache, were slower than either (0.041 and 0.22): a thread
 * waits more often. */
struct placing {
	struct build_job *shares;
	size_t n_shares;
	atomic_size_t taken;     /* share n_shares - 1 - taken is the next */
	pthread_mutex_t lock;
	pthread_cond_t read_cond;
	bool *read;              /* per share: read into its thread's buffer */
	size_t all_read_from;    /* shares [all_read_from, n_shares) are all read */
	uint32_t *col, *count;   /* part 0's arrays, grown to the matrix's size */
};

/* Reads share j's rows into buf (room for the share's entries, at their
 * offsets from the share's first) through tmp (tmp_cap entries, grown as
 * rows need); gives back the pages of the other parts' rows it read.
 * Returns 0 or TD_ENOMEM. */
static int read_share(const struct build_job *j, struct entry *buf, struct entry **tmp, size_t *tmp_cap)
{
	const uint64_t *row_ptr = j->out->row_ptr;
	uint64_t base = row_ptr[j->first];
	uint64_t lo[JOBS_MAX], hi[JOBS_MAX];  /* per part: the span of its rows read */
	size_t n_parts = j->n_parts < JOBS_MAX ? j->n_parts : JOBS_MAX;
	for (size_t pi = 0; pi < n_parts; pi++)
		lo[pi] = hi[pi] = 0;
	for (size_t d = j->first; d < j->last; d++) {
		size_t r;
		uint32_t pi;
		const struct tf_part *p = doc_row(j, d, &r, &pi);
		if (!p)
			continue;
		if (array_reserve((void **)tmp, tmp_cap, row_ptr[d + 1] - row_ptr[d], sizeof **tmp))
			return TD_ENOMEM;
		final_row(p, r, j->parts[pi].to_final, j->pruned, j->bits, buf + (row_ptr[d] - base), *tmp);
		if (pi < n_parts) {
			if (lo[pi] == hi[pi])
				lo[pi] = p->row_ptr[r];
			hi[pi] = p->row_ptr[r + 1];
		}
	}
	for (size_t pi = 1; pi < n_parts; pi++) {  /* part 0's are the matrix's */
		const struct tf_part *p = j->parts[pi].part;
		if (hi[pi] > lo[pi]) {
			array_release(p->col, lo[pi] * sizeof *p->col, hi[pi] * sizeof *p->col);
			array_release(p->count, lo[pi] * sizeof *p->count, hi[pi] * sizeof *p->count);
		}
	}
	return 0;
}

static void *place_shares(void *arg)
{
	struct placing *pl = *(struct placing **)arg;
	struct entry *buf = NULL, *tmp = NULL;
	size_t buf_cap = 0, tmp_cap = 0;
	for (size_t k; (k = atomic_fetch_add(&pl->taken, 1)) < pl->n_shares;) {
		size_t s = pl->n_shares - 1 - k;
		struct build_job *j = &pl->shares[s];
		const uint64_t *row_ptr = j->out->row_ptr;
		uint64_t base = row_ptr[j->first], len = row_ptr[j->last] - base;
		if (array_reserve((void **)&buf, &buf_cap, len ? len : 1, sizeof *buf) ||
		    read_share(j, buf, &tmp, &tmp_cap))
			j->rc = TD_ENOMEM;  /* marked read all the same: the others go on */
		pthread_mutex_lock(&pl->lock);
		pl->read[s] = true;
		while (pl->all_read_from > 0 && pl->read[pl->all_read_from - 1])
			pl->all_read_from--;
		pthread_cond_broadcast(&pl->read_cond);
		while (pl->all_read_from > s + 1)
			pthread_cond_wait(&pl->read_cond, &pl->lock);
		pthread_mutex_unlock(&pl->lock);
		if (j->rc)
			continue;
		for (uint64_t k2 = 0; k2 < len; k2++) {
			pl->col[base + k2] = buf[k2].col;
			pl->count[base + k2] = buf[k2].count;
		}
	}
	free(buf);
	free(tmp);
	return NULL;
}

/* Whether the shares' rows can be placed in part 0's arrays (see struct
 * placing): F(a) >= P0(a) at each share's first document a. */
static bool can_place_in_part0(const struct build_job *shares, size_t n_shares, const struct tf_part *p0,
			       const uint64_t *row_ptr)
{
	size_t r = 0;
	for (size_t s = 0; s < n_shares; s++) {
		size_t a = shares[s].first;
		while (r < p0->n_rows && p0->doc[r] < a)
			r++;
		if (row_ptr[a] < p0->row_ptr[r])
			return false;
	}
	return true;
}

/* Builds the rows of the shares in part 0's arrays, which become out->col
 * and out->count, on n_threads threads.  Returns 0 or TD_ENOMEM. */
static int place_in_part0(struct build_job *shares, size_t n_shares, size_t n_threads, struct tf_part *p0,
			  struct dtm *out)
{
	uint64_t nnz = out->row_ptr[out->n_docs];
	if (grow_entries(&p0->col, &p0->count, &p0->cap_nnz, nnz ? nnz : 1))
		return TD_ENOMEM;
	struct placing pl = { .shares = shares, .n_shares = n_shares, .all_read_from = n_shares,
			      .col = p0->col, .count = p0->count };
	pl.read = calloc(n_shares ? n_shares : 1, sizeof *pl.read);
	if (!pl.read)
		return TD_ENOMEM;
	pthread_mutex_init(&pl.lock, NULL);
	pthread_cond_init(&pl.read_cond, NULL);
	struct placing *runners[JOBS_MAX];
	for (size_t i = 0; i < n_threads; i++)
		runners[i] = &pl;
	jobs_run(runners, n_threads, sizeof *runners, place_shares);
	pthread_mutex_destroy(&pl.lock);
	pthread_cond_destroy(&pl.read_cond);
	free(pl.read);
	out->col = p0->col;  /* the part's rows were read from them until now */
	out->count = p0->count;
	p0->col = p0->count = NULL;
	p0->nnz = p0->cap_nnz = 0;
	for (size_t s = 0; s < n_shares; s++)
		if (shares[s].rc)
			return shares[s].rc;
	return 0;
}

/* Step 3 of tf_build: out->row_ptr, out->col and out->count (allocated)
 * from the parts, on as many threads as there are parts; the same bytes for
 * any number. */
static int build_rows(struct part_job *parts, size_t n_parts, const bool *included, struct dtm *out)
{
	size_t n_docs = out->n_docs, n_threads = n_parts < 1 ? 1 : n_parts > JOBS_MAX ? JOBS_MAX : n_parts;
	unsigned bits = 0;
	while (bits < 32 && (out->n_terms >> bits) > 0)
		bits++;
	bool pruned = false, in_order = true;
	for (size_t pi = 0; pi < n_parts && !pruned; pi++)
		for (size_t l = 0; l < parts[pi].part->vocab.n_terms && !pruned; l++)
			pruned = parts[pi].to_final[l] == VOCAB_NONE;
	for (size_t pi = 0; pi < n_parts && in_order; pi++)
		for (size_t r = 1; r < parts[pi].part->n_rows; r++)
			if (parts[pi].part->doc[r] <= parts[pi].part->doc[r - 1]) {
				in_order = false;
				break;
			}
	out->row_ptr = malloc((n_docs + 1) * sizeof *out->row_ptr);
	if (!out->row_ptr)
		return TD_ENOMEM;
	if (n_parts == 1 && in_order)
		return build_rows_in_place(&parts[0], included, pruned, bits, out);

	/* The parts bound the number of entries: when the rows cannot go to
	 * part 0's arrays, col and count are allocated once at that size
	 * (pages never written cost nothing) and trimmed at the end. */
	uint64_t total = 0;
	size_t nnz_cap = 0;
	for (size_t pi = 0; pi < n_parts; pi++)
		total += parts[pi].part->nnz;
	size_t n_jobs = n_threads * SHARES_PER_THREAD;
	struct doc_row *where = malloc((n_docs ? n_docs : 1) * sizeof *where);
	if (!where)
		return TD_ENOMEM;
	for (size_t d = 0; d < n_docs; d++)
		where[d].part = UINT32_MAX;
	for (size_t pi = 0; pi < n_parts; pi++)
		for (size_t r = 0; r < parts[pi].part->n_rows; r++)
			if (parts[pi].part->doc[r] < n_docs)
				where[parts[pi].part->doc[r]] = (struct doc_row){ (uint32_t)pi, r };
	struct build_job *jobs = malloc(n_jobs * sizeof *jobs);
	if (!jobs) {
		free(where);
		return TD_ENOMEM;
	}
	size_t d = 0;
	uint64_t seen = 0;
	for (size_t i = 0; i < n_jobs; i++) {
		jobs[i] = (struct build_job){ where, parts, n_parts, included, out, d, d, pruned, in_order, bits, 0 };
		uint64_t goal = total / n_jobs * (i + 1);
		if (i + 1 == n_jobs)
			d = n_docs;
		for (; d < n_docs && (i + 1 == n_jobs || seen < goal); d++) {
			size_t r;
			uint32_t pi;
			const struct tf_part *p = doc_row(&jobs[i], d, &r, &pi);
			if (p)
				seen += p->row_ptr[r + 1] - p->row_ptr[r];
		}
		jobs[i].last = d;
	}
	run_shares_on(jobs, n_jobs, n_threads, row_lengths);
	out->row_ptr[0] = 0;
	for (size_t k = 0; k < n_docs; k++)
		out->row_ptr[k + 1] += out->row_ptr[k];
	int rc = 0;
	if (in_order && can_place_in_part0(jobs, n_jobs, parts[0].part, out->row_ptr)) {
		rc = place_in_part0(jobs, n_jobs, n_threads, parts[0].part, out);
		placed_in_part0++;
	} else {
		if (grow_entries(&out->col, &out->count, &nnz_cap, total ? total : 1))
			rc = TD_ENOMEM;
		else
			run_shares_on(jobs, n_jobs, n_threads, fill_rows);
		for (size_t i = 0; i < n_jobs && !rc; i++)
			rc = jobs[i].rc;
	}
	free(where);
	free(jobs);
	return rc;
}

int tf_build(struct dtm *out, struct tf_part *const *parts, size_t n_parts, const bool *included,
	     size_t n_docs, const struct tf_opts *opts, struct td_diag *diag)
{
	struct part_job *jobs = calloc(n_parts ? n_parts : 1, sizeof *jobs);
	int rc = 0;
	memset(out, 0, sizeof *out);
	vocab_init(&out->terms);
	out->n_docs = n_docs;
	for (size_t d = 0; d < n_docs; d++)
		out->n_included += included[d];
	if (!jobs)
		goto nomem;

	/* 1. Each part's df and cf, and its terms in term order: a job per
	 * part (the parts were counted by as many workers). */
	for (size_t pi = 0; pi < n_parts; pi++)
		jobs[pi] = (struct part_job){ .part = parts[pi], .included = included, .n_docs = n_docs,
					      .sort = !opts->vocab_file };
	jobs_run(jobs, n_parts < JOBS_MAX ? n_parts : JOBS_MAX, sizeof *jobs, count_and_sort_part);
	for (size_t pi = JOBS_MAX; pi < n_parts; pi++)
		count_and_sort_part(&jobs[pi]);
	for (size_t pi = 0; pi < n_parts; pi++)
		if (jobs[pi].rc)
			goto nomem;

	/* 2. The final vocabulary, and each part's ids in it. */
	if ((rc = choose_terms(jobs, n_parts, out, opts, diag)))
		goto out;
	out->n_terms = out->terms.n_terms;
	for (size_t pi = 0; pi < n_parts; pi++) {  /* what the rows do not need */
		free(jobs[pi].df);
		free(jobs[pi].cf);
		free(jobs[pi].sorted);
		free(jobs[pi].sorted_final);
		jobs[pi].df = jobs[pi].cf = NULL;
		jobs[pi].sorted = NULL;
		jobs[pi].sorted_final = NULL;
	}

	/* 3. The rows, in final ids, each sorted by column. */
	if ((rc = build_rows(jobs, n_parts, included, out)))
		goto fail;
	uint64_t nnz = out->row_ptr[n_docs];
	if (nnz > 0) {  /* trim; a failed shrink keeps the larger block */
		uint32_t *col = realloc(out->col, nnz * sizeof *col);
		if (col)
			out->col = col;
		uint32_t *count = realloc(out->count, nnz * sizeof *count);
		if (count)
			out->count = count;
	}
	goto out;
nomem:
	rc = TD_ENOMEM;
fail:
	td_fail(diag, rc, "out of memory");
out:
	for (size_t pi = 0; jobs && pi < n_parts; pi++) {
		free(jobs[pi].df);
		free(jobs[pi].cf);
		free(jobs[pi].sorted);
		free(jobs[pi].sorted_final);
		free(jobs[pi].to_final);
	}
	free(jobs);
	if (rc)
		dtm_free(out);
	return rc;
}

void dtm_free(struct dtm *dtm)
{
	free(dtm->row_ptr);
	free(dtm->col);
	free(dtm->count);
	free(dtm->df);
	free(dtm->cf);
	vocab_free(&dtm->terms);
	memset(dtm, 0, sizeof *dtm);
	vocab_init(&dtm->terms);
}
