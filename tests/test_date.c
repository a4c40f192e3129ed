/* test_date.c - day numbers, the accepted date formats and the rejected ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "date.h"
#include "error.h"

/* Parses s and checks it is year-month-day. */
static void check_parse(const char *s, int year, int month, int day)
{
	int32_t days = 0;
	int rc = date_parse(s, strlen(s), &days);
	if (rc != 0)
		fail_msg("date_parse(\"%s\") = %d, expected success", s, rc);
	char got[DATE_ISO_LEN + 1], want[DATE_ISO_LEN + 1];
	date_format(days, got);
	date_format(date_from_ymd(year, month, day), want);
	if (strcmp(got, want) != 0)
		fail_msg("date_parse(\"%s\") = %s, expected %s", s, got, want);
}

static void check_reject(const char *s)
{
	int32_t days = 12345;
	int rc = date_parse(s, strlen(s), &days);
	if (rc != TD_EFORMAT)
		fail_msg("date_parse(\"%s\") = %d, expected TD_EFORMAT", s, rc);
	assert_int_equal(days, 12345);  /* untouched on failure */
}

static void test_date__epoch_is_day_zero(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(date_from_ymd(2025, 2, 26), 20145);
}

/* Every day from year 1 to 9999 converts to y-m-d and back, and the days
 * follow each other without gaps. */
static void test_date__round_trip_all_years(void **state)
{
	(void)state;
	int32_t first = date_from_ymd(1, 1, 1), last = date_from_ymd(9999, 12, 31);
	int py = 0, pm = 12, pd = 31;
	for (int32_t d = first; d <= last; d++) {
		int y, m, dd;
		date_to_ymd(d, &y, &m, &dd);
		assert_true(date_valid_ymd(y, m, dd));
		assert_int_equal(date_from_ymd(y, m, dd), d);
		/* the next day after (py, pm, pd) */
		if (dd != 1)
			assert_int_equal(dd, pd + 1);
		else if (m != 1)
			assert_int_equal(m, pm + 1);
		else
			assert_int_equal(y, py + 1);
		py = y, pm = m, pd = dd;
	}
	assert_int_equal(py, 9999);
}

static void test_date__year_1_and_9999_round_trip(void **state)
{
	(void)state;
	char buf[DATE_ISO_LEN + 1];
	int32_t days;
	assert_int_equal(date_parse("0001-01-01", 10, &days), 0);
	assert_int_equal(days, date_from_ymd(1, 1, 1));
	date_format(days, buf);
	assert_string_equal(buf, "0001-01-01");
	assert_int_equal(date_parse("9999-12-31", 10, &days), 0);
	date_format(days, buf);
	assert_string_equal(buf, "9999-12-31");
	check_reject("0000-12-31");
	check_reject("10000-01-01");
	/* a zone that would leave the range */
	check_reject("0001-01-01T00:30+01:00");
	check_reject("9999-12-31T23:30-01:00");
}

static void test_date__valid_ymd(void **state)
{
	(void)state;
	assert_true(date_valid_ymd(2024, 2, 29));
	assert_false(date_valid_ymd(2023, 2, 29));
	assert_false(date_valid_ymd(1900, 2, 29));
	assert_true(date_valid_ymd(2000, 2, 29));
	assert_false(date_valid_ymd(2025, 4, 31));
	assert_false(date_valid_ymd(2025, 0, 1));
	assert_false(date_valid_ymd(2025, 13, 1));
	assert_false(date_valid_ymd(2025, 1, 0));
	assert_false(date_valid_ymd(0, 1, 1));
	assert_false(date_valid_ymd(10000, 1, 1));
}

static void test_date__leap_years(void **state)
{
	(void)state;
	check_parse("2024-02-29", 2024, 2, 29);
	check_parse("2000-02-29", 2000, 2, 29);
	check_reject("2023-02-29");
	check_reject("1900-02-29");
	check_parse("29 Feb 2024", 2024, 2, 29);
	check_reject("29 Feb 2023");
}

static void test_date__format(void **state)
{
	(void)state;
	char buf[DATE_ISO_LEN + 1];
	memset(buf, 'x', sizeof buf);
	date_format(0, buf);
	assert_string_equal(buf, "1970-01-01");
	date_format(date_from_ymd(2025, 2, 26), buf);
	assert_string_equal(buf, "2025-02-26");
	date_format(date_from_ymd(987, 6, 5), buf);
	assert_string_equal(buf, "0987-06-05");
	/* out of range never overflows the buffer */
	date_format(date_from_ymd(9999, 12, 31) + 1, buf);
	assert_string_equal(buf, "0000-00-00");
	date_format(INT32_MIN / 2, buf);
	assert_int_equal(strlen(buf), DATE_ISO_LEN);
}

