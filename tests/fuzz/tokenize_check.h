/* tokenize_check.h - the tokenizer properties both tokenizer targets check
 * (tokenize_default.c, tokenize_sklearn.c), from tokenize.h's contract.
 *
 * The input is first made valid UTF-8 with utf8_repair (tokenizer_run takes
 * valid UTF-8, as the readers hand it), then tokenized in three
 * configurations by tokenizers kept from one input to the next (a tokenizer
 * is reused from document to document in termdrift too):
 *   plain     no stopwords, no stemming, no possessive strip, no hyphen split;
 *   split     English stopwords (flagged, never dropped) and split_hyphens;
 *   stemmed   English stopwords, possessive strip and the English stemmer.
 * Every token, in each: valid UTF-8, not empty, no NUL inside, its hash as
 * hash_word gives it; its byte offset inside the input, at the start of a
 * character, and not before the previous token's; sentences numbered from 0
 * without gaps.
 * plain and split are also idempotent: the tokens of "t1 t2 t3" (the tokens
 * joined by spaces) are t1 t2 t3 again, of the same kinds, in one sentence.
 * stemmed is not (a stem is stemmed again, "kyiv's's" loses one "'s" per
 * pass), so it gets only the per-token checks.
 *
 * The fuzzer found that a URL prefix followed by a character that cannot be
 * in a URL ("https://“x”", "www.»") was a URL token of the prefix alone,
 * tokenized again as the word "https"; scan_url now gives the word itself
 * (tests/fuzz/regressions/tokenize_default/url-prefix-only keeps the input).
 */
#ifndef TD_TOKENIZE_CHECK_H
#define TD_TOKENIZE_CHECK_H

#include "fuzz.h"

#include "hash.h"
#include "reader.h"
#include "tokenize.h"

enum { TOKCHECK_PLAIN, TOKCHECK_SPLIT, TOKCHECK_STEMMED, TOKCHECK_N };

struct tokcheck {
	enum tok_mode mode;
	bool ready;
	struct stopwords *stop;
	struct tokenizer *tok[TOKCHECK_N];
	struct token_list list, again;
	char *joined;
	size_t joined_cap;
};

static inline void tokcheck_init(struct tokcheck *tc, enum tok_mode mode)
{
	if (tc->ready)
		return;
	tc->mode = mode;
	FUZZ_CHECK(stopwords_load(&tc->stop, "en", NULL) == 0);
	struct tokenizer_opts opts[TOKCHECK_N] = {
		[TOKCHECK_PLAIN] = { .mode = mode },
		[TOKCHECK_SPLIT] = { .mode = mode, .split_hyphens = true, .stop = tc->stop },
		[TOKCHECK_STEMMED] = { .mode = mode, .possessive_strip = true, .stop = tc->stop,
				       .stem = "english" },
	};
	for (int i = 0; i < TOKCHECK_N; i++)
		FUZZ_CHECK(tokenizer_new(&tc->tok[i], &opts[i], NULL) == 0);
	tc->ready = true;
}

