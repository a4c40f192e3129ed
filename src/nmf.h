/* nmf.h - non-negative matrix factorisation X ~ W H of a sparse non-negative
 * matrix (the TF-IDF matrix: documents x terms), Frobenius loss, as
 * scikit-learn's NMF(init='nndsvd', solver='cd', beta_loss='frobenius',
 * alpha_W=0, alpha_H=0, shuffle=False).
 *
 * X is given in CSR form with 64-bit row offsets (struct nmf_matrix points into
 * memory the caller owns).  W is n_rows x k, H is k x n_cols, both dense GSL
 * matrices owned by the result (nmf_result_free).
 *
 * Where it differs from scikit-learn, by design:
 *  - the truncated SVD behind NNDSVD is computed to rounding error (the
 *    eigenvectors of the smaller Gram matrix when that side has at most 512
 *    rows, else randomized subspace iteration run until every residual is
 *    below 1e-10 s_0) where scikit-learn's randomized_svd is an approximation
 *    drawn from numpy's generator; the signs follow its svd_flip (the largest
 *    entry of each left vector positive).  So the start equals scikit-learn's
 *    _initialize_nmf on the exact SVD, not on its randomized one;
 *  - CD keeps each row's gradient up to date after every coordinate change
 *    and multiplies by 1 / hess: the same iterates up to rounding;
 *  - where scikit-learn would produce NaN (an NNDSVD component with a zero
 *    singular value or no positive and no negative part, a square root of a
 *    slightly negative error) the component is 0 and the error 0.
 * The result is the same, byte for byte, for any number of threads and
 * either set of kernels (AVX2 or baseline, see nmf_opts.portable).
 */
#ifndef TD_NMF_H
#define TD_NMF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_matrix.h>

#include "error.h"

struct nmf_matrix {
	size_t n_rows, n_cols;
	const uint64_t *row_ptr;   /* n_rows + 1 offsets */
	const uint32_t *col;       /* column of each nonzero, increasing within a row */
	const double *val;         /* value of each nonzero (>= 0) */
};

enum nmf_solver { NMF_CD = 0, NMF_MU };

struct nmf_opts {
	size_t k;                  /* topics, 1 <= k <= min(n_rows, n_cols); default 10 */
	unsigned max_iter;         /* default 200 (scikit-learn's); 0: the NNDSVD factors */
	double tol;                /* default 1e-4, scikit-learn's stopping rule */
	enum nmf_solver solver;    /* default NMF_CD */
	uint64_t seed;             /* the randomized SVD's generator (mt19937 seeded with
				      seed ^ (seed >> 32)), used only when both sides
				      of X exceed 512; default 1 */
	unsigned threads;          /* default 1 (0 is taken as 1); the result does not
				      depend on it */
	bool portable;             /* default false: AVX2 kernels where the processor
				      has AVX2; true: the baseline ones.  The result
				      does not depend on it (for tests, benchmarks) */
};

/* Sets the defaults named above. */
void nmf_opts_default(struct nmf_opts *opts);

/* The name of the kernels nmf_fit will use with opts on this processor,
 * "avx2" or "baseline" (static storage; for the run's manifest). */
const char *nmf_kernels(const struct nmf_opts *opts);

struct nmf_result {
	gsl_matrix *w;             /* n_rows x k */
	gsl_matrix *h;             /* k x n_cols */
	double error;              /* ||X - W H||_F, scikit-learn's reconstruction_err_ */
	unsigned n_iter;           /* iterations done */
	bool converged;            /* the stopping rule was met (at or before max_iter;
				      also when the first violation is 0) */
	double final_ratio;        /* the last value the stopping rule saw: CD,
				      violation / first violation; MU (every 10
				      iterations when tol > 0), (previous error - error)
				      / error of the start; 0 before any */
};

/* NNDSVD initial factors (Boutsidis and Gallopoulos 2008) of X with k
 * components, zeros kept (scikit-learn's init='nndsvd', entries below 1e-6
 * set to 0) into new matrices *w and *h that the caller frees with
 * gsl_matrix_free (both NULL on error).  Returns 0, TD_EINVAL (k out of
 * range, or X with a negative or non-finite value or a bad structure) or
 * TD_ENOMEM, with a message in diag. */
int nmf_nndsvd(const struct nmf_matrix *x, size_t k, uint64_t seed, gsl_matrix **w, gsl_matrix **h,
	       struct td_diag *diag);

/* Factorises X from NNDSVD with opts->solver: NMF_CD as scikit-learn's
 * _fit_coordinate_descent (W then H each iteration; stops when the summed
 * violation <= tol times the first iteration's), NMF_MU as its
 * _fit_multiplicative_update for the Frobenius loss.  max_iter 0 gives the
 * NNDSVD factors and their error.  Fills *out (all zero on error; free it
 * with nmf_result_free).  Returns 0, TD_EINVAL (k out of range, X as for
 * nmf_nndsvd, tol negative or not finite, an unknown solver) or TD_ENOMEM,
 * each with a message in diag.  Not converging is not an error:
 * out->converged says so. */
int nmf_fit(const struct nmf_matrix *x, const struct nmf_opts *opts, struct nmf_result *out,
	    struct td_diag *diag);

/* Frees the factors (NULL allowed); the result can be reused. */
void nmf_result_free(struct nmf_result *result);

#endif
