/* reader.c - streaming readers of .txt, JSON Lines and CSV (see reader.h).
 *
 * reader_open lists the input files (folders walked recursively, sorted by
 * path) and loads the manifests; reader_next then opens one file at a time:
 * a .txt file is one document, read whole; a JSONL file is read line by line
 * (getline); a CSV file is read in chunks of CSV_CHUNK bytes and fed to
 * libcsv one physical line (or a chunk's worth of a long line) at a time, so
 * that each record knows the line it starts on and only the current record
 * is held, whatever the line ends (LF, CRLF, or CR alone).
 * reader_next_unparsed hands a JSONL record over as its line, decoded, and
 * reader_parse parses it later, on any thread, with cJSON, whose only
 * global state is its allocation hooks, set once (json_hooks_init).  A
 * record's values are used by the thread that parsed it; the text a
 * document keeps is freed with the document.
 *
 * Each input file's size and checksum (reader_files, for manifest.json) are
 * taken from the bytes read, as they are read, where they come from the file:
 * the whole buffer of a .txt file, each line of a JSONL file and each chunk
 * of a CSV file, the byte order mark read by open_input, and for a UTF-16
 * file the raw bytes its decoder reads.  No file is read twice for it, and a
 * file that changes after it was read does not change its entry.
 */
#define _GNU_SOURCE  /* fopencookie: UTF-16 files are read through a decoder */
#include "reader.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "date.h"
#include "encoding.h"
#include "hash.h"
#include "html.h"
#include "txtmeta.h"
#include "vocab.h"

#define SNIFF_BYTES 8192
#define CSV_CHUNK (64 * 1024)
/* The stdio buffer of a JSONL file: getline reads through it, and stdio's
 * default (4 KB) would take a read() per 4 KB.  (A CSV file is read in
 * CSV_CHUNK pieces, which stdio reads straight into the chunk.) */
#define INPUT_BUF (256 * 1024)

/* One row of a manifest. */
struct manifest_row {
	bool has_date;
	int32_t date;
	char *source, *title;
	uint64_t line;
	atomic_bool used;       /* matched a document in this pass (reader_parse marks
				   rows on the workers) */
};

/* A manifest: rows looked up by their `file` value. */
struct manifest {
	char *path;
	struct vocab keys;      /* file value -> row index */
	struct manifest_row *rows;
};

struct file_entry {
	char *path;             /* as opened */
	char *rel;              /* relative to the input folder, or the base name */
	enum input_format format;
	uint64_t size;          /* from stat() when listed; UINT64_MAX: not known until read */
	int manifest;           /* index in reader->manifests, or -1 */
};

/* The checksum and size of the file being read, taken from its raw bytes. */
struct raw_hash {
	bool on;                /* hashing: the file is read for the first time */
	struct checksum sum;
	uint64_t bytes;
};

/* A parsed CSV record waiting to be yielded. */
struct csv_record {
	char **fields;
	size_t *lens;           /* the fields' lengths (a field may hold NUL bytes) */
	size_t n_fields;
	uint64_t line;
	size_t n_bytes;         /* from its first line to its line end, as read */
	bool broken;            /* unbalanced quotes at the end of the file */
};

struct reader {
	const struct reader_opts *opts;
	struct file_entry *files;
	size_t n_files, cap_files;
	struct input_file *listing;   /* for reader_files */
	struct manifest *manifests;
	size_t n_manifests;
	int forced_manifest;          /* index of opts->manifest, or -1 */

	size_t next_file;             /* the file to open next */
	uint64_t record;              /* documents yielded so far */
	struct file_entry *cur;       /* the file being read (JSONL, CSV) */
	FILE *fp;
	char *io_buf;                 /* INPUT_BUF bytes, fp's buffer (JSONL) */
	enum text_encoding declared;  /* its byte order mark: ENC_NONE, ENC_UTF8 or ENC_UTF16* */
	struct raw_hash hash;         /* of the file being read (any format) */
	char *line;                   /* JSONL: the current line */
	size_t line_cap;
	uint64_t line_no;             /* JSONL: lines read; CSV: the line being fed */

	/* CSV state */
	struct csv_parser csv;
	bool csv_open;
	char **header;
	size_t n_header;
	long col_id, col_date, col_text, col_title, col_source;
	char **fields;                /* the record being parsed */
	size_t *field_lens;
	size_t n_fields, cap_fields;
	char *chunk;                  /* CSV_CHUNK bytes read from the file */
	size_t chunk_pos, chunk_len;  /* chunk[chunk_pos, chunk_len) not yet fed */
	bool chunk_eof;               /* the file has no more bytes */
	uint64_t offset;              /* bytes of the file fed to libcsv */
	uint64_t piece_end;           /* offset after the piece being fed */
	bool record_pending;          /* between records: the next non-blank byte starts one */
	uint64_t record_line;         /* the line the current record started on */
	uint64_t record_offset;       /* and its offset */
	struct csv_record *queue;
	size_t queue_head, queue_len, queue_cap;
	bool csv_eof;
	int csv_error;                /* TD_ENOMEM from a callback */
};

static const char *field_name(const char *given, const char *fallback)
{
	return given ? given : fallback;
}

int reader_format_parse(const char *name, enum input_format *format)
{
	static const char *const names[] = { "auto", "txt", "jsonl", "csv" };
	for (int i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0) {
			*format = (enum input_format)i;
			return 0;
		}
	return TD_EINVAL;
}

static const char *format_label(enum input_format format)
{
	static const char *const names[] = { "auto", "txt", "jsonl", "csv" };
	return names[format];
}

/* ---- UTF-8 ------------------------------------------------------------- */

/* The length of the longest prefix of p that starts a valid sequence but
 * does not complete one (at least 1): the bytes one U+FFFD replaces. */
static size_t maximal_subpart(const unsigned char *p, size_t len)
{
	unsigned char lead = p[0];
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF;  /* the second byte's range */
	if (lead >= 0xC2 && lead <= 0xDF)
		need = 2;
	else if (lead >= 0xE0 && lead <= 0xEF) {
		need = 3;
		if (lead == 0xE0)
			lo = 0xA0;
		else if (lead == 0xED)
			hi = 0x9F;
	} else if (lead >= 0xF0 && lead <= 0xF4) {
		need = 4;
		if (lead == 0xF0)
			lo = 0x90;
		else if (lead == 0xF4)
			hi = 0x8F;
	} else
		return 1;
	size_t k = 1;
	if (k < len && p[k] >= lo && p[k] <= hi)
		for (k = 2; k < need && k < len && (p[k] & 0xC0) == 0x80; k++)
			;
	return k;
}

int utf8_repair(const char *in, size_t len, char **out, size_t *out_len, size_t *n_invalid)
{
	/* U+FFFD is 3 bytes; an invalid byte is 1: the output is at most 3x,
	 * and as long as the input when nothing is replaced. */
	if (len == SIZE_MAX)
		return TD_ENOMEM;
	size_t cap = len + 1, at = 0, bad = 0;
	char *buf = malloc(cap);
	if (!buf)
		return TD_ENOMEM;
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0;
	for (;;) {
		/* what needs no repair is copied in one piece (encoding.h) */
		size_t run = encoding_utf8_clean_prefix(in + i, len - i);
		if (cap - at < run + 4) {  /* the run, a U+FFFD and the NUL */
			size_t new_cap = cap * 2 + 8 > at + run + 4 ? cap * 2 + 8 : at + run + 4;
			char *grown = realloc(buf, new_cap);
			if (!grown) {
				free(buf);
				return TD_ENOMEM;
			}
			buf = grown;
			cap = new_cap;
		}
		memcpy(buf + at, p + i, run);
		at += run;
		i += run;
		if (i == len)
			break;
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n > 0 && cp != 0) {  /* not reached: the run stops only at NUL or invalid bytes */
			memcpy(buf + at, p + i, (size_t)n);
			at += (size_t)n;
			i += (size_t)n;
			continue;
		}
		/* An invalid sequence (or NUL): one U+FFFD per maximal subpart,
		 * as Unicode (and Python's decode) recommend. */
		size_t skip = n > 0 ? (size_t)n : maximal_subpart(p + i, len - i);
		memcpy(buf + at, "\xEF\xBF\xBD", 3);
		at += 3;
		bad++;
		i += skip;
	}
	buf[at] = '\0';
	*out = buf;
	*out_len = at;
	*n_invalid = bad;
	return 0;
}

/* ---- hashing the bytes read ------------------------------------------------ */

/* Adds n raw bytes of the file to its hash (h may be NULL: not an input). */
static void raw_hash_update(struct raw_hash *h, const void *bytes, size_t n)
{
	if (!h || !h->on || n == 0)
		return;
	checksum_update(&h->sum, bytes, n);
	h->bytes += n;
}

