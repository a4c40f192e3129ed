/* tokenize.c - words, numbers, URLs and sentences from UTF-8 text (see tokenize.h).
 *
 * A document goes through two steps.
 *
 * 1. Normalise.  A document that is pure ASCII (found eight bytes at a time)
 *    is scanned where it lies.  Otherwise a normalised copy is built in a
 *    buffer the tokenizer keeps from document to document: ASCII stretches are
 *    copied unchanged (they are lower-cased by table when a token is written),
 *    and each non-ASCII cluster is replaced by its NFKC case fold (default
 *    mode) or by Python's lower() of each character (sklearn mode).  A cluster
 *    is a character and the combining characters after it, so that "e" U+0301
 *    composes to "é" although the "e" is ASCII.  A list of segments maps each
 *    position of the copy back to a byte offset of the input.
 * 2. Scan the normalised text once, left to right.  ASCII bytes are classified
 *    by a 256-entry table held in the tokenizer; other characters by
 *    utf8proc_category().  Token strings go straight into token_list.buf,
 *    whose size is reserved once per document (a token's string is never
 *    longer than the text it comes from), so the hot loop allocates nothing.
 */
#include "tokenize.h"

#include "array.h"
#include "hash.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <utf8proc.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "embedded.h"
#include "hash.h"

/* The normal form of the default mode: NFKC with case folding.  STABLE keeps
 * the result unchanged across Unicode versions for assigned characters. */
#define NORM_OPTIONS (UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STABLE)

/* What a character is to the scanner.  U_LETTER and U_DIGIT come first so that
 * "is a word character" is one unsigned comparison in the hot loop. */
enum unit_class {
	U_OTHER = 0,   /* a separator */
	U_LETTER,      /* starts or continues a word (sklearn mode: any \w) */
	U_DIGIT,       /* a decimal digit (Nd) */
	U_MARK,        /* a combining mark: continues a word, never starts one */
	U_SPACE,       /* white space: may follow a sentence end */
	U_NEWLINE,     /* LF, CR, U+2028, U+2029: ends a sentence */
	U_APOS,        /* ' U+2019 U+02BC: joins inside a word, else a closing quote */
	U_HYPHEN,      /* - U+2010 U+2011: joins inside a word */
	U_UNDERSCORE,  /* joins inside a word */
	U_DOT,         /* joins inside a number, else ends a sentence */
	U_COMMA,       /* joins inside a number */
	U_TERM,        /* ! ? and other sentence terminals */
	U_CLOSE,       /* closing quotes and brackets, which may sit between a
	                  sentence end and the space after it */
	U_AT,          /* e-mail addresses and @handles */
	U_HASH,        /* #hashtags */
	U_HIGH,        /* a byte >= 0x80: decode and classify the character */
	U_END          /* past the end of the text */
};

static inline bool is_word_class(unsigned cls)
{
	return cls - U_LETTER < 2u;  /* U_LETTER or U_DIGIT */
}

/* Where a stretch of the normalised text comes from. */
struct seg {
	size_t norm_start;  /* its first byte in the normalised text */
	size_t in_start;    /* the input byte it comes from */
	bool linear;        /* byte k of the segment is input byte in_start + k;
	                       else the whole segment is the cluster at in_start */
};

struct tokenizer {
	enum tok_mode mode;
	bool possessive_strip;
	bool split_hyphens;
	const struct stopwords *stop;
	struct sb_stemmer *stemmer;
	uint8_t cls[256];     /* enum unit_class of each byte, U_HIGH from 0x80 */
	uint8_t lower[256];   /* ASCII lower-casing, other bytes unchanged */
	uint8_t *norm;        /* the normalised copy of a non-ASCII document */
	size_t norm_len, norm_cap;
	struct seg *segs;     /* maps norm back to the input */
	size_t n_segs, segs_cap;
	utf8proc_int32_t *cps;  /* code points of one cluster being normalised */
	size_t cps_cap;
};

/* ---------------------------------------------------------------- memory */

void token_list_free(struct token_list *list)
{
	if (!list)
		return;
	free(list->items);
	free(list->buf);
	memset(list, 0, sizeof *list);
}

/* ------------------------------------------------------------- UTF-8 */

/* Decodes the character at s[i] (i < n, s[i] >= 0x80) of text that is valid
 * UTF-8 (the normalised copy, or checked input).  A truncated sequence reads
 * as U+FFFD of one byte, so that a bad byte cannot make the scan overrun. */
static inline uint32_t decode_at(const uint8_t *s, size_t n, size_t i, size_t *len)
{
	uint8_t b = s[i];
	size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
	if (need == 1 || i + need > n) {
		*len = 1;
		return 0xFFFD;
	}
	uint32_t cp = need == 2 ? b & 0x1Fu : need == 3 ? b & 0x0Fu : b & 0x07u;
	for (size_t k = 1; k < need; k++)
		cp = cp << 6 | (s[i + k] & 0x3Fu);
	*len = need;
	return cp;
}

/* Returns the offset of the character that ends just before position i > 0. */
static size_t prev_char_start(const uint8_t *s, size_t i)
{
	size_t j = i - 1;
	while (j > 0 && (s[j] & 0xC0) == 0x80 && i - j < 4)
		j--;
	return j;
}

/* Returns the length of the longest ASCII prefix of s: 64 bytes at a time
 * (SSE2), then eight, then one. */
static size_t ascii_prefix(const uint8_t *s, size_t n)
{
	size_t i = 0;
#if defined(__SSE2__)
	for (; n - i >= 64; i += 64) {
		__m128i a = _mm_or_si128(_mm_loadu_si128((const __m128i *)(s + i)),
					 _mm_loadu_si128((const __m128i *)(s + i + 16)));
		__m128i b = _mm_or_si128(_mm_loadu_si128((const __m128i *)(s + i + 32)),
					 _mm_loadu_si128((const __m128i *)(s + i + 48)));
		if (_mm_movemask_epi8(_mm_or_si128(a, b)))
			break;
	}
#endif
	for (; i + 8 <= n; i += 8) {
		uint64_t word;
		memcpy(&word, s + i, 8);
		if (word & UINT64_C(0x8080808080808080))
			break;
	}
	while (i < n && s[i] < 0x80)
		i++;
	return i;
}

/* ------------------------------------------------ character classification */

/* Closing quotation marks and brackets beyond ASCII. */
static bool is_closing_mark(uint32_t cp)
{
	switch (cp) {
	case 0x2018: case 0x201C: case 0x201D: case 0x00AB: case 0x00BB:
	case 0x2039: case 0x203A: case 0x300D: case 0x300F: case 0xFF09:
		return true;
	default:
		return false;
	}
}

/* Sentence terminals beyond ASCII (U+2026 … is here for sklearn mode; NFKC
 * turns it into "..." in the default mode). */
static bool is_terminal(uint32_t cp)
{
	switch (cp) {
	case 0x2026: case 0x203C: case 0x2047: case 0x2048: case 0x2049:
	case 0x3002: case 0xFF01: case 0xFF0E: case 0xFF1F: case 0xFF61:
	case 0x061F: case 0x06D4: case 0x0964: case 0x0965:
		return true;
	default:
		return false;
	}
}

/* Variation selectors are marks (Mn) but belong to emoji and symbols, not to
 * words: "❤️" must not leave a one-character token behind. */
static bool is_variation_selector(uint32_t cp)
{
	return (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ||
	       (cp >= 0x180B && cp <= 0x180D) || cp == 0x180F;
}

/* The class of a non-ASCII character of the normalised text, default mode. */
static unsigned classify_default(uint32_t cp)
{
	switch (cp) {
	case 0x2019: case 0x02BC: return U_APOS;  /* ʼ is a letter (Lm) but used as apostrophe */
	case 0x2010: case 0x2011: return U_HYPHEN;
	case 0x2028: case 0x2029: case 0x0085: return U_NEWLINE;
	default: break;
	}
	if (is_closing_mark(cp))
		return U_CLOSE;
	if (is_terminal(cp))
		return U_TERM;
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return U_LETTER;
	case UTF8PROC_CATEGORY_ND:
		return U_DIGIT;
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		return is_variation_selector(cp) ? U_OTHER : U_MARK;
	case UTF8PROC_CATEGORY_ZS:
		return U_SPACE;
	case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
		return U_NEWLINE;
	default:
		return U_OTHER;
	}
}

