/* test_checksum.c - the inputs' checksums: XXH128 and SHA-256 against the
 * values of the command-line tools (xxhsum -H2 of xxHash 0.8.1, and
 * sha256sum; SHA-256 of "abc" is FIPS 180-2's own example), whole files and
 * the same bytes fed in pieces. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checksum.h"
#include "error.h"

#define BIG_LEN 200000  /* 'x' repeated: more than one 64 KiB read */

static const struct {
	const char *name;    /* what the file holds */
	enum checksum_kind kind;
	const char *hex;
} vectors[] = {
	{ "abc", CHECKSUM_XXH128, "06b05ab6733a618578af5f94892f3950" },
	{ "abc", CHECKSUM_SHA256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "", CHECKSUM_XXH128, "99aa06d3014798d86001c324468d497f" },
	{ "", CHECKSUM_SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "big", CHECKSUM_XXH128, "cef4e9bfab1383027d16afd1aef7e39c" },
	{ "big", CHECKSUM_SHA256, "91e3faafd322bcdf160f3f0ce886acb092b9b9e2a1e8526b40f21a8898a8700b" },
};

/* The bytes of a vector: "abc", nothing, or BIG_LEN x's. */
static char *vector_bytes(const char *name, size_t *len)
{
	*len = strcmp(name, "big") == 0 ? BIG_LEN : strlen(name);
	char *bytes = malloc(*len + 1);
	assert_non_null(bytes);
	if (strcmp(name, "big") == 0)
		memset(bytes, 'x', *len);
	else
		memcpy(bytes, name, *len);
	return bytes;
}

static void test_checksum__names(void **state)
{
	(void)state;
	enum checksum_kind kind = CHECKSUM_SHA256;
	assert_int_equal(checksum_parse("xxh128", &kind), 0);
	assert_int_equal(kind, CHECKSUM_XXH128);
	assert_string_equal(checksum_name(kind), "xxh128");
	assert_int_equal(checksum_parse("sha256", &kind), 0);
	assert_int_equal(kind, CHECKSUM_SHA256);
	assert_string_equal(checksum_name(kind), "sha256");
	const char *bad[] = { "md5", "", "SHA256", "xxh64", "sha256 " };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		kind = CHECKSUM_SHA256;
		assert_int_equal(checksum_parse(bad[i], &kind), TD_EINVAL);
		assert_int_equal(kind, CHECKSUM_SHA256);  /* left as it was */
	}
}

/* Each vector as a file, checksummed by checksum_file, with its size. */
static void test_checksum__files(void **state)
{
	(void)state;
	char path[] = "/tmp/td-checksum-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		size_t len;
		char *bytes = vector_bytes(vectors[i].name, &len);
		FILE *fp = fopen(path, "wb");
		assert_non_null(fp);
		assert_int_equal(fwrite(bytes, 1, len, fp), len);
		assert_int_equal(fclose(fp), 0);
		char hex[CHECKSUM_HEX_MAX + 1];
		uint64_t size = 12345;
		assert_int_equal(checksum_file(path, vectors[i].kind, hex, &size), 0);
		assert_string_equal(hex, vectors[i].hex);
		assert_int_equal(size, len);
		free(bytes);
	}
	unlink(path);
	char hex[CHECKSUM_HEX_MAX + 1];
	uint64_t size;
	errno = 0;
	assert_int_equal(checksum_file(path, CHECKSUM_XXH128, hex, &size), TD_EIO);
	assert_int_equal(errno, ENOENT);
}

/* The same bytes fed in pieces of 1, 13, 25 ... 97 bytes, then in
 * pieces of 64 KiB + 1, give the vector's checksum; a checksum finished
 * starts again (the next one is of the next bytes alone). */
static void test_checksum__pieces(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		size_t len;
		char *bytes = vector_bytes(vectors[i].name, &len);
		struct checksum c;
		assert_int_equal(checksum_init(&c, vectors[i].kind), 0);
		for (size_t piece = 1; piece <= 97; piece += 12) {
			for (size_t at = 0; at < len; at += piece)
				checksum_update(&c, bytes + at, len - at < piece ? len - at : piece);
			char hex[CHECKSUM_HEX_MAX + 1];
			checksum_finish(&c, hex);
			assert_string_equal(hex, vectors[i].hex);
		}
		size_t piece = 65537;
		checksum_update(&c, "stale", 5);
		checksum_reset(&c);  /* forgets what came before */
		for (size_t at = 0; at < len; at += piece)
			checksum_update(&c, bytes + at, len - at < piece ? len - at : piece);
		char hex[CHECKSUM_HEX_MAX + 1];
		checksum_finish(&c, hex);
		assert_string_equal(hex, vectors[i].hex);
		checksum_free(&c);
		free(bytes);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum__names),
		cmocka_unit_test(test_checksum__files),
		cmocka_unit_test(test_checksum__pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
