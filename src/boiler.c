/* boiler.c - removal of site furniture ("boilerplate") lines (see boiler.h).
 *
 * Two hash tables, both open addressing with linear probing over a power-of-two
 * number of slots:
 *   - the line counts of the first pass, keyed by a 64-bit hash of the
 *     normalised line.  A line's text is kept (in one growing arena) only once
 *     it has been seen in two documents, so the memory for text grows with the
 *     repeated lines, not with the whole corpus; the slots themselves are 24
 *     bytes per distinct line.
 *   - the removed lines of the second pass, for boiler_report.
 * The phrases of the list sit in a third, small table (whole-line phrases)
 * and an array (prefix phrases, compared with memcmp).
 */
#include "boiler.h"

#include "array.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "hash.h"

/* Any fixed value: hashes never leave this file. */
#define BOILER_SEED UINT64_C(0x626f696c65727031)

/* NFKC and case folding as the header promises; IGNORE also drops default-
 * ignorable code points (zero-width space, soft hyphen, a BOM at the start of
 * a file), which are invisible and would otherwise make equal-looking lines
 * differ. */
#define BOILER_UTF8PROC_OPTS                                                             \
	((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |      \
			     UTF8PROC_CASEFOLD | UTF8PROC_IGNORE))

/* A distinct normalised line of the first pass.  n_docs == 0 marks a free
 * slot.  text is an offset into the text arena, 0 while the text is not kept. */
struct line_slot {
	uint64_t hash;
	uint32_t n_docs;
	uint32_t last_doc;  /* the last document that counted it (once per document) */
	size_t text;
};

/* A distinct removed line, for boiler_report. */
struct removed_line {
	char *text;
	size_t len;
	size_t n_docs;
	size_t last_strip;  /* the last boiler_strip call that removed it */
	enum boiler_reason why;
};

struct phrase {
	char *text;
	size_t len;
	uint64_t hash;
};

struct boiler {
	double min_frac;
	size_t n_docs;       /* documents counted (and merged) */
	size_t threshold;    /* SIZE_MAX until boiler_finish */
	size_t n_strips;     /* boiler_strip calls so far */

	struct line_slot *lines;
	size_t lines_cap, lines_used;  /* cap is 0 or a power of two */
	char *arena;                   /* NUL-terminated texts; offset 0 unused */
	size_t arena_len, arena_cap;

	struct phrase *whole;          /* whole-line phrases */
	size_t n_whole;
	uint32_t *whole_index;         /* open addressing over whole[], 0 free, else i + 1 */
	size_t whole_cap;
	struct phrase *prefix;         /* prefix phrases ('*' removed) */
	size_t n_prefix;

	struct removed_line *removed;  /* in order of first removal */
	size_t n_removed, cap_removed;
	uint32_t *removed_index;       /* open addressing over removed[], 0 free, else i + 1 */
	size_t removed_index_cap;

	char *norm;                    /* the normalised line being worked on */
	size_t norm_cap;
	utf8proc_int32_t *u32;         /* scratch for utf8proc, u32_cap + 1 entries */
	size_t u32_cap;
};

/* ---- normalisation ---- */

/* Returns the byte length of the white-space character at p (before end), or
 * 0.  After NFKC most Unicode spaces are already U+0020; the others are listed
 * here, and U+00A0 and U+2000..U+200A also for lines that are not valid UTF-8
 * and skip NFKC. */
