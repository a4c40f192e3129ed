/* test_fmtnum.c - fmtnum_g against snprintf("%.*g"), byte for byte: edge
 * cases at every precision, millions of random doubles, and a check that
 * the fast path is the one taken. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fmtnum.h"

static void same(double v, int precision)
{
	char want[64], got[FMTNUM_MAX];
	snprintf(want, sizeof want, "%.*g", precision, v);
	size_t n = fmtnum_g(got, v, precision);
	if (n != strlen(want) || strcmp(got, want) != 0)
		fail_msg("%.17g at precision %d: got '%s', snprintf gives '%s'", v, precision, got, want);
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

static void test_fmtnum__edge_cases(void **state)
{
	(void)state;
	static const double cases[] = {
		0.0, -0.0, 1, -1, 0.1, 0.5, 0.125, 2.5, 0.25, 0.375, 1.5, 9.5, 99.5, 9.9999999995,
		9.99999999949, 0.00001, 0.0001, 0.000099999, 1e-5, 9.99999e-5, 123456789012.0, 1e10, 1e16,
		1e17, 1e22, 1e23, 99999999995.0, 0.30000000000000004, 1.0 / 3, 2.0 / 3, 2.098612289,
		0.2193391155, 1e-300, 1e300, DBL_MIN, DBL_MAX, DBL_TRUE_MIN, 4.9e-324, 1e-310,
		12345.678, 1234567, 100, 1000000, 999999.5, 0.9999999999999999, 5e-5, 5e-324,
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		for (int p = 1; p <= 17; p++) {
			same(cases[i], p);
			same(-cases[i], p);
			same(nextafter(cases[i], INFINITY), p);
			same(nextafter(cases[i], 0), p);
		}
	for (int p = 1; p <= 17; p++) {
		same(NAN, p);
		same(INFINITY, p);
		same(-INFINITY, p);
		for (int k = -30; k <= 30; k++) {  /* around every power of ten */
			double t = pow(10, k);
			same(t, p);
			same(nextafter(t, 0), p);
			same(nextafter(t, INFINITY), p);
			same(t * 0.5, p);
			same(t * 9.5, p);
		}
	}
}

static void test_fmtnum__random_values(void **state)
{
	(void)state;
	static const int precisions[] = { 6, 10, 15, 17 };
	uint64_t s = UINT64_C(0x9e3779b97f4a7c15);
	for (int i = 0; i < 400000; i++) {  /* 1.2 million doubles, 4 precisions each */
		uint64_t r = next(&s);
		double unit = (double)((r >> 11) + 1) / 9007199254740992.0;  /* (0, 1] */
		double any = bits_to_double(next(&s));
		double scaled = unit * pow(10, (int)(r % 40) - 20);
		for (size_t k = 0; k < 4; k++) {
			same(unit, precisions[k]);
			same(scaled, precisions[k]);
			if (isfinite(any))
				same(any, precisions[k]);
		}
	}
}

/* Ties in the decimal sense, written exactly in binary: 0.125 at 2 digits,
 * 2.5 at 1, 1.5 at 1 (round half to even, as printf): the fast path must
 * leave them to snprintf, and the result must agree. */
static void test_fmtnum__exact_ties(void **state)
{
	(void)state;
	char buf[FMTNUM_MAX];
	assert_int_equal(fmtnum_g_fast(buf, 0.125, 2), 0);
	assert_int_equal(fmtnum_g_fast(buf, 2.5, 1), 0);
	fmtnum_g(buf, 0.125, 2);
	assert_string_equal(buf, "0.12");
	fmtnum_g(buf, 2.5, 1);
	assert_string_equal(buf, "2");
	fmtnum_g(buf, 3.5, 1);
	assert_string_equal(buf, "4");
}

/* Every exact decimal tie at every precision P: N with P + 1 digits ending
 * in 5 is q * 5^j with q odd, so N / 10^j = q / 2^j is a double when
 * q < 2^53; so is N * 10^t while below 2^53.  The fast path must decline
 * each one (it does not do round-half-even), and the neighbours one ulp
 * away, which are not ties, must come out as snprintf writes them too. */
static void test_fmtnum__ties_at_every_precision(void **state)
{
	(void)state;
	const uint64_t max_exact = UINT64_C(1) << 53;
	char buf[FMTNUM_MAX];
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
				assert_int_equal(fmtnum_g_fast(buf, tie, p), 0);
				same(tie, p);
				same(-tie, p);
				same(nextafter(tie, 0), p);
				same(nextafter(tie, INFINITY), p);
				n_ties++;
			}
		}
		for (uint64_t tie = pow10 + 5; tie < max_exact; tie *= 10) {  /* 10..05 * 10^t */
			assert_int_equal(fmtnum_g_fast(buf, (double)tie, p), 0);
			same((double)tie, p);
			same(nextafter((double)tie, 0), p);
			same(nextafter((double)tie, INFINITY), p);
			n_ties++;
		}
	}
	print_message("exact ties: %zu\n", n_ties);
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
 * take the fast path, not snprintf. */
static void test_fmtnum__fast_path_is_taken(void **state)
{
	(void)state;
	uint64_t s = 42;
	size_t fast = 0, n = 200000;
	char buf[FMTNUM_MAX];
	for (size_t i = 0; i < n; i++) {
		double unit = (double)((next(&s) >> 11) + 1) / 9007199254740992.0;
		fast += fmtnum_g_fast(buf, unit, 10) > 0;
	}
	print_message("fast path: %zu of %zu\n", fast, n);
	assert_true(fast > n / 100 * 99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmtnum__edge_cases),
		cmocka_unit_test(test_fmtnum__random_values),
		cmocka_unit_test(test_fmtnum__exact_ties),
		cmocka_unit_test(test_fmtnum__ties_at_every_precision),
		cmocka_unit_test(test_fmtnum__precision_clamped),
		cmocka_unit_test(test_fmtnum__fast_path_is_taken),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