/* ---- byte order marks and UTF-16 streams --------------------------------- */

#define UTF16_RAW 16384

/* A UTF-16 file read as UTF-8: a stdio stream over the raw one (fopencookie),
 * so that getline and fread serve JSONL and CSV as they do UTF-8 files.  What
 * cannot be decoded is marked (encoding.h), for utf8_repair to count in the
 * record where it lies. */
struct utf16_stream {
	FILE *raw;
	struct raw_hash *hash;  /* the raw bytes read are hashed here, or NULL */
	struct utf16_decoder dec;
	bool eof;
	size_t out_pos, out_len;
	unsigned char in[UTF16_RAW];
	char out[UTF16_DECODE_MAX(UTF16_RAW)];
};

static ssize_t utf16_stream_read(void *cookie, char *buf, size_t size)
{
	struct utf16_stream *s = cookie;
	while (s->out_pos == s->out_len) {
		if (s->eof)
			return 0;
		size_t got = fread(s->in, 1, sizeof s->in, s->raw);
		if (got < sizeof s->in) {
			if (ferror(s->raw))
				return -1;
			s->eof = true;
		}
		raw_hash_update(s->hash, s->in, got);
		s->out_len = utf16_decode(&s->dec, s->in, got, s->eof, s->out);
		s->out_pos = 0;
	}
	size_t n = s->out_len - s->out_pos < size ? s->out_len - s->out_pos : size;
	memcpy(buf, s->out + s->out_pos, n);
	s->out_pos += n;
	return (ssize_t)n;
}

static int utf16_stream_close(void *cookie)
{
	struct utf16_stream *s = cookie;
	int rc = fclose(s->raw);
	free(s);
	return rc;
}

/* Opens path for reading past its byte order mark, if any; a UTF-16 file is
 * read through a decoder, as UTF-8.  *declared receives what the mark says:
 * ENC_NONE (no mark), ENC_UTF8, ENC_UTF16LE or ENC_UTF16BE.  With hash (may
 * be NULL) the mark is hashed here, and so are the raw bytes the decoder of a
 * UTF-16 file reads; the caller hashes the bytes it reads from any other
 * file (hash_read).  io_buf (INPUT_BUF bytes, or NULL: stdio's own) becomes
 * the file's stdio buffer; it must outlive the stream.  Returns NULL with
 * errno set when the file cannot be opened or read. */
static FILE *open_input(const char *path, enum text_encoding *declared, struct raw_hash *hash, char *io_buf)
{
	*declared = ENC_NONE;
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	if (io_buf)
		setvbuf(fp, io_buf, _IOFBF, INPUT_BUF);
	unsigned char head[3];
	size_t n = fread(head, 1, sizeof head, fp);
	size_t bom = encoding_sniff_bom(head, n, declared);
	if (ferror(fp) || fseek(fp, (long)bom, SEEK_SET) != 0) {
		int saved = errno ? errno : EIO;
		fclose(fp);
		errno = saved;
		return NULL;
	}
	raw_hash_update(hash, head, bom);  /* the rest is read from offset bom on */
	if (*declared != ENC_UTF16LE && *declared != ENC_UTF16BE)
		return fp;
	struct utf16_stream *s = calloc(1, sizeof *s);
	FILE *decoded = NULL;
	if (s) {
		s->raw = fp;
		s->hash = hash;
		s->dec.big_endian = *declared == ENC_UTF16BE;
		s->dec.mark_invalid = true;
		cookie_io_functions_t io = { .read = utf16_stream_read, .close = utf16_stream_close };
		decoded = fopencookie(s, "r", io);
	}
	if (!decoded) {
		free(s);
		fclose(fp);
		errno = ENOMEM;
	}
	return decoded;
}

/* ---- decoding a document -------------------------------------------------- */

/* Decodes len bytes of a file or record whose byte order mark said declared
 * (ENC_NONE: none) into a new UTF-8 string; adds the U+FFFD put in to
 * doc->invalid_utf8 and sets doc->encoding to the decoder used (a later
 * finish_encoding tells utf-8 from utf-8-repaired).  The bytes of a UTF-16
 * stream were decoded already: only its marks are repaired here.  Returns 0 or
 * TD_ENOMEM. */
static int decode_bytes(const struct reader_opts *opts, enum text_encoding declared, const char *raw, size_t len,
			struct doc *doc, char **out, size_t *out_len)
{
	size_t bad = 0;
	int rc;
	if (doc->encoding == ENC_CP1252 ||
	    (doc->encoding == ENC_NONE && declared == ENC_NONE && opts->fallback == ENC_CP1252 &&
	     !encoding_utf8_valid(raw, len))) {
		doc->encoding = ENC_CP1252;  /* the whole record is Windows-1252 */
		rc = encoding_cp1252_to_utf8(raw, len, out, out_len, &bad);
	} else {
		if (doc->encoding == ENC_NONE)
			doc->encoding = declared == ENC_UTF16LE || declared == ENC_UTF16BE ? declared : ENC_UTF8;
		rc = utf8_repair(raw, len, out, out_len, &bad);
	}
	doc->invalid_utf8 += bad;
	return rc;
}

/* Whether decode_bytes would give back the len bytes at raw unchanged: not a
 * Windows-1252 document, and valid UTF-8 without NUL (which no decoder
 * changes).  When so, sets doc->encoding as decode_bytes would, and the
 * caller keeps the bytes as they are instead of decoding a copy. */
static bool decode_unchanged(enum text_encoding declared, const char *raw, size_t len, struct doc *doc)
{
	if (doc->encoding == ENC_CP1252 || encoding_utf8_clean_prefix(raw, len) != len)
		return false;
	if (doc->encoding == ENC_NONE)
		doc->encoding = declared == ENC_UTF16LE || declared == ENC_UTF16BE ? declared : ENC_UTF8;
	return true;
}

/* utf-8 or utf-8-repaired, once every string of the document is decoded. */
static void finish_encoding(struct doc *doc)
{
	if (doc->encoding == ENC_NONE)
		doc->encoding = ENC_UTF8;
	if (doc->encoding == ENC_UTF8 && doc->invalid_utf8 > 0)
		doc->encoding = ENC_UTF8_REPAIRED;
}

/* With opts->strip_html, replaces *text (owned, *len bytes) by its text
 * without tags or entities, counting the tags in doc->html_tags.  Returns 0
 * or TD_ENOMEM. */
static int strip_html(const struct reader_opts *opts, struct doc *doc, char **text, size_t *len)
{
	if (!opts->strip_html || !*text)
		return 0;
	char *plain;
	size_t plain_len, n_tags;
	size_t in_len = len ? *len : strlen(*text);
	if (html_strip(*text, in_len, &plain, &plain_len, &n_tags))
		return TD_ENOMEM;
	free(*text);
	*text = plain;
	if (len)
		*len = plain_len;
	doc->html_tags += n_tags;
	return 0;
}

/* ---- listing the inputs ------------------------------------------------- */

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	return n >= s && strcasecmp(name + n - s, suffix) == 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static enum input_format format_of(const char *path, enum input_format forced)
{
	if (forced != FORMAT_AUTO)
		return forced;
	if (has_suffix(path, ".jsonl") || has_suffix(path, ".ndjson"))
		return FORMAT_JSONL;
	if (has_suffix(path, ".csv"))
		return FORMAT_CSV;
	return FORMAT_TXT;
}

static char *join_path(const char *dir, const char *name)
{
	size_t d = strlen(dir), n = strlen(name);
	bool slash = d > 0 && dir[d - 1] != '/';
	char *path = malloc(d + slash + n + 1);
	if (!path)
		return NULL;
	memcpy(path, dir, d);
	if (slash)
		path[d] = '/';
	memcpy(path + d + slash, name, n + 1);
	return path;
}

static int add_file(struct reader *r, char *path, char *rel, uint64_t size, int manifest)
{
	if (r->n_files == r->cap_files) {
		size_t cap = r->cap_files ? 2 * r->cap_files : 64;
		struct file_entry *grown = realloc(r->files, cap * sizeof *grown);
		if (!grown)
			return TD_ENOMEM;
		r->files = grown;
		r->cap_files = cap;
	}
	r->files[r->n_files++] = (struct file_entry){
		.path = path, .rel = rel, .format = format_of(path, r->opts->format), .size = size,
		.manifest = manifest
	};
	return 0;
}