/* Python's re \w for str patterns: '_' or str.isalnum(), that is a letter
 * (Lu Ll Lt Lm Lo) or a character with a numeric value (Nd Nl No; the CJK
 * ideographs with numeric values are Lo already).
 *
 * This, py_lower(), py_case_ignorable() and py_cased() were compared with
 * Python 3.11 for every code point 0..0x10FFFF (surrogates aside): \w,
 * chr(c).lower() and the final-sigma outcome of c before and after Σ.  They
 * differ on 4430 code points, all of them unassigned in Python 3.11's
 * Unicode 14.0 and new in utf8proc 2.8's Unicode 15.0 (the version of
 * Python 3.12, which they should then match):
 *   \w here, not in 3.11: U+1123F-11240 11F02 11F04-11F10 11F12-11F33
 *     11F50-11F59 1342F 13441-13446 1B132 1B155 1D2C0-1D2D3 1DF25-1DF2A
 *     1E030-1E06D 1E4D0-1E4EB 1E4F0-1E4F9 2B739 31350-323AF (CJK Ext. H);
 *   case-ignorable or cased here, neither in 3.11: U+0ECE 10EFD-10EFF 11241
 *     11F00-11F01 11F36-11F3A 11F40 11F42 13439-13440 13447-13455
 *     1DF25-1DF2A 1E030-1E06D 1E08F 1E4EB-1E4EF;
 *   lower(): no difference. */
static bool py_is_word(uint32_t cp)
{
	if (cp == '_')
		return true;
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

/* The class of a non-ASCII character of the lowered text, sklearn mode. */
static unsigned classify_sklearn(uint32_t cp)
{
	if (py_is_word(cp))
		return U_LETTER;
	if (cp == 0x2028 || cp == 0x2029 || cp == 0x0085)
		return U_NEWLINE;
	if (is_closing_mark(cp) || cp == 0x2019)
		return U_CLOSE;
	if (is_terminal(cp))
		return U_TERM;
	if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ZS)
		return U_SPACE;
	return U_OTHER;
}

/* Classifies the character at s[i] of the normalised text; *len gets its
 * length in bytes.  U_END past the end. */
static inline unsigned unit_at(const struct tokenizer *tok, const uint8_t *s, size_t n, size_t i,
                               size_t *len)
{
	if (i >= n) {
		*len = 0;
		return U_END;
	}
	if (s[i] < 0x80) {
		*len = 1;
		return tok->cls[s[i]];
	}
	uint32_t cp = decode_at(s, n, i, len);
	return tok->mode == TOK_SKLEARN ? classify_sklearn(cp) : classify_default(cp);
}

static void init_tables(struct tokenizer *tok)
{
	for (unsigned c = 0; c < 256; c++) {
		unsigned cls = U_OTHER;
		if (c >= 0x80)
			cls = U_HIGH;
		else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			cls = U_LETTER;
		else if (c >= '0' && c <= '9')
			cls = tok->mode == TOK_SKLEARN ? U_LETTER : U_DIGIT;
		else if (c == ' ' || c == '\t' || c == '\v' || c == '\f')
			cls = U_SPACE;
		else if (c == '\n' || c == '\r')
			cls = U_NEWLINE;
		else if (c == '.')
			cls = U_DOT;
		else if (c == '!' || c == '?')
			cls = U_TERM;
		else if (c == '"' || c == ')' || c == ']' || c == '}')
			cls = U_CLOSE;
		else if (tok->mode == TOK_SKLEARN)
			cls = c == '_' ? U_LETTER : c == '\'' ? U_CLOSE : U_OTHER;
		else if (c == '\'')
			cls = U_APOS;
		else if (c == '-')
			cls = U_HYPHEN;
		else if (c == '_')
			cls = U_UNDERSCORE;
		else if (c == ',')
			cls = U_COMMA;
		else if (c == '@')
			cls = U_AT;
		else if (c == '#')
			cls = U_HASH;
		tok->cls[c] = (uint8_t)cls;
		tok->lower[c] = (uint8_t)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
}

/* ------------------------------------------------- Python's str.lower() */

/* Python's lower() of one character, without the final sigma: the full
 * lowercase mapping, which differs from the simple one (utf8proc_tolower)
 * only for U+0130 İ -> "i̇" (SpecialCasing.txt).  Returns the number of
 * code points written to out. */
static int py_lower(uint32_t cp, uint32_t out[2])
{
	if (cp == 0x130) {
		out[0] = 'i';
		out[1] = 0x307;
		return 2;
	}
	out[0] = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
	return 1;
}

/* Unicode's Case_Ignorable, which Python's final-sigma rule skips: Mn Me Cf
 * Lm Sk and Word_Break MidLetter, MidNumLet and Single_Quote (utf8proc has no
 * Word_Break property, so those few are listed). */
static bool py_case_ignorable(uint32_t cp)
{
	switch (cp) {
	case 0x27: case 0x2E: case 0x3A: case 0xB7: case 0x387: case 0x55F: case 0x5F4:
	case 0x2018: case 0x2019: case 0x2024: case 0x2027: case 0xFE13: case 0xFE52:
	case 0xFE55: case 0xFF07: case 0xFF0E: case 0xFF1A:
		return true;
	default:
		break;
	}
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_SK:
		return true;
	default:
		return false;
	}
}

/* Unicode's Cased (Lowercase, Uppercase or Lt).  utf8proc has no such
 * property: a character is taken as cased when it is Lu Ll Lt or has a case
 * mapping, plus the Other_Lowercase / Other_Uppercase letters and symbols
 * without one (ª º and the squared, circled and negative Latin capitals).
 * Only characters that are not case-ignorable are ever asked. */
static bool py_cased(uint32_t cp)
{
	if (cp == 0xAA || cp == 0xBA || (cp >= 0x1F130 && cp <= 0x1F149) ||
	    (cp >= 0x1F150 && cp <= 0x1F169) || (cp >= 0x1F170 && cp <= 0x1F189))
		return true;
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
		return true;
	default:
		break;
	}
	utf8proc_int32_t c = (utf8proc_int32_t)cp;
	return utf8proc_tolower(c) != c || utf8proc_toupper(c) != c || utf8proc_totitle(c) != c;
}

/* Python lowers Σ (U+03A3) to final ς when a cased character precedes it
 * and none follows it, case-ignorable characters skipped on both sides:
 * \p{cased}\p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased}).
 * at is the offset of the Σ in the input in[0..len). */
static bool py_final_sigma(const uint8_t *in, size_t len, size_t at)
{
	size_t i = at;
	bool final = false;
	while (i > 0) {
		size_t clen;
		i = prev_char_start(in, i);
		uint32_t cp = in[i] < 0x80 ? in[i] : decode_at(in, len, i, &clen);
		if (!py_case_ignorable(cp)) {
			final = py_cased(cp);
			break;
		}
	}
	if (!final)
		return false;
	for (i = at + 2; i < len;) {
		size_t clen = 1;
		uint32_t cp = in[i] < 0x80 ? in[i] : decode_at(in, len, i, &clen);
		if (!py_case_ignorable(cp))
			return !py_cased(cp);
		i += clen;
	}
	return true;
}

/* ------------------------------------------------ the normalised copy */

static int norm_append(struct tokenizer *tok, const void *bytes, size_t n)
{
	if (n == 0)
		return 0;
	if (n > SIZE_MAX - tok->norm_len)
		return TD_ENOMEM;
	int err = array_reserve((void **)&tok->norm, &tok->norm_cap, tok->norm_len + n, 1);
	if (err)
		return err;
	memcpy(tok->norm + tok->norm_len, bytes, n);
	tok->norm_len += n;
	return 0;
}

static int seg_push(struct tokenizer *tok, size_t in_start, bool linear)
{
	int err = array_reserve((void **)&tok->segs, &tok->segs_cap, tok->n_segs + 1, sizeof *tok->segs);
	if (err)
		return err;
	tok->segs[tok->n_segs++] = (struct seg){ tok->norm_len, in_start, linear };
	return 0;
}

/* Starts (or continues) a linear segment at the end of norm for input byte
 * in_pos: consecutive characters copied byte for byte share one segment. */
static int seg_linear(struct tokenizer *tok, size_t in_pos)
{
	if (tok->n_segs > 0) {
		const struct seg *last = &tok->segs[tok->n_segs - 1];
		if (last->linear && last->in_start + (tok->norm_len - last->norm_start) == in_pos)
			return 0;
	}
	return seg_push(tok, in_pos, true);
}

/* Appends the output of the input character(s) in[start..end): a linear
 * segment when one character became one character of the same size (offsets
 * inside stay exact), else a cluster segment. */
static int norm_put(struct tokenizer *tok, size_t start, size_t end, bool one_char_in,
                    const uint8_t *out, size_t out_len)
{
	size_t first_len = out_len ? (out[0] < 0x80 ? 1 : out[0] >= 0xF0 ? 4 : out[0] >= 0xE0 ? 3 : 2) : 0;
	bool linear = one_char_in && out_len == end - start && first_len == out_len;
	int err = linear ? seg_linear(tok, start) : seg_push(tok, start, false);
	return err ? err : norm_append(tok, out, out_len);
}

