/* nmf.c - non-negative matrix factorisation (see nmf.h).
 *
 * The factors are kept in padded row-major arrays while fitting: W as
 * n_rows x kp and H transposed (Ht) as n_cols x kp, kp = k rounded up to a
 * multiple of 4 with the padding kept at zero.  The hot loops (the sparse
 * products, the CD sweep, the Gram matrices) are kernels at the end of this
 * file, written with GNU C vector types and compiled twice: for 16-byte
 * vectors and, on x86-64, for AVX2's 32-byte ones, chosen at run time.  No
 * kernel reassociates a sum or fuses a multiply-add, so both copies (and any
 * compiler that keeps to C's evaluation) give the same bytes.  The CD sweep
 * runs 4 (8 with AVX2) rows side by side, one per vector lane: the latency of
 * one row's chain of coordinate updates is hidden behind the others'.  On
 * the State of the Union benchmark (k = 20, README.md) one iteration takes
 * about 4.5 ms with AVX2 and 8 ms without, where the row-at-a-time loops
 * took 15 ms; the results are the bytes those loops gave.
 *
 * Determinism: all parallel work is split into blocks whose boundaries depend
 * on the matrix sizes and k only, never on the thread count.  Each output row
 * is computed by one thread in a fixed order, each block keeps its own partial
 * sums (Gram matrices, violations) and the partials are added in block order
 * by the calling thread.  The same input therefore gives the same bytes for
 * any opts->threads.
 */
#include "nmf.h"

#ifdef __clang__
#pragma STDC FP_CONTRACT OFF     /* no fused multiply-adds (gcc: off under -std=c11) */
#endif

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#define NNDSVD_EPS 1e-6                  /* scikit-learn's eps in _initialize_nmf */
#define MU_EPSILON 1.1920928955078125e-07 /* np.finfo(np.float32).eps, the MU solver's floor */
#define GRAM_SVD_MAX 512                 /* smaller side up to this: eigenvectors of the Gram matrix */
#define RSVD_MAX_ITER 100                /* subspace iterations at most */
#define RSVD_TOL 1e-10                   /* ... until every residual is below this times s_0 */
#define ZERO_SV 1e-13                    /* s_i <= this times s_0 counts as 0 */
#define MAX_BLOCKS 64                    /* work blocks per pass at most */
#define PARTIAL_BYTES ((size_t)64 << 20) /* the blocks' partial Gram matrices at most */
#define MU_CHECK_EVERY 10                /* scikit-learn tests the MU error every 10 iterations */
#define SCATTER_MAX ((size_t)256 << 10)  /* a product result up to this size is scattered into */
#define CD_GROUP 4                       /* rows updated together by the MU solver */
#define SCATTER_BLOCKS 16                /* ... by this many blocks, each with its own copy */

/* A sparse matrix by rows: X itself (CSR) or its transpose (X's CSC). */
struct rows {
	size_t n_rows, n_cols;
	const uint64_t *ptr;
	const uint32_t *idx;
	const double *val;
};

static size_t round4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* n zeroed doubles aligned to 64 bytes (a cache line: rows of a multiple of
 * 4 doubles then never straddle one with a 32-byte access), freed with free;
 * NULL when out of memory. */
static double *zalloc(size_t n)
{
	if (n > (SIZE_MAX - 64) / sizeof(double))
		return NULL;
	size_t bytes = (n * sizeof(double) + 63) & ~(size_t)63;
	double *p = aligned_alloc(64, bytes ? bytes : 64);
	if (p)
		memset(p, 0, bytes);
	return p;
}

/* y[0..kp) += s x[0..kp), kp a multiple of 4: four independent statements per
 * step, so the superword vectoriser packs them without reordering any sum. */
static inline void axpy4(size_t kp, double s, const double *restrict x, double *restrict y)
{
	for (size_t i = 0; i < kp; i += 4) {
		y[i] += s * x[i];
		y[i + 1] += s * x[i + 1];
		y[i + 2] += s * x[i + 2];
		y[i + 3] += s * x[i + 3];
	}
}

/* ---- parallel blocks ------------------------------------------------- */

/* fn(ctx, block, scratch) for every block in [0, n_blocks); scratch holds
 * scratch_len zeroed doubles owned by the calling worker. */
typedef void (*block_fn)(void *ctx, size_t block, double *scratch);

struct par_run {
	block_fn fn;
	void *ctx;
	size_t n_blocks, scratch_len;
	atomic_size_t next;
	atomic_int failed;
};

static void *par_worker(void *arg)
{
	struct par_run *run = arg;
	double *scratch = zalloc(run->scratch_len);
	if (!scratch) {
		atomic_store(&run->failed, 1);
		return NULL;
	}
	for (;;) {
		size_t block = atomic_fetch_add(&run->next, 1);
		if (block >= run->n_blocks || atomic_load(&run->failed))
			break;
		run->fn(run->ctx, block, scratch);
	}
	free(scratch);
	return NULL;
}

/* Runs fn over the blocks on up to `threads` threads (the caller is one of
 * them); a thread that cannot be started leaves its blocks to the others.
 * Which thread runs a block never changes what the block computes.  Returns 0
 * or TD_ENOMEM (a worker's scratch could not be allocated). */
