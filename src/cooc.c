/* cooc.c - co-occurrence counts in bounded memory (see cooc.h). */
#include "cooc.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_sf_erf.h>

#include "array.h"
#include "cleanup.h"
#include "hash.h"
#include "outdir.h"
#include "tf.h"
#include "vocab.h"

#define EMPTY_KEY UINT64_MAX
#define MIN_CAP 1024u
#define READ_BATCH 4096u
#define DENSE_MAX 4096u      /* frequent terms in the dense block (67 MB per worker for unordered pairs) */

/* A pair and its sums: the key is a << 32 | b. */
struct entry {
	uint64_t key;
	uint64_t count;
	uint64_t wsum;     /* weights in units of 1/lcm(1..window) */
};

static inline uint64_t pair_key(uint32_t a, uint32_t b)
{
	return (uint64_t)a << 32 | b;
}

void cooc_opts_default(struct cooc_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->window = 5;
	opts->memory = UINT64_C(4) << 30;
	opts->n_threads = 1;
}

uint64_t cooc_weight_unit(unsigned window)
{
	uint64_t l = 1;
	for (uint64_t d = 2; d <= window; d++) {
		uint64_t a = l, b = d;
		while (b) {
			uint64_t t = a % b;
			a = b;
			b = t;
		}
		l = l / a * d;
	}
	return l;
}

/* ---- the runs on disk ----------------------------------------------------- */

/* What the workers share: the options, the temporary folder and its runs. */
struct shared {
	const struct cooc_opts *opts;
	pthread_mutex_t lock;
	char *dir;              /* NULL until the first spill */
	int dir_cleanup;        /* its cleanup.h handle */
	char **runs;
	size_t n_runs, cap_runs, next_name;
	atomic_int error;       /* the first error of any worker (message under lock) */
	char message[256];
};

static void set_error(struct shared *sh, int code, const char *message)
{
	pthread_mutex_lock(&sh->lock);
	if (!atomic_load(&sh->error)) {
		snprintf(sh->message, sizeof sh->message, "%s", message);
		atomic_store(&sh->error, code);
	}
	pthread_mutex_unlock(&sh->lock);
}

/* "cannot VERB 'PATH': reason" as the error. */
static void path_error(struct shared *sh, const char *verb, const char *path, int err)
{
	char message[512];
	snprintf(message, sizeof message, "cannot %s '%s': %s", verb, path, strerror(err));
	set_error(sh, TD_EIO, message);
}

/* A new run's path (the folder made on first use); NULL on failure. */
static char *new_run_path(struct shared *sh)
{
	char *path = NULL;
	pthread_mutex_lock(&sh->lock);
	if (!sh->dir) {
		const char *base = sh->opts->tmp_dir ? sh->opts->tmp_dir : getenv("TMPDIR");
		if (!base || !*base)
			base = "/tmp";
		size_t len = strlen(base) + 32;
		sh->dir = malloc(len);
		if (sh->dir) {
			snprintf(sh->dir, len, "%s/termdrift-cooc.XXXXXX", base);
			if (!mkdtemp(sh->dir)) {
				int err = errno;
				free(sh->dir);
				sh->dir = NULL;
				pthread_mutex_unlock(&sh->lock);
				path_error(sh, "create a temporary folder in", base, err);
				return NULL;
			}
			sh->dir_cleanup = cleanup_register(sh->dir, true);
		}
	}
	if (sh->dir && !array_reserve((void **)&sh->runs, &sh->cap_runs, sh->n_runs + 1, sizeof *sh->runs)) {
		size_t len = strlen(sh->dir) + 32;
		path = malloc(len);
		if (path) {
			snprintf(path, len, "%s/run-%06zu", sh->dir, sh->next_name++);
			sh->runs[sh->n_runs++] = path;
		}
	}
	pthread_mutex_unlock(&sh->lock);
	if (!path)
		set_error(sh, TD_ENOMEM, "out of memory");
	return path;
}

/* ---- packed sums ---------------------------------------------------------- */

/* A pair's sums in 64 bits, as the dense block and the table hold them: the
 * count in the top 24 bits, the weight sum in the low 40.  One addition
 * brings at most 2 to the count and 2 lcm(1..20) < 2^29 to the weight sum,
 * so while both fields' top bits (PACK_FULL) are clear the next addition
 * cannot carry out of either; a sum that sets one of them goes to the
 * worker's overflow list as an entry and starts again from 0.  Half the
 * bytes of two 64-bit sums: more of the block and the table in the cache,
 * and fewer pages to clear. */
#define PACK_SHIFT 40
#define PACK_WSUM ((UINT64_C(1) << PACK_SHIFT) - 1)
#define PACK_FULL (UINT64_C(1) << 63 | UINT64_C(1) << (PACK_SHIFT - 1))

static inline uint64_t pack(uint64_t count, uint64_t wsum)
{
	return count << PACK_SHIFT | wsum;
}

static inline struct entry unpack(uint64_t key, uint64_t sums)
{
	return (struct entry){ key, sums >> PACK_SHIFT, sums & PACK_WSUM };
}

/* ---- a worker's pair table -------------------------------------------------- */

struct slot {
	uint64_t key;
	uint64_t sums;           /* packed; 0 after its sums went to the overflow list */
};

struct table {
	struct slot *e;
	size_t cap, n;           /* cap: a power of two, or 0 */
	size_t max_cap;          /* the largest cap the memory share allows */
};

/* Writes n sorted pairs to a new run, as entries: entries e, or (e NULL) a
 * table's slots, unpacked on the way.  Returns 0 or an error code. */
