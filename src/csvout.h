/* csvout.h - the CSV tables termdrift writes (the output contract).
 *
 * UTF-8, comma-separated, a header row, LF line ends, RFC 4180 quoting by
 * libcsv (a field is quoted only when it holds a comma, a quote, a CR or LF,
 * or leading or trailing space, so numbers are never quoted and gnuplot reads
 * them directly).  Numbers use %.*g with the table's precision (10 significant
 * digits by default; 17 round-trips doubles).  The file is written through
 * outfile.h: complete or absent.
 *
 * Write errors are sticky: the field functions return TD_EIO once a write has
 * failed, and csv_out_commit reports it.
 */
#ifndef TD_CSVOUT_H
#define TD_CSVOUT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "outfile.h"

#define CSV_DEFAULT_PRECISION 10

/* What a column holds, from the fields written to it (for the manifest):
 * only empty fields, text, integers, numbers (integers and reals mixed give
 * numbers), dates; any other mixture is text. */
enum { CSV_EMPTY = 0, CSV_STRING, CSV_INTEGER, CSV_NUMBER, CSV_DATE };

struct csv_out {
	struct outfile file;
	char *name;          /* the table's file name, for the manifest */
	char **columns;      /* the header's names */
	unsigned char *types;  /* per column: CSV_EMPTY ... CSV_DATE */
	size_t n_columns;
	size_t column;       /* fields written in the current row */
	uint64_t n_rows;     /* data rows ended so far */
	int precision;
	int error;           /* the first write error, sticky */
	int sys_errno;       /* errno of that error */
};

/* Opens dir/name ("-" for stdout) and writes the header row.
 * Returns 0 or a negative code with a message. */
int csv_out_open(struct csv_out *csv, const char *dir, const char *name,
		 const char *const *columns, size_t n_columns, int precision, struct td_diag *diag);

/* Field writers; str may be NULL (an empty field). */
int csv_out_str(struct csv_out *csv, const char *str);
int csv_out_strn(struct csv_out *csv, const char *str, size_t len);
int csv_out_int(struct csv_out *csv, int64_t value);
int csv_out_uint(struct csv_out *csv, uint64_t value);
int csv_out_double(struct csv_out *csv, double value);
int csv_out_date(struct csv_out *csv, int32_t days);  /* YYYY-MM-DD */
/* A number, or an empty field for NaN ("not applicable", e.g. the drift of
 * a bin that has nothing to compare with). */
int csv_out_number_or_empty(struct csv_out *csv, double value);

/* Ends the row (it must have exactly n_columns fields). */
int csv_out_end_row(struct csv_out *csv);

/* Completes the file (see outfile_commit).  Returns 0 or TD_EIO; the struct
 * is released except n_rows, name and the columns, which csv_out_free
 * releases. */
int csv_out_commit(struct csv_out *csv, struct td_diag *diag);

/* Abandons the file: the temporary is removed. */
void csv_out_abort(struct csv_out *csv);

/* Releases the name, column names and types (after commit or abort). */
void csv_out_free(struct csv_out *csv);

/* The type of column i as a name: "empty", "string", "integer", "number" or
 * "date" (valid until csv_out_free). */
const char *csv_out_column_type(const struct csv_out *csv, size_t i);

#endif