static size_t space_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	if (c == ' ' || (c >= '\t' && c <= '\r'))
		return 1;
	if (c < 0xc2)
		return 0;
	size_t left = (size_t)(end - p);
	if (c == 0xc2 && left >= 2 && (p[1] == 0x85 || p[1] == 0xa0))
		return 2;  /* NEL, NO-BREAK SPACE */
	if (left < 3)
		return 0;
	if (c == 0xe1 && p[1] == 0x9a && p[2] == 0x80)
		return 3;  /* OGHAM SPACE MARK */
	if (c == 0xe2 && p[1] == 0x80 &&
	    (p[2] <= 0x8a || p[2] == 0xa8 || p[2] == 0xa9 || p[2] == 0xaf))
		return 3;  /* EN QUAD..HAIR SPACE, LINE/PARAGRAPH SEPARATOR, NARROW NBSP */
	if (c == 0xe2 && p[1] == 0x81 && p[2] == 0x9f)
		return 3;  /* MEDIUM MATHEMATICAL SPACE */
	if (c == 0xe3 && p[1] == 0x80 && p[2] == 0x80)
		return 3;  /* IDEOGRAPHIC SPACE */
	return 0;
}

/* Appends src (already NFKC and case folded unless fold) to b->norm with runs
 * of white space as one space and no leading space; fold lower-cases ASCII and
 * Latin-1 capitals on the way (the fast path and the invalid-UTF-8 path).
 * b->norm must hold len + 1 bytes.  Returns the length written. */
static size_t collapse(struct boiler *b, const unsigned char *src, size_t len, bool fold)
{
	const unsigned char *p = src, *end = src + len;
	char *out = b->norm;
	size_t n = 0;
	bool pending_space = false;
	while (p < end) {
		if (*p > ' ' && *p < 0x7f && !pending_space) {  /* the common case first */
			unsigned char c = *p++;
			out[n++] = (char)(fold && c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
			continue;
		}
		size_t sp = space_len(p, end);
		if (sp) {
			pending_space = n > 0;
			p += sp;
			continue;
		}
		if (pending_space) {
			out[n++] = ' ';
			pending_space = false;
		}
		unsigned char c = *p++;
		if (fold && c >= 'A' && c <= 'Z') {
			c = (unsigned char)(c - 'A' + 'a');
		} else if (fold && c == 0xc3 && p < end && *p >= 0x80 && *p <= 0x9e && *p != 0x97) {
			out[n++] = (char)c;  /* U+00C0..U+00DE but U+00D7: +0x20 folds */
			c = (unsigned char)(*p++ + 0x20);
		}
		out[n++] = (char)c;
	}
	/* Trailing white space was never written; now drop trailing . : ; and any
	 * space they uncover ("Share :" is "share"). */
	while (n > 0 && (out[n - 1] == '.' || out[n - 1] == ':' || out[n - 1] == ';' ||
			 out[n - 1] == ' '))
		n--;
	out[n] = '\0';
	return n;
}

/* Whether NFKC + case folding of the line is what collapse(fold) does: the
 * line is ASCII but for code points that NFKC leaves alone, that fold to
 * themselves or (Latin-1 capitals) to the code point 0x20 above, and that
 * never compose with a neighbour: typographic quotes and dashes, bullets,
 * guillemets, currency, Latin-1 letters but ß.  U+00A0 becomes a space in
 * NFKC and collapse() treats it as one.  Without this, the curly quotes of
 * almost every line of news text would send it through utf8proc, which took
 * 70% of the time. */
static bool fast_path_ok(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] < 0x80)
			continue;
		if (i + 1 < len && s[i] == 0xc2 &&
		    (s[i + 1] == 0xa0 || s[i + 1] == 0xa3 || s[i + 1] == 0xab || s[i + 1] == 0xb0 ||
		     s[i + 1] == 0xbb)) {
			i++;  /* NBSP, pound, guillemets, degree */
		} else if (i + 1 < len && s[i] == 0xc3 && s[i + 1] >= 0x80 && s[i + 1] <= 0xbf &&
			   s[i + 1] != 0x9f) {
			i++;  /* Latin-1 letters, times and divide; not sharp s */
		} else if (i + 2 < len && s[i] == 0xe2 && s[i + 1] == 0x80 &&
			   ((s[i + 2] >= 0x93 && s[i + 2] <= 0x94) || (s[i + 2] >= 0x98 && s[i + 2] <= 0x9f) ||
			    s[i + 2] == 0xa2)) {
			i += 2;  /* en and em dash, quotes, bullet */
		} else if (i + 2 < len && s[i] == 0xe2 && s[i + 1] == 0x82 && s[i + 2] == 0xac) {
			i += 2;  /* euro */
		} else {
			return false;
		}
	}
	return true;
}

