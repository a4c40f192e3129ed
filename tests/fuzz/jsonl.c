/* jsonl.c - fuzz target: the JSON Lines reader (reader.h); the properties
 * are listed in reader_check.h. */
#include "reader_check.h"

void fuzz_jsonl(const uint8_t *data, size_t size)
{
	readcheck_run("in.jsonl", FORMAT_JSONL, data, size);
}

FUZZ_ENTRY(fuzz_jsonl)