static int write_run(struct shared *sh, const struct entry *e, const struct slot *slots, size_t n)
{
	char *path = new_run_path(sh);
	if (!path)
		return atomic_load(&sh->error);
	FILE *fp = fopen(path, "wb");
	if (!fp) {
		path_error(sh, "write", path, errno);
		return TD_EIO;
	}
	bool ok = true;
	if (e) {
		ok = fwrite(e, sizeof *e, n, fp) == n;
	} else {
		struct entry buf[256];
		for (size_t i = 0; i < n && ok; i += sizeof buf / sizeof *buf) {
			size_t k = n - i < sizeof buf / sizeof *buf ? n - i : sizeof buf / sizeof *buf;
			for (size_t j = 0; j < k; j++)
				buf[j] = unpack(slots[i + j].key, slots[i + j].sums);
			ok = fwrite(buf, sizeof *buf, k, fp) == k;
		}
	}
	int err = errno;
	if (fclose(fp) != 0 && ok) {
		err = errno;
		ok = false;
	}
	if (!ok) {
		path_error(sh, "write", path, err ? err : ENOSPC);
		return TD_EIO;
	}
	return 0;
}

static int cmp_entry(const void *x, const void *y)
{
	uint64_t a = ((const struct entry *)x)->key, b = ((const struct entry *)y)->key;
	return (a > b) - (a < b);
}

static int cmp_slot(const void *x, const void *y)
{
	uint64_t a = ((const struct slot *)x)->key, b = ((const struct slot *)y)->key;
	return (a > b) - (a < b);
}

/* Sorts n slots by key: a least-significant-digit radix sort on 16-bit
 * digits, the digits every key shares skipped (two passes when the term ids
 * are below 65536), through a copy of the slots as glibc's qsort would make
 * and 1 MB of counters, at most an eighth of the slots (the memory budget
 * counts both); qsort for fewer slots or when the copy cannot be had. */
static void sort_slots(struct slot *e, size_t n)
{
	enum { DIGITS = 4, BUCKETS = 1 << 16 };
	bool radix = n * sizeof *e >= 8 * (size_t)DIGITS * BUCKETS * sizeof(uint32_t) && n < UINT32_MAX;
	struct slot *tmp = radix ? malloc(n * sizeof *tmp) : NULL;
	uint32_t *count = tmp ? calloc((size_t)DIGITS * BUCKETS, sizeof *count) : NULL;
	if (!count) {
		free(tmp);
		qsort(e, n, sizeof *e, cmp_slot);
		return;
	}
	for (size_t i = 0; i < n; i++)
		for (unsigned d = 0; d < DIGITS; d++)
			count[d * BUCKETS + ((e[i].key >> (16 * d)) & 0xffff)]++;
	struct slot *from = e, *to = tmp;
	for (unsigned d = 0; d < DIGITS; d++) {
		uint32_t *c = count + (size_t)d * BUCKETS;
		if (c[(from[0].key >> (16 * d)) & 0xffff] == n)
			continue;  /* every key has this digit */
		uint32_t sum = 0;
		for (size_t b = 0; b < BUCKETS; b++) {
			uint32_t here = c[b];
			c[b] = sum;
			sum += here;
		}
		for (size_t i = 0; i < n; i++)
			to[c[(from[i].key >> (16 * d)) & 0xffff]++] = from[i];
		struct slot *swap = from;
		from = to;
		to = swap;
	}
	if (from != e)
		memcpy(e, from, n * sizeof *e);
	free(count);
	free(tmp);
}

/* Moves the pairs with sums to the front of the array, sorted by key, and
 * makes t->n their number. */
static void table_sort(struct table *t)
{
	if (!t->e)
		return;  /* nothing counted: no table */
	size_t n = 0;
	for (size_t i = 0; i < t->cap; i++)
		if (t->e[i].key != EMPTY_KEY && t->e[i].sums != 0)
			t->e[n++] = t->e[i];
	sort_slots(t->e, n);
	t->n = n;
}

static void table_clear(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		t->e[i].key = EMPTY_KEY;
	t->n = 0;
}

static int table_rehash(struct table *t, size_t cap)
{
	struct slot *e = malloc(cap * sizeof *e);
	if (!e)
		return TD_ENOMEM;
	array_hint_huge(e, cap * sizeof *e);
	for (size_t i = 0; i < cap; i++)
		e[i].key = EMPTY_KEY;
	size_t mask = cap - 1;
	for (size_t i = 0; i < t->cap; i++) {
		if (t->e[i].key == EMPTY_KEY)
			continue;
		size_t s = hash_mix64(t->e[i].key) & mask;
		while (e[s].key != EMPTY_KEY)
			s = (s + 1) & mask;
		e[s] = t->e[i];
	}
	free(t->e);
	t->e = e;
	t->cap = cap;
	return 0;
}

/* ---- counting ------------------------------------------------------------- */

#define PENDING 16

struct worker {
	struct shared *sh;
	const struct cooc_doc *docs;
	size_t n_docs;
	atomic_size_t *next;
	struct table table;
	/* The dense block: the pairs of the most frequent terms, which are most
	 * of the additions, go to an array of packed sums instead of the table
	 * (as in GloVe's cooccur), by the terms' frequency ranks; a triangle
	 * when pairs are unordered. */
	uint64_t *dense;
	const uint32_t *rank;    /* per term: its rank among the frequent, or UINT32_MAX */
	size_t dense_n;
	bool triangle;
	struct entry *over;      /* the overflow list: sums that filled their fields */
	size_t n_over, cap_over, max_over;
	bool sort_at_end;        /* sort the table and the list when the documents are done */
	uint32_t *seq;           /* the document, pruned tokens removed */
	size_t seq_cap;
	uint64_t unit;           /* weight unit */
	/* Additions wait here for PENDING more, their cell or slot prefetched
	 * meanwhile: the block and the table are far larger than the cache,
	 * and the sums do not depend on the order of the additions. */
	struct pending {
		uint64_t *cell;      /* packed sums in the dense block, or NULL: the table's */
		uint64_t key, hash, add;
	} pending[PENDING];
	unsigned n_pending, first_pending;
};

