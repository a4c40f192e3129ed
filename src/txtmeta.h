/* txtmeta.h - metadata lines at the top of a plain-text article or e-mail.
 *
 * Recognised in the first TXTMETA_MAX_LINES lines of a file:
 *   "date 2025-02-18 ..."            a date prefix; the rest of the line stays text
 *   "Published: Feb, 26 2025 22:30"  the whole line is metadata
 *   "Date: Thu, 22 Aug 2002 12:36:23 +0100"  (RFC 2822, UTC date)
 *   "Date: 2025-02-26", "Updated: ...", ISO 8601 on a line of its own
 *   "Author: ...", "By: ...", "Source: ...", "Title: ..."
 * Metadata lines are removed from the text.  The title is the "Title:" value
 * or else the first non-empty line that is not metadata (that line stays in the
 * text).  The first recognised date wins.
 */
#ifndef TD_TXTMETA_H
#define TD_TXTMETA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define TXTMETA_MAX_LINES 20

struct txtmeta {
	bool has_date;
	int32_t date;     /* day number (date.h) when has_date */
	char *title;      /* NULL when none; owned */
	char *author;     /* NULL when none; owned */
	char *source;     /* NULL when none; owned */
	char *text;       /* the document text without metadata lines; owned, NUL-terminated */
	size_t text_len;
};

/* Splits text (UTF-8, len bytes, need not be NUL-terminated) into metadata
 * and body.  Line ends may be LF, CRLF or CR.  Returns 0, or TD_ENOMEM.
 * The caller frees with txtmeta_free. */
int txtmeta_parse(const char *text, size_t len, struct txtmeta *meta);

/* txtmeta_parse without a copy: takes text (malloc'd, room for len + 1
 * bytes, need not be NUL-terminated) and makes it meta->text, the body
 * written over the input (it is never longer than what it was made from);
 * a text without metadata lines, CR or byte order mark is not moved at all.
 * The byte after the len bytes is not read, only written (the NUL).  text
 * is freed on failure too.  Returns 0, or TD_ENOMEM. */
int txtmeta_parse_owned(char *text, size_t len, struct txtmeta *meta);

void txtmeta_free(struct txtmeta *meta);

#endif
