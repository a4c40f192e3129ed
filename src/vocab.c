/* vocab.c - terms interned once (see vocab.h). */
#include "vocab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "error.h"
#include "hash.h"

void vocab_init(struct vocab *v)
{
	memset(v, 0, sizeof *v);
}

/* Fills the slot for the term of an id (its string is in the arena). */
static void slot_fill(const struct vocab *v, struct vocab_slot *s, uint32_t id)
{
	size_t len = v->len[id];
	const char *term = v->arena + v->offset[id];
	memset(s, 0, sizeof *s);
	s->hash = v->hash[id];
	s->id1 = id + 1;
	s->len = (uint32_t)len;
	if (len <= VOCAB_INLINE) {
		memcpy(s->key.bytes, term, len);
	} else {
		memcpy(s->key.big.head, term, 8);
		s->key.big.offset = v->offset[id];
	}
}

/* Whether a table of n_slots may hold n terms: at most three quarters full. */
static inline bool fits(size_t n, size_t n_slots)
{
	return n <= n_slots / 4 * 3;
}

/* Rebuilds the table at twice the size, or larger when need terms (or the
 * terms, when the index was dropped) ask for it, from the per-id arrays; ids
 * and strings do not move. */
static int vocab_rehash(struct vocab *v, size_t need)
{
	size_t n_slots = v->n_slots ? 2 * v->n_slots : 1024;
	while (!fits(need, n_slots)) {
		if (n_slots > SIZE_MAX / 2 / sizeof(struct vocab_slot))
			return TD_ENOMEM;
		n_slots *= 2;
	}
	if (n_slots > SIZE_MAX / sizeof(struct vocab_slot))
		return TD_ENOMEM;
	size_t bytes = n_slots * sizeof(struct vocab_slot);
	struct vocab_slot *slots = array_alloc_table(bytes);  /* probed at random: huge pages spare TLB misses */
	if (!slots)
		return TD_ENOMEM;
	memset(slots, 0, bytes);
	size_t mask = n_slots - 1;
	for (size_t id = 0; id < v->n_terms; id++) {
		size_t slot = v->hash[id] & mask;
		while (slots[slot].id1)
			slot = (slot + 1) & mask;
		slot_fill(v, &slots[slot], (uint32_t)id);
	}
	free(v->slots);
	v->slots = slots;
	v->n_slots = n_slots;
	return 0;
}

void vocab_drop_index(struct vocab *v)
{
	free(v->slots);
	v->slots = NULL;
	v->n_slots = 0;
}

static int grow_terms(struct vocab *v, size_t need)
{
	size_t cap = v->cap_terms ? 2 * v->cap_terms : 1024;
	while (cap < need) {
		if (cap > SIZE_MAX / 2 / sizeof(uint64_t))
			return TD_ENOMEM;
		cap *= 2;
	}
	uint64_t *offset = realloc(v->offset, cap * sizeof *offset);
	if (!offset)
		return TD_ENOMEM;
	v->offset = offset;
	uint32_t *len = realloc(v->len, cap * sizeof *len);
	if (!len)
		return TD_ENOMEM;
	v->len = len;
	uint64_t *hash = realloc(v->hash, cap * sizeof *hash);
	if (!hash)
		return TD_ENOMEM;
	v->hash = hash;
	v->cap_terms = cap;
	return 0;
}

static int grow_arena(struct vocab *v, size_t need)
{
	size_t cap = v->arena_cap ? v->arena_cap : 1 << 16;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return TD_ENOMEM;
		cap *= 2;
	}
	char *arena = realloc(v->arena, cap);
	if (!arena)
		return TD_ENOMEM;
	v->arena = arena;
	v->arena_cap = cap;
	return 0;
}

uint32_t vocab_find(const struct vocab *v, const char *term, size_t len, uint64_t hash)
{
	if (!v->n_slots)
		return VOCAB_NONE;
	size_t mask = v->n_slots - 1;
	for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
		const struct vocab_slot *s = &v->slots[slot];
		if (!s->id1)
			return VOCAB_NONE;
		if (vocab_slot_holds(v, s, term, len, hash))
			return s->id1 - 1;
	}
}

