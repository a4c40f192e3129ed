/* txtmeta.c - metadata lines at the top of a plain-text article (see
 * txtmeta.h).
 *
 * Two shapes of file are recognised:
 *  - an e-mail (RFC 822/2822 style): the file opens with a block of
 *    "Name: value" fields, continuation lines starting with white space,
 *    ended by the first blank line.  The whole block and the blank line
 *    after it are metadata, whatever the fields say (so even an unreadable
 *    Date: field is not text: it is still part of the header).  Such a
 *    block is taken as an e-mail only when it has at least two fields and
 *    at least one of them is an e-mail field (From, To, Subject, ...):
 *    an article that merely opens with "Note: ..." must not lose its first
 *    paragraph.  The block is read to its end even past
 *    TXTMETA_MAX_LINES, since Received: chains are often longer.
 *  - anything else: each of the first TXTMETA_MAX_LINES lines is looked at
 *    on its own, as listed in txtmeta.h.  A line whose date does not parse
 *    is ordinary text.
 * Everything that is not metadata is kept unchanged but for line ends,
 * which become LF (txtmeta_parse_owned: in place).
 */
#include "txtmeta.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "date.h"

/* Longest run of words tried as the date after a "date" prefix:
 * "Thu, 22 Aug 2002 12:36:23 +0100 (BST)" has seven. */
#define DATE_PREFIX_MAX_WORDS 7

struct line {
	const char *start;
	const char *end;   /* the line's content ends here, before its line end */
	const char *next;  /* the next line starts here */
	bool terminated;   /* it had a line end (the last line may not) */
};

/* Reads the line that starts at p; false at the end of the input.  A line
 * ends at LF, CRLF or a lone CR. */
static bool next_line(const char *p, const char *end, struct line *ln)
{
	if (p >= end)
		return false;
	/* memchr twice (LF, then CR before it) rather than a loop over bytes:
	 * a file may be one long line, and it is read more than once. */
	const char *q = memchr(p, '\n', (size_t)(end - p));
	if (!q)
		q = end;
	const char *cr = memchr(p, '\r', (size_t)(q - p));
	if (cr)
		q = cr;
	ln->start = p;
	ln->end = q;
	ln->terminated = q < end;
	if (q < end)
		q += (*q == '\r' && q + 1 < end && q[1] == '\n') ? 2 : 1;
	ln->next = q;
	return true;
}

static bool is_blank_char(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

static bool is_blank_line(const struct line *ln)
{
	for (const char *p = ln->start; p < ln->end; p++)
		if (!is_blank_char(*p))
			return false;
	return true;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool equals_nocase(const char *s, size_t n, const char *word)
{
	size_t len = strlen(word);
	if (n != len)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(s[i]) != word[i])
			return false;
	return true;
}

/* ---- white space ------------------------------------------------------- */

/* White space for trimming titles and names: ASCII white space, Unicode
 * space separators (no-break space is common in scraped titles), and the
 * invisible zero-width space and BOM. */
static bool is_space_codepoint(utf8proc_int32_t cp)
{
	if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v')
		return true;
	if (cp == 0x200B || cp == 0xFEFF)
		return true;
	return cp > 0x7F && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS;
}

/* Narrows [*begin, *end) to exclude surrounding white space.  Invalid
 * UTF-8 is never white space, so trimming stops at it. */
static void trim_span(const char **begin, const char **end)
{
	const char *b = *begin, *e = *end;
	while (b < e) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)b, e - b, &cp);
		if (n <= 0 || !is_space_codepoint(cp))
			break;
		b += n;
	}
	while (e > b) {
		/* Step back to the lead byte of the last character. */
		const char *s = e - 1;
		while (s > b && e - s < 4 && ((unsigned char)*s & 0xC0) == 0x80)
			s--;
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s, e - s, &cp);
		if (n != e - s || !is_space_codepoint(cp))
			break;
		e = s;
	}
	*begin = b;
	*end = e;
}

/* Copies [s, e) into a new string, unfolding header continuation lines (a
 * line end and the white space after it become one space) and trimming.
 * Sets *out to NULL when nothing is left.  Returns 0 or TD_ENOMEM. */
