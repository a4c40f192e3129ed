/* test_fmtnum.c - fmtnum_g against snprintf("%.*g"), byte for byte: edge
 * cases at every precision, exact decimal ties and the doubles next to
 * them, values that round up to the next power of ten, doubles a hair
 * from a tie on either side, millions of random doubles and tf-idf-like
 * weights, and checks that the fast path is the one taken (ties included:
 * it decides them itself, half to even, as glibc does) and that nothing is
 * written past FMTNUM_MAX. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fmtnum.h"

enum { CANARY = 0x5a };

static void check(const char *got, size_t n, double v, int precision)
{
	char want[64];
	snprintf(want, sizeof want, "%.*g", precision, v);
	if (n != strlen(want) || strcmp(got, want) != 0)
		fail_msg("%a (%.17g) at precision %d: got '%s', snprintf gives '%s'", v, v, precision, got,
			 want);
}

/* fmtnum_g(v) is snprintf's text, and the bytes past FMTNUM_MAX are left
 * alone. */
static void same(double v, int precision)
{
	char got[FMTNUM_MAX + 8];
	memset(got + FMTNUM_MAX, CANARY, 8);
	size_t n = fmtnum_g(got, v, precision);
	check(got, n, v, precision);
	for (size_t i = FMTNUM_MAX; i < sizeof got; i++)
		if (got[i] != CANARY)
			fail_msg("%.17g at precision %d: byte %zu written, past FMTNUM_MAX", v, precision, i);
	/* in two steps (the digits, then their layout), where the fast path
	 * takes v: the same bytes */
	struct fmtnum_digits d;
	bool found = fmtnum_digits(v, precision, &d);
	if (found != (fmtnum_g_fast(got, v, precision) > 0))
		fail_msg("%.17g at precision %d: fmtnum_digits %s where the fast path %s", v, precision,
			 found ? "found digits" : "declined", found ? "declined" : "did not");
	if (found) {
		memset(got + FMTNUM_MAX, CANARY, 8);
		n = fmtnum_layout(got, &d, precision);
		check(got, n, v, precision);
		for (size_t i = FMTNUM_MAX; i < sizeof got; i++)
			if (got[i] != CANARY)
				fail_msg("%.17g at precision %d: layout wrote byte %zu", v, precision, i);
	}
}

/* The same, from the fast path itself (not snprintf). */
static void same_fast(double v, int precision)
{
	char got[FMTNUM_MAX];
	size_t n = fmtnum_g_fast(got, v, precision);
	if (n == 0)
		fail_msg("%a (%.17g) at precision %d: the fast path declined", v, v, precision);
	check(got, n, v, precision);
}

/* v and the doubles up to `ulps` away on either side, and their negatives. */
static void same_around(double v, int precision, int ulps)
{
	double up = v, down = v;
	same(v, precision);
	same(-v, precision);
	for (int i = 0; i < ulps; i++) {
		up = nextafter(up, INFINITY);
		down = nextafter(down, 0);
		same(up, precision);
		same(-up, precision);
		same(down, precision);
		same(-down, precision);
	}
}

/* xorshift64*: a fixed sequence on every machine */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

static double bits_to_double(uint64_t b)
{
	double d;
	memcpy(&d, &b, sizeof d);
	return d;
}

/* A double in (0, 1], 53 random bits. */
static double unit(uint64_t *s)
{
	return (double)((next(s) >> 11) + 1) / 9007199254740992.0;
}

