/* test_nmf.c - NNDSVD on a matrix whose SVD is known by hand, the solvers'
 * invariants (non-negative factors, an error that never rises under CD, an
 * exactly factorisable matrix recovered), the same bytes for any thread
 * count and for the AVX2 and the baseline kernels, CD against a plain
 * transcription of scikit-learn's, the randomized SVD path's leading
 * triplet, k out of range and zero rows.  The agreement with scikit-learn
 * itself is tests/oracle/nmf_reference.py. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "nmf.h"

/* A CSR matrix built from a dense one (zeros dropped), owning its arrays. */
struct csr {
	struct nmf_matrix m;
	uint64_t *row_ptr;
	uint32_t *col;
	double *val;
};

static struct csr csr_from_dense(const double *dense, size_t n_rows, size_t n_cols)
{
	struct csr c;
	c.row_ptr = calloc(n_rows + 1, sizeof *c.row_ptr);
	c.col = malloc((n_rows * n_cols + 1) * sizeof *c.col);
	c.val = malloc((n_rows * n_cols + 1) * sizeof *c.val);
	assert_non_null(c.row_ptr);
	assert_non_null(c.col);
	assert_non_null(c.val);
	uint64_t nnz = 0;
	for (size_t r = 0; r < n_rows; r++) {
		for (size_t j = 0; j < n_cols; j++)
			if (dense[r * n_cols + j] != 0) {
				c.col[nnz] = (uint32_t)j;
				c.val[nnz++] = dense[r * n_cols + j];
			}
		c.row_ptr[r + 1] = nnz;
	}
	c.m = (struct nmf_matrix){ n_rows, n_cols, c.row_ptr, c.col, c.val };
	return c;
}

static void csr_free(struct csr *c)
{
	free(c->row_ptr);
	free(c->col);
	free(c->val);
}

/* A dense n_rows x n_cols matrix with about density of its entries uniform
 * in (0, 1), the rest 0 (fixed seed); the caller frees it. */
static double *random_dense(size_t n_rows, size_t n_cols, double density, unsigned long seed)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, seed);
	double *d = calloc(n_rows * n_cols, sizeof *d);
	assert_non_null(d);
	for (size_t i = 0; i < n_rows * n_cols; i++)
		if (gsl_rng_uniform(rng) < density)
			d[i] = gsl_rng_uniform_pos(rng);
	gsl_rng_free(rng);
	return d;
}

/* ||X - W H||_F computed densely. */
static double dense_error(const double *x, const gsl_matrix *w, const gsl_matrix *h)
{
	double sum = 0;
	for (size_t r = 0; r < w->size1; r++)
		for (size_t j = 0; j < h->size2; j++) {
			double wh = 0;
			for (size_t t = 0; t < w->size2; t++)
				wh += gsl_matrix_get(w, r, t) * gsl_matrix_get(h, t, j);
			double d = x[r * h->size2 + j] - wh;
			sum += d * d;
		}
	return sqrt(sum);
}

static void assert_nonnegative_finite(const gsl_matrix *a)
{
	for (size_t i = 0; i < a->size1; i++)
		for (size_t j = 0; j < a->size2; j++) {
			double v = gsl_matrix_get(a, i, j);
			assert_true(isfinite(v));
			assert_true(v >= 0);
		}
}

static struct nmf_result fit(const struct nmf_matrix *x, size_t k, unsigned max_iter, double tol,
			     enum nmf_solver solver, unsigned threads)
{
	struct nmf_opts opts;
	nmf_opts_default(&opts);
	opts.k = k;
	opts.max_iter = max_iter;
	opts.tol = tol;
	opts.solver = solver;
	opts.threads = threads;
	struct nmf_result res;
	struct td_diag diag = { 0 };
	assert_int_equal(nmf_fit(x, &opts, &res, &diag), 0);
	td_diag_free(&diag);
	return res;
}

/* X = diag(A, B) plus a zero column, A = [[2, 1], [1, 2]] (singular values 3
 * and 1, vectors (1, 1) / sqrt 2 and (1, -1) / sqrt 2), B = [2].  The top two
 * triplets are (3, (1,1,0)/sqrt 2, (1,1,0,0)/sqrt 2) and (2, e3, e3), so
 * NNDSVD gives W = [sqrt 1.5, sqrt 1.5, 0 | 0, 0, sqrt 2] and H likewise. */
