/* vocab.h - terms interned once.
 *
 * An open-addressing hash table (linear probing, power-of-two size, at most
 * three quarters full) over an arena of NUL-terminated strings: interning a
 * term that is already known allocates nothing, and a new term costs one copy
 * into the arena.  Ids are dense, in order of first interning.  Strings are
 * reached by offset, so the arena can grow.
 *
 * A slot holds the term's full hash, its id and length, and the term itself
 * when it has at most VOCAB_INLINE bytes (most words and bigrams): a lookup
 * of such a term reads one 32-byte slot and nothing else.  The table of a
 * large vocabulary does not fit in the cache, and before the strings were
 * inline a lookup missed it four times (slot, length, offset, string).
 */
#ifndef TD_VOCAB_H
#define TD_VOCAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hash.h"

#define VOCAB_NONE UINT32_MAX  /* "no such term" */

/* Terms of up to this many bytes are held in their slot. */
#define VOCAB_INLINE 16
_Static_assert(VOCAB_INLINE == 16, "vocab_intern_key compares a slot's key as two 8-byte words");

struct vocab_slot {
	uint64_t hash;         /* hash_term() of the term */
	uint32_t id1;          /* id + 1; 0: the slot is empty */
	uint32_t len;          /* the term's length in bytes */
	union {
		unsigned char bytes[VOCAB_INLINE];  /* len <= VOCAB_INLINE: the term, zero-padded */
		struct {
			unsigned char head[8];      /* longer: its first 8 bytes */
			uint64_t offset;            /* and its offset in the arena */
		} big;
	} key;
};

struct vocab {
	char *arena;           /* the strings, each followed by a NUL */
	size_t arena_len, arena_cap;
	uint64_t *offset;      /* per id: offset of its string in the arena */
	uint32_t *len;         /* per id: length in bytes */
	uint64_t *hash;        /* per id: hash_term(string, len) (hash.h) */
	size_t n_terms, cap_terms;
	struct vocab_slot *slots;  /* n_slots, 64-byte aligned */
	size_t n_slots;
};

/* Prepares an empty vocabulary (nothing allocated until the first term). */
void vocab_init(struct vocab *v);

/* Loads n = 1..8 bytes at p (n known small) as an integer for comparisons:
 * two overlapping loads cover them without reading past p + n. */
static inline uint64_t vocab_load_upto8(const unsigned char *p, size_t n)
{
	if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		return (uint64_t)a << 32 | b;
	}
	return (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1];
}

/* Whether the len bytes at term equal the first len bytes of key (len <= 16):
 * the bytes [0, 8) and [len - 8, len) cover [0, len) when 8 <= len <= 16. */
static inline bool vocab_equal_upto16(const unsigned char *key, const char *term, size_t len)
{
	const unsigned char *t = (const unsigned char *)term;
	if (len >= 8) {
		uint64_t a, b, c, d;
		memcpy(&a, key, 8);
		memcpy(&b, t, 8);
		memcpy(&c, key + len - 8, 8);
		memcpy(&d, t + len - 8, 8);
		return ((a ^ b) | (c ^ d)) == 0;
	}
	return len == 0 || vocab_load_upto8(key, len) == vocab_load_upto8(t, len);
}

/* Whether the slot holds this term (the hashes are compared first). */
static inline bool vocab_slot_holds(const struct vocab *v, const struct vocab_slot *s, const char *term, size_t len,
				    uint64_t hash)
{
	if (s->hash != hash || s->len != len)
		return false;
	if (len <= VOCAB_INLINE)
		return vocab_equal_upto16(s->key.bytes, term, len);
	return memcmp(s->key.big.head, term, 8) == 0 &&
	       memcmp(v->arena + s->key.big.offset + 8, term + 8, len - 8) == 0;
}

/* Adds a term that a probe did not find, at the empty slot where the probe
 * stopped (vocab_intern's slow path). */
int vocab_add(struct vocab *v, const char *term, size_t len, uint64_t hash, size_t slot, uint32_t *id);

