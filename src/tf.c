/* tf.c - term counting and the document-term matrix (see tf.h). */
#include "tf.h"

#include "array.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "jobs.h"

struct tf_part {
	struct tf_opts opts;
	struct vocab vocab;          /* this part's own term ids */
	uint32_t *stamp;             /* per term: the document that last saw it */
	uint32_t *slot;              /* per term: its position in that document's row */
	size_t cap_terms;
	uint32_t cur_stamp;
	size_t last_types;           /* distinct unigrams of the row added last */
	size_t *doc;                 /* per row: the document index */
	uint64_t *row_ptr;           /* n_rows + 1 offsets */
	size_t n_rows, cap_rows;
	uint32_t *col;               /* local term ids */
	uint32_t *count;
	size_t nnz, cap_nnz;
	char *gram;                  /* n-gram scratch */
	size_t gram_cap;
	size_t *window;              /* token indices of the last ngram_max - 1 kept tokens */
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
	p->row_ptr = malloc(sizeof *p->row_ptr);
	p->window = malloc(3 * sizeof *p->window);
	if (!p->row_ptr || !p->window) {
		tf_part_free(p);
		return TD_ENOMEM;
	}
	p->row_ptr[0] = 0;
	*out = p;
	return 0;
}

void tf_part_free(struct tf_part *p)
{
	if (!p)
		return;
	vocab_free(&p->vocab);
	free(p->stamp);
	free(p->slot);
	free(p->doc);
	free(p->row_ptr);
	free(p->col);
	free(p->count);
	free(p->gram);
	free(p->window);
	free(p->stream);
	free(p->stream_ptr);
	free(p);
}

/* Grows the parallel col/count arrays to hold need entries; both or neither. */
static int grow_entries(uint32_t **col, uint32_t **count, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t new_cap = *cap ? *cap : 1024;
	while (new_cap < need)
		new_cap *= 2;
	uint32_t *c = realloc(*col, new_cap * sizeof *c);
	if (!c)
		return TD_ENOMEM;
	array_hint_huge(c, new_cap * sizeof *c);
	*col = c;
	uint32_t *n = realloc(*count, new_cap * sizeof *n);
	if (!n)
		return TD_ENOMEM;
	array_hint_huge(n, new_cap * sizeof *n);
	*count = n;
	*cap = new_cap;
	return 0;
}

/* Counts one occurrence of a term in the current row; *term_id gets its id
 * and *first whether the row had not held it. */
static inline int count_term(struct tf_part *p, const char *term, size_t len, uint64_t hash, uint64_t row_start,
		      uint32_t *term_id, bool *first)
{
	uint32_t id;
	int rc = vocab_intern(&p->vocab, term, len, hash, &id);
	if (rc)
		return rc;
	*term_id = id;
	if (id >= p->cap_terms) {
		size_t cap = p->vocab.cap_terms;
		uint32_t *stamp = realloc(p->stamp, cap * sizeof *stamp);
		if (!stamp)
			return TD_ENOMEM;
		p->stamp = stamp;
		uint32_t *slot = realloc(p->slot, cap * sizeof *slot);
		if (!slot)
			return TD_ENOMEM;
		p->slot = slot;
		memset(p->stamp + p->cap_terms, 0, (cap - p->cap_terms) * sizeof *stamp);
		memset(p->slot + p->cap_terms, 0, (cap - p->cap_terms) * sizeof *slot);
		p->cap_terms = cap;
	}
	if (p->nnz == p->cap_nnz && grow_entries(&p->col, &p->count, &p->cap_nnz, p->nnz + 1))
		return TD_ENOMEM;
	/* Without a branch on whether the row holds the term yet (a quarter of
	 * the tokens are a first occurrence, at random: the branch was
	 * mispredicted on each): a new term gets the entry at nnz, which is
	 * first made a zero count of it; a known one adds to its entry, and the
	 * writes at nnz are left beyond the row's end. */
	bool fresh = p->stamp[id] != p->cur_stamp;
	uint64_t pos = fresh ? p->nnz : row_start + p->slot[id];
	p->col[p->nnz] = id;
	p->count[p->nnz] = 0;
	p->count[pos]++;
	p->stamp[id] = p->cur_stamp;
	p->slot[id] = (uint32_t)(pos - row_start);
	p->nnz += fresh;
	*first = fresh;
	return 0;
}

