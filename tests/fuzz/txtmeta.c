/* txtmeta.c - fuzz target: the metadata lines at the top of a .txt file
 * (txtmeta.h).
 *
 * The input is parsed twice: as it is (any bytes; the module must stay
 * inside them) and after utf8_repair, as the .txt reader hands it over.
 * Properties:
 *   - the text only shrinks (text_len <= len), is NUL-terminated at
 *     text_len and has LF line ends only (no CR is left);
 *   - from valid UTF-8 come valid UTF-8 text, title, author and source;
 *   - title, author and source are NULL or non-empty, on one line, without
 *     white space at either end (on input without NUL bytes);
 *   - a date is a real day that round-trips through date_format.
 */
#include "fuzz.h"

#include "date.h"
#include "reader.h"
#include "txtmeta.h"

static void check_value(const char *value, bool utf8)
{
	if (!value)
		return;
	size_t len = strlen(value);
	FUZZ_CHECK(len > 0);
	FUZZ_CHECK(strchr(value, '\n') == NULL && strchr(value, '\r') == NULL);
	FUZZ_CHECK(value[0] != ' ' && value[0] != '\t');
	FUZZ_CHECK(value[len - 1] != ' ' && value[len - 1] != '\t');
	FUZZ_CHECK(!utf8 || fuzz_valid_utf8(value, len));
}

static void check_meta(const char *text, size_t len, bool utf8)
{
	struct txtmeta meta;
	FUZZ_CHECK(txtmeta_parse(text, len, &meta) == 0);
	FUZZ_CHECK(meta.text != NULL);
	FUZZ_CHECK(meta.text_len <= len);
	FUZZ_CHECK(meta.text[meta.text_len] == '\0');
	FUZZ_CHECK(memchr(meta.text, '\r', meta.text_len) == NULL);
	if (memchr(text, '\0', len) == NULL)
		FUZZ_CHECK(strlen(meta.text) == meta.text_len);
	FUZZ_CHECK(!utf8 || fuzz_valid_utf8(meta.text, meta.text_len));
	/* Values are C strings: a NUL byte in a line cuts them ("a \0b" is a
	 * title "a "), so they are checked only on input without one, which is
	 * all the reader hands over (utf8_repair turns NUL into U+FFFD). */
	if (memchr(text, '\0', len) == NULL) {
		check_value(meta.title, utf8);
		check_value(meta.author, utf8);
		check_value(meta.source, utf8);
	}
	if (meta.has_date) {
		int year, month, day;
		date_to_ymd(meta.date, &year, &month, &day);
		FUZZ_CHECK(date_valid_ymd(year, month, day));
		char iso[DATE_ISO_LEN + 1];
		date_format(meta.date, iso);
		int32_t again;
		FUZZ_CHECK(date_parse(iso, DATE_ISO_LEN, &again) == 0 && again == meta.date);
	}
	txtmeta_free(&meta);
}

void fuzz_txtmeta(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so that a read past the end is caught. */
	char *raw = malloc(size ? size : 1);
	FUZZ_CHECK(raw != NULL);
	if (size)
		memcpy(raw, data, size);
	check_meta(raw, size, false);
	free(raw);

	char *text;
	size_t len, n_invalid;
	FUZZ_CHECK(utf8_repair((const char *)data, size, &text, &len, &n_invalid) == 0);
	check_meta(text, len, true);
	free(text);
}

FUZZ_ENTRY(fuzz_txtmeta)
