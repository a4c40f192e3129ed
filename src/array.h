/* array.h - growing arrays: the one helper every module uses to make room. */
#ifndef TD_ARRAY_H
#define TD_ARRAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#ifdef __linux__
#include <sys/mman.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "error.h"

/* Arrays of at least this many bytes are worth backing by huge pages. */
#define ARRAY_HUGE_MIN (4u << 20)

/* Asks the kernel to back a large array with transparent huge pages, as
 * glibc's malloc.hugetlb=1 tunable would: a counting run touches hundreds of
 * MB once, and on a virtual machine a page fault per 4 KB costs more than the
 * counting (measured: weighting 4 million nonzeros went from 0.19 s to
 * 0.07 s).  The advice covers the whole block glibc mapped for the array
 * (from its first page to the end malloc_usable_size gives): advice on a
 * part of it would split the mapping in two, and glibc's realloc could then
 * no longer move the block with mremap but would copy it, page by page (a
 * growing array of 100 MB faulted on every page once more).  Only a hint:
 * the kernel may ignore it, nothing changes in the contents, and it is a
 * no-op off Linux and glibc or for small arrays. */
static inline void array_hint_huge(void *buf, size_t bytes)
{
#if defined(__linux__) && defined(__GLIBC__) && defined(MADV_HUGEPAGE)
	if (!buf || bytes < ARRAY_HUGE_MIN)
		return;
	uintptr_t start = (uintptr_t)buf & ~(uintptr_t)4095;
	uintptr_t end = (uintptr_t)buf + malloc_usable_size(buf);
	(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)buf;
	(void)bytes;
#endif
}

/* A table of `bytes` (a power of two, at least 64) read and written at
 * random, zeroed or not as the caller does: 64-byte aligned, and from 2 MB
 * on aligned to 2 MB, so that huge pages can back all of it.  A block
 * malloc maps for itself starts 16 bytes into a page: the first and last
 * 2 MB of the table were then faulted 4 KB at a time, 512 faults each time
 * a table grew (on the benchmark's virtual machine a 4 KB fault took 9 us,
 * 45 times what a 2 MB page costs per 4 KB: main.c).  Freed with free(). */
static inline void *array_alloc_table(size_t bytes)
{
	size_t align = bytes >= ((size_t)2 << 20) ? (size_t)2 << 20 : 64;
	void *p = aligned_alloc(align, bytes < align ? align : bytes);
	array_hint_huge(p, bytes);
	return p;
}

/* Gives back to the system the whole pages of bytes [from, to) of an array
 * that will not be read again (it is then only freed): a counting pass that
 * consumes a large array front to back keeps its resident memory to what is
 * left.  A hint: nothing happens off Linux.  Pages are given back only
 * strictly inside the block (never the first page, where malloc keeps its
 * header). */
static inline void array_release(void *buf, size_t from, size_t to)
{
#if defined(__linux__) && defined(MADV_DONTNEED)
	const uintptr_t page = 4096;
	uintptr_t base = (uintptr_t)buf;
	uintptr_t start = (base + (from > page ? from : page) + page - 1) & ~(page - 1);
	uintptr_t end = (base + to) & ~(page - 1);
	if (buf && end > start)
		(void)madvise((void *)start, end - start, MADV_DONTNEED);
#else
	(void)buf;
	(void)from;
	(void)to;
#endif
}

/* Grows *buf (an array of elem-byte items with capacity *cap) to hold at
 * least need items, doubling so that a long run reallocates rarely.
 * Returns 0, or TD_ENOMEM with *buf and *cap unchanged. */
static inline int array_reserve(void **buf, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2 / elem)
			return TD_ENOMEM;
		n *= 2;
	}
	void *p = realloc(*buf, n * elem);
	if (!p)
		return TD_ENOMEM;
	array_hint_huge(p, n * elem);
	*buf = p;
	*cap = n;
	return 0;
}

#endif