/* Adds the regular files under dir (rel: its path below the input folder). */
static int walk(struct reader *r, const char *dir, const char *rel, int manifest, struct td_diag *diag)
{
	DIR *d = opendir(dir);
	if (!d)
		return td_fail(diag, TD_EIO, "cannot open '%s': %s", dir, strerror(errno));
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;  /* hidden, . and .. */
		char *path = join_path(dir, e->d_name);
		char *sub = rel[0] ? join_path(rel, e->d_name) : strdup(e->d_name);
		/* the entry's type, where the file system gives it, saves a stat()
		 * per file (2,330 of them took 5 to 10 ms before reading could
		 * start); the size is then taken when the file is read */
		struct stat st = { .st_mode = e->d_type == DT_REG ? S_IFREG : e->d_type == DT_DIR ? S_IFDIR : 0,
				   .st_size = -1 };
		if (!path || !sub) {
			rc = td_fail(diag, TD_ENOMEM, "out of memory");
		} else if (st.st_mode == 0 && stat(path, &st) != 0) {
			td_warn(diag, "skipping '%s': %s", path, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(r, path, sub, manifest, diag);
		} else if (S_ISREG(st.st_mode) && strcmp(e->d_name, "manifest.csv") != 0) {
			if ((rc = add_file(r, path, sub, st.st_size < 0 ? UINT64_MAX : (uint64_t)st.st_size,
					   manifest)) == 0)
				path = sub = NULL;
			else
				td_fail(diag, rc, "out of memory");
		}
		free(path);
		free(sub);
	}
	closedir(d);
	return rc;
}

static int compare_files(const void *a, const void *b)
{
	return strcmp(((const struct file_entry *)a)->path, ((const struct file_entry *)b)->path);
}

/* ---- manifests ----------------------------------------------------------- */

/* Collects the fields of a whole small CSV file: rows of strings. */
struct table {
	char ***rows;
	size_t *n_fields;
	uint64_t *lines;
	size_t n_rows, cap_rows;
	char **cur;
	size_t n_cur, cap_cur;
	uint64_t line, start_line;
	bool failed;
};

static void table_field(void *s, size_t len, void *data)
{
	struct table *t = data;
	if (t->failed)
		return;
	if (t->n_cur == t->cap_cur) {
		size_t cap = t->cap_cur ? 2 * t->cap_cur : 8;
		char **grown = realloc(t->cur, cap * sizeof *grown);
		if (!grown) {
			t->failed = true;
			return;
		}
		t->cur = grown;
		t->cap_cur = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy) {
		t->failed = true;
		return;
	}
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	t->cur[t->n_cur++] = copy;
}

static void table_row(int c, void *data)
{
	(void)c;
	struct table *t = data;
	if (t->failed)
		return;
	if (t->n_rows == t->cap_rows) {
		size_t cap = t->cap_rows ? 2 * t->cap_rows : 16;
		char ***rows = realloc(t->rows, cap * sizeof *rows);
		size_t *nf = rows ? realloc(t->n_fields, cap * sizeof *nf) : NULL;
		if (rows)
			t->rows = rows;
		if (nf)
			t->n_fields = nf;
		uint64_t *lines = nf ? realloc(t->lines, cap * sizeof *lines) : NULL;
		if (!lines) {
			t->failed = true;
			return;
		}
		t->lines = lines;
		t->cap_rows = cap;
	}
	t->rows[t->n_rows] = t->cur;
	t->n_fields[t->n_rows] = t->n_cur;
	t->lines[t->n_rows] = t->start_line;
	t->n_rows++;
	t->cur = NULL;
	t->n_cur = t->cap_cur = 0;
	t->start_line = t->line + 1;
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n_rows; i++) {
		for (size_t j = 0; j < t->n_fields[i]; j++)
			free(t->rows[i][j]);
		free(t->rows[i]);
	}
	for (size_t j = 0; j < t->n_cur; j++)
		free(t->cur[j]);
	free(t->cur);
	free(t->rows);
	free(t->n_fields);
	free(t->lines);
}

static long column_index(char **header, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(header[i], name) == 0)
			return (long)i;
	return -1;
}

/* Drops a UTF-8 byte order mark from the start of a field, in place. */
static void strip_bom(char *field)
{
	if ((unsigned char)field[0] == 0xEF && (unsigned char)field[1] == 0xBB &&
	    (unsigned char)field[2] == 0xBF)
		memmove(field, field + 3, strlen(field + 3) + 1);
}

/* A manifest value as valid UTF-8 (repaired, or Windows-1252 under the
 * fallback), or NULL when empty. */
static char *manifest_value(const struct reader_opts *opts, const char *raw)
{
	if (!raw || !raw[0])
		return NULL;
	size_t len = strlen(raw), out_len, bad;
	char *out = NULL;
	if (encoding_utf8_valid(raw, len))
		return strdup(raw);
	if (opts->fallback == ENC_CP1252)
		encoding_cp1252_to_utf8(raw, len, &out, &out_len, &bad);
	else
		utf8_repair(raw, len, &out, &out_len, &bad);
	return out;
}

static int load_manifest(struct reader *r, const char *path, int *index, struct td_diag *diag)
{
	enum text_encoding declared;
	FILE *fp = open_input(path, &declared, NULL, NULL);
	if (!fp)
		return td_fail(diag, TD_ENOENT, "cannot open '%s': %s", path, strerror(errno));
	struct table t = { .line = 1, .start_line = 1 };
	struct csv_parser p;
	int rc = 0;
	if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT_FINI) != 0) {
		fclose(fp);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, fp)) > 0) {
		if (csv_parse(&p, line, (size_t)n, table_field, table_row, &t) != (size_t)n)
			break;
		t.line++;
	}
	if (ferror(fp))
		rc = td_fail(diag, TD_EIO, "cannot read '%s': %s", path, strerror(errno));
	else if (csv_fini(&p, table_field, table_row, &t) != 0 || csv_error(&p) != CSV_SUCCESS)
		rc = td_fail(diag, TD_EFORMAT, "'%s': %s", path, csv_strerror(csv_error(&p)));
	else if (t.failed)
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
	free(line);
	fclose(fp);
	csv_free(&p);
	struct manifest m = { 0 };
	vocab_init(&m.keys);
	long col_file = -1, col_date = -1, col_source = -1, col_title = -1;
	if (rc == 0 && t.n_rows == 0)
		rc = td_fail(diag, TD_EFORMAT, "'%s': the manifest is empty (expected columns file,date,source,title)", path);
	if (rc == 0) {
		strip_bom(t.rows[0][0]);
		col_file = column_index(t.rows[0], t.n_fields[0], "file");
		col_date = column_index(t.rows[0], t.n_fields[0], "date");
		col_source = column_index(t.rows[0], t.n_fields[0], "source");
		col_title = column_index(t.rows[0], t.n_fields[0], "title");
		if (col_file < 0)
			rc = td_fail(diag, TD_EFORMAT, "'%s': the manifest has no column 'file'", path);
	}
	if (rc == 0) {
		m.path = strdup(path);
		m.rows = calloc(t.n_rows, sizeof *m.rows);
		if (!m.path || !m.rows)
			rc = td_fail(diag, TD_ENOMEM, "out of memory");
	}
	for (size_t i = 1; rc == 0 && i < t.n_rows; i++) {
		char **row = t.rows[i];
		size_t nf = t.n_fields[i];
		if ((size_t)col_file >= nf || !row[col_file][0]) {
			td_warn(diag, "'%s' line %" PRIu64 ": no file name; row ignored", path, t.lines[i]);
			continue;
		}
		const char *key = row[col_file];
		uint64_t h = hash_bytes(key, strlen(key), 0);
		if (vocab_find(&m.keys, key, strlen(key), h) != VOCAB_NONE) {
			td_warn(diag, "'%s' line %" PRIu64 ": '%s' is listed twice; the first row is used", path,
				t.lines[i], key);
			continue;
		}
		uint32_t id;
		if ((rc = vocab_intern(&m.keys, key, strlen(key), h, &id))) {
			td_fail(diag, rc, "out of memory");
			break;
		}
		struct manifest_row *mr = &m.rows[id];
		mr->line = t.lines[i];
		if (col_date >= 0 && (size_t)col_date < nf && row[col_date][0]) {
			if (date_parse(row[col_date], strlen(row[col_date]), &mr->date) == 0)
				mr->has_date = true;
			else
				td_warn(diag, "'%s' line %" PRIu64 ": cannot parse the date '%s'", path, t.lines[i],
					row[col_date]);
		}
		if (col_source >= 0 && (size_t)col_source < nf)
			mr->source = manifest_value(r->opts, row[col_source]);
		if (col_title >= 0 && (size_t)col_title < nf)
			mr->title = manifest_value(r->opts, row[col_title]);
	}
	table_free(&t);
	if (rc == 0) {
		struct manifest *grown = realloc(r->manifests, (r->n_manifests + 1) * sizeof *grown);
		if (!grown) {
			rc = td_fail(diag, TD_ENOMEM, "out of memory");
		} else {
			r->manifests = grown;
			r->manifests[r->n_manifests] = m;
			*index = (int)r->n_manifests++;
			return 0;
		}
	}
	for (size_t i = 0; m.rows && i < m.keys.n_terms; i++) {
		free(m.rows[i].source);
		free(m.rows[i].title);
	}
	free(m.rows);
	free(m.path);
	vocab_free(&m.keys);
	return rc;
}