static void test_date__weekday(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(0), 3);                           /* Thursday */
	assert_int_equal(date_weekday(date_from_ymd(2025, 2, 26)), 2);  /* Wednesday */
	assert_int_equal(date_weekday(date_from_ymd(2002, 8, 22)), 3);  /* Thursday */
	assert_int_equal(date_weekday(date_from_ymd(1969, 12, 29)), 0); /* Monday */
	assert_int_equal(date_weekday(date_from_ymd(1, 1, 1)), 0);      /* Monday */
	assert_int_equal(date_weekday(date_from_ymd(2000, 1, 2)), 6);   /* Sunday */
}

static void test_date__iso_forms(void **state)
{
	(void)state;
	check_parse("1790", 1790, 1, 1);
	check_parse("2025-02", 2025, 2, 1);
	check_parse("2025-02-26", 2025, 2, 26);
	check_parse("2025-02-26T22:30", 2025, 2, 26);
	check_parse("2025-02-26 22:30", 2025, 2, 26);
	check_parse("2025-02-26T22:30:00", 2025, 2, 26);
	check_parse("2025-02-26T22:30:00.123", 2025, 2, 26);
	check_parse("2025-02-26T22:30:00,5", 2025, 2, 26);
	check_parse("2025-02-26T22:30:00Z", 2025, 2, 26);
	check_parse("2025-02-26t22:30:00z", 2025, 2, 26);
	check_parse("2025-02-26T22:30:00.123+01:00", 2025, 2, 26);
	check_parse("2025-02-26T22:30+0100", 2025, 2, 26);
	check_parse("2016-12-31T23:59:60Z", 2016, 12, 31);  /* leap second */
	check_parse("  2025-02-26\n", 2025, 2, 26);
}

static void test_date__iso_zone_crosses_day(void **state)
{
	(void)state;
	check_parse("2025-02-26T00:30+01:00", 2025, 2, 25);
	check_parse("2025-02-26T23:30-01:00", 2025, 2, 27);
	check_parse("2025-02-26T23:30-0100", 2025, 2, 27);
	check_parse("2024-12-31T20:00-05:00", 2025, 1, 1);
	check_parse("2025-01-01T01:00+02:00", 2024, 12, 31);
	check_parse("2024-03-01T00:00+00:01", 2024, 2, 29);
	/* without a zone, the date as written */
	check_parse("2025-02-26T00:30", 2025, 2, 26);
}

static void test_date__rfc2822(void **state)
{
	(void)state;
	check_parse("Thu, 22 Aug 2002 12:36:23 +0100", 2002, 8, 22);
	check_parse("Thu, 22 Aug 2002 00:36:23 +0100", 2002, 8, 21);
	check_parse("Thu, 22 Aug 2002 23:36:23 -0100", 2002, 8, 23);
	check_parse("22 Aug 2002 12:36:23 +0100", 2002, 8, 22);
	check_parse("Thu, 22 Aug 2002 12:36 +0100", 2002, 8, 22);
	check_parse("thu, 22 aug 2002 12:36:23 GMT", 2002, 8, 22);
	check_parse("Thu, 22 Aug 2002 12:36:23 UT", 2002, 8, 22);
	check_parse("Thu, 22 Aug 2002 12:36:23 Z", 2002, 8, 22);
	check_parse("Thu, 22 Aug 2002 22:36:23 EST", 2002, 8, 23);
	check_parse("Thu, 22 Aug 2002 02:36:23 PDT", 2002, 8, 22);
	check_parse("Thu, 1 Aug 2002 02:36:23 +0300", 2002, 7, 31);
	check_parse("Thu,22 Aug 2002 12:36:23 +0100", 2002, 8, 22);
	check_parse("Thursday, 22 Aug 2002 12:36:23 +0100", 2002, 8, 22);
	check_parse("Thu, 22 Aug 2002 12:36:23 +0100 (BST)", 2002, 8, 22);
	/* obsolete two-digit years, only in a full RFC 2822 date */
	check_parse("Thu, 22 Aug 02 12:36:23 +0100", 2002, 8, 22);
	check_parse("Fri, 22 Aug 97 12:36:23 +0100", 1997, 8, 22);
	check_reject("22 Aug 02");
	check_reject("Thu, 22 Aug 02 12:36:23");
	/* malformed */
	check_reject("Thu 22 Aug 2002 12:36:23 +0100");
	check_reject("Thu, 22 Aug 2002 12:36:23 +01");
	check_reject("Thu, 22 Aug 2002 12:36:23 +01000");
	check_reject("Thu, 22 Aug 2002 12:36:23 XYZ");
	check_reject("Thu, 22 Aug 2002 12:36:23 +0100 (BST");
	check_reject("Thu, 22 Aug 2002 24:00:00 +0100");
	check_reject("Thu, 22 Aug 2002 12:60 +0100");
	check_reject("Thu, 22 Aug 2002 12:36:23 +2400");
	check_reject("Xyz, 22 Aug 2002 12:36:23 +0100");
}

