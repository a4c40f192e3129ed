/* array.h - growing arrays: the one helper every module uses to make room. */
#ifndef TD_ARRAY_H
#define TD_ARRAY_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "error.h"

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
	*buf = p;
	*cap = n;
	return 0;
}

#endif