static int par_blocks(unsigned threads, size_t n_blocks, size_t scratch_len, block_fn fn, void *ctx)
{
	struct par_run run = { .fn = fn, .ctx = ctx, .n_blocks = n_blocks, .scratch_len = scratch_len };
	atomic_init(&run.next, 0);
	atomic_init(&run.failed, 0);
	size_t extra = threads > 1 ? threads - 1 : 0;
	if (extra >= n_blocks)
		extra = n_blocks ? n_blocks - 1 : 0;
	pthread_t *tids = extra ? malloc(extra * sizeof *tids) : NULL;
	size_t started = 0;
	if (tids)
		while (started < extra && pthread_create(&tids[started], NULL, par_worker, &run) == 0)
			started++;
	par_worker(&run);
	for (size_t i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	return atomic_load(&run.failed) ? TD_ENOMEM : 0;
}

/* Blocks of consecutive rows: their number depends on the rows and on kp
 * only (each block may keep a kp x kp partial sum). */
struct blocking {
	size_t n_rows, block_rows, n_blocks;
};

static struct blocking blocking_for(size_t n_rows, size_t kp)
{
	size_t n_blocks = PARTIAL_BYTES / (kp * kp * sizeof(double));
	if (n_blocks > MAX_BLOCKS)
		n_blocks = MAX_BLOCKS;
	if (n_blocks > n_rows)
		n_blocks = n_rows;
	if (n_blocks < 1)
		n_blocks = 1;
	struct blocking b = { .n_rows = n_rows };
	b.block_rows = n_rows ? (n_rows + n_blocks - 1) / n_blocks : 1;
	b.n_blocks = n_rows ? (n_rows + b.block_rows - 1) / b.block_rows : 0;
	return b;
}

/* sum (kp x kp) = the partial Gram matrices of blocks 0, 1, ... added in
 * that order; only their upper triangles are read (gram_add), the lower one
 * is mirrored, so the result is exactly symmetric. */
static void reduce_partials(const double *partial, size_t n_blocks, size_t kp, double *sum)
{
	memset(sum, 0, kp * kp * sizeof *sum);
	for (size_t b = 0; b < n_blocks; b++)
		for (size_t i = 0; i < kp * kp; i++)
			sum[i] += partial[b * kp * kp + i];
	for (size_t a = 0; a < kp; a++)
		for (size_t c = 0; c < a; c++)
			sum[a * kp + c] = sum[c * kp + a];
}

/* part (kp x kp) += the outer product of row with itself, on and above the
 * diagonal (rounded down to groups of 4); entries of row that are 0, common
 * in NMF factors, are skipped. */
static inline void gram_add(size_t k, size_t kp, const double *restrict row, double *restrict part)
{
	for (size_t a = 0; a < k; a++)
		if (row[a] != 0) {
			size_t from = a & ~(size_t)3;
			axpy4(kp - from, row[a], row + from, part + a * kp + from);
		}
}

enum pass_kind { PASS_EVAL, PASS_CD, PASS_MU };

/* One pass over the rows of s updating self (s->n_rows x kp) given other
 * (s->n_cols x kp) and gram = other^T other:
 *   PASS_CD:   one coordinate descent sweep per row (scikit-learn's
 *              _update_cdnmf_fast with the identity permutation);
 *   PASS_MU:   one multiplicative update per row (Frobenius);
 *   PASS_EVAL: no update.
 * Each row r also gets viol[r] (the sum of |projected gradient|, CD only) and,
 * when cross is not NULL, cross[r] = <s_r other, self_r> after the update;
 * each block its partial self^T self. */
struct pass_ctx {
	enum pass_kind kind;
	const struct rows *s;
	const double *other, *gram;
	const double *product;    /* s times other when computed beforehand, else NULL */
	const double *inv_hess;   /* 1 / gram[t][t], or 0 where that is 0 */
	double *self;
	size_t k, kp;
	struct blocking bl;
	double *viol, *cross, *partial;
	const struct kernels *kern;
};

/* The kernels of one vector width (see the end of the file). */
struct kernels {
	const char *name;
	size_t lanes;              /* rows swept together by cd_block */
	void (*gather_row)(const struct rows *s, size_t r, const double *d, size_t kp, double *out);
	void (*scatter_row)(const struct rows *s, size_t r, const double *row, size_t kp, double *out);
	void (*gram_rows)(const double *rows, size_t n, size_t k, size_t kp, double *part);
	void (*cd_block)(const struct pass_ctx *c, size_t first_row, size_t end, double *scratch);
};

/* The kernels are in nmf_kernels.h, included here twice, once per vector
 * width, each copy with its own names (KN) and target; the rest of the file
 * reaches them through a struct kernels. */
#if !defined(__GNUC__)
#error "nmf.c needs the GNU C vector extensions (gcc or clang)"
#endif
#define VW 2
#define KN(name) name##_base
#define KERNEL_TARGET
#include "nmf_kernels.h"
#undef VW
#undef KN
#undef KERNEL_TARGET

static const struct kernels kernels_base = {
	"baseline", 2 * 2, gather_row_base, scatter_row_base, gram_rows_base, cd_block_base
};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_AVX2_KERNELS 1
#define VW 4
#define KN(name) name##_avx2
#define KERNEL_TARGET __attribute__((target("avx2")))
#include "nmf_kernels.h"
#undef VW
#undef KN
#undef KERNEL_TARGET

static const struct kernels kernels_avx2 = {
	"avx2", 2 * 4, gather_row_avx2, scatter_row_avx2, gram_rows_avx2, cd_block_avx2
};
#endif

/* The AVX2 kernels where the processor has AVX2 and portable is false, else
 * the baseline ones: the same results either way. */
static const struct kernels *kernels_for(bool portable)
{
#ifdef HAVE_AVX2_KERNELS
	if (!portable && __builtin_cpu_supports("avx2"))
		return &kernels_avx2;
#else
	(void)portable;
#endif
	return &kernels_base;
}

/* The scratch doubles cd_block needs for kp and lanes rows at a time. */
static size_t cd_scratch(size_t kp, size_t lanes)
{
	return 2 * kp * lanes + (lanes + 2) * kp;
}

/* ---- sparse helpers ---------------------------------------------------- */

/* Checks the CSR structure and that every value is finite and >= 0. */
static int check_matrix(const struct nmf_matrix *x, struct td_diag *diag)
{
	if (x->n_rows >= UINT32_MAX || x->n_cols >= UINT32_MAX)
		return td_fail(diag, TD_EINVAL, "a %zu x %zu matrix is too large to factorise", x->n_rows, x->n_cols);
	if (x->n_rows && (!x->row_ptr || x->row_ptr[0] != 0))
		return td_fail(diag, TD_EINVAL, "the matrix's row offsets do not start at 0");
	for (size_t r = 0; r < x->n_rows; r++) {
		if (x->row_ptr[r + 1] < x->row_ptr[r])
			return td_fail(diag, TD_EINVAL, "the matrix's row offsets decrease at row %zu", r + 1);
		for (uint64_t p = x->row_ptr[r]; p < x->row_ptr[r + 1]; p++) {
			if (x->col[p] >= x->n_cols)
				return td_fail(diag, TD_EINVAL, "column %u of row %zu is outside the %zu columns",
					       (unsigned)x->col[p] + 1, r + 1, x->n_cols);
			if (!(x->val[p] >= 0) || !isfinite(x->val[p]))
				return td_fail(diag, TD_EINVAL, "the value %g in row %zu, column %u is not a finite number >= 0",
					       x->val[p], r + 1, (unsigned)x->col[p] + 1);
		}
	}
	return 0;
}

static int check_k(size_t k, size_t n_rows, size_t n_cols, struct td_diag *diag)
{
	if (k < 1)
		return td_fail(diag, TD_EINVAL, "k must be at least 1");
	if (n_rows <= n_cols && k > n_rows)
		return td_fail(diag, TD_EINVAL, "k = %zu is more than the %zu documents", k, n_rows);
	if (k > n_cols)
		return td_fail(diag, TD_EINVAL, "k = %zu is more than the %zu terms", k, n_cols);
	return 0;
}

/* X and its transpose, the latter in arrays owned here (rows in increasing
 * order within each of its rows). */
struct both {
	struct rows x, xt;
	uint64_t *t_ptr;
	uint32_t *t_idx;
	double *t_val;
};

static void both_free(struct both *b)
{
	free(b->t_ptr);
	free(b->t_idx);
	free(b->t_val);
}

static int both_init(struct both *b, const struct nmf_matrix *x)
{
	memset(b, 0, sizeof *b);
	b->x = (struct rows){ x->n_rows, x->n_cols, x->row_ptr, x->col, x->val };
	uint64_t nnz = x->n_rows ? x->row_ptr[x->n_rows] : 0;
	b->t_ptr = calloc(x->n_cols + 1, sizeof *b->t_ptr);
	b->t_idx = malloc((nnz ? nnz : 1) * sizeof *b->t_idx);
	b->t_val = malloc((nnz ? nnz : 1) * sizeof *b->t_val);
	if (!b->t_ptr || !b->t_idx || !b->t_val) {
		both_free(b);
		return TD_ENOMEM;
	}
	for (uint64_t p = 0; p < nnz; p++)
		b->t_ptr[x->col[p] + 1]++;
	for (size_t c = 0; c < x->n_cols; c++)
		b->t_ptr[c + 1] += b->t_ptr[c];
	uint64_t *fill = malloc((x->n_cols ? x->n_cols : 1) * sizeof *fill);
	if (!fill) {
		both_free(b);
		return TD_ENOMEM;
	}
	memcpy(fill, b->t_ptr, x->n_cols * sizeof *fill);
	for (size_t r = 0; r < x->n_rows; r++)
		for (uint64_t p = x->row_ptr[r]; p < x->row_ptr[r + 1]; p++) {
			uint64_t q = fill[x->col[p]]++;
			b->t_idx[q] = (uint32_t)r;
			b->t_val[q] = x->val[p];
		}
	free(fill);
	b->xt = (struct rows){ x->n_cols, x->n_rows, b->t_ptr, b->t_idx, b->t_val };
	return 0;
}

/* out (s->n_rows x kp) = s times d (s->n_cols x kp), in parallel by rows. */
struct spmm_ctx {
	const struct rows *s;
	const double *d;
	double *out;
	size_t kp;
	struct blocking bl;
};

static void spmm_block(void *arg, size_t block, double *scratch)
{
	(void)scratch;
	struct spmm_ctx *c = arg;
	size_t end = (block + 1) * c->bl.block_rows;
	if (end > c->bl.n_rows)
		end = c->bl.n_rows;
	for (size_t r = block * c->bl.block_rows; r < end; r++)
		gather_row_base(c->s, r, c->d, c->kp, c->out + r * c->kp);
}

static int spmm(const struct rows *s, const double *d, size_t kp, double *out, unsigned threads)
{
	struct spmm_ctx c = { s, d, out, kp, blocking_for(s->n_rows, 4) };
	return par_blocks(threads, c.bl.n_blocks, 0, spmm_block, &c);
}

/* The same product the other way round, for when the result is small: out
 * (st->n_cols x kp) = st^T d, d being st->n_rows x kp, read in order.  Each
 * of a fixed number of blocks of rows of st scatters into its own partial
 * result (SCATTER_BLOCKS x out_rows x kp doubles); the partials are then
 * added in block order. */
struct scatter_ctx {
	const struct rows *st;
	const double *d;
	size_t kp;
	struct blocking bl;
	double *partial;
	const struct kernels *kern;
};

static void scatter_block(void *arg, size_t block, double *scratch)
{
	(void)scratch;
	struct scatter_ctx *c = arg;
	const struct rows *st = c->st;
	size_t kp = c->kp, end = (block + 1) * c->bl.block_rows;
	if (end > c->bl.n_rows)
		end = c->bl.n_rows;
	double *part = c->partial + block * st->n_cols * kp;
	memset(part, 0, st->n_cols * kp * sizeof *part);
	for (size_t j = block * c->bl.block_rows; j < end; j++)
		c->kern->scatter_row(st, j, c->d + j * kp, kp, part);
}

static struct blocking scatter_blocking(size_t n_rows)
{
	struct blocking b = { .n_rows = n_rows };
	size_t n_blocks = n_rows < SCATTER_BLOCKS ? (n_rows ? n_rows : 1) : SCATTER_BLOCKS;
	b.block_rows = (n_rows + n_blocks - 1) / n_blocks;
	if (b.block_rows < 1)
		b.block_rows = 1;
	b.n_blocks = (n_rows + b.block_rows - 1) / b.block_rows;
	return b;
}

static int spmm_scatter(const struct rows *st, const double *d, size_t kp, double *partial, double *out,
			unsigned threads, const struct kernels *kern)
{
	struct scatter_ctx c = { st, d, kp, scatter_blocking(st->n_rows), partial, kern };
	int rc = par_blocks(threads, c.bl.n_blocks, 0, scatter_block, &c);
	if (rc)
		return rc;
	size_t len = st->n_cols * kp;
	memset(out, 0, len * sizeof *out);
	for (size_t b = 0; b < c.bl.n_blocks; b++)
		for (size_t i = 0; i < len; i++)
			out[i] += partial[b * len + i];
	return 0;
}

/* ---- truncated SVD ------------------------------------------------------ */

/* The top k singular triplets of X: u is n_rows x k, v is n_cols x k (both
 * row-major), s descending. */
struct svd {
	size_t k;
	double *u, *s, *v;
};

static void svd_free(struct svd *svd)
{
	free(svd->u);
	free(svd->s);
	free(svd->v);
}

/* g (p x p) = s s^T for the p rows of s: entry (a, b), b <= a, is computed by
 * the block holding row a, as the sum over row b's nonzeros of their
 * products with row a.  Rows a are taken GRAM_ROWS at a time, scattered into
 * the scratch side by side, so that each of row b's nonzeros is one read for
 * all of them and their sums (each still in row b's order) run in parallel. */
#define GRAM_ROWS 4
struct gram_ctx {
	const struct rows *s;
	double *g;
	struct blocking bl;
};

static void sparse_gram_block(void *arg, size_t block, double *dense)
{
	struct gram_ctx *c = arg;
	const struct rows *s = c->s;
	size_t p = s->n_rows, end = (block + 1) * c->bl.block_rows;
	if (end > p)
		end = p;
	for (size_t a0 = block * c->bl.block_rows; a0 < end; a0 += GRAM_ROWS) {
		size_t n_a = end - a0 < GRAM_ROWS ? end - a0 : GRAM_ROWS;
		for (size_t i = 0; i < n_a; i++)
			for (uint64_t q = s->ptr[a0 + i]; q < s->ptr[a0 + i + 1]; q++)
				dense[(size_t)s->idx[q] * GRAM_ROWS + i] = s->val[q];
		for (size_t b = 0; b < a0 + n_a; b++) {
			double sum[GRAM_ROWS] = { 0 };
			for (uint64_t q = s->ptr[b]; q < s->ptr[b + 1]; q++) {
				const double v = s->val[q], *d = dense + (size_t)s->idx[q] * GRAM_ROWS;
				for (size_t i = 0; i < GRAM_ROWS; i++)
					sum[i] += v * d[i];
			}
			for (size_t i = 0; i < n_a; i++)
				if (b <= a0 + i) {
					c->g[(a0 + i) * p + b] = sum[i];
					c->g[b * p + a0 + i] = sum[i];
				}
		}
		for (size_t i = 0; i < n_a; i++)
			for (uint64_t q = s->ptr[a0 + i]; q < s->ptr[a0 + i + 1]; q++)
				dense[(size_t)s->idx[q] * GRAM_ROWS + i] = 0;
	}
}

/* eigenvalues of the symmetric n x n g (destroyed) in descending order into
 * eval, the eigenvectors as the columns of evec. */
static int sym_eigen(double *g, size_t n, gsl_vector *eval, gsl_matrix *evec)
{
	gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc(n);
	if (!ws)
		return TD_ENOMEM;
	gsl_matrix_view gv = gsl_matrix_view_array(g, n, n);
	gsl_eigen_symmv(&gv.matrix, eval, evec, ws);
	gsl_eigen_symmv_free(ws);
	gsl_eigen_symmv_sort(eval, evec, GSL_EIGEN_SORT_VAL_DESC);
	return 0;
}

/* The singular values from eigenvalues of a Gram matrix: s_i = sqrt(lambda_i),
 * and 0 where that is rounding noise (s_i <= ZERO_SV s_0). */
static void singular_values(const gsl_vector *eval, size_t k, double *s)
{
	for (size_t i = 0; i < k; i++) {
		double lambda = gsl_vector_get(eval, i);
		s[i] = lambda > 0 ? sqrt(lambda) : 0;
	}
	for (size_t i = 1; i < k; i++)
		if (s[i] <= ZERO_SV * s[0])
			s[i] = 0;
}

/* Exact path for a small side: the eigenvectors of the p x p Gram matrix of
 * that side are its singular vectors; the other side's are s^T e / sigma. */
static int svd_by_gram(const struct rows *small, const struct rows *large, size_t k, unsigned threads,
		       double *small_vec, double *large_vec, double *s)
{
	size_t p = small->n_rows, kp = round4(k);
	double *g = malloc(p * p * sizeof *g);
	double *e = calloc(p * kp, sizeof *e), *t = calloc(large->n_rows * kp, sizeof *t);
	gsl_vector *eval = gsl_vector_alloc(p);
	gsl_matrix *evec = gsl_matrix_alloc(p, p);
	int rc = TD_ENOMEM;
	if (!g || !e || !t || !eval || !evec)
		goto out;
	struct gram_ctx gc = { small, g, blocking_for(p, 4) };
	if ((rc = par_blocks(threads, gc.bl.n_blocks, GRAM_ROWS * small->n_cols, sparse_gram_block, &gc)))
		goto out;
	if ((rc = sym_eigen(g, p, eval, evec)))
		goto out;
	singular_values(eval, k, s);
	for (size_t a = 0; a < p; a++)
		for (size_t i = 0; i < k; i++)
			e[a * kp + i] = gsl_matrix_get(evec, a, i);
	if ((rc = spmm(large, e, kp, t, threads)))
		goto out;
	for (size_t a = 0; a < p; a++)
		for (size_t i = 0; i < k; i++)
			small_vec[a * k + i] = s[i] > 0 ? e[a * kp + i] : 0;
	for (size_t j = 0; j < large->n_rows; j++)
		for (size_t i = 0; i < k; i++)
			large_vec[j * k + i] = s[i] > 0 ? t[j * kp + i] / s[i] : 0;
out:
	free(g);
	free(e);
	free(t);
	gsl_vector_free(eval);
	gsl_matrix_free(evec);
	return rc;
}

/* Orthonormalises the first c columns of q (n x c, row stride ld) by
 * classical Gram-Schmidt applied twice ("twice is enough"); a column that is
 * numerically in the span of the earlier ones is replaced by a random one. */
static void orthonormalise(double *q, size_t n, size_t c, size_t ld, gsl_rng *rng, double *coef)
{
	for (size_t j = 0; j < c; j++) {
		for (int attempt = 0;; attempt++) {
			double before = 0, after = 0;
			for (size_t r = 0; r < n; r++)
				before += q[r * ld + j] * q[r * ld + j];
			for (int pass = 0; pass < 2; pass++) {
				memset(coef, 0, j * sizeof *coef);
				for (size_t r = 0; r < n; r++)
					for (size_t i = 0; i < j; i++)
						coef[i] += q[r * ld + i] * q[r * ld + j];
				for (size_t r = 0; r < n; r++) {
					double sum = 0;
					for (size_t i = 0; i < j; i++)
						sum += q[r * ld + i] * coef[i];
					q[r * ld + j] -= sum;
				}
			}
			for (size_t r = 0; r < n; r++)
				after += q[r * ld + j] * q[r * ld + j];
			if (after > 0 && after > 1e-20 * before) {
				double scale = 1 / sqrt(after);
				for (size_t r = 0; r < n; r++)
					q[r * ld + j] *= scale;
				break;
			}
			for (size_t r = 0; r < n; r++)
				q[r * ld + j] = attempt < 4 ? gsl_ran_gaussian(rng, 1.0) : 0;
			if (attempt >= 4)
				break;
		}
	}
}

/* Gram matrix (l x l, stride lp) of the n x lp array z, in blocks. */
struct dense_gram_ctx {
	const double *z;
	size_t lp;
	struct blocking bl;
	double *partial;
};

static void dense_gram_block(void *arg, size_t block, double *scratch)
{
	(void)scratch;
	struct dense_gram_ctx *c = arg;
	size_t lp = c->lp, end = (block + 1) * c->bl.block_rows;
	if (end > c->bl.n_rows)
		end = c->bl.n_rows;
	double *part = c->partial + block * lp * lp;
	memset(part, 0, lp * lp * sizeof *part);
	for (size_t r = block * c->bl.block_rows; r < end; r++)
		gram_add(lp, lp, c->z + r * lp, part);
}

static int dense_gram(const double *z, size_t n, size_t lp, unsigned threads, double *partial, double *sum)
{
	struct dense_gram_ctx c = { z, lp, blocking_for(n, lp), partial };
	int rc = par_blocks(threads, c.bl.n_blocks, 0, dense_gram_block, &c);
	if (!rc)
		reduce_partials(partial, c.bl.n_blocks, lp, sum);
	return rc;
}

/* Randomized subspace iteration with a Rayleigh-Ritz step each round
 * (Halko, Martinsson and Tropp 2011, algorithms 4.4 and 5.1), until the
 * residuals ||X v_i - s_i u_i|| of the top k triplets are below RSVD_TOL s_0
 * (X^T u_i = s_i v_i holds by construction) or RSVD_MAX_ITER rounds. */
static int svd_randomized(const struct both *b, size_t k, uint64_t seed, unsigned threads, struct svd *out)
{
	const struct rows *x = &b->x, *xt = &b->xt;
	size_t m = x->n_rows, n = x->n_cols, p = m < n ? m : n;
	size_t l = 2 * k + 20 < p ? 2 * k + 20 : p, lp = round4(l);
	struct blocking bn = blocking_for(n, lp);
	double *q = calloc(m * lp, sizeof *q), *y = calloc(m * lp, sizeof *y);
	double *z = calloc(n * lp, sizeof *z), *v = calloc(n * lp, sizeof *v);
	double *c = calloc(lp * lp, sizeof *c), *partial = calloc(bn.n_blocks * lp * lp, sizeof *partial);
	double *coef = calloc(lp, sizeof *coef), *s = calloc(l, sizeof *s), *ue = calloc(m * k, sizeof *ue);
	gsl_vector *eval = gsl_vector_alloc(l);
	gsl_matrix *evec = gsl_matrix_alloc(l, l);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int rc = TD_ENOMEM;
	if (!q || !y || !z || !v || !c || !partial || !coef || !s || !ue || !eval || !evec || !rng)
		goto out;
	gsl_rng_set(rng, (unsigned long)(seed ^ (seed >> 32)));
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i < l; i++)
			v[j * lp + i] = gsl_ran_gaussian(rng, 1.0);
	if ((rc = spmm(x, v, lp, q, threads)))
		goto out;
	orthonormalise(q, m, l, lp, rng, coef);
	for (unsigned iter = 1;; iter++) {
		if ((rc = spmm(xt, q, lp, z, threads)) || (rc = dense_gram(z, n, lp, threads, partial, c)))
			goto out;
		for (size_t a = 0; a < l; a++)      /* c is l x l inside its lp stride */
			memmove(c + a * l, c + a * lp, l * sizeof *c);
		if ((rc = sym_eigen(c, l, eval, evec)))
			goto out;
		singular_values(eval, l, s);
		/* v = z E diag(1 / s), y = X v, ue = q E[:, :k] */
		gsl_matrix_const_view zv = gsl_matrix_const_view_array_with_tda(z, n, l, lp);
		gsl_matrix_view vv = gsl_matrix_view_array_with_tda(v, n, l, lp);
		gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &zv.matrix, evec, 0.0, &vv.matrix);
		for (size_t j = 0; j < n; j++)
			for (size_t i = 0; i < l; i++)
				v[j * lp + i] = s[i] > 0 ? v[j * lp + i] / s[i] : 0;
		if ((rc = spmm(x, v, lp, y, threads)))
			goto out;
		gsl_matrix_const_view qv = gsl_matrix_const_view_array_with_tda(q, m, l, lp);
		gsl_matrix_const_view ek = gsl_matrix_const_submatrix(evec, 0, 0, l, k);
		gsl_matrix_view uv = gsl_matrix_view_array(ue, m, k);
		gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, &qv.matrix, &ek.matrix, 0.0, &uv.matrix);
		double worst = 0;
		for (size_t i = 0; i < k; i++) {
			double r2 = 0;
			for (size_t r = 0; r < m; r++) {
				double d = y[r * lp + i] - s[i] * ue[r * k + i];
				r2 += d * d;
			}
			if (sqrt(r2) > worst)
				worst = sqrt(r2);
		}
		if (worst <= RSVD_TOL * s[0] || iter >= RSVD_MAX_ITER || l == p)
			break;
		memcpy(q, y, m * lp * sizeof *q);
		orthonormalise(q, m, l, lp, rng, coef);
	}
	for (size_t i = 0; i < k; i++)
		out->s[i] = s[i];
	memcpy(out->u, ue, m * k * sizeof *ue);
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i < k; i++)
			out->v[j * k + i] = v[j * lp + i];
	rc = 0;