/* Normalises one line (len bytes, no line end) into b->norm and sets *out_len.
 * Returns 0 or TD_ENOMEM. */
static int normalise(struct boiler *b, const char *line, size_t len, size_t *out_len)
{
	const unsigned char *src = (const unsigned char *)line;
	if (fast_path_ok(src, len)) {
		/* NFKC is the identity on these lines and case folding is lower-
		 * casing, so most lines of English text need no utf8proc call. */
		if (array_reserve((void **)&b->norm, &b->norm_cap, len + 1, 1))
			return TD_ENOMEM;
		*out_len = collapse(b, src, len, true);
		return 0;
	}
	if (len > (size_t)PTRDIFF_MAX / 8)
		return TD_ENOMEM;  /* utf8proc takes signed lengths */
	utf8proc_ssize_t n;
	for (;;) {
		n = utf8proc_decompose(src, (utf8proc_ssize_t)len, b->u32, (utf8proc_ssize_t)b->u32_cap,
				       BOILER_UTF8PROC_OPTS);
		if (n < 0 || (size_t)n <= b->u32_cap)
			break;
		/* One more entry: utf8proc_reencode writes a NUL after the text. */
		size_t cap = (size_t)n;
		if (cap >= SIZE_MAX / sizeof *b->u32)
			return TD_ENOMEM;
		void *p = realloc(b->u32, (cap + 1) * sizeof *b->u32);
		if (!p)
			return TD_ENOMEM;
		b->u32 = p;
		b->u32_cap = cap;
	}
	if (n == 0) {  /* only ignorable code points */
		if (array_reserve((void **)&b->norm, &b->norm_cap, 1, 1))
			return TD_ENOMEM;
		b->norm[0] = '\0';
		*out_len = 0;
		return 0;
	}
	if (n > 0)
		n = utf8proc_reencode(b->u32, n, BOILER_UTF8PROC_OPTS);
	if (n < 0) {
		/* Not valid UTF-8: compare the bytes as they are, so that such a
		 * line can still be counted and matched. */
		if (array_reserve((void **)&b->norm, &b->norm_cap, len + 1, 1))
			return TD_ENOMEM;
		*out_len = collapse(b, src, len, true);
		return 0;
	}
	if (array_reserve((void **)&b->norm, &b->norm_cap, (size_t)n + 1, 1))
		return TD_ENOMEM;
	*out_len = collapse(b, (const unsigned char *)b->u32, (size_t)n, false);
	return 0;
}

static uint64_t line_hash(const char *text, size_t len)
{
	return hash_bytes(text, len, BOILER_SEED);
}

/* ---- the line-count table ---- */

static const char *slot_text(const struct boiler *b, const struct line_slot *s)
{
	return s->text ? b->arena + s->text : NULL;
}

static bool text_equal(const char *stored, const char *text, size_t len)
{
	return memcmp(stored, text, len) == 0 && stored[len] == '\0';
}

/* Finds the slot of (hash, text) in b->lines, or the free slot where it goes.
 * A slot whose text is not kept yet matches any text with its hash: the line
 * was seen in one document only and its text is unknown; a 64-bit collision
 * there costs at most one count.  A slot with text matches only that text, so
 * a collision never removes a line that is not the repeated one.  text may be
 * NULL (a merged slot whose text is unknown): then the hash decides. */
static struct line_slot *find_line(struct boiler *b, uint64_t hash, const char *text, size_t len)
{
	size_t mask = b->lines_cap - 1;
	for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
		struct line_slot *s = &b->lines[i];
		if (s->n_docs == 0)
			return s;
		if (s->hash != hash)
			continue;
		if (!s->text || !text || text_equal(slot_text(b, s), text, len))
			return s;
	}
}

