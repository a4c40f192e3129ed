/* checksum.h - the checksum of each input file, for manifest.json.
 *
 * XXH128 (xxHash's XXH3 128-bit, the default) or SHA-256 (nettle).  The
 * checksum says whether an input is still the one a run read; XXH128 does
 * that at a few percent of SHA-256's cost (SHA-256, at the speed of the
 * CPU's SHA instructions, was a tenth of a tfidf run on one thread), and
 * `xxhsum -H2 FILE` (Debian's xxhash package) prints the same hex.  SHA-256
 * is there for a record that must hold against a deliberate change of the
 * input, or be compared with a published sha256sum.
 */
#ifndef TD_CHECKSUM_H
#define TD_CHECKSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

enum checksum_kind {
	CHECKSUM_XXH128,  /* the default (0) */
	CHECKSUM_SHA256
};

/* The longest checksum in lowercase hex (SHA-256's), without the NUL. */
#define CHECKSUM_HEX_MAX 64

/* A checksum being taken.  checksum_init allocates; checksum_free frees. */
struct checksum {
	enum checksum_kind kind;
	struct sha256_ctx sha;
	void *xxh;  /* XXH3_state_t, 64-byte aligned by xxHash */
};

/* Parses "xxh128" or "sha256"; returns 0 or TD_EINVAL. */
int checksum_parse(const char *name, enum checksum_kind *kind);

/* The kind's name, as manifest.json keys it: "xxh128" or "sha256". */
const char *checksum_name(enum checksum_kind kind);

/* Returns 0 or TD_ENOMEM. */
int checksum_init(struct checksum *c, enum checksum_kind kind);
void checksum_free(struct checksum *c);

/* Starts a new checksum (after init, or after a finish). */
void checksum_reset(struct checksum *c);
void checksum_update(struct checksum *c, const void *bytes, size_t n);

/* The checksum of the bytes since the reset, in lowercase hex with a NUL:
 * 32 digits (XXH128, as xxhsum -H2 prints it) or 64 (SHA-256). */
void checksum_finish(struct checksum *c, char hex[CHECKSUM_HEX_MAX + 1]);

/* The checksum and size of the file at path.  Returns 0 or TD_EIO (errno
 * set), or TD_ENOMEM. */
int checksum_file(const char *path, enum checksum_kind kind, char hex[CHECKSUM_HEX_MAX + 1], uint64_t *size);

#endif