static void test_date__news_forms(void **state)
{
	(void)state;
	check_parse("Feb, 26 2025 22:30", 2025, 2, 26);
	check_parse("Feb 26, 2025", 2025, 2, 26);
	check_parse("26 February 2025", 2025, 2, 26);
	check_parse("February 26, 2025", 2025, 2, 26);
	check_parse("26 Feb 2025", 2025, 2, 26);
	check_parse("26 Feb 2025 22:30", 2025, 2, 26);
	check_parse("26 Feb 2025 22:30:15", 2025, 2, 26);
	check_parse("February 26, 2025 22:30", 2025, 2, 26);
	check_parse("Wednesday, February 26, 2025", 2025, 2, 26);
	check_parse("FEBRUARY 6, 2025", 2025, 2, 6);
	check_parse("feb 26 2025", 2025, 2, 26);
	check_parse("1 May 2025", 2025, 5, 1);
	check_parse("Sep 9, 2025", 2025, 9, 9);
	check_parse("September 9, 2025", 2025, 9, 9);
	check_reject("Feb, 26, 2025");
	check_reject("Feb 26 , 2025");
	check_reject("Febr 26, 2025");
	check_reject("Sept 9, 2025");
	check_reject("Feb 30, 2025");
	check_reject("Feb 26, 25");
	check_reject("26 Feb");
	check_reject("Feb 2025");
	check_reject("26 Feb 2025 22");
	check_reject("26 Feb 2025 10:30 pm");
	check_reject("26th February 2025");
	check_reject("Feb 126, 2025");
}

static void test_date__rejects_malformed(void **state)
{
	(void)state;
	check_reject("2025-02-30");
	check_reject("2025-13-01");
	check_reject("2025-00-10");
	check_reject("2025-01-00");
	check_reject("12abc");
	check_reject("");
	check_reject("   ");
	check_reject("99999");
	check_reject("2025-02-26x");
	check_reject("2025-02-26 junk");
	check_reject("2025-02-26T");
	check_reject("2025-02-26T22");
	check_reject("2025-02-26T22:30:");
	check_reject("2025-02-26T22:30:00.");
	check_reject("2025-02-26T22:30:00+01");
	check_reject("2025-02-26T22:30:00 +01:00");
	check_reject("2025-02-26T25:00");
	check_reject("2025-2-26");
	check_reject("2025-02-6");
	check_reject("20250226");
	check_reject("202");
	check_reject("2025-");
	check_reject("+2025-02-26");
	check_reject("2025/02/26");
	check_reject("2025-02-26Z");
	check_reject("Feb 26, 2025 trailing");
	check_reject("hello");
}

/* The parser must stop at len: the bytes after it are not part of the text. */
static void test_date__respects_len(void **state)
{
	(void)state;
	int32_t days;
	const char *s = "2025-02-26T22:30+01:00";
	assert_int_equal(date_parse(s, 10, &days), 0);
	assert_int_equal(days, date_from_ymd(2025, 2, 26));
	assert_int_equal(date_parse("2025-02-2612", 10, &days), 0);
	assert_int_equal(date_parse(s, 0, &days), TD_EFORMAT);
	assert_int_equal(date_parse("19909", 4, &days), 0);
	assert_int_equal(days, date_from_ymd(1990, 1, 1));
	/* not NUL-terminated */
	char buf[4] = { '1', '7', '9', '0' };
	assert_int_equal(date_parse(buf, sizeof buf, &days), 0);
	assert_int_equal(days, date_from_ymd(1790, 1, 1));
	char rfc[] = "Thu, 22 Aug 2002 12:36:23 +0100";
	for (size_t n = 0; n < sizeof rfc - 1; n++) {
		char *copy = test_malloc(n ? n : 1);
		memcpy(copy, rfc, n);
		(void)date_parse(copy, n, &days);
		test_free(copy);
	}
}

static void test_date__suspect(void **state)
{
	(void)state;
	int32_t today = date_from_ymd(2025, 3, 1);
	assert_false(date_suspect(date_from_ymd(2025, 2, 26), today));
	assert_false(date_suspect(today, today));
	assert_true(date_suspect(today + 1, today));
	assert_true(date_suspect(date_from_ymd(999, 12, 31), today));
	assert_false(date_suspect(date_from_ymd(1000, 1, 1), today));
}

static void test_date__today_is_plausible(void **state)
{
	(void)state;
	int32_t today = date_today();
	assert_true(today > date_from_ymd(2024, 1, 1));
	assert_true(today < date_from_ymd(2200, 1, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date__epoch_is_day_zero),
		cmocka_unit_test(test_date__round_trip_all_years),
		cmocka_unit_test(test_date__year_1_and_9999_round_trip),
		cmocka_unit_test(test_date__valid_ymd),
		cmocka_unit_test(test_date__leap_years),
		cmocka_unit_test(test_date__format),
		cmocka_unit_test(test_date__weekday),
		cmocka_unit_test(test_date__iso_forms),
		cmocka_unit_test(test_date__iso_zone_crosses_day),
		cmocka_unit_test(test_date__rfc2822),
		cmocka_unit_test(test_date__news_forms),
		cmocka_unit_test(test_date__rejects_malformed),
		cmocka_unit_test(test_date__respects_len),
		cmocka_unit_test(test_date__suspect),
		cmocka_unit_test(test_date__today_is_plausible),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