out:
	free(q);
	free(y);
	free(z);
	free(v);
	free(c);
	free(partial);
	free(coef);
	free(s);
	free(ue);
	gsl_vector_free(eval);
	gsl_matrix_free(evec);
	gsl_rng_free(rng);
	return rc;
}

/* The top k singular triplets of X, signs as scikit-learn's randomized_svd
 * leaves them (svd_flip on the left vectors: the entry of largest magnitude
 * of each u_i, the first such, is positive). */
static int top_svd(const struct both *b, size_t k, uint64_t seed, unsigned threads, struct svd *out)
{
	size_t m = b->x.n_rows, n = b->x.n_cols, p = m < n ? m : n;
	out->k = k;
	out->u = calloc(m * k, sizeof *out->u);
	out->s = calloc(k, sizeof *out->s);
	out->v = calloc(n * k, sizeof *out->v);
	if (!out->u || !out->s || !out->v)
		return TD_ENOMEM;
	int rc;
	if (p > GRAM_SVD_MAX)
		rc = svd_randomized(b, k, seed, threads, out);
	else if (m <= n)
		rc = svd_by_gram(&b->x, &b->xt, k, threads, out->u, out->v, out->s);
	else
		rc = svd_by_gram(&b->xt, &b->x, k, threads, out->v, out->u, out->s);
	if (rc)
		return rc;
	for (size_t i = 0; i < k; i++) {
		size_t best = 0;
		for (size_t r = 1; r < m; r++)
			if (fabs(out->u[r * k + i]) > fabs(out->u[best * k + i]))
				best = r;
		if (out->u[best * k + i] < 0) {
			for (size_t r = 0; r < m; r++)
				out->u[r * k + i] = -out->u[r * k + i];
			for (size_t j = 0; j < n; j++)
				out->v[j * k + i] = -out->v[j * k + i];
		}
	}
	return 0;
}

