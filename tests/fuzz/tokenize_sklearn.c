/* tokenize_sklearn.c - fuzz target: the tokenizer in sklearn mode (Python's
 * lower() and (?u)\b\w\w+\b); the properties are listed in
 * tokenize_check.h. */
#include "tokenize_check.h"

void fuzz_tokenize_sklearn(const uint8_t *data, size_t size)
{
	static struct tokcheck tc;
	tokcheck_run(&tc, TOK_SKLEARN, data, size);
}

FUZZ_ENTRY(fuzz_tokenize_sklearn)
