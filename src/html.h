/* html.h - the text of HTML remnants: tags removed, entities decoded.
 *
 * Meant for documents scraped with their markup left in (--strip-html), not
 * as an HTML parser: what looks like a tag is removed, everything else is
 * text.  A tag is "<" or "</", a letter, a name, then attributes (quoted
 * values may hold ">") up to ">", with no "<" inside; "<!-- ... -->"
 * comments, "<!DOCTYPE ...>" and "<? ... ?>" declarations go too, and so does
 * everything between <script> or <style> and its closing tag (to the end of
 * the text when there is none, as browsers do).  A tag that breaks a line in
 * a browser (p, div, br, li, h1, td, title, ...) becomes a line end; any other
 * tag (a, b, span, ...) is removed without a trace, so "<b>bold</b>ly" stays
 * one word.  Entities: &amp; &lt; &gt; &quot; &apos; &#39;, numeric &#NNN;
 * and &#xHH; (0, surrogates and values above U+10FFFF give U+FFFD; 128-159
 * are read as Windows-1252, as HTML5 does), and the named ones of HTML 4's
 * Latin-1 set (&nbsp; ... &yuml;) with the common typographic ones (&ndash;
 * &mdash; &lsquo; &rsquo; &ldquo; &rdquo; &hellip; &euro; &trade; ...).  An
 * unknown name or one without its ";" stays as it is.  The work is linear in
 * the length of the text.
 */
#ifndef TD_HTML_H
#define TD_HTML_H

#include <stddef.h>

#include "error.h"

/* Writes the text of the len bytes of UTF-8 at in into a new NUL-terminated
 * string (never longer than the input) and sets *n_tags to the number of
 * tags, comments and declarations removed.  Returns 0 or TD_ENOMEM; the
 * caller frees *out. */
int html_strip(const char *in, size_t len, char **out, size_t *out_len, size_t *n_tags);

#endif