/* ---- NNDSVD -------------------------------------------------------------- */

/* The Euclidean norms of the positive and of the negative part of the n
 * values x[0], x[stride], ... */
static void part_norms(const double *x, size_t n, size_t stride, double *pos, double *neg)
{
	double p2 = 0, n2 = 0;
	for (size_t r = 0; r < n; r++) {
		double a = x[r * stride];
		if (a > 0)
			p2 += a * a;
		else
			n2 += a * a;
	}
	*pos = sqrt(p2);
	*neg = sqrt(n2);
}

/* Column j of out (n x kp) = lbd times the chosen part of x / its norm. */
static void set_part(double *out, size_t kp, size_t j, const double *x, size_t n, size_t stride, bool positive,
		     double nrm, double lbd)
{
	for (size_t r = 0; r < n; r++) {
		double a = x[r * stride];
		double part = positive ? (a > 0 ? a : 0) : (a < 0 ? -a : 0);
		out[r * kp + j] = lbd * (part / nrm);
	}
}

/* NNDSVD into the padded w (n_rows x kp) and ht (n_cols x kp), zeroed by the
 * caller: _initialize_nmf(init='nndsvd').  Where scikit-learn would divide
 * 0 by 0 (a component with no positive and no negative part, or a zero
 * singular value) the component is left at 0. */