/* Counts the n-gram made of the window's last n-1 tokens and token last. */
static int count_ngram(struct tf_part *p, const struct token_list *tokens, const size_t *idx, unsigned n,
		       uint64_t row_start)
{
	size_t len = n - 1;
	for (unsigned k = 0; k < n; k++)
		len += tokens->items[idx[k]].len;
	if (len > p->gram_cap) {
		char *gram = realloc(p->gram, len);
		if (!gram)
			return TD_ENOMEM;
		p->gram = gram;
		p->gram_cap = len;
	}
	size_t at = 0;
	uint64_t hash = tokens->items[idx[0]].hash;
	for (unsigned k = 0; k < n; k++) {
		if (k) {
			p->gram[at++] = ' ';
			hash = hash_fold(hash, tokens->items[idx[k]].hash);
		}
		memcpy(p->gram + at, token_str(tokens, idx[k]), tokens->items[idx[k]].len);
		at += tokens->items[idx[k]].len;
	}
	uint32_t id;
	bool first;
	return count_term(p, p->gram, len, hash, row_start, &id, &first);  /* hash == hash_term(gram) */
}

/* Entries of a part read before their pages are given back (8 MB). */
#define RELEASE_STEP (UINT64_C(1) << 20)

/* How many tokens ahead the table slots of their terms are prefetched. */
#define PREFETCH_AHEAD 8

/* Prefetches the slots of the terms that end at token `at` (a hint: a
 * stopword or a sentence end in between only makes a prefetch useless). */
static void prefetch_terms(const struct tf_part *p, const struct token_list *tokens, size_t at)
{
	uint64_t h = tokens->items[at].hash;
	if (p->opts.ngram_min == 1)
		vocab_prefetch(&p->vocab, h);
	for (unsigned n = 2; n <= p->opts.ngram_max && at >= n - 1; n++) {
		uint64_t g = tokens->items[at - n + 1].hash;
		for (unsigned k = n - 1; k > 0; k--)
			g = hash_fold(g, tokens->items[at - k + 1].hash);
		if (n >= p->opts.ngram_min)
			vocab_prefetch(&p->vocab, g);
	}
}

