/* tokenize_default.c - fuzz target: the tokenizer in its default mode
 * (NFKC + case fold, URLs, e-mail addresses, handles, hashtags); the
 * properties are listed in tokenize_check.h. */
#include "tokenize_check.h"

void fuzz_tokenize_default(const uint8_t *data, size_t size)
{
	static struct tokcheck tc;
	tokcheck_run(&tc, TOK_DEFAULT, data, size);
}

FUZZ_ENTRY(fuzz_tokenize_default)