/* Makes room for one more line (load at most 1/2). */
static int grow_lines(struct boiler *b)
{
	if (b->lines_cap && (b->lines_used + 1) * 2 <= b->lines_cap)
		return 0;
	size_t cap = b->lines_cap ? b->lines_cap * 2 : 1024;
	if (cap > SIZE_MAX / sizeof(struct line_slot))
		return TD_ENOMEM;
	struct line_slot *lines = calloc(cap, sizeof *lines);
	if (!lines)
		return TD_ENOMEM;
	struct line_slot *old = b->lines;
	size_t old_cap = b->lines_cap;
	b->lines = lines;
	b->lines_cap = cap;
	/* Re-insert by hash and text: two slots that share a hash keep apart. */
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].n_docs == 0)
			continue;
		size_t mask = cap - 1, j = (size_t)old[i].hash & mask;
		while (lines[j].n_docs)
			j = (j + 1) & mask;
		lines[j] = old[i];
	}
	free(old);
	return 0;
}

/* Copies text into the arena and returns its offset, or 0 on failure. */
static size_t arena_add(struct boiler *b, const char *text, size_t len)
{
	if (len >= SIZE_MAX - b->arena_len - 2)
		return 0;
	if (array_reserve((void **)&b->arena, &b->arena_cap, b->arena_len + len + 1 + (b->arena_len == 0), 1))
		return 0;
	if (b->arena_len == 0)
		b->arena[b->arena_len++] = '\0';  /* offset 0 means "no text" */
	size_t off = b->arena_len;
	memcpy(b->arena + off, text, len);
	b->arena[off + len] = '\0';
	b->arena_len += len + 1;
	return off;
}

/* ---- phrases ---- */

static struct phrase *find_whole(const struct boiler *b, uint64_t hash, const char *text, size_t len)
{
	if (!b->whole_cap)
		return NULL;
	size_t mask = b->whole_cap - 1;
	for (size_t i = (size_t)hash & mask; b->whole_index[i]; i = (i + 1) & mask) {
		struct phrase *p = &b->whole[b->whole_index[i] - 1];
		if (p->hash == hash && p->len == len && memcmp(p->text, text, len) == 0)
			return p;
	}
	return NULL;
}

static bool matches_phrase(const struct boiler *b, uint64_t hash, const char *text, size_t len)
{
	if (find_whole(b, hash, text, len))
		return true;
	for (size_t i = 0; i < b->n_prefix; i++) {
		const struct phrase *p = &b->prefix[i];
		if (p->len <= len && p->text[0] == text[0] && memcmp(p->text, text, p->len) == 0)
			return true;
	}
	return false;
}

/* Adds one phrase of the list (already normalised in b->norm). */
static int add_phrase(struct boiler *b, const char *text, size_t len, bool is_prefix, size_t *cap_whole,
		      size_t *cap_prefix)
{
	uint64_t hash = line_hash(text, len);
	if (!is_prefix && find_whole(b, hash, text, len))
		return 0;  /* listed twice */
	char *copy = malloc(len + 1);
	if (!copy)
		return TD_ENOMEM;
	memcpy(copy, text, len + 1);
	struct phrase ph = { .text = copy, .len = len, .hash = hash };
	if (is_prefix) {
		if (array_reserve((void **)&b->prefix, cap_prefix, b->n_prefix + 1, sizeof *b->prefix)) {
			free(copy);
			return TD_ENOMEM;
		}
		b->prefix[b->n_prefix++] = ph;
		return 0;
	}
	if (array_reserve((void **)&b->whole, cap_whole, b->n_whole + 1, sizeof *b->whole)) {
		free(copy);
		return TD_ENOMEM;
	}
	b->whole[b->n_whole++] = ph;
	if ((b->n_whole + 1) * 2 > b->whole_cap) {
		size_t cap = b->whole_cap ? b->whole_cap * 2 : 64;
		uint32_t *index = calloc(cap, sizeof *index);
		if (!index)
			return TD_ENOMEM;  /* the phrase stays in whole[] and is freed with it */
		free(b->whole_index);
		b->whole_index = index;
		b->whole_cap = cap;
		for (size_t i = 0; i + 1 < b->n_whole; i++) {
			size_t j = (size_t)b->whole[i].hash & (cap - 1);
			while (index[j])
				j = (j + 1) & (cap - 1);
			index[j] = (uint32_t)(i + 1);
		}
	}
	size_t j = (size_t)hash & (b->whole_cap - 1);
	while (b->whole_index[j])
		j = (j + 1) & (b->whole_cap - 1);
	b->whole_index[j] = (uint32_t)b->n_whole;
	return 0;
}