/* Room for one more term of len bytes: 0, TD_EINVAL (too many terms, or
 * too long) or TD_ENOMEM. */
static int make_room(struct vocab *v, size_t len)
{
	if (v->n_terms >= UINT32_MAX - 1 || len > UINT32_MAX - 1)
		return TD_EINVAL;
	if (v->n_terms == v->cap_terms && grow_terms(v, v->n_terms + 1))
		return TD_ENOMEM;
	if (v->arena_len + len + 1 > v->arena_cap && grow_arena(v, v->arena_len + len + 1))
		return TD_ENOMEM;
	return 0;
}

/* Stores a new term (make_room made room) and returns its
 * id; the hash table is the caller's business. */
static uint32_t store_term(struct vocab *v, const char *term, size_t len, uint64_t hash)
{
	uint32_t new_id = (uint32_t)v->n_terms++;
	v->offset[new_id] = v->arena_len;
	v->len[new_id] = (uint32_t)len;
	v->hash[new_id] = hash;
	memcpy(v->arena + v->arena_len, term, len);
	v->arena[v->arena_len + len] = '\0';
	v->arena_len += len + 1;
	return new_id;
}

int vocab_add(struct vocab *v, const char *term, size_t len, uint64_t hash, size_t slot, uint32_t *id)
{
	/* A new term: make room first, so that a failure changes nothing. */
	int rc = make_room(v, len);
	if (rc)
		return rc;
	bool rehashed = false;
	if (!v->n_slots || !fits(v->n_terms + 1, v->n_slots)) {
		if (vocab_rehash(v, v->n_terms + 1))
			return TD_ENOMEM;
		rehashed = true;
	}
	uint32_t new_id = store_term(v, term, len, hash);
	size_t mask = v->n_slots - 1;
	if (rehashed) {  /* the probe ran in the old table */
		slot = hash & mask;
		while (v->slots[slot].id1)
			slot = (slot + 1) & mask;
	}
	slot_fill(v, &v->slots[slot], new_id);
	*id = new_id;
	return 0;
}

int vocab_append(struct vocab *v, const char *term, size_t len, uint64_t hash, uint32_t *id)
{
	int rc = make_room(v, len);
	if (rc)
		return rc;
	vocab_drop_index(v);
	uint32_t new_id = store_term(v, term, len, hash);
	*id = new_id;
	return 0;
}

int vocab_reserve_terms(struct vocab *v, size_t n_terms, size_t arena_bytes)
{
	if (n_terms > SIZE_MAX - v->n_terms || arena_bytes > SIZE_MAX - v->arena_len)
		return TD_ENOMEM;
	size_t need = v->n_terms + n_terms;
	if (need > v->cap_terms && grow_terms(v, need))
		return TD_ENOMEM;
	if (v->arena_len + arena_bytes > v->arena_cap && grow_arena(v, v->arena_len + arena_bytes))
		return TD_ENOMEM;
	return 0;
}

int vocab_index(struct vocab *v)
{
	if (v->n_slots || !v->n_terms)
		return 0;
	return vocab_rehash(v, v->n_terms);
}

int vocab_copy(struct vocab *dst, const struct vocab *src)
{
	vocab_free(dst);
	if (!src->n_terms)
		return 0;
	if (grow_terms(dst, src->n_terms) || grow_arena(dst, src->arena_len)) {
		vocab_free(dst);
		return TD_ENOMEM;
	}
	memcpy(dst->arena, src->arena, src->arena_len);
	memcpy(dst->offset, src->offset, src->n_terms * sizeof *dst->offset);
	memcpy(dst->len, src->len, src->n_terms * sizeof *dst->len);
	memcpy(dst->hash, src->hash, src->n_terms * sizeof *dst->hash);
	dst->arena_len = src->arena_len;
	dst->n_terms = src->n_terms;
	return 0;
}

void vocab_free(struct vocab *v)
{
	free(v->arena);
	free(v->offset);
	free(v->len);
	free(v->hash);
	free(v->slots);
	vocab_init(v);
}