static void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->keys.n_terms; i++) {
		free(m->rows[i].source);
		free(m->rows[i].title);
	}
	free(m->rows);
	free(m->path);
	vocab_free(&m->keys);
}

static struct manifest_row *manifest_lookup(struct manifest *m, const char *key)
{
	if (!key)
		return NULL;
	uint32_t id = vocab_find(&m->keys, key, strlen(key), hash_bytes(key, strlen(key), 0));
	return id == VOCAB_NONE ? NULL : &m->rows[id];
}

/* Applies the manifest row of doc, if any: its values fill and replace.
 * Safe on several threads at once (reader_parse): the manifests are only
 * read, but for the row's `used` mark. */
static int apply_manifest(struct reader *r, const struct file_entry *f, struct doc *doc, struct td_diag *diag)
{
	int index = r->forced_manifest >= 0 ? r->forced_manifest : f->manifest;
	if (index < 0)
		return 0;
	struct manifest *m = &r->manifests[index];
	struct manifest_row *row = NULL;
	if (f->format == FORMAT_TXT) {
		row = manifest_lookup(m, f->rel);
		if (!row)
			row = manifest_lookup(m, base_name(f->path));
	}
	if (!row)
		row = manifest_lookup(m, doc->id);
	if (!row)
		return 0;
	atomic_store_explicit(&row->used, true, memory_order_relaxed);
	if (row->has_date) {
		if (doc->has_date && doc->date != row->date) {
			char own[DATE_ISO_LEN + 1], given[DATE_ISO_LEN + 1];
			date_format(doc->date, own);
			date_format(row->date, given);
			td_warn(diag, "'%s': date %s in the file, %s in the manifest; using the manifest",
				doc->file, own, given);
		}
		doc->has_date = true;
		doc->date = row->date;
	}
	if (row->source) {
		free(doc->source);
		if (!(doc->source = strdup(row->source)))
			return TD_ENOMEM;
	}
	if (row->title) {
		free(doc->title);
		if (!(doc->title = strdup(row->title)))
			return TD_ENOMEM;
	}
	return 0;
}

/* Warns once per pass about manifest rows that named no document. */
static void warn_unused_rows(struct reader *r, struct td_diag *diag)
{
	for (size_t i = 0; i < r->n_manifests; i++) {
		struct manifest *m = &r->manifests[i];
		for (size_t k = 0; k < m->keys.n_terms; k++)
			if (!atomic_load_explicit(&m->rows[k].used, memory_order_relaxed))
				td_warn(diag, "'%s' line %" PRIu64 ": no document '%s' in the input", m->path,
					m->rows[k].line, vocab_term(&m->keys, (uint32_t)k));
	}
}

/* ---- opening ------------------------------------------------------------- */

int reader_open(struct reader **out, const struct reader_opts *opts, struct td_diag *diag)
{
	*out = NULL;
	struct reader *r = calloc(1, sizeof *r);
	if (!r)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	r->opts = opts;
	r->forced_manifest = -1;
	int rc = 0;
	if (checksum_init(&r->hash.sum, opts->checksum)) {
		free(r);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	if (opts->manifest && (rc = load_manifest(r, opts->manifest, &r->forced_manifest, diag)))
		goto fail;
	for (size_t i = 0; i < opts->n_inputs; i++) {
		const char *input = opts->inputs[i];
		struct stat st;
		if (stat(input, &st) != 0) {
			rc = td_fail(diag, TD_ENOENT, "cannot open '%s': %s", input, strerror(errno));
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			size_t first = r->n_files;
			int manifest = -1;
			char *mpath = join_path(input, "manifest.csv");
			if (!mpath) {
				rc = td_fail(diag, TD_ENOMEM, "out of memory");
				goto fail;
			}
			struct stat mst;
			if (!opts->manifest && stat(mpath, &mst) == 0 && S_ISREG(mst.st_mode))
				rc = load_manifest(r, mpath, &manifest, diag);
			free(mpath);
			if (rc || (rc = walk(r, input, "", manifest, diag)))
				goto fail;
			if (r->n_files == first) {
				rc = td_fail(diag, TD_EEMPTY, "no input files in '%s'", input);
				goto fail;
			}
			qsort(r->files + first, r->n_files - first, sizeof *r->files, compare_files);
		} else {
			char *path = strdup(input), *rel = strdup(base_name(input));
			if (!path || !rel || add_file(r, path, rel, (uint64_t)st.st_size, -1)) {
				free(path);
				free(rel);
				rc = td_fail(diag, TD_ENOMEM, "out of memory");
				goto fail;
			}
		}
	}
	if (r->n_files == 0) {
		rc = td_fail(diag, TD_EEMPTY, "no input files");
		goto fail;
	}
	r->listing = calloc(r->n_files, sizeof *r->listing);
	if (!r->listing) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < r->n_files; i++)
		r->listing[i] = (struct input_file){ .path = r->files[i].path, .format = r->files[i].format };
	*out = r;
	return 0;
fail:
	reader_free(r);
	return rc;
}

const struct input_file *reader_files(const struct reader *reader, size_t *n_files)
{
	*n_files = reader->n_files;
	return reader->listing;
}

/* ---- the current file ------------------------------------------------------ */

static void csv_record_free(struct csv_record *rec)
{
	for (size_t i = 0; i < rec->n_fields; i++)
		free(rec->fields[i]);
	free(rec->fields);
	free(rec->lens);
}

/* Starts the hash of f, unless an earlier pass read f to its end: its entry
 * is kept, so that a rewind hashes nothing twice. */
static void hash_start(struct reader *r, const struct file_entry *f)
{
	r->hash.on = !r->listing[f - r->files].hashed;
	if (r->hash.on) {
		checksum_reset(&r->hash.sum);
		r->hash.bytes = 0;
	}
}

/* Hashes n bytes read from r->fp: the file's own bytes, unless a UTF-16
 * decoder stands between (it hashes the raw bytes it reads, open_input). */
static void hash_read(struct reader *r, const void *bytes, size_t n)
{
	if (r->declared != ENC_UTF16LE && r->declared != ENC_UTF16BE)
		raw_hash_update(&r->hash, bytes, n);
}

/* f has been read to its end: its size and checksum go into its entry. */
static void hash_finish(struct reader *r, const struct file_entry *f)
{
	if (!r->hash.on)
		return;
	struct input_file *entry = &r->listing[f - r->files];
	checksum_finish(&r->hash.sum, entry->checksum);
	entry->bytes = r->hash.bytes;
	entry->hashed = true;
	r->hash.on = false;
}

static void close_current(struct reader *r)
{
	if (r->fp)
		fclose(r->fp);
	r->fp = NULL;
	r->hash.on = false;  /* a file left before its end has no hash (yet) */
	if (r->csv_open)
		csv_free(&r->csv);
	r->csv_open = false;
	for (size_t i = 0; i < r->n_header; i++)
		free(r->header[i]);
	free(r->header);
	r->header = NULL;
	r->n_header = 0;
	for (size_t i = 0; i < r->n_fields; i++)
		free(r->fields[i]);
	r->n_fields = 0;
	for (size_t i = r->queue_head; i < r->queue_head + r->queue_len; i++)
		csv_record_free(&r->queue[i]);
	r->queue_head = r->queue_len = 0;
	r->chunk_pos = r->chunk_len = 0;
	r->chunk_eof = false;
	r->declared = ENC_NONE;
	r->offset = r->piece_end = 0;
	r->csv_eof = false;
	r->csv_error = 0;
	r->cur = NULL;
	r->line_no = 0;
}

/* Starts doc with the fields every document has. */
static int doc_begin(struct reader *r, struct doc *doc, const struct file_entry *f, uint64_t line)
{
	doc_clear(doc);
	doc->record = ++r->record;
	doc->line = line;
	doc->file = strdup(f->path);
	doc->file_index = (size_t)(f - r->files);
	return doc->file ? 0 : TD_ENOMEM;
}