static void test_nmf__nndsvd_block_diagonal(void **state)
{
	(void)state;
	const double x[] = { 2, 1, 0, 0,
			     1, 2, 0, 0,
			     0, 0, 2, 0 };
	struct csr c = csr_from_dense(x, 3, 4);
	gsl_matrix *w, *h;
	struct td_diag diag = { 0 };
	assert_int_equal(nmf_nndsvd(&c.m, 2, 1, &w, &h, &diag), 0);
	const double a = sqrt(1.5), b = sqrt(2.0);
	const double ew[3][2] = { { a, 0 }, { a, 0 }, { 0, b } };
	const double eh[2][4] = { { a, a, 0, 0 }, { 0, 0, b, 0 } };
	for (size_t r = 0; r < 3; r++)
		for (size_t t = 0; t < 2; t++)
			assert_float_equal(gsl_matrix_get(w, r, t), ew[r][t], 1e-12);
	for (size_t t = 0; t < 2; t++)
		for (size_t j = 0; j < 4; j++)
			assert_float_equal(gsl_matrix_get(h, t, j), eh[t][j], 1e-12);
	/* zeros are kept as zeros, not filled (init='nndsvd', not 'nndsvda') */
	assert_true(gsl_matrix_get(w, 2, 0) == 0 && gsl_matrix_get(h, 1, 3) == 0);
	gsl_matrix_free(w);
	gsl_matrix_free(h);
	/* max_iter = 0: the same factors, and their error sqrt(1^2 + 1^2 - ...) */
	struct nmf_result res = fit(&c.m, 2, 0, 1e-4, NMF_CD, 1);
	assert_int_equal(res.n_iter, 0);
	assert_float_equal(gsl_matrix_get(res.w, 0, 0), a, 1e-12);
	assert_float_equal(res.error, dense_error(x, res.w, res.h), 1e-9);
	assert_float_equal(res.error, 1.0, 1e-9);   /* what is left is the singular value 1 */
	nmf_result_free(&res);
	csr_free(&c);
}

/* CD minimises the objective exactly along each coordinate, so the error
 * can only fall with more iterations; the factors stay >= 0; the reported
 * error is ||X - W H||_F. */
static void test_nmf__cd_error_decreases(void **state)
{
	(void)state;
	double *x = random_dense(30, 40, 0.3, 7);
	struct csr c = csr_from_dense(x, 30, 40);
	const unsigned iters[] = { 0, 1, 2, 5, 20, 100 };
	double last = INFINITY;
	for (size_t i = 0; i < sizeof iters / sizeof *iters; i++) {
		struct nmf_result res = fit(&c.m, 5, iters[i], 0, NMF_CD, 1);
		assert_int_equal(res.n_iter, iters[i]);
		assert_nonnegative_finite(res.w);
		assert_nonnegative_finite(res.h);
		assert_float_equal(res.error, dense_error(x, res.w, res.h), 1e-9 * res.error);
		assert_true(res.error <= last * (1 + 1e-12));
		last = res.error;
		nmf_result_free(&res);
	}
	free(x);
	csr_free(&c);
}

/* The multiplicative updates keep the factors >= 0 and lower the error. */
static void test_nmf__mu_error_decreases(void **state)
{
	(void)state;
	double *x = random_dense(25, 35, 0.4, 11);
	struct csr c = csr_from_dense(x, 25, 35);
	struct nmf_result start = fit(&c.m, 4, 0, 0, NMF_MU, 1);
	struct nmf_result res = fit(&c.m, 4, 200, 0, NMF_MU, 1);
	assert_nonnegative_finite(res.w);
	assert_nonnegative_finite(res.h);
	assert_true(res.error < start.error);
	assert_float_equal(res.error, dense_error(x, res.w, res.h), 1e-9 * res.error);
	nmf_result_free(&start);
	nmf_result_free(&res);
	/* with a tolerance it stops at a multiple of 10 iterations */
	res = fit(&c.m, 4, 1000, 1e-3, NMF_MU, 1);
	assert_true(res.converged);
	assert_int_equal(res.n_iter % 10, 0);
	assert_true(res.final_ratio < 1e-3);
	nmf_result_free(&res);
	free(x);
	csr_free(&c);
}

/* X = W0 H0 with non-negative W0 (20 x 3) and H0 (3 x 30), each topic with
 * terms of its own: CD finds a factorisation with a small residual. */