/* Does cp attach to the character before it for normalisation?  Combining
 * characters do, and so do Hangul vowel and final jamo, which compose with
 * the syllable before. */
static bool continues_cluster(utf8proc_int32_t cp)
{
	const utf8proc_property_t *prop = utf8proc_get_property(cp);
	if (prop->combining_class != 0)
		return true;
	switch (prop->category) {
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
		return true;
	default:
		return (cp >= 0x1160 && cp <= 0x11FF) || (cp >= 0xD7B0 && cp <= 0xD7FF);
	}
}

static const uint8_t replacement_char[] = { 0xEF, 0xBF, 0xBD };

/* NFKC + case fold of in[start..end) into norm. */
static int normalise_cluster(struct tokenizer *tok, const uint8_t *in, size_t start, size_t end,
                             bool one_char_in)
{
	for (;;) {
		utf8proc_ssize_t r = utf8proc_decompose_custom(in + start, (utf8proc_ssize_t)(end - start),
		                                               tok->cps, (utf8proc_ssize_t)tok->cps_cap,
		                                               NORM_OPTIONS, NULL, NULL);
		if (r < 0)  /* cannot happen on checked input; keep the text scannable */
			return norm_put(tok, start, end, false, replacement_char, sizeof replacement_char);
		if ((size_t)r > tok->cps_cap) {
			int err = array_reserve((void **)&tok->cps, &tok->cps_cap, (size_t)r, sizeof *tok->cps);
			if (err)
				return err;
			continue;
		}
		/* Reorders, composes and writes UTF-8 over the code points. */
		r = utf8proc_reencode(tok->cps, r, NORM_OPTIONS);
		if (r < 0)
			return norm_put(tok, start, end, false, replacement_char, sizeof replacement_char);
		return norm_put(tok, start, end, one_char_in, (const uint8_t *)tok->cps, (size_t)r);
	}
}

/* Copies in[i..j), all ASCII. */
static int copy_ascii(struct tokenizer *tok, size_t i, size_t j, const uint8_t *in)
{
	int err = seg_linear(tok, i);
	return err ? err : norm_append(tok, in + i, j - i);
}

/* Builds the normalised copy of in[0..len), whose first `ascii` bytes are
 * ASCII, for the default mode (NFKC + case fold). */
