/* fmtnum.h - doubles written as printf("%.*g") writes them, faster.
 *
 * The tables and matrices termdrift writes hold millions of doubles, and
 * glibc's printf spent more time on them than the counting did.  fmtnum_g
 * gives the same bytes as snprintf(buf, size, "%.*g", precision, v) for
 * every double and precision.  It scales v by the power of ten 10^s that
 * leaves `precision` digits before the point: for 0 <= s <= 22 (10^s is an
 * exact double: v from 10^(precision - 23) up to 10^precision, tf-idf
 * weights and counts at the default precision 10) it computes the
 * product's rounding error too, exactly, so that it rounds the digits
 * exactly, ties half to even as printf does; other scales go through long
 * double (one rounding, whose error it bounds), and to snprintf when the
 * digits could round either way within that bound, as do zeros, denormals,
 * infinities and NaNs.
 */
#ifndef TD_FMTNUM_H
#define TD_FMTNUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Room fmtnum_g needs: "-d.dddddddddddddddde-308" and some. */
#define FMTNUM_MAX 32

/* Writes v as snprintf(buf, FMTNUM_MAX, "%.*g", precision, v) would, at buf
 * (FMTNUM_MAX bytes of room), followed by a NUL; returns the length without
 * the NUL.  The bytes after the NUL, within those FMTNUM_MAX, may change.
 * A precision outside 1..17 is taken as the nearest of 1 and 17 (17 digits
 * already tell every double apart), so the text always fits. */
size_t fmtnum_g(char *buf, double v, int precision);

/* "00" to "99", and 10^k for k = 0..19 (fmtnum.c). */
extern const char fmtnum_two_digits[201];
extern const uint64_t fmtnum_pow10[20];

/* Writes the decimal digits of v at buf (no NUL); returns their number (at
 * most 20).  The length comes first, from the bit length (log10 2 is about
 * 1233 / 4096) and one comparison; then two digits a step from the end: a
 * matrix's column numbers took a division and a loop turn per digit. */
static inline size_t fmtnum_uint(char *buf, uint64_t v)
{
	unsigned bits = 64 - (unsigned)__builtin_clzll(v | 1);
	unsigned t = bits * 1233 >> 12;  /* floor(log10 v) or one more */
	size_t n = t + 1 - ((v | 1) < fmtnum_pow10[t]);  /* v | 1: 0 has one digit */
	char *p = buf + n;
	while (v >= 100) {
		uint64_t q = v / 100;
		p -= 2;
		memcpy(p, fmtnum_two_digits + 2 * (v - 100 * q), 2);
		v = q;
	}
	if (v >= 10)
		memcpy(p - 2, fmtnum_two_digits + 2 * v, 2);
	else
		p[-1] = (char)('0' + v);
	return n;
}

/* The digits of a double at a precision, apart from their layout: a
 * writer of many numbers finds all their digits first, in a loop whose
 * turns do not wait for one another, then lays them out. */
struct fmtnum_digits {
	uint64_t n;      /* the precision's digits, in [10^(precision-1), 10^precision) */
	int exp10;       /* the decimal exponent of the first */
	bool negative;
};

/* The digits of v at a precision in 1..17, rounded as printf rounds them;
 * false where fmtnum_g would ask snprintf (zeros, denormals, infinities,
 * NaNs, near-ties beyond long double), and for a precision outside 1..17. */
bool fmtnum_digits(double v, int precision, struct fmtnum_digits *d);

/* fmtnum_digits for count values, into d[0..count); n is 0 where it is
 * false (fmtnum_g writes those). */
void fmtnum_digits_many(const double *v, size_t count, int precision, struct fmtnum_digits *d);

/* Writes digits found by fmtnum_digits at the same precision as fmtnum_g
 * writes their number (FMTNUM_MAX bytes of room, a NUL after); returns
 * the length. */
size_t fmtnum_layout(char *buf, const struct fmtnum_digits *d, int precision);

/* The fast path alone: the length, or 0 when it cannot be sure and
 * fmtnum_g would ask snprintf (for tests: the fast path must be taken). */
size_t fmtnum_g_fast(char *buf, double v, int precision);

#endif
