/* fuzz.h - what the fuzz targets share.
 *
 * Each tests/fuzz/NAME.c holds one libFuzzer target: a check function
 * fuzz_NAME(data, size) that runs the module on the input and abort()s (with
 * a line on stderr saying which property failed) when a contract of the
 * module's header does not hold, and LLVMFuzzerTestOneInput calling it.
 * Built with -DFUZZ_NO_MAIN, the files give only the check functions, which
 * tests/test_fuzz_regressions.c (gcc, `make test`) runs on every file of
 * tests/fuzz/regressions/NAME/ and tests/fuzz/seeds/NAME/.
 */
#ifndef TD_FUZZ_H
#define TD_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <utf8proc.h>

void fuzz_tokenize_default(const uint8_t *data, size_t size);
void fuzz_tokenize_sklearn(const uint8_t *data, size_t size);
void fuzz_date(const uint8_t *data, size_t size);
void fuzz_txtmeta(const uint8_t *data, size_t size);
void fuzz_jsonl(const uint8_t *data, size_t size);
void fuzz_csv(const uint8_t *data, size_t size);
void fuzz_spec(const uint8_t *data, size_t size);
void fuzz_boiler_dedup(const uint8_t *data, size_t size);

#ifdef FUZZ_NO_MAIN
#define FUZZ_ENTRY(fn)
#else
#define FUZZ_ENTRY(fn)                                                        \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);         \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)          \
	{                                                                     \
		fn(data, size);                                               \
		return 0;                                                     \
	}
#endif

static inline void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
	abort();
}

/* abort() unless cond: a violated property is a finding, like a crash. */
#define FUZZ_CHECK(cond) ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

/* True when s[0, len) is valid UTF-8 as utf8proc decodes it (no surrogates,
 * no overlong forms, nothing above U+10FFFF). */
static inline bool fuzz_valid_utf8(const char *s, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	while (len > 0) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate(p, (utf8proc_ssize_t)len, &cp);
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

/* A NUL-terminated string that is valid UTF-8. */
static inline bool fuzz_valid_string(const char *s)
{
	return s && fuzz_valid_utf8(s, strlen(s));
}

/* The folder private to this process and the file last written in it
 * (static locals, so that a target that writes no file holds no unused
 * variable). */
static inline char *fuzz_dir(void)
{
	static char dir[4096];
	return dir;
}

static inline char *fuzz_path(void)
{
	static char path[4096 + 64];
	return path;
}

static inline void fuzz_cleanup(void)
{
	if (fuzz_path()[0])
		unlink(fuzz_path());
	if (fuzz_dir()[0])
		rmdir(fuzz_dir());
}

/* Writes data into a file named `name` in a folder private to this process
 * (made on first use under $TMPDIR or /tmp, removed at exit) and returns its
 * path, for the modules that read files.  abort()s when it cannot: that is
 * the machine, not a finding, but there is nothing to test without it. */
static inline const char *fuzz_write_file(const char *name, const uint8_t *data, size_t size)
{
	char *dir = fuzz_dir(), *path = fuzz_path();
	if (!dir[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(dir, 4096, "%s/tdfuzz_XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir)) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(fuzz_cleanup);
	}
	if (path[0])
		unlink(path);
	snprintf(path, 4096 + 64, "%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");
	if (!fp || (size && fwrite(data, 1, size, fp) != size) || fclose(fp) != 0) {
		perror("fuzz: cannot write the input file");
		abort();
	}
	return path;
}

#endif