static int build_default(struct tokenizer *tok, const uint8_t *in, size_t len, size_t ascii)
{
	int err = copy_ascii(tok, 0, ascii, in);
	size_t i = ascii;
	while (!err && i < len) {
		if (in[i] < 0x80) {
			size_t j = i + ascii_prefix(in + i, len - i);
			err = copy_ascii(tok, i, j, in);
			i = j;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t clen = utf8proc_iterate(in + i, (utf8proc_ssize_t)(len - i), &cp);
		if (clen < 0) {  /* invalid UTF-8: one byte becomes U+FFFD, a separator */
			err = norm_put(tok, i, i + 1, false, replacement_char, sizeof replacement_char);
			i++;
			continue;
		}
		size_t start = i, end = i + (size_t)clen;
		bool one_char = true;
		if (start > 0 && in[start - 1] < 0x80 && continues_cluster(cp)) {
			/* A mark after an ASCII base: take the base back from the
			 * ASCII stretch just copied, so that they compose. */
			start--;
			tok->norm_len--;
			one_char = false;
			struct seg *last = &tok->segs[tok->n_segs - 1];
			if (last->norm_start == tok->norm_len)
				tok->n_segs--;
		}
		while (end < len && in[end] >= 0x80) {
			utf8proc_int32_t next;
			clen = utf8proc_iterate(in + end, (utf8proc_ssize_t)(len - end), &next);
			if (clen < 0 || !continues_cluster(next))
				break;
			end += (size_t)clen;
			one_char = false;
		}
		err = normalise_cluster(tok, in, start, end, one_char);
		i = end;
	}
	return err;
}

/* Builds the lowered copy of in[0..len) for sklearn mode (Python's lower(),
 * one character at a time; no normalisation). */
static int build_sklearn(struct tokenizer *tok, const uint8_t *in, size_t len, size_t ascii)
{
	int err = copy_ascii(tok, 0, ascii, in);
	size_t i = ascii;
	while (!err && i < len) {
		if (in[i] < 0x80) {
			size_t j = i + ascii_prefix(in + i, len - i);
			err = copy_ascii(tok, i, j, in);
			i = j;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t clen = utf8proc_iterate(in + i, (utf8proc_ssize_t)(len - i), &cp);
		if (clen < 0) {
			err = norm_put(tok, i, i + 1, false, replacement_char, sizeof replacement_char);
			i++;
			continue;
		}
		uint32_t lowered[2];
		int n_out = py_lower((uint32_t)cp, lowered);
		if (cp == 0x3A3 && py_final_sigma(in, len, i))
			lowered[0] = 0x3C2;
		uint8_t out[8];
		size_t out_len = 0;
		for (int k = 0; k < n_out; k++)
			out_len += (size_t)utf8proc_encode_char((utf8proc_int32_t)lowered[k], out + out_len);
		err = norm_put(tok, i, i + (size_t)clen, n_out == 1, out, out_len);
		i += (size_t)clen;
	}
	return err;
}

/* ------------------------------------------------------------ stopwords */

/* A slot holds a word's first 16 bytes packed into two integers, so that a
 * lookup of a short word (all of the English list) compares two integers
 * instead of hashing bytes and calling memcmp: the lookup runs once per token. */
struct stop_slot {
	uint64_t key[2];  /* the first 16 bytes, little-endian, zero-padded */
	uint32_t off;     /* of the whole word in pool */
	uint32_t len;     /* 0: an empty slot */
};

/* A word of a small list, for the perfect-hash index. */
struct stop_entry {
	uint64_t key[2];
	uint64_t len;  /* 0 in entry 0, which matches nothing */
};

struct stopwords {
	char *pool;
	size_t pool_len, pool_cap;
	struct stop_slot *slots;  /* open addressing, linear probing */
	size_t mask;              /* number of slots - 1, a power of two minus one */
	size_t count;
	size_t max_len;           /* longer tokens skip the lookup */
	/* Lists of at most 255 words of at most 16 bytes (the English one) also
	 * get a collision-free index, found by trying seeds at load time: a token
	 * is then looked up with no branch at all.  Whether a token is a
	 * stopword is a coin toss in running text, so a branch on it would be
	 * mispredicted half the time, and probing costs most of the lookup. */
	uint8_t *index;           /* slot -> entry number, 0: none; NULL: not built */
	struct stop_entry *entries;
	uint64_t seed;
	unsigned index_shift;     /* 64 - log2(index slots) */
};

/* A word's key: its first 16 bytes as hash_word_key reads them, so that a
 * listed word's key is the one emit() reads from a token. */
static inline void pack_key(const char *word, size_t len, uint64_t key[2])
{
	unsigned char padded[16] = { 0 };
	size_t n = len < 16 ? len : 16;
	memcpy(padded, word, n);
	hash_word_key(padded, n, key);
}

/* Multiplicative (Fibonacci) hashing: one multiply, the top bits index the
 * table.  Enough for lists of a few hundred words, and cheap per token. */
static inline size_t key_slot(const struct stopwords *stop, const uint64_t key[2], size_t len)
{
	uint64_t h = (key[0] ^ (key[1] + len) * UINT64_C(0xc2b2ae3d27d4eb4f)) * UINT64_C(0x9e3779b97f4a7c15);
	return (size_t)(h >> 32) & stop->mask;
}

static inline bool stop_probe(const struct stopwords *stop, const char *word, size_t len, const uint64_t key[2])
{
	for (size_t k = key_slot(stop, key, len);; k = (k + 1) & stop->mask) {
		const struct stop_slot *slot = &stop->slots[k];
		if (slot->len == 0)
			return false;
		if (slot->key[0] == key[0] && slot->key[1] == key[1] && slot->len == len &&
		    (len <= 16 || memcmp(stop->pool + slot->off, word, len) == 0))
			return true;
	}
}

static inline bool stop_lookup(const struct stopwords *stop, const char *word, size_t len)
{
	if (len > stop->max_len || len == 0)
		return false;
	uint64_t key[2];
	pack_key(word, len, key);
	return stop_probe(stop, word, len, key);
}

static inline size_t index_slot(const struct stopwords *stop, uint64_t seed, const uint64_t key[2], size_t len)
{
	uint64_t h = (key[0] ^ seed ^ (key[1] + len) * UINT64_C(0xc2b2ae3d27d4eb4f)) * UINT64_C(0x9e3779b97f4a7c15);
	return (size_t)(h >> stop->index_shift);
}

/* Builds stop->index if the list is small enough and a seed without
 * collisions turns up; otherwise lookups probe the slots. */
static int stop_build_index(struct stopwords *stop)
{
	if (stop->count == 0 || stop->count > 255 || stop->max_len > 16)
		return 0;
	unsigned bits = 8;
	while (((size_t)1 << bits) < 64 * stop->count)
		bits++;
	size_t n_index = (size_t)1 << bits;
	stop->index_shift = 64 - bits;
	stop->entries = calloc(stop->count + 1, sizeof *stop->entries);
	stop->index = calloc(n_index, 1);
	if (!stop->entries || !stop->index)
		return TD_ENOMEM;
	size_t n = 1;
	for (size_t k = 0; k <= stop->mask; k++) {
		const struct stop_slot *slot = &stop->slots[k];
		if (slot->len)
			stop->entries[n++] = (struct stop_entry){ { slot->key[0], slot->key[1] }, slot->len };
	}
	/* With 64 slots a word, a seed works with probability about
	 * exp(-count / 128): a few tries at most. */
	for (uint64_t seed = 0; seed < 1000; seed++) {
		uint64_t s = hash_mix64(seed + 1);
		bool ok = true;
		memset(stop->index, 0, n_index);
		for (size_t e = 1; e < n && ok; e++) {
			size_t k = index_slot(stop, s, stop->entries[e].key, stop->entries[e].len);
			ok = stop->index[k] == 0;
			stop->index[k] = (uint8_t)e;
		}
		if (ok) {
			stop->seed = s;
			return 0;
		}
	}
	free(stop->index);
	stop->index = NULL;
	return 0;
}

/* The same for a token in token_list.buf whose key emit() has read
 * (hash_word_key: 16 bytes can be read from a token's start, tokenizer_run
 * keeps 16 bytes spare at the end, and the bytes past the token are masked
 * off), when it has at most 16 bytes: no byte loop. */
static inline bool stop_lookup_token(const struct stopwords *stop, const char *word, size_t len,
				     const uint64_t key[2])
{
	if (len > stop->max_len || len == 0)
		return false;
	if (len > 16)
		return stop_lookup(stop, word, len);
	if (stop->index) {
		const struct stop_entry *e = &stop->entries[stop->index[index_slot(stop, stop->seed, key, len)]];
		return (e->key[0] == key[0]) & (e->key[1] == key[1]) & (e->len == len);
	}
	return stop_probe(stop, word, len, key);
}

bool stopwords_contains(const struct stopwords *stop, const char *word, size_t len)
{
	return stop && stop_lookup(stop, word, len);
}

size_t stopwords_count(const struct stopwords *stop)
{
	return stop ? stop->count : 0;
}

void stopwords_free(struct stopwords *stop)
{
	if (!stop)
		return;
	free(stop->pool);
	free(stop->slots);
	free(stop->index);
	free(stop->entries);
	free(stop);
}

/* Replaces the typographic apostrophes and hyphens of a normalised word by the
 * ASCII ones the tokenizer writes, in place; returns the new length. */
static size_t ascii_joiners(uint8_t *word, size_t len)
{
	size_t out = 0;
	for (size_t i = 0; i < len;) {
		if (i + 2 < len && word[i] == 0xE2 && word[i + 1] == 0x80 &&
		    (word[i + 2] == 0x99 || word[i + 2] == 0x90 || word[i + 2] == 0x91)) {
			word[out++] = word[i + 2] == 0x99 ? '\'' : '-';
			i += 3;
		} else if (i + 1 < len && word[i] == 0xCA && word[i + 1] == 0xBC) {
			word[out++] = '\'';
			i += 2;
		} else {
			word[out++] = word[i++];
		}
	}
	return out;
}

/* Adds one word (normalised like a token) unless already there; the table has
 * room (it was sized for every line). */
static int stop_add(struct stopwords *stop, const char *word, size_t len)
{
	uint8_t *norm = NULL;
	utf8proc_ssize_t n = utf8proc_map((const uint8_t *)word, (utf8proc_ssize_t)len, &norm, NORM_OPTIONS);
	if (n < 0)
		return n == UTF8PROC_ERROR_NOMEM ? TD_ENOMEM : TD_EFORMAT;
	size_t nlen = ascii_joiners(norm, (size_t)n);
	int err = 0;
	if (nlen == 0 || nlen > UINT32_MAX || stop_lookup(stop, (const char *)norm, nlen))
		goto out;
	err = array_reserve((void **)&stop->pool, &stop->pool_cap, stop->pool_len + nlen, 1);
	if (err || stop->pool_len > UINT32_MAX)
		goto out;
	uint64_t key[2];
	pack_key((const char *)norm, nlen, key);
	size_t k = key_slot(stop, key, nlen);
	while (stop->slots[k].len != 0)
		k = (k + 1) & stop->mask;
	stop->slots[k] = (struct stop_slot){ { key[0], key[1] }, (uint32_t)stop->pool_len, (uint32_t)nlen };
	memcpy(stop->pool + stop->pool_len, norm, nlen);
	stop->pool_len += nlen;
	stop->count++;
	if (nlen > stop->max_len)
		stop->max_len = nlen;
out:
	free(norm);
	return err;
}

/* Parses a list: one word per line, '#' to the end of the line is a comment,
 * blanks around a word are ignored. */
static int stop_parse(struct stopwords *stop, const char *text, size_t len, const char *name,
                      struct td_diag *diag)
{
	size_t n_lines = 1;
	for (size_t i = 0; i < len; i++)
		n_lines += text[i] == '\n';
	size_t n_slots = 16;
	while (n_slots < 2 * n_lines)  /* load factor <= 1/2 */
		n_slots *= 2;
	stop->slots = calloc(n_slots, sizeof *stop->slots);
	if (!stop->slots)
		return td_fail(diag, TD_ENOMEM, "out of memory loading stopwords '%s'", name);
	stop->mask = n_slots - 1;
	size_t line_no = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		const char *hash = memchr(text + i, '#', end - i);
		size_t stop_at = hash ? (size_t)(hash - text) : end;
		size_t a = i, b = stop_at;
		line_no++;
		while (a < b && (text[a] == ' ' || text[a] == '\t'))
			a++;
		while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r'))
			b--;
		if (b > a) {
			int err = stop_add(stop, text + a, b - a);
			if (err == TD_EFORMAT)
				return td_fail(diag, err, "'%s': line %zu: invalid UTF-8", name, line_no);
			if (err)
				return td_fail(diag, err, "out of memory loading stopwords '%s'", name);
		}
		i = end + 1;
	}
	if (stop_build_index(stop) != 0)
		return td_fail(diag, TD_ENOMEM, "out of memory loading stopwords '%s'", name);
	return 0;
}

/* Reads a whole file into a new buffer. */
static int read_file(const char *path, char **out, size_t *out_len, struct td_diag *diag)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return td_fail(diag, TD_ENOENT, "cannot open '%s': %s", path, strerror(errno));
	char *data = NULL;
	size_t len = 0, cap = 0;
	int err = 0;
	for (;;) {
		if ((err = array_reserve((void **)&data, &cap, len + 65536, 1)))
			break;
		size_t got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (!err && ferror(f))
		err = td_fail(diag, TD_EIO, "cannot read '%s': %s", path, strerror(errno));
	else if (err)
		err = td_fail(diag, err, "out of memory reading '%s'", path);
	fclose(f);
	if (err) {
		free(data);
		return err;
	}
	*out = data;
	*out_len = len;
	return 0;
}

int stopwords_load(struct stopwords **out, const char *name, struct td_diag *diag)
{
	*out = NULL;
	struct stopwords *stop = calloc(1, sizeof *stop);
	if (!stop)
		return td_fail(diag, TD_ENOMEM, "out of memory loading stopwords '%s'", name);
	char *data = NULL;
	int err;
	if (strcmp(name, "none") == 0) {
		err = stop_parse(stop, "", 0, name, diag);
	} else if (strcmp(name, "en") == 0) {
		err = stop_parse(stop, embedded_stopwords_en, embedded_stopwords_en_len, name, diag);
	} else {
		size_t len = 0;
		err = read_file(name, &data, &len, diag);
		if (!err)
			err = stop_parse(stop, data, len, name, diag);
	}
	free(data);
	if (err) {
		stopwords_free(stop);
		return err;
	}
	*out = stop;
	return 0;
}

/* ------------------------------------------------------------ tokenizer */

static pthread_once_t stem_list_once = PTHREAD_ONCE_INIT;
static char stem_list[1024];

/* Fills stem_list once; names that would not fit are left out (libstemmer
 * has about thirty, some 300 bytes). */
static void build_stem_list(void)
{
	size_t len = 0;
	for (const char **name = sb_stemmer_list(); *name; name++) {
		size_t n = strlen(*name);
		if (len + n + 3 > sizeof stem_list)
			break;
		if (len) {
			memcpy(stem_list + len, ", ", 2);
			len += 2;
		}
		memcpy(stem_list + len, *name, n);
		len += n;
	}
	stem_list[len] = '\0';
}

const char *tokenizer_stem_languages(void)
{
	pthread_once(&stem_list_once, build_stem_list);
	return stem_list;
}

int tokenizer_new(struct tokenizer **out, const struct tokenizer_opts *opts, struct td_diag *diag)
{
	*out = NULL;
	struct tokenizer *tok = calloc(1, sizeof *tok);
	if (!tok)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	tok->mode = opts->mode;
	tok->possessive_strip = opts->possessive_strip && opts->mode == TOK_DEFAULT;
	tok->split_hyphens = opts->split_hyphens;
	tok->stop = opts->stop && opts->stop->count ? opts->stop : NULL;
	if (opts->stem && *opts->stem && strcmp(opts->stem, "none") != 0) {
		tok->stemmer = sb_stemmer_new(opts->stem, "UTF_8");
		if (!tok->stemmer) {
			free(tok);
			return td_fail(diag, TD_EINVAL, "unknown stemmer language '%s' (available: none, %s)",
			               opts->stem, tokenizer_stem_languages());
		}
	}
	init_tables(tok);
	*out = tok;
	return 0;
}

void tokenizer_free(struct tokenizer *tok)
{
	if (!tok)
		return;
	sb_stemmer_delete(tok->stemmer);
	free(tok->norm);
	free(tok->segs);
	free(tok->cps);
	free(tok);
}

/* The state of one tokenizer_run. */
struct scan {
	const struct tokenizer *tok;
	struct token_list *list;
	const uint8_t *s;       /* the (normalised) text */
	size_t n;
	bool identity;          /* s is the input: positions are offsets */
	size_t seg;             /* segment of the last lookup */
	bool sentence_open;     /* the current sentence has a token */
	size_t word_end;        /* where the last word token ended (SIZE_MAX: none) */
	size_t barrier;         /* an e-mail address starts no earlier */
};

/* The input byte offset of position pos of the normalised text.  Lookups
 * come in increasing order but for e-mail addresses, so a cursor walks. */
static uint64_t input_offset(struct scan *sc, size_t pos)
{
	if (sc->identity)
		return pos;
	const struct seg *segs = sc->tok->segs;
	size_t k = sc->seg, n_segs = sc->tok->n_segs;
	while (k > 0 && segs[k].norm_start > pos)
		k--;
	while (k + 1 < n_segs && segs[k + 1].norm_start <= pos)
		k++;
	sc->seg = k;
	return segs[k].linear ? segs[k].in_start + (pos - segs[k].norm_start) : segs[k].in_start;
}

static void sentence_break(struct scan *sc)
{
	sc->sentence_open = false;
}

/* Handles a sentence terminal whose next character is at j: further
 * terminals and closing quotes or brackets are skipped (`said."` ends); the
 * sentence ends when white space, a line break or the end follows.  A '.'
 * followed by a digit (2.5) or a letter (e.g) does not end one; "Mr. Smith"
 * does, which is accepted: telling abbreviations apart takes a list per
 * language and would still miss sentences ending in one.  Returns where the
 * scan goes on. */
static size_t sentence_end(struct scan *sc, size_t j)
{
	for (;;) {
		size_t len;
		unsigned cls = unit_at(sc->tok, sc->s, sc->n, j, &len);
		if (cls == U_DOT || cls == U_TERM || cls == U_CLOSE || cls == U_APOS) {
			j += len;
			continue;
		}
		if (cls == U_END || cls == U_SPACE || cls == U_NEWLINE)
			sentence_break(sc);
		return j;
	}
}

/* Adds the token whose len bytes were just written at the end of list->buf
 * (from position pos of the normalised text), with its flags and hash: its
 * NUL, its sentence, its record. */
static inline __attribute__((always_inline)) int push_token(struct scan *sc, size_t pos, size_t len, unsigned kind,
							    uint8_t flags, uint64_t hash)
{
	struct token_list *list = sc->list;
	if (list->n == list->cap) {
		int err = array_reserve((void **)&list->items, &list->cap, list->n + 1, sizeof *list->items);
		if (err)
			return err;
	}
	list->buf[list->buf_len + len] = '\0';
	if (!sc->sentence_open) {
		sc->sentence_open = true;
		list->n_sentences++;
	}
	list->items[list->n++] = (struct token){
		.text = list->buf_len,
		.len = (uint32_t)len,
		.sentence = list->n_sentences - 1,
		.byte_offset = sc->identity ? pos : input_offset(sc, pos),
		.hash = hash,
		.kind = (uint8_t)kind,
		.flags = flags,
	};
	list->buf_len += len + 1;
	return 0;
}

/* Finishes the token whose len bytes were just written at the end of
 * list->buf, from position pos of the normalised text: possessive strip,
 * stopword flag and stem for words, then the NUL and the token record. */
static int emit(struct scan *sc, size_t pos, size_t len, unsigned kind)
{
	const struct tokenizer *tok = sc->tok;
	struct token_list *list = sc->list;
	char *text = list->buf + list->buf_len;
	uint8_t flags = 0;
	/* A token of at most 16 bytes is read as its key once (16 bytes are
	 * readable at any token): the stopword lookup and the hash use it. */
	uint64_t key[2] = { 0, 0 };
	if (len <= 16)
		hash_word_key(text, len, key);
	if (kind == TOKEN_WORD) {
		/* A listed word is tested before the strip: "it's" and "he's" are
		 * contractions, not possessives. */
		bool stop = tok->stop && stop_lookup_token(tok->stop, text, len, key);
		flags = stop ? TOKEN_STOP : 0;
		/* the common case (no strip, no stem) takes no branch on stop */
		if ((tok->possessive_strip || tok->stemmer) && !stop) {
			if (tok->possessive_strip && len > 2 && text[len - 2] == '\'' && text[len - 1] == 's') {
				len -= 2;
				if (len <= 16)
					hash_word_key(text, len, key);
				if (tok->stop && stop_lookup_token(tok->stop, text, len, key))
					flags = TOKEN_STOP;
			}
			if (!flags && tok->stemmer && len <= INT_MAX) {
				const sb_symbol *stem = sb_stemmer_stem(tok->stemmer, (const sb_symbol *)text, (int)len);
				if (!stem)
					return TD_ENOMEM;
				size_t stem_len = (size_t)sb_stemmer_length(tok->stemmer);
				if (stem_len > len) {
					/* tokenizer_run sized buf for tokens no longer than
					 * their text: a longer stem adds its excess */
					if (stem_len - len > SIZE_MAX - list->buf_cap)
						return TD_ENOMEM;
					int err = array_reserve((void **)&list->buf, &list->buf_cap,
					               list->buf_cap + (stem_len - len), 1);
					if (err)
						return err;
					text = list->buf + list->buf_len;
				}
				memcpy(text, stem, stem_len);
				len = stem_len;
				if (len <= 16)
					hash_word_key(text, len, key);
			}
		}
	}
	return push_token(sc, pos, len, kind, flags, len <= 16 ? hash_word16(key, len) : hash_word(text, len));
}

/* The scans' fast paths: blocks of 64 bytes (scan_sklearn, scan_default)
 * and emit_short().  false only in tests, which compare the scans without
 * them (unit by unit, every token through emit()) with them:
 * tests/test_tokenize_scan.c. */
static bool scan_fast = true;

/* emit() for a word or number of at most 16 bytes (the fast paths' words),
 * inlined: with neither the possessive strip nor a stemmer, the same token
 * with no branch on the length and no call. */
static inline __attribute__((always_inline)) int emit_short(struct scan *sc, size_t pos, size_t len, unsigned kind)
{
	const struct tokenizer *tok = sc->tok;
	if (tok->possessive_strip || tok->stemmer)
		return emit(sc, pos, len, kind);
	struct token_list *list = sc->list;
	char *text = list->buf + list->buf_len;
	uint64_t key[2];
	hash_word_key(text, len, key);
	uint8_t flags = 0;
	if (kind == TOKEN_WORD && tok->stop && stop_lookup_token(tok->stop, text, len, key))
		flags = TOKEN_STOP;
	return push_token(sc, pos, len, kind, flags, hash_word16(key, len));
}

/* Writes s[i..j) lower-cased (ASCII by table; the rest is normalised already)
 * at the end of list->buf; returns the number of bytes. */
static size_t put_lower(struct scan *sc, size_t i, size_t j)
{
	char *out = sc->list->buf + sc->list->buf_len;
	const uint8_t *lower = sc->tok->lower;
	for (size_t k = i; k < j; k++)
		out[k - i] = (char)lower[sc->s[k]];
	return j - i;
}

#if defined(__SSE2__)
/* Loads 16 bytes at s and marks the ASCII letters and digits among them
 * (signed comparisons: bytes >= 0x80 are negative and match no range). */
static inline __m128i ascii_classes(const uint8_t *s, __m128i *letter, __m128i *digit)
{
	__m128i v = _mm_loadu_si128((const __m128i *)s);
	__m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
	*letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
				_mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
	*digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
			       _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
	return v;
}

/* The ASCII word run at s (16 readable bytes) in sklearn mode: its length
 * (bytes of [A-Za-z0-9_] from the start, 16 if all are), and in *digits
 * whether they are all digits.  Sixteen bytes are classified at once, so a
 * word's end costs no mispredicted branch per byte. */
static inline unsigned ascii_run_sklearn(const uint8_t *s, bool *digits)
{
	__m128i letter, digit;
	__m128i v = ascii_classes(s, &letter, &digit);
	__m128i under = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
	unsigned word = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), under));
	unsigned run = (unsigned)__builtin_ctz(~word);  /* bit 16 of ~word is set: run <= 16 */
	unsigned in_run = (1u << run) - 1;
	*digits = ((unsigned)_mm_movemask_epi8(digit) & in_run) == in_run;
	return run;
}

