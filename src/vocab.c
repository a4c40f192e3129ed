/* vocab.c - terms interned once (see vocab.h). */
#include "vocab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hash.h"

void vocab_init(struct vocab *v)
{
	memset(v, 0, sizeof *v);
}

static inline uint64_t slot_entry(uint64_t hash, uint32_t id)
{
	return (hash & UINT64_C(0xffffffff00000000)) | ((uint64_t)id + 1);
}

/* Whether a slot's tag agrees with the high half of hash. */
static inline bool tag_matches(uint64_t entry, uint64_t hash)
{
	return (entry ^ hash) >> 32 == 0;
}

/* Rebuilds the table at twice the size; ids and strings do not move. */
static int vocab_rehash(struct vocab *v)
{
	size_t n_slots = v->n_slots ? 2 * v->n_slots : 1024;
	uint64_t *slots = calloc(n_slots, sizeof *slots);
	if (!slots)
		return TD_ENOMEM;
	size_t mask = n_slots - 1;
	for (size_t id = 0; id < v->n_terms; id++) {
		size_t slot = v->hash[id] & mask;
		while (slots[slot])
			slot = (slot + 1) & mask;
		slots[slot] = slot_entry(v->hash[id], (uint32_t)id);
	}
	free(v->slots);
	v->slots = slots;
	v->n_slots = n_slots;
	return 0;
}

static int grow_terms(struct vocab *v)
{
	size_t cap = v->cap_terms ? 2 * v->cap_terms : 1024;
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
	while (cap < need)
		cap *= 2;
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
		uint64_t entry = v->slots[slot];
		if (!entry)
			return VOCAB_NONE;
		if (!tag_matches(entry, hash))
			continue;
		uint32_t id = (uint32_t)entry - 1;
		if (v->len[id] == len && memcmp(v->arena + v->offset[id], term, len) == 0)
			return id;
	}
}

int vocab_intern(struct vocab *v, const char *term, size_t len, uint64_t hash, uint32_t *id)
{
	if (v->n_slots) {
		size_t mask = v->n_slots - 1;
		size_t slot = hash & mask;
		for (;; slot = (slot + 1) & mask) {
			uint64_t entry = v->slots[slot];
			if (!entry)
				break;
			if (!tag_matches(entry, hash))
				continue;
			uint32_t known = (uint32_t)entry - 1;
			if (v->len[known] == len && memcmp(v->arena + v->offset[known], term, len) == 0) {
				*id = known;
				return 0;
			}
		}
	}
	if (v->n_terms >= UINT32_MAX - 1)
		return TD_EINVAL;
	/* A new term: make room first, so that a failure changes nothing. */
	if (v->n_terms == v->cap_terms && grow_terms(v))
		return TD_ENOMEM;
	if (v->arena_len + len + 1 > v->arena_cap && grow_arena(v, v->arena_len + len + 1))
		return TD_ENOMEM;
	if (2 * (v->n_terms + 1) > v->n_slots && vocab_rehash(v))
		return TD_ENOMEM;
	uint32_t new_id = (uint32_t)v->n_terms++;
	v->offset[new_id] = v->arena_len;
	v->len[new_id] = (uint32_t)len;
	v->hash[new_id] = hash;
	memcpy(v->arena + v->arena_len, term, len);
	v->arena[v->arena_len + len] = '\0';
	v->arena_len += len + 1;
	size_t mask = v->n_slots - 1;
	size_t slot = hash & mask;
	while (v->slots[slot])
		slot = (slot + 1) & mask;
	v->slots[slot] = slot_entry(hash, new_id);
	*id = new_id;
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
