/* test_mtx.c - Matrix Market files: every line as the format says, the
 * weighted values those computed before the weighting (weight_reference.h),
 * and the same bytes whatever the number of threads that format them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mtx.h"
#include "outfile.h"
#include "weight_reference.h"

/* A matrix of n_docs rows with a pseudo-random number of nonzeros each
 * (some rows empty), columns increasing in a row, counts from 1 to 1000. */
struct fixture {
	struct dtm dtm;
	char dir[32];
};

static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	struct dtm *m = &fx->dtm;
	m->n_docs = 3000;
	m->n_included = 3000;
	m->n_terms = 5000;
	m->row_ptr = malloc((m->n_docs + 1) * sizeof *m->row_ptr);
	size_t cap = 3000 * 120;
	m->col = malloc(cap * sizeof *m->col);
	m->count = malloc(cap * sizeof *m->count);
	m->df = calloc(m->n_terms, sizeof *m->df);
	assert_true(m->row_ptr && m->col && m->count && m->df);
	uint64_t x = 2463534242u, k = 0;
	for (size_t d = 0; d < m->n_docs; d++) {
		m->row_ptr[d] = k;
		size_t n = next(&x) % 7 == 0 ? 0 : next(&x) % 110;  /* rows of 0 to 109 */
		uint32_t col = 0;
		for (size_t j = 0; j < n; j++) {
			col += 1 + (uint32_t)(next(&x) % 40);
			if (col >= m->n_terms)
				break;
			m->col[k] = col;
			m->count[k] = 1 + (uint32_t)(next(&x) % 1000);
			m->df[col]++;
			k++;
		}
	}
	m->row_ptr[m->n_docs] = k;
	assert_true(k > 5 * 16384);  /* several blocks of lines */
	strcpy(fx->dir, "/tmp/td_mtx_XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	free(fx->dtm.row_ptr);
	free(fx->dtm.col);
	free(fx->dtm.count);
	free(fx->dtm.df);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char *path = fs_join(dir, name);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long size = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
	buf[size] = '\0';
	fclose(fp);
	unlink(path);
	free(path);
	*len = (size_t)size;
	return buf;
}

/* The file as snprintf would write it, line by line: the counts, or the
 * values reference_weights computes with wt's idf and options, with
 * precision digits. */
static char *expected_file(const struct fixture *fx, const struct weighting *wt, int precision, size_t *len)
{
	const struct dtm *m = &fx->dtm;
	bool real = wt != NULL;
	size_t cap = 256 + (size_t)m->row_ptr[m->n_docs] * 64, at = 0;
	char *buf = malloc(cap);
	double *tf = malloc(((size_t)m->row_ptr[m->n_docs] + 1) * sizeof *tf);
	double *values = malloc(((size_t)m->row_ptr[m->n_docs] + 1) * sizeof *values);
	assert_true(buf && tf && values);
	if (real)
		reference_weights(m, wt->idf, &wt->opts, tf, values);
	at += (size_t)snprintf(buf + at, cap - at, "%%%%MatrixMarket matrix coordinate %s general\n%% c\n%zu %zu %" PRIu64 "\n",
			       real ? "real" : "integer", m->n_docs, m->n_terms, m->row_ptr[m->n_docs]);
	for (size_t d = 0; d < m->n_docs; d++)
		for (uint64_t k = m->row_ptr[d]; k < m->row_ptr[d + 1]; k++) {
			if (real)
				at += (size_t)snprintf(buf + at, cap - at, "%zu %u %.*g\n", d + 1, m->col[k] + 1, precision,
						       values[k]);
			else
				at += (size_t)snprintf(buf + at, cap - at, "%zu %u %u\n", d + 1, m->col[k] + 1, m->count[k]);
		}
	free(tf);
	free(values);
	*len = at;
	return buf;
}

/* Writes the counts, or the values of wt, with 1 to 5 threads. */
static void check_threads(struct fixture *fx, const struct weighting *wt, int precision)
{
	size_t want_len;
	char *want = expected_file(fx, wt, precision, &want_len);
	for (unsigned threads = 1; threads <= 5; threads++) {
		uint64_t rows = 0;
		struct td_diag diag = { 0 };
		assert_int_equal(mtx_write(fx->dir, "m.mtx", &fx->dtm, wt, precision, "c", threads,
					   &rows, &diag), 0);
		assert_int_equal(rows, fx->dtm.row_ptr[fx->dtm.n_docs]);
		size_t len;
		char *got = slurp(fx->dir, "m.mtx", &len);
		assert_int_equal(len, want_len);
		assert_memory_equal(got, want, len);
		free(got);
		td_diag_free(&diag);
	}
	free(want);
}

/* Weighted values, computed as the lines are formatted (by the workers
 * with several threads), for a few of the schemes; 17 digits tell any two
 * doubles apart, so that a value off by its last bit is caught. */