/* The same in the default mode, where a word run is [A-Za-z0-9] (the
 * underscore joins, and is handled by the caller's slow path): its length,
 * and in *letters whether it holds a letter. */
static inline unsigned ascii_run_default(const uint8_t *s, unsigned *letters)
{
	__m128i letter, digit;
	(void)ascii_classes(s, &letter, &digit);
	unsigned word = (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit));
	unsigned run = (unsigned)__builtin_ctz(~word);
	*letters = (unsigned)_mm_movemask_epi8(letter) & ((1u << run) - 1);
	return run;
}

/* The byte mask of v (one bit per byte) as bits 16q to 16q + 15. */
static inline uint64_t mask16(__m128i v, unsigned q)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(v) << (16 * q);
}

/* Writes the 16 bytes at s lower-cased (ASCII A-Z) at out. */
static inline void lower16(char *out, const uint8_t *s)
{
	__m128i v = _mm_loadu_si128((const __m128i *)s);
	__m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
				      _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
	_mm_storeu_si128((__m128i *)out, _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
}
#endif

/* Scans the word or number that starts at i with a character of class
 * first (U_LETTER or U_DIGIT). */
static int scan_word(struct scan *sc, size_t i, unsigned first, size_t *next)
{
	const struct tokenizer *tok = sc->tok;
	const uint8_t *s = sc->s;
	size_t n = sc->n, j = i;
	char *out = sc->list->buf + sc->list->buf_len;
#if defined(__SSE2__)
	/* A word of fewer than 16 ASCII letters and digits followed by an ASCII
	 * byte that neither continues nor joins it (nearly every word): found
	 * and lowered 16 bytes at a time, as in sklearn mode. */
	if (n - i >= 16) {
		unsigned letters;
		unsigned run = ascii_run_default(s + i, &letters);
		if (run < 16 && s[i + run] < 0x80) {
			unsigned cls = tok->cls[s[i + run]];
			if (cls != U_APOS && cls != U_HYPHEN && cls != U_UNDERSCORE && cls != U_DOT && cls != U_COMMA) {
				lower16(out, s + i);
				*next = sc->word_end = i + run;
				bool number = first == U_DIGIT && !letters;
				return scan_fast ? emit_short(sc, i, run, number ? TOKEN_NUMBER : TOKEN_WORD)
						 : emit(sc, i, run, number ? TOKEN_NUMBER : TOKEN_WORD);
			}
		}
	}
#endif
	size_t len = 0;
	unsigned seen = 0;       /* bit U_LETTER: a letter or mark; bit U_DIGIT: a digit */
	bool joined = false;     /* an apostrophe, hyphen or underscore inside */
	unsigned prev = U_OTHER;
	for (;;) {
		/* The hot loop: ASCII letters and digits, by table. */
		while (j < n) {
			uint8_t b = s[j];
			unsigned cls = tok->cls[b];
			if (!is_word_class(cls))
				break;
			out[len++] = (char)tok->lower[b];
			seen |= 1u << cls;
			prev = cls;
			j++;
		}
		size_t ulen;
		unsigned cls = unit_at(tok, s, n, j, &ulen);
		if (cls == U_LETTER || cls == U_DIGIT || cls == U_MARK) {
			memcpy(out + len, s + j, ulen);
			len += ulen;
			seen |= 1u << (cls == U_DIGIT ? U_DIGIT : U_LETTER);
			prev = cls;
			j += ulen;
			continue;
		}
		if (cls != U_APOS && cls != U_HYPHEN && cls != U_UNDERSCORE && cls != U_DOT && cls != U_COMMA)
			break;
		size_t after_len;
		unsigned after = unit_at(tok, s, n, j + ulen, &after_len);
		char joiner;
		if (!is_word_class(after))
			break;
		if (cls == U_DOT || cls == U_COMMA) {
			/* 46,000 and 2.5: only between digits, so "2022." keeps its end */
			if (prev != U_DIGIT || after != U_DIGIT)
				break;
			joiner = cls == U_DOT ? '.' : ',';
		} else if (cls == U_HYPHEN) {
			if (tok->split_hyphens)
				break;
			joiner = '-';
			joined = true;
		} else {
			joiner = cls == U_APOS ? '\'' : '_';
			joined = true;
		}
		out[len++] = joiner;
		prev = cls;
		j += ulen;
	}
	*next = j;
	sc->word_end = j;
	bool number = first == U_DIGIT && !joined && !(seen & (1u << U_LETTER));
	return emit(sc, i, len, number ? TOKEN_NUMBER : TOKEN_WORD);
}

/* Case-insensitive: does s[0..n) start with the ASCII lower-case prefix p? */
static bool has_prefix(const uint8_t *s, size_t n, const char *p, const uint8_t *lower)
{
	size_t k = 0;
	for (; p[k]; k++)
		if (k >= n || lower[s[k]] != (uint8_t)p[k])
			return false;
	return true;
}

static bool is_ascii_alnum(uint8_t b)
{
	return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
}

/* If a URL starts at i (http:// https:// ftp:// or www. and then a letter or
 * digit), returns the length of its prefix; else 0. */
static size_t url_prefix(const struct tokenizer *tok, const uint8_t *s, size_t n)
{
	static const struct { const char *text; size_t len; } prefixes[] = {
		{ "http://", 7 }, { "https://", 8 }, { "ftp://", 6 }, { "www.", 4 },
	};
	for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++) {
		size_t len = prefixes[k].len;
		if (len < n && has_prefix(s, n, prefixes[k].text, tok->lower) &&
		    (s[len] >= 0x80 || is_ascii_alnum(s[len])))
			return len;
	}
	return 0;
}

