/* test_mtx.c - Matrix Market files: every line as the format says, and the
 * same bytes whatever the number of threads that format them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mtx.h"
#include "outfile.h"

/* A matrix of n_docs rows with a pseudo-random number of nonzeros each
 * (some rows empty), columns increasing in a row, and a value per nonzero
 * spread over many magnitudes. */
struct fixture {
	struct dtm dtm;
	double *values;
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
	m->n_terms = 5000;
	m->row_ptr = malloc((m->n_docs + 1) * sizeof *m->row_ptr);
	size_t cap = 3000 * 120;
	m->col = malloc(cap * sizeof *m->col);
	m->count = malloc(cap * sizeof *m->count);
	fx->values = malloc(cap * sizeof *fx->values);
	assert_true(m->row_ptr && m->col && m->count && fx->values);
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
			fx->values[k] = (double)(next(&x) >> 11) / 9007199254740992.0 * (next(&x) % 3 == 0 ? 1e-6 : 1.0);
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
	free(fx->values);
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

/* The file as snprintf would write it, line by line. */
static char *expected_file(const struct fixture *fx, bool real, size_t *len)
{
	const struct dtm *m = &fx->dtm;
	size_t cap = 256 + (size_t)m->row_ptr[m->n_docs] * 64, at = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	at += (size_t)snprintf(buf + at, cap - at, "%%%%MatrixMarket matrix coordinate %s general\n%% c\n%zu %zu %" PRIu64 "\n",
			       real ? "real" : "integer", m->n_docs, m->n_terms, m->row_ptr[m->n_docs]);
	for (size_t d = 0; d < m->n_docs; d++)
		for (uint64_t k = m->row_ptr[d]; k < m->row_ptr[d + 1]; k++) {
			if (real)
				at += (size_t)snprintf(buf + at, cap - at, "%zu %u %.10g\n", d + 1, m->col[k] + 1, fx->values[k]);
			else
				at += (size_t)snprintf(buf + at, cap - at, "%zu %u %u\n", d + 1, m->col[k] + 1, m->count[k]);
		}
	*len = at;
	return buf;
}

static void check_threads(struct fixture *fx, bool real)
{
	size_t want_len;
	char *want = expected_file(fx, real, &want_len);
	for (unsigned threads = 1; threads <= 5; threads++) {
		uint64_t rows = 0;
		struct td_diag diag = { 0 };
		assert_int_equal(mtx_write(fx->dir, "m.mtx", &fx->dtm, real ? fx->values : NULL, 10, "c", threads,
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

static void test_mtx__real_values_any_threads(void **state)
{
	check_threads(*state, true);
}

static void test_mtx__counts_any_threads(void **state)
{
	check_threads(*state, false);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mtx__real_values_any_threads),
		cmocka_unit_test(test_mtx__counts_any_threads),
		cmocka_unit_test(test_mtx__no_nonzeros),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
