/* nmf_kernels.h - the vector kernels of nmf.c, a template: nmf.c includes
 * it once per vector width with VW, KN(name) and KERNEL_TARGET defined (no
 * include guard on purpose).  Not for other files. */
/* ---- the kernels -----------------------------------------------------------
 *
 * Included twice by nmf.c: with VW 2 (16-byte vectors, which every x86-64
 * has, as have the other usual targets) and, on x86-64, with VW 4 under
 * target("avx2") (no FMA: a product and a sum are rounded apart, so the two
 * give the same bytes; tests/test_nmf.c checks it).  KN(name) gives each copy
 * its own names; below they are written plain.
 */
#define vecd KN(vecd)
#define maskd KN(maskd)
#define vec_load KN(vec_load)
#define vec_store KN(vec_store)
#define gather_kernel KN(gather_kernel)
#define gather_any KN(gather_any)
#define gather_row KN(gather_row)
#define scatter_kernel KN(scatter_kernel)
#define scatter_row KN(scatter_row)
#define gram_rows KN(gram_rows)
#define lanes KN(lanes)
#define transpose KN(transpose)
#define lanes_from_rows KN(lanes_from_rows)
#define lanes_to_rows KN(lanes_to_rows)
#define lanes_add_mul KN(lanes_add_mul)
#define cd_step KN(cd_step)
#define cd_lanes KN(cd_lanes)
#define cd_block KN(cd_block)

/* VW doubles, a GNU C vector type (gcc, clang): its operations are element
 * by element and so round as the scalar ones. */
typedef double vecd __attribute__((vector_size(VW * sizeof(double))));
typedef int64_t maskd __attribute__((vector_size(VW * sizeof(int64_t))));

static KERNEL_TARGET inline vecd vec_load(const double *p)
{
	vecd v;
	memcpy(&v, p, sizeof v);
	return v;
}

static KERNEL_TARGET inline void vec_store(double *p, vecd v)
{
	memcpy(p, &v, sizeof v);
}

/* The largest kp whose kernels keep a row in registers. */
#define KP_REG 32

/* out[0..kp) = row r of s times the n x kp array d.  Four nonzeros at a
 * time, summed in pairs before they reach the sum; with kp a constant up to
 * KP_REG (the cases of gather_row) the sum stays in registers. */
static KERNEL_TARGET inline __attribute__((always_inline)) void gather_kernel(const struct rows *s, size_t r,
								 const double *restrict d, size_t kp,
								 double *restrict out)
{
	vecd acc[KP_REG / VW];
#pragma GCC unroll 16
	for (size_t i = 0; i < kp / VW; i++)
		acc[i] = (vecd){ 0 };
	uint64_t p = s->ptr[r], end = s->ptr[r + 1];
	for (; p + 4 <= end; p += 4) {
		const double v0 = s->val[p], v1 = s->val[p + 1], v2 = s->val[p + 2], v3 = s->val[p + 3];
		const double *restrict d0 = d + (size_t)s->idx[p] * kp, *restrict d1 = d + (size_t)s->idx[p + 1] * kp;
		const double *restrict d2 = d + (size_t)s->idx[p + 2] * kp, *restrict d3 = d + (size_t)s->idx[p + 3] * kp;
#pragma GCC unroll 16
		for (size_t i = 0; i < kp / VW; i++)
			acc[i] += (vec_load(d0 + VW * i) * v0 + vec_load(d1 + VW * i) * v1) +
				  (vec_load(d2 + VW * i) * v2 + vec_load(d3 + VW * i) * v3);
	}
	for (; p < end; p++) {
		const double v = s->val[p], *restrict dp = d + (size_t)s->idx[p] * kp;
#pragma GCC unroll 16
		for (size_t i = 0; i < kp / VW; i++)
			acc[i] += vec_load(dp + VW * i) * v;
	}
#pragma GCC unroll 16
	for (size_t i = 0; i < kp / VW; i++)
		vec_store(out + VW * i, acc[i]);
}

/* The same for any kp (a multiple of 4), the sum in out. */
static KERNEL_TARGET void gather_any(const struct rows *s, size_t r, const double *restrict d, size_t kp, double *restrict out)
{
	memset(out, 0, kp * sizeof *out);
	uint64_t p = s->ptr[r], end = s->ptr[r + 1];
	for (; p + 4 <= end; p += 4) {
		const double v0 = s->val[p], v1 = s->val[p + 1], v2 = s->val[p + 2], v3 = s->val[p + 3];
		const double *restrict d0 = d + (size_t)s->idx[p] * kp, *restrict d1 = d + (size_t)s->idx[p + 1] * kp;
		const double *restrict d2 = d + (size_t)s->idx[p + 2] * kp, *restrict d3 = d + (size_t)s->idx[p + 3] * kp;
		for (size_t i = 0; i < kp; i += VW)
			vec_store(out + i, vec_load(out + i) +
						    ((vec_load(d0 + i) * v0 + vec_load(d1 + i) * v1) +
						     (vec_load(d2 + i) * v2 + vec_load(d3 + i) * v3)));
	}
	for (; p < end; p++)
		axpy4(kp, s->val[p], d + (size_t)s->idx[p] * kp, out);
}

