/* bench_nmf.c - times nmf_fit on a Matrix Market matrix (the tfidf.mtx that
 * `termdrift topics --outputs tfidf.mtx` writes).
 *
 * Usage: bench_nmf FILE.mtx [K [MAX_ITER [THREADS [REPEATS [FLAGS]]]]]
 * (defaults 20 200 1 3: the benchmark of scripts/bench.sh, tol 0); FLAGS is
 * a comma-separated list of mu (the MU solver) and portable (the baseline
 * kernels, not the AVX2 ones).  Prints,
 * for the fastest of REPEATS fits, the wall and CPU seconds, the NNDSVD
 * start alone (wall), the reconstruction error with 17 digits and a hash of
 * the bytes of W and H (equal hashes: identical factors).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nmf.h"

static double now(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	return h;
}

static int parse_size(const char *s, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

struct entry {
	uint32_t row, col;
	double val;
};

static int by_row_col(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

/* Reads a coordinate real Matrix Market file into CSR arrays (malloc'd). */
static int read_mtx(const char *path, struct nmf_matrix *x, uint64_t **ptr, uint32_t **col, double **val)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "bench_nmf: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	char line[512];
	unsigned long m = 0, n = 0, nnz = 0;
	int rc = -1;
	struct entry *e = NULL;
	while (fgets(line, sizeof line, f))
		if (line[0] != '%')
			break;
	if (sscanf(line, "%lu %lu %lu", &m, &n, &nnz) != 3)
		goto out;
	e = malloc((nnz ? nnz : 1) * sizeof *e);
	*ptr = calloc(m + 1, sizeof **ptr);
	*col = malloc((nnz ? nnz : 1) * sizeof **col);
	*val = malloc((nnz ? nnz : 1) * sizeof **val);
	if (!e || !*ptr || !*col || !*val)
		goto out;
	for (unsigned long i = 0; i < nnz; i++) {
		unsigned long r, c;
		double v;
		if (fscanf(f, "%lu %lu %lf", &r, &c, &v) != 3 || r < 1 || r > m || c < 1 || c > n)
			goto out;
		e[i] = (struct entry){ (uint32_t)(r - 1), (uint32_t)(c - 1), v };
	}
	qsort(e, nnz, sizeof *e, by_row_col);
	for (unsigned long i = 0; i < nnz; i++) {
		(*ptr)[e[i].row + 1]++;
		(*col)[i] = e[i].col;
		(*val)[i] = e[i].val;
	}
	for (unsigned long r = 0; r < m; r++)
		(*ptr)[r + 1] += (*ptr)[r];
	*x = (struct nmf_matrix){ m, n, *ptr, *col, *val };
	rc = 0;
out:
	if (rc)
		fprintf(stderr, "bench_nmf: cannot read '%s' as a coordinate Matrix Market file\n", path);
	free(e);
	fclose(f);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned long k = 20, max_iter = 200, threads = 1, repeats = 3;
	if (argc < 2 || argc > 7 || (argc > 2 && parse_size(argv[2], &k)) ||
	    (argc > 3 && parse_size(argv[3], &max_iter)) || (argc > 4 && parse_size(argv[4], &threads)) ||
	    (argc > 5 && parse_size(argv[5], &repeats))) {
		fprintf(stderr, "usage: bench_nmf FILE.mtx [K [MAX_ITER [THREADS [REPEATS [mu,portable]]]]]\n");
		return 2;
	}
	struct nmf_matrix x;
	uint64_t *ptr = NULL;
	uint32_t *col = NULL;
	double *val = NULL;
	if (read_mtx(argv[1], &x, &ptr, &col, &val))
		return 1;
	struct nmf_opts opts;
	nmf_opts_default(&opts);
	opts.k = k;
	opts.max_iter = (unsigned)max_iter;
	opts.tol = 0;
	opts.threads = (unsigned)threads;
	if (argc > 6 && strstr(argv[6], "mu"))
		opts.solver = NMF_MU;
	if (argc > 6 && strstr(argv[6], "portable"))
		opts.portable = true;
	struct td_diag diag = { 0 };
	double best_wall = 0, best_cpu = 0, best_init = 0, error = 0;
	uint64_t hash = 0;
	for (unsigned long rep = 0; rep < (repeats ? repeats : 1); rep++) {
		gsl_matrix *w, *h;
		double t0 = now(CLOCK_MONOTONIC);
		if (nmf_nndsvd(&x, k, opts.seed, &w, &h, &diag)) {
			fprintf(stderr, "bench_nmf: %s\n", diag.error);
			return 1;
		}
		double init = now(CLOCK_MONOTONIC) - t0;
		gsl_matrix_free(w);
		gsl_matrix_free(h);
		struct nmf_result res;
		double wall0 = now(CLOCK_MONOTONIC), cpu0 = now(CLOCK_PROCESS_CPUTIME_ID);
		if (nmf_fit(&x, &opts, &res, &diag)) {
			fprintf(stderr, "bench_nmf: %s\n", diag.error);
			return 1;
		}
		double wall = now(CLOCK_MONOTONIC) - wall0, cpu = now(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
		if (rep == 0 || wall < best_wall)
			best_wall = wall;
		if (rep == 0 || cpu < best_cpu)
			best_cpu = cpu;
		if (rep == 0 || init < best_init)
			best_init = init;
		error = res.error;
		hash = 0xcbf29ce484222325u;
		for (size_t r = 0; r < res.w->size1; r++)
			hash = fnv(hash, gsl_matrix_const_ptr(res.w, r, 0), res.w->size2 * sizeof(double));
		for (size_t r = 0; r < res.h->size1; r++)
			hash = fnv(hash, gsl_matrix_const_ptr(res.h, r, 0), res.h->size2 * sizeof(double));
		nmf_result_free(&res);
	}
	printf("%zu x %zu, k %lu, %lu iterations, %lu thread(s)%s: fit %.3f s wall, %.3f s cpu (nndsvd %.3f s); "
	       "error %.17g; factors %016" PRIx64 "\n",
	       x.n_rows, x.n_cols, k, max_iter, threads, opts.portable ? ", portable" : "", best_wall, best_cpu, best_init, error, hash);
	td_diag_free(&diag);
	free(ptr);
	free(col);
	free(val);
	return 0;
}
