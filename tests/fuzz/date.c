/* date.c - fuzz target: date_parse and the day-number arithmetic (date.h).
 *
 * Properties:
 *   - a parsed date is a real day of years 1..9999: date_to_ymd gives a
 *     valid year-month-day that date_from_ymd turns back into the same day;
 *   - it round-trips through date_format: the ISO text parses to the same
 *     day (ISO 8601 is one of the accepted formats);
 *   - surrounding spaces change nothing ("with surrounding spaces allowed");
 *   - a failed parse leaves *days untouched;
 *   - any day number of years 1..9999 (taken from the input's first bytes)
 *     survives date_to_ymd / date_from_ymd and has a weekday 0..6.
 */
#include "fuzz.h"

#include "date.h"
#include "error.h"

static void check_day(int32_t days)
{
	int year, month, day;
	date_to_ymd(days, &year, &month, &day);
	FUZZ_CHECK(date_valid_ymd(year, month, day));
	FUZZ_CHECK(date_from_ymd(year, month, day) == days);
	int wd = date_weekday(days);
	FUZZ_CHECK(wd >= 0 && wd <= 6);
	char iso[DATE_ISO_LEN + 1];
	date_format(days, iso);
	FUZZ_CHECK(strlen(iso) == DATE_ISO_LEN);
	int32_t again = -1;
	FUZZ_CHECK(date_parse(iso, DATE_ISO_LEN, &again) == 0);
	FUZZ_CHECK(again == days);
}

void fuzz_date(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	int32_t days = INT32_MIN;
	int rc = date_parse(text, size, &days);
	FUZZ_CHECK(rc == 0 || rc == TD_EFORMAT);
	if (rc == 0)
		check_day(days);
	else
		FUZZ_CHECK(days == INT32_MIN);

	/* The same text between spaces, tabs and line ends. */
	char *padded = malloc(size + 4);
	FUZZ_CHECK(padded != NULL);
	padded[0] = ' ';
	padded[1] = '\t';
	if (size)
		memcpy(padded + 2, data, size);
	padded[size + 2] = '\r';
	padded[size + 3] = '\n';
	int32_t padded_days = INT32_MIN;
	int padded_rc = date_parse(padded, size + 4, &padded_days);
	free(padded);
	FUZZ_CHECK(padded_rc == rc);
	FUZZ_CHECK(rc != 0 || padded_days == days);

	/* A day number from the first four bytes, folded into years 1..9999. */
	if (size >= 4) {
		uint32_t raw = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
			       (uint32_t)data[3] << 24;
		int32_t first = date_from_ymd(1, 1, 1), last = date_from_ymd(9999, 12, 31);
		check_day(first + (int32_t)(raw % (uint32_t)(last - first + 1)));
	}
}

FUZZ_ENTRY(fuzz_date)
