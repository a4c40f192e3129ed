/* fmtnum.c - doubles as "%.*g", exactly and fast (see fmtnum.h). */
#include "fmtnum.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* 10^k for k = 0..22: exact doubles (5^22 < 2^53). */
static const double pow10_double[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* 10^k for k = -22..17, the doubles nearest them (below 10^0 not exact):
 * only to pick the decimal exponent, which digits_exact() then checks. */
enum { TENS_MIN = -22, TENS_MAX = 17 };
static const double tens[TENS_MAX - TENS_MIN + 1] = {
	1e-22, 1e-21, 1e-20, 1e-19, 1e-18, 1e-17, 1e-16, 1e-15, 1e-14, 1e-13, 1e-12, 1e-11, 1e-10, 1e-9,
	1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0, 1e1, 1e2, 1e3, 1e4, 1e5,
	1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17
};

/* 10^k for k = 0..19, every power of ten below 2^64 (fmtnum_uint). */
const uint64_t fmtnum_pow10[20] = {
	UINT64_C(1), UINT64_C(10), UINT64_C(100), UINT64_C(1000), UINT64_C(10000), UINT64_C(100000),
	UINT64_C(1000000), UINT64_C(10000000), UINT64_C(100000000), UINT64_C(1000000000),
	UINT64_C(10000000000), UINT64_C(100000000000), UINT64_C(1000000000000), UINT64_C(10000000000000),
	UINT64_C(100000000000000), UINT64_C(1000000000000000), UINT64_C(10000000000000000),
	UINT64_C(100000000000000000), UINT64_C(1000000000000000000), UINT64_C(10000000000000000000)
};

/* "00", "01", ..., "99": two digits per lookup. */
const char fmtnum_two_digits[201] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* 10^k for k = 0..27: exact in a 64-bit mantissa (5^27 < 2^63), and so
 * exact as long double literals. */
static const long double pow10_exact[28] = {
	1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
	1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L
};

/* v * p - hi exactly, hi being v * p rounded: the error of a rounded
 * product is a double (v * p far above the denormals: here at least 0.1),
 * and fma() rounds v * p - hi once, so not at all.  glibc's fma() is the
 * FMA instruction where the CPU has one (most x86-64 since 2013, arm64), an
 * exact, slower emulation where not; only P >= 16, near-ties and the
 * bound check need it.
 * (Dekker's product, exact without FMA, was slower here than the call.) */
static inline double product_error(double v, double p, double hi)
{
	return fma(v, p, -hi);
}

/* The P = precision significant digits of v > 0 (finite, normal), rounded
 * half to even as glibc's printf rounds them, as an integer in
 * [10^(P-1), 10^P) with the decimal exponent of the first digit; false when
 * v * 10^s with s = P - 1 - exponent needs a power of ten that is not an
 * exact double (s < 0 or s > 22: v >= 10^P, or v < 10^(P-23)).
 *
 * Exact, with no margin: x = v * 10^s is hi + lo, hi the rounded product
 * and lo = product_error(), and every decision below compares exact
 * quantities.  It takes doubles that round to nearest, once per operation
 * (FLT_EVAL_METHOD 0: SSE2, not x87), as printf takes that rounding mode,
 * and sums a compiler keeps as written (not -ffast-math). */
static inline bool digits_exact(double v, int precision, uint64_t *out, int *exp10)
{
#if defined(__FAST_MATH__)
	return false;
#endif
	if (FLT_EVAL_METHOD != 0)
		return false;
	/* The decimal exponent: v is in [2^b, 2^(b+1)), so floor(log10 v) is
	 * floor(b log10 2) or one more.  floor(b * 78913 / 2^18) is
	 * floor(b log10 2) for |b| < 1650, computed on b + 2^18 >= 0 (which
	 * moves the quotient by exactly 78913).  One comparison with the double
	 * nearest the next power of ten picks; it is one too large only for v
	 * equal to that double and below the power, which the check of the
	 * rounded digits below catches. */
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	int b = (int)(bits >> 52) - 1023;  /* v > 0: no sign bit */
	int e = (int)((uint64_t)(b + (1 << 18)) * 78913 >> 18) - 78913;
	if (e + 1 < TENS_MIN || e + 1 > TENS_MAX)
		return false;
	e += v >= tens[e + 1 - TENS_MIN];
	const uint64_t first = fmtnum_pow10[precision - 1], end = fmtnum_pow10[precision];
	for (int tries = 0; tries < 2; tries++) {
		int s = precision - 1 - e;  /* v * 10^s has P digits before the point */
		if (s < 0 || s > 22)
			return false;
		double scale = pow10_double[s];
		double hi = v * scale;
		/* x = hi + lo < 10^(P+1) <= 10^18 < 2^60 (e is right or one
		 * off), so |lo| <= ulp(hi) / 2 <= 64.  Adding and taking away 2^52
		 * rounds a y in [0, 2^52) to an integer, half to even, exactly:
		 * y + 2^52 is in [2^52, 2^53), where the doubles are the integers
		 * (1.5 * 2^52 does the same for |y| <= 2^51). */
		uint64_t n;
		if (hi < 0x1p52) {  /* P <= 15 (e right) and some 16: |lo| <= ulp(hi) / 2 <= 1/4 */
			double m = (hi + 0x1p52) - 0x1p52;
			double d = hi - m;  /* exact (a multiple of ulp(hi)), |d| <= 1/2 */
			n = (uint64_t)m;
			/* x = n + d + lo.  |d| < 1/2 is at most 1/2 - ulp(hi), so lo
			 * cannot take x past n +- 1/2: n is x rounded, from hi alone.
			 * Else hi is half way and lo's sign decides; lo = 0 is a tie,
			 * and n, hi rounded half to even, is already even. */
			if (fabs(d) == 0.5) {
				double lo = product_error(v, scale, hi);
				if (d > 0 && lo > 0)
					n++;
				else if (d < 0 && lo < 0)
					n--;
			}
		} else {  /* hi an integer (ulp(hi) >= 1): x rounded is hi + lo rounded */
			double lo = product_error(v, scale, hi);
			double m = (lo + 0x1.8p52) - 0x1.8p52;
			n = (uint64_t)hi + (uint64_t)(int64_t)m;  /* modulo 2^64: m < 0 works */
			/* A tie (lo = m +- 1/2) goes to the even one, as it should:
			 * m, lo rounded half to even, is even, and so is hi, a
			 * multiple of ulp(hi) >= 2 or, where ulp(hi) = 1 and so
			 * lo = +-1/2, the even one of the two integers the product
			 * was half way between. */
		}
		/* n = x rounded has P digits unless e was off, or x rounds up to
		 * 10^P: rare, so the bounds are checked on n, and on x only when
		 * n is 10^(P-1) */
		if (n <= first || n >= end) {
			if (n == end) {  /* 9.99..95 rounds up to 10.0..0; x in [10^P, 10^P + 1/2] too */
				n = first;
				e++;
			} else if (n > end) {  /* x > 10^P: e one too small */
				e++;
				continue;
			} else {
				/* x < 10^(P-1), e one too large, when hi is below
				 * 10^(P-1), or is it and lo < 0 */
				double lower = pow10_double[precision - 1];
				if (hi < lower || (hi == lower && product_error(v, scale, hi) < 0)) {
					e--;
					continue;
				}
			}
		}
		*out = n;
		*exp10 = e;
		return true;
	}
	return false;
}

/* The same as digits_exact() for the magnitudes it leaves (|s| <= 27), in
 * long double: false when the rounding cannot be decided from the long
 * double product (near a tie) or long double is too narrow. */
static bool digits_wide(double v, int precision, uint64_t *out, int *exp10)
{
	/* long double must have 64 bits of mantissa or more, and round once
	 * per operation: x87's 80 bits and binary128 do; IBM's double-double
	 * (which has double's exponent range) does not */
	if (LDBL_MANT_DIG < 64 || LDBL_MAX_EXP <= DBL_MAX_EXP)
		return false;
	/* the decimal exponent from the binary one (log10(2) = 0.30103): right
	 * or one too small, which the loop mends */
	int bin_exp;
	frexp(v, &bin_exp);
	int e = (int)floor((bin_exp - 1) * 0.30102999566398120);
	long double lo = pow10_exact[precision - 1], hi = pow10_exact[precision];
	/* x < hi, so an ulp of x is at most x * LDBL_EPSILON < hi * LDBL_EPSILON
	 * and the one rounding errs by less than half of that: the margin is
	 * four times the error (exact: a power of two times hi) */
	long double margin = 2 * hi * LDBL_EPSILON;
	for (int tries = 0; tries < 3; tries++) {
		int s = precision - 1 - e;  /* v * 10^s has P digits before the point */
		if (s > 27 || s < -27)
			return false;
		/* one rounding: a product or a quotient of exact values */
		long double x = s >= 0 ? (long double)v * pow10_exact[s] : (long double)v / pow10_exact[-s];
		if (x < lo) {
			e--;
			continue;
		}
		if (x >= hi) {
			e++;
			continue;
		}
		/* x < 2^57: its integer part is exact, and so is the fraction */
		uint64_t n = (uint64_t)x;
		long double frac = x - (long double)n;
		if (fabsl(frac - 0.5L) <= margin)
			return false;  /* too close to a tie to tell */
		if (frac > 0.5L)
			n++;
		if ((long double)n >= hi) {  /* 9.99..95 rounds up to 10.0..0 */
			n /= 10;
			e++;
		}
		*out = n;
		*exp10 = e;
		return true;
	}
	return false;
}

/* The 8 digits of y < 10^8 at out, two at a time: t is y / 10^6 in fixed
 * point with 32 bits after the point (y * 2^32 / 10^6 + eta, 0 < eta < 443
 * from the rounded-up reciprocal and the + 1), whose integer part is the
 * first two digits; taking the fraction times 100 gives the next two, and
 * so on.  The k-th pair read (k = 0..3) is the integer part of a value
 * whose fraction is at most 1 - 10^(2k-6), off by eta * 100^k / 2^32 <
 * 10^(2k-6): never enough to reach the next integer (checked for every y
 * below 10^8 too). */
static inline void put8(char *out, uint32_t y)
{
	uint64_t t = ((uint64_t)y * UINT64_C(281474977) >> 16) + 1;  /* ceil(2^48 / 10^6) */
	memcpy(out, fmtnum_two_digits + 2 * (t >> 32), 2);
	t = (t & 0xffffffff) * 100;
	memcpy(out + 2, fmtnum_two_digits + 2 * (t >> 32), 2);
	t = (t & 0xffffffff) * 100;
	memcpy(out + 4, fmtnum_two_digits + 2 * (t >> 32), 2);
	t = (t & 0xffffffff) * 100;
	memcpy(out + 6, fmtnum_two_digits + 2 * (t >> 32), 2);
}

/* The number of trailing zeros of 0 < y < 10^8, in three halvings. */
static inline int trailing_zeros8(uint32_t y)
{
	int zeros = 0;
	if (y % 10000 == 0) {
		y /= 10000;
		zeros += 4;
	}
	if (y % 100 == 0) {
		y /= 100;
		zeros += 2;
	}
	return zeros + (y % 10 == 0);
}

/* The 8 digits after the ninth of the 17 layout_g makes (low), as far as
 * the precision P needs them: none for P <= 9, the first for P = 10 (n's
 * last digit: the others are zeros), all from P = 11 on (at the default
 * precision 10, a line of tfidf.mtx took 17.4-18.3 ns with all 8 written,
 * 16.4-17.6 ns without). */
static inline void put_low(char *at, uint32_t low, uint64_t n, int precision)
{
	if (precision > 10)
		put8(at, low);
	else if (precision == 10)
		*at = (char)('0' + n % 10);
}

/* The layout of %g's rules for the P = precision digits n (in
 * [10^(P-1), 10^P)) with the decimal exponent e, after a '-' when negative:
 * the text at buf (FMTNUM_MAX bytes of room) and a NUL; returns its length. */
static inline size_t layout_g(char *buf, bool negative, uint64_t n, int e, int precision)
{
	char *p = buf;
	if (negative)
		*p++ = '-';
	/* n's P digits and 17 - P zeros, 17 digits whatever P: the first,
	 * then two groups of 8 (one fixed sequence of multiplications) */
	uint64_t full = n * fmtnum_pow10[17 - precision];
	uint64_t first = full / fmtnum_pow10[16], top9 = full / fmtnum_pow10[8];
	uint32_t mid = (uint32_t)(top9 - first * fmtnum_pow10[8]), low = (uint32_t)(full - top9 * fmtnum_pow10[8]);
	char lead = (char)('0' + first);
	/* the last digit kept, the last nonzero one (%g drops trailing zeros,
	 * and the digits past P are zeros): the P-th, but for 1 in 10 random
	 * numbers and for counts */
	int last = precision - 1;
	if (n % 10 == 0)
		last = low ? 16 - trailing_zeros8(low) : mid ? 8 - trailing_zeros8(mid) : 0;
	/* Every case writes the digits the precision has (and zeros up to the
	 * ninth) where they go, some perhaps past the end of the text, and then
	 * ends the text after the last one kept:
	 * nothing past buf[24] ("-d.", 16 digits, "e-308" and the NUL), within
	 * FMTNUM_MAX. */
	if (e < -4 || e >= precision) {  /* d.ddde+XX */
		p[0] = lead;
		p[1] = '.';
		put8(p + 2, mid);
		put_low(p + 10, low, n, precision);
		p += last > 0 ? last + 2 : 1;
		*p++ = 'e';
		*p++ = e < 0 ? '-' : '+';
		int a = e < 0 ? -e : e;
		if (a >= 100) {
			*p++ = (char)('0' + a / 100);
			a %= 100;
		}
		memcpy(p, fmtnum_two_digits + 2 * a, 2);
		p += 2;
	} else if (e < 0) {  /* 0.000ddd: e is -1..-4 */
		memcpy(p, "0.000", 5);
		p += 1 - e;
		p[0] = lead;
		put8(p + 1, mid);
		put_low(p + 9, low, n, precision);
		p += last + 1;
	} else if (last > e) {  /* ddd.ddd: the digits one place on, the integer part back */
		p[1] = lead;
		put8(p + 2, mid);
		put_low(p + 10, low, n, precision);
		for (int i = 0; i <= e; i++)
			p[i] = p[i + 1];
		p[e + 1] = '.';
		p += last + 2;
	} else {  /* ddd, an integer */
		p[0] = lead;
		put8(p + 1, mid);
		put_low(p + 9, low, n, precision);
		p += e + 1;
	}
	*p = '\0';
	return (size_t)(p - buf);
}

/* fmtnum_g_fast() for a precision in 1..17: the digits by digits_exact()
 * or digits_wide() and the layout by %g's rules; 0 when both decline. */
static inline size_t format_g(char *buf, double v, int precision)
{
	if (!isnormal(v))
		return 0;
	bool negative = v < 0;
	v = fabs(v);
	uint64_t n;
	int e;
	if (!digits_exact(v, precision, &n, &e) && !digits_wide(v, precision, &n, &e))
		return 0;
	return layout_g(buf, negative, n, e, precision);
}

bool fmtnum_digits(double v, int precision, struct fmtnum_digits *d)
{
	if (precision < 1 || precision > 17 || !isnormal(v))
		return false;
	d->negative = v < 0;
	v = fabs(v);
	return digits_exact(v, precision, &d->n, &d->exp10) || digits_wide(v, precision, &d->n, &d->exp10);
}

void fmtnum_digits_many(const double *v, size_t count, int precision, struct fmtnum_digits *d)
{
	for (size_t i = 0; i < count; i++)
		if (!fmtnum_digits(v[i], precision, &d[i]))
			d[i].n = 0;
}

size_t fmtnum_layout(char *buf, const struct fmtnum_digits *d, int precision)
{
	return layout_g(buf, d->negative, d->n, d->exp10, precision);
}

/* format_g(), or 0 for a precision outside 1..17. */
size_t fmtnum_g_fast(char *buf, double v, int precision)
{
	return precision < 1 || precision > 17 ? 0 : format_g(buf, v, precision);
}

/* The fast path, or snprintf when it declines (nan, inf, zero, denormals,
 * ties too close to call in long double, scales beyond 10^+-27). */
size_t fmtnum_g(char *buf, double v, int precision)
{
	/* at most "-d.(16 digits)e-308": 24 bytes and the NUL */
	precision = precision < 1 ? 1 : precision > 17 ? 17 : precision;
	size_t n = format_g(buf, v, precision);
	if (n)
		return n;
	int len = snprintf(buf, FMTNUM_MAX, "%.*g", precision, v);
	return len < 0 ? 0 : (size_t)len;
}
