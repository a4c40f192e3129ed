/* error.c - error codes and diagnostics (see error.h). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *td_strerror(int code)
{
	switch (code) {
	case TD_OK: return "success";
	case TD_ENOMEM: return "out of memory";
	case TD_EIO: return "input/output error";
	case TD_EINVAL: return "invalid argument";
	case TD_EFORMAT: return "malformed input";
	case TD_ENOENT: return "no such file or directory";
	case TD_EEMPTY: return "nothing to analyse";
	case TD_EINTR: return "interrupted";
	default: return "unknown error";
	}
}

/* Formats into a freshly allocated string, or returns NULL. */
static char *format_message(const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return NULL;
	char *msg = malloc((size_t)n + 1);
	if (msg)
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
	return msg;
}

int td_fail(struct td_diag *diag, int code, const char *fmt, ...)
{
	if (!diag)
		return code;
	va_list ap;
	va_start(ap, fmt);
	char *msg = format_message(fmt, ap);
	va_end(ap);
	free(diag->error);
	diag->error = msg;  /* NULL under memory pressure: td_strerror(code) then */
	return code;
}

void td_warn(struct td_diag *diag, const char *fmt, ...)
{
	if (!diag)
		return;
	diag->n_warnings++;
	if (!diag->warn)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = format_message(fmt, ap);
	va_end(ap);
	diag->warn(diag->ctx, msg ? msg : "out of memory while formatting a warning");
	free(msg);
}

void td_diag_free(struct td_diag *diag)
{
	if (!diag)
		return;
	free(diag->error);
	diag->error = NULL;
}
