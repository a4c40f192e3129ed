/* doc.h - one input document as the readers yield it. */
#ifndef TD_DOC_H
#define TD_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "encoding.h"

/* Why a document is what it is; docs.csv shows one status per document, the
 * first that applies in this order (see doc_status_name). */
enum doc_status {
	DOC_OK = 0,
	DOC_BINARY,          /* a binary file (NUL bytes, image signature): skipped */
	DOC_MALFORMED,       /* an unreadable record (bad JSON, missing text field) */
	DOC_EMPTY,           /* no text left (after cleaning) */
	DOC_DUPLICATE,       /* a near-duplicate of an earlier document */
	DOC_NO_DATE,         /* no date in the file, the record or the manifest */
	DOC_DATE_SUSPECT,    /* a date before year 1000 or in the future */
	DOC_INVALID_UTF8_REPAIRED  /* bytes that could not be decoded replaced by U+FFFD */
};

struct doc {
	char *id;             /* doc_id: file name without extension, the id field, or the record number */
	char *file;           /* the input path the record came from */
	size_t file_index;    /* that file's index among reader_files() */
	uint64_t record;      /* 1-based number of the document in the whole input */
	uint64_t line;        /* 1-based line of the record in its file (JSONL, CSV); 0 for .txt */
	bool has_date;
	int32_t date;         /* day number (date.h) when has_date */
	char *source;         /* may be NULL */
	char *title;          /* may be NULL */
	char *text;           /* valid UTF-8 (repaired), NUL-terminated; never NULL after reader_next;
				 read-only for all but the reader */
	size_t text_len;
	void *text_owner;     /* NULL: text is malloc'd, doc_clear frees it; else text lies
				 inside text_owner (a JSON string), which doc_clear hands to
				 text_release instead */
	void (*text_release)(void *owner);
	size_t n_bytes;       /* bytes of the record as read, before any change (a UTF-16
				 JSONL or CSV record: its bytes once converted to UTF-8) */
	size_t invalid_utf8;  /* sequences replaced by U+FFFD: invalid UTF-8, NUL, an unpaired
				 UTF-16 surrogate, a Windows-1252 undefined byte (encoding.h) */
	enum text_encoding encoding;  /* what the text was decoded from (ENC_NONE: binary) */
	size_t html_tags;     /* tags removed by --strip-html (text and title) */
	bool binary;
	bool malformed;
	bool json_pending;    /* a JSON Lines record not parsed yet (reader_next_unparsed):
				 text holds its line, as valid UTF-8, for reader_parse */
	char *problem;        /* why malformed/binary, for warnings; may be NULL */
};

/* Frees every owned string (the text through text_release when it has an
 * owner) and zeroes the struct (safe on a zeroed doc). */
void doc_clear(struct doc *doc);

/* The docs.csv name of a status ("ok", "binary", ...). */
const char *doc_status_name(enum doc_status status);

#endif
