/* vocab.h - terms interned once.
 *
 * An open-addressing hash table (linear probing, power-of-two size, at most
 * half full) over an arena of NUL-terminated strings: interning a term that is
 * already known allocates nothing, and a new term costs one copy into the
 * arena.  Ids are dense, in order of first interning.  Strings are reached by
 * offset, so the arena can grow.
 */
#ifndef TD_VOCAB_H
#define TD_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#define VOCAB_NONE UINT32_MAX  /* "no such term" */

struct vocab {
	char *arena;           /* the strings, each followed by a NUL */
	size_t arena_len, arena_cap;
	uint64_t *offset;      /* per id: offset of its string in the arena */
	uint32_t *len;         /* per id: length in bytes */
	uint64_t *hash;        /* per id: hash_term(string, len) (hash.h) */
	size_t n_terms, cap_terms;
	uint64_t *slots;       /* (high 32 bits of the hash) << 32 | (id + 1), or 0 for an
				  empty slot: a probe compares the tag before touching the
				  term's arrays, one cache miss per slot */
	size_t n_slots;
};

/* Prepares an empty vocabulary (nothing allocated until the first term). */
void vocab_init(struct vocab *v);

/* Returns the id of the term (len bytes, any bytes but NUL), adding it if new.
 * hash must be hash_term(term, len) (hash.h; callers that have it pass it on).
 * Returns 0 and sets *id, or TD_ENOMEM (the vocabulary is unchanged), or
 * TD_EINVAL when the vocabulary already holds UINT32_MAX - 1 terms. */
int vocab_intern(struct vocab *v, const char *term, size_t len, uint64_t hash, uint32_t *id);

/* The id of a term, or VOCAB_NONE. */
uint32_t vocab_find(const struct vocab *v, const char *term, size_t len, uint64_t hash);

/* Starts loading the slot where a lookup of hash begins: a counter that
 * knows the hashes of the terms ahead calls it a few terms early, so that the
 * table's cache misses overlap (a table of a million terms does not fit in
 * the cache, and the miss was 80% of a lookup).  Only a hint. */
static inline void vocab_prefetch(const struct vocab *v, uint64_t hash)
{
#if defined(__GNUC__)
	if (v->n_slots)
		__builtin_prefetch(&v->slots[hash & (v->n_slots - 1)]);
#else
	(void)v;
	(void)hash;
#endif
}

/* The NUL-terminated string of an id (valid until the next vocab_intern). */
static inline const char *vocab_term(const struct vocab *v, uint32_t id)
{
	return v->arena + v->offset[id];
}

void vocab_free(struct vocab *v);

#endif