static int copy_value(const char *s, const char *e, char **out)
{
	*out = NULL;
	trim_span(&s, &e);
	if (s == e)
		return 0;
	char *buf = malloc((size_t)(e - s) + 1);
	if (!buf)
		return TD_ENOMEM;
	size_t n = 0;
	while (s < e) {
		if (*s == '\r' || *s == '\n') {
			while (s < e && (*s == '\r' || *s == '\n' || *s == ' ' || *s == '\t'))
				s++;
			buf[n++] = ' ';
		} else {
			buf[n++] = *s++;
		}
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

/* ---- metadata keys ----------------------------------------------------- */

enum meta_kind { META_DATE, META_TITLE, META_AUTHOR, META_SOURCE };

static const struct {
	const char *key;
	enum meta_kind kind;
	bool mail_only;  /* meaningful only in an e-mail header */
} meta_keys[] = {
	{ "date", META_DATE, false },
	{ "published", META_DATE, false },
	{ "updated", META_DATE, false },
	{ "title", META_TITLE, false },
	{ "subject", META_TITLE, true },
	{ "author", META_AUTHOR, false },
	{ "by", META_AUTHOR, false },
	{ "from", META_AUTHOR, true },
	{ "source", META_SOURCE, false },
};

/* Fields whose presence makes a header block an e-mail. */
static const char *const mail_fields[] = {
	"from", "to", "cc", "bcc", "subject", "sender", "reply-to", "message-id",
	"in-reply-to", "references", "received", "return-path", "delivered-to",
	"newsgroups", "mime-version", "content-type", "x-mailer", "user-agent",
};

static int find_key(const char *name, size_t len, bool mail)
{
	for (size_t i = 0; i < sizeof meta_keys / sizeof meta_keys[0]; i++)
		if ((mail || !meta_keys[i].mail_only) && equals_nocase(name, len, meta_keys[i].key))
			return (int)i;
	return -1;
}

static bool is_mail_field(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof mail_fields / sizeof mail_fields[0]; i++)
		if (equals_nocase(name, len, mail_fields[i]))
			return true;
	return false;
}

/* Applies the value [s, e) of key number `key` to meta: the first value of
 * each kind wins.  Returns 1 when the value is usable (a date that parses,
 * a non-empty string), 0 when it is not, or TD_ENOMEM. */
static int apply_key(struct txtmeta *meta, int key, const char *s, const char *e)
{
	char *value;
	int rc = copy_value(s, e, &value);
	if (rc < 0)
		return rc;
	if (!value)
		return 0;
	char **slot = NULL;
	switch (meta_keys[key].kind) {
	case META_DATE: {
		int32_t days;
		rc = date_parse(value, strlen(value), &days) == 0;
		if (rc && !meta->has_date) {
			meta->has_date = true;
			meta->date = days;
		}
		free(value);
		return rc;
	}
	case META_TITLE: slot = &meta->title; break;
	case META_AUTHOR: slot = &meta->author; break;
	case META_SOURCE: slot = &meta->source; break;
	}
	if (*slot)
		free(value);
	else
		*slot = value;
	return 1;
}

/* ---- e-mail headers ---------------------------------------------------- */

/* Length of the field name of a "Name: value" header line (RFC 5322
 * printable ASCII but for the colon, then the colon), or 0. */
static size_t field_name_len(const struct line *ln)
{
	const char *p = ln->start;
	while (p < ln->end && *p > ' ' && *p < 127 && *p != ':')
		p++;
	if (p == ln->start || p >= ln->end || *p != ':')
		return 0;
	return (size_t)(p - ln->start);
}

/* When the input opens with an e-mail header block, returns where the body
 * starts (after the blank line); otherwise NULL. */
static const char *mail_body(const char *p, const char *end)
{
	struct line ln;
	size_t n_fields = 0;
	bool mail = false;
	while (next_line(p, end, &ln)) {
		p = ln.next;
		if (is_blank_line(&ln))
			break;
		if (is_blank_char(*ln.start)) {
			if (n_fields == 0)
				return NULL;
			continue;
		}
		size_t name_len = field_name_len(&ln);
		if (name_len == 0)
			return NULL;
		n_fields++;
		mail = mail || is_mail_field(ln.start, name_len);
	}
	return n_fields >= 2 && mail ? p : NULL;
}

/* Reads every field of the header block [p, body); all of it is metadata. */
static int apply_mail_header(struct txtmeta *meta, const char *p, const char *body)
{
	struct line ln;
	bool have = next_line(p, body, &ln);
	while (have && !is_blank_line(&ln)) {
		const char *name = ln.start;
		size_t name_len = field_name_len(&ln);
		const char *value = name + name_len + 1;
		const char *value_end = ln.end;
		/* Gather continuation lines. */
		while ((have = next_line(ln.next, body, &ln)) && !is_blank_line(&ln) &&
		       is_blank_char(*ln.start))
			value_end = ln.end;
		int key = find_key(name, name_len, true);
		if (key >= 0) {
			int rc = apply_key(meta, key, value, value_end);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* ---- article lines ----------------------------------------------------- */

/* "1790" or "2025-02" alone on a line is more likely a heading or a number
 * than a dateline, so a lone date must name a day. */
static bool is_year_or_month(const char *s, const char *e)
{
	size_t n = (size_t)(e - s);
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (i == 4 && s[i] == '-')))
			return false;
	return n == 4 || n == 7;
}

/* The outcome for one line of an article. */
struct line_meta {
	bool remove;           /* the whole line is metadata */
	const char *keep_from; /* when not removed, the text kept starts here */
};

/* "date <date> rest": tries the longest run of words after "date" that is a
 * date, so that "date 2025-02-18 22:30 Title" and "date Feb 26, 2025 Title"
 * both work.  Returns 1 and sets *rest when it is one, 0 when not. */
static int date_prefix(struct txtmeta *meta, const char *s, const char *e, const char **rest)
{
	if (e - s < 5 || !equals_nocase(s, 4, "date") || !is_blank_char(s[4]))
		return 0;
	const char *value = s + 4;
	while (value < e && is_blank_char(*value))
		value++;
	const char *word_end[DATE_PREFIX_MAX_WORDS];
	int n_words = 0;
	const char *p = value;
	while (n_words < DATE_PREFIX_MAX_WORDS && p < e) {
		while (p < e && !is_blank_char(*p))
			p++;
		word_end[n_words++] = p;
		while (p < e && is_blank_char(*p))
			p++;
	}
	for (int i = n_words - 1; i >= 0; i--) {
		int32_t days;
		if (date_parse(value, (size_t)(word_end[i] - value), &days) == 0) {
			if (!meta->has_date) {
				meta->has_date = true;
				meta->date = days;
			}
			p = word_end[i];
			while (p < e && is_blank_char(*p))
				p++;
			*rest = p;
			return 1;
		}
	}
	return 0;
}

/* Looks at one of the first lines of an article. */
static int classify_line(struct txtmeta *meta, const struct line *ln, struct line_meta *out)
{
	out->remove = false;
	out->keep_from = ln->start;
	const char *s = ln->start, *e = ln->end;
	while (s < e && is_blank_char(*s))
		s++;
	while (e > s && is_blank_char(e[-1]))
		e--;
	if (s == e)
		return 0;

	const char *rest;
	if (date_prefix(meta, s, e, &rest)) {
		if (rest == e)
			out->remove = true;
		else
			out->keep_from = rest;
		return 0;
	}

	const char *colon = s;
	while (colon < e && ((*colon >= 'a' && *colon <= 'z') || (*colon >= 'A' && *colon <= 'Z')))
		colon++;
	if (colon > s && colon < e && *colon == ':') {
		int key = find_key(s, (size_t)(colon - s), false);
		if (key >= 0) {
			int rc = apply_key(meta, key, colon + 1, e);
			if (rc < 0)
				return rc;
			out->remove = rc == 1;
			return 0;
		}
	}

	int32_t days;
	if (!is_year_or_month(s, e) && date_parse(s, (size_t)(e - s), &days) == 0) {
		if (!meta->has_date) {
			meta->has_date = true;
			meta->date = days;
		}
		out->remove = true;
	}
	return 0;
}

/* Writes [s, e) at out, turning CRLF and lone CR into LF; returns the bytes
 * written.  out may be s itself or lie before it (the text is rewritten in
 * place): each piece is written no further on than where it was read. */
static size_t copy_text(char *out, const char *s, const char *e)
{
	size_t n = 0;
	while (s < e) {
		const char *cr = memchr(s, '\r', (size_t)(e - s));
		const char *stop = cr ? cr : e;
		if (out + n != s)
			memmove(out + n, s, (size_t)(stop - s));
		n += (size_t)(stop - s);
		if (!cr)
			break;
		out[n++] = '\n';
		s = cr + 1;
		if (s < e && *s == '\n')
			s++;
	}
	return n;
}

/* The most of a first line copied as the fallback title: the reader keeps
 * 200 bytes of a title anyway, and a speech on one line is 100 KB. */
#define FALLBACK_TITLE_MAX 1024

/* The first non-empty line of the output text, as the fallback title (its
 * first FALLBACK_TITLE_MAX bytes at most, cut at a character boundary). */
static int title_from_text(struct txtmeta *meta)
{
	const char *p = meta->text, *end = meta->text + meta->text_len;
	struct line ln;
	while (next_line(p, end, &ln)) {
		const char *s = ln.start, *e = ln.end;
		trim_span(&s, &e);
		if (e - s > FALLBACK_TITLE_MAX) {
			e = s + FALLBACK_TITLE_MAX;
			while (e > s && ((unsigned char)*e & 0xC0) == 0x80)
				e--;
		}
		if (s < e)
			return copy_value(s, e, &meta->title);
		p = ln.next;
	}
	return 0;
}

void txtmeta_free(struct txtmeta *meta)
{
	if (!meta)
		return;
	free(meta->title);
	free(meta->author);
	free(meta->source);
	free(meta->text);
	memset(meta, 0, sizeof *meta);
}

int txtmeta_parse(const char *text, size_t len, struct txtmeta *meta)
{
	memset(meta, 0, sizeof *meta);
	if (len == SIZE_MAX)
		return TD_ENOMEM;
	char *copy = malloc(len + 1);
	if (!copy)
		return TD_ENOMEM;
	if (len)
		memcpy(copy, text, len);
	return txtmeta_parse_owned(copy, len, meta);
}

/* The body is written over the input as it is read: every line is written
 * at or before the place it was read from (metadata lines go, line ends get
 * no longer), and a line is read (its metadata copied out) before anything
 * is written over it. */
int txtmeta_parse_owned(char *text, size_t len, struct txtmeta *meta)
{
	memset(meta, 0, sizeof *meta);
	meta->text = text;
	if (len == 0) {
		meta->text[0] = '\0';
		return 0;
	}

	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;

	int rc = 0;
	size_t n = 0;
	const char *body = mail_body(p, end);
	if (body) {
		rc = apply_mail_header(meta, p, body);
		if (rc < 0)
			goto fail;
		p = body;
	} else {
		struct line ln;
		for (int i = 0; i < TXTMETA_MAX_LINES && next_line(p, end, &ln); i++) {
			struct line_meta lm;
			rc = classify_line(meta, &ln, &lm);
			if (rc < 0)
				goto fail;
			if (!lm.remove) {
				if (meta->text + n != lm.keep_from)
					memmove(meta->text + n, lm.keep_from, (size_t)(ln.end - lm.keep_from));
				n += (size_t)(ln.end - lm.keep_from);
				if (ln.terminated)
					meta->text[n++] = '\n';
			}
			p = ln.next;
		}
	}
	n += copy_text(meta->text + n, p, end);
	meta->text[n] = '\0';
	meta->text_len = n;

	if (!meta->title) {
		rc = title_from_text(meta);
		if (rc < 0)
			goto fail;
	}
	return 0;

fail:
	txtmeta_free(meta);
	return rc;
}
