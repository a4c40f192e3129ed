/* error.h - error codes and diagnostics shared by every termdrift module.
 *
 * Functions that can fail return 0 or one of the negative TD_E* codes below
 * and, when a struct td_diag is given, record a one-line message saying what
 * failed (file, line or record, and why).  Library code never prints and never
 * exits: the command line decides what to show and which exit code to use.
 */
#ifndef TD_ERROR_H
#define TD_ERROR_H

#include <stddef.h>

enum {
	TD_OK = 0,
	TD_ENOMEM = -1,   /* out of memory */
	TD_EIO = -2,      /* a read, write, close or rename failed */
	TD_EINVAL = -3,   /* a bad option or argument */
	TD_EFORMAT = -4,  /* malformed input (CSV, JSON, date, spec) */
	TD_ENOENT = -5,   /* a missing file or folder */
	TD_EEMPTY = -6,   /* no input documents, or nothing left after pruning */
	TD_EINTR = -7     /* interrupted by a signal */
};

#if defined(__GNUC__)
#define TD_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define TD_PRINTF(fmt, args)
#endif

/* Where diagnostics go.  warn() receives each warning as one line without a
 * trailing newline; it may be NULL (warnings are then only counted).  error
 * holds the message of the last td_fail(), owned by the diag (td_diag_free). */
struct td_diag {
	void (*warn)(void *ctx, const char *msg);
	void *ctx;
	char *error;
	size_t n_warnings;
};

/* Returns a static description of a TD_E* code ("out of memory", ...). */
const char *td_strerror(int code);

/* Records a formatted error message in diag (if not NULL) and returns code,
 * so that callers can write `return td_fail(diag, TD_EIO, "...", ...);`.
 * An earlier message is replaced. */
int td_fail(struct td_diag *diag, int code, const char *fmt, ...) TD_PRINTF(3, 4);

/* Counts a warning and passes its formatted text to diag->warn. */
void td_warn(struct td_diag *diag, const char *fmt, ...) TD_PRINTF(2, 3);

/* Frees the recorded error message; the diag can be reused. */
void td_diag_free(struct td_diag *diag);

#endif
