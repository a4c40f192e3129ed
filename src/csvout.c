/* csvout.c - CSV tables (see csvout.h). */
#include "csvout.h"

#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fmtnum.h"

/* True when RFC 4180 (and readers that trim) need the field quoted. */
static bool needs_quotes(const char *str, size_t len)
{
	if (len == 0)
		return false;
	if (str[0] == ' ' || str[0] == '\t' || str[len - 1] == ' ' || str[len - 1] == '\t')
		return true;
	for (size_t i = 0; i < len; i++) {
		char c = str[i];
		if (c == ',' || c == '"' || c == '\n' || c == '\r')
			return true;
	}
	return false;
}

/* Records the first write error and the system's reason for it. */
static int io_error(struct csv_out *csv)
{
	if (!csv->error) {
		csv->error = TD_EIO;
		csv->sys_errno = errno;
	}
	return csv->error;
}

/* Writes the separator before a field, or fails when the row is full. */
static int begin_field(struct csv_out *csv)
{
	if (csv->error)
		return csv->error;
	if (csv->column == csv->n_columns)
		return csv->error = TD_EINVAL;
	if (csv->column++ > 0 && putc(',', csv->file.fp) == EOF)
		return io_error(csv);
	return 0;
}

static const char *const type_names[] = { "empty", "string", "integer", "number", "date" };

/* What a column holds so far, given one more field of type t. */
static unsigned char merge_type(unsigned char have, unsigned char t)
{
	if (have == CSV_EMPTY || have == t)
		return t;
	if ((have == CSV_INTEGER && t == CSV_NUMBER) || (have == CSV_NUMBER && t == CSV_INTEGER))
		return CSV_NUMBER;
	return CSV_STRING;
}

/* Writes one field of type t (CSV_EMPTY: the header, or no value). */
static int put_field(struct csv_out *csv, const char *str, size_t len, unsigned char t)
{
	int rc = begin_field(csv);
	if (rc)
		return rc;
	if (!str || len == 0)
		return 0;
	if (t != CSV_EMPTY && csv->types)
		csv->types[csv->column - 1] = merge_type(csv->types[csv->column - 1], t);
	int failed;
	if (needs_quotes(str, len))
		failed = csv_fwrite(csv->file.fp, str, len) != 0;
	else
		failed = fwrite(str, 1, len, csv->file.fp) != len;
	return failed ? io_error(csv) : 0;
}

int csv_out_strn(struct csv_out *csv, const char *str, size_t len)
{
	return put_field(csv, str, len, CSV_STRING);
}

int csv_out_str(struct csv_out *csv, const char *str)
{
	return csv_out_strn(csv, str, str ? strlen(str) : 0);
}

int csv_out_int(struct csv_out *csv, int64_t value)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%" PRId64, value);
	return put_field(csv, buf, (size_t)n, CSV_INTEGER);
}

int csv_out_uint(struct csv_out *csv, uint64_t value)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%" PRIu64, value);
	return put_field(csv, buf, (size_t)n, CSV_INTEGER);
}

int csv_out_double(struct csv_out *csv, double value)
{
	char buf[FMTNUM_MAX];
	size_t n;
	if (isnan(value))
		n = (size_t)snprintf(buf, sizeof buf, "nan");
	else if (isinf(value))
		n = (size_t)snprintf(buf, sizeof buf, value > 0 ? "inf" : "-inf");
	else
		n = fmtnum_g(buf, value == 0 ? 0.0 : value, csv->precision);
	return put_field(csv, buf, n, CSV_NUMBER);
}

int csv_out_date(struct csv_out *csv, int32_t days)
{
	char buf[DATE_ISO_LEN + 1];
	date_format(days, buf);
	return put_field(csv, buf, DATE_ISO_LEN, CSV_DATE);
}

int csv_out_end_row(struct csv_out *csv)
{
	if (csv->error)
		return csv->error;
	if (csv->column != csv->n_columns)
		return csv->error = TD_EINVAL;
	if (putc('\n', csv->file.fp) == EOF)
		return io_error(csv);
	csv->column = 0;
	csv->n_rows++;
	return 0;
}

int csv_out_open(struct csv_out *csv, const char *dir, const char *name,
		 const char *const *columns, size_t n_columns, int precision, struct td_diag *diag)
{
	memset(csv, 0, sizeof *csv);
	csv->name = strdup(name);
	csv->columns = calloc(n_columns ? n_columns : 1, sizeof *csv->columns);
	csv->types = calloc(n_columns ? n_columns : 1, sizeof *csv->types);
	for (size_t i = 0; csv->columns && i < n_columns; i++)
		if (!(csv->columns[i] = strdup(columns[i]))) {
			free(csv->columns);
			csv->columns = NULL;  /* the names copied so far are lost: out of memory anyway */
		}
	csv->n_columns = n_columns;
	if (!csv->name || !csv->columns || !csv->types) {
		csv_out_free(csv);
		return td_fail(diag, TD_ENOMEM, "out of memory");
	}
	csv->precision = precision > 0 ? precision : CSV_DEFAULT_PRECISION;
	int rc = outfile_open(&csv->file, dir, name, diag);
	if (rc) {
		csv_out_free(csv);
		return rc;
	}
	for (size_t i = 0; i < n_columns; i++)
		put_field(csv, columns[i], strlen(columns[i]), CSV_EMPTY);
	rc = csv_out_end_row(csv);
	csv->n_rows = 0;  /* the header is not a data row */
	if (rc) {
		csv_out_abort(csv);
		csv_out_free(csv);
		return td_fail(diag, TD_EIO, "cannot write '%s': %s", name, strerror(errno));
	}
	return 0;
}

int csv_out_commit(struct csv_out *csv, struct td_diag *diag)
{
	if (csv->error) {
		int code = csv->error;
		const char *why = code == TD_EIO ? strerror(csv->sys_errno)
						 : "a row with the wrong number of fields";
		int rc = td_fail(diag, code, "cannot write '%s': %s", csv->file.final_path, why);
		outfile_abort(&csv->file);
		return rc;
	}
	return outfile_commit(&csv->file, diag);
}

void csv_out_abort(struct csv_out *csv)
{
	outfile_abort(&csv->file);
}

void csv_out_free(struct csv_out *csv)
{
	for (size_t i = 0; csv->columns && i < csv->n_columns; i++)
		free(csv->columns[i]);
	free(csv->columns);
	free(csv->types);
	free(csv->name);
	csv->name = NULL;
	csv->columns = NULL;
	csv->types = NULL;
}

const char *csv_out_column_type(const struct csv_out *csv, size_t i)
{
	return type_names[csv->types[i]];
}

int csv_out_number_or_empty(struct csv_out *csv, double value)
{
	return isnan(value) ? csv_out_str(csv, NULL) : csv_out_double(csv, value);
}
