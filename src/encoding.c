/* encoding.c - byte order marks, UTF-16 and Windows-1252 into UTF-8 (see
 * encoding.h). */
#include "encoding.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define REPLACEMENT 0xFFFD

const char *encoding_name(enum text_encoding encoding)
{
	switch (encoding) {
	case ENC_NONE: return "";
	case ENC_UTF8: return "utf-8";
	case ENC_UTF8_REPAIRED: return "utf-8-repaired";
	case ENC_UTF16LE: return "utf-16le";
	case ENC_UTF16BE: return "utf-16be";
	case ENC_CP1252: return "cp1252";
	}
	return "";
}

size_t encoding_sniff_bom(const void *p, size_t len, enum text_encoding *encoding)
{
	const unsigned char *b = p;
	if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
		*encoding = ENC_UTF8;
		return 3;
	}
	if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
		*encoding = ENC_UTF16LE;
		return 2;
	}
	if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
		*encoding = ENC_UTF16BE;
		return 2;
	}
	return 0;
}

/* The length of the longest valid UTF-8 prefix of p[0, len), NUL bytes
 * included or not.  ASCII goes 16 bytes at a time: a 64-bit word holds only
 * bytes 0x01-0x7F exactly when neither it nor (it - 0x01..01) has a high bit
 * set (subtracting borrows into the high bit of the lowest zero byte, and
 * from nowhere else while every byte below it is at least 1).  A block that
 * fails is walked one character at a time, with the checks of
 * utf8proc_iterate: a lead byte C2-F4, continuation bytes 80-BF, and the
 * second byte's narrower range after E0 (no overlong form), ED (no
 * surrogate), F0 (no overlong form) and F4 (nothing past U+10FFFF). */
static inline size_t utf8_prefix(const unsigned char *p, size_t len, bool nul_ok)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	size_t i = 0;
	for (;;) {
		while (len - i >= 16) {
			uint64_t a, b;
			memcpy(&a, p + i, 8);
			memcpy(&b, p + i + 8, 8);
			uint64_t bits = nul_ok ? a | b : a | (a - ones) | b | (b - ones);
			if (bits & highs)
				break;
			i += 16;
		}
		if (i == len)
			return len;
		/* this block (or the tail) one character at a time */
		size_t stop = len - i > 16 ? i + 16 : len;
		while (i < stop) {
			unsigned char lead = p[i];
			if (lead < 0x80) {
				if (lead == 0 && !nul_ok)
					return i;
				i++;
				continue;
			}
			size_t left = len - i;
			if (lead < 0xC2 || lead > 0xF4)
				return i;
			if (lead < 0xE0) {
				if (left < 2 || (p[i + 1] & 0xC0) != 0x80)
					return i;
				i += 2;
			} else if (lead < 0xF0) {
				if (left < 3 || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80 ||
				    (lead == 0xE0 && p[i + 1] < 0xA0) || (lead == 0xED && p[i + 1] > 0x9F))
					return i;
				i += 3;
			} else {
				if (left < 4 || (p[i + 1] & 0xC0) != 0x80 || (p[i + 2] & 0xC0) != 0x80 ||
				    (p[i + 3] & 0xC0) != 0x80 || (lead == 0xF0 && p[i + 1] < 0x90) ||
				    (lead == 0xF4 && p[i + 1] > 0x8F))
					return i;
				i += 4;
			}
		}
		if (i == len)
			return len;
	}
}

bool encoding_utf8_valid(const char *text, size_t len)
{
	return utf8_prefix((const unsigned char *)text, len, true) == len;
}

size_t encoding_utf8_clean_prefix(const char *p, size_t len)
{
	return utf8_prefix((const unsigned char *)p, len, false);
}

/* Writes what cannot be decoded: U+FFFD (counted) or the marker byte 0xFF. */
static size_t put_invalid(struct utf16_decoder *dec, char *out)
{
	if (dec->mark_invalid) {
		out[0] = (char)0xFF;
		return 1;
	}
	dec->n_repaired++;
	return (size_t)utf8proc_encode_char(REPLACEMENT, (utf8proc_uint8_t *)out);
}

