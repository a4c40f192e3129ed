/* bench_fmtnum.c - fmtnum_g against snprintf("%.*g"), in ns per number.
 *
 *   bench_fmtnum [-n COUNT] [-r REPEATS]
 *
 * Formats COUNT numbers (default 20 million) at precision 10 (termdrift's
 * default) and 17, once with fmtnum_g, once in two phases as mtx_write does
 * (fmtnum_digits_many for 1024 numbers, then fmtnum_layout for each: "2-phase")
 * and once with snprintf, into a 64 KB block, and prints one line per set,
 * precision and way: ns per number and MB/s of text, in CPU time (the thread's, so
 * that other processes on a busy machine count less), the fastest of
 * REPEATS runs (default 1).  Two sets of values, 2^20 of each made once
 * from a fixed seed and formatted in turn: "weights", tf-idf weights of
 * L2-normalised documents in (0, 1] (0.01036499893 and the like), and
 * "mixed", half counts and half raw tf * idf above 1.  Before the timing,
 * every value of both sets is checked against snprintf at both precisions;
 * a difference is printed and the exit status is 1.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fmtnum.h"

enum { N_VALUES = 1 << 20, BLOCK = 1 << 16 };

/* xorshift64*: the same values on every machine */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* A uniform double in [0, 1). */
static double uniform(uint64_t *s)
{
	return (double)(next(s) >> 11) / 9007199254740992.0;
}

/* tf * idf of one term of one document: a small count, mostly 1, times
 * log(N / df) with df log-uniform in 1..N (N = 10^5 documents). */
static double tf_idf(uint64_t *s)
{
	double tf = 1 + floor(-log(1 - uniform(s)) * 0.8);
	double df = floor(exp(uniform(s) * log(1e5))) + 1;
	return tf * log(1e5 / df);
}

static void make_weights(double *values, uint64_t seed)
{
	for (size_t i = 0; i < N_VALUES; i++) {
		/* the norm of a document of 50 to 500 terms: about sqrt(terms) * 4 */
		double raw = tf_idf(&seed);
		double norm = sqrt(50 + uniform(&seed) * 450) * 4;
		values[i] = raw < norm ? raw / norm : 1.0;
		if (values[i] == 0)
			values[i] = 1.0;
	}
}

static void make_mixed(double *values, uint64_t seed)
{
	for (size_t i = 0; i < N_VALUES; i++)
		values[i] = i % 2 ? 1 + floor(exp(uniform(&seed) * log(5000))) : 1 + tf_idf(&seed);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Formats count values (values[] in turn) into a block, as mtx_write
 * does; returns the bytes written and the seconds taken in *seconds. */
static uint64_t run(const double *values, size_t count, int precision, int use_snprintf, double *seconds,
		    unsigned *sum)
{
	static char block[BLOCK];
	size_t used = 0;
	uint64_t bytes = 0;
	double t0 = now();
	for (size_t i = 0; i < count; i++) {
		if (used > BLOCK - FMTNUM_MAX - 1) {
			*sum += (unsigned char)block[used / 2];  /* keeps the writes */
			bytes += used;
			used = 0;
		}
		double v = values[i & (N_VALUES - 1)];
		if (use_snprintf == 2) {  /* two phases: 1024 numbers' digits, then their text */
			static struct fmtnum_digits d[1024];
			size_t at = i & (N_VALUES - 1), k = i & 1023;
			if (k == 0)
				fmtnum_digits_many(values + at, 1024, precision, d);
			used += d[k].n ? fmtnum_layout(block + used, &d[k], precision) : fmtnum_g(block + used, v, precision);
		} else if (use_snprintf)
			used += (size_t)snprintf(block + used, FMTNUM_MAX, "%.*g", precision, v);
		else
			used += fmtnum_g(block + used, v, precision);
		block[used++] = '\n';
	}
	*seconds = now() - t0;
	*sum += (unsigned char)block[used / 2];
	return bytes + used;
}

static int check(const char *set, const double *values, int precision)
{
	for (size_t i = 0; i < N_VALUES; i++) {
		char want[64], got[FMTNUM_MAX];
		snprintf(want, sizeof want, "%.*g", precision, values[i]);
		fmtnum_g(got, values[i], precision);
		if (strcmp(got, want) != 0) {
			fprintf(stderr, "bench_fmtnum: %s %.17g at precision %d: got '%s', snprintf gives "
				"'%s'\n", set, values[i], precision, got, want);
			return -1;
		}
	}
	return 0;
}

/* A positive count from text, or 0. */
static size_t parse_count(const char *text)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-')
		return 0;
	return (size_t)n;
}

/* Times one set at one precision with fmtnum_g or snprintf, the fastest
 * of `repeats` runs, and prints its line. */
static void report(const char *set, const double *values, size_t count, int precision, int use_snprintf,
		   size_t repeats, unsigned *sum)
{
	double seconds = 0;
	uint64_t bytes = 0;
	for (size_t r = 0; r < repeats; r++) {
		double t;
		bytes = run(values, count, precision, use_snprintf, &t, sum);
		if (r == 0 || t < seconds)
			seconds = t;
	}
	printf("%-7s %%.%dg %-9s %zu numbers, %" PRIu64 " bytes, %.3f s, %.1f ns/number, %.1f MB/s\n", set,
	       precision, use_snprintf == 2 ? "2-phase" : use_snprintf ? "snprintf" : "fmtnum_g", count, bytes, seconds,
	       seconds * 1e9 / (double)count, (double)bytes / 1e6 / seconds);
}

int main(int argc, char **argv)
{
	size_t count = 20000000, repeats = 1;
	for (int i = 1; i < argc; i += 2) {
		size_t *option = NULL;
		if (strcmp(argv[i], "-n") == 0)
			option = &count;
		else if (strcmp(argv[i], "-r") == 0)
			option = &repeats;
		if (!option || i + 1 == argc) {
			fprintf(stderr, "usage: bench_fmtnum [-n COUNT] [-r REPEATS]\n");
			return 2;
		}
		*option = parse_count(argv[i + 1]);
		if (*option == 0) {
			fprintf(stderr, "bench_fmtnum: bad number '%s'\n", argv[i + 1]);
			return 2;
		}
	}
	static double weights[N_VALUES], mixed[N_VALUES];
	make_weights(weights, 42);
	make_mixed(mixed, 7);
	static const struct {
		const char *name;
		const double *values;
	} sets[] = { { "weights", weights }, { "mixed", mixed } };
	static const int precisions[] = { 10, 17 };
	int failed = 0;
	for (size_t k = 0; k < 2; k++)
		for (size_t p = 0; p < 2; p++)
			failed |= check(sets[k].name, sets[k].values, precisions[p]) != 0;
	unsigned sum = 0;
	for (size_t k = 0; k < 2; k++)
		for (size_t p = 0; p < 2; p++)
			for (int use_snprintf = 0; use_snprintf <= 2; use_snprintf++)
				report(sets[k].name, sets[k].values, count, precisions[p], use_snprintf, repeats,
				       &sum);
	printf("(checksum %u)\n", sum);
	return failed;
}
