/* html.c - tags removed, entities decoded (see html.h). */
#include "html.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* HTML 4's Latin-1 entities, U+00A0 to U+00FF in order. */
static const char *const latin1_names[96] = {
	"nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect",
	"uml", "copy", "ordf", "laquo", "not", "shy", "reg", "macr",
	"deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
	"cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
	"Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
	"Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml",
	"ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times",
	"Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
	"agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
	"egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml",
	"eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
	"oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
};

/* The markup characters and HTML 4's special and common symbol entities. */
static const struct {
	const char *name;
	int32_t cp;
} other_entities[] = {
	{ "quot", 34 }, { "amp", 38 }, { "apos", 39 }, { "lt", 60 }, { "gt", 62 },
	{ "OElig", 338 }, { "oelig", 339 }, { "Scaron", 352 }, { "scaron", 353 }, { "Yuml", 376 },
	{ "fnof", 402 }, { "circ", 710 }, { "tilde", 732 }, { "ensp", 8194 }, { "emsp", 8195 },
	{ "thinsp", 8201 }, { "zwnj", 8204 }, { "zwj", 8205 }, { "lrm", 8206 }, { "rlm", 8207 },
	{ "ndash", 8211 }, { "mdash", 8212 }, { "lsquo", 8216 }, { "rsquo", 8217 }, { "sbquo", 8218 },
	{ "ldquo", 8220 }, { "rdquo", 8221 }, { "bdquo", 8222 }, { "dagger", 8224 }, { "Dagger", 8225 },
	{ "bull", 8226 }, { "hellip", 8230 }, { "permil", 8240 }, { "prime", 8242 }, { "Prime", 8243 },
	{ "lsaquo", 8249 }, { "rsaquo", 8250 }, { "oline", 8254 }, { "frasl", 8260 }, { "euro", 8364 },
	{ "trade", 8482 }, { "larr", 8592 }, { "uarr", 8593 }, { "rarr", 8594 }, { "darr", 8595 },
	{ "harr", 8596 }, { "minus", 8722 }, { "infin", 8734 }, { "asymp", 8776 }, { "ne", 8800 },
	{ "le", 8804 }, { "ge", 8805 },
};

/* Windows-1252's 0x80-0x9F, which HTML5 gives to &#128; ... &#159;
 * (0: undefined, U+FFFD). */
static const uint16_t numeric_c1[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* Tags that end a line in a browser: they become "\n". */
static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "div", "dl", "dt",
	"figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header",
	"hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
	"th", "thead", "title", "tr", "ul",
};

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Whether the n bytes at p equal the lowercase word, ignoring case. */
static bool name_is(const char *p, size_t n, const char *word)
{
	if (strlen(word) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)p[i]) != (unsigned char)word[i])
			return false;
	return true;
}

static bool is_block(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof block_tags / sizeof *block_tags; i++)
		if (name_is(name, n, block_tags[i]))
			return true;
	return false;
}

/* The first occurrence of the bytes of needle (n bytes) in p[0, len), or NULL. */
static const char *find(const char *p, size_t len, const char *needle, size_t n)
{
	for (size_t i = 0; i + n <= len; i++) {
		if (p[i] != needle[0])
			continue;
		if (memcmp(p + i, needle, n) == 0)
			return p + i;
	}
	return NULL;
}

/* Where a closing </name (any case, then a character that ends a name)
 * starts in p[0, len), or NULL. */
static const char *find_close(const char *p, size_t len, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i + 2 + n <= len; i++) {
		if (p[i] != '<' || p[i + 1] != '/' || !name_is(p + i + 2, n, name))
			continue;
		if (i + 2 + n == len || !is_alpha((unsigned char)p[i + 2 + n]))
			return p + i;
	}
	return NULL;
}

/* A tag at p ('<'): its length up to and including '>', its name, and
 * whether it closes (</x>) or closes itself (<x/>); 0 when it is no tag.
 * The scan stops at the first '<', so that failed tries add up to a linear
 * walk of the text. */
static size_t tag_length(const char *p, size_t len, const char **name, size_t *name_len, bool *closing,
			 bool *self_closing)
{
	size_t i = 1;
	*closing = false;
	if (i < len && p[i] == '/') {
		*closing = true;
		i++;
	}
	if (i >= len || !is_alpha((unsigned char)p[i]))
		return 0;
	*name = p + i;
	while (i < len && (is_alpha((unsigned char)p[i]) || is_digit((unsigned char)p[i]) || p[i] == '-' ||
			   p[i] == ':'))
		i++;
	*name_len = (size_t)(p + i - *name);
	if (i < len && !is_space((unsigned char)p[i]) && p[i] != '/' && p[i] != '>')
		return 0;  /* "<a1b" is text; "<b>", "<br/>", "<a href" are tags */
	char quote = 0;
	bool after_equals = false;
	for (; i < len; i++) {
		char c = p[i];
		if (c == '<')
			return 0;
		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '>') {
			*self_closing = p[i - 1] == '/';
			return i + 1;
		}
		if ((c == '"' || c == '\'') && after_equals) {
			quote = c;
			after_equals = false;
		} else if (c == '=') {
			after_equals = true;
		} else if (!is_space((unsigned char)c)) {
			after_equals = false;
		}
	}
	return 0;
}

