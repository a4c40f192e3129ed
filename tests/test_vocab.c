/* test_vocab.c - term interning: growth, collisions, lookups. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "vocab.h"

static uint32_t intern(struct vocab *v, const char *s)
{
	uint32_t id = VOCAB_NONE;
	assert_int_equal(vocab_intern(v, s, strlen(s), hash_bytes(s, strlen(s), 0), &id), 0);
	return id;
}

static void test_vocab__ids_are_dense_in_first_seen_order(void **state)
{
	(void)state;
	struct vocab v;
	vocab_init(&v);
	assert_int_equal(intern(&v, "backstop"), 0);
	assert_int_equal(intern(&v, "kyiv's"), 1);
	assert_int_equal(intern(&v, "backstop"), 0);
	assert_int_equal(intern(&v, ""), 2);
	assert_int_equal(v.n_terms, 3);
	assert_string_equal(vocab_term(&v, 1), "kyiv's");
	assert_int_equal(vocab_find(&v, "kyiv's", 6, hash_bytes("kyiv's", 6, 0)), 1);
	assert_int_equal(vocab_find(&v, "kyiv", 4, hash_bytes("kyiv", 4, 0)), VOCAB_NONE);
	vocab_free(&v);
}

static void test_vocab__grows_past_many_rehashes(void **state)
{
	(void)state;
	struct vocab v;
	vocab_init(&v);
	char buf[32];
	for (uint32_t i = 0; i < 200000; i++) {
		snprintf(buf, sizeof buf, "term%u", i);
		assert_int_equal(intern(&v, buf), i);
	}
	for (uint32_t i = 0; i < 200000; i += 997) {
		snprintf(buf, sizeof buf, "term%u", i);
		assert_int_equal(intern(&v, buf), i);
		assert_string_equal(vocab_term(&v, i), buf);
	}
	assert_true(4 * v.n_terms <= 3 * v.n_slots);
	vocab_free(&v);
}

static void test_vocab__equal_hashes_do_not_merge_terms(void **state)
{
	(void)state;
	/* Force collisions: every term gets the same hash, so the table must
	 * tell them apart by their bytes. */
	struct vocab v;
	vocab_init(&v);
	const char *terms[] = { "a", "b", "ab", "ba", "a b" };
	uint32_t id;
	for (uint32_t i = 0; i < 5; i++) {
		assert_int_equal(vocab_intern(&v, terms[i], strlen(terms[i]), 42, &id), 0);
		assert_int_equal(id, i);
	}
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(vocab_find(&v, terms[i], strlen(terms[i]), 42), i);
	vocab_free(&v);
}

/* Terms of 64 KiB and more keep their length outside the slot: two long
 * terms that differ only in length, or only in their last byte, stay apart. */
static void test_vocab__long_terms(void **state)
{
	(void)state;
	size_t n = 70000;
	char *a = malloc(n + 1), *b = malloc(n + 1);
	assert_non_null(a);
	assert_non_null(b);
	memset(a, 'x', n);
	memcpy(b, a, n);
	b[n - 1] = 'y';
	struct vocab v;
	vocab_init(&v);
	uint32_t id_a, id_b, id_short, again;
	assert_int_equal(vocab_intern(&v, a, n, hash_bytes("same", 4, 0), &id_a), 0);
	assert_int_equal(vocab_intern(&v, b, n, hash_bytes("same", 4, 0), &id_b), 0);
	assert_int_equal(vocab_intern(&v, a, n - 1, hash_bytes("same", 4, 0), &id_short), 0);
	assert_int_equal(vocab_intern(&v, a, n, hash_bytes("same", 4, 0), &again), 0);
	assert_int_equal(again, id_a);
	assert_int_not_equal(id_a, id_b);
	assert_int_not_equal(id_a, id_short);
	assert_int_equal(v.n_terms, 3);
	assert_int_equal(vocab_find(&v, b, n, hash_bytes("same", 4, 0)), id_b);
	assert_int_equal(strlen(vocab_term(&v, id_short)), n - 1);
	vocab_free(&v);
	free(a);
	free(b);
}

/* Terms held in their slot (up to VOCAB_INLINE bytes) and in the arena
 * compare every byte: for each length from 0 to 40, terms that differ only
 * in one byte (first, middle, last), all with one hash, stay apart and are
 * found again; a shorter prefix of a term is another term. */
