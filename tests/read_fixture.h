/* read_fixture.h - reading a test's input file (include after cmocka.h). */
#ifndef TD_READ_FIXTURE_H
#define TD_READ_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

/* Reads a whole file into a buffer of exactly its size (no NUL after it),
 * so that a read past len is caught by the sanitizers. */
static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open '%s' (run the tests from the repository root)", path);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	long size = ftell(fp);
	assert_true(size > 0);
	assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
	char *buf = malloc((size_t)size);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	*len = (size_t)size;
	return buf;
}

#endif
