/* cleanup.h - temporary files and folders removed when a signal ends the run.
 *
 * Outputs are written under temporary names (outfile.h, outdir.h) and
 * co-occurrence runs go to a temporary folder (cooc.c); each registers its
 * path here while it exists.  cleanup_on_signals() makes SIGINT, SIGTERM and
 * SIGHUP remove every registered path before the process ends with 128 +
 * the signal's number, so an interrupted run leaves nothing behind and the
 * earlier complete outputs as they were (a temporary name is only ever
 * renamed into place whole).
 *
 * This is the one piece of process-wide state in the library: a signal is
 * process-wide.  The registry is guarded by a mutex; the signals are taken
 * by a dedicated thread (sigwait), so the removal runs as ordinary code, not
 * inside a signal handler.
 */
#ifndef TD_CLEANUP_H
#define TD_CLEANUP_H

#include <stdbool.h>

/* Registers a path to remove on a signal: a file, or a folder removed with
 * everything in it.  Returns a handle for cleanup_forget (>= 1), or 0 when
 * out of memory (the path is then not protected; not an error). */
int cleanup_register(const char *path, bool tree);

/* Forgets a handle (the path was renamed into place or removed); 0 (from a
 * zeroed struct, or a failed registration) is ignored. */
void cleanup_forget(int handle);

/* Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (and the threads
 * it starts later) and starts the thread that waits for them.  Call it once,
 * early in main, before any other thread exists.  Returns 0 or -1. */
int cleanup_on_signals(void);

#endif