/* Reads the phrase list: one phrase a line, '#' comments and blank lines
 * ignored, a final '*' making the phrase a prefix. */
static int load_phrases(struct boiler *b, const char *list, size_t len, struct td_diag *diag)
{
	size_t cap_whole = 0, cap_prefix = 0, line_no = 0;
	const char *p = list, *end = list + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;
		const char *next = eol ? eol + 1 : end;
		line_no++;
		while (p < line_end && (*p == ' ' || *p == '\t'))
			p++;
		while (line_end > p && (line_end[-1] == '\r' || line_end[-1] == ' ' || line_end[-1] == '\t'))
			line_end--;
		if (p == line_end || *p == '#') {
			p = next;
			continue;
		}
		bool is_prefix = line_end[-1] == '*';
		size_t n;
		int rc = normalise(b, p, (size_t)(line_end - p) - is_prefix, &n);
		if (rc)
			return td_fail(diag, rc, "boilerplate list: %s", td_strerror(rc));
		if (n == 0) {
			/* An empty prefix would remove every line. */
			td_warn(diag, "boilerplate list: line %zu: empty phrase ignored", line_no);
		} else if ((rc = add_phrase(b, b->norm, n, is_prefix, &cap_whole, &cap_prefix))) {
			return td_fail(diag, rc, "boilerplate list: %s", td_strerror(rc));
		}
		p = next;
	}
	return 0;
}

/* ---- public functions ---- */

int boiler_new(struct boiler **out, const char *phrases, size_t len, double min_frac,
	       struct td_diag *diag)
{
	*out = NULL;
	if (!(min_frac >= 0.0 && min_frac <= 1.0))  /* also rejects NaN */
		return td_fail(diag, TD_EINVAL,
			       "boilerplate: minimum document fraction %g is not between 0 and 1",
			       min_frac);
	struct boiler *b = calloc(1, sizeof *b);
	if (!b)
		return td_fail(diag, TD_ENOMEM, "boilerplate: %s", td_strerror(TD_ENOMEM));
	b->min_frac = min_frac;
	b->threshold = SIZE_MAX;
	if (phrases) {
		int rc = load_phrases(b, phrases, len, diag);
		if (rc) {
			boiler_free(b);
			return rc;
		}
	}
	*out = b;
	return 0;
}

/* Walks the lines of a text; a line ends at LF, CRLF or a lone CR. */
struct line_iter {
	const char *p, *end;
};

/* Sets the next line (without its line end) and whether it had a line end;
 * returns false at the end of the text. */
static bool next_line(struct line_iter *it, const char **line, size_t *len, bool *has_end)
{
	if (it->p >= it->end)
		return false;
	const char *e = it->p;
	while (e < it->end && *e != '\n' && *e != '\r')
		e++;
	*line = it->p;
	*len = (size_t)(e - it->p);
	*has_end = e < it->end;
	if (e < it->end && *e == '\r')
		e++;
	if (e < it->end && *e == '\n' && (e == *line + *len || e[-1] == '\r'))
		e++;
	it->p = e;
	return true;
}