/* Marks doc malformed (or fails under strict); the message names the place. */
static int malformed(struct reader *r, struct doc *doc, struct td_diag *diag, const char *why)
{
	if (r->opts->strict)
		return td_fail(diag, TD_EFORMAT, "'%s' line %" PRIu64 ": %s", doc->file, doc->line, why);
	td_warn(diag, "'%s' line %" PRIu64 ": %s; record listed as malformed", doc->file, doc->line, why);
	doc->malformed = true;
	finish_encoding(doc);
	doc->problem = strdup(why);
	if (!doc->text)
		doc->text = strdup("");
	if (!doc->id) {
		char buf[32];
		snprintf(buf, sizeof buf, "%" PRIu64, doc->record);
		doc->id = strdup(buf);
	}
	return doc->problem && doc->text && doc->id ? 1 : TD_ENOMEM;
}

static int set_date(struct doc *doc, const char *value, struct td_diag *diag)
{
	if (!value || !value[0])
		return 0;
	if (date_parse(value, strlen(value), &doc->date) == 0) {
		doc->has_date = true;
		return 0;
	}
	td_warn(diag, "'%s' line %" PRIu64 ": cannot parse the date '%s'; the document has no date",
		doc->file, doc->line, value);
	return 0;
}

static bool looks_binary(const unsigned char *p, size_t len)
{
	static const struct {
		const char *magic;
		size_t len;
	} signatures[] = {
		{ "\x89PNG\r\n\x1a\n", 8 }, { "\xff\xd8\xff", 3 }, { "GIF87a", 6 }, { "GIF89a", 6 },
		{ "%PDF-", 5 }, { "PK\x03\x04", 4 }, { "\x1f\x8b", 2 },
	};
	for (size_t i = 0; i < sizeof signatures / sizeof *signatures; i++)
		if (len >= signatures[i].len && memcmp(p, signatures[i].magic, signatures[i].len) == 0)
			return true;
	return memchr(p, 0, len < SNIFF_BYTES ? len : SNIFF_BYTES) != NULL;
}

/* Reads a whole file into a new buffer, with room for one more byte after
 * its *len bytes (a NUL: the buffer can become the document's text).  The
 * buffer is sized from size, the file's size when it was listed, so that a
 * file that has not changed is read in one read() straight into it (and one
 * more that finds its end); it grows if the file did. */