static void test_fmtnum__edge_cases(void **state)
{
	(void)state;
	static const double cases[] = {
		0.0, -0.0, 1, -1, 0.1, 0.5, 0.125, 2.5, 0.25, 0.375, 1.5, 9.5, 99.5, 9.9999999995,
		9.99999999949, 0.00001, 0.0001, 0.000099999, 1e-5, 9.99999e-5, 123456789012.0, 1e10, 1e16,
		1e17, 1e22, 1e23, 99999999995.0, 0.30000000000000004, 1.0 / 3, 2.0 / 3, 2.098612289,
		0.2193391155, 1e-300, 1e300, DBL_MIN, DBL_MAX, DBL_TRUE_MIN, 4.9e-324, 1e-310,
		12345.678, 1234567, 100, 1000000, 999999.5, 0.9999999999999999, 5e-5, 5e-324,
		0x1p52, 0x1p53, 0x1p57, 0x1p60, 4503599627370495.5, 9007199254740993.0, 0.01036499893,
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		for (int p = 1; p <= 17; p++)
			same_around(cases[i], p, 2);
	for (int p = 1; p <= 17; p++) {
		same(NAN, p);
		same(INFINITY, p);
		same(-INFINITY, p);
		for (int k = -30; k <= 30; k++) {  /* around every power of ten */
			double t = pow(10, k);
			same_around(t, p, 2);
			same(t * 0.5, p);
			same(t * 9.5, p);
		}
	}
}

/* Ties in the decimal sense, written exactly in binary: printf rounds them
 * half to even, and so must the fast path, which takes them itself. */
static void test_fmtnum__exact_ties(void **state)
{
	(void)state;
	static const struct {
		double v;
		int precision;
		const char *text;
	} ties[] = {
		{ 0.125, 2, "0.12" }, { 0.375, 2, "0.38" }, { 2.5, 1, "2" }, { 3.5, 1, "4" }, { 1.5, 1, "2" },
		{ 0.625, 2, "0.62" }, { 0.875, 2, "0.88" }, { 0.03125, 3, "0.0312" },
		{ 0.09375, 3, "0.0938" },
		{ 12.5, 2, "12" }, { 13.5, 2, "14" }, { 1002.5, 4, "1002" }, { 1003.5, 4, "1004" },
		{ 4503599627370495.5, 16, "4503599627370496" },
		{ 4503599627370494.5, 16, "4503599627370494" }, { -2.5, 1, "-2" }, { -0.125, 2, "-0.12" },
		{ 9.5, 1, "1e+01" }, { 8.5, 1, "8" }, { 0.0009765625, 6, "0.000976562" },
		{ 0.0048828125, 7, "0.004882812" },
	};
	for (size_t i = 0; i < sizeof ties / sizeof *ties; i++) {
		char buf[FMTNUM_MAX];
		assert_int_equal(fmtnum_g_fast(buf, ties[i].v, ties[i].precision), strlen(ties[i].text));
		assert_string_equal(buf, ties[i].text);
		same_around(ties[i].v, ties[i].precision, 3);
	}
	/* 2^-k = 5^k / 10^k ends in 5: a tie at one digit fewer than it has;
	 * odd multiples of it, and integers and a half, at every precision */
	for (int p = 1; p <= 17; p++) {
		for (int k = 1; k <= 64; k++)
			for (int odd = 1; odd <= 9; odd += 2)
				same_around(ldexp(odd, -k), p, 2);
		for (double whole = 0; whole < 1100; whole++)
			same_around(whole + 0.5, p, 1);
		for (double whole = 0x1p51 - 20; whole < 0x1p51 + 20; whole++)
			same_around(whole + 0.5, p, 1);
	}
}

/* Every exact decimal tie at every precision P: N with P + 1 digits ending
 * in 5 is q * 5^j with q odd, so N / 10^j = q / 2^j is a double when
 * q < 2^53; so is N * 10^t while below 2^53.  The fast path must take each
 * one whose scale 10^(j-1) is an exact double (j <= 23) and round it half
 * to even, and the neighbours a few ulps away, which are not ties, must
 * come out as snprintf writes them too. */
static void test_fmtnum__ties_at_every_precision(void **state)
{
	(void)state;
	const uint64_t max_exact = UINT64_C(1) << 53;
	size_t n_ties = 0;
	uint64_t pow10 = 1;  /* 10^P */
	for (int p = 1; p <= 17; p++) {
		pow10 *= 10;
		uint64_t pow5 = 5;
		for (int j = 1; pow5 < pow10 * 10; j++, pow5 *= 5) {
			uint64_t q_lo = (pow10 + pow5 - 1) / pow5 | 1, q_hi = (pow10 * 10 - 1) / pow5;
			if (q_hi >= max_exact)
				q_hi = max_exact - 1;
			if (q_hi % 2 == 0)
				q_hi--;
			uint64_t step = (q_hi - q_lo) / 32 * 2 + 2;  /* even: q stays odd */
			for (uint64_t q = q_lo; q <= q_hi; q += step) {
				double tie = ldexp((double)q, -j);
				if (j <= 23) {
					same_fast(tie, p);
					same_fast(-tie, p);
				}
				same_around(tie, p, 3);
				n_ties++;
			}
		}
		for (uint64_t tie = pow10 + 5; tie < max_exact; tie *= 10) {  /* 10..05 * 10^t */
			same_around((double)tie, p, 3);
			n_ties++;
		}
	}
	print_message("exact ties: %zu\n", n_ties);
}

/* Doubles as near a tie as doubles get without being one: v nearest
 * (N + 1/2) / 10^s for a random N of P digits, and a few ulps either side,
 * so that v * 10^s falls just below, on or just above N + 1/2.  Only the
 * product's rounding error tells these apart; the fast path must take
 * them all (0 <= s <= 22) and agree with snprintf. */
static void test_fmtnum__near_ties(void **state)
{
	(void)state;
	uint64_t s = 7;
	size_t n = 0;
	for (int p = 1; p <= 17; p++) {
		long double first = powl(10, p - 1);
		for (int i = 0; i < 6000; i++) {
			uint64_t r = next(&s);
			long double digits = first + (long double)(r % (uint64_t)(9 * first));
			int scale = (int)(next(&s) % 23);
			double v = (double)((digits + 0.5L) / powl(10, scale));
			for (int k = -2; k <= 2; k++) {
				double w = v;
				for (int step = 0; step < (k < 0 ? -k : k); step++)
					w = nextafter(w, k < 0 ? 0 : INFINITY);
				if (w >= first / powl(10, scale))
					same_fast(w, p);
				same(w, p);
				same(-w, p);
				n++;
			}
		}
	}
	print_message("near ties: %zu\n", n);
}

/* 9.99..95 * 10^k at P digits rounds up to 10^(k+1): the digits carry into
 * a new first one and the exponent grows; the doubles either side of the
 * carry, at every precision and over 61 decades. */
static void test_fmtnum__round_up_to_power_of_ten(void **state)
{
	(void)state;
	for (int p = 1; p <= 17; p++)
		for (int k = -30; k <= 30; k++) {
			double v = (double)((1.0L - 0.5L / powl(10, p)) * powl(10, k));
			same_around(v, p, 3);
			/* and 9.99..9 (P nines) exactly, or as near as a double gets */
			same_around((double)((1.0L - 1.0L / powl(10, p)) * powl(10, k)), p, 1);
		}
	same_around(9.9999999995, 10, 3);
	same_around(0.099999999995, 10, 3);
	same_around(999999999.95, 10, 3);
}

static void test_fmtnum__random_values(void **state)
{
	(void)state;
	uint64_t s = UINT64_C(0x9e3779b97f4a7c15);
	for (int i = 0; i < 40000; i++) {  /* 17 precisions, 4 doubles each */
		uint64_t r = next(&s);
		double any = bits_to_double(next(&s));  /* every exponent */
		double decades = unit(&s) * pow(10, (int)(r % 61) - 30);  /* 10^-30 .. 10^30 */
		double big = (double)(next(&s) >> (r % 64));  /* integers, counts */
		double weight = unit(&s);  /* tf-idf weights, (0, 1] */
		if (r & 1)
			weight *= unit(&s) * unit(&s);
		for (int p = 1; p <= 17; p++) {
			if (isfinite(any))
				same(any, p);
			same(r & 2 ? decades : -decades, p);
			same(big, p);
			same(weight, p);
		}
	}
}

/* tf-idf weights at the precisions termdrift writes: millions more. */
static void test_fmtnum__random_weights(void **state)
{
	(void)state;
	static const int precisions[] = { 6, 10, 15, 17 };
	uint64_t s = 2024;
	for (int i = 0; i < 250000; i++) {
		/* tf * idf / norm: a count times log(N / df) over a document's norm */
		double tf = (double)(1 + next(&s) % 4);
		double idf = log(1e5 / (double)(1 + next(&s) % 100000));
		double norm = 4 * sqrt(50 + 450 * unit(&s));
		double weight = tf * idf / norm;
		if (weight > 1)
			weight = unit(&s);
		for (size_t k = 0; k < 4; k++)
			same(weight > 0 ? weight : unit(&s), precisions[k]);
	}
}

/* Precisions the callers never pass are clamped to 1..17, so the text
 * (and the length returned) never outgrows FMTNUM_MAX. */
static void test_fmtnum__precision_clamped(void **state)
{
	(void)state;
	char buf[FMTNUM_MAX], want[64];
	snprintf(want, sizeof want, "%.17g", -DBL_TRUE_MIN);
	assert_int_equal(fmtnum_g(buf, -DBL_TRUE_MIN, 40), strlen(want));
	assert_string_equal(buf, want);
	snprintf(want, sizeof want, "%.17g", 1.0 / 3);
	assert_int_equal(fmtnum_g(buf, 1.0 / 3, 1000), strlen(want));
	assert_string_equal(buf, want);
	assert_int_equal(fmtnum_g(buf, 2.0 / 3, 0), 3);
	assert_string_equal(buf, "0.7");
	assert_int_equal(fmtnum_g(buf, 2.0 / 3, -5), 3);
	assert_string_equal(buf, "0.7");
}

/* The point of the module: tf-idf values (0, 1] at the default precision
 * and at 17 take the fast path, not snprintf. */
static void test_fmtnum__fast_path_is_taken(void **state)
{
	(void)state;
	uint64_t s = 42;
	size_t fast = 0, n = 200000;
	char buf[FMTNUM_MAX];
	for (size_t i = 0; i < n; i++) {
		double weight = unit(&s);
		fast += fmtnum_g_fast(buf, weight, 10) > 0;
		fast += fmtnum_g_fast(buf, weight, 17) > 0;
	}
	print_message("fast path: %zu of %zu\n", fast, 2 * n);
	assert_true(fast > 2 * n / 100 * 99);
}

/* fmtnum_uint against snprintf("%" PRIu64): every integer below 2 million,
 * each power of ten and its neighbours up to 2^64 - 1, and random 64-bit
 * integers of every bit length; nothing is written past the digits. */
static void check_uint(uint64_t v)
{
	char want[32], got[32];
	memset(got, CANARY, sizeof got);
	int len = snprintf(want, sizeof want, "%" PRIu64, v);
	size_t n = fmtnum_uint(got, v);
	if (n != (size_t)len || memcmp(got, want, n) != 0 || (unsigned char)got[n] != CANARY)
		fail_msg("%" PRIu64 ": got '%.*s' (%zu digits)", v, (int)n, got, n);
}

static void test_fmtnum__uint_every_length(void **state)
{
	(void)state;
	for (uint64_t v = 0; v < 2000000; v++)
		check_uint(v);
	for (uint64_t p = 1;; p *= 10) {
		check_uint(p - 1);
		check_uint(p);
		check_uint(p + 1);
		if (p > UINT64_MAX / 10)
			break;
	}
	check_uint(UINT64_MAX);
	check_uint(UINT64_MAX - 1);
	uint64_t x = UINT64_C(0x9e3779b97f4a7c15);
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		check_uint(x >> (i % 64));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmtnum__edge_cases),
		cmocka_unit_test(test_fmtnum__exact_ties),
		cmocka_unit_test(test_fmtnum__ties_at_every_precision),
		cmocka_unit_test(test_fmtnum__near_ties),
		cmocka_unit_test(test_fmtnum__round_up_to_power_of_ten),
		cmocka_unit_test(test_fmtnum__random_values),
		cmocka_unit_test(test_fmtnum__random_weights),
		cmocka_unit_test(test_fmtnum__precision_clamped),
		cmocka_unit_test(test_fmtnum__fast_path_is_taken),
		cmocka_unit_test(test_fmtnum__uint_every_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