static inline bool tokcheck_is_ascii(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* The checks every token list must pass; text is the input (len bytes). */
static inline void tokcheck_list(const struct tokcheck *tc, int config, const struct token_list *list,
				 const char *text, size_t len)
{
	bool ascii = tokcheck_is_ascii(text, len);
	FUZZ_CHECK(list->n == 0 || list->n_sentences > 0);
	for (size_t i = 0; i < list->n; i++) {
		const struct token *t = &list->items[i];
		const char *s = token_str(list, i);
		FUZZ_CHECK(t->len > 0);
		FUZZ_CHECK(t->text + t->len < list->buf_len);
		FUZZ_CHECK(strlen(s) == t->len);
		FUZZ_CHECK(fuzz_valid_utf8(s, t->len));
		FUZZ_CHECK(t->hash == hash_word(s, t->len));
		FUZZ_CHECK(t->byte_offset < len);
		FUZZ_CHECK(((unsigned char)text[t->byte_offset] & 0xC0) != 0x80);
		FUZZ_CHECK(t->sentence < list->n_sentences);
		FUZZ_CHECK(t->kind <= TOKEN_HASHTAG);
		FUZZ_CHECK(t->flags == 0 || (t->flags == TOKEN_STOP && t->kind == TOKEN_WORD));
		/* Offsets only grow.  On ASCII input each token starts at a byte of
		 * its own; on other input one character can become several tokens
		 * after NFKC (U+2100 ℀ is "a/c": a and c, both at its offset). */
		if (i > 0) {
			const struct token *prev = &list->items[i - 1];
			FUZZ_CHECK(t->byte_offset >= prev->byte_offset);
			FUZZ_CHECK(!ascii || t->byte_offset > prev->byte_offset);
			FUZZ_CHECK(t->sentence == prev->sentence || t->sentence == prev->sentence + 1);
		} else {
			FUZZ_CHECK(t->sentence == 0);
		}
		if (tc->mode == TOK_SKLEARN) {
			/* \w\w+: at least two characters (a stem may have fewer: "as"
			 * is "a"); a number is ASCII digits */
			FUZZ_CHECK(t->kind == TOKEN_WORD || t->kind == TOKEN_NUMBER);
			FUZZ_CHECK(config == TOKCHECK_STEMMED ||
				   utf8proc_decompose((const utf8proc_uint8_t *)s, t->len, NULL, 0, 0) >= 2);
			if (t->kind == TOKEN_NUMBER)
				for (size_t k = 0; k < t->len; k++)
					FUZZ_CHECK(s[k] >= '0' && s[k] <= '9');
		} else if (t->kind == TOKEN_NUMBER) {
			/* digits and the separators , . only: no ASCII letter */
			for (size_t k = 0; k < t->len; k++)
				FUZZ_CHECK(!((s[k] | 0x20) >= 'a' && (s[k] | 0x20) <= 'z'));
		} else if (t->kind == TOKEN_HASHTAG) {
			FUZZ_CHECK(s[0] == '#');
		} else if (t->kind == TOKEN_HANDLE) {
			FUZZ_CHECK(s[0] == '@');
		} else if (t->kind == TOKEN_EMAIL) {
			FUZZ_CHECK(memchr(s, '@', t->len) != NULL);
		}
		/* Without stemming or stripping, the stop flag is the list's word. */
		if (config == TOKCHECK_SPLIT && t->kind == TOKEN_WORD)
			FUZZ_CHECK(((t->flags & TOKEN_STOP) != 0) == stopwords_contains(tc->stop, s, t->len));
	}
	if (list->n > 0)
		FUZZ_CHECK(list->items[list->n - 1].sentence + 1 == list->n_sentences);
}

/* Idempotence: tokenizing the tokens joined by spaces gives them back. */
static inline void tokcheck_again(struct tokcheck *tc, int config, const struct token_list *list)
{
	size_t need = 1;
	for (size_t i = 0; i < list->n; i++)
		need += list->items[i].len + 1;
	if (need > tc->joined_cap) {
		free(tc->joined);
		tc->joined = malloc(need);
		FUZZ_CHECK(tc->joined != NULL);
		tc->joined_cap = need;
	}
	size_t at = 0;
	for (size_t i = 0; i < list->n; i++) {
		if (i)
			tc->joined[at++] = ' ';
		memcpy(tc->joined + at, token_str(list, i), list->items[i].len);
		at += list->items[i].len;
	}
	tc->joined[at] = '\0';
	FUZZ_CHECK(tokenizer_run(tc->tok[config], tc->joined, at, &tc->again) == 0);
	tokcheck_list(tc, config, &tc->again, tc->joined, at);
	if (tc->again.n != list->n) {
		fprintf(stderr, "re-tokenizing \"%s\" gave %zu tokens instead of %zu\n", tc->joined,
			tc->again.n, list->n);
		FUZZ_CHECK(tc->again.n == list->n);
	}
	for (size_t i = 0; i < list->n; i++) {
		const struct token *a = &list->items[i], *b = &tc->again.items[i];
		if (a->len != b->len || memcmp(token_str(list, i), token_str(&tc->again, i), a->len) != 0 ||
		    a->kind != b->kind) {
			fprintf(stderr, "token %zu: \"%s\" (kind %d) re-tokenized as \"%s\" (kind %d)\n", i,
				token_str(list, i), a->kind, token_str(&tc->again, i), b->kind);
			FUZZ_CHECK(!"a token is its own token");
		}
		FUZZ_CHECK(a->flags == b->flags);
		FUZZ_CHECK(b->sentence == 0);
	}
}

static inline void tokcheck_run(struct tokcheck *tc, enum tok_mode mode, const uint8_t *data, size_t size)
{
	tokcheck_init(tc, mode);
	char *text;
	size_t len, n_invalid;
	FUZZ_CHECK(utf8_repair((const char *)data, size, &text, &len, &n_invalid) == 0);
	FUZZ_CHECK(fuzz_valid_utf8(text, len));
	for (int config = 0; config < TOKCHECK_N; config++) {
		FUZZ_CHECK(tokenizer_run(tc->tok[config], text, len, &tc->list) == 0);
		tokcheck_list(tc, config, &tc->list, text, len);
		if (config != TOKCHECK_STEMMED)
			tokcheck_again(tc, config, &tc->list);
	}
	free(text);
}

#endif
