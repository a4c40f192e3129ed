/* spec.h - analysis specs: INI files read with inih.
 *
 * A spec is a list of sections ([corpus], [tokens], [tfidf], ...), each with
 * key = value lines; ';' or '#' at the start of a line and ' ;' inside one
 * start a comment.  spec_load keeps every section and entry with its line
 * number, in file order, so that the caller can check the names against what
 * it knows and point at the line of a mistake.  A key may appear more than
 * once (input = a, input = b); what that means is the caller's choice.
 */
#ifndef TD_SPEC_H
#define TD_SPEC_H

#include <stddef.h>

#include "error.h"

/* Longest line a spec may hold (inih's line buffer less its line end). */
#define SPEC_MAX_LINE 196

struct spec_section {
	char *name;
	unsigned line;
};

struct spec_entry {
	const char *section;  /* points into spec.sections */
	char *key;
	char *value;
	unsigned line;
};

struct spec {
	char *path;
	char *name;           /* the file name without folder and .ini: the analysis name */
	struct spec_section *sections;
	size_t n_sections;
	struct spec_entry *entries;
	size_t n_entries;
};

/* Reads the spec at path.  Returns 0 with *out set (free with spec_free), or
 * TD_ENOENT (cannot open), TD_EFORMAT (a syntax error, a key outside any
 * section, a line longer than SPEC_MAX_LINE, invalid UTF-8: the message
 * names the file and line) or TD_ENOMEM; *out is NULL then. */
int spec_load(struct spec **out, const char *path, struct td_diag *diag);

void spec_free(struct spec *spec);

/* The candidate closest to word by edit distance (ties: the first), or NULL
 * when there are none or none is within half the word's length (rounded
 * up) plus one edits, so that a suggestion is a likely typo, not noise. */
const char *spec_nearest(const char *word, const char *const *candidates, size_t n);

#endif