/* Sorts the overflow list by key (qsort is not given the list's NULL
 * before the first entry). */
static void sort_over(struct worker *w)
{
	if (w->n_over > 1)
		qsort(w->over, w->n_over, sizeof *w->over, cmp_entry);
}

/* Writes the overflow list, sorted, to a new run.  Returns 0 or an error. */
static int spill_over(struct worker *w)
{
	sort_over(w);
	int rc = write_run(w->sh, w->over, NULL, w->n_over);
	w->n_over = 0;
	return rc;
}

/* Moves full sums of pair key to the overflow list and clears them. */
static int overflow(struct worker *w, uint64_t key, uint64_t *sums)
{
	if (w->n_over == w->max_over) {
		int rc = spill_over(w);
		if (rc)
			return rc;
	}
	if (array_reserve((void **)&w->over, &w->cap_over, w->n_over + 1, sizeof *w->over)) {
		set_error(w->sh, TD_ENOMEM, "out of memory");
		return TD_ENOMEM;
	}
	w->over[w->n_over++] = unpack(key, *sums);
	*sums = 0;
	return 0;
}

/* Adds packed sums to a pair whose key hashes to hash; grows the table or
 * spills it to a run when full. */
static int table_add_hashed(struct worker *w, uint64_t key, uint64_t hash, uint64_t add)
{
	struct table *t = &w->table;
	if (10 * (t->n + 1) > 7 * t->cap) {
		if (t->cap < t->max_cap) {
			if (table_rehash(t, t->cap ? 2 * t->cap : MIN_CAP)) {
				set_error(w->sh, TD_ENOMEM, "out of memory");
				return TD_ENOMEM;
			}
		} else {
			table_sort(t);
			int rc = write_run(w->sh, NULL, t->e, t->n);
			table_clear(t);
			if (rc)
				return rc;
		}
	}
	size_t mask = t->cap - 1;
	size_t s = hash & mask;
	while (t->e[s].key != key) {
		if (t->e[s].key == EMPTY_KEY) {
			t->e[s] = (struct slot){ key, 0 };
			t->n++;
			break;
		}
		s = (s + 1) & mask;
	}
	if (__builtin_expect((t->e[s].sums += add) & PACK_FULL, 0))
		return overflow(w, key, &t->e[s].sums);
	return 0;
}

static int table_add(struct worker *w, uint64_t key, uint64_t count, uint64_t wsum)
{
	return table_add_hashed(w, key, hash_mix64(key), pack(count, wsum));
}

/* Makes one pending addition. */
static inline int add_pending(struct worker *w, const struct pending *p)
{
	if (p->cell) {
		if (__builtin_expect((*p->cell += p->add) & PACK_FULL, 0))
			return overflow(w, p->key, p->cell);
		return 0;
	}
	return table_add_hashed(w, p->key, p->hash, p->add);
}

/* Makes the pending additions. */
static int flush_pending(struct worker *w)
{
	int rc = 0;
	for (; w->n_pending > 0 && rc == 0; w->n_pending--) {
		rc = add_pending(w, &w->pending[w->first_pending]);
		w->first_pending = (w->first_pending + 1) % PENDING;
	}
	return rc;
}

/* The cell of ranks ra and rb in a dense block of n terms: row ra of a
 * square, or, for unordered pairs, row min(ra, rb) of an upper triangle
 * (row r holds columns r..n-1). */
static inline size_t dense_cell(size_t n, bool triangle, uint32_t ra, uint32_t rb)
{
	if (!triangle)
		return (size_t)ra * n + rb;
	size_t lo = ra < rb ? ra : rb, hi = ra ^ rb ^ lo;
	return lo * (2 * n - lo - 1) / 2 + hi;
}

static size_t dense_cells(size_t n, bool triangle)
{
	return triangle ? n * (n + 1) / 2 : n * n;
}

/* Adds to pair (a, b): in the dense block when both are frequent, else in
 * the table; the addition waits in w->pending while its cell is fetched. */
static inline int pair_add(struct worker *w, uint32_t a, uint32_t b, uint64_t count, uint64_t wsum)
{
	struct pending next = { NULL, pair_key(a, b), 0, pack(count, wsum) };
	uint32_t ra = w->dense ? w->rank[a] : UINT32_MAX, rb = w->dense ? w->rank[b] : UINT32_MAX;
	if (ra < w->dense_n && rb < w->dense_n) {  /* UINT32_MAX: not frequent */
		next.cell = &w->dense[dense_cell(w->dense_n, w->triangle, ra, rb)];
		__builtin_prefetch(next.cell, 1);
	} else {
		next.hash = hash_mix64(next.key);
		if (w->table.e)
			__builtin_prefetch(&w->table.e[next.hash & (w->table.cap - 1)], 1);
	}
	if (w->n_pending < PENDING) {
		w->pending[(w->first_pending + w->n_pending++) % PENDING] = next;
		return 0;
	}
	struct pending *p = &w->pending[w->first_pending];
	int rc = add_pending(w, p);
	*p = next;
	w->first_pending = (w->first_pending + 1) % PENDING;
	return rc;
}

/* The kept ids of a document into w->seq: pruned tokens removed, breaks kept
 * between sentences that hold tokens (dropped when keep_breaks is false). */
static size_t filter_doc(struct worker *w, const struct cooc_doc *doc, bool keep_breaks)
{
	size_t n = 0;
	for (size_t i = 0; i < doc->n; i++) {
		uint32_t id = doc->ids[i];
		if (id == VOCAB_NONE)
			continue;
		if (id == TF_STREAM_BREAK) {
			if (keep_breaks && n > 0 && w->seq[n - 1] != TF_STREAM_BREAK)
				w->seq[n++] = TF_STREAM_BREAK;
			continue;
		}
		w->seq[n++] = id;
	}
	if (n > 0 && w->seq[n - 1] == TF_STREAM_BREAK)
		n--;
	return n;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return (a > b) - (a < b);
}

