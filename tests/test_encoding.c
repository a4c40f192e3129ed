/* test_encoding.c - byte order marks, UTF-16 and Windows-1252 decoding, and
 * HTML stripping, on byte sequences worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "encoding.h"
#include "html.h"

/* Decodes UTF-16 from an exact-size copy (so reads past len are caught). */
static char *utf16(const char *bytes, size_t len, bool big_endian, size_t *n_repaired)
{
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, bytes, len);
	char *out;
	size_t out_len;
	assert_int_equal(encoding_utf16_to_utf8(copy, len, big_endian, &out, &out_len, n_repaired), 0);
	free(copy);
	assert_int_equal(strlen(out), out_len);
	return out;
}

static void test_encoding__bom(void **state)
{
	(void)state;
	enum text_encoding enc = ENC_NONE;
	assert_int_equal(encoding_sniff_bom("\xEF\xBB\xBFx", 4, &enc), 3);
	assert_int_equal(enc, ENC_UTF8);
	assert_int_equal(encoding_sniff_bom("\xFF\xFEx\0", 4, &enc), 2);
	assert_int_equal(enc, ENC_UTF16LE);
	assert_int_equal(encoding_sniff_bom("\xFE\xFF\0x", 4, &enc), 2);
	assert_int_equal(enc, ENC_UTF16BE);
	enc = ENC_NONE;
	assert_int_equal(encoding_sniff_bom("\xEF\xBB", 2, &enc), 0);  /* cut short */
	assert_int_equal(encoding_sniff_bom("abc", 3, &enc), 0);
	assert_int_equal(enc, ENC_NONE);
	assert_string_equal(encoding_name(ENC_UTF16BE), "utf-16be");
	assert_string_equal(encoding_name(ENC_UTF8_REPAIRED), "utf-8-repaired");
	assert_string_equal(encoding_name(ENC_NONE), "");
}