/* Decodes one UTF-16 code unit. */
static size_t put_unit(struct utf16_decoder *dec, uint16_t unit, char *out)
{
	size_t at = 0;
	if (dec->high) {
		if (unit >= 0xDC00 && unit <= 0xDFFF) {
			int32_t cp = 0x10000 + (((int32_t)dec->high - 0xD800) << 10) + (unit - 0xDC00);
			dec->high = 0;
			return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)out);
		}
		dec->high = 0;
		at += put_invalid(dec, out);  /* a high surrogate without its low half */
	}
	if (unit >= 0xD800 && unit <= 0xDBFF) {
		dec->high = unit;
	} else if (unit >= 0xDC00 && unit <= 0xDFFF) {
		at += put_invalid(dec, out + at);  /* a low surrogate alone */
	} else if (unit == 0) {
		if (dec->mark_invalid)
			out[at++] = '\0';  /* utf8_repair replaces and counts it */
		else
			at += put_invalid(dec, out + at);
	} else {
		at += (size_t)utf8proc_encode_char(unit, (utf8proc_uint8_t *)out + at);
	}
	return at;
}

size_t utf16_decode(struct utf16_decoder *dec, const unsigned char *in, size_t len, bool at_end, char *out)
{
	size_t at = 0, i = 0;
	if (dec->have_byte && len > 0) {
		unsigned char pair[2] = { dec->byte, in[0] };
		dec->have_byte = false;
		i = 1;
		at += put_unit(dec, dec->big_endian ? (uint16_t)(pair[0] << 8 | pair[1])
						    : (uint16_t)(pair[1] << 8 | pair[0]), out + at);
	}
	if (dec->big_endian) {
		for (; i + 1 < len; i += 2) {
			uint16_t unit = (uint16_t)(in[i] << 8 | in[i + 1]);
			if (unit < 0x80 && !dec->high && unit != 0)
				out[at++] = (char)unit;  /* ASCII: no call per character */
			else
				at += put_unit(dec, unit, out + at);
		}
	} else {
		for (; i + 1 < len; i += 2) {
			uint16_t unit = (uint16_t)(in[i + 1] << 8 | in[i]);
			if (unit < 0x80 && !dec->high && unit != 0)
				out[at++] = (char)unit;
			else
				at += put_unit(dec, unit, out + at);
		}
	}
	if (i < len) {
		dec->have_byte = true;
		dec->byte = in[i];
	}
	if (at_end) {
		if (dec->high) {
			dec->high = 0;
			at += put_invalid(dec, out + at);
		}
		if (dec->have_byte) {
			dec->have_byte = false;
			at += put_invalid(dec, out + at);
		}
	}
	return at;
}

int encoding_utf16_to_utf8(const char *in, size_t len, bool big_endian, char **out, size_t *out_len,
			   size_t *n_repaired)
{
	char *buf = malloc(UTF16_DECODE_MAX(len) + 1);
	if (!buf)
		return TD_ENOMEM;
	struct utf16_decoder dec = { .big_endian = big_endian };
	size_t at = utf16_decode(&dec, (const unsigned char *)in, len, true, buf);
	buf[at] = '\0';
	*out = buf;
	*out_len = at;
	*n_repaired = dec.n_repaired;
	return 0;
}

/* Windows-1252's 0x80-0x9F; 0 for the five bytes it leaves undefined. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

int encoding_cp1252_to_utf8(const char *in, size_t len, char **out, size_t *out_len, size_t *n_repaired)
{
	/* at most 3 bytes per byte (U+20AC, U+FFFD) */
	if (len > (SIZE_MAX - 1) / 3)
		return TD_ENOMEM;
	char *buf = malloc(3 * len + 1);
	if (!buf)
		return TD_ENOMEM;
	const unsigned char *p = (const unsigned char *)in;
	size_t at = 0, bad = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];
		if (c != 0 && c < 0x80) {
			buf[at++] = (char)c;
			continue;
		}
		int32_t cp = c >= 0xA0 ? c : c >= 0x80 ? cp1252_high[c - 0x80] : 0;
		if (cp == 0) {
			bad++;
			cp = REPLACEMENT;
		}
		at += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)buf + at);
	}
	buf[at] = '\0';
	*out = buf;
	*out_len = at;
	*n_repaired = bad;
	return 0;
}