/* Window pairs of one segment (a sentence, or the document). */
static int count_window(struct worker *w, const uint32_t *seg, size_t n)
{
	const struct cooc_opts *o = w->sh->opts;
	/* the weight of each distance, divided once (a division per pair was a
	 * good part of the counting) */
	uint64_t weight[COOC_MAX_WINDOW + 1];
	for (size_t d = 1; d <= o->window; d++)
		weight[d] = o->harmonic ? w->unit / d : 1;
	for (size_t i = 0; i < n; i++) {
		for (size_t d = 1; d <= o->window && i + d < n; d++) {
			uint32_t ti = seg[i], tj = seg[i + d];
			uint64_t wt = weight[d];
			int rc;
			if (o->direction == COOC_LEFT)
				rc = pair_add(w, tj, ti, 1, wt);
			else if (o->direction == COOC_RIGHT)
				rc = pair_add(w, ti, tj, 1, wt);
			else if (ti == tj)
				rc = pair_add(w, ti, ti, 2, 2 * wt);
			else
				rc = ti < tj ? pair_add(w, ti, tj, 1, wt) : pair_add(w, tj, ti, 1, wt);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Unit pairs: each pair of distinct terms of the unit, once. */
static int count_unit(struct worker *w, uint32_t *unit, size_t n)
{
	qsort(unit, n, sizeof *unit, cmp_u32);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || unit[i] != unit[u - 1])
			unit[u++] = unit[i];
	for (size_t i = 0; i < u; i++)
		for (size_t j = i + 1; j < u; j++) {
			int rc = pair_add(w, unit[i], unit[j], 1, 1);
			if (rc)
				return rc;
		}
	return 0;
}

/* Calls fn on each segment of seq: sentences, or the whole when whole. */
static int each_segment(struct worker *w, uint32_t *seq, size_t n, bool whole,
			int (*fn)(struct worker *, uint32_t *, size_t))
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && (whole || seq[i] != TF_STREAM_BREAK))
			continue;
		if (i > start) {
			int rc = fn(w, seq + start, i - start);
			if (rc)
				return rc;
		}
		start = i + 1;
	}
	return 0;
}

static int window_fn(struct worker *w, uint32_t *seg, size_t n)
{
	return count_window(w, seg, n);
}

static int unit_fn(struct worker *w, uint32_t *seg, size_t n)
{
	return count_unit(w, seg, n);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	const struct cooc_opts *o = w->sh->opts;
	for (;;) {
		if (atomic_load(&w->sh->error))
			break;
		size_t d = atomic_fetch_add(w->next, 1);
		if (d >= w->n_docs)
			break;
		const struct cooc_doc *doc = &w->docs[d];
		if (array_reserve((void **)&w->seq, &w->seq_cap, doc->n + 1, sizeof *w->seq)) {
			set_error(w->sh, TD_ENOMEM, "out of memory");
			break;
		}
		int rc;
		if (o->scope == COOC_WINDOW) {
			size_t n = filter_doc(w, doc, !o->cross_sentences);
			rc = each_segment(w, w->seq, n, o->cross_sentences, window_fn);
		} else {
			size_t n = filter_doc(w, doc, o->scope == COOC_SENTENCE);
			if (o->scope == COOC_DOCUMENT) {
				rc = count_unit(w, w->seq, n);
			} else {
				rc = each_segment(w, w->seq, n, false, unit_fn);
			}
		}
		if (rc)
			break;  /* the error is in sh */
	}
	if (!atomic_load(&w->sh->error))
		flush_pending(w);
	/* each worker sorts its own pairs for the merge, in parallel */
	if (!atomic_load(&w->sh->error) && w->sort_at_end) {
		table_sort(&w->table);
		sort_over(w);
	}
	return NULL;
}

/* Terms by count, most frequent first (ties: id). */
struct term_count {
	uint64_t count;
	uint32_t id;
};

static int by_count(const void *x, const void *y)
{
	const struct term_count *a = x, *b = y;
	if (a->count != b->count)
		return a->count < b->count ? 1 : -1;
	return (a->id > b->id) - (a->id < b->id);
}

/* The n most frequent terms of the documents: *rank per term (UINT32_MAX
 * for the others) and *by_rank the term of each rank.  Returns 0 or
 * TD_ENOMEM. */
static int frequent_terms(const struct cooc_doc *docs, size_t n_docs, size_t n_terms, size_t n, uint32_t **rank,
			  uint32_t **by_rank)
{
	struct term_count *tc = calloc(n_terms ? n_terms : 1, sizeof *tc);
	*rank = malloc((n_terms ? n_terms : 1) * sizeof **rank);
	*by_rank = malloc((n ? n : 1) * sizeof **by_rank);
	if (!tc || !*rank || !*by_rank) {
		free(tc);
		free(*rank);
		free(*by_rank);
		*rank = *by_rank = NULL;
		return TD_ENOMEM;
	}
	for (size_t t = 0; t < n_terms; t++)
		tc[t].id = (uint32_t)t;
	for (size_t d = 0; d < n_docs; d++)
		for (size_t i = 0; i < docs[d].n; i++)
			if (docs[d].ids[i] < n_terms)
				tc[docs[d].ids[i]].count++;
	qsort(tc, n_terms, sizeof *tc, by_count);
	for (size_t t = 0; t < n_terms; t++)
		(*rank)[t] = UINT32_MAX;
	for (size_t r = 0; r < n && r < n_terms; r++) {
		(*rank)[tc[r].id] = (uint32_t)r;
		(*by_rank)[r] = tc[r].id;
	}
	free(tc);
	return 0;
}