static void test_mtx__weighted_values_any_threads(void **state)
{
	struct fixture *fx = *state;
	static const struct weight_opts schemes[] = {
		{ TFS_RAW, IDF_SMOOTH, NORM_L2 },       /* scikit-learn's default */
		{ TFS_SUBLINEAR, IDF_PLAIN, NORM_L1 },
		{ TFS_PROP, IDF_PROB, NORM_L2 },
		{ TFS_AUGMENTED, IDF_SMOOTH, NORM_NONE },
		{ TFS_RAW, IDF_NONE, NORM_NONE },       /* the counts, as reals */
	};
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
		struct weighting wt;
		assert_int_equal(weighting_init(&wt, &fx->dtm, &schemes[i], 2), 0);
		check_threads(fx, &wt, 17);
		check_threads(fx, &wt, 10);
		weighting_free(&wt);
	}
}

/* Weights of zero (a probabilistic idf of terms in more than half the
 * documents), which fmtnum_digits leaves to fmtnum_g, among the others,
 * and rows all of zeros. */
static void test_mtx__zero_weights_any_threads(void **state)
{
	struct fixture *fx = *state;
	uint64_t *df = fx->dtm.df, *saved = malloc(fx->dtm.n_terms * sizeof *saved);
	assert_non_null(saved);
	memcpy(saved, df, fx->dtm.n_terms * sizeof *saved);
	for (size_t t = 0; t < fx->dtm.n_terms; t += 3)
		df[t] = fx->dtm.n_docs - 1;
	const struct weight_opts prob = { TFS_RAW, IDF_PROB, NORM_L2 };
	struct weighting wt;
	assert_int_equal(weighting_init(&wt, &fx->dtm, &prob, 2), 0);
	size_t zeros = 0;
	for (size_t t = 0; t < fx->dtm.n_terms; t++)
		zeros += wt.idf[t] == 0;
	assert_true(zeros > fx->dtm.n_terms / 4);
	check_threads(fx, &wt, 10);
	check_threads(fx, &wt, 17);
	weighting_free(&wt);
	memcpy(df, saved, fx->dtm.n_terms * sizeof *saved);
	free(saved);
}

static void test_mtx__counts_any_threads(void **state)
{
	check_threads(*state, NULL, 10);
}

/* An empty matrix is a header and a size line. */
static void test_mtx__no_nonzeros(void **state)
{
	struct fixture *fx = *state;
	struct dtm empty = { .n_docs = 2, .n_terms = 3 };
	uint64_t row_ptr[3] = { 0, 0, 0 };
	empty.row_ptr = row_ptr;
	for (unsigned threads = 1; threads <= 2; threads++) {
		uint64_t rows = 9;
		struct td_diag diag = { 0 };
		assert_int_equal(mtx_write(fx->dir, "e.mtx", &empty, NULL, 10, NULL, threads, &rows, &diag), 0);
		assert_int_equal(rows, 0);
		size_t len;
		char *got = slurp(fx->dir, "e.mtx", &len);
		assert_string_equal(got, "%%MatrixMarket matrix coordinate integer general\n2 3 0\n");
		free(got);
		td_diag_free(&diag);
	}
}

/* A file that cannot be written whole (past a file size limit of 100 KB:
 * the header goes, the first block only in part) is an error that says
 * why, and leaves no file, on one thread and on several. */
static void test_mtx__write_error_is_reported(void **state)
{
	struct fixture *fx = *state;
	struct rlimit saved;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	if (saved.rlim_cur != RLIM_INFINITY && saved.rlim_cur < 100000)
		skip();
	void (*old)(int) = signal(SIGXFSZ, SIG_IGN);  /* the write fails with EFBIG instead */
	for (unsigned threads = 1; threads <= 3; threads += 2) {
		struct rlimit low = { 100000, saved.rlim_max };
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &low), 0);
		uint64_t rows = 0;
		struct td_diag diag = { 0 };
		int rc = mtx_write(fx->dir, "big.mtx", &fx->dtm, NULL, 10, NULL, threads, &rows, &diag);
		assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
		assert_int_equal(rc, TD_EIO);
		assert_non_null(diag.error);
		assert_non_null(strstr(diag.error, "cannot write"));
		assert_non_null(strstr(diag.error, strerror(EFBIG)));
		char *path = fs_join(fx->dir, "big.mtx");
		assert_int_equal(access(path, F_OK), -1);
		free(path);
		td_diag_free(&diag);
	}
	signal(SIGXFSZ, old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mtx__weighted_values_any_threads),
		cmocka_unit_test(test_mtx__zero_weights_any_threads),
		cmocka_unit_test(test_mtx__counts_any_threads),
		cmocka_unit_test(test_mtx__no_nonzeros),
		cmocka_unit_test(test_mtx__write_error_is_reported),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
