/* failmalloc.c - an LD_PRELOAD shim that makes one allocation fail: the
 * FAILMALLOC_AT-th call of malloc, calloc or realloc (counted from the start
 * of the process) returns NULL with errno ENOMEM.  FAILMALLOC_COUNT=1 prints
 * the number of calls at exit, to choose where to fail.  Built and used by
 * tests/fault/run.sh. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);

static atomic_long calls;
static long fail_at = -1;
static int count;

__attribute__((constructor)) static void failmalloc_init(void)
{
	const char *at = getenv("FAILMALLOC_AT");
	fail_at = at ? atol(at) : -1;
	count = getenv("FAILMALLOC_COUNT") != NULL;
}

__attribute__((destructor)) static void failmalloc_report(void)
{
	if (count)
		fprintf(stderr, "failmalloc: %ld calls\n", (long)atomic_load(&calls));
}

static int fails(void)
{
	long n = atomic_fetch_add(&calls, 1) + 1;
	if (n == fail_at) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *malloc(size_t size)
{
	return fails() ? NULL : __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	return fails() ? NULL : __libc_calloc(n, size);
}

void *realloc(void *ptr, size_t size)
{
	return fails() ? NULL : __libc_realloc(ptr, size);
}