static int nndsvd_padded(const struct both *b, size_t k, size_t kp, uint64_t seed, unsigned threads, double *w,
			 double *ht)
{
	size_t m = b->x.n_rows, n = b->x.n_cols;
	struct svd svd = { 0 };
	int rc = top_svd(b, k, seed, threads, &svd);
	if (rc) {
		svd_free(&svd);
		return rc;
	}
	double root = sqrt(svd.s[0]);
	for (size_t r = 0; r < m; r++)
		w[r * kp] = root * fabs(svd.u[r * k]);
	for (size_t c = 0; c < n; c++)
		ht[c * kp] = root * fabs(svd.v[c * k]);
	for (size_t j = 1; j < k; j++) {
		double xp, xn, yp, yn;
		part_norms(svd.u + j, m, k, &xp, &xn);
		part_norms(svd.v + j, n, k, &yp, &yn);
		double mp = xp * yp, mn = xn * yn;
		bool positive = mp > mn;
		double sigma = positive ? mp : mn;
		if (!(sigma > 0) || svd.s[j] == 0)
			continue;
		double lbd = sqrt(svd.s[j] * sigma);
		set_part(w, kp, j, svd.u + j, m, k, positive, positive ? xp : xn, lbd);
		set_part(ht, kp, j, svd.v + j, n, k, positive, positive ? yp : yn, lbd);
	}
	for (size_t i = 0; i < m * kp; i++)
		if (w[i] < NNDSVD_EPS)
			w[i] = 0;
	for (size_t i = 0; i < n * kp; i++)
		if (ht[i] < NNDSVD_EPS)
			ht[i] = 0;
	svd_free(&svd);
	return 0;
}