/* out[0..kp) = row r of s times the n x kp array d (kp a multiple of 4). */
static KERNEL_TARGET void gather_row(const struct rows *s, size_t r, const double *restrict d, size_t kp, double *restrict out)
{
	switch (kp) {
	case 4: gather_kernel(s, r, d, 4, out); break;
	case 8: gather_kernel(s, r, d, 8, out); break;
	case 12: gather_kernel(s, r, d, 12, out); break;
	case 16: gather_kernel(s, r, d, 16, out); break;
	case 20: gather_kernel(s, r, d, 20, out); break;
	case 24: gather_kernel(s, r, d, 24, out); break;
	case 28: gather_kernel(s, r, d, 28, out); break;
	case 32: gather_kernel(s, r, d, 32, out); break;
	default: gather_any(s, r, d, kp, out); break;
	}
}

/* out[idx[p]][0..kp) += val[p] row[0..kp) for the nonzeros p of row r of s
 * (out is s->n_cols x kp): what scatter_block does for one row, the row in
 * registers when kp is a constant up to KP_REG. */
static KERNEL_TARGET inline __attribute__((always_inline)) void scatter_kernel(const struct rows *s, size_t r,
								  const double *restrict row, size_t kp,
								  double *restrict out)
{
	vecd h[KP_REG / VW];
#pragma GCC unroll 16
	for (size_t i = 0; i < kp / VW; i++)
		h[i] = vec_load(row + VW * i);
	for (uint64_t p = s->ptr[r]; p < s->ptr[r + 1]; p++) {
		const double v = s->val[p];
		double *restrict o = out + (size_t)s->idx[p] * kp;
#pragma GCC unroll 16
		for (size_t i = 0; i < kp / VW; i++)
			vec_store(o + VW * i, vec_load(o + VW * i) + v * h[i]);
	}
}

static KERNEL_TARGET void scatter_row(const struct rows *s, size_t r, const double *restrict row, size_t kp,
			double *restrict out)
{
	switch (kp) {
	case 4: scatter_kernel(s, r, row, 4, out); break;
	case 8: scatter_kernel(s, r, row, 8, out); break;
	case 12: scatter_kernel(s, r, row, 12, out); break;
	case 16: scatter_kernel(s, r, row, 16, out); break;
	case 20: scatter_kernel(s, r, row, 20, out); break;
	case 24: scatter_kernel(s, r, row, 24, out); break;
	case 28: scatter_kernel(s, r, row, 28, out); break;
	case 32: scatter_kernel(s, r, row, 32, out); break;
	default:
		for (uint64_t p = s->ptr[r]; p < s->ptr[r + 1]; p++)
			axpy4(kp, s->val[p], row, out + (size_t)s->idx[p] * kp);
		break;
	}
}

/* part (kp x kp) = the sum over the n rows of rows (n x kp) of each row's
 * outer product with itself, on and above the diagonal (rounded down to
 * groups of 4) and in row order: the sums of gram_add row by row, but with
 * each tile of 4 x 4 entries kept in registers through runs of GRAM_CHUNK
 * rows. */
#define GRAM_CHUNK 64
static KERNEL_TARGET void gram_rows(const double *restrict rows, size_t n, size_t k, size_t kp, double *restrict part)
{
	memset(part, 0, kp * kp * sizeof *part);
	for (size_t j0 = 0; j0 < n; j0 += GRAM_CHUNK) {
		size_t j1 = n - j0 < GRAM_CHUNK ? n : j0 + GRAM_CHUNK;
		for (size_t a = 0; a < k; a += 4)   /* kp is a multiple of 4: a + 3 < kp */
			for (size_t c = a; c < kp; c += 4) {
				vecd sum[4][4 / VW];
#pragma GCC unroll 4
				for (size_t i = 0; i < 4; i++)
#pragma GCC unroll 4
					for (size_t e = 0; e < 4 / VW; e++)
						sum[i][e] = vec_load(part + (a + i) * kp + c + VW * e);
				for (size_t j = j0; j < j1; j++) {
					const double *row = rows + j * kp;
#pragma GCC unroll 4
					for (size_t e = 0; e < 4 / VW; e++) {
						vecd x = vec_load(row + c + VW * e);
#pragma GCC unroll 4
						for (size_t i = 0; i < 4; i++)
							sum[i][e] += row[a + i] * x;
					}
				}
#pragma GCC unroll 4
				for (size_t i = 0; i < 4; i++)
#pragma GCC unroll 4
					for (size_t e = 0; e < 4 / VW; e++)
						vec_store(part + (a + i) * kp + c + VW * e, sum[i][e]);
			}
	}
}

