/* csv.c - fuzz target: the CSV reader (reader.h); the properties are listed
 * in reader_check.h. */
#include "reader_check.h"

void fuzz_csv(const uint8_t *data, size_t size)
{
	readcheck_run("in.csv", FORMAT_CSV, data, size);
}

FUZZ_ENTRY(fuzz_csv)