/* ---- the solvers ------------------------------------------------------- */

/* w *= xht / (w gram), a zero denominator taken as MU_EPSILON. */
static void mu_row(size_t k, size_t kp, double *restrict w, const double *restrict xht,
		   const double *restrict gram, double *restrict den)
{
	memset(den, 0, kp * sizeof *den);
	for (size_t r = 0; r < k; r++)
		if (w[r] != 0)
			axpy4(kp, w[r], gram + r * kp, den);
	for (size_t t = 0; t < k; t++) {
		double d = den[t] == 0 ? MU_EPSILON : den[t];
		w[t] *= xht[t] / d;
	}
}

/* The MU (or no-update) pass over the rows [first_row, end) of a block. */
static void mu_block(struct pass_ctx *c, size_t first_row, size_t end, double *scratch)
{
	size_t k = c->k, kp = c->kp;
	double *work = scratch + CD_GROUP * kp;
	for (size_t first = first_row; first < end; first += CD_GROUP) {
		size_t n_group = end - first < CD_GROUP ? end - first : CD_GROUP;
		double *rows[CD_GROUP];
		const double *acc[CD_GROUP];
		for (size_t i = 0; i < n_group; i++) {
			size_t r = first + i;
			rows[i] = c->self + r * kp;
			if (c->product) {
				acc[i] = c->product + r * kp;
			} else {
				c->kern->gather_row(c->s, r, c->other, kp, scratch + i * kp);
				acc[i] = scratch + i * kp;
			}
		}
		for (size_t i = 0; i < n_group; i++) {
			double *row = rows[i];
			if (c->kind == PASS_MU)
				mu_row(k, kp, row, acc[i], c->gram, work);
			if (c->cross) {
				double cross = 0;
				for (size_t t = 0; t < k; t++)
					cross += acc[i][t] * row[t];
				c->cross[first + i] = cross;
			}
		}
	}
}