/* Scans the URL at i (its prefix is prefix_len bytes): up to white space or
 * a character that cannot be in one (< > " and quotation marks), then without
 * trailing punctuation .,;:!?'" and closing quotes, or a closing bracket that
 * has no opening one inside (so that "(see http://x.org/a)" loses the ")" but
 * "http://x.org/f_(y)" keeps it). */
static int scan_url(struct scan *sc, size_t i, size_t prefix_len, size_t *next)
{
	const uint8_t *s = sc->s;
	size_t n = sc->n, j = i + prefix_len;
	int depth[3] = { 0, 0, 0 };  /* () [] {} */
	while (j < n) {
		size_t len = 1;
		uint8_t b = s[j];
		if (b < 0x80) {
			unsigned cls = sc->tok->cls[b];
			if (cls == U_SPACE || cls == U_NEWLINE || b == '<' || b == '>' || b == '"')
				break;
			depth[0] += (b == '(') - (b == ')');
			depth[1] += (b == '[') - (b == ']');
			depth[2] += (b == '{') - (b == '}');
		} else {
			uint32_t cp = decode_at(s, n, j, &len);
			unsigned cls = classify_default(cp);
			if (cls == U_SPACE || cls == U_NEWLINE || cp == 0x201C || cp == 0x201D ||
			    cp == 0x00AB || cp == 0x00BB)
				break;
		}
		j += len;
	}
	while (j > i + prefix_len) {
		size_t k = prev_char_start(s, j);
		uint32_t cp = s[k];
		if (cp >= 0x80) {
			size_t len;
			cp = decode_at(s, n, k, &len);
		}
		if (cp == ')' && depth[0] < 0)
			depth[0]++;
		else if (cp == ']' && depth[1] < 0)
			depth[1]++;
		else if (cp == '}' && depth[2] < 0)
			depth[2]++;
		else if (!(cp < 0x80 ? strchr(".,;:!?'\"", (int)cp) != NULL : is_closing_mark(cp) || cp == 0x2019))
			break;
		j = k;
	}
	/* a prefix followed by nothing a URL holds ("https://“x”", "www.»") is
	 * no URL: the word it starts with (found by the fuzzer) */
	if (j == i + prefix_len)
		return scan_word(sc, i, U_LETTER, next);
	*next = j;
	sc->barrier = j;
	return emit(sc, i, put_lower(sc, i, j), TOKEN_URL);
}