static void test_nmf__exact_factorisation_recovered(void **state)
{
	(void)state;
	double *w0 = random_dense(20, 3, 0.7, 3), *h0 = random_dense(3, 30, 0.5, 5);
	for (size_t t = 0; t < 3; t++)
		for (size_t j = 0; j < 3; j++)
			h0[t * 30 + 3 * t + j] = 1;   /* anchor terms */
	for (size_t r = 0; r < 20; r++)
		w0[r * 3 + r % 3] += 0.5;
	double *x = calloc(20 * 30, sizeof *x);
	double norm = 0;
	for (size_t r = 0; r < 20; r++)
		for (size_t j = 0; j < 30; j++) {
			for (size_t t = 0; t < 3; t++)
				x[r * 30 + j] += w0[r * 3 + t] * h0[t * 30 + j];
			norm += x[r * 30 + j] * x[r * 30 + j];
		}
	struct csr c = csr_from_dense(x, 20, 30);
	struct nmf_result res = fit(&c.m, 3, 2000, 1e-12, NMF_CD, 1);
	assert_nonnegative_finite(res.w);
	assert_nonnegative_finite(res.h);
	assert_true(dense_error(x, res.w, res.h) < 1e-5 * sqrt(norm));
	nmf_result_free(&res);
	free(w0);
	free(h0);
	free(x);
	csr_free(&c);
}

static void assert_same_bytes(const gsl_matrix *a, const gsl_matrix *b)
{
	assert_int_equal(a->size1, b->size1);
	assert_int_equal(a->size2, b->size2);
	assert_int_equal(a->tda, a->size2);
	assert_int_equal(b->tda, b->size2);
	assert_memory_equal(a->data, b->data, a->size1 * a->size2 * sizeof(double));
}

/* 1 and 3 threads give the same bytes, for both solvers, with a wide X (the
 * W side's product scattered), a tall one (the H side's) and one whose
 * smaller side takes the randomized SVD. */
static void test_nmf__threads_same_bytes(void **state)
{
	(void)state;
	const size_t shapes[][3] = { { 200, 300, 7 }, { 300, 120, 6 }, { 600, 700, 5 } };
	for (size_t s = 0; s < 3; s++) {
		size_t n_rows = shapes[s][0], n_cols = shapes[s][1], k = shapes[s][2];
		double *x = random_dense(n_rows, n_cols, 0.05, 17 + s);
		struct csr c = csr_from_dense(x, n_rows, n_cols);
		for (int solver = NMF_CD; solver <= NMF_MU; solver++) {
			struct nmf_result one = fit(&c.m, k, 30, 0, (enum nmf_solver)solver, 1);
			struct nmf_result three = fit(&c.m, k, 30, 0, (enum nmf_solver)solver, 3);
			assert_same_bytes(one.w, three.w);
			assert_same_bytes(one.h, three.h);
			assert_memory_equal(&one.error, &three.error, sizeof one.error);
			nmf_result_free(&one);
			nmf_result_free(&three);
		}
		free(x);
		csr_free(&c);
	}
}

/* The AVX2 kernels (where the processor has them) and the baseline ones give
 * the same bytes: k below, at and above the kernels' register sizes (kp 4,
 * 20, 32 and the generic 36), row counts that leave a part-filled group of
 * lanes, a wide X (the W side's product scattered) and a tall one (the H
 * side's), both solvers. */
static void test_nmf__portable_kernels_same_bytes(void **state)
{
	(void)state;
	const size_t shapes[][3] = { { 37, 90, 1 }, { 45, 130, 5 }, { 29, 150, 20 }, { 150, 43, 7 },
				     { 61, 160, 33 }, { 80, 70, 30 } };
	for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
		size_t n_rows = shapes[s][0], n_cols = shapes[s][1], k = shapes[s][2];
		double *x = random_dense(n_rows, n_cols, 0.2, 41 + s);
		struct csr c = csr_from_dense(x, n_rows, n_cols);
		for (int solver = NMF_CD; solver <= NMF_MU; solver++) {
			struct nmf_opts opts;
			nmf_opts_default(&opts);
			opts.k = k;
			opts.max_iter = 12;
			opts.tol = 0;
			opts.solver = (enum nmf_solver)solver;
			struct nmf_result fast, base;
			struct td_diag diag = { 0 };
			assert_int_equal(nmf_fit(&c.m, &opts, &fast, &diag), 0);
			assert_true(strcmp(nmf_kernels(&opts), "avx2") == 0 ||
				    strcmp(nmf_kernels(&opts), "baseline") == 0);
			opts.portable = true;
			assert_string_equal(nmf_kernels(&opts), "baseline");
			assert_int_equal(nmf_fit(&c.m, &opts, &base, &diag), 0);
			assert_same_bytes(fast.w, base.w);
			assert_same_bytes(fast.h, base.h);
			assert_memory_equal(&fast.error, &base.error, sizeof fast.error);
			assert_memory_equal(&fast.final_ratio, &base.final_ratio, sizeof fast.final_ratio);
			nmf_result_free(&fast);
			nmf_result_free(&base);
			td_diag_free(&diag);
		}
		free(x);
		csr_free(&c);
	}
}

