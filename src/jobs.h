/* jobs.h - a few jobs run at once: job 0 on the calling thread, the others on
 * threads of their own (run on the calling thread when a thread cannot
 * start: slower, not wrong).  For work split in advance into independent
 * shares whose results do not depend on which thread ran them. */
#ifndef TD_JOBS_H
#define TD_JOBS_H

#include <pthread.h>
#include <stddef.h>

#define JOBS_MAX 64

/* Runs fn on each of the n (at most JOBS_MAX) jobs of `size` bytes at jobs,
 * and returns when all are done. */
static inline void jobs_run(void *jobs, size_t n, size_t size, void *(*fn)(void *))
{
	pthread_t threads[JOBS_MAX];
	char *at = jobs;
	size_t started = 0;
	for (size_t i = 1; i < n && i < JOBS_MAX; i++) {
		if (pthread_create(&threads[i], NULL, fn, at + i * size) != 0)
			break;
		started = i;
	}
	if (n > 0)
		fn(at);
	for (size_t i = started + 1; i < n; i++)
		fn(at + i * size);
	for (size_t i = 1; i <= started; i++)
		pthread_join(threads[i], NULL);
}

#endif