static int read_whole(const char *path, uint64_t size, char **out, size_t *len, struct td_diag *diag)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return td_fail(diag, TD_EIO, "cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	if (size == UINT64_MAX)  /* not listed with its size: the open file's */
		size = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	size_t cap = size > 0 && size < SIZE_MAX / 4 ? (size_t)size + 1 : 1 << 16, n = 0;
	char *buf = malloc(cap);
	int rc = 0;
	while (buf) {
		if (n == cap) {  /* the file is longer than it was, or not a regular file */
			char *grown = realloc(buf, cap * 2);
			if (!grown) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap *= 2;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = td_fail(diag, TD_EIO, "cannot read '%s': %s", path, strerror(errno));
			break;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (!buf)
		rc = td_fail(diag, TD_ENOMEM, "out of memory reading '%s'", path);
	else if (rc == 0 && n == cap) {  /* the file ended exactly at the end of the buffer */
		char *grown = realloc(buf, cap + 1);
		if (grown)
			buf = grown;
		else
			rc = td_fail(diag, TD_ENOMEM, "out of memory reading '%s'", path);
	}
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = n;
	return 0;
}

/* The doc_id of a .txt file: its relative path without the extension. */
static char *txt_id(const char *rel)
{
	const char *base = base_name(rel);
	const char *dot = strrchr(base, '.');
	size_t len = dot && dot != base ? (size_t)(dot - rel) : strlen(rel);
	char *id = malloc(len + 1);
	if (id) {
		memcpy(id, rel, len);
		id[len] = '\0';
	}
	return id;
}

/* A title taken from the first line can be a whole paragraph (or a whole
 * one-line speech): keep at most TITLE_MAX bytes, cut at a character
 * boundary, with "…" after the cut.  Takes and returns ownership. */
#define TITLE_MAX 200
static char *shorten_title(char *title)
{
	if (!title || strlen(title) <= TITLE_MAX + 3)
		return title;
	size_t cut = TITLE_MAX;
	while (cut > 0 && ((unsigned char)title[cut] & 0xC0) == 0x80)
		cut--;  /* back to the start of a UTF-8 character */
	while (cut > 0 && title[cut - 1] == ' ')
		cut--;
	memcpy(title + cut, "\xE2\x80\xA6", 4);  /* the buffer holds > TITLE_MAX + 4 bytes */
	return title;
}

static int read_txt(struct reader *r, struct file_entry *f, struct doc *doc, struct td_diag *diag)
{
	char *raw = NULL;
	size_t len = 0;
	int rc = doc_begin(r, doc, f, 0);
	if (rc)
		return td_fail(diag, rc, "out of memory");
	if ((rc = read_whole(f->path, f->size, &raw, &len, diag)))
		return rc;
	/* the whole file, a binary one too (looks_binary sees it all) */
	raw_hash_update(&r->hash, raw, len);
	hash_finish(r, f);
	doc->n_bytes = len;
	doc->id = txt_id(f->rel);
	if (!doc->id) {
		free(raw);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	enum text_encoding declared = ENC_NONE;
	size_t bom = encoding_sniff_bom(raw, len, &declared);
	bool utf16 = declared == ENC_UTF16LE || declared == ENC_UTF16BE;
	if (!utf16 && looks_binary((const unsigned char *)raw, len)) {  /* UTF-16 has NUL bytes */
		free(raw);
		td_warn(diag, "skipping binary file '%s'", f->path);
		doc->binary = true;
		doc->problem = strdup("binary file");
		doc->text = strdup("");
		if (!doc->problem || !doc->text)
			return td_fail(diag, TD_ENOMEM, "out of memory");
		return 1;
	}
	char *text;
	size_t text_len;
	if (utf16) {
		doc->encoding = declared;
		rc = encoding_utf16_to_utf8(raw + bom, len - bom, declared == ENC_UTF16BE, &text, &text_len,
					    &doc->invalid_utf8);
		free(raw);
	} else if (decode_unchanged(declared, raw + bom, len - bom, doc)) {
		/* the file is its own text: no copy (a UTF-8 mark is dropped) */
		text_len = len - bom;
		if (bom)
			memmove(raw, raw + bom, text_len);
		text = raw;
	} else {
		rc = decode_bytes(r->opts, declared, raw + bom, len - bom, doc, &text, &text_len);
		free(raw);
	}
	if (rc == 0)
		finish_encoding(doc);
	if (rc == 0 && (rc = strip_html(r->opts, doc, &text, &text_len)))
		free(text);
	if (rc)
		return td_fail(diag, rc, "out of memory");
	/* every text above has room for text_len + 1 bytes: txtmeta writes the
	 * body over it */
	struct txtmeta meta;
	rc = txtmeta_parse_owned(text, text_len, &meta);
	if (rc)
		return td_fail(diag, rc, "out of memory");
	doc->text = meta.text;
	doc->text_len = meta.text_len;
	doc->title = shorten_title(meta.title);
	/* docs.csv has one column for where a text comes from: the "Source:"
	 * line, or else the author ("Author:", "By:", an e-mail's "From:"). */
	if (meta.source) {
		doc->source = meta.source;
		free(meta.author);
	} else {
		doc->source = meta.author;
	}
	doc->has_date = meta.has_date;
	doc->date = meta.date;
	if ((rc = apply_manifest(r, f, doc, diag)))
		return td_fail(diag, rc, "out of memory");
	return 1;
}

/* cJSON's allocations go through json_malloc, which notes a failure for
 * the thread, so that a record cJSON could not parse for want of memory is
 * an error, not a malformed record. */
static _Thread_local bool json_out_of_memory;

static void *json_malloc(size_t size)
{
	void *p = malloc(size);
	if (!p)
		json_out_of_memory = true;
	return p;
}

static void json_hooks_init(void)
{
	cJSON_Hooks hooks = { .malloc_fn = json_malloc, .free_fn = free };
	cJSON_InitHooks(&hooks);
}

static pthread_once_t json_hooks_once = PTHREAD_ONCE_INIT;

/* The value of an object's field: the last one of that name, as a JSON
 * object holds one value per name (jansson, which parsed records before,
 * kept the last). */
static cJSON *json_member(const cJSON *obj, const char *name)
{
	cJSON *found = NULL;
	for (cJSON *v = obj->child; v; v = v->next)
		if (v->string && strcmp(v->string, name) == 0)
			found = v;
	return found;
}

/* The string value of a JSON field (strings, and integers as text: cJSON
 * holds numbers as doubles, so an integer is one of magnitude below 2^53,
 * which a double holds exactly; another number is of the wrong type). */
static char *json_field(const cJSON *obj, const char *name, bool *present, bool *wrong_type)
{
	cJSON *v = json_member(obj, name);
	*present = v && !cJSON_IsNull(v);
	*wrong_type = false;
	if (!*present)
		return NULL;
	if (cJSON_IsString(v))
		return strdup(v->valuestring);
	double x = cJSON_IsNumber(v) ? v->valuedouble : 0.5;
	if (x == floor(x) && fabs(x) < 0x1p53) {
		char buf[32];
		snprintf(buf, sizeof buf, "%" PRId64, (int64_t)x);
		return strdup(buf);
	}
	*wrong_type = true;
	return NULL;
}

/* A document's text_release (doc.h) for a text that is a JSON string. */
static void release_json(void *owner)
{
	cJSON_Delete(owner);
}

/* The message for a record that is not valid JSON: up to 16 bytes of the
 * line from where parsing stopped (a record must be an object, or an array:
 * anything else at its start is said so, as "'[' or '{' expected"). */
static void json_error_text(char *why, size_t why_size, const char *line, size_t len, size_t at)
{
	size_t start = 0;
	while (start < len && (line[start] == ' ' || line[start] == '\t'))
		start++;
	const char *what = "unexpected text";
	if (start < len && line[start] != '{' && line[start] != '[') {
		at = start;
		what = "'[' or '{' expected";
	}
	size_t end = at;
	while (end < len && end - at < 16 && line[end] != '\n' && line[end] != '\r')
		end++;
	while (end > at && end < len && ((unsigned char)line[end] & 0xC0) == 0x80)
		end--;  /* not inside a character */
	if (end == at)
		snprintf(why, why_size, "not valid JSON: the line ends inside a value");
	else
		snprintf(why, why_size, "not valid JSON: %s near '%.*s'", what, (int)(end - at), line + at);
}

/* Rewrites each \u0000 escape of the line (the escape: an odd number of
 * backslashes before the u) as \uFFFD, in place: cJSON's strings end at
 * their first NUL, and a NUL in a text is repaired to U+FFFD (and counted
 * as invalid) anyway.  Returns how many it rewrote. */
static size_t mend_nul_escapes(char *line, size_t len)
{
	/* from one run of backslashes to the next with memchr (memmem for the
	 * whole escape took 3% of a JSON Lines run on one thread) */
	size_t n = 0;
	char *end = line + len;
	for (char *p = line; (p = memchr(p, '\\', (size_t)(end - p)));) {
		char *q = p;
		while (q < end && *q == '\\')
			q++;
		if ((q - p) % 2 == 1 && end - q >= 5 && memcmp(q, "u0000", 5) == 0) {
			memcpy(q + 1, "FFFD", 4);  /* the last backslash escapes the u */
			n++;
		}
		p = q;
	}
	return n;
}

/* Makes doc (begun by read_jsonl, with its encoding so far) from the len
 * bytes of valid UTF-8 at line (followed by a NUL; \u0000 escapes are
 * rewritten in it), a JSON Lines record: the fields, the text, the manifest.
 * Reads only the options and the manifests (reader_parse runs it on several
 * threads at once).  Returns 1 (a document, perhaps marked malformed) or a
 * negative code with a message in diag. */
static int parse_jsonl(struct reader *r, const struct file_entry *f, struct doc *doc, char *line, size_t len,
		       struct td_diag *diag)
{
	const struct reader_opts *o = r->opts;
	pthread_once(&json_hooks_once, json_hooks_init);
	size_t nuls = memchr(line, '\\', len) ? mend_nul_escapes(line, len) : 0;
	/* the length with the NUL: cJSON then checks that only white space
	 * follows the value */
	const char *end = NULL;
	json_out_of_memory = false;
	cJSON *obj = cJSON_ParseWithLengthOpts(line, len + 1, &end, true);
	if (!obj) {
		if (json_out_of_memory)
			return td_fail(diag, TD_ENOMEM, "out of memory");
		char why[256];
		json_error_text(why, sizeof why, line, len, end && end >= line ? (size_t)(end - line) : 0);
		return malformed(r, doc, diag, why);
	}
	int rc = 1;
	bool present, wrong;
	if (!cJSON_IsObject(obj)) {
		rc = malformed(r, doc, diag, "not a JSON object");
		goto done;
	}
	doc->id = json_field(obj, field_name(o->id_field, "id"), &present, &wrong);
	if (!doc->id) {
		char buf[32];
		snprintf(buf, sizeof buf, "%" PRIu64, doc->record);
		doc->id = strdup(buf);
	}
	cJSON *text = json_member(obj, field_name(o->text_field, "text"));
	if (!cJSON_IsString(text)) {
		char why[256];
		snprintf(why, sizeof why, text ? "the field '%s' is not a string" : "no field '%s'",
			 field_name(o->text_field, "text"));
		rc = malformed(r, doc, diag, why);
		goto done;
	}
	/* cJSON hands back valid UTF-8 (the line was decoded before parsing,
	 * and it refuses escaped lone surrogates) without NUL (the escapes
	 * were rewritten, and count as invalid, as a NUL repaired to U+FFFD
	 * does).  The document keeps cJSON's string as its text, no copy: it
	 * takes the string's node out of the record (doc.h), unless
	 * --strip-html is to replace the text. */
	doc->invalid_utf8 += nuls;
	size_t value_len = strlen(text->valuestring);
	if (!o->strip_html) {
		cJSON_DetachItemViaPointer(obj, text);
		doc->text = text->valuestring;  /* read-only from here on (doc.h) */
		doc->text_len = value_len;
		doc->text_owner = text;
		doc->text_release = release_json;
		rc = 0;
	} else {
		doc->text = malloc(value_len + 1);
		rc = doc->text ? 0 : TD_ENOMEM;
		if (doc->text) {
			memcpy(doc->text, text->valuestring, value_len + 1);
			doc->text_len = value_len;
		}
	}
	if (rc) {
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
		goto done;
	}
	char *date = json_field(obj, field_name(o->date_field, "date"), &present, &wrong);
	set_date(doc, date, diag);
	free(date);
	doc->title = json_field(obj, field_name(o->title_field, "title"), &present, &wrong);
	doc->source = json_field(obj, field_name(o->source_field, "source"), &present, &wrong);
	finish_encoding(doc);
	if (!doc->id || strip_html(o, doc, &doc->text, &doc->text_len) ||
	    strip_html(o, doc, &doc->title, NULL) || (rc = apply_manifest(r, f, doc, diag)))
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
	else
		rc = 1;
done:
	cJSON_Delete(obj);
	return rc;
}

/* Hands over r->line, which holds a line of len bytes and its NUL, and
 * gives the reader a new buffer for the next line: a line kept for later is
 * not copied (a copy cost 1% of a run on one thread).  The new buffer has
 * room for twice this line (getline grows it when the next one is longer),
 * and the line's buffer is trimmed to the line, so that neither holds
 * much more than a line.  Returns the line, or NULL (out of memory). */
static char *take_line(struct reader *r, size_t len)
{
	size_t cap = len < 4096 ? 8192 : 2 * (len + 1);
	char *next = malloc(cap);
	if (!next)
		return NULL;
	char *line = r->line;
	if (r->line_cap > 2 * (len + 1)) {
		char *trimmed = realloc(line, len + 1);  /* shrinks in place: no copy */
		if (trimmed)
			line = trimmed;
	}
	r->line = next;
	r->line_cap = cap;
	return line;
}

/* Reads the next record of a JSONL file into doc: parsed (parse_jsonl), or
 * with `defer` left for reader_parse, the line (decoded) as doc->text.
 * Returns 1, 0 at the end of the file, or a negative code. */
static int read_jsonl(struct reader *r, struct file_entry *f, struct doc *doc, bool defer, struct td_diag *diag)
{
	for (;;) {
		errno = 0;
		ssize_t n = getline(&r->line, &r->line_cap, r->fp);
		if (n < 0) {
			if (ferror(r->fp))
				return td_fail(diag, TD_EIO, "cannot read '%s': %s", f->path, strerror(errno));
			if (feof(r->fp))
				hash_finish(r, f);
			return 0;
		}
		hash_read(r, r->line, (size_t)n);
		r->line_no++;
		size_t i = 0;
		while (i < (size_t)n && (r->line[i] == ' ' || r->line[i] == '\t' || r->line[i] == '\r' ||
					 r->line[i] == '\n'))
			i++;
		if (i == (size_t)n)
			continue;  /* a blank line is no record */
		int rc = doc_begin(r, doc, f, r->line_no);
		if (rc)
			return td_fail(diag, rc, "out of memory");
		doc->n_bytes = (size_t)n;
		/* cJSON parses the line itself when it needs no decoding (valid
		 * UTF-8 without NUL), else a decoded copy */
		char *clean = NULL;
		size_t clean_len = (size_t)n;
		if (!decode_unchanged(r->declared, r->line, (size_t)n, doc) &&
		    decode_bytes(r->opts, r->declared, r->line, (size_t)n, doc, &clean, &clean_len))
			return td_fail(diag, TD_ENOMEM, "out of memory");
		if (defer) {
			/* the record keeps its line: the decoded copy, or the
			 * buffer getline read it into */
			if (!clean && !(clean = take_line(r, (size_t)n)))
				return td_fail(diag, TD_ENOMEM, "out of memory");
			doc->text = clean;
			doc->text_len = clean_len;
			doc->json_pending = true;
			return 1;
		}
		rc = parse_jsonl(r, f, doc, clean ? clean : r->line, clean_len, diag);
		free(clean);
		return rc;
	}
}

int reader_parse(struct reader *r, struct doc *doc, struct td_diag *diag)
{
	if (!doc->json_pending)
		return 0;
	char *line = doc->text;
	size_t len = doc->text_len;
	doc->text = NULL;
	doc->text_len = 0;
	doc->json_pending = false;
	int rc = parse_jsonl(r, &r->files[doc->file_index], doc, line, len, diag);
	free(line);
	return rc < 0 ? rc : 0;
}

/* libcsv callbacks: collect the fields of a record, queue whole records. */
static void csv_field_cb(void *s, size_t len, void *data)
{
	struct reader *r = data;
	if (r->csv_error)
		return;
	if (r->n_fields == r->cap_fields) {
		size_t cap = r->cap_fields ? 2 * r->cap_fields : 16;
		char **grown = realloc(r->fields, cap * sizeof *grown);
		if (grown)
			r->fields = grown;
		size_t *lens = grown ? realloc(r->field_lens, cap * sizeof *lens) : NULL;
		if (!lens) {
			r->csv_error = TD_ENOMEM;
			return;
		}
		r->field_lens = lens;
		r->cap_fields = cap;
	}
	char *copy = malloc(len + 1);
	if (!copy) {
		r->csv_error = TD_ENOMEM;
		return;
	}
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	r->field_lens[r->n_fields] = len;
	r->fields[r->n_fields++] = copy;
}

static void csv_record_cb(int c, void *data)
{
	(void)c;
	struct reader *r = data;
	if (r->csv_error)
		return;
	if (r->queue_head + r->queue_len == r->queue_cap) {
		if (r->queue_head > 0) {  /* slide down */
			memmove(r->queue, r->queue + r->queue_head, r->queue_len * sizeof *r->queue);
			r->queue_head = 0;
		} else {
			size_t cap = r->queue_cap ? 2 * r->queue_cap : 16;
			struct csv_record *grown = realloc(r->queue, cap * sizeof *grown);
			if (!grown) {
				r->csv_error = TD_ENOMEM;
				return;
			}
			r->queue = grown;
			r->queue_cap = cap;
		}
	}
	char **fields = malloc((r->n_fields ? r->n_fields : 1) * sizeof *fields);
	size_t *lens = malloc((r->n_fields ? r->n_fields : 1) * sizeof *lens);
	if (!fields || !lens) {
		free(fields);
		free(lens);
		r->csv_error = TD_ENOMEM;
		return;
	}
	memcpy(fields, r->fields, r->n_fields * sizeof *fields);
	memcpy(lens, r->field_lens, r->n_fields * sizeof *lens);
	r->queue[r->queue_head + r->queue_len++] = (struct csv_record){
		.fields = fields, .lens = lens, .n_fields = r->n_fields, .line = r->record_line,
		.n_bytes = (size_t)(r->piece_end - r->record_offset)
	};
	r->n_fields = 0;
	r->record_pending = true;
}

/* Reads more of a CSV file into the chunk, after the bytes not yet fed. */
static int csv_read_chunk(struct reader *r, const struct file_entry *f, struct td_diag *diag)
{
	size_t keep = r->chunk_len - r->chunk_pos;
	memmove(r->chunk, r->chunk + r->chunk_pos, keep);
	r->chunk_pos = 0;
	size_t want = CSV_CHUNK - keep;
	size_t got = fread(r->chunk + keep, 1, want, r->fp);
	r->chunk_len = keep + got;
	hash_read(r, r->chunk + keep, got);
	if (got < want) {
		if (ferror(r->fp))
			return td_fail(diag, TD_EIO, "cannot read '%s': %s", f->path, strerror(errno));
		r->chunk_eof = true;  /* a short read of a regular file: its end */
		hash_finish(r, f);
	}
	return 0;
}

/* The length of the next piece of the chunk to feed to libcsv: up to and
 * including the next line end (LF, CRLF or a lone CR), or the rest of the
 * chunk when no line ends in it.  Feeding a line at a time is what tells the
 * record callback which line it is on.  Returns 0 when there is nothing to
 * feed before more is read, which includes a CR at the very end of the chunk:
 * its next byte tells a CRLF from a CR alone. */
static size_t csv_next_piece(const struct reader *r, bool *line_end)
{
	const char *p = r->chunk + r->chunk_pos;
	size_t avail = r->chunk_len - r->chunk_pos;
	*line_end = true;
	for (size_t i = 0; i < avail; i++) {
		if (p[i] == '\n')
			return i + 1;
		if (p[i] != '\r')
			continue;
		if (i + 1 < avail)
			return p[i + 1] == '\n' ? i + 2 : i + 1;
		if (r->chunk_eof)
			return i + 1;
		*line_end = false;
		return i;  /* the CR waits for the next chunk */
	}
	*line_end = false;
	return avail;
}

/* True when libcsv skips the bytes as it does blank lines between records. */
static bool csv_blank(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

/* Ends the file: hands libcsv's last record over and marks it broken when a
 * quoted field is still open.  Parsing is not strict (CSV_STRICT stops at
 * the first stray quote of a messy file), so the open quote is found by
 * asking a strict csv_fini first, which refuses with CSV_EPARSE exactly in
 * that case and changes nothing; a lenient csv_fini then ends the record. */
static void csv_finish(struct reader *r)
{
	r->csv_eof = true;
	r->piece_end = r->offset;
	size_t before = r->queue_len;
	csv_set_opts(&r->csv, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI);
	bool open_quote = csv_fini(&r->csv, csv_field_cb, csv_record_cb, r) != 0;
	if (open_quote) {
		csv_set_opts(&r->csv, CSV_APPEND_NULL);
		csv_fini(&r->csv, csv_field_cb, csv_record_cb, r);
	}
	if (open_quote && r->queue_len > before)
		r->queue[r->queue_head + r->queue_len - 1].broken = true;
}

/* Feeds the file to libcsv, a piece at a time, until a record is queued or
 * the file ends. */
static int csv_fill(struct reader *r, const struct file_entry *f, struct td_diag *diag)
{
	while (r->queue_len == 0 && !r->csv_eof && !r->csv_error) {
		bool line_end;
		size_t len = csv_next_piece(r, &line_end);
		if (len == 0) {
			int rc;
			if (r->chunk_eof && r->chunk_pos == r->chunk_len)
				csv_finish(r);
			else if ((rc = csv_read_chunk(r, f, diag)))
				return rc;
			continue;
		}
		const char *piece = r->chunk + r->chunk_pos;
		if (r->record_pending && !csv_blank(piece, len)) {
			r->record_pending = false;
			r->record_line = r->line_no;
			r->record_offset = r->offset;
		}
		r->piece_end = r->offset + len;
		if (csv_parse(&r->csv, piece, len, csv_field_cb, csv_record_cb, r) != len) {
			return td_fail(diag, csv_error(&r->csv) == CSV_ENOMEM ? TD_ENOMEM : TD_EFORMAT,
				       "'%s' line %" PRIu64 ": %s", f->path, r->line_no,
				       csv_strerror(csv_error(&r->csv)));
		}
		r->chunk_pos += len;
		r->offset += len;
		if (line_end)
			r->line_no++;
	}
	if (r->csv_error)
		return td_fail(diag, r->csv_error, "out of memory");
	return 0;
}

/* Reads the header row and finds the named columns. */
static int csv_header(struct reader *r, struct file_entry *f, struct td_diag *diag)
{
	int rc = csv_fill(r, f, diag);
	if (rc)
		return rc;
	if (r->queue_len == 0) {
		td_warn(diag, "'%s' has no header row; no documents read from it", f->path);
		return 0;
	}
	struct csv_record *h = &r->queue[r->queue_head++];
	r->queue_len--;
	r->header = h->fields;
	r->n_header = h->n_fields;
	free(h->lens);
	const struct reader_opts *o = r->opts;
	r->col_id = column_index(r->header, r->n_header, field_name(o->id_field, "id"));
	r->col_date = column_index(r->header, r->n_header, field_name(o->date_field, "date"));
	r->col_text = column_index(r->header, r->n_header, field_name(o->text_field, "text"));
	r->col_title = column_index(r->header, r->n_header, field_name(o->title_field, "title"));
	r->col_source = column_index(r->header, r->n_header, field_name(o->source_field, "source"));
	if (r->col_text >= 0)
		return 0;
	size_t len = 1;
	for (size_t i = 0; i < r->n_header; i++)
		len += strlen(r->header[i]) + 2;
	char *list = malloc(len);
	if (!list)
		return td_fail(diag, TD_ENOMEM, "out of memory");
	list[0] = '\0';
	size_t at = 0;
	for (size_t i = 0; i < r->n_header; i++)
		at += (size_t)snprintf(list + at, len - at, "%s%s", i ? ", " : "", r->header[i]);
	rc = td_fail(diag, TD_EFORMAT, "'%s': no column '%s' (columns: %s)", f->path,
		     field_name(o->text_field, "text"), list);
	free(list);
	return rc;
}

/* Decodes field col of rec (NULL when absent or, with skip_empty, empty)
 * into *out as valid UTF-8. */
static int csv_decode_field(struct reader *r, const struct csv_record *rec, long col, bool skip_empty,
			    struct doc *doc, char **out)
{
	*out = NULL;
	if (col < 0 || (size_t)col >= rec->n_fields || (skip_empty && rec->lens[col] == 0))
		return 0;
	size_t len;
	return decode_bytes(r->opts, r->declared, rec->fields[col], rec->lens[col], doc, out, &len);
}

static int read_csv(struct reader *r, struct file_entry *f, struct doc *doc, struct td_diag *diag)
{
	int rc = csv_fill(r, f, diag);
	if (rc)
		return rc;
	if (r->queue_len == 0)
		return 0;
	struct csv_record rec = r->queue[r->queue_head++];
	r->queue_len--;
	if ((rc = doc_begin(r, doc, f, rec.line))) {
		csv_record_free(&rec);
		return td_fail(diag, rc, "out of memory");
	}
	doc->n_bytes = rec.n_bytes;
	/* a record that is not valid UTF-8 is Windows-1252 as a whole (with
	 * the fallback): decided before any of its fields is decoded */
	if (r->declared == ENC_NONE && r->opts->fallback == ENC_CP1252)
		for (size_t i = 0; i < rec.n_fields && doc->encoding != ENC_CP1252; i++)
			if (!encoding_utf8_valid(rec.fields[i], rec.lens[i]))
				doc->encoding = ENC_CP1252;
	char *date = NULL;
	if ((rc = csv_decode_field(r, &rec, r->col_id, true, doc, &doc->id)))
		goto done;
	if (rec.broken) {
		rc = malformed(r, doc, diag, "unbalanced quotes at the end of the file");
	} else if (rec.n_fields != r->n_header) {
		char why[128];
		snprintf(why, sizeof why, "%zu fields where the header has %zu", rec.n_fields, r->n_header);
		rc = malformed(r, doc, diag, why);
	} else {
		if (!doc->id) {
			char buf[32];
			snprintf(buf, sizeof buf, "%" PRIu64, doc->record);
			if (!(doc->id = strdup(buf)))
				rc = TD_ENOMEM;
		}
		/* the text column, unless another field is read from it too */
		bool text_alone = r->col_text != r->col_title && r->col_text != r->col_source &&
				  r->col_text != r->col_date;
		if (rc == 0 && text_alone &&
		    decode_unchanged(r->declared, rec.fields[r->col_text], rec.lens[r->col_text], doc)) {
			/* the field (csv_field_cb's NUL-terminated copy) becomes the text */
			doc->text = rec.fields[r->col_text];
			doc->text_len = rec.lens[r->col_text];
			rec.fields[r->col_text] = NULL;
		} else if (rc == 0) {
			rc = decode_bytes(r->opts, r->declared, rec.fields[r->col_text], rec.lens[r->col_text], doc,
					  &doc->text, &doc->text_len);
		}
		if (rc == 0)
			rc = csv_decode_field(r, &rec, r->col_title, true, doc, &doc->title);
		if (rc == 0)
			rc = csv_decode_field(r, &rec, r->col_source, true, doc, &doc->source);
		if (rc == 0)
			rc = csv_decode_field(r, &rec, r->col_date, true, doc, &date);
		if (rc == 0)
			rc = strip_html(r->opts, doc, &doc->text, &doc->text_len);
		if (rc == 0)
			rc = strip_html(r->opts, doc, &doc->title, NULL);
		if (rc == 0) {
			set_date(doc, date, diag);
			rc = apply_manifest(r, f, doc, diag);
		}
		rc = rc ? td_fail(diag, TD_ENOMEM, "out of memory") : 1;
	}
	finish_encoding(doc);
done:
	if (rc == TD_ENOMEM)
		rc = td_fail(diag, TD_ENOMEM, "out of memory");
	free(date);
	csv_record_free(&rec);
	return rc;
}

/* reader_next, or with `defer` reader_next_unparsed. */
static int next_doc(struct reader *r, struct doc *doc, bool defer, struct td_diag *diag)
{
	for (;;) {
		if (r->cur) {
			int rc = r->cur->format == FORMAT_JSONL ? read_jsonl(r, r->cur, doc, defer, diag)
								: read_csv(r, r->cur, doc, diag);
			if (rc != 0)
				return rc;
			close_current(r);
			continue;
		}
		if (r->next_file == r->n_files) {
			doc_clear(doc);
			if (r->next_file++ == r->n_files && !defer)  /* once per pass */
				warn_unused_rows(r, diag);
			return 0;
		}
		if (r->next_file > r->n_files) {
			doc_clear(doc);
			return 0;
		}
		struct file_entry *f = &r->files[r->next_file++];
		hash_start(r, f);
		if (f->format == FORMAT_TXT)
			return read_txt(r, f, doc, diag);
		bool jsonl = f->format == FORMAT_JSONL;
		if (jsonl && !r->io_buf && !(r->io_buf = malloc(INPUT_BUF)))
			return td_fail(diag, TD_ENOMEM, "out of memory");
		r->fp = open_input(f->path, &r->declared, &r->hash, jsonl ? r->io_buf : NULL);
		if (!r->fp)
			return td_fail(diag, errno == ENOMEM ? TD_ENOMEM : TD_EIO, "cannot open '%s': %s", f->path,
				       strerror(errno));
		r->cur = f;
		r->line_no = 0;
		if (f->format == FORMAT_CSV) {
			if (!r->chunk && !(r->chunk = malloc(CSV_CHUNK))) {
				close_current(r);
				return td_fail(diag, TD_ENOMEM, "out of memory");
			}
			if (csv_init(&r->csv, CSV_APPEND_NULL) != 0) {
				close_current(r);
				return td_fail(diag, TD_ENOMEM, "out of memory");
			}
			r->csv_open = true;
			r->line_no = 1;
			r->record_pending = true;
			int rc = csv_header(r, f, diag);
			if (rc) {
				close_current(r);  /* a next call goes on with the next file */
				return rc;
			}
		}
	}
}

int reader_next(struct reader *r, struct doc *doc, struct td_diag *diag)
{
	return next_doc(r, doc, false, diag);
}

int reader_next_unparsed(struct reader *r, struct doc *doc, struct td_diag *diag)
{
	return next_doc(r, doc, true, diag);
}

void reader_end_pass(struct reader *r, struct td_diag *diag)
{
	warn_unused_rows(r, diag);
}

int reader_rewind(struct reader *r, struct td_diag *diag)
{
	(void)diag;
	close_current(r);
	r->next_file = 0;
	r->record = 0;
	for (size_t i = 0; i < r->n_manifests; i++)
		for (size_t k = 0; k < r->manifests[i].keys.n_terms; k++)
			atomic_store_explicit(&r->manifests[i].rows[k].used, false, memory_order_relaxed);
	return 0;
}

void reader_free(struct reader *r)
{
	if (!r)
		return;
	close_current(r);
	for (size_t i = 0; i < r->n_files; i++) {
		free(r->files[i].path);
		free(r->files[i].rel);
	}
	free(r->files);
	free(r->listing);
	for (size_t i = 0; i < r->n_manifests; i++)
		manifest_free(&r->manifests[i]);
	free(r->manifests);
	free(r->line);
	free(r->io_buf);
	free(r->chunk);
	free(r->fields);
	free(r->field_lens);
	free(r->queue);
	checksum_free(&r->hash.sum);
	free(r);
}

const char *reader_format_name(enum input_format format)
{
	return format_label(format);
}