int boiler_count(struct boiler *b, const char *text, size_t len)
{
	if (b->n_docs >= UINT32_MAX - 1)
		return TD_ENOMEM;  /* the 32-bit document counters of the slots are full */
	uint32_t doc = (uint32_t)b->n_docs;
	struct line_iter it = { text, text + len };
	const char *line;
	size_t line_len;
	bool has_end;
	while (next_line(&it, &line, &line_len, &has_end)) {
		size_t n;
		int rc;
		if ((rc = normalise(b, line, line_len, &n)))
			return rc;
		if (n == 0)
			continue;
		if ((rc = grow_lines(b)))
			return rc;
		uint64_t hash = line_hash(b->norm, n);
		struct line_slot *s = find_line(b, hash, b->norm, n);
		if (s->n_docs == 0) {
			*s = (struct line_slot){ .hash = hash, .n_docs = 1, .last_doc = doc };
			b->lines_used++;
			continue;
		}
		if (s->last_doc == doc)
			continue;
		s->last_doc = doc;
		if (s->n_docs < UINT32_MAX)
			s->n_docs++;
		if (!s->text && !(s->text = arena_add(b, b->norm, n)))
			return TD_ENOMEM;
	}
	b->n_docs++;
	return 0;
}

int boiler_merge(struct boiler *into, const struct boiler *from)
{
	if (into == from)
		return TD_EINVAL;
	if ((uint64_t)into->n_docs + from->n_docs >= UINT32_MAX - 1)
		return TD_ENOMEM;  /* as in boiler_count */
	for (size_t i = 0; i < from->lines_cap; i++) {
		const struct line_slot *f = &from->lines[i];
		if (f->n_docs == 0)
			continue;
		const char *text = slot_text(from, f);
		size_t len = text ? strlen(text) : 0;
		if (grow_lines(into))
			return TD_ENOMEM;
		struct line_slot *s = find_line(into, f->hash, text, len);
		if (s->n_docs == 0) {
			/* No document of `into` has it, and the documents still to be
			 * counted get numbers from into->n_docs on: UINT32_MAX is none. */
			*s = (struct line_slot){ .hash = f->hash, .n_docs = f->n_docs,
						 .last_doc = UINT32_MAX };
			into->lines_used++;
		} else {
			s->n_docs = s->n_docs > UINT32_MAX - f->n_docs ? UINT32_MAX : s->n_docs + f->n_docs;
		}
		if (!s->text && text && !(s->text = arena_add(into, text, len)))
			return TD_ENOMEM;
	}
	into->n_docs += from->n_docs;
	return 0;
}

void boiler_finish(struct boiler *b)
{
	/* The small tolerance keeps a product such as 0.07 * 100 = 7.000000000000001
	 * from rounding up to 8. */
	double need = ceil(b->min_frac * (double)b->n_docs - 1e-9);
	size_t threshold = need > 3.0 ? (size_t)need : 3;
	b->threshold = threshold;
}

size_t boiler_threshold(const struct boiler *b)
{
	return b->threshold;
}

/* Decides whether the normalised line in b->norm is boilerplate. */
static int classify(struct boiler *b, size_t n, bool *remove, enum boiler_reason *why)
{
	*remove = false;
	if (n == 0)
		return 0;
	uint64_t hash = line_hash(b->norm, n);
	if (matches_phrase(b, hash, b->norm, n)) {
		*remove = true;
		*why = BOILER_PHRASE;
		return 0;
	}
	if (!b->lines_cap || b->threshold == SIZE_MAX)
		return 0;
	struct line_slot *s = find_line(b, hash, b->norm, n);
	if (s->n_docs == 0 || s->n_docs < b->threshold)
		return 0;
	/* A line counted once in each of several merged counters has no text yet:
	 * keep it now, so that later matches are confirmed by text. */
	if (!s->text && !(s->text = arena_add(b, b->norm, n)))
		return TD_ENOMEM;
	*remove = true;
	*why = BOILER_REPEATED;
	return 0;
}