/* Returns the id of the term (len bytes, any bytes but NUL), adding it if new.
 * hash must be hash_term(term, len) (hash.h; callers that have it pass it on).
 * Returns 0 and sets *id, or TD_ENOMEM (the vocabulary is unchanged), or
 * TD_EINVAL when the vocabulary already holds UINT32_MAX - 1 terms.  Inline:
 * a known term, the common case, costs no call. */
#if defined(__GNUC__)
#define VOCAB_HOT_INLINE inline __attribute__((always_inline))
#else
#define VOCAB_HOT_INLINE inline
#endif

/* The probe both take: with a key (a term of at most VOCAB_INLINE bytes,
 * hash_word_key) a slot is checked by comparing its hash, length and two
 * 8-byte words, with no branch on the length; without one, by
 * vocab_slot_holds.  Inlined where key is a constant, which picks. */
static VOCAB_HOT_INLINE int vocab_probe(struct vocab *v, const char *term, size_t len, const uint64_t *key,
					uint64_t hash, uint32_t *id)
{
	size_t slot = 0;
	if (v->n_slots) {
		size_t mask = v->n_slots - 1;
		for (slot = hash & mask;; slot = (slot + 1) & mask) {
			const struct vocab_slot *s = &v->slots[slot];
			if (!s->id1)
				break;
			bool same = key ? ((s->hash ^ hash) | (s->len ^ len) | (hash_load64(s->key.bytes) ^ key[0]) |
					   (hash_load64(s->key.bytes + 8) ^ key[1])) == 0
					: vocab_slot_holds(v, s, term, len, hash);
			if (same) {
				*id = s->id1 - 1;
				return 0;
			}
		}
	}
	return vocab_add(v, term, len, hash, slot, id);
}

static VOCAB_HOT_INLINE int vocab_intern(struct vocab *v, const char *term, size_t len, uint64_t hash, uint32_t *id)
{
	return vocab_probe(v, term, len, NULL, hash, id);
}

/* vocab_intern for a term of at most VOCAB_INLINE bytes given with its key
 * (hash_word_key, hash.h; the term is read only when it is new). */
static VOCAB_HOT_INLINE int vocab_intern_key(struct vocab *v, const char *term, size_t len, const uint64_t key[2],
					     uint64_t hash, uint32_t *id)
{
	return vocab_probe(v, term, len, key, hash, id);
}

/* Adds a term without looking for it, for a vocabulary whose caller knows
 * its terms are new (found by other means, such as n-grams by their words'
 * ids): no hash table is built or probed.  A table the vocabulary had is
 * dropped (vocab_find then finds nothing; the next vocab_intern rebuilds
 * it, appended terms included).  Returns 0 and sets *id, TD_ENOMEM (nothing
 * changed) or TD_EINVAL (UINT32_MAX - 1 terms already). */
int vocab_append(struct vocab *v, const char *term, size_t len, uint64_t hash, uint32_t *id);

/* Makes room for n_terms more terms holding arena_bytes bytes in all (a NUL
 * after each included), so that appending that many new terms
 * (vocab_append) reallocates nothing: for a vocabulary built from terms
 * known in advance.  Returns 0 or TD_ENOMEM (what was reserved before
 * stays). */
int vocab_reserve_terms(struct vocab *v, size_t n_terms, size_t arena_bytes);

/* Builds the hash table of a vocabulary that has none (terms added by
 * vocab_append, or the table dropped), for vocab_find.  Returns 0 or
 * TD_ENOMEM. */
int vocab_index(struct vocab *v);

/* Makes dst (initialised; what it held is freed) a copy of src's terms, ids
 * and strings, without a hash table.  Returns 0 or TD_ENOMEM (dst empty). */
int vocab_copy(struct vocab *dst, const struct vocab *src);

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

/* Frees the hash table but keeps the terms: for a vocabulary that will only
 * be read by id (vocab_term and the arrays) from now on.  vocab_find then
 * finds nothing; the next vocab_intern rebuilds the table. */
void vocab_drop_index(struct vocab *v);

/* The NUL-terminated string of an id (valid until the next vocab_intern). */
static inline const char *vocab_term(const struct vocab *v, uint32_t id)
{
	return v->arena + v->offset[id];
}

void vocab_free(struct vocab *v);

#endif
