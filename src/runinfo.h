/* runinfo.h - manifest.json: what a run did, so that a notebook (or a
 * reviewer) can find every output and reproduce it.
 *
 * It records the command line, every effective parameter, the versions of
 * termdrift and its libraries, each input file with its size and checksum,
 * each output file with its row count and a one-line description, and the
 * wall time of each stage.  Written through outfile.h (complete or absent).
 */
#ifndef TD_RUNINFO_H
#define TD_RUNINFO_H

#include <stdbool.h>
#include <stdint.h>

#include <stdio.h>

#include "checksum.h"
#include "error.h"
#include "spec.h"

struct runinfo;

/* Starts a record of the command `command` run as argv[0..argc-1].
 * Returns 0 or TD_ENOMEM. */
int runinfo_new(struct runinfo **out, const char *command, int argc, char **argv);

/* Records one effective parameter; str may be NULL (JSON null). */
int runinfo_param_str(struct runinfo *ri, const char *key, const char *str);
int runinfo_param_int(struct runinfo *ri, const char *key, int64_t value);
int runinfo_param_real(struct runinfo *ri, const char *key, double value);
int runinfo_param_bool(struct runinfo *ri, const char *key, bool value);

/* Records an input file: its size in bytes and the checksum of its bytes
 * (lowercase hex, of the given kind, keyed by checksum_name), as the reader
 * took them from the bytes it read (reader.h, struct input_file).  With
 * checksum NULL (a file the reader did not read to its end) the file is read
 * once more here for both, and bytes is ignored.  Returns 0, TD_EIO (that
 * reading failed) or TD_ENOMEM, with a message. */
int runinfo_add_input(struct runinfo *ri, const char *path, const char *format, uint64_t bytes,
		      enum checksum_kind kind, const char *checksum, struct td_diag *diag);

/* Records an output file written into the run's folder. */
int runinfo_add_output(struct runinfo *ri, const char *name, uint64_t rows, const char *description);

/* Records a CSV table after its commit: name, rows, description and its
 * columns with their types (csvout.h), so that a notebook can load it with
 * the right dtypes.  Returns 0 or TD_ENOMEM. */
struct csv_out;
int runinfo_add_table(struct runinfo *ri, const struct csv_out *csv, const char *description);

/* Records a chart (an image in the run's folder; no rows). */
int runinfo_add_chart(struct runinfo *ri, const char *name, const char *description);

/* Records the spec a run came from: its path, name and every value, by
 * section (a key given more than once becomes a list).  Returns 0 or
 * TD_ENOMEM. */
int runinfo_spec(struct runinfo *ri, const struct spec *spec);

/* Prints one line per output recorded so far: file, rows, description. */
void runinfo_print_outputs(const struct runinfo *ri, FILE *fp);

/* Records the wall time of a stage in seconds. */
int runinfo_stage_time(struct runinfo *ri, const char *stage, double seconds);

/* Records a count in the summary (documents read, tokens, warnings ...). */
int runinfo_count(struct runinfo *ri, const char *key, uint64_t value);

/* Writes dir/manifest.json.  Returns 0 or a negative code with a message. */
int runinfo_write(struct runinfo *ri, const char *dir, struct td_diag *diag);

/* Records the table csv in the manifest, then completes it (csv_out_commit):
 * in that order, so that a table on disk is always one the manifest lists
 * (and a failed command removes it, runinfo_remove_outputs).  When recording
 * fails, the table is abandoned.  Returns 0, TD_ENOMEM or TD_EIO, with a
 * message. */
int runinfo_commit_table(struct runinfo *ri, struct csv_out *csv, const char *description,
			 struct td_diag *diag);

/* Records dir/name, a file already complete on disk (rows as in
 * runinfo_add_output); when recording fails the file is removed, so that a
 * file on disk is always one the manifest lists.  Returns 0 or TD_ENOMEM
 * with a message. */
int runinfo_record_file(struct runinfo *ri, const char *dir, const char *name, uint64_t rows,
			const char *description, struct td_diag *diag);

/* Removes the files recorded as outputs from dir (best effort): a command
 * that fails after writing some of its tables leaves none of them. */
void runinfo_remove_outputs(const struct runinfo *ri, const char *dir);

void runinfo_free(struct runinfo *ri);

/* Seconds since an arbitrary start (monotonic clock), for stage timings. */
double runinfo_now(void);

#endif