static void test_vocab__every_byte_counts_at_every_length(void **state)
{
	(void)state;
	struct vocab v;
	vocab_init(&v);
	char base[41], other[41];
	memset(base, 'q', sizeof base);
	uint32_t expected = 0;
	for (size_t len = 0; len <= 40; len++) {
		uint32_t id;
		assert_int_equal(vocab_intern(&v, base, len, 7, &id), 0);
		assert_int_equal(id, expected++);
		size_t at[3] = { 0, len / 2, len ? len - 1 : 0 };
		for (int k = 0; k < 3 && len > 0; k++) {
			if (k > 0 && at[k] == at[k - 1])
				continue;
			memcpy(other, base, len);
			other[at[k]] = 'r';
			assert_int_equal(vocab_find(&v, other, len, 7), VOCAB_NONE);
			assert_int_equal(vocab_intern(&v, other, len, 7, &id), 0);
			assert_int_equal(id, expected++);
			assert_int_equal(vocab_find(&v, other, len, 7), id);
			assert_memory_equal(vocab_term(&v, id), other, len);
		}
	}
	for (size_t len = 0; len <= 40; len++) {
		uint32_t id = vocab_find(&v, base, len, 7);
		assert_int_not_equal(id, VOCAB_NONE);
		assert_int_equal(v.len[id], len);
		assert_int_equal(vocab_term(&v, id)[len], '\0');
	}
	assert_int_equal(v.n_terms, expected);
	vocab_free(&v);
}

/* vocab_intern_key (a term of at most 16 bytes, given with its key) finds
 * what vocab_intern adds and adds what it does not know, for every length:
 * terms that differ in one byte, all with one hash, read from a buffer
 * whose bytes past the term are not zero (the key masks them off). */
static void test_vocab__intern_key_compares_the_masked_key(void **state)
{
	(void)state;
	struct vocab v;
	vocab_init(&v);
	char buf[32];
	for (size_t len = 0; len <= VOCAB_INLINE; len++) {
		uint32_t id, again;
		uint64_t key[2];
		memset(buf, 'z', sizeof buf);
		memset(buf, 'q', len);
		assert_int_equal(vocab_intern(&v, buf, len, 7, &id), 0);
		hash_word_key(buf, len, key);
		assert_int_equal(vocab_intern_key(&v, buf, len, key, 7, &again), 0);
		assert_int_equal(again, id);
		for (size_t at = 0; at < len; at++) {
			buf[at] = 'r';
			hash_word_key(buf, len, key);
			assert_int_equal(vocab_intern_key(&v, buf, len, key, 7, &again), 0);
			assert_int_not_equal(again, id);
			assert_int_equal(vocab_find(&v, buf, len, 7), again);
			assert_memory_equal(vocab_term(&v, again), buf, len);
			buf[at] = 'q';
		}
	}
	assert_int_equal(v.n_terms, (VOCAB_INLINE + 1) + VOCAB_INLINE * (VOCAB_INLINE + 1) / 2);
	vocab_free(&v);
}

/* hash_word: a word of at most 16 bytes hashes as its key (the bytes past
 * it do not count, its length does: "a" and "a\0" differ), a longer one
 * with XXH3; and hash_term of one word is its hash_word. */
static void test_vocab__hash_word_of_keys_and_long_words(void **state)
{
	(void)state;
	char buf[32], zeros[17] = { 0 };
	uint64_t seen[17];
	for (size_t len = 0; len <= 16; len++) {
		uint64_t key[2];
		memset(buf, 'x', sizeof buf);
		memcpy(buf, "termdriftwords16", len);
		hash_word_key(buf, len, key);
		assert_true(hash_word16(key, len) == hash_word("termdriftwords16", len));
		assert_true(hash_term("termdriftwords16", len) == hash_word("termdriftwords16", len));
		seen[len] = hash_word(zeros, len);
		for (size_t k = 0; k < len; k++)
			assert_true(seen[k] != seen[len]);
	}
	const char *longer = "seventeen-letters";
	assert_true(hash_word(longer, 17) == XXH3_64bits(longer, 17));
	assert_true(hash_word(longer, 16) != hash_word(longer, 17));
}

/* vocab_append adds without looking (and drops the table: vocab_find finds
 * nothing); the next vocab_intern rebuilds the table with every term. */