/* Records one removal of the normalised line in b->norm for the report. */
static int note_removed(struct boiler *b, size_t n, enum boiler_reason why)
{
	uint64_t hash = line_hash(b->norm, n);
	if ((b->n_removed + 1) * 2 > b->removed_index_cap) {
		size_t cap = b->removed_index_cap ? b->removed_index_cap * 2 : 64;
		uint32_t *index = calloc(cap, sizeof *index);
		if (!index)
			return TD_ENOMEM;
		for (size_t i = 0; i < b->n_removed; i++) {
			size_t j = (size_t)line_hash(b->removed[i].text, b->removed[i].len) & (cap - 1);
			while (index[j])
				j = (j + 1) & (cap - 1);
			index[j] = (uint32_t)(i + 1);
		}
		free(b->removed_index);
		b->removed_index = index;
		b->removed_index_cap = cap;
	}
	size_t mask = b->removed_index_cap - 1, j = (size_t)hash & mask;
	for (; b->removed_index[j]; j = (j + 1) & mask) {
		struct removed_line *r = &b->removed[b->removed_index[j] - 1];
		if (r->len == n && memcmp(r->text, b->norm, n) == 0) {
			if (r->last_strip != b->n_strips) {
				r->last_strip = b->n_strips;
				r->n_docs++;
			}
			return 0;
		}
	}
	if (b->n_removed >= UINT32_MAX - 1 ||
	    array_reserve((void **)&b->removed, &b->cap_removed, b->n_removed + 1, sizeof *b->removed))
		return TD_ENOMEM;
	char *copy = malloc(n + 1);
	if (!copy)
		return TD_ENOMEM;
	memcpy(copy, b->norm, n + 1);
	b->removed[b->n_removed] = (struct removed_line){
		.text = copy, .len = n, .n_docs = 1, .last_strip = b->n_strips, .why = why
	};
	b->removed_index[j] = (uint32_t)++b->n_removed;
	return 0;
}

int boiler_strip(struct boiler *b, const char *text, size_t len, char **out, size_t *out_len,
		 size_t *n_removed)
{
	*out = NULL;
	*out_len = 0;
	*n_removed = 0;
	if (len == SIZE_MAX)
		return TD_ENOMEM;
	/* Line ends only shrink (CRLF becomes LF), so len + 1 bytes always do. */
	char *buf = malloc(len + 1);
	if (!buf)
		return TD_ENOMEM;
	b->n_strips++;
	size_t n_out = 0, removed = 0;
	int rc = 0;
	struct line_iter it = { text, text + len };
	const char *line;
	size_t line_len;
	bool has_end;
	while (next_line(&it, &line, &line_len, &has_end)) {
		size_t n;
		bool remove;
		enum boiler_reason why = BOILER_PHRASE;
		if ((rc = normalise(b, line, line_len, &n)) || (rc = classify(b, n, &remove, &why)))
			goto fail;
		if (remove) {
			if ((rc = note_removed(b, n, why)))
				goto fail;
			removed++;
			continue;
		}
		memcpy(buf + n_out, line, line_len);
		n_out += line_len;
		if (has_end)
			buf[n_out++] = '\n';
	}
	buf[n_out] = '\0';
	*out = buf;
	*out_len = n_out;
	*n_removed = removed;
	return 0;
fail:
	free(buf);
	return rc;
}

int boiler_report(const struct boiler *b,
		  int (*fn)(void *ctx, const char *line, size_t n_docs, enum boiler_reason why),
		  void *ctx)
{
	for (size_t i = 0; i < b->n_removed; i++) {
		const struct removed_line *r = &b->removed[i];
		int rc = fn(ctx, r->text, r->n_docs, r->why);
		if (rc)
			return rc;
	}
	return 0;
}

void boiler_free(struct boiler *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_whole; i++)
		free(b->whole[i].text);
	for (size_t i = 0; i < b->n_prefix; i++)
		free(b->prefix[i].text);
	for (size_t i = 0; i < b->n_removed; i++)
		free(b->removed[i].text);
	free(b->whole);
	free(b->whole_index);
	free(b->prefix);
	free(b->removed);
	free(b->removed_index);
	free(b->lines);
	free(b->arena);
	free(b->norm);
	free(b->u32);
	free(b);
}