/* One iteration of scikit-learn's _fit_coordinate_descent written plainly:
 * w (n x k) swept coordinate by coordinate with the gradient recomputed as
 * a dot product each time (_update_cdnmf_fast), given gram (k x k) and xht
 * (n x k); returns the summed violation. */
static double reference_cd_sweep(double *w, size_t n, size_t k, const double *gram, const double *xht)
{
	double violation = 0;
	for (size_t t = 0; t < k; t++)
		for (size_t i = 0; i < n; i++) {
			double grad = -xht[i * k + t];
			for (size_t r = 0; r < k; r++)
				grad += gram[t * k + r] * w[i * k + r];
			double pg = w[i * k + t] == 0 ? fmin(0, grad) : grad;
			violation += fabs(pg);
			double hess = gram[t * k + t];
			if (hess != 0)
				w[i * k + t] = fmax(w[i * k + t] - grad / hess, 0);
		}
	return violation;
}

/* a (p x k) = b^T c for b (n x p) and c (n x k), all row-major. */
static void reference_tmul(const double *b, const double *c, size_t n, size_t p, size_t k, double *a)
{
	for (size_t i = 0; i < p * k; i++)
		a[i] = 0;
	for (size_t r = 0; r < n; r++)
		for (size_t i = 0; i < p; i++)
			for (size_t j = 0; j < k; j++)
				a[i * k + j] += b[r * p + i] * c[r * k + j];
}

/* xht (n_rows x k) = X f for f (n_cols x k), or, with transposed, xtw
 * (n_cols x k) = X^T f for f (n_rows x k). */
static void reference_spmm(const struct nmf_matrix *x, const double *f, size_t k, bool transposed, double *out)
{
	for (size_t i = 0; i < (transposed ? x->n_cols : x->n_rows) * k; i++)
		out[i] = 0;
	for (size_t r = 0; r < x->n_rows; r++)
		for (uint64_t p = x->row_ptr[r]; p < x->row_ptr[r + 1]; p++)
			for (size_t t = 0; t < k; t++) {
				if (transposed)
					out[x->col[p] * k + t] += x->val[p] * f[r * k + t];
				else
					out[r * k + t] += x->val[p] * f[x->col[p] * k + t];
			}
}

/* The largest |a - b| over the largest |b|. */
static double relative_gap(const double *a, const gsl_matrix *b, bool transposed)
{
	double gap = 0, top = 0;
	for (size_t i = 0; i < b->size1; i++)
		for (size_t j = 0; j < b->size2; j++) {
			double v = gsl_matrix_get(b, i, j);
			double u = transposed ? a[j * b->size1 + i] : a[i * b->size2 + j];
			gap = fmax(gap, fabs(u - v));
			top = fmax(top, fabs(v));
		}
	return top > 0 ? gap / top : gap;
}

/* nmf_fit's CD (gradients kept up to date, rows swept side by side in
 * vector lanes, the products gathered or scattered, Gram matrices in tiles)
 * against the plain reference from the same NNDSVD start: the same iterates
 * up to rounding, for a wide X, a tall one, one with no scattered product
 * and k of the kernels' sizes and above. */