static void pass_block(void *arg, size_t block, double *scratch)
{
	struct pass_ctx *c = arg;
	size_t k = c->k, kp = c->kp, end = (block + 1) * c->bl.block_rows;
	if (end > c->bl.n_rows)
		end = c->bl.n_rows;
	size_t first_row = block * c->bl.block_rows;
	if (c->kind == PASS_CD)
		c->kern->cd_block(c, first_row, end, scratch);
	else
		mu_block(c, first_row, end, scratch);
	c->kern->gram_rows(c->self + first_row * kp, end - first_row, k, kp, c->partial + block * kp * kp);
}

struct fit {
	const struct both *b;
	size_t k, kp;
	unsigned threads;
	double *w, *ht;           /* n_rows x kp, n_cols x kp */
	double *wtw, *hht;        /* kp x kp */
	double *viol, *cross;     /* one per row of the longer side */
	double *product;          /* a product computed before a pass (scatter_w, scatter_h) */
	double *scatter_partial;  /* SCATTER_BLOCKS copies of it */
	bool scatter_w, scatter_h;/* X Ht (or X^T W) is small: computed by spmm_scatter */
	double *inv_hess;         /* kp */
	double *partial;          /* a kp x kp partial Gram matrix per block */
	double norm_x;            /* sum of the squared values of X */
	double cross_sum;         /* <X, W H> after the last H-side pass */
	const struct kernels *kern;
};

/* A pass on the W side (rows of X) or the H side (rows of X^T); the new
 * Gram matrix of the updated factor goes to wtw or hht, its violations are
 * added in row order into *violation.  An H-side pass with `cross` sets
 * f->cross_sum (<X, W H> for the updated H); one without leaves it stale. */
static int run_pass(struct fit *f, enum pass_kind kind, bool h_side, bool cross, double *violation)
{
	const struct rows *s = h_side ? &f->b->xt : &f->b->x, *st = h_side ? &f->b->x : &f->b->xt;
	struct pass_ctx c = {
		.kind = kind, .s = s, .other = h_side ? f->w : f->ht, .gram = h_side ? f->wtw : f->hht,
		.inv_hess = f->inv_hess, .self = h_side ? f->ht : f->w, .k = f->k, .kp = f->kp,
		.bl = blocking_for(s->n_rows, f->kp), .viol = f->viol, .cross = h_side && cross ? f->cross : NULL,
		.partial = f->partial, .kern = f->kern,
	};
	/* the Gram matrix read by the pass is the one not being rebuilt */
	double *gram_out = h_side ? f->hht : f->wtw;
	for (size_t t = 0; t < f->kp; t++) {
		double hess = c.gram[t * f->kp + t];
		f->inv_hess[t] = hess != 0 ? 1 / hess : 0;
	}
	int rc;
	if (h_side ? f->scatter_h : f->scatter_w) {
		if ((rc = spmm_scatter(st, c.other, f->kp, f->scatter_partial, f->product, f->threads, f->kern)))
			return rc;
		c.product = f->product;
	}
	size_t scratch_len = 2 * CD_GROUP * f->kp;
	if (cd_scratch(f->kp, f->kern->lanes) > scratch_len)
		scratch_len = cd_scratch(f->kp, f->kern->lanes);
	rc = par_blocks(f->threads, c.bl.n_blocks, scratch_len, pass_block, &c);
	if (rc)
		return rc;
	reduce_partials(f->partial, c.bl.n_blocks, f->kp, gram_out);
	if (violation && kind == PASS_CD)
		for (size_t r = 0; r < s->n_rows; r++)
			*violation += f->viol[r];
	if (c.cross) {
		f->cross_sum = 0;
		for (size_t r = 0; r < s->n_rows; r++)
			f->cross_sum += f->cross[r];
	}
	return 0;
}

/* ||X - W H||_F as scikit-learn's _beta_divergence(X, W, H, 2,
 * square_root=True) for a sparse X, from the last passes' Gram matrices and
 * cross term; a negative square from rounding gives 0, not NaN. */
static double fit_error(const struct fit *f)
{
	double norm_wh = 0;
	for (size_t a = 0; a < f->k; a++)
		for (size_t b = 0; b < f->k; b++)
			norm_wh += f->wtw[a * f->kp + b] * f->hht[a * f->kp + b];
	double res = (f->norm_x + norm_wh - 2.0 * f->cross_sum) / 2.0;
	return res > 0 ? sqrt(res * 2) : 0;
}

static int copy_out(const struct fit *f, size_t m, size_t n, gsl_matrix **w, gsl_matrix **h)
{
	*w = gsl_matrix_alloc(m, f->k);
	*h = gsl_matrix_alloc(f->k, n);
	if (!*w || !*h) {
		gsl_matrix_free(*w);
		gsl_matrix_free(*h);
		*w = *h = NULL;
		return TD_ENOMEM;
	}
	for (size_t r = 0; r < m; r++)
		for (size_t t = 0; t < f->k; t++)
			gsl_matrix_set(*w, r, t, f->w[r * f->kp + t]);
	for (size_t c = 0; c < n; c++)
		for (size_t t = 0; t < f->k; t++)
			gsl_matrix_set(*h, t, c, f->ht[c * f->kp + t]);
	return 0;
}

static void fit_free(struct fit *f)
{
	free(f->w);
	free(f->ht);
	free(f->wtw);
	free(f->hht);
	free(f->viol);
	free(f->cross);
	free(f->partial);
	free(f->product);
	free(f->scatter_partial);
	free(f->inv_hess);
}

