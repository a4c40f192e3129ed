/* fmtnum.c - doubles as "%.*g", exactly and fast (see fmtnum.h). */
#include "fmtnum.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* 10^k for k = 0..27: exact in a 64-bit mantissa (5^27 < 2^63), and so
 * exact as long double literals. */
static const long double pow10_exact[28] = {
	1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
	1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L
};

/* The P = precision significant digits of v > 0 (finite, normal) as an
 * integer in [10^(P-1), 10^P) with the decimal exponent of the first digit;
 * false when the rounding cannot be decided from the long double product. */
static bool digits(double v, int precision, uint64_t *out, int *exp10)
{
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

/* The digits by digits() and the layout by %g's rules; 0 when digits() or
 * the checks above it leave v to snprintf. */
size_t fmtnum_g_fast(char *buf, double v, int precision)
{
	/* long double must have 64 bits of mantissa or more, and round once
	 * per operation: x87's 80 bits and binary128 do; IBM's double-double
	 * (which has double's exponent range) does not */
	if (LDBL_MANT_DIG < 64 || LDBL_MAX_EXP <= DBL_MAX_EXP)
		return 0;
	if (precision < 1 || precision > 17 || !isnormal(v))
		return 0;
	char *p = buf;
	if (v < 0) {
		*p++ = '-';
		v = -v;
	}
	uint64_t n;
	int e;
	if (!digits(v, precision, &n, &e))
		return 0;
	char d[20];
	for (int i = precision - 1; i >= 0; i--, n /= 10)
		d[i] = (char)('0' + n % 10);
	int last = precision - 1;  /* the last digit kept: %g drops trailing zeros */
	while (last > 0 && d[last] == '0')
		last--;
	if (e < -4 || e >= precision) {  /* d.ddde+XX */
		*p++ = d[0];
		if (last > 0) {
			*p++ = '.';
			memcpy(p, d + 1, (size_t)last);
			p += last;
		}
		*p++ = 'e';
		*p++ = e < 0 ? '-' : '+';
		int a = e < 0 ? -e : e;
		if (a >= 100)
			*p++ = (char)('0' + a / 100);
		*p++ = (char)('0' + a / 10 % 10);
		*p++ = (char)('0' + a % 10);
	} else if (e >= 0) {  /* ddd.ddd */
		memcpy(p, d, (size_t)e + 1);
		p += e + 1;
		if (last > e) {
			*p++ = '.';
			memcpy(p, d + e + 1, (size_t)(last - e));
			p += last - e;
		}
	} else {  /* 0.000ddd */
		*p++ = '0';
		*p++ = '.';
		for (int i = -1; i > e; i--)
			*p++ = '0';
		memcpy(p, d, (size_t)last + 1);
		p += last + 1;
	}
	*p = '\0';
	return (size_t)(p - buf);
}

/* The fast path, or snprintf when it declines (nan, inf, zero, denormals,
 * ties too close to call, magnitudes outside its powers of ten). */
size_t fmtnum_g(char *buf, double v, int precision)
{
	/* at most "-d.(16 digits)e-308": 24 bytes and the NUL */
	precision = precision < 1 ? 1 : precision > 17 ? 17 : precision;
	size_t n = fmtnum_g_fast(buf, v, precision);
	if (n)
		return n;
	int len = snprintf(buf, FMTNUM_MAX, "%.*g", precision, v);
	return len < 0 ? 0 : (size_t)len;
}
