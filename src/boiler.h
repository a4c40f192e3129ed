/* boiler.h - removal of site furniture ("boilerplate") lines.
 *
 * A line is boilerplate when
 *   (a) its normalised form matches a phrase of the list (data/boilerplate/en.txt):
 *       a phrase matches the whole line, or, when it ends in '*', the start of
 *       the line; or
 *   (b) its normalised form occurs in at least max(3, ceil(min_frac * n_docs))
 *       documents (counted once per document).
 * Normalised: NFKC + case fold (utf8proc), runs of white space as one space,
 * leading and trailing spaces and trailing . : ; removed.  Empty lines are
 * never boilerplate.
 *
 * Use: boiler_new, then boiler_count for every document (first pass), then
 * boiler_finish, then boiler_strip for every document (second pass); the
 * removed lines are reported by boiler_report.  Counts from two boilerplate
 * objects over disjoint documents can be added with boiler_merge.
 */
#ifndef TD_BOILER_H
#define TD_BOILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct boiler;

enum boiler_reason { BOILER_PHRASE = 0, BOILER_REPEATED };

/* Creates a remover with the phrase list in `phrases` (len bytes, one phrase
 * per line, '#' comments and blank lines ignored; NULL for none).
 * min_frac is --boilerplate-min-frac (0 <= min_frac <= 1, else TD_EINVAL). */
int boiler_new(struct boiler **out, const char *phrases, size_t len, double min_frac,
	       struct td_diag *diag);

/* First pass: counts the distinct normalised lines of one document. */
int boiler_count(struct boiler *b, const char *text, size_t len);

/* Adds the counts of `from` (over other documents) into `into`. */
int boiler_merge(struct boiler *into, const struct boiler *from);

/* Ends the first pass: fixes the repetition threshold from the number of
 * documents counted. */
void boiler_finish(struct boiler *b);

/* The repetition threshold fixed by boiler_finish. */
size_t boiler_threshold(const struct boiler *b);

/* Second pass: copies text without its boilerplate lines into *out (NUL-
 * terminated, owned by the caller) and sets *n_removed.  Line ends in the
 * output are LF.  Returns 0 or TD_ENOMEM. */
int boiler_strip(struct boiler *b, const char *text, size_t len, char **out, size_t *out_len,
		 size_t *n_removed);

/* Calls fn once per distinct removed line (normalised text, the number of
 * documents it was removed from, why), in order of first removal.
 * Stops and returns fn's value when it is non-zero. */
int boiler_report(const struct boiler *b,
		  int (*fn)(void *ctx, const char *line, size_t n_docs, enum boiler_reason why),
		  void *ctx);

void boiler_free(struct boiler *b);

#endif