/* ---- merging -------------------------------------------------------------- */

/* A sorted source of entries: an array in memory (of entries, or of a
 * table's slots), a run file, or a dense block. */
struct source {
	const struct entry *mem;
	const struct slot *slots;
	size_t mem_n, pos;
	FILE *fp;
	struct entry *buf;
	size_t buf_n, buf_pos;
	const uint64_t *dense;      /* a dense block, read in place in key order: */
	const uint32_t *ids;        /* its terms by id, ascending */
	const uint32_t *rank;
	size_t dense_n, row, col;   /* the next cell to look at */
	bool triangle;
	struct entry cur;
	bool done;
};

/* The next non-empty cell of a dense block, in key order: terms a (rows) and
 * b (columns) both by ascending id, so no sorted copy of the block is made;
 * a triangle holds unordered pairs, read as a <= b. */
static void dense_next(struct source *s)
{
	for (; s->row < s->dense_n; s->row++, s->col = s->triangle ? s->row : 0) {
		uint32_t a = s->ids[s->row], ra = s->rank[a];
		while (s->col < s->dense_n) {
			uint32_t b = s->ids[s->col++];
			uint64_t sums = s->dense[dense_cell(s->dense_n, s->triangle, ra, s->rank[b])];
			if (sums != 0) {
				s->cur = unpack(pair_key(a, b), sums);
				return;
			}
		}
	}
	s->done = true;
}

static int source_next(struct source *s, struct shared *sh, const char *path)
{
	if (s->dense) {
		dense_next(s);
		return 0;
	}
	if (s->fp) {
		if (s->buf_pos == s->buf_n) {
			s->buf_n = fread(s->buf, sizeof *s->buf, READ_BATCH, s->fp);
			s->buf_pos = 0;
			if (s->buf_n == 0) {
				if (ferror(s->fp)) {
					path_error(sh, "read", path, errno);
					return TD_EIO;
				}
				s->done = true;
				return 0;
			}
		}
		s->cur = s->buf[s->buf_pos++];
		return 0;
	}
	if (s->pos == s->mem_n) {
		s->done = true;
		return 0;
	}
	if (s->slots) {
		s->cur = unpack(s->slots[s->pos].key, s->slots[s->pos].sums);
		s->pos++;
	} else {
		s->cur = s->mem[s->pos++];
	}
	return 0;
}

/* Merges the sources in key order, summing equal keys, into fn (a run
 * writer or the caller's emit). */
typedef int (*merged_fn)(void *ctx, const struct entry *e);

static int merge_sources(struct shared *sh, struct source *src, char *const *paths, size_t n, merged_fn fn,
			 void *ctx)
{
	/* a binary heap of source indices by current key */
	size_t *heap = malloc((n ? n : 1) * sizeof *heap), len = 0;
	if (!heap) {
		set_error(sh, TD_ENOMEM, "out of memory");
		return TD_ENOMEM;
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if ((rc = source_next(&src[i], sh, paths ? paths[i] : "")) || src[i].done)
			continue;
		size_t k = len++;
		heap[k] = i;
		while (k > 0 && src[heap[(k - 1) / 2]].cur.key > src[heap[k]].cur.key) {
			size_t t = heap[k];
			heap[k] = heap[(k - 1) / 2];
			heap[(k - 1) / 2] = t;
			k = (k - 1) / 2;
		}
	}
	struct entry acc = { EMPTY_KEY, 0, 0 };
	while (rc == 0 && len > 0) {
		struct source *top = &src[heap[0]];
		if (acc.key != top->cur.key) {
			if (acc.key != EMPTY_KEY && (rc = fn(ctx, &acc)))
				break;
			acc = top->cur;
		} else {
			acc.count += top->cur.count;
			acc.wsum += top->cur.wsum;
		}
		if ((rc = source_next(top, sh, paths ? paths[heap[0]] : "")))
			break;
		if (top->done)
			heap[0] = heap[--len];
		for (size_t k = 0;;) {  /* sift down */
			size_t l = 2 * k + 1, r = l + 1, m = k;
			if (l < len && src[heap[l]].cur.key < src[heap[m]].cur.key)
				m = l;
			if (r < len && src[heap[r]].cur.key < src[heap[m]].cur.key)
				m = r;
			if (m == k)
				break;
			size_t t = heap[k];
			heap[k] = heap[m];
			heap[m] = t;
			k = m;
		}
	}
	if (rc == 0 && acc.key != EMPTY_KEY)
		rc = fn(ctx, &acc);
	free(heap);
	return rc;
}

/* Opens n runs as sources (buffers included); returns 0 or an error. */
static int open_runs(struct shared *sh, struct source *src, char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(&src[i], 0, sizeof src[i]);
		src[i].buf = malloc(READ_BATCH * sizeof *src[i].buf);
		if (!src[i].buf) {
			set_error(sh, TD_ENOMEM, "out of memory");
			return TD_ENOMEM;
		}
		if (!(src[i].fp = fopen(paths[i], "rb"))) {
			path_error(sh, "read", paths[i], errno);
			return TD_EIO;
		}
	}
	return 0;
}

static void close_sources(struct source *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (src[i].fp)
			fclose(src[i].fp);
		free(src[i].buf);
	}
}

/* A run being written by a merge pass. */
struct run_writer {
	FILE *fp;
	struct entry buf[READ_BATCH];
	size_t n;
	bool failed;
};

static int run_put(void *ctx, const struct entry *e)
{
	struct run_writer *rw = ctx;
	rw->buf[rw->n++] = *e;
	if (rw->n == READ_BATCH) {
		if (fwrite(rw->buf, sizeof *rw->buf, rw->n, rw->fp) != rw->n) {
			rw->failed = true;
			return TD_EIO;
		}
		rw->n = 0;
	}
	return 0;
}