/* LANES rows side by side, one per lane: the CD sweep runs on all of them
 * at once, each lane doing exactly the arithmetic of its row alone.  A
 * struct lanes is NV vectors (two: more did not pay on either width). */
#define NV 2
#define LANES (NV * VW)
#define INIT_T (8 / NV)          /* coordinates whose gradients are summed together */
struct lanes {
	vecd v[NV];
};

/* r[e][j] and r[j][e] swapped: VW vectors of VW doubles transposed */
static KERNEL_TARGET inline void transpose(vecd r[VW])
{
#if !defined(__clang__) && !(defined(__GNUC__) && __GNUC__ >= 12)
	vecd c[VW];
	for (size_t e = 0; e < VW; e++)
		for (size_t j = 0; j < VW; j++)
			c[e][j] = r[j][e];
	for (size_t e = 0; e < VW; e++)
		r[e] = c[e];
#elif VW == 2
	vecd r0 = r[0], r1 = r[1];
	r[0] = __builtin_shufflevector(r0, r1, 0, 2);
	r[1] = __builtin_shufflevector(r0, r1, 1, 3);
#elif VW == 4
	vecd t0 = __builtin_shufflevector(r[0], r[1], 0, 4, 2, 6);
	vecd t1 = __builtin_shufflevector(r[0], r[1], 1, 5, 3, 7);
	vecd t2 = __builtin_shufflevector(r[2], r[3], 0, 4, 2, 6);
	vecd t3 = __builtin_shufflevector(r[2], r[3], 1, 5, 3, 7);
	r[0] = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
	r[1] = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
	r[2] = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
	r[3] = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
#else
#error "VW must be 2 or 4"
#endif
}

/* out[t] = (p[0][t], ..., p[LANES - 1][t]) for t below k rounded up to VW
 * (the rows have at least that many entries). */
static KERNEL_TARGET inline void lanes_from_rows(const double *const p[LANES], size_t k, struct lanes *restrict out)
{
	for (size_t t = 0; t < k; t += VW)
#pragma GCC unroll 8
		for (size_t i = 0; i < NV; i++) {
			vecd r[VW];
#pragma GCC unroll 8
			for (size_t e = 0; e < VW; e++)
				r[e] = vec_load(p[i * VW + e] + t);
			transpose(r);
#pragma GCC unroll 8
			for (size_t e = 0; e < VW; e++)
				out[t + e].v[i] = r[e];
		}
}

/* The other way: p[l][t] = in[t] lane l, for t below k rounded up to VW. */
static KERNEL_TARGET inline void lanes_to_rows(const struct lanes *restrict in, size_t k, double *const p[LANES])
{
	for (size_t t = 0; t < k; t += VW)
#pragma GCC unroll 8
		for (size_t i = 0; i < NV; i++) {
			vecd r[VW];
#pragma GCC unroll 8
			for (size_t e = 0; e < VW; e++)
				r[e] = in[t + e].v[i];
			transpose(r);
#pragma GCC unroll 8
			for (size_t e = 0; e < VW; e++)
				vec_store(p[i * VW + e] + t, r[e]);
		}
}

/* a + b * s */
static KERNEL_TARGET inline struct lanes lanes_add_mul(struct lanes a, struct lanes b, double s)
{
#pragma GCC unroll 8
	for (size_t i = 0; i < NV; i++)
		a.v[i] += b.v[i] * s;
	return a;
}

/* The CD step of one coordinate on VW lanes: old is w, g its gradient;
 * returns the new w and adds |projected gradient| to *violation. */
static KERNEL_TARGET inline vecd cd_step(vecd old, vecd g, double inv_hess, vecd *violation)
{
	const maskd no_sign = (maskd){ 0 } + INT64_MAX;
	/* |projected gradient|: 0 where w is 0 and g is not negative */
	maskd no_pg = (maskd)(old == 0) & ~(maskd)(g < 0);
	*violation += (vecd)((maskd)g & no_sign & ~no_pg);
	/* max(w - g / hess, 0); a zero hess leaves w as it is */
	vecd next = old - g * inv_hess;
	return (vecd)((maskd)next & (maskd)(next > 0));
}

/* One CD sweep over the k coordinates of each of the LANES rows rows[l],
 * given xrows[l] (the row's product with the other factor): the gradient
 * gram w - xht of each row is computed once and then kept up to date after
 * each change (only its coordinates still to come); viol[l] gets the sum of
 * the magnitudes of row l's projected gradients.  h and grad are scratch of
 * kp struct lanes each; the rows have kp entries (so do xrows). */
