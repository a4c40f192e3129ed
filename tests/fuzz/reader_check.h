/* reader_check.h - what the JSONL and CSV targets (jsonl.c, csv.c) check of
 * the documents reader_next yields (reader.h, doc.h).
 *
 * The input is written to a file of the format's extension and read with
 * the format forced and the default field names, strict off, twice: with the
 * default options, then with the Windows-1252 fallback and --strip-html.
 * Each reader reads to the end or to the first error, is rewound and reads
 * again.  Properties:
 *   - every document has an id and a file, and a text that is valid UTF-8,
 *     NUL-terminated at text_len with no NUL inside (NUL bytes are repaired
 *     to U+FFFD too); its title, source and id are valid UTF-8 ("a
 *     document's text, title and source are valid UTF-8, and so is the id of
 *     a JSONL or CSV record");
 *   - a document decoded from UTF-8 or Windows-1252 says so; only a binary
 *     one has no encoding;
 *   - records are numbered 1, 2, 3 ... and their lines increase;
 *   - the bytes of the records add up to no more than the file, but for a
 *     UTF-16 file, where n_bytes counts the decoded UTF-8 (reader.h);
 *   - a date is a real day that round-trips through date_format;
 *   - a malformed or binary document says why (problem), a good one not;
 *   - the second pass, read with reader_next_unparsed and reader_parse (JSON
 *     Lines records parsed after they are read, as corpus.c's workers do),
 *     yields the same documents and ends the same way.
 */
#ifndef TD_READER_CHECK_H
#define TD_READER_CHECK_H

#include "fuzz.h"

#include <inttypes.h>

#include "date.h"
#include "doc.h"
#include "error.h"
#include "reader.h"

/* What a pass saw of a document, to compare the second pass with. */
struct seen_doc {
	uint64_t hash;  /* of id, text, title, source, date and flags */
	uint64_t line;
};

static inline uint64_t readcheck_mix(uint64_t h, const char *s)
{
	/* FNV-1a over the string and a separator; NULL differs from "" */
	if (!s)
		return (h ^ 0xff) * UINT64_C(0x100000001b3);
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(0x100000001b3);
	return (h ^ 0xfe) * UINT64_C(0x100000001b3);
}

static inline void readcheck_doc(const struct doc *doc, uint64_t record)
{
	FUZZ_CHECK(doc->id != NULL && doc->file != NULL);
	FUZZ_CHECK(doc->record == record);
	FUZZ_CHECK(doc->text != NULL);
	FUZZ_CHECK(doc->text[doc->text_len] == '\0');
	FUZZ_CHECK(strlen(doc->text) == doc->text_len);
	FUZZ_CHECK(fuzz_valid_utf8(doc->text, doc->text_len));
	FUZZ_CHECK((doc->malformed || doc->binary) == (doc->problem != NULL));
	FUZZ_CHECK(fuzz_valid_string(doc->id));
	FUZZ_CHECK(!doc->title || fuzz_valid_string(doc->title));
	FUZZ_CHECK(!doc->source || fuzz_valid_string(doc->source));
	FUZZ_CHECK(doc->encoding != ENC_NONE || doc->binary);
	if (doc->has_date) {
		int year, month, day;
		date_to_ymd(doc->date, &year, &month, &day);
		FUZZ_CHECK(date_valid_ymd(year, month, day));
		char iso[DATE_ISO_LEN + 1];
		date_format(doc->date, iso);
		int32_t again;
		FUZZ_CHECK(date_parse(iso, DATE_ISO_LEN, &again) == 0 && again == doc->date);
	}
}

static inline uint64_t readcheck_hash(const struct doc *doc)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	h = readcheck_mix(h, doc->id);
	h = readcheck_mix(h, doc->text);
	h = readcheck_mix(h, doc->title);
	h = readcheck_mix(h, doc->source);
	h = (h ^ (uint64_t)(uint32_t)doc->date) * UINT64_C(0x100000001b3);
	h = (h ^ (uint64_t)(doc->has_date | doc->malformed << 1 | doc->binary << 2)) * UINT64_C(0x100000001b3);
	h = (h ^ doc->invalid_utf8) * UINT64_C(0x100000001b3);
	return (h ^ doc->n_bytes) * UINT64_C(0x100000001b3);
}

/* Reads the file at path as `format` with opts. */
static inline void readcheck_read(struct reader_opts *opts, const char *path, enum input_format format,
				  size_t size)
{
	const char *inputs[] = { path };
	opts->inputs = inputs;
	opts->n_inputs = 1;
	opts->format = format;
	struct td_diag diag = { 0 };
	struct reader *reader;
	FUZZ_CHECK(reader_open(&reader, opts, &diag) == 0);

	/* A record takes at least one byte (JSONL: a line; CSV: a line end),
	 * and a CSV's header is no document. */
	size_t cap = size + 2, n_first = 0;
	struct seen_doc *seen = malloc(cap * sizeof *seen);
	FUZZ_CHECK(seen != NULL);
	struct doc doc = { 0 };
	int end_first = 0;
	for (int pass = 0; pass < 2; pass++) {
		uint64_t record = 0, line = 0;
		size_t bytes = 0;
		int rc;
		while ((rc = pass == 0 ? reader_next(reader, &doc, &diag)
				       : reader_next_unparsed(reader, &doc, &diag)) == 1) {
			FUZZ_CHECK(reader_parse(reader, &doc, &diag) == 0 && !doc.json_pending);
			readcheck_doc(&doc, ++record);
			FUZZ_CHECK(doc.line > line);
			line = doc.line;
			bytes += doc.n_bytes;
			FUZZ_CHECK(bytes <= size || doc.encoding == ENC_UTF16LE || doc.encoding == ENC_UTF16BE);
			struct seen_doc s = { readcheck_hash(&doc), doc.line };
			if (pass == 0) {
				FUZZ_CHECK(n_first < cap);
				seen[n_first++] = s;
			} else {
				FUZZ_CHECK(record <= n_first);
				FUZZ_CHECK(seen[record - 1].hash == s.hash && seen[record - 1].line == s.line);
			}
		}
		FUZZ_CHECK(rc == 0 || rc == TD_EFORMAT);
		FUZZ_CHECK(rc == 0 || (diag.error && diag.error[0]));
		if (pass == 0) {
			end_first = rc;
			FUZZ_CHECK(reader_rewind(reader, &diag) == 0);
		} else {
			FUZZ_CHECK(rc == end_first && record == n_first);
		}
	}
	doc_clear(&doc);
	free(seen);
	reader_free(reader);
	td_diag_free(&diag);
}

/* Reads the input as `format` from a file named `name`, with the default
 * options and with the fallback encoding and HTML stripping. */
static inline void readcheck_run(const char *name, enum input_format format, const uint8_t *data, size_t size)
{
	const char *path = fuzz_write_file(name, data, size);
	struct reader_opts plain = { 0 };
	readcheck_read(&plain, path, format, size);
	struct reader_opts messy = { .fallback = ENC_CP1252, .strip_html = true };
	readcheck_read(&messy, path, format, size);
}

#endif