/* Merges runs COOC_MAX_OPEN at a time until at most COOC_MAX_OPEN are left. */
static int reduce_runs(struct shared *sh)
{
	while (sh->n_runs > COOC_MAX_OPEN) {
		size_t group = COOC_MAX_OPEN;
		char **first = sh->runs;  /* merge the oldest group into a new run */
		char *paths[COOC_MAX_OPEN];
		memcpy(paths, first, group * sizeof *paths);
		memmove(sh->runs, sh->runs + group, (sh->n_runs - group) * sizeof *sh->runs);
		sh->n_runs -= group;
		char *out = new_run_path(sh);
		struct source src[COOC_MAX_OPEN];
		memset(src, 0, sizeof src);
		struct run_writer *rw = calloc(1, sizeof *rw);
		int rc = out && rw ? open_runs(sh, src, paths, group) : (out ? TD_ENOMEM : atomic_load(&sh->error));
		if (rc == 0 && !(rw->fp = fopen(out, "wb"))) {
			path_error(sh, "write", out, errno);
			rc = TD_EIO;
		}
		if (rc == 0)
			rc = merge_sources(sh, src, paths, group, run_put, rw);
		if (rc == 0 && rw->n && fwrite(rw->buf, sizeof *rw->buf, rw->n, rw->fp) != rw->n)
			rw->failed = true;
		if (rw && rw->fp && fclose(rw->fp) != 0)
			rw->failed = true;
		if (rc == TD_EIO || (rw && rw->failed)) {
			path_error(sh, "write", out ? out : "a run", ENOSPC);
			rc = TD_EIO;
		}
		close_sources(src, group);
		free(rw);
		for (size_t i = 0; i < group; i++) {
			unlink(paths[i]);
			free(paths[i]);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* The caller's emit, with the pair made from an entry. */
struct emit_ctx {
	cooc_pair_fn emit;
	void *ctx;
	const struct cooc_opts *opts;
	uint64_t unit;
};

static int emit_entry(void *ctx, const struct entry *e)
{
	struct emit_ctx *ec = ctx;
	struct cooc_pair p = {
		.a = (uint32_t)(e->key >> 32), .b = (uint32_t)e->key, .count = e->count,
		.weighted = ec->opts->scope == COOC_WINDOW && ec->opts->harmonic ? (double)e->wsum / (double)ec->unit
										 : (double)e->count
	};
	return ec->emit(ec->ctx, &p);
}

int cooc_count(const struct cooc_opts *opts, const struct cooc_doc *docs, size_t n_docs, size_t n_terms,
	       cooc_pair_fn emit, void *ctx, size_t *n_runs, struct td_diag *diag)
{
	if (n_runs)
		*n_runs = 0;
	if (opts->window < 1 || opts->window > COOC_MAX_WINDOW)
		return td_fail(diag, TD_EINVAL, "window %u is not in 1..%d", opts->window, COOC_MAX_WINDOW);
	if (opts->memory < COOC_MIN_MEMORY)
		return td_fail(diag, TD_EINVAL, "a memory budget of %.3g MB cannot hold a run: at least %u MB (--memory %.6g) is needed",
			       (double)opts->memory / (1 << 20), COOC_MIN_MEMORY >> 20,
			       (double)COOC_MIN_MEMORY / (1 << 30));
	if (n_terms >= UINT32_MAX - 2)
		return td_fail(diag, TD_EINVAL, "too many terms for co-occurrence counting");
	unsigned n_workers = opts->n_threads < 1 ? 1 : opts->n_threads > 64 ? 64 : opts->n_threads;
	struct shared sh = { .opts = opts, .lock = PTHREAD_MUTEX_INITIALIZER };
	struct worker *workers = calloc(n_workers, sizeof *workers);
	struct source *src = NULL;
	atomic_size_t next = 0;
	int rc = 0;
	if (!workers)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	uint64_t unit = opts->scope == COOC_WINDOW && opts->harmonic ? cooc_weight_unit(opts->window) : 1;
	size_t share = (size_t)(opts->memory / n_workers), max_cap = MIN_CAP;
	/* The dense block: the DENSE_MAX most frequent terms, at most half of a
	 * worker's share; the hash table has the rest.  Pairs are unordered
	 * unless a window has a direction. */
	bool triangle = !(opts->scope == COOC_WINDOW && opts->direction != COOC_SYMMETRIC);
	size_t dense_n = n_terms < DENSE_MAX ? n_terms : DENSE_MAX;
	while (dense_n > 0 && 2 * dense_cells(dense_n, triangle) * sizeof(uint64_t) > share)
		dense_n /= 2;
	uint32_t *rank = NULL, *by_rank = NULL;
	if (dense_n > 0 && (rc = frequent_terms(docs, n_docs, n_terms, dense_n, &rank, &by_rank))) {
		free(workers);
		return td_fail(diag, rc, "out of memory");
	}
	if (by_rank) {  /* from here on: the frequent terms by id, for reading the blocks in key order */
		qsort(by_rank, dense_n, sizeof *by_rank, cmp_u32);
		for (size_t r = 0; r < dense_n; r++)
			rank[by_rank[r]] = (uint32_t)r;
	}
	share -= dense_cells(dense_n, triangle) * sizeof(uint64_t);
	/* The overflow list: a 32nd of what is left (it is spilled when full;
	 * a sum only gets there after millions of additions). */
	size_t max_over = share / 32 / sizeof(struct entry);
	share -= max_over * sizeof(struct entry);
	/* The table's peak: growing into cap slots holds the old half and the
	 * new (1.5 cap), sorting cap slots before a spill holds them, the
	 * sort's copy of the 0.7 cap in use and its counters (sort_slots: an
	 * eighth of that): 1.8 cap slots must fit in what is left. */
	while (18 * (2 * max_cap) * sizeof(struct slot) <= 10 * (uint64_t)share)
		max_cap *= 2;
	pthread_t threads[64];
	unsigned started = 0;
	for (unsigned i = 0; i < n_workers; i++) {
		workers[i] = (struct worker){ .sh = &sh, .docs = docs, .n_docs = n_docs, .next = &next, .unit = unit,
					      .rank = rank, .sort_at_end = true, .dense_n = dense_n,
					      .triangle = triangle, .max_over = max_over ? max_over : 1 };
		workers[i].table.max_cap = max_cap;
		/* pages of the block are only real once written */
		size_t cells = dense_cells(dense_n, triangle);
		if (dense_n && !(workers[i].dense = calloc(cells, sizeof *workers[i].dense))) {
			set_error(&sh, TD_ENOMEM, "out of memory");
			break;
		}
		array_hint_huge(workers[i].dense, cells * sizeof *workers[i].dense);
	}
	if (atomic_load(&sh.error))
		goto fail;
	for (unsigned i = 1; i < n_workers; i++) {
		if (pthread_create(&threads[i], NULL, worker_main, &workers[i]) != 0)
			break;
		started = i;
	}
	worker_main(&workers[0]);
	for (unsigned i = 1; i <= started; i++)
		pthread_join(threads[i], NULL);
	if (atomic_load(&sh.error))
		goto fail;

	/* The tables, the overflow lists and the dense blocks (sorted by their
	 * workers) and the runs, merged. */
	if (reduce_runs(&sh))
		goto fail;
	size_t n_mem = 3 * (size_t)n_workers, n_src = n_mem + sh.n_runs;
	src = calloc(n_src, sizeof *src);
	char **paths = calloc(n_src, sizeof *paths);
	if (!src || !paths) {
		free(paths);
		set_error(&sh, TD_ENOMEM, "out of memory");
		goto fail;
	}
	for (unsigned i = 0; i < n_workers; i++) {
		src[3 * i] = (struct source){ .slots = workers[i].table.e, .mem_n = workers[i].table.n };
		src[3 * i + 1] = (struct source){ .mem = workers[i].over, .mem_n = workers[i].n_over };
		if (workers[i].dense)
			src[3 * i + 2] = (struct source){ .dense = workers[i].dense, .ids = by_rank, .rank = rank,
							  .dense_n = dense_n, .triangle = triangle };
	}
	rc = open_runs(&sh, src + n_mem, sh.runs, sh.n_runs);
	for (size_t i = 0; i < sh.n_runs; i++)
		paths[n_mem + i] = sh.runs[i];
	if (n_runs)
		*n_runs = sh.next_name;
	struct emit_ctx ec = { emit, ctx, opts, unit };
	if (rc == 0)
		rc = merge_sources(&sh, src, paths, n_src, emit_entry, &ec);
	free(paths);
	close_sources(src + n_mem, sh.n_runs);
	if (atomic_load(&sh.error))
		goto fail;
	goto out;
fail:
	rc = td_fail(diag, atomic_load(&sh.error), "%s", sh.message);
out:
	free(src);
	for (unsigned i = 0; i < n_workers; i++) {
		free(workers[i].table.e);
		free(workers[i].over);
		free(workers[i].dense);
		free(workers[i].seq);
	}
	free(workers);
	free(rank);
	free(by_rank);
	for (size_t i = 0; i < sh.n_runs; i++)
		free(sh.runs[i]);
	free(sh.runs);
	if (sh.dir) {
		fs_remove_tree(sh.dir);
		cleanup_forget(sh.dir_cleanup);
		free(sh.dir);
	}
	pthread_mutex_destroy(&sh.lock);
	return rc;
}

/* ---- the rows of a few terms ------------------------------------------------ */

int cooc_focus_count(const struct cooc_opts *opts, const struct cooc_doc *docs, size_t n_docs,
		     const bool *is_focus, cooc_pair_fn emit, void *ctx)
{
	struct shared sh = { .opts = opts, .lock = PTHREAD_MUTEX_INITIALIZER };
	struct worker w = { .sh = &sh, .unit = opts->scope == COOC_WINDOW && opts->harmonic
						 ? cooc_weight_unit(opts->window) : 1 };
	w.table.max_cap = (size_t)1 << 40;  /* in memory: a few rows */
	w.max_over = SIZE_MAX;
	int rc = 0;
	bool sentences = opts->scope == COOC_SENTENCE || (opts->scope == COOC_WINDOW && !opts->cross_sentences);
	unsigned W = opts->window;
	for (size_t d = 0; d < n_docs && rc == 0; d++) {
		if (array_reserve((void **)&w.seq, &w.seq_cap, docs[d].n + 1, sizeof *w.seq)) {
			rc = TD_ENOMEM;
			break;
		}
		size_t n = filter_doc(&w, &docs[d], sentences), start = 0;
		for (size_t i = 0; i <= n && rc == 0; i++) {
			if (i < n && w.seq[i] != TF_STREAM_BREAK)
				continue;
			uint32_t *seg = w.seq + start;
			size_t len = i - start;
			start = i + 1;
			if (opts->scope != COOC_WINDOW) {
				qsort(seg, len, sizeof *seg, cmp_u32);
				size_t u = 0;
				for (size_t k = 0; k < len; k++)
					if (u == 0 || seg[k] != seg[u - 1])
						seg[u++] = seg[k];
				for (size_t f = 0; f < u && rc == 0; f++)
					for (size_t c = 0; is_focus[seg[f]] && c < u && rc == 0; c++)
						if (c != f)
							rc = table_add(&w, pair_key(seg[f], seg[c]), 1, 1);
				continue;
			}
			for (size_t p = 0; p < len && rc == 0; p++) {
				if (!is_focus[seg[p]])
					continue;
				for (size_t dist = 1; dist <= W && rc == 0; dist++) {
					uint64_t wt = opts->harmonic ? w.unit / dist : 1;
					if (opts->direction != COOC_RIGHT && p >= dist)  /* context before */
						rc = table_add(&w, pair_key(seg[p], seg[p - dist]), 1, wt);
					if (rc == 0 && opts->direction != COOC_LEFT && p + dist < len)  /* after */
						rc = table_add(&w, pair_key(seg[p], seg[p + dist]), 1, wt);
				}
			}
		}
	}
	if (rc == 0) {  /* the table and its overflow list, merged */
		table_sort(&w.table);
		sort_over(&w);
		struct source src[2] = { { .slots = w.table.e, .mem_n = w.table.n }, { .mem = w.over, .mem_n = w.n_over } };
		struct emit_ctx ec = { emit, ctx, opts, w.unit };
		rc = merge_sources(&sh, src, NULL, 2, emit_entry, &ec);
	}
	free(w.table.e);
	free(w.over);
	free(w.seq);
	pthread_mutex_destroy(&sh.lock);
	return rc;
}

/* ---- marginals and measures ----------------------------------------------- */

int cooc_marginals(const struct cooc_opts *opts, const struct cooc_doc *docs, size_t n_docs, size_t n_terms,
		   double *row, double *col, double *total)
{
	memset(row, 0, n_terms * sizeof *row);
	if (col)
		memset(col, 0, n_terms * sizeof *col);
	*total = 0;
	unsigned W = opts->window;
	/* H[k]: the weight of k partners at distances 1..k */
	double H[COOC_MAX_WINDOW + 1] = { 0 };
	for (unsigned k = 1; k <= W && k <= COOC_MAX_WINDOW; k++)
		H[k] = H[k - 1] + (opts->harmonic ? 1.0 / k : 1.0);
	struct worker w = { 0 };
	uint32_t *stamp = calloc(n_terms ? n_terms : 1, sizeof *stamp);
	if (!stamp)
		return TD_ENOMEM;
	uint32_t unit_no = 0;
	for (size_t d = 0; d < n_docs; d++) {
		if (array_reserve((void **)&w.seq, &w.seq_cap, docs[d].n + 1, sizeof *w.seq)) {
			free(stamp);
			return TD_ENOMEM;
		}
		bool sentences = opts->scope == COOC_SENTENCE || (opts->scope == COOC_WINDOW && !opts->cross_sentences);
		size_t n = filter_doc(&w, &docs[d], sentences);
		size_t start = 0;
		for (size_t i = 0; i <= n; i++) {
			if (i < n && w.seq[i] != TF_STREAM_BREAK)
				continue;
			const uint32_t *seg = w.seq + start;
			size_t len = i - start;
			start = i + 1;
			if (len == 0)
				continue;
			if (opts->scope == COOC_WINDOW) {
				for (size_t p = 0; p < len; p++) {
					double left = H[p < W ? p : W], right = H[len - 1 - p < W ? len - 1 - p : W];
					double as_target = opts->direction == COOC_LEFT ? left
							 : opts->direction == COOC_RIGHT ? right : left + right;
					double as_context = opts->direction == COOC_LEFT ? right
							  : opts->direction == COOC_RIGHT ? left : left + right;
					row[seg[p]] += as_target;
					if (col)
						col[seg[p]] += as_context;
					*total += as_target;
				}
			} else {
				/* a unit: a sentence, or the document (segments of a
				 * document scope are not split: no breaks kept) */
				if (++unit_no == 0) {
					memset(stamp, 0, n_terms * sizeof *stamp);
					unit_no = 1;
				}
				for (size_t p = 0; p < len; p++)
					if (stamp[seg[p]] != unit_no) {
						stamp[seg[p]] = unit_no;
						row[seg[p]] += 1;
						if (col)
							col[seg[p]] += 1;
					}
				*total += 1;
			}
		}
	}
	free(stamp);
	free(w.seq);
	return 0;
}

/* k ln(k / e), 0 when k is 0. */
static double xlogx_ratio(double k, double e)
{
	return k > 0 && e > 0 ? k * log(k / e) : 0.0;
}

void cooc_measures(double n_ab, double n_a, double n_b, double n, struct cooc_assoc *out)
{
	memset(out, 0, sizeof *out);
	if (n_ab <= 0 || n_a <= 0 || n_b <= 0 || n <= 0) {
		out->pmi = out->npmi = -INFINITY;
		out->p_value = 1;
		return;
	}
	out->pmi = log2(n_ab * n / (n_a * n_b));
	out->ppmi = out->pmi > 0 ? out->pmi : 0;
	double h = -log2(n_ab / n);
	out->npmi = h > 0 ? out->pmi / h : 1.0;
	double k11 = n_ab, k12 = n_a - n_ab, k21 = n_b - n_ab, k22 = n - n_a - n_b + n_ab;
	if (k12 < 0)
		k12 = 0;
	if (k21 < 0)
		k21 = 0;
	if (k22 < 0)
		k22 = 0;
	double r1 = k11 + k12, r2 = k21 + k22, c1 = k11 + k21, c2 = k12 + k22, t = r1 + r2;
	double g2 = 2 * (xlogx_ratio(k11, r1 * c1 / t) + xlogx_ratio(k12, r1 * c2 / t) +
			 xlogx_ratio(k21, r2 * c1 / t) + xlogx_ratio(k22, r2 * c2 / t));
	out->llr = g2 > 0 ? g2 : 0;
	/* P(chi2 with one degree of freedom >= G2) = erfc(sqrt(G2 / 2)): the same
	 * value as gsl_cdf_chisq_Q(G2, 1) to 1e-14, eight times faster, which
	 * matters at one call per pair */
	out->p_value = gsl_sf_erfc(sqrt(out->llr / 2));
}