/* An entity at p ('&'): its length and code point, or 0. */
static size_t entity_length(const char *p, size_t len, int32_t *cp)
{
	size_t i = 1;
	if (i < len && p[i] == '#') {
		i++;
		bool hex = i < len && (p[i] == 'x' || p[i] == 'X');
		i += hex;
		size_t start = i;
		uint32_t value = 0;
		for (; i < len && i - start < 8; i++) {
			unsigned char c = (unsigned char)p[i];
			unsigned d;
			if (is_digit(c))
				d = c - '0';
			else if (hex && lower(c) >= 'a' && lower(c) <= 'f')
				d = lower(c) - 'a' + 10;
			else
				break;
			value = value * (hex ? 16 : 10) + d;
		}
		if (i == start || i >= len || p[i] != ';')
			return 0;
		if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
			*cp = 0xFFFD;
		else if (value >= 0x80 && value <= 0x9F)
			*cp = numeric_c1[value - 0x80] ? numeric_c1[value - 0x80] : 0xFFFD;
		else
			*cp = (int32_t)value;
		return i + 1;
	}
	size_t start = i;
	while (i < len && i - start <= 8 && (is_alpha((unsigned char)p[i]) || is_digit((unsigned char)p[i])))
		i++;
	size_t n = i - start;
	if (n == 0 || i >= len || p[i] != ';')
		return 0;
	for (size_t k = 0; k < 96; k++)
		if (strlen(latin1_names[k]) == n && memcmp(latin1_names[k], p + start, n) == 0) {
			*cp = 0xA0 + (int32_t)k;
			return i + 1;
		}
	for (size_t k = 0; k < sizeof other_entities / sizeof *other_entities; k++)
		if (strlen(other_entities[k].name) == n && memcmp(other_entities[k].name, p + start, n) == 0) {
			*cp = other_entities[k].cp;
			return i + 1;
		}
	return 0;
}

int html_strip(const char *in, size_t len, char **out, size_t *out_len, size_t *n_tags)
{
	char *buf = malloc(len + 1);
	if (!buf)
		return TD_ENOMEM;
	size_t at = 0, tags = 0, i = 0;
	while (i < len) {
		char c = in[i];
		if (c != '<' && c != '&') {
			buf[at++] = c;
			i++;
			continue;
		}
		const char *p = in + i;
		size_t rest = len - i;
		if (c == '&') {
			int32_t cp;
			size_t n = entity_length(p, rest, &cp);
			if (n == 0) {
				buf[at++] = c;
				i++;
			} else {
				at += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)buf + at);
				i += n;
			}
			continue;
		}
		if (rest >= 4 && memcmp(p, "<!--", 4) == 0) {
			const char *end = find(p + 4, rest - 4, "-->", 3);
			i = end ? (size_t)(end + 3 - in) : len;  /* unclosed: to the end */
			tags++;
			continue;
		}
		if (rest >= 2 && (p[1] == '?' || (p[1] == '!' && rest >= 3 && is_alpha((unsigned char)p[2])))) {
			/* up to '>', with no '<' before it: a failed try stops at the next '<' */
			const char *lt = memchr(p + 1, '<', rest - 1);
			const char *gt = memchr(p, '>', lt ? (size_t)(lt - p) : rest);
			if (gt) {
				i = (size_t)(gt + 1 - in);
				tags++;
				continue;
			}
			buf[at++] = c;
			i++;
			continue;
		}
		const char *name = NULL;
		size_t name_len = 0;
		bool closing, self_closing = false;
		size_t n = tag_length(p, rest, &name, &name_len, &closing, &self_closing);
		if (n == 0) {
			buf[at++] = c;
			i++;
			continue;
		}
		tags++;
		i += n;
		if (is_block(name, name_len) && at > 0 && buf[at - 1] != '\n')
			buf[at++] = '\n';
		const char *raw = name_is(name, name_len, "script") ? "script"
				  : name_is(name, name_len, "style") ? "style" : NULL;
		if (raw && !closing && !self_closing) {
			/* the contents are code, not text: skip to the closing tag */
			const char *end = find_close(in + i, len - i, raw);
			if (!end) {
				i = len;
				continue;
			}
			i = (size_t)(end - in);
			const char *close_name;
			size_t close_name_len;
			bool close_closing, close_self = false;
			size_t m = tag_length(end, len - i, &close_name, &close_name_len, &close_closing, &close_self);
			if (m) {
				tags++;
				i += m;
			} else {
				i += 2 + strlen(raw);  /* "</script" without its '>' */
			}
		}
	}
	buf[at] = '\0';
	*out = buf;
	*out_len = at;
	*n_tags = tags;
	return 0;
}
