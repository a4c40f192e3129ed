/* date.h - calendar dates and the date formats found in news, e-mail and
 * archive metadata.
 *
 * A date is a day number: days since 1970-01-01 in the proleptic Gregorian
 * calendar (negative before 1970), valid for years 1 to 9999.  Formats:
 *   ISO 8601:  1790 | 2025-02 | 2025-02-26 | 2025-02-26T22:30[:00[.123]][Z|+01:00|+0100]
 *              (a year alone or a year-month is the first day of the period;
 *               a time with a zone is converted to the UTC date)
 *   RFC 2822:  Thu, 22 Aug 2002 12:36:23 +0100  (weekday optional; UTC date)
 *   news:      Feb, 26 2025 22:30 | Feb 26, 2025 | 26 February 2025 | February 26, 2025
 */
#ifndef TD_DATE_H
#define TD_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DATE_ISO_LEN 10  /* strlen("YYYY-MM-DD") */

/* Returns the day number of year-month-day; the arguments must be a valid
 * date (see date_valid_ymd). */
int32_t date_from_ymd(int year, int month, int day);

/* Splits a day number into year, month (1-12) and day (1-31). */
void date_to_ymd(int32_t days, int *year, int *month, int *day);

/* True when year-month-day names a real day in years 1..9999. */
bool date_valid_ymd(int year, int month, int day);

/* Writes "YYYY-MM-DD" and a NUL into buf (DATE_ISO_LEN + 1 bytes). */
void date_format(int32_t days, char buf[DATE_ISO_LEN + 1]);

/* Parses one date in any of the formats above, with surrounding spaces
 * allowed and nothing else.  Returns 0 and sets *days, or TD_EFORMAT. */
int date_parse(const char *text, size_t len, int32_t *days);

/* True for dates a researcher should look at: before year 1000 or after
 * `today` (a day number, normally the day of the run). */
bool date_suspect(int32_t days, int32_t today);

/* The current UTC day number. */
int32_t date_today(void);

/* Day of the week, 0 = Monday .. 6 = Sunday (ISO). */
int date_weekday(int32_t days);

#endif
