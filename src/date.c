/* date.c - day numbers and date parsing (see date.h).
 *
 * The parser is a hand-written cursor over the bytes rather than strptime or
 * sscanf: both depend on the locale, accept partial input ("12abc") and
 * silently normalise impossible dates ("2025-02-30"), which is exactly what a
 * researcher must be told about instead.
 */
#include "date.h"

#include <string.h>
#include <time.h>

#include "error.h"

#define DATE_MIN_YEAR 1
#define DATE_MAX_YEAR 9999
#define MINUTES_PER_DAY (24 * 60)

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

bool date_valid_ymd(int year, int month, int day)
{
	return year >= DATE_MIN_YEAR && year <= DATE_MAX_YEAR &&
	       month >= 1 && month <= 12 &&
	       day >= 1 && day <= days_in_month(year, month);
}

/* Howard Hinnant's days_from_civil: counts in 400-year eras (146097 days)
 * of years that start on March 1, so the leap day is the last day of a
 * year and needs no special case. */
int32_t date_from_ymd(int year, int month, int day)
{
	int32_t y = year - (month <= 2);
	int32_t era = (y >= 0 ? y : y - 399) / 400;
	int32_t yoe = y - era * 400;                                  /* [0, 399] */
	int32_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

/* The inverse, civil_from_days, from the same source. */
void date_to_ymd(int32_t days, int *year, int *month, int *day)
{
	int32_t z = days + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	int32_t doe = z - era * 146097;
	int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int32_t mp = (5 * doy + 2) / 153;
	int32_t m = mp < 10 ? mp + 3 : mp - 9;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

static void put_digits(char *out, int value, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + value % 10);
		value /= 10;
	}
}

/* Digits are written by hand so that the output is always exactly ten
 * characters; a day number outside years 1..9999 (which date_parse never
 * returns) is written as "0000-00-00" rather than a truncated year. */
void date_format(int32_t days, char buf[DATE_ISO_LEN + 1])
{
	int year, month, day;
	date_to_ymd(days, &year, &month, &day);
	if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
		year = month = day = 0;
	put_digits(buf, year, 4);
	buf[4] = '-';
	put_digits(buf + 5, month, 2);
	buf[7] = '-';
	put_digits(buf + 8, day, 2);
	buf[DATE_ISO_LEN] = '\0';
}

bool date_suspect(int32_t days, int32_t today)
{
	return days < date_from_ymd(1000, 1, 1) || days > today;
}

int32_t date_today(void)
{
	time_t now = time(NULL);
	long long secs = (long long)now;
	/* Floor division: a clock before 1970 still gives the right day. */
	long long day = secs / 86400 - (secs % 86400 < 0);
	return (int32_t)day;
}

int date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int wd = (int)((days + 3) % 7);
	return wd < 0 ? wd + 7 : wd;
}

/* ---- parsing ---------------------------------------------------------- */

/* A cursor over the text being parsed; never reads at or past end. */
struct cursor {
	const char *p;
	const char *end;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_alpha(char c)
{
	c = lower(c);
	return c >= 'a' && c <= 'z';
}

static bool at_end(const struct cursor *c)
{
	return c->p >= c->end;
}

static bool peek_is(const struct cursor *c, char ch)
{
	return !at_end(c) && *c->p == ch;
}

static bool accept(struct cursor *c, char ch)
{
	if (!peek_is(c, ch))
		return false;
	c->p++;
	return true;
}

/* Skips spaces and tabs; returns how many. */
static size_t skip_spaces(struct cursor *c)
{
	size_t n = 0;
	while (!at_end(c) && is_space(*c->p)) {
		c->p++;
		n++;
	}
	return n;
}

/* Reads between min and max digits (as many as there are, up to max) and
 * returns the count, or 0 when there are fewer than min.  A run of digits
 * longer than max is left partly unread, so the caller's next expectation
 * fails: "99999" is not a year. */
static int read_number(struct cursor *c, int min, int max, int *value)
{
	int n = 0, v = 0;
	while (n < max && !at_end(c) && is_digit(*c->p)) {
		v = v * 10 + (*c->p - '0');
		c->p++;
		n++;
	}
	if (n < min)
		return 0;
	*value = v;
	return n;
}

/* Exactly n digits, not followed by another digit. */
static bool read_fixed(struct cursor *c, int n, int *value)
{
	if (read_number(c, n, n, value) != n)
		return false;
	return at_end(c) || !is_digit(*c->p);
}

/* Reads a run of letters into word (lower-cased, NUL-terminated); returns
 * its length, or 0 when the run is empty or longer than the buffer. */
static size_t read_word(struct cursor *c, char *word, size_t size)
{
	size_t n = 0;
	while (!at_end(c) && is_alpha(*c->p)) {
		if (n + 1 >= size)
			return 0;
		word[n++] = lower(*c->p);
		c->p++;
	}
	word[n] = '\0';
	return n;
}

static const char *const month_names[12] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december"
};

