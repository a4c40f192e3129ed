/* checksum.c - see checksum.h. */
#include "checksum.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "error.h"

int checksum_parse(const char *name, enum checksum_kind *kind)
{
	if (strcmp(name, "xxh128") == 0)
		*kind = CHECKSUM_XXH128;
	else if (strcmp(name, "sha256") == 0)
		*kind = CHECKSUM_SHA256;
	else
		return TD_EINVAL;
	return 0;
}

const char *checksum_name(enum checksum_kind kind)
{
	return kind == CHECKSUM_SHA256 ? "sha256" : "xxh128";
}

int checksum_init(struct checksum *c, enum checksum_kind kind)
{
	*c = (struct checksum){ .kind = kind };
	if (kind == CHECKSUM_XXH128 && !(c->xxh = XXH3_createState()))
		return TD_ENOMEM;
	checksum_reset(c);
	return 0;
}

void checksum_free(struct checksum *c)
{
	XXH3_freeState(c->xxh);
	c->xxh = NULL;
}

void checksum_reset(struct checksum *c)
{
	if (c->kind == CHECKSUM_SHA256)
		sha256_init(&c->sha);
	else
		XXH3_128bits_reset(c->xxh);
}

void checksum_update(struct checksum *c, const void *bytes, size_t n)
{
	if (c->kind == CHECKSUM_SHA256)
		sha256_update(&c->sha, n, bytes);
	else
		XXH3_128bits_update(c->xxh, bytes, n);
}

static void to_hex(const unsigned char *digest, size_t n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 0xF];
	}
	hex[2 * n] = '\0';
}

void checksum_finish(struct checksum *c, char hex[CHECKSUM_HEX_MAX + 1])
{
	if (c->kind == CHECKSUM_SHA256) {
		unsigned char digest[SHA256_DIGEST_SIZE];
		sha256_digest(&c->sha, sizeof digest, digest);  /* and starts anew */
		to_hex(digest, sizeof digest, hex);
	} else {
		XXH128_canonical_t canon;  /* big-endian: high half first */
		XXH128_canonicalFromHash(&canon, XXH3_128bits_digest(c->xxh));
		to_hex(canon.digest, sizeof canon.digest, hex);
		XXH3_128bits_reset(c->xxh);
	}
}

int checksum_file(const char *path, enum checksum_kind kind, char hex[CHECKSUM_HEX_MAX + 1], uint64_t *size)
{
	struct checksum c;
	if (checksum_init(&c, kind))
		return TD_ENOMEM;
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		int saved = errno;
		checksum_free(&c);
		errno = saved;
		return TD_EIO;
	}
	unsigned char buf[1 << 16];
	size_t n;
	*size = 0;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
		checksum_update(&c, buf, n);
		*size += n;
	}
	int failed = ferror(fp), saved = errno;
	fclose(fp);
	if (!failed)
		checksum_finish(&c, hex);
	checksum_free(&c);
	errno = saved;
	return failed ? TD_EIO : 0;
}
