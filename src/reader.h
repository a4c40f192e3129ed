/* reader.h - streaming readers: a folder or a file of .txt, JSON Lines or CSV
 * becomes a sequence of documents, one at a time.
 *
 * Inputs are paths to files or folders.  A folder is walked recursively in
 * byte order of its paths; hidden entries (".name") are skipped, and so is a
 * file named manifest.csv, which is used as the folder's manifest unless
 * opts->manifest names one.  With FORMAT_AUTO a file's format comes from its
 * extension (.jsonl/.ndjson -> JSONL, .csv -> CSV, anything else -> text).
 *
 * A manifest is a CSV file with the columns file,date,source,title (any order;
 * file is required, the others optional).  A row applies to the document whose
 * file name (base name, or path relative to the folder) equals `file`; its
 * non-empty values fill what the file lacks and replace what it has; where the
 * file's own date differs from the manifest's, a warning names the file.
 *
 * Encodings: a byte order mark at the start of a file says what it is: UTF-8
 * (the mark is dropped), UTF-16LE or UTF-16BE (decoded to UTF-8 as the file is
 * read: a .txt file whole, JSONL and CSV as a stream; n_bytes then counts the
 * decoded UTF-8 of a record, and the whole file's bytes for .txt).  Without a
 * mark, text is UTF-8, repaired (utf8_repair), or, with opts->fallback, read
 * as Windows-1252 when not valid UTF-8: a .txt file as a whole, a JSONL line
 * or a CSV record as a whole.  doc->encoding says which; doc->invalid_utf8
 * counts every U+FFFD put in (encoding.h).  A document's text, title and
 * source are valid UTF-8, and so is the id of a JSONL or CSV record.
 *
 * Memory: only the current document is held (and, for CSV, the current
 * record); nothing grows with the size of the input.  (A caller of
 * reader_next_unparsed holds the documents it has not parsed yet.)
 */
#ifndef TD_READER_H
#define TD_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checksum.h"
#include "doc.h"
#include "error.h"

enum input_format { FORMAT_AUTO = 0, FORMAT_TXT, FORMAT_JSONL, FORMAT_CSV };

struct reader_opts {
	const char *const *inputs;  /* paths: files or folders */
	size_t n_inputs;
	enum input_format format;
	const char *manifest;       /* NULL: none (or a folder's manifest.csv) */
	const char *id_field;       /* JSONL/CSV field names; NULL gives the defaults */
	const char *date_field;     /* id, date, text, title, source */
	const char *text_field;
	const char *title_field;
	const char *source_field;
	bool strict;                /* malformed records are errors, not skipped */
	enum text_encoding fallback; /* ENC_CP1252: a document or record without a byte order
					mark that is not valid UTF-8 is read as Windows-1252;
					ENC_NONE (the default): its invalid bytes are repaired */
	bool strip_html;            /* remove tags and decode entities (html.h) in texts and titles */
	enum checksum_kind checksum; /* of each input file (checksum.h): XXH128 by default */
};

/* One input file, as listed in manifest.json.  bytes and checksum describe the
 * bytes the reader read from the file, as they were on disk (a byte order
 * mark included, before any decoding): they are taken as the file is read,
 * the first time it is read to its end, and kept across reader_rewind (a
 * second pass does not hash again).  Until then hashed is false: a file not
 * reached yet, or left before its end (an error, or a rewind part way). */
struct input_file {
	char *path;
	enum input_format format;
	bool hashed;                /* bytes and checksum are set */
	uint64_t bytes;             /* bytes read from the file */
	char checksum[CHECKSUM_HEX_MAX + 1];  /* theirs (reader_opts.checksum), lowercase hex */
};

struct reader;

/* Parses the format name "auto", "txt", "jsonl" or "csv"; returns 0 or TD_EINVAL. */
int reader_format_parse(const char *name, enum input_format *format);

/* The name of a format ("auto", "txt", "jsonl", "csv"), static. */
const char *reader_format_name(enum input_format format);

/* Opens the inputs: checks that every path exists, lists the files and loads
 * the manifest.  A missing path, an empty folder or an unreadable manifest is
 * an error (TD_ENOENT, TD_EEMPTY, TD_EFORMAT) with a message in diag.
 * The reader keeps pointers into opts: it must outlive the reader. */
int reader_open(struct reader **out, const struct reader_opts *opts, struct td_diag *diag);

/* Yields the next document into *doc (cleared first with doc_clear).
 * Returns 1 when a document was read, 0 at the end, or a negative code.
 * Binary files and malformed records are yielded too (doc->binary,
 * doc->malformed, with doc->problem and a warning naming the file and line),
 * so that docs.csv can list them; under opts->strict a malformed record is an
 * error (TD_EFORMAT) instead.  A CSV without the text column is an error that
 * names the missing column and lists the columns found. */
int reader_next(struct reader *reader, struct doc *doc, struct td_diag *diag);

/* As reader_next, but a JSON Lines record comes back unparsed, so that the
 * costly part (cJSON's parser, about 1 ns a byte) can run on another
 * thread: doc->json_pending is set, doc->text holds the record's line decoded
 * to valid UTF-8 (its byte order mark, UTF-16, repair or Windows-1252 applied
 * as for any record), and doc->file, file_index, record, line, n_bytes,
 * encoding and invalid_utf8 are set; reader_parse does the rest.  Documents
 * of the other formats come back whole.  At the end of the input it does not
 * warn about manifest rows that named no document (a row is matched by a
 * record's id, known once it is parsed): reader_end_pass does, once every
 * document has been parsed. */
int reader_next_unparsed(struct reader *reader, struct doc *doc, struct td_diag *diag);

/* Parses a document that reader_next_unparsed left pending (does nothing to
 * any other): on return *doc is what reader_next would have yielded, with the
 * same warnings (given to diag) and under opts->strict the same error.
 * Several documents can be parsed at once on different threads, while the
 * reader reads on: it reads the options, the file list and the manifests
 * (marking the manifest rows it matches, atomically), never the file being
 * read.  Each thread needs its own diag.  Returns 0 (a document, perhaps
 * marked malformed) or a negative code (TD_EFORMAT, TD_ENOMEM) with a
 * message in diag. */
int reader_parse(struct reader *reader, struct doc *doc, struct td_diag *diag);

/* Warns about the manifest rows that named no document in a pass read with
 * reader_next_unparsed; called when every document of it has been parsed. */
void reader_end_pass(struct reader *reader, struct td_diag *diag);

/* Starts again from the first document (for a second pass).  Returns 0 or a
 * negative code. */
int reader_rewind(struct reader *reader, struct td_diag *diag);

/* The input files found by reader_open, in reading order, with the size and
 * checksum of each file read to its end so far (see struct input_file). */
const struct input_file *reader_files(const struct reader *reader, size_t *n_files);

void reader_free(struct reader *reader);

/* Copies len bytes of possibly invalid UTF-8 into a new NUL-terminated
 * string in which every invalid sequence (as utf8proc_iterate reports it,
 * one per maximal invalid subpart) is replaced by U+FFFD, and NUL bytes by
 * U+FFFD too.  Sets *n_invalid to the number of replacements.
 * Returns 0 or TD_ENOMEM; the caller frees *out. */
int utf8_repair(const char *in, size_t len, char **out, size_t *out_len, size_t *n_invalid);

#endif
