/* timeline.c - date bins (see timeline.h). */
#include "timeline.h"

#include <string.h>

#include "date.h"
#include "error.h"

int timeline_parse_unit(const char *name, enum bin_unit *unit)
{
	static const char *const names[] = { "day", "week", "month", "year", "decade" };
	for (int i = 0; i < 5; i++)
		if (strcmp(name, names[i]) == 0) {
			*unit = (enum bin_unit)i;
			return 0;
		}
	return TD_EINVAL;
}

const char *timeline_unit_name(enum bin_unit unit)
{
	static const char *const names[] = { "day", "week", "month", "year", "decade" };
	return names[unit];
}

int32_t timeline_bin_start(int32_t days, enum bin_unit unit)
{
	int year, month, day;
	switch (unit) {
	case BIN_WEEK:
		return days - date_weekday(days);
	case BIN_MONTH:
		date_to_ymd(days, &year, &month, &day);
		return date_from_ymd(year, month, 1);
	case BIN_YEAR:
		date_to_ymd(days, &year, &month, &day);
		return date_from_ymd(year, 1, 1);
	case BIN_DECADE:
		date_to_ymd(days, &year, &month, &day);
		return date_from_ymd(year - ((year % 10) + 10) % 10, 1, 1);
	default:
		return days;
	}
}

int32_t timeline_next_bin(int32_t bin_start, enum bin_unit unit)
{
	int year, month, day;
	switch (unit) {
	case BIN_WEEK:
		return bin_start + 7;
	case BIN_MONTH:
		date_to_ymd(bin_start, &year, &month, &day);
		return month == 12 ? date_from_ymd(year + 1, 1, 1) : date_from_ymd(year, month + 1, 1);
	case BIN_YEAR:
		date_to_ymd(bin_start, &year, &month, &day);
		return date_from_ymd(year + 1, 1, 1);
	case BIN_DECADE:
		date_to_ymd(bin_start, &year, &month, &day);
		return date_from_ymd(year + 10, 1, 1);
	default:
		return bin_start + 1;
	}
}