static KERNEL_TARGET void cd_lanes(size_t k, size_t kp, const double *restrict gram, const double *restrict inv_hess,
		     double *const rows[LANES], const double *const xrows[LANES], struct lanes *restrict h,
		     struct lanes *restrict grad, double viol[LANES])
{
	/* h[t] and grad[t] for t up to k rounded up to VW; those from k on are
	 * the rows' zero padding, carried back unchanged */
	lanes_from_rows((const double *const *)rows, k, h);
	lanes_from_rows(xrows, k, grad);
	/* grad[t] = -xht[t] + sum over r of w[r] gram[r][t], in that order;
	 * INIT_T coordinates at a time (gram is symmetric: row t is column t)
	 * so that their chains of additions overlap */
	size_t t = 0;
	for (; t < k; t += INIT_T) {
		size_t n_t = k - t < INIT_T ? k - t : INIT_T;
		struct lanes acc[INIT_T];
		const double *g[INIT_T];
#pragma GCC unroll 8
		for (size_t i = 0; i < INIT_T; i++) {
			size_t ti = i < n_t ? t + i : t;   /* a short last run repeats t */
#pragma GCC unroll 8
			for (size_t j = 0; j < NV; j++)
				acc[i].v[j] = -grad[ti].v[j];
			g[i] = gram + ti * kp;
		}
		for (size_t r = 0; r < k; r++) {
#pragma GCC unroll 8
			for (size_t i = 0; i < INIT_T; i++)
				acc[i] = lanes_add_mul(acc[i], h[r], g[i][r]);
		}
		for (size_t i = 0; i < n_t; i++)
			grad[t + i] = acc[i];
	}
	vecd violation[NV];
#pragma GCC unroll 8
	for (size_t j = 0; j < NV; j++)
		violation[j] = (vecd){ 0 };
	for (t = 0; t < k; t++) {
		struct lanes old = h[t], next, delta;
#pragma GCC unroll 8
		for (size_t j = 0; j < NV; j++) {
			next.v[j] = cd_step(old.v[j], grad[t].v[j], inv_hess[t], &violation[j]);
			delta.v[j] = next.v[j] - old.v[j];
		}
		h[t] = next;
		const double *gram_t = gram + t * kp;
		for (size_t u = t + 1; u < k; u++)
			grad[u] = lanes_add_mul(grad[u], delta, gram_t[u]);
	}
	lanes_to_rows(h, k, rows);
	for (size_t l = 0; l < LANES; l++)
		viol[l] = violation[l / VW][l % VW];
}

/* The CD pass over a block: LANES rows at a time; a last group with fewer
 * rows fills its lanes with a row of zeros (which stays 0). */
static KERNEL_TARGET void cd_block(const struct pass_ctx *c, size_t first_row, size_t end, double *scratch)
{
	size_t k = c->k, kp = c->kp;
	struct lanes *h = (struct lanes *)scratch, *grad = h + kp;
	double *xbuf = (double *)(grad + kp), *zero_x = xbuf + LANES * kp, *zero_w = zero_x + kp;
	for (size_t first = first_row; first < end; first += LANES) {
		size_t n_group = end - first < LANES ? end - first : LANES;
		double *rows[LANES];
		const double *acc[LANES];
		for (size_t l = 0; l < LANES; l++) {
			size_t r = first + l;
			if (l >= n_group) {
				rows[l] = zero_w;
				acc[l] = zero_x;
			} else if (c->product) {
				rows[l] = c->self + r * kp;
				acc[l] = c->product + r * kp;
			} else {
				rows[l] = c->self + r * kp;
				gather_row(c->s, r, c->other, kp, xbuf + l * kp);
				acc[l] = xbuf + l * kp;
			}
		}
		double viol[LANES];
		cd_lanes(k, kp, c->gram, c->inv_hess, rows, acc, h, grad, viol);
		for (size_t l = 0; l < n_group; l++) {
			c->viol[first + l] = viol[l];
			if (c->cross) {
				double cross = 0;
				for (size_t t = 0; t < k; t++)
					cross += acc[l][t] * rows[l][t];
				c->cross[first + l] = cross;
			}
		}
	}
}

#undef vecd
#undef maskd
#undef vec_load
#undef vec_store
#undef gather_kernel
#undef gather_any
#undef gather_row
#undef scatter_kernel
#undef scatter_row
#undef gram_rows
#undef lanes
#undef transpose
#undef lanes_from_rows
#undef lanes_to_rows
#undef lanes_add_mul
#undef cd_step
#undef cd_lanes
#undef cd_block
#undef LANES
#undef NV
#undef INIT_T
#undef KP_REG
#undef GRAM_CHUNK