static void test_encoding__utf16_le_and_be(void **state)
{
	(void)state;
	size_t bad;
	/* "Aé€" then U+1F600 as the pair D83D DE00 */
	char *s = utf16("A\0\xE9\0\xAC\x20\x3D\xD8\x00\xDE", 10, false, &bad);
	assert_string_equal(s, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
	assert_int_equal(bad, 0);
	free(s);
	s = utf16("\0A\0\xE9\x20\xAC\xD8\x3D\xDE\x00", 10, true, &bad);
	assert_string_equal(s, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
	assert_int_equal(bad, 0);
	free(s);
}

static void test_encoding__utf16_unpaired_surrogates(void **state)
{
	(void)state;
	size_t bad;
	/* a high surrogate before 'B', a low one alone, a high one at the end */
	char *s = utf16("\x00\xD8" "B\0" "\x00\xDC" "C\0" "\x01\xD8", 10, false, &bad);
	assert_string_equal(s, "\xEF\xBF\xBD" "B" "\xEF\xBF\xBD" "C" "\xEF\xBF\xBD");
	assert_int_equal(bad, 3);
	free(s);
	/* U+0000 and an odd last byte */
	s = utf16("A\0\0\0Z", 5, false, &bad);
	assert_string_equal(s, "A\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_int_equal(bad, 2);
	free(s);
}

static void test_encoding__utf16_stream_split_anywhere(void **state)
{
	(void)state;
	/* "é" U+1F600 "x" little-endian, fed one byte at a time */
	const unsigned char in[] = { 0xE9, 0x00, 0x3D, 0xD8, 0x00, 0xDE, 'x', 0x00, 0x00, 0xD8 };
	char out[64];
	size_t at = 0;
	struct utf16_decoder dec = { .big_endian = false, .mark_invalid = true };
	for (size_t i = 0; i < sizeof in; i++)
		at += utf16_decode(&dec, in + i, 1, false, out + at);
	at += utf16_decode(&dec, NULL, 0, true, out + at);
	/* the unpaired high surrogate at the end is the marker byte 0xFF */
	assert_int_equal(at, 2 + 4 + 1 + 1);
	assert_memory_equal(out, "\xC3\xA9\xF0\x9F\x98\x80x\xFF", at);
	assert_int_equal(dec.n_repaired, 0);
}

static void test_encoding__cp1252(void **state)
{
	(void)state;
	char *out;
	size_t len, bad;
	/* 0x93 0x94 curly quotes, 0x80 euro, 0xE9 é, 0x81 undefined, NUL */
	const char in[] = "\x93hi\x94 \x80\xE9\x81\0!";
	assert_int_equal(encoding_cp1252_to_utf8(in, sizeof in - 1, &out, &len, &bad), 0);
	assert_string_equal(out, "\xE2\x80\x9Chi\xE2\x80\x9D \xE2\x82\xAC\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD!");
	assert_int_equal(len, strlen(out));
	assert_int_equal(bad, 2);
	free(out);
	for (int c = 0x81; c <= 0x9D; c++) {  /* exactly the five undefined bytes */
		char byte = (char)c;
		assert_int_equal(encoding_cp1252_to_utf8(&byte, 1, &out, &len, &bad), 0);
		assert_int_equal(bad, c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D);
		free(out);
	}
}

static void test_encoding__utf8_valid(void **state)
{
	(void)state;
	assert_true(encoding_utf8_valid("caf\xC3\xA9 \xF0\x9F\x98\x80", 10));
	assert_true(encoding_utf8_valid("a\0b", 3));
	assert_false(encoding_utf8_valid("caf\xE9", 4));
	assert_false(encoding_utf8_valid("\xED\xA0\x80", 3));  /* an encoded surrogate */
	assert_false(encoding_utf8_valid("\xC3", 1));           /* cut short */
}

/* The valid prefix as utf8proc_iterate finds it, one character at a time:
 * what encoding_utf8_clean_prefix (nul_ok false) and encoding_utf8_valid
 * (nul_ok true, the whole input) must agree with. */
static size_t reference_prefix(const unsigned char *p, size_t len, bool nul_ok)
{
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0 || (cp == 0 && !nul_ok))
			break;
		i += (size_t)n;
	}
	return i;
}

/* Checks both validators on the len bytes at bytes, which the caller holds
 * in a buffer of exactly len bytes (a read past len is caught by the
 * sanitizer build). */
static void check_exact(const unsigned char *bytes, size_t len)
{
	size_t expect = reference_prefix(bytes, len, false);
	size_t got = encoding_utf8_clean_prefix((const char *)bytes, len);
	if (got != expect) {
		fprintf(stderr, "clean prefix of %zu bytes:", len);
		for (size_t i = 0; i < len; i++)
			fprintf(stderr, " %02X", bytes[i]);
		fprintf(stderr, ": %zu, expected %zu\n", got, expect);
	}
	assert_int_equal(got, expect);
	assert_int_equal(encoding_utf8_valid((const char *)bytes, len), reference_prefix(bytes, len, true) == len);
}

/* check_exact on an exact-size copy of the len bytes at bytes. */
static void check_prefix(const unsigned char *bytes, size_t len)
{
	unsigned char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	if (len)
		memcpy(copy, bytes, len);
	check_exact(copy, len);
	free(copy);
}

/* Every string of one, two and three bytes (three: after a lead byte that is
 * not ASCII, and three ASCII ones), and four-byte strings over the bytes
 * where ranges begin and end. */
static void test_encoding__utf8_prefix_all_short_strings(void **state)
{
	(void)state;
	unsigned char *b[5];  /* b[n]: exactly n bytes */
	for (size_t n = 1; n <= 4; n++)
		assert_non_null(b[n] = malloc(n));
	for (unsigned i = 0; i < 256; i++) {
		b[1][0] = b[2][0] = b[3][0] = (unsigned char)i;
		check_exact(b[1], 1);
		for (unsigned j = 0; j < 256; j++) {
			b[2][1] = b[3][1] = (unsigned char)j;
			check_exact(b[2], 2);
			if (i < 0x80 && i != 0 && i != 'A' && i != 0x7F)
				continue;
			for (unsigned k = 0; k < 256; k++) {
				b[3][2] = (unsigned char)k;
				check_exact(b[3], 3);
			}
		}
	}
	static const unsigned char edges[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
					       0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF };
	size_t n = sizeof edges;
	for (unsigned i = 0; i < 256; i++)
		for (size_t j = 0; j < n; j++)
			for (size_t k = 0; k < n; k++)
				for (size_t l = 0; l < n; l++) {
					b[4][0] = (unsigned char)i;
					b[4][1] = edges[j];
					b[4][2] = edges[k];
					b[4][3] = edges[l];
					check_exact(b[4], 4);
				}
	for (size_t k = 1; k <= 4; k++)
		free(b[k]);
}

/* Byte sequences that end the 16-byte ASCII path: valid characters at the
 * edges of their ranges, invalid and cut-short sequences, NUL. */
struct piece {
	const char *bytes;
	size_t len;
};
#define PIECE(s) { s, sizeof s - 1 }
static const struct piece pieces[] = {
	PIECE("\xC2\x80"), PIECE("\xC3\xA9"), PIECE("\xDF\xBF"), PIECE("\xE0\xA0\x80"), PIECE("\xE2\x82\xAC"),
	PIECE("\xED\x9F\xBF"), PIECE("\xEE\x80\x80"), PIECE("\xEF\xBF\xBD"), PIECE("\xEF\xBF\xBF"),
	PIECE("\xF0\x90\x80\x80"), PIECE("\xF0\x9F\x98\x80"), PIECE("\xF4\x8F\xBF\xBF"),
	PIECE("\xC0\xAF"), PIECE("\xC1\xBF"), PIECE("\xE0\x9F\xBF"), PIECE("\xED\xA0\x80"), PIECE("\xED\xBF\xBF"),
	PIECE("\xF0\x8F\xBF\xBF"), PIECE("\xF4\x90\x80\x80"), PIECE("\xF5\x80\x80\x80"), PIECE("\xF8\x88\x80\x80\x80"),
	PIECE("\xFF"), PIECE("\xFE"), PIECE("\x80"), PIECE("\xBF"), PIECE("\xC3"), PIECE("\xE2\x82"),
	PIECE("\xF0\x9F\x98"), PIECE("\xC3(") , PIECE("\xE2(\xAC"), PIECE("\0"), PIECE("a\0b"), PIECE("\x7F"),
};

/* A fixed-seed generator (xorshift64*): a failure repeats. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545F4914F6CDD1Du) >> 32);
}

/* Each piece after 0 to 40 ASCII bytes and before 0 to 20: it falls at every
 * place of an 8- and a 16-byte block, and so does the end of the input. */
static void test_encoding__utf8_prefix_at_every_block_offset(void **state)
{
	(void)state;
	unsigned char buf[128];
	for (size_t k = 0; k < sizeof pieces / sizeof pieces[0]; k++)
		for (size_t before = 0; before <= 40; before++)
			for (size_t after = 0; after <= 20; after++) {
				memset(buf, 'a', before);
				memcpy(buf + before, pieces[k].bytes, pieces[k].len);
				memset(buf + before + pieces[k].len, 'b', after);
				size_t len = before + pieces[k].len + after;
				check_prefix(buf, len);
				/* and the same with a second piece further on */
				size_t k2 = (k * 7 + after) % (sizeof pieces / sizeof pieces[0]);
				memcpy(buf + len, pieces[k2].bytes, pieces[k2].len);
				check_prefix(buf, len + pieces[k2].len);
			}
}

/* Random strings: ASCII runs, the pieces above, valid characters and random
 * bytes, in random order. */
static void test_encoding__utf8_prefix_random_strings(void **state)
{
	(void)state;
	unsigned char buf[600];
	for (int round = 0; round < 20000; round++) {
		size_t len = 0, want = rng() % 500;
		unsigned mix = rng() % 4;  /* how often a piece is not ASCII */
		while (len < want) {
			unsigned pick = rng() % 8;
			if (pick >= mix + 2) {
				size_t run = 1 + rng() % 40;
				for (size_t i = 0; i < run; i++)
					buf[len++] = (unsigned char)(1 + rng() % 127);
			} else if (pick == 0) {
				buf[len++] = (unsigned char)rng();
			} else if (pick == 1) {
				uint8_t enc[4];
				utf8proc_int32_t cp = (utf8proc_int32_t)(1 + rng() % 0x10FFFF);
				if (cp >= 0xD800 && cp <= 0xDFFF)
					cp = 0xFFFD;
				utf8proc_ssize_t n = utf8proc_encode_char(cp, enc);
				memcpy(buf + len, enc, (size_t)n);
				len += (size_t)n;
			} else {
				const struct piece *p = &pieces[rng() % (sizeof pieces / sizeof pieces[0])];
				memcpy(buf + len, p->bytes, p->len);
				len += p->len;
			}
		}
		check_prefix(buf, len);
		/* and every suffix start within the first 17 bytes */
		for (size_t from = 1; from < 17 && from < len; from++)
			check_prefix(buf + from, len - from);
	}
}

/* Strips HTML from an exact-size copy; returns the text and the tag count. */
static char *strip(const char *html, size_t *n_tags)
{
	size_t len = strlen(html), out_len;
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, html, len);
	char *out;
	assert_int_equal(html_strip(copy, len, &out, &out_len, n_tags), 0);
	free(copy);
	assert_int_equal(strlen(out), out_len);
	assert_true(out_len <= len);
	return out;
}

