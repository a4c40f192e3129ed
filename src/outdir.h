/* outdir.h - an output folder that appears whole or not at all.
 *
 * termdrift run writes a whole analysis (tables, manifest, charts) into a
 * hidden sibling folder (".NAME.tmp-XXXXXX") and, once everything is there,
 * puts it in place of NAME: atomically when the folder already exists (an
 * exchange of the two names), then the previous results are removed.  A
 * failed or interrupted run leaves NAME as it was (or absent).
 *
 * So as never to replace a folder that is not ours, an existing NAME must be
 * empty or hold a manifest.json (the mark of a termdrift output).
 */
#ifndef TD_OUTDIR_H
#define TD_OUTDIR_H

#include "error.h"

struct outdir {
	char *final_path;   /* where the results go */
	char *tmp_path;     /* where they are written meanwhile */
	int cleanup;        /* tmp_path's cleanup.h handle, 0: none */
};

/* Checks final_path (absent, empty, or a termdrift output), creates its
 * parents and the temporary folder.  Returns 0, TD_EINVAL (final_path is a
 * file, or a folder that is not a termdrift output), TD_EIO or TD_ENOMEM,
 * with a message. */
int outdir_begin(struct outdir *od, const char *final_path, struct td_diag *diag);

/* Puts the temporary folder in place of final_path and removes what was
 * there.  Returns 0 or TD_EIO (the temporary folder is then removed).  The
 * struct is released either way. */
int outdir_commit(struct outdir *od, struct td_diag *diag);

/* Removes the temporary folder and everything in it; safe on a zeroed or
 * released struct. */
void outdir_abort(struct outdir *od);

/* Removes path and everything under it (no symbolic link is followed).
 * Returns 0 or -1 with errno. */
int fs_remove_tree(const char *path);

#endif
