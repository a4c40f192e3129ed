/* encoding.h - text encodings the readers accept: byte order marks, UTF-16
 * and Windows-1252 into UTF-8, and a UTF-16 stream decoder.
 *
 * Every decoder writes valid UTF-8 without NUL bytes: what cannot be decoded
 * (an unpaired UTF-16 surrogate, a lone trailing byte, one of the five bytes
 * Windows-1252 leaves undefined, U+0000) becomes U+FFFD and is counted, as
 * utf8_repair (reader.h) does for invalid UTF-8.
 */
#ifndef TD_ENCODING_H
#define TD_ENCODING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The encoding a document was decoded from (docs.csv's `encoding`). */
enum text_encoding {
	ENC_NONE = 0,        /* not decoded (a binary file): "" */
	ENC_UTF8,            /* valid UTF-8: "utf-8" */
	ENC_UTF8_REPAIRED,   /* UTF-8 with invalid sequences replaced: "utf-8-repaired" */
	ENC_UTF16LE,         /* "utf-16le" (byte order mark FF FE) */
	ENC_UTF16BE,         /* "utf-16be" (byte order mark FE FF) */
	ENC_CP1252           /* Windows-1252, the --fallback-encoding: "cp1252" */
};

/* The docs.csv name of an encoding ("utf-8", ...; "" for ENC_NONE), static. */
const char *encoding_name(enum text_encoding encoding);

/* Looks for a byte order mark at the start of the len bytes at p: EF BB BF
 * (ENC_UTF8), FF FE (ENC_UTF16LE) or FE FF (ENC_UTF16BE).  Returns the mark's
 * length (3 or 2) and sets *encoding, or returns 0 (no mark; *encoding is
 * left alone).  UTF-32 is not recognised: FF FE 00 00 reads as UTF-16LE. */
size_t encoding_sniff_bom(const void *p, size_t len, enum text_encoding *encoding);

/* Whether the len bytes at p are valid UTF-8 (NUL bytes are valid here). */
bool encoding_utf8_valid(const char *p, size_t len);

/* The length of the longest prefix of the len bytes at p that is valid UTF-8
 * without a NUL byte: whole characters as utf8proc_iterate accepts them (no
 * encoded surrogate, no overlong form, nothing past U+10FFFF).  It is len
 * exactly when utf8_repair (reader.h) would copy the bytes unchanged, so a
 * reader can keep them as they are.  ASCII is checked 16 bytes at a time. */
size_t encoding_utf8_clean_prefix(const char *p, size_t len);

/* Decodes len bytes of UTF-16 (no byte order mark; big_endian or little)
 * into a new NUL-terminated UTF-8 string.  Surrogate pairs become one code
 * point; an unpaired surrogate, a trailing odd byte and U+0000 become U+FFFD,
 * counted in *n_repaired.  Returns 0 or TD_ENOMEM; the caller frees *out. */
int encoding_utf16_to_utf8(const char *in, size_t len, bool big_endian, char **out, size_t *out_len,
			   size_t *n_repaired);

/* Decodes len bytes of Windows-1252 into a new NUL-terminated UTF-8 string:
 * 0x80-0x9F are the typographic characters of Windows (0x80 is the euro
 * sign, 0x93 and 0x94 curly quotes...), 0xA0-0xFF are Latin-1.  The five
 * undefined bytes 0x81 0x8D 0x8F 0x90 0x9D and NUL become U+FFFD, counted in
 * *n_repaired.  Returns 0 or TD_ENOMEM; the caller frees *out. */
int encoding_cp1252_to_utf8(const char *in, size_t len, char **out, size_t *out_len, size_t *n_repaired);

/* A UTF-16 decoder fed a stream in pieces of any length (odd lengths and a
 * surrogate pair split between pieces included).  With mark_invalid, what
 * cannot be decoded is written as the single invalid byte 0xFF (and U+0000 as
 * a NUL byte) and not counted, so that a later utf8_repair of each record
 * replaces and counts it where it lies; otherwise as U+FFFD, counted in
 * n_repaired.  Zero the struct, then set big_endian and mark_invalid. */
struct utf16_decoder {
	bool big_endian;
	bool mark_invalid;
	bool have_byte;        /* the first byte of a code unit is waiting */
	unsigned char byte;
	uint16_t high;         /* a high surrogate waiting for its low half (0: none) */
	size_t n_repaired;
};

/* The most bytes utf16_decode writes for len input bytes. */
#define UTF16_DECODE_MAX(len) ((len) / 2 * 3 + 12)

/* Decodes len bytes into out (room for UTF16_DECODE_MAX(len) bytes, not
 * NUL-terminated); with at_end, a waiting byte or high surrogate is flushed
 * as invalid.  Returns the number of bytes written. */
size_t utf16_decode(struct utf16_decoder *dec, const unsigned char *in, size_t len, bool at_end, char *out);

#endif