static void test_html__tags_comments_scripts(void **state)
{
	(void)state;
	size_t tags;
	char *s = strip("<p>One <b>bold</b>ly</p><div class=\"x > y\">Two<br/>three</div>"
			"<!-- gone --><script>var a = \"<p>\";</script><STYLE>p{}</STYLE>end", &tags);
	assert_string_equal(s, "One boldly\nTwo\nthree\nend");
	assert_int_equal(tags, 12);
	free(s);
	/* not tags: a comparison, a lone '<', a tag never closed */
	s = strip("a < b and 3<4, <a@b> x<y <p unclosed", &tags);
	assert_string_equal(s, "a < b and 3<4, <a@b> x<y <p unclosed");
	assert_int_equal(tags, 0);
	free(s);
	/* an unclosed comment or script runs to the end */
	s = strip("kept<!-- never closed", &tags);
	assert_string_equal(s, "kept");
	free(s);
	s = strip("kept<script>x = 1;", &tags);
	assert_string_equal(s, "kept");
	free(s);
	s = strip("<!DOCTYPE html><?xml version=\"1.0\"?>text", &tags);
	assert_string_equal(s, "text");
	assert_int_equal(tags, 2);
	free(s);
}

static void test_html__entities(void **state)
{
	(void)state;
	size_t tags;
	char *s = strip("&amp; &lt;p&gt; &quot;q&quot; &#39;s &nbsp;|&eacute;&Eacute;&yuml;&szlig;", &tags);
	assert_string_equal(s, "& <p> \"q\" 's \xC2\xA0|\xC3\xA9\xC3\x89\xC3\xBF\xC3\x9F");
	assert_int_equal(tags, 0);  /* &lt;p&gt; is text, not a tag */
	free(s);
	s = strip("&#8217;&#x263A;&#X263a;&#150;&#0;&#xD800;&#1114112;&ndash;&hellip;&euro;", &tags);
	assert_string_equal(s, "\xE2\x80\x99\xE2\x98\xBA\xE2\x98\xBA\xE2\x80\x93\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
			       "\xE2\x80\x93\xE2\x80\xA6\xE2\x82\xAC");
	free(s);
	/* unknown, unterminated or empty: left as they are */
	s = strip("&bogus; &amp &#; &#x; AT&T &", &tags);
	assert_string_equal(s, "&bogus; &amp &#; &#x; AT&T &");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoding__bom),
		cmocka_unit_test(test_encoding__utf16_le_and_be),
		cmocka_unit_test(test_encoding__utf16_unpaired_surrogates),
		cmocka_unit_test(test_encoding__utf16_stream_split_anywhere),
		cmocka_unit_test(test_encoding__cp1252),
		cmocka_unit_test(test_encoding__utf8_valid),
		cmocka_unit_test(test_encoding__utf8_prefix_all_short_strings),
		cmocka_unit_test(test_encoding__utf8_prefix_at_every_block_offset),
		cmocka_unit_test(test_encoding__utf8_prefix_random_strings),
		cmocka_unit_test(test_html__tags_comments_scripts),
		cmocka_unit_test(test_html__entities),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