static void test_vocab__append_then_intern_finds_every_term(void **state)
{
	(void)state;
	struct vocab v;
	vocab_init(&v);
	assert_int_equal(intern(&v, "alpha"), 0);
	uint32_t id = VOCAB_NONE;
	const char *long_term = "a term longer than sixteen bytes";
	assert_int_equal(vocab_append(&v, long_term, strlen(long_term), hash_term(long_term, strlen(long_term)), &id), 0);
	assert_int_equal(id, 1);
	assert_int_equal(vocab_append(&v, "beta", 4, hash_bytes("beta", 4, 0), &id), 0);
	assert_int_equal(id, 2);
	assert_string_equal(vocab_term(&v, 1), long_term);
	assert_int_equal(v.len[1], strlen(long_term));
	assert_int_equal(vocab_find(&v, "alpha", 5, hash_bytes("alpha", 5, 0)), VOCAB_NONE);
	assert_int_equal(intern(&v, "gamma"), 3);
	assert_int_equal(intern(&v, "beta"), 2);
	assert_int_equal(intern(&v, "alpha"), 0);
	assert_int_equal(vocab_find(&v, long_term, strlen(long_term), hash_term(long_term, strlen(long_term))), 1);
	vocab_free(&v);
}

/* Terms appended after vocab_reserve_terms (no table: vocab_find finds
 * none), then vocab_index: every term found by its id, short and long; a
 * copy has the same ids and strings and, indexed, finds them too. */
static void test_vocab__appended_terms_indexed_and_copied(void **state)
{
	(void)state;
	enum { N = 3000 };
	struct vocab v, copy;
	vocab_init(&v);
	vocab_init(&copy);
	char term[64];
	size_t bytes = 0;
	for (int i = 0; i < N; i++)
		bytes += (size_t)snprintf(term, sizeof term, i % 3 ? "t%d" : "a term past sixteen bytes %d", i) + 1;
	assert_int_equal(vocab_reserve_terms(&v, N, bytes), 0);
	assert_int_equal(v.n_slots, 0);
	const char *arena = v.arena;  /* the room reserved: nothing moves */
	const uint64_t *offset = v.offset;
	for (int i = 0; i < N; i++) {
		int len = snprintf(term, sizeof term, i % 3 ? "t%d" : "a term past sixteen bytes %d", i);
		uint32_t id;
		assert_int_equal(vocab_append(&v, term, (size_t)len, hash_term(term, (size_t)len), &id), 0);
		assert_int_equal(id, (uint32_t)i);
	}
	assert_ptr_equal(v.arena, arena);
	assert_ptr_equal(v.offset, offset);
	assert_int_equal(vocab_find(&v, "t1", 2, hash_term("t1", 2)), VOCAB_NONE);
	assert_int_equal(vocab_copy(&copy, &v), 0);
	assert_int_equal(vocab_index(&v), 0);
	assert_int_equal(vocab_index(&copy), 0);
	assert_int_equal(copy.n_terms, N);
	for (int i = 0; i < N; i++) {
		int len = snprintf(term, sizeof term, i % 3 ? "t%d" : "a term past sixteen bytes %d", i);
		uint64_t h = hash_term(term, (size_t)len);
		assert_int_equal(vocab_find(&v, term, (size_t)len, h), (uint32_t)i);
		assert_int_equal(vocab_find(&copy, term, (size_t)len, h), (uint32_t)i);
		assert_string_equal(vocab_term(&copy, (uint32_t)i), term);
	}
	assert_int_equal(vocab_find(&copy, "t3", 2, hash_term("t3", 2)), VOCAB_NONE);  /* 3 is a long one */
	vocab_free(&v);
	vocab_free(&copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vocab__ids_are_dense_in_first_seen_order),
		cmocka_unit_test(test_vocab__grows_past_many_rehashes),
		cmocka_unit_test(test_vocab__equal_hashes_do_not_merge_terms),
		cmocka_unit_test(test_vocab__long_terms),
		cmocka_unit_test(test_vocab__every_byte_counts_at_every_length),
		cmocka_unit_test(test_vocab__intern_key_compares_the_masked_key),
		cmocka_unit_test(test_vocab__hash_word_of_keys_and_long_words),
		cmocka_unit_test(test_vocab__append_then_intern_finds_every_term),
		cmocka_unit_test(test_vocab__appended_terms_indexed_and_copied),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