static bool is_email_local(uint8_t b)
{
	return is_ascii_alnum(b) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-';
}

/* Returns the end of the domain name of an e-mail address that starts at d,
 * or 0 if there is none: labels of letters, digits and hyphens joined by
 * single dots, at least two of them, the last one two characters or more
 * with a letter (a top-level domain). */
static size_t email_domain_end(const uint8_t *s, size_t n, size_t d)
{
	if (d >= n || !is_ascii_alnum(s[d]))
		return 0;
	size_t j = d, label = d, dots = 0;
	while (j < n) {
		if (is_ascii_alnum(s[j]) || s[j] == '-') {
			j++;
		} else if (s[j] == '.' && j > label && j + 1 < n && is_ascii_alnum(s[j + 1])) {
			label = ++j;
			dots++;
		} else {
			break;
		}
	}
	while (j > label && s[j - 1] == '-')
		j--;
	if (dots == 0 || j - label < 2)
		return 0;
	for (size_t k = label; k < j; k++)
		if ((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z')
			return j;
	return 0;
}

/* An '@' at i: the end of an e-mail address local@domain.tld, whose local
 * part was scanned already as words (they are taken back), or an @handle
 * ('@' and ASCII letters, digits, underscores, as the networks allow). */
static int scan_at(struct scan *sc, size_t i, size_t *next)
{
	const uint8_t *s = sc->s;
	size_t n = sc->n;
	*next = i + 1;
	if (i > 0 && is_email_local(s[i - 1])) {
		size_t local = i;
		while (local > sc->barrier && is_email_local(s[local - 1]))
			local--;
		while (local < i && !is_ascii_alnum(s[local]))
			local++;
		size_t end = local < i ? email_domain_end(s, n, i + 1) : 0;
		if (!end)
			return 0;
		/* The local part holds no white space, so no sentence ended inside
		 * it: the address takes the sentence of the words it replaces. */
		struct token_list *list = sc->list;
		uint64_t from = input_offset(sc, local);
		while (list->n > 0 && list->items[list->n - 1].byte_offset >= from) {
			list->n--;
			list->buf_len = list->items[list->n].text;
		}
		*next = sc->barrier = sc->word_end = end;
		return emit(sc, local, put_lower(sc, local, end), TOKEN_EMAIL);
	}
	if (i == sc->word_end)
		return 0;
	size_t j = i + 1;
	while (j < n && (is_ascii_alnum(s[j]) || s[j] == '_'))
		j++;
	if (j == i + 1)
		return 0;
	*next = sc->barrier = sc->word_end = j;
	return emit(sc, i, put_lower(sc, i, j), TOKEN_HANDLE);
}

/* A '#' at i not right after a word: a hashtag is '#' and letters, marks,
 * digits and underscores with at least one letter ("#1" is not one). */
static int scan_hash(struct scan *sc, size_t i, size_t *next)
{
	*next = i + 1;
	if (i == sc->word_end)
		return 0;
	size_t j = i + 1, len;
	bool letter = false;
	for (;; j += len) {
		unsigned cls = unit_at(sc->tok, sc->s, sc->n, j, &len);
		if (cls == U_LETTER)
			letter = true;
		else if (cls != U_DIGIT && cls != U_MARK && cls != U_UNDERSCORE)
			break;
	}
	if (!letter)
		return 0;
	*next = sc->barrier = sc->word_end = j;
	return emit(sc, i, put_lower(sc, i, j), TOKEN_HASHTAG);
}

/* Default mode, one step: the unit at i < n (a word or number, a URL, an
 * e-mail address or @handle, a #hashtag, a line break, a sentence end, or a
 * separator).  Returns where the scan goes on; *err gets the error. */
static size_t default_unit(struct scan *sc, size_t i, int *err)
{
	const struct tokenizer *tok = sc->tok;
	const uint8_t *s = sc->s;
	size_t n = sc->n, len;
	unsigned cls = unit_at(tok, s, n, i, &len);
	switch (cls) {
	case U_LETTER: {
		uint8_t first = (uint8_t)(s[i] | 0x20);
		size_t prefix = first == 'h' || first == 'f' || first == 'w' ? url_prefix(tok, s + i, n - i) : 0;
		*err = prefix ? scan_url(sc, i, prefix, &i) : scan_word(sc, i, cls, &i);
		return i;
	}
	case U_DIGIT:
		*err = scan_word(sc, i, cls, &i);
		return i;
	case U_NEWLINE:
		sentence_break(sc);
		return i + len;
	case U_DOT: case U_TERM:
		return sentence_end(sc, i + len);
	case U_AT:
		*err = scan_at(sc, i, &i);
		return i;
	case U_HASH:
		*err = scan_hash(sc, i, &i);
		return i;
	default:  /* separators, and marks that follow no word */
		return i + len;
	}
}

#if defined(__SSE2__)
/* One bit per byte of a block of 64 (bit k: byte k), in the default mode. */
struct default_masks {
	uint64_t word;   /* [A-Za-z0-9] */
	uint64_t digit;  /* [0-9] */
	uint64_t high;   /* >= 0x80 */
	uint64_t join;   /* what may join or end a word's run: ' - _ . , (init_tables()) */
	uint64_t stop;   /* what the scan must look at between words: \n \r . ! ? @ # */
};

static inline void default_block(const uint8_t *s, struct default_masks *m)
{
	*m = (struct default_masks){ 0, 0, 0, 0, 0 };
	for (unsigned q = 0; q < 4; q++) {
		__m128i letter, digit;
		__m128i v = ascii_classes(s + 16 * q, &letter, &digit);
		__m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));
		__m128i join = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')),
							 _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
					    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('_')),
								      _mm_cmpeq_epi8(v, _mm_set1_epi8(','))),
							 dot));
		__m128i stop = _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
								       _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
							  _mm_or_si128(dot, _mm_cmpeq_epi8(v, _mm_set1_epi8('!')))),
					    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('?')),
							 _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('@')),
								      _mm_cmpeq_epi8(v, _mm_set1_epi8('#')))));
		m->word |= mask16(_mm_or_si128(letter, digit), q);
		m->digit |= mask16(digit, q);
		m->high |= mask16(v, q);
		m->join |= mask16(join, q);
		m->stop |= mask16(stop, q);
	}
}
#endif

/* Default mode: default_unit() from the start to the end, with the blocks
 * of scan_sklearn: a word of at most 16 ASCII letters and digits that ends
 * in the block at an ASCII byte that neither joins nor continues it, and is
 * not a URL's start, is taken from the masks (nearly every word).  The two
 * block loops are alike but kept apart: one inlined loop for both modes,
 * the mode a constant, ran sklearn mode 7% slower (bench_tokenize -n 20,
 * the best of ten runs: 662 against 711 MB/s). */