int tf_part_add(struct tf_part *p, size_t doc_index, const struct token_list *tokens)
{
	if (array_reserve((void **)&p->doc, &p->cap_rows, p->n_rows + 1, sizeof *p->doc))
		return TD_ENOMEM;
	uint64_t *row_ptr = realloc(p->row_ptr, (p->cap_rows + 1) * sizeof *row_ptr);
	if (!row_ptr)
		return TD_ENOMEM;
	p->row_ptr = row_ptr;
	if (++p->cur_stamp == 0) {  /* 2^32 documents: forget the stamps */
		memset(p->stamp, 0, p->cap_terms * sizeof *p->stamp);
		p->cur_stamp = 1;
	}
	uint64_t row_start = p->nnz;
	unsigned nmin = p->opts.ngram_min, nmax = p->opts.ngram_max;
	bool streams = p->opts.keep_streams && nmin == 1;
	if (streams) {
		/* room for every token and a break between any two: no check below */
		if (array_reserve((void **)&p->stream_ptr, &p->cap_stream_rows, p->n_rows + 2, sizeof *p->stream_ptr) ||
		    array_reserve((void **)&p->stream, &p->stream_cap, p->stream_len + 2 * tokens->n, sizeof *p->stream))
			return TD_ENOMEM;
		if (p->n_rows == 0)
			p->stream_ptr[0] = 0;
	}
	size_t stream_start = p->stream_len;
	uint32_t stream_sentence = 0;
	if (nmin == 1 && nmax == 1) {
		/* unigrams alone, the common case: no window of earlier tokens */
		size_t types = 0;
		for (size_t i = 0; i < tokens->n; i++) {
			const struct token *t = &tokens->items[i];
			if (i + PREFETCH_AHEAD < tokens->n)
				vocab_prefetch(&p->vocab, tokens->items[i + PREFETCH_AHEAD].hash);
			if (t->flags & TOKEN_STOP)
				continue;
			uint32_t id;
			bool first = false;
			int rc = count_term(p, token_str(tokens, i), t->len, t->hash, row_start, &id, &first);
			if (rc) {
				p->nnz = row_start;
				p->stream_len = stream_start;
				return rc;
			}
			types += first;
			if (streams) {
				if (p->stream_len > stream_start && t->sentence != stream_sentence)
					p->stream[p->stream_len++] = TF_STREAM_BREAK;
				stream_sentence = t->sentence;
				p->stream[p->stream_len++] = id;
			}
		}
		p->doc[p->n_rows++] = doc_index;
		p->row_ptr[p->n_rows] = p->nnz;
		if (streams)
			p->stream_ptr[p->n_rows] = p->stream_len;
		p->last_types = types;
		return 0;
	}
	size_t idx[3];          /* the last nmax kept tokens, oldest first */
	size_t have = 0;        /* how many of them are in idx */
	uint32_t sentence = 0;
	size_t types = 0;
	int rc = 0;
	for (size_t i = 0; i < tokens->n && rc == 0; i++) {
		const struct token *t = &tokens->items[i];
		if (i + PREFETCH_AHEAD < tokens->n)
			prefetch_terms(p, tokens, i + PREFETCH_AHEAD);
		if (t->flags & TOKEN_STOP)
			continue;
		if (t->sentence != sentence && !p->opts.ngram_across_sentences)
			have = 0;
		sentence = t->sentence;
		if (have == nmax) {  /* drop the oldest (a loop: nmax <= 3) */
			for (unsigned k = 1; k < nmax; k++)
				idx[k - 1] = idx[k];
			have--;
		}
		idx[have++] = i;
		for (unsigned n = nmin; n <= nmax && rc == 0; n++) {
			if (n > have)
				break;
			if (n == 1) {
				uint32_t id;
				bool first = false;
				rc = count_term(p, token_str(tokens, i), t->len, t->hash, row_start, &id, &first);
				types += first;
				if (streams && rc == 0) {
					if (p->stream_len > stream_start && t->sentence != stream_sentence)
						p->stream[p->stream_len++] = TF_STREAM_BREAK;
					stream_sentence = t->sentence;
					p->stream[p->stream_len++] = id;
				}
			} else
				rc = count_ngram(p, tokens, idx + have - n, n, row_start);
		}
	}
	if (rc) {  /* drop the partial row */
		p->nnz = row_start;
		p->stream_len = stream_start;
		return rc;
	}
	p->doc[p->n_rows++] = doc_index;
	p->row_ptr[p->n_rows] = p->nnz;
	p->last_types = types;
	if (streams)
		p->stream_ptr[p->n_rows] = p->stream_len;
	return 0;
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

int tf_part_map_stream(struct tf_part *p, const struct dtm *dtm)
{
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

struct term_ref {
	uint64_t prefix;         /* the first 8 bytes, zero-padded, big-endian */
	const struct vocab *v;
	uint32_t id;
};

/* A term's first 8 bytes as a number that orders as the bytes do (terms
 * hold no NUL, so the padding sorts a shorter term first). */
static uint64_t term_prefix(const struct vocab *v, uint32_t id)
{
	const unsigned char *s = (const unsigned char *)vocab_term(v, id);
	uint64_t p = 0;
	for (uint32_t i = 0; i < 8; i++)
		p = p << 8 | (i < v->len[id] ? s[i] : 0);
	return p;
}

/* Byte order of UTF-8 strings = code point order (what Python sorts by):
 * the prefixes decide most comparisons without reading the strings. */
static int compare_terms(const void *a, const void *b)
{
	const struct term_ref *x = a, *y = b;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	uint32_t lx = x->v->len[x->id], ly = y->v->len[y->id];
	int c = memcmp(vocab_term(x->v, x->id), vocab_term(y->v, y->id), lx < ly ? lx : ly);
	if (c)
		return c;
	return (lx > ly) - (lx < ly);
}

struct entry {
	uint32_t col;
	uint32_t count;
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

struct merge {
	struct vocab all;        /* every term of every part */
	uint32_t **to_all;       /* per part: local id -> id in all */
	uint32_t *final;         /* id in all -> final id, or VOCAB_NONE */
	uint64_t *df, *cf;       /* per id in all */
	struct { uint32_t part; size_t row; } *where;  /* per document */
};

static void merge_free(struct merge *m, size_t n_parts)
{
	vocab_free(&m->all);
	if (m->to_all)
		for (size_t i = 0; i < n_parts; i++)
			free(m->to_all[i]);
	free(m->to_all);
	free(m->final);
	free(m->df);
	free(m->cf);
	free(m->where);
}

/* Chooses the final terms and their ids: m->final. */
static int choose_terms(struct merge *m, struct dtm *out, const struct tf_opts *opts,
			struct td_diag *diag)
{
	size_t n_all = m->all.n_terms;
	m->final = malloc((n_all ? n_all : 1) * sizeof *m->final);
	if (!m->final)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	for (size_t i = 0; i < n_all; i++)
		m->final[i] = VOCAB_NONE;

	if (opts->vocab_file) {  /* imposed: file order, no pruning (as scikit-learn) */
		int rc = read_vocab_file(&out->terms, opts->vocab_file, diag);
		if (rc)
			return rc;
		for (size_t i = 0; i < n_all; i++)
			m->final[i] = vocab_find(&out->terms, vocab_term(&m->all, (uint32_t)i), m->all.len[i],
						 m->all.hash[i]);
		return 0;
	}

	double low = bound_value(&opts->min_df, out->n_included);
	double high = bound_value(&opts->max_df, out->n_included);
	if (high < low)
		return td_fail(diag, TD_EINVAL, "max_df corresponds to fewer documents (%g) than min_df (%g)",
			       high, low);
	struct term_ref *sorted = malloc((n_all ? n_all : 1) * sizeof *sorted);
	if (!sorted)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	for (size_t i = 0; i < n_all; i++)
		sorted[i] = (struct term_ref){ term_prefix(&m->all, (uint32_t)i), &m->all, (uint32_t)i };
	qsort(sorted, n_all, sizeof *sorted, compare_terms);

	/* Terms that pass the df bounds, in term order. */
	struct cf_rank *kept = malloc((n_all ? n_all : 1) * sizeof *kept);
	if (!kept) {
		free(sorted);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	size_t n_kept = 0;
	for (size_t r = 0; r < n_all; r++) {
		uint32_t id = sorted[r].id;
		double df = (double)m->df[id];
		if (m->df[id] > 0 && df >= low && df <= high)
			kept[n_kept++] = (struct cf_rank){ m->cf[id], (uint32_t)r };
	}
	if (opts->max_features && n_kept > opts->max_features) {
		qsort(kept, n_kept, sizeof *kept, compare_cf);
		n_kept = opts->max_features;
		/* back to term order, so that ids follow the sorted vocabulary */
		qsort(kept, n_kept, sizeof *kept, compare_rank);
	}
	int rc = 0;
	if (n_kept == 0)
		rc = td_fail(diag, TD_EEMPTY, "no terms remain after pruning (min_df, max_df, max_features)");
	for (size_t k = 0; k < n_kept && rc == 0; k++) {
		uint32_t id = sorted[kept[k].rank].id, final_id;
		if ((rc = vocab_intern(&out->terms, vocab_term(&m->all, id), m->all.len[id], m->all.hash[id],
				       &final_id)))
			td_fail(diag, rc, "out of memory");
		m->final[id] = final_id;
	}
	free(kept);
	free(sorted);
	return rc;
}

/* Sorts a row's entries by column: insertion sort when short, else an LSD
 * radix sort on bits-wide column ids, 8 bits a pass, through tmp (room for
 * n entries).  O(n) per row, and nothing larger than the longest row. */
static void sort_entries(struct entry *e, struct entry *tmp, size_t n, unsigned bits)
{
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
	struct entry *from = e, *to = tmp;
	for (unsigned shift = 0; shift < bits; shift += 8) {
		size_t start[256] = { 0 };
		for (size_t i = 0; i < n; i++)
			start[(from[i].col >> shift) & 255]++;
		size_t at = 0;
		for (unsigned b = 0; b < 256; b++) {
			size_t c = start[b];
			start[b] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			to[start[(from[i].col >> shift) & 255]++] = from[i];
		struct entry *t = from;
		from = to;
		to = t;
	}
	if (from != e)
		memcpy(e, from, n * sizeof *e);
}

/* A share of the documents whose rows one thread builds. */
struct build_job {
	const struct merge *m;
	struct tf_part *const *parts;
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
	if (!j->included[d] || j->m->where[d].part == UINT32_MAX)
		return NULL;
	*pi = j->m->where[d].part;
	*r = j->m->where[d].row;
	return j->parts[*pi];
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
				n += j->m->final[j->m->to_all[pi][p->col[k]]] != VOCAB_NONE;
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
	uint64_t *released = malloc((j->n_parts ? j->n_parts : 1) * sizeof *released);
	if (!released) {
		j->rc = TD_ENOMEM;
		return NULL;
	}
	for (size_t pi = 0; pi < j->n_parts; pi++)
		released[pi] = UINT64_MAX;  /* nothing read yet */
	for (size_t d = j->first; d < j->last; d++) {
		size_t r;
		uint32_t pi;
		const struct tf_part *p = doc_row(j, d, &r, &pi);
		if (!p)
			continue;
		uint64_t start = j->out->row_ptr[d], n = 0, len = p->row_ptr[r + 1] - p->row_ptr[r];
		if (array_reserve((void **)&row, &row_cap, len, sizeof *row) ||
		    array_reserve((void **)&tmp, &tmp_cap, len, sizeof *tmp)) {
			j->rc = TD_ENOMEM;
			break;
		}
		for (uint64_t k = p->row_ptr[r]; k < p->row_ptr[r + 1]; k++) {
			uint32_t f = j->m->final[j->m->to_all[pi][p->col[k]]];
			if (f != VOCAB_NONE)
				row[n++] = (struct entry){ f, p->count[k] };
		}
		sort_entries(row, tmp, n, j->bits);
		for (uint64_t k = 0; k < n; k++) {
			j->out->col[start + k] = row[k].col;
			j->out->count[start + k] = row[k].count;
		}
		if (!j->in_order)
			continue;
		if (released[pi] == UINT64_MAX)
			released[pi] = p->row_ptr[r];
		uint64_t done = p->row_ptr[r + 1];
		if (done - released[pi] >= RELEASE_STEP) {
			array_release(p->col, released[pi] * sizeof *p->col, done * sizeof *p->col);
			array_release(p->count, released[pi] * sizeof *p->count, done * sizeof *p->count);
			released[pi] = done;
		}
	}
	free(row);
	free(tmp);
	free(released);
	return NULL;
}

/* Step 4 of tf_build: out->row_ptr, out->col and out->count (allocated)
 * from the parts, on as many threads as there are parts; the same bytes for
 * any number. */
static int build_rows(const struct merge *m, struct tf_part *const *parts, size_t n_parts, const bool *included,
		      struct dtm *out)
{
	size_t n_docs = out->n_docs, n_jobs = n_parts < 1 ? 1 : n_parts > JOBS_MAX ? JOBS_MAX : n_parts;
	unsigned bits = 0;
	while (bits < 32 && (out->n_terms >> bits) > 0)
		bits += 8;
	bool pruned = false, in_order = true;
	for (size_t i = 0; i < m->all.n_terms && !pruned; i++)
		pruned = m->final[i] == VOCAB_NONE;
	for (size_t pi = 0; pi < n_parts && in_order; pi++)
		for (size_t r = 1; r < parts[pi]->n_rows; r++)
			if (parts[pi]->doc[r] <= parts[pi]->doc[r - 1]) {
				in_order = false;
				break;
			}
	uint64_t total = 0;
	for (size_t pi = 0; pi < n_parts; pi++)
		total += parts[pi]->nnz;
	struct build_job jobs[JOBS_MAX];
	size_t d = 0;
	uint64_t seen = 0;
	for (size_t i = 0; i < n_jobs; i++) {
		jobs[i] = (struct build_job){ m, parts, n_parts, included, out, d, d, pruned, in_order, bits, 0 };
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
	jobs_run(jobs, n_jobs, sizeof *jobs, row_lengths);
	out->row_ptr[0] = 0;
	for (size_t k = 0; k < n_docs; k++)
		out->row_ptr[k + 1] += out->row_ptr[k];
	jobs_run(jobs, n_jobs, sizeof *jobs, fill_rows);
	for (size_t i = 0; i < n_jobs; i++)
		if (jobs[i].rc)
			return jobs[i].rc;
	return 0;
}

int tf_build(struct dtm *out, struct tf_part *const *parts, size_t n_parts, const bool *included,
	     size_t n_docs, const struct tf_opts *opts, struct td_diag *diag)
{
	struct merge m = { 0 };
	int rc = 0;
	memset(out, 0, sizeof *out);
	vocab_init(&out->terms);
	vocab_init(&m.all);
	out->n_docs = n_docs;
	for (size_t d = 0; d < n_docs; d++)
		out->n_included += included[d];

	/* 1. One vocabulary over all parts, and where each document's row is. */
	m.to_all = calloc(n_parts ? n_parts : 1, sizeof *m.to_all);
	m.where = malloc((n_docs ? n_docs : 1) * sizeof *m.where);
	if (!m.to_all || !m.where)
		goto nomem;
	for (size_t d = 0; d < n_docs; d++)
		m.where[d].part = UINT32_MAX;
	for (size_t pi = 0; pi < n_parts; pi++) {
		struct tf_part *p = parts[pi];
		/* the parts are read by id from now on: their tables go */
		vocab_drop_index(&p->vocab);
		m.to_all[pi] = malloc((p->vocab.n_terms ? p->vocab.n_terms : 1) * sizeof **m.to_all);
		if (!m.to_all[pi])
			goto nomem;
		for (size_t l = 0; l < p->vocab.n_terms; l++)
			if ((rc = vocab_intern(&m.all, vocab_term(&p->vocab, (uint32_t)l), p->vocab.len[l],
					       p->vocab.hash[l], &m.to_all[pi][l])))
				goto fail;
		for (size_t r = 0; r < p->n_rows; r++)
			if (p->doc[r] < n_docs) {
				m.where[p->doc[r]].part = (uint32_t)pi;
				m.where[p->doc[r]].row = r;
			}
	}

	vocab_drop_index(&m.all);  /* read by id from now on */

	/* 2. df and cf over the included documents. */
	size_t n_all = m.all.n_terms;
	m.df = calloc(n_all ? n_all : 1, sizeof *m.df);
	m.cf = calloc(n_all ? n_all : 1, sizeof *m.cf);
	if (!m.df || !m.cf)
		goto nomem;
	for (size_t d = 0; d < n_docs; d++) {
		if (!included[d] || m.where[d].part == UINT32_MAX)
			continue;
		const struct tf_part *p = parts[m.where[d].part];
		size_t r = m.where[d].row;
		for (uint64_t k = p->row_ptr[r]; k < p->row_ptr[r + 1]; k++) {
			uint32_t id = m.to_all[m.where[d].part][p->col[k]];
			m.df[id]++;
			m.cf[id] += p->count[k];
		}
	}

	/* 3. The final vocabulary. */
	if ((rc = choose_terms(&m, out, opts, diag)))
		goto out;
	out->n_terms = out->terms.n_terms;
	out->df = calloc(out->n_terms, sizeof *out->df);
	out->cf = calloc(out->n_terms, sizeof *out->cf);
	out->row_ptr = malloc((n_docs + 1) * sizeof *out->row_ptr);
	if (!out->df || !out->cf || !out->row_ptr)
		goto nomem;
	for (size_t i = 0; i < n_all; i++)
		if (m.final[i] != VOCAB_NONE) {
			out->df[m.final[i]] = m.df[i];
			out->cf[m.final[i]] = m.cf[i];
		}

	/* 4. The rows, in final ids, each sorted by column: one job per part
	 * (the parts were counted by as many workers), each on a share of the
	 * documents.  The parts bound the number of entries: col and count are
	 * allocated once at that size (pages never written cost nothing) and
	 * trimmed at the end. */
	size_t nnz_cap = 0, nnz_bound = 0;
	for (size_t pi = 0; pi < n_parts; pi++)
		nnz_bound += parts[pi]->nnz;
	if (grow_entries(&out->col, &out->count, &nnz_cap, nnz_bound ? nnz_bound : 1))
		goto nomem;
	if ((rc = build_rows(&m, parts, n_parts, included, out)))
		goto fail;
	uint64_t nnz = out->row_ptr[n_docs];
	if (nnz < nnz_cap && nnz > 0) {  /* trim; a failed shrink keeps the larger block */
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
	td_fail(diag, rc, rc == TD_ENOMEM ? "out of memory" : "too many distinct terms");
out:
	merge_free(&m, n_parts);
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
