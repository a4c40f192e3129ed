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
 * whose result is defined byte for byte on every machine.  Tokens are
 * hashed once each and most are short, where XXH3 costs a third of the
 * MurmurHash3-finaliser hash it replaced. */
static inline uint64_t hash_bytes(const void *data, size_t len, uint64_t seed)
{
	return XXH3_64bits_withSeed(data, len, seed);
}

/* Folds the hash of the next word of a term into the hash so far; order
 * matters ("a b" and "b a" differ). */
static inline uint64_t hash_fold(uint64_t so_far, uint64_t word)
{
	return hash_mix64(((so_far << 23) | (so_far >> 41)) ^ word);
}

/* The hash of a term: its words (the pieces between spaces) hashed with
 * hash_bytes and folded in order.  A single word's is hash_bytes(word, len,
 * 0), the hash a token carries, so an n-gram's hash comes from its tokens'
 * hashes without reading its string again (tokens never hold a space: the
 * tokenizer splits on it). */
static inline uint64_t hash_term(const char *term, size_t len)
{
	const char *end = term + len, *space = memchr(term, ' ', len);
	uint64_t h = hash_bytes(term, (size_t)((space ? space : end) - term), 0);
	while (space) {
		const char *word = space + 1;
		space = memchr(word, ' ', (size_t)(end - word));
		h = hash_fold(h, hash_bytes(word, (size_t)((space ? space : end) - word), 0));
	}
	return h;
}

#endif
