/* hash.h - a fast 64-bit hash for strings and integers (hash tables, shingles,
 * MinHash).  Not cryptographic.  The same bytes and seed give the same hash on
 * every machine (little- or big-endian), so outputs never depend on it. */
#ifndef TD_HASH_H
#define TD_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

/* The 64-bit finaliser of MurmurHash3 (public domain): a bijective mix. */
static inline uint64_t hash_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

/* Reads 8 bytes as a little-endian integer, whatever the machine. */
static inline uint64_t hash_load64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
	       (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/* Hashes len bytes at data with a seed: xxHash's XXH3 (64 bits), inlined,
 * whose result is defined byte for byte on every machine (lines, shingles,
 * keys; words and terms hash with hash_word below). */
static inline uint64_t hash_bytes(const void *data, size_t len, uint64_t seed)
{
	return XXH3_64bits_withSeed(data, len, seed);
}

/* Masks for a word of len <= 16 bytes read as two 8-byte halves: the bytes
 * past len are cleared, with one load and no branch on the length. */
static const uint64_t hash_word_masks[17][2] = {
	{ 0, 0 },
	{ 0xff, 0 }, { 0xffff, 0 }, { 0xffffff, 0 }, { 0xffffffff, 0 },
	{ 0xffffffffff, 0 }, { 0xffffffffffff, 0 }, { 0xffffffffffffff, 0 }, { UINT64_MAX, 0 },
	{ UINT64_MAX, 0xff }, { UINT64_MAX, 0xffff }, { UINT64_MAX, 0xffffff }, { UINT64_MAX, 0xffffffff },
	{ UINT64_MAX, 0xffffffffff }, { UINT64_MAX, 0xffffffffffff }, { UINT64_MAX, 0xffffffffffffff },
	{ UINT64_MAX, UINT64_MAX }
};

/* The key of a word of len <= 16 bytes at p, where 16 bytes are readable:
 * its bytes as two little-endian halves, zero past len. */
static inline void hash_word_key(const void *p, size_t len, uint64_t key[2])
{
	const unsigned char *b = p;
	key[0] = hash_load64(b) & hash_word_masks[len][0];
	key[1] = hash_load64(b + 8) & hash_word_masks[len][1];
}

/* The hash of a word of len <= 16 bytes from its key: one 64x64->128-bit
 * multiply of the halves (each with a constant mixed in), folded, then
 * XXH3's avalanche.  No branch: tokens of every length take the same path,
 * where XXH3's dispatch on the length (1-3, 4-8, 9-16) was mispredicted
 * at random. */
static inline uint64_t hash_word16(const uint64_t key[2], size_t len)
{
	__extension__ typedef unsigned __int128 u128;  /* GCC and Clang, on 64-bit targets */
	u128 m = (u128)(key[0] ^ UINT64_C(0x9e3779b97f4a7c15)) * (key[1] ^ UINT64_C(0xc2b2ae3d27d4eb4f) ^ len);
	uint64_t h = (uint64_t)m ^ (uint64_t)(m >> 64);
	h ^= h >> 37;
	h *= UINT64_C(0x165667919e3779f9);
	return h ^ (h >> 32);
}

/* The hash of a word (a token, or a piece of a term between spaces): for
 * at most 16 bytes hash_word16 of its key, for longer ones XXH3. */
static inline uint64_t hash_word(const void *data, size_t len)
{
	if (len > 16)
		return XXH3_64bits(data, len);
	unsigned char padded[16] = { 0 };
	uint64_t key[2];
	memcpy(padded, data, len);
	hash_word_key(padded, len, key);
	return hash_word16(key, len);
}

/* Folds the hash of the next word of a term into the hash so far; order
 * matters ("a b" and "b a" differ). */
static inline uint64_t hash_fold(uint64_t so_far, uint64_t word)
{
	return hash_mix64(((so_far << 23) | (so_far >> 41)) ^ word);
}

/* The hash of a term: its words (the pieces between spaces) hashed with
 * hash_word and folded in order.  A single word's is hash_word(word, len),
 * the hash a token carries, so an n-gram's hash comes from its tokens'
 * hashes without reading its string again (tokens never hold a space: the
 * tokenizer splits on it). */
static inline uint64_t hash_term(const char *term, size_t len)
{
	const char *end = term + len, *space = memchr(term, ' ', len);
	uint64_t h = hash_word(term, (size_t)((space ? space : end) - term));
	while (space) {
		const char *word = space + 1;
		space = memchr(word, ' ', (size_t)(end - word));
		h = hash_fold(h, hash_word(word, (size_t)((space ? space : end) - word)));
	}
	return h;
}

#endif
