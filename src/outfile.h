/* outfile.h - output files that appear whole or not at all.
 *
 * An output is written to a hidden temporary file in the target folder
 * (".NAME.tmp.PID") and renamed to NAME by outfile_commit once every byte is
 * written, flushed and closed without error; outfile_abort removes the
 * temporary file.  A run that fails or is interrupted therefore never leaves
 * a half-written result, and an earlier complete result stays until the new
 * one replaces it.  The name "-" writes to stdout instead (no temporary).
 */
#ifndef TD_OUTFILE_H
#define TD_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "error.h"

struct outfile {
	FILE *fp;           /* write here between open and commit */
	char *tmp_path;     /* NULL for stdout */
	char *final_path;   /* "-" for stdout */
	char *iobuf;        /* the stream's buffer */
	int cleanup;        /* the temporary file's cleanup.h handle, 0: none */
};

/* Creates dir (and its parents) if needed and opens dir/name for writing.
 * Returns 0, or TD_EIO / TD_ENOMEM with a message naming the path. */
int outfile_open(struct outfile *of, const char *dir, const char *name, struct td_diag *diag);

/* Flushes and closes the file, checking every step, and renames it into
 * place.  On failure the temporary file is removed.  Returns 0 or TD_EIO.
 * The struct is released either way. */
int outfile_commit(struct outfile *of, struct td_diag *diag);

/* Closes and removes the temporary file; safe on a zeroed or released struct. */
void outfile_abort(struct outfile *of);

/* Creates a folder and its parents (like mkdir -p).  Returns 0 or TD_EIO. */
int fs_mkdirs(const char *path, struct td_diag *diag);

/* Joins a folder and a name with '/'; returns a new string or NULL. */
char *fs_join(const char *dir, const char *name);

#endif