static void test_nmf__cd_matches_reference(void **state)
{
	(void)state;
	const size_t shapes[][3] = { { 23, 70, 3 }, { 60, 25, 6 }, { 31, 90, 20 }, { 40, 120, 33 },
				     { 1700, 1750, 20 } };
	const unsigned iters = 4;
	for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
		size_t m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
		double *x = random_dense(m, n, m > 1000 ? 0.004 : 0.25, 61 + s);
		struct csr c = csr_from_dense(x, m, n);
		gsl_matrix *w0, *h0;
		struct td_diag diag = { 0 };
		assert_int_equal(nmf_nndsvd(&c.m, k, 1, &w0, &h0, &diag), 0);
		double *w = malloc(m * k * sizeof *w), *ht = malloc(n * k * sizeof *ht);
		double *gram = malloc(k * k * sizeof *gram), *prod = malloc((m > n ? m : n) * k * sizeof *prod);
		assert_non_null(w);
		assert_non_null(ht);
		assert_non_null(gram);
		assert_non_null(prod);
		for (size_t i = 0; i < m; i++)
			for (size_t t = 0; t < k; t++)
				w[i * k + t] = gsl_matrix_get(w0, i, t);
		for (size_t j = 0; j < n; j++)
			for (size_t t = 0; t < k; t++)
				ht[j * k + t] = gsl_matrix_get(h0, t, j);
		for (unsigned it = 0; it < iters; it++) {
			reference_tmul(ht, ht, n, k, k, gram);    /* H H^T */
			reference_spmm(&c.m, ht, k, false, prod); /* X H^T */
			reference_cd_sweep(w, m, k, gram, prod);
			reference_tmul(w, w, m, k, k, gram);      /* W^T W */
			reference_spmm(&c.m, w, k, true, prod);   /* X^T W */
			reference_cd_sweep(ht, n, k, gram, prod);
		}
		struct nmf_result res = fit(&c.m, k, iters, 0, NMF_CD, 2);
		assert_true(relative_gap(w, res.w, false) < 1e-9);
		assert_true(relative_gap(ht, res.h, true) < 1e-9);
		assert_float_equal(res.error, dense_error(x, res.w, res.h), 1e-9 * res.error);
		nmf_result_free(&res);
		gsl_matrix_free(w0);
		gsl_matrix_free(h0);
		td_diag_free(&diag);
		free(w);
		free(ht);
		free(gram);
		free(prod);
		free(x);
		csr_free(&c);
	}
}

/* With 600 x 700 the SVD is randomized subspace iteration; its leading
 * triplet must still be accurate: w0 = sqrt(s0) u0 and h0 = sqrt(s0) v0, so
 * X h0 = s0 w0 and X^T w0 = s0 h0 with s0 = ||w0||^2. */
static void test_nmf__randomized_svd_leading_triplet(void **state)
{
	(void)state;
	double *x = random_dense(600, 700, 0.05, 23);
	struct csr c = csr_from_dense(x, 600, 700);
	gsl_matrix *w, *h;
	struct td_diag diag = { 0 };
	assert_int_equal(nmf_nndsvd(&c.m, 4, 1, &w, &h, &diag), 0);
	double s0 = 0, r1 = 0, r2 = 0;
	for (size_t r = 0; r < 600; r++)
		s0 += gsl_matrix_get(w, r, 0) * gsl_matrix_get(w, r, 0);
	for (size_t r = 0; r < 600; r++) {
		double xh = 0;
		for (size_t j = 0; j < 700; j++)
			xh += x[r * 700 + j] * gsl_matrix_get(h, 0, j);
		r1 += pow(xh - s0 * gsl_matrix_get(w, r, 0), 2);
	}
	for (size_t j = 0; j < 700; j++) {
		double xw = 0;
		for (size_t r = 0; r < 600; r++)
			xw += x[r * 700 + j] * gsl_matrix_get(w, r, 0);
		r2 += pow(xw - s0 * gsl_matrix_get(h, 0, j), 2);
	}
	assert_true(sqrt(r1) < 1e-8 * s0 * sqrt(s0));
	assert_true(sqrt(r2) < 1e-8 * s0 * sqrt(s0));
	gsl_matrix_free(w);
	gsl_matrix_free(h);
	free(x);
	csr_free(&c);
}