static const char *const weekday_names[7] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
};

/* Matches a lower-case word against full names and their 3-letter
 * abbreviations; returns the 1-based index or 0. */
static int match_name(const char *word, size_t len, const char *const *names, int n_names)
{
	for (int i = 0; i < n_names; i++) {
		size_t full = strlen(names[i]);
		if ((len == 3 || len == full) && strncmp(word, names[i], len) == 0)
			return i + 1;
	}
	return 0;
}

/* The parts of a date as read, before range checks and zone conversion. */
struct parsed {
	int year, month, day;
	bool has_time;
	int hour, minute;
	bool has_zone;
	int zone_minutes;  /* offset east of UTC */
};

/* HH:MM[:SS[.fff]] — hours 00-23, seconds up to 60 for a leap second. */
static bool parse_time(struct cursor *c, struct parsed *d, bool allow_fraction)
{
	int second;
	if (!read_fixed(c, 2, &d->hour) || !accept(c, ':') || !read_fixed(c, 2, &d->minute))
		return false;
	if (d->hour > 23 || d->minute > 59)
		return false;
	if (accept(c, ':')) {
		if (!read_fixed(c, 2, &second) || second > 60)
			return false;
		if (allow_fraction && (peek_is(c, '.') || peek_is(c, ','))) {
			c->p++;
			if (at_end(c) || !is_digit(*c->p))
				return false;
			while (!at_end(c) && is_digit(*c->p))
				c->p++;
		}
	}
	d->has_time = true;
	return true;
}

/* ±HH:MM or ±HHMM (colon only where allowed). */
static bool parse_numeric_zone(struct cursor *c, struct parsed *d, bool allow_colon)
{
	int sign, hours, minutes;
	if (accept(c, '+'))
		sign = 1;
	else if (accept(c, '-'))
		sign = -1;
	else
		return false;
	if (!read_number(c, 2, 2, &hours))
		return false;
	if (allow_colon)
		accept(c, ':');
	if (!read_fixed(c, 2, &minutes) || hours > 23 || minutes > 59)
		return false;
	d->has_zone = true;
	d->zone_minutes = sign * (hours * 60 + minutes);
	return true;
}

/* ISO 8601 as listed in date.h: YYYY, YYYY-MM, YYYY-MM-DD, then an optional
 * time after 'T' or one space, then an optional zone.  Lower-case 't' and
 * 'z' are accepted as RFC 3339 allows. */
static bool parse_iso(struct cursor *c, struct parsed *d)
{
	d->month = d->day = 1;
	if (!read_fixed(c, 4, &d->year))
		return false;
	if (!accept(c, '-'))
		return true;
	if (!read_fixed(c, 2, &d->month))
		return false;
	if (!accept(c, '-'))
		return true;
	if (!read_fixed(c, 2, &d->day))
		return false;
	if (at_end(c))
		return true;
	/* A space is a separator only when a time follows; otherwise it is
	 * trailing space, which date_parse strips before we get here. */
	if (*c->p != 'T' && *c->p != 't' && *c->p != ' ')
		return false;
	c->p++;
	if (!parse_time(c, d, true))
		return false;
	if (accept(c, 'Z') || accept(c, 'z')) {
		d->has_zone = true;
		d->zone_minutes = 0;
		return true;
	}
	if (peek_is(c, '+') || peek_is(c, '-'))
		return parse_numeric_zone(c, d, true);
	return true;
}

/* RFC 2822 zone names (section 4.3 obsolete zones; military single
 * letters other than Z are deliberately refused, since RFC 2822 itself
 * says their meaning is unknown). */
static bool named_zone(const char *word, int *minutes)
{
	static const struct {
		const char *name;
		int minutes;
	} zones[] = {
		{ "ut", 0 }, { "utc", 0 }, { "gmt", 0 }, { "z", 0 },
		{ "est", -300 }, { "edt", -240 }, { "cst", -360 }, { "cdt", -300 },
		{ "mst", -420 }, { "mdt", -360 }, { "pst", -480 }, { "pdt", -420 },
	};
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		if (strcmp(word, zones[i].name) == 0) {
			*minutes = zones[i].minutes;
			return true;
		}
	}
	return false;
}

/* Optional " HH:MM[:SS] [zone [(comment)]]" after a written date.  The zone
 * is ±HHMM or a name; a parenthesised comment after it, as mail software
 * writes ("+0100 (BST)"), is skipped. */