static int fit_alloc(struct fit *f, const struct both *b, size_t k, unsigned threads, bool portable)
{
	size_t m = b->x.n_rows, n = b->x.n_cols, longer = m > n ? m : n;
	memset(f, 0, sizeof *f);
	f->b = b;
	f->k = k;
	f->kp = round4(k);
	f->threads = threads ? threads : 1;
	f->kern = kernels_for(portable);
	f->w = zalloc(m * f->kp);
	f->ht = zalloc(n * f->kp);
	f->wtw = zalloc(f->kp * f->kp);
	f->hht = zalloc(f->kp * f->kp);
	f->viol = calloc(longer, sizeof *f->viol);
	f->cross = calloc(longer, sizeof *f->cross);
	size_t n_blocks = blocking_for(m, f->kp).n_blocks;
	if (blocking_for(n, f->kp).n_blocks > n_blocks)
		n_blocks = blocking_for(n, f->kp).n_blocks;
	f->partial = zalloc(n_blocks * f->kp * f->kp);
	f->inv_hess = calloc(f->kp, sizeof *f->inv_hess);
	if (!f->w || !f->ht || !f->wtw || !f->hht || !f->viol || !f->cross || !f->partial || !f->inv_hess)
		return TD_ENOMEM;
	/* a small side's product is scattered into from the other side's rows,
	 * which are then read in order rather than gathered at random */
	f->scatter_w = m * f->kp * sizeof(double) <= SCATTER_MAX && m < n;
	f->scatter_h = n * f->kp * sizeof(double) <= SCATTER_MAX && n < m;
	if (f->scatter_w || f->scatter_h) {
		size_t rows = f->scatter_w ? m : n;
		f->product = zalloc(rows * f->kp);
		f->scatter_partial = zalloc(SCATTER_BLOCKS * rows * f->kp);
		if (!f->product || !f->scatter_partial)
			return TD_ENOMEM;
	}
	uint64_t nnz = m ? b->x.ptr[m] : 0;
	for (uint64_t p = 0; p < nnz; p++)
		f->norm_x += b->x.val[p] * b->x.val[p];
	return 0;
}

/* ---- public -------------------------------------------------------------- */

const char *nmf_kernels(const struct nmf_opts *opts)
{
	return kernels_for(opts->portable)->name;
}

void nmf_opts_default(struct nmf_opts *opts)
{
	memset(opts, 0, sizeof *opts);
	opts->k = 10;
	opts->max_iter = 200;
	opts->tol = 1e-4;
	opts->solver = NMF_CD;
	opts->seed = 1;
	opts->threads = 1;
}

int nmf_nndsvd(const struct nmf_matrix *x, size_t k, uint64_t seed, gsl_matrix **w, gsl_matrix **h,
	       struct td_diag *diag)
{
	*w = *h = NULL;
	int rc = check_k(k, x->n_rows, x->n_cols, diag);
	if (rc || (rc = check_matrix(x, diag)))
		return rc;
	struct both b;
	struct fit f;
	if (both_init(&b, x))
		return td_fail(diag, TD_ENOMEM, "out of memory for a %zu x %zu matrix", x->n_rows, x->n_cols);
	rc = fit_alloc(&f, &b, k, 1, true);
	if (!rc)
		rc = nndsvd_padded(&b, k, f.kp, seed, 1, f.w, f.ht);
	if (!rc)
		rc = copy_out(&f, x->n_rows, x->n_cols, w, h);
	fit_free(&f);
	both_free(&b);
	return rc ? td_fail(diag, rc, "out of memory for NNDSVD with k = %zu", k) : 0;
}

int nmf_fit(const struct nmf_matrix *x, const struct nmf_opts *opts, struct nmf_result *out,
	    struct td_diag *diag)
{
	memset(out, 0, sizeof *out);
	int rc = check_k(opts->k, x->n_rows, x->n_cols, diag);
	if (rc || (rc = check_matrix(x, diag)))
		return rc;
	if (!(opts->tol >= 0) || !isfinite(opts->tol))
		return td_fail(diag, TD_EINVAL, "the tolerance %g is not a finite number >= 0", opts->tol);
	if (opts->solver != NMF_CD && opts->solver != NMF_MU)
		return td_fail(diag, TD_EINVAL, "unknown NMF solver %d", (int)opts->solver);
	struct both b;
	struct fit f;
	if (both_init(&b, x))
		return td_fail(diag, TD_ENOMEM, "out of memory for a %zu x %zu matrix", x->n_rows, x->n_cols);
	if ((rc = fit_alloc(&f, &b, opts->k, opts->threads, opts->portable)))
		goto out;
	if ((rc = nndsvd_padded(&b, f.k, f.kp, opts->seed, f.threads, f.w, f.ht)))
		goto out;
	/* the Gram matrices and the error of the start */
	if ((rc = run_pass(&f, PASS_EVAL, false, false, NULL)) || (rc = run_pass(&f, PASS_EVAL, true, true, NULL)))
		goto out;
	double error_at_init = fit_error(&f), previous = error_at_init;
	for (unsigned iter = 1; iter <= opts->max_iter; iter++) {
		out->n_iter = iter;
		if (opts->solver == NMF_CD) {
			/* _fit_coordinate_descent: W then H, stop when the summed
			 * violation falls to tol times the first one */
			double violation = 0;
			if ((rc = run_pass(&f, PASS_CD, false, false, &violation)) ||
			    (rc = run_pass(&f, PASS_CD, true, false, &violation)))
				goto out;
			if (iter == 1)
				previous = violation;  /* violation_init */
			if (previous == 0) {
				out->converged = true;
				out->final_ratio = 0;
				break;
			}
			out->final_ratio = violation / previous;
			if (out->final_ratio <= opts->tol) {
				out->converged = true;
				break;
			}
		} else {
			/* _fit_multiplicative_update: every 10 iterations, stop when
			 * the error fell by less than tol times the first error */
			if ((rc = run_pass(&f, PASS_MU, false, false, NULL)) ||
			    (rc = run_pass(&f, PASS_MU, true, true, NULL)))
				goto out;
			if (opts->tol > 0 && iter % MU_CHECK_EVERY == 0) {
				double error = fit_error(&f);
				out->final_ratio = error_at_init > 0 ? (previous - error) / error_at_init : 0;
				if (out->final_ratio < opts->tol) {
					out->converged = true;
					break;
				}
				previous = error;
			}
		}
	}
	/* CD passes leave <X, W H> to this pass without update (the same sums) */
	if (opts->solver == NMF_CD && out->n_iter > 0 && (rc = run_pass(&f, PASS_EVAL, true, true, NULL)))
		goto out;
	out->error = fit_error(&f);
	rc = copy_out(&f, x->n_rows, x->n_cols, &out->w, &out->h);
out:
	fit_free(&f);
	both_free(&b);
	return rc ? td_fail(diag, rc, "out of memory for NMF with k = %zu", opts->k) : 0;
}

void nmf_result_free(struct nmf_result *result)
{
	if (!result)
		return;
	gsl_matrix_free(result->w);
	gsl_matrix_free(result->h);
	result->w = result->h = NULL;
}
