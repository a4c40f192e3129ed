/* timeline.h - date bins: day, ISO week (named by its Monday), month, year,
 * decade (years 1790-1799 named 1790-01-01).  A bin is named by its first
 * day. */
#ifndef TD_TIMELINE_H
#define TD_TIMELINE_H

#include <stdint.h>

enum bin_unit { BIN_DAY = 0, BIN_WEEK, BIN_MONTH, BIN_YEAR, BIN_DECADE };

/* Parses "day", "week", "month", "year" or "decade"; returns 0 or TD_EINVAL. */
int timeline_parse_unit(const char *name, enum bin_unit *unit);

const char *timeline_unit_name(enum bin_unit unit);

/* The first day of the bin holding day number `days`. */
int32_t timeline_bin_start(int32_t days, enum bin_unit unit);

/* The first day of the bin after the one starting at bin_start. */
int32_t timeline_next_bin(int32_t bin_start, enum bin_unit unit);

#endif