static bool parse_written_time(struct cursor *c, struct parsed *d)
{
	if (at_end(c))
		return true;
	if (skip_spaces(c) == 0 || !parse_time(c, d, false))
		return false;
	if (at_end(c))
		return true;
	if (skip_spaces(c) == 0)
		return false;
	if (peek_is(c, '+') || peek_is(c, '-')) {
		if (!parse_numeric_zone(c, d, false))
			return false;
	} else {
		char word[8];
		if (!read_word(c, word, sizeof word) || !named_zone(word, &d->zone_minutes))
			return false;
		d->has_zone = true;
	}
	if (at_end(c))
		return true;
	if (skip_spaces(c) == 0 || !accept(c, '('))
		return false;
	while (!at_end(c) && *c->p != ')' && *c->p != '(')
		c->p++;
	return accept(c, ')');
}

/* The year of a written date: four digits, or the two- and three-digit
 * years RFC 2822 section 4.3 defines, only in a full RFC 2822 date (with a
 * time and a zone), where their meaning is fixed by the standard. */
static bool read_written_year(struct cursor *c, int *year, int *n_digits)
{
	*n_digits = read_number(c, 2, 4, year);
	return *n_digits != 0 && (at_end(c) || !is_digit(*c->p));
}

static bool fix_short_year(struct parsed *d, int n_digits)
{
	if (n_digits == 4)
		return true;
	if (!d->has_time || !d->has_zone)
		return false;
	d->year += n_digits == 2 && d->year < 50 ? 2000 : 1900;
	return true;
}

/* Written dates with English month names:
 *   [Weekday ","] D Month YYYY [time [zone]]      (RFC 2822, "26 February 2025")
 *   [Weekday ","] Month[","] D[","] YYYY [time]   ("Feb, 26 2025 22:30", "February 26, 2025")
 * Spaces may follow a comma; at least one space separates the other parts.
 * The weekday is not checked against the date: it adds nothing to the date
 * and a wrong one is a common slip in otherwise good headers. */
static bool parse_written(struct cursor *c, struct parsed *d)
{
	char word[16];
	size_t len;
	int n_digits;
	struct cursor save = *c;

	if ((len = read_word(c, word, sizeof word)) != 0 &&
	    match_name(word, len, weekday_names, 7) && accept(c, ',')) {
		skip_spaces(c);
	} else {
		*c = save;
	}

	if (!at_end(c) && is_digit(*c->p)) {
		/* D Month YYYY */
		if (!read_number(c, 1, 2, &d->day) || at_end(c) || is_digit(*c->p))
			return false;
		if (skip_spaces(c) == 0)
			return false;
		len = read_word(c, word, sizeof word);
		if (!len || !(d->month = match_name(word, len, month_names, 12)))
			return false;
		if (skip_spaces(c) == 0 || !read_written_year(c, &d->year, &n_digits))
			return false;
	} else {
		/* Month[,] D[,] YYYY, at most one comma */
		len = read_word(c, word, sizeof word);
		if (!len || !(d->month = match_name(word, len, month_names, 12)))
			return false;
		bool comma = accept(c, ',');
		if (skip_spaces(c) == 0 && !comma)
			return false;
		if (!read_number(c, 1, 2, &d->day) || (!at_end(c) && is_digit(*c->p)))
			return false;
		bool comma2 = accept(c, ',');
		if (comma && comma2)
			return false;
		if (skip_spaces(c) == 0 && !comma2)
			return false;
		if (!read_fixed(c, 4, &d->year))
			return false;
		n_digits = 4;
	}
	if (!parse_written_time(c, d))
		return false;
	return fix_short_year(d, n_digits);
}

static bool is_trim_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

int date_parse(const char *text, size_t len, int32_t *days)
{
	if (!text)
		return TD_EFORMAT;
	const char *begin = text, *end = text + len;
	while (begin < end && is_trim_space(*begin))
		begin++;
	while (end > begin && is_trim_space(end[-1]))
		end--;
	if (begin == end)
		return TD_EFORMAT;

	struct parsed d;
	memset(&d, 0, sizeof d);
	struct cursor c = { begin, end };
	/* Four leading digits and a non-digit (or the end) is ISO; anything
	 * else must be a written date. */
	bool iso = end - begin >= 4 && is_digit(begin[0]) && is_digit(begin[1]) &&
		   is_digit(begin[2]) && is_digit(begin[3]);
	bool ok = iso ? parse_iso(&c, &d) : parse_written(&c, &d);
	if (!ok || !at_end(&c) || !date_valid_ymd(d.year, d.month, d.day))
		return TD_EFORMAT;

	int32_t result = date_from_ymd(d.year, d.month, d.day);
	if (d.has_zone) {
		/* The UTC moment is local time minus the offset; only the day it
		 * falls on matters, so whole minutes suffice. */
		int utc = d.hour * 60 + d.minute - d.zone_minutes;
		if (utc < 0)
			result--;
		else if (utc >= MINUTES_PER_DAY)
			result++;
		int year, month, day;
		date_to_ymd(result, &year, &month, &day);
		if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
			return TD_EFORMAT;
	}
	*days = result;
	return 0;
}
