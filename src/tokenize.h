/* tokenize.h - words, numbers, URLs and sentences from UTF-8 text.
 *
 * Default mode (TOK_DEFAULT): text is normalised with NFKC and case folding
 * (utf8proc); plain ASCII runs take a fast path with no utf8proc call per byte.
 *   - a word is a run of letters, marks and digits (a mark never starts one);
 *     an inner apostrophe (' U+2019 U+02BC, written ') or hyphen (- U+2010
 *     U+2011, written -) between word characters joins (Kyiv's, Kyiv’s ->
 *     kyiv's; once-in-a-generation stays one token unless split_hyphens);
 *     possessive_strip turns kyiv's into kyiv (not a listed stopword such as
 *     it's, a contraction);
 *   - an underscore joins like an inner hyphen (snake_case) but never splits
 *     and never starts or ends a word, so "__init__" gives init and a line of
 *     underscores gives nothing (sklearn mode keeps them: there '_' is \w);
 *   - a number keeps , and . between digits: 46,000  2.5  (2.5% gives 2.5,
 *     "in 2022." gives 2022); it is TOKEN_NUMBER when it starts with a digit
 *     and holds only digits and separators (28-year-old is a word);
 *   - URLs (http:// https:// ftp:// or www.) up to white space, without
 *     trailing punctuation; e-mail addresses; @handles ('@' and ASCII
 *     letters, digits, '_'); #hashtags (with a letter: "#1" is the number 1).
 *     They are normalised and lower-cased like words, so that counts do not
 *     split on case (a URL's path may be case-sensitive; the token is for
 *     counting, not for following);
 *   - every other character separates, quote marks, dashes, emoji included;
 *     CJK text has no spaces, so a run of ideographs is one token.
 *   Sentences end at . ! ? … followed (after any closing quotes or brackets)
 *   by white space or the end, and at every line break (LF, CRLF, CR,
 *   U+2028, U+2029).  "Mr." ends one too.  token.sentence counts only
 *   sentences that hold tokens: 0, 1, 2, ...
 * sklearn mode (TOK_SKLEARN): exactly scikit-learn's default analyzer:
 *   Python's str.lower() and then the pattern (?u)\b\w\w+\b, where \w is a
 *   Unicode letter or number (Python's str.isalnum) or '_'; no normalisation
 *   (a combining accent splits a word, as in Python).  Sentences as in the
 *   default mode.  Stopwords and stemming apply when set (scikit-learn's
 *   default analyzer has neither: use stop = NULL and stem = NULL for it).
 *   Unicode data come from utf8proc (Unicode 15.0, as Python 3.12); Python
 *   3.11 (Unicode 14.0) differs only on the characters new in 15.0.
 * token.byte_offset is always an offset in the input, before normalisation.
 *
 * Stopwords are kept in the output, flagged TOKEN_STOP, so that consumers that
 * need every word (near-duplicate shingles) and those that drop stopwords can
 * share one pass.  Stemming (libstemmer) applies to tokens that are not
 * stopwords, after the stopword test.
 */
#ifndef TD_TOKENIZE_H
#define TD_TOKENIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum tok_mode { TOK_DEFAULT = 0, TOK_SKLEARN };

enum token_kind { TOKEN_WORD = 0, TOKEN_NUMBER, TOKEN_URL, TOKEN_EMAIL, TOKEN_HANDLE, TOKEN_HASHTAG };

#define TOKEN_STOP 1u  /* token.flags: the token is a stopword */

struct token {
	uint64_t text;         /* offset of the token's NUL-terminated form in token_list.buf */
	uint32_t len;          /* its length in bytes */
	uint32_t sentence;     /* 0-based sentence number in the document */
	uint64_t byte_offset;  /* offset of the token's first byte in the input text */
	uint64_t hash;         /* hash_word(string, len) (hash.h): computed once, used by every counter */
	uint8_t kind;          /* enum token_kind */
	uint8_t flags;         /* TOKEN_STOP */
};

/* The tokens of one document.  Reused from document to document: the arrays
 * only grow, so a long run allocates nothing per token. */
struct token_list {
	struct token *items;
	size_t n, cap;
	char *buf;              /* token strings, each followed by a NUL; 16 bytes
				 * can be read from the start of any (hash_word_key) */
	size_t buf_len, buf_cap;
	uint32_t n_sentences;   /* sentences that hold at least one token */
};

/* Returns the string of token i of list. */
static inline const char *token_str(const struct token_list *list, size_t i)
{
	return list->buf + list->items[i].text;
}

void token_list_free(struct token_list *list);

struct stopwords;

/* Loads a stopword list: one word per line, '#' starts a comment; words are
 * normalised as tokens are (NFKC + case fold).  name is "en" (the embedded
 * data/stopwords/en.txt), "none" (an empty list) or a file path.
 * Returns 0, TD_ENOENT (cannot open), TD_EIO (cannot read), TD_EFORMAT
 * (invalid UTF-8) or TD_ENOMEM, with a message; *out is NULL on failure. */
int stopwords_load(struct stopwords **out, const char *name, struct td_diag *diag);
bool stopwords_contains(const struct stopwords *stop, const char *word, size_t len);
size_t stopwords_count(const struct stopwords *stop);
void stopwords_free(struct stopwords *stop);

struct tokenizer_opts {
	enum tok_mode mode;
	bool possessive_strip;          /* kyiv's -> kyiv */
	bool split_hyphens;             /* once-in-a-generation -> once in a generation */
	const struct stopwords *stop;   /* NULL: none; borrowed */
	const char *stem;               /* NULL or "none": no stemming; else a libstemmer language */
};

struct tokenizer;

/* Creates a tokenizer.  An unknown stemmer language is TD_EINVAL with a
 * message listing the available ones.  One tokenizer per thread. */
int tokenizer_new(struct tokenizer **out, const struct tokenizer_opts *opts, struct td_diag *diag);

/* Tokenizes len bytes of valid UTF-8 into list (cleared first).
 * Returns 0 or TD_ENOMEM. */
int tokenizer_run(struct tokenizer *tok, const char *text, size_t len, struct token_list *list);

void tokenizer_free(struct tokenizer *tok);

/* Comma-separated names of the libstemmer languages, static. */
const char *tokenizer_stem_languages(void);

#endif
