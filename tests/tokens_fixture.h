/* tokens_fixture.h - token lists written by hand for tests of the stages
 * after the tokenizer: "a b | c *the d" gives a, b (sentence 0), c, the
 * (flagged a stopword), d (sentence 1). */
#ifndef TD_TOKENS_FIXTURE_H
#define TD_TOKENS_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "tokenize.h"

static void fixture_tokens(struct token_list *list, const char *spec)
{
	memset(list, 0, sizeof *list);
	size_t len = strlen(spec);
	list->items = calloc(len + 1, sizeof *list->items);
	list->buf = calloc(2 * len + 2 + 16, 1);  /* 16 bytes readable from any token, as tokenizer_run keeps */
	list->cap = len + 1;
	list->buf_cap = 2 * len + 2 + 16;
	uint32_t sentence = 0;
	const char *p = spec;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p == '|') {
			sentence++;
			p++;
			continue;
		}
		uint8_t flags = 0;
		if (*p == '*') {
			flags = TOKEN_STOP;
			p++;
		}
		const char *end = p;
		while (*end && *end != ' ')
			end++;
		struct token *t = &list->items[list->n++];
		t->text = list->buf_len;
		t->len = (uint32_t)(end - p);
		t->sentence = sentence;
		t->byte_offset = (uint64_t)(p - spec);
		t->flags = flags;
		t->hash = hash_word(p, t->len);
		memcpy(list->buf + list->buf_len, p, t->len);
		list->buf_len += t->len + 1;
		p = end;
	}
	list->n_sentences = sentence + 1;
}

#endif