static int scan_default(struct scan *sc)
{
	size_t n = sc->n, i = 0;
	int err = 0;
#if defined(__SSE2__)
	const struct tokenizer *tok = sc->tok;
	const uint8_t *s = sc->s;
	while (scan_fast && n - i >= 80) {
		size_t b = i;
		struct default_masks m;
		default_block(s + b, &m);
		/* as in scan_sklearn: the scan stops only after a whole run of
		 * letters and digits, or a unit that is not one */
		uint64_t starts = m.word & ~(m.word << 1);
		uint64_t todo = starts | m.high | m.stop;
		i = b + 64;
		while (todo) {
			unsigned k = (unsigned)__builtin_ctzll(todo);
			if (starts >> k & 1) {
				unsigned run = (unsigned)__builtin_ctzll(~(m.word >> k) | UINT64_C(1) << 63);  /* as in scan_sklearn */
				size_t p = b + k;
				uint8_t first = (uint8_t)(s[p] | 0x20);
				if (k + run < 64 && run <= 16 && !((m.high | m.join) >> (k + run) & 1) &&
				    !((first == 'h' || first == 'f' || first == 'w') && url_prefix(tok, s + p, n - p))) {
					uint64_t in_run = (UINT64_C(1) << run) - 1;
					bool number = (m.digit >> k & in_run) == in_run;
					lower16(sc->list->buf + sc->list->buf_len, s + p);
					sc->word_end = p + run;
					if ((err = emit_short(sc, p, run, number ? TOKEN_NUMBER : TOKEN_WORD)))
						return err;
					todo &= todo - 1;
					continue;
				}
			}
			size_t next = default_unit(sc, b + k, &err);
			if (err)
				return err;
			if (next - b >= 64) {
				i = next;
				break;
			}
			todo &= ~UINT64_C(0) << (next - b);
		}
	}
#endif
	while (!err && i < n)
		i = default_unit(sc, i, &err);
	return err;
}

/* sklearn mode, one step: the unit at i < n (a maximal run of \w characters,
 * kept when two or more long: the pattern \b\w\w+\b over the lowered text;
 * a line break; a sentence terminal; or a separator).  Returns where the
 * scan goes on; *err gets emit()'s error. */
static size_t sklearn_unit(struct scan *sc, size_t i, int *err)
{
	const struct tokenizer *tok = sc->tok;
	const uint8_t *s = sc->s;
	size_t n = sc->n, len;
	unsigned cls = unit_at(tok, s, n, i, &len);
	if (cls == U_NEWLINE) {
		sentence_break(sc);
		return i + len;
	}
	if (cls == U_DOT || cls == U_TERM)
		return sentence_end(sc, i + len);
	if (cls != U_LETTER)
		return i + len;
#if defined(__SSE2__)
	/* A word of fewer than 16 ASCII characters that ends at an ASCII byte:
	 * found and lowered 16 bytes at a time.  token_list.buf has room: a
	 * token takes no more than twice its text, and 16 spare bytes follow. */
	if (n - i >= 16) {
		bool digits;
		unsigned run = ascii_run_sklearn(s + i, &digits);
		if (run < 16 && s[i + run] < 0x80) {
			if (run >= 2) {
				lower16(sc->list->buf + sc->list->buf_len, s + i);
				*err = scan_fast ? emit_short(sc, i, run, digits ? TOKEN_NUMBER : TOKEN_WORD)
						 : emit(sc, i, run, digits ? TOKEN_NUMBER : TOKEN_WORD);
			}
			return i + run;
		}
	}
#endif
	size_t start = i, out_len = 0, n_chars = 0;
	char *out = sc->list->buf + sc->list->buf_len;
	bool digits = true;
	for (;;) {
		while (i < n && tok->cls[s[i]] == U_LETTER) {
			uint8_t b = s[i++];
			digits = digits && (unsigned)(b - '0') < 10u;
			out[out_len++] = (char)tok->lower[b];
			n_chars++;
		}
		if (unit_at(tok, s, n, i, &len) != U_LETTER)
			break;
		memcpy(out + out_len, s + i, len);
		out_len += len;
		i += len;
		n_chars++;
		digits = false;
	}
	if (n_chars >= 2)
		*err = emit(sc, start, out_len, digits ? TOKEN_NUMBER : TOKEN_WORD);
	return i;
}

#if defined(__SSE2__)
/* One bit per byte of a block of 64 (bit k: byte k), in sklearn mode. */
struct block_masks {
	uint64_t word;   /* ASCII \w: [A-Za-z0-9_] (tok->cls U_LETTER below 0x80) */
	uint64_t digit;  /* [0-9] */
	uint64_t high;   /* >= 0x80: a character to decode */
	uint64_t stop;   /* what the scan must look at between words: the line
			    breaks and sentence terminals of init_tables() (\n \r . ! ?) */
};

static inline void sklearn_block(const uint8_t *s, struct block_masks *m)
{
	*m = (struct block_masks){ 0, 0, 0, 0 };
	for (unsigned q = 0; q < 4; q++) {
		__m128i letter, digit;
		__m128i v = ascii_classes(s + 16 * q, &letter, &digit);
		__m128i word = _mm_or_si128(_mm_or_si128(letter, digit), _mm_cmpeq_epi8(v, _mm_set1_epi8('_')));
		__m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
							 _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
					    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')),
							 _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('!')),
								      _mm_cmpeq_epi8(v, _mm_set1_epi8('?')))));
		m->word |= mask16(word, q);
		m->digit |= mask16(digit, q);
		m->high |= mask16(v, q);
		m->stop |= mask16(stop, q);
	}
}
#endif

/* sklearn mode: sklearn_unit() from the start to the end.  Where 80 bytes
 * remain, 64 are classified at once into bit masks, and the scan goes from
 * one word start, non-ASCII byte or sentence mark to the next by their bits:
 * the separators between words cost nothing each (one step per byte, with a
 * branch on its class, was a third of tokenizing), and a word of at most 16
 * ASCII characters that ends in the block at an ASCII byte is taken from
 * the masks.  Anything else is one sklearn_unit() step. */
static int scan_sklearn(struct scan *sc)
{
	size_t n = sc->n, i = 0;
	int err = 0;
#if defined(__SSE2__)
	const uint8_t *s = sc->s;
	while (scan_fast && n - i >= 80) {
		size_t b = i;
		struct block_masks m;
		sklearn_block(s + b, &m);
		/* A \w byte starts a run unless one comes before it.  Byte 0
		 * too: the scan stops only at the end of a whole run, or after a
		 * unit that is not \w. */
		uint64_t starts = m.word & ~(m.word << 1);
		uint64_t todo = starts | m.high | m.stop;
		i = b + 64;
		while (todo) {
			unsigned k = (unsigned)__builtin_ctzll(todo);
			if (starts >> k & 1) {
				/* the run's length: k + run < 64 when it ends in the block
				 * (bit 63 set, as ctz of 0 is undefined: a run of 64 bytes
				 * from byte 0 reads as 63, which is no short word either) */
				unsigned run = (unsigned)__builtin_ctzll(~(m.word >> k) | UINT64_C(1) << 63);
				if (k + run < 64 && run <= 16 && !(m.high >> (k + run) & 1)) {
					if (run >= 2) {
						uint64_t in_run = (UINT64_C(1) << run) - 1;
						bool digits = (m.digit >> k & in_run) == in_run;
						lower16(sc->list->buf + sc->list->buf_len, s + b + k);
						if ((err = emit_short(sc, b + k, run, digits ? TOKEN_NUMBER : TOKEN_WORD)))
							return err;
					}
					todo &= todo - 1;
					continue;
				}
			}
			size_t next = sklearn_unit(sc, b + k, &err);
			if (err)
				return err;
			if (next - b >= 64) {
				i = next;
				break;
			}
			todo &= ~UINT64_C(0) << (next - b);
		}
	}
#endif
	while (!err && i < n)
		i = sklearn_unit(sc, i, &err);
	return err;
}

int tokenizer_run(struct tokenizer *tok, const char *text, size_t len, struct token_list *list)
{
	list->n = 0;
	list->buf_len = 0;
	list->n_sentences = 0;
	const uint8_t *in = (const uint8_t *)text;
	struct scan sc = { .tok = tok, .list = list, .word_end = SIZE_MAX };
	size_t ascii = ascii_prefix(in, len);
	if (ascii == len) {
		sc.s = in;
		sc.n = len;
		sc.identity = true;
	} else {
		tok->norm_len = 0;
		tok->n_segs = 0;
		int err = tok->mode == TOK_SKLEARN ? build_sklearn(tok, in, len, ascii)
		                                   : build_default(tok, in, len, ascii);
		if (err)
			return err;
		sc.s = tok->norm;
		sc.n = tok->norm_len;
	}
	/* Each token's string and its NUL take no more bytes than twice the text
	 * it comes from, and tokens do not overlap: twice the text is room for
	 * all of them, so the scan never checks.  Stems that grow add their
	 * excess in emit().  The 16 spare bytes let emit() read 16
	 * bytes from the start of any token. */
	if (sc.n > (SIZE_MAX - 16) / 2)
		return TD_ENOMEM;
	int err = array_reserve((void **)&list->buf, &list->buf_cap, 2 * sc.n + 16, 1);
	if (err)
		return err;
	return tok->mode == TOK_SKLEARN ? scan_sklearn(&sc) : scan_default(&sc);
}