static void test_nmf__k_out_of_range(void **state)
{
	(void)state;
	double *x = random_dense(5, 10, 0.5, 1);
	struct csr wide = csr_from_dense(x, 5, 10), tall = csr_from_dense(x, 10, 5);
	struct nmf_opts opts;
	nmf_opts_default(&opts);
	struct nmf_result res;
	struct td_diag diag = { 0 };
	opts.k = 0;
	assert_int_equal(nmf_fit(&wide.m, &opts, &res, &diag), TD_EINVAL);
	assert_string_equal(diag.error, "k must be at least 1");
	opts.k = 6;
	assert_int_equal(nmf_fit(&wide.m, &opts, &res, &diag), TD_EINVAL);
	assert_string_equal(diag.error, "k = 6 is more than the 5 documents");
	assert_null(res.w);
	assert_int_equal(nmf_fit(&tall.m, &opts, &res, &diag), TD_EINVAL);
	assert_string_equal(diag.error, "k = 6 is more than the 5 terms");
	gsl_matrix *w, *h;
	assert_int_equal(nmf_nndsvd(&wide.m, 9, 1, &w, &h, &diag), TD_EINVAL);
	assert_string_equal(diag.error, "k = 9 is more than the 5 documents");
	assert_null(w);
	opts.k = 5;
	assert_int_equal(nmf_fit(&wide.m, &opts, &res, &diag), 0);
	nmf_result_free(&res);
	td_diag_free(&diag);
	free(x);
	csr_free(&wide);
	csr_free(&tall);
}

/* Documents (and a term) without any value: finite factors, zero rows of W,
 * for both solvers; an all-zero X gives zero factors and error 0. */
static void test_nmf__zero_rows_finite(void **state)
{
	(void)state;
	double *x = random_dense(12, 15, 0.5, 29);
	for (size_t j = 0; j < 15; j++)
		x[1 * 15 + j] = x[7 * 15 + j] = 0;
	for (size_t r = 0; r < 12; r++)
		x[r * 15 + 4] = 0;
	struct csr c = csr_from_dense(x, 12, 15);
	for (int solver = NMF_CD; solver <= NMF_MU; solver++) {
		struct nmf_result res = fit(&c.m, 6, 50, 1e-4, (enum nmf_solver)solver, 2);
		assert_nonnegative_finite(res.w);
		assert_nonnegative_finite(res.h);
		assert_true(isfinite(res.error) && isfinite(res.final_ratio));
		for (size_t t = 0; t < 6; t++) {
			assert_true(gsl_matrix_get(res.w, 1, t) == 0);
			assert_true(gsl_matrix_get(res.w, 7, t) == 0);
			assert_true(gsl_matrix_get(res.h, t, 4) == 0);
		}
		nmf_result_free(&res);
	}
	memset(x, 0, 12 * 15 * sizeof *x);
	struct csr zero = csr_from_dense(x, 12, 15);
	for (int solver = NMF_CD; solver <= NMF_MU; solver++) {
		struct nmf_result res = fit(&zero.m, 3, 50, 1e-4, (enum nmf_solver)solver, 1);
		assert_nonnegative_finite(res.w);
		assert_nonnegative_finite(res.h);
		assert_true(res.error == 0);
		assert_true(isfinite(res.final_ratio));
		nmf_result_free(&res);
	}
	free(x);
	csr_free(&c);
	csr_free(&zero);
}

static void test_nmf__negative_value_rejected(void **state)
{
	(void)state;
	const double x[] = { 1, -0.5, 0, 2 };
	struct csr c = csr_from_dense(x, 2, 2);
	struct nmf_opts opts;
	nmf_opts_default(&opts);
	opts.k = 1;
	struct nmf_result res;
	struct td_diag diag = { 0 };
	assert_int_equal(nmf_fit(&c.m, &opts, &res, &diag), TD_EINVAL);
	assert_non_null(strstr(diag.error, "row 1, column 2"));
	td_diag_free(&diag);
	csr_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nmf__nndsvd_block_diagonal),
		cmocka_unit_test(test_nmf__cd_error_decreases),
		cmocka_unit_test(test_nmf__mu_error_decreases),
		cmocka_unit_test(test_nmf__exact_factorisation_recovered),
		cmocka_unit_test(test_nmf__threads_same_bytes),
		cmocka_unit_test(test_nmf__portable_kernels_same_bytes),
		cmocka_unit_test(test_nmf__cd_matches_reference),
		cmocka_unit_test(test_nmf__randomized_svd_leading_triplet),
		cmocka_unit_test(test_nmf__k_out_of_range),
		cmocka_unit_test(test_nmf__zero_rows_finite),
		cmocka_unit_test(test_nmf__negative_value_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
