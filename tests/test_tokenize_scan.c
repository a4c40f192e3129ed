/* test_tokenize_scan.c - the scans' fast paths against the plain scans.
 *
 * scan_sklearn and scan_default classify 64 bytes at a time into bit masks
 * and go from word start to word start by their bits, and emit_short()
 * writes the short words' tokens; all are off with scan_fast = false, where
 * every unit is one step and every token goes through emit().  This test
 * compiles tokenize.c to reach that switch, and checks that both scans give
 * the same tokens, field by field (text, length, sentence, byte offset,
 * hash, kind, stop flag) and the same sentence count, in both modes, on
 * texts made at random from pieces that sit at every place of a block: words
 * of 1 to 70 bytes, digits, numbers with separators, underscores, hyphens
 * and apostrophes, URLs, e-mail addresses, @handles and #hashtags, sentence
 * ends with closing quotes, line breaks, and non-ASCII letters, marks and
 * punctuation (normalised copies and pure ASCII documents both); with no
 * stopwords, English stopwords, the possessive strip and the English
 * stemmer, and hyphens split. */
#include "../src/tokenize.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* A small deterministic generator (xorshift64*), so a failure repeats. */
static uint64_t rng_state = UINT64_C(0x9E3779B97F4A7C15);

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(0x2545F4914F6CDD1D);
}

static const char *const pieces[] = {
	" ", " ", " ", "  ", ", ", "; ", "\t", "\n", "\r\n", "\r", ". ", ".", "!", "?", "?!", ".\" ",
	"') ", "'", "\"", ")", "(", "-", "--", "_", "__", "/", ":", "#", "@", "$", "%", "0", "7", "42",
	"2.5", "46,000", "1990s", "A", "I", "a", "x", "is", "The", "THE", "it's", "Kyiv's", "snake_case",
	"ab_", "_ab", "Mr.", "e.g.", "U.S.", "caf\xc3\xa9", "na\xc3\xafve", "\xc3\x89t\xc3\xa9",
	"\xe2\x80\x99", "\xe2\x80\x94", "\xe2\x80\x9c", "\xe2\x80\x9d", "\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2",
	"e\xcc\x81", "\xc4\xb0stanbul", "\xce\xa3\xce\x91\xce\xa3", "\xe2\x80\xa8", "\xc2\xa0", "\xe2\x80\xa6",
	"\xef\xbc\x91\xef\xbc\x92", "\xe4\xb8\xad\xe6\x96\x87", "\xf0\x9f\x98\x80", "\xe2\x91\xa0",
	"http://example.com/a?b=1", "https://x.org.", "www.site.net", "ftp://f", "http:", "www", "hello",
	"for", "who", "a@b.org", "name.last@mail.example.com", "@handle", "x@", "#tag", "#1", "once-in-a-lifetime",
	"rock'n'roll", "Kyiv\xe2\x80\x99s", "28-year-old", "3,000,000", "1.5.", "a-", "-b", "e.g",
};

/* Appends a word of len bytes of [A-Za-z0-9_] to buf. */
static size_t put_word(char *buf, size_t len)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
	bool digits = rng() % 4 == 0;
	for (size_t k = 0; k < len; k++)
		buf[k] = digits ? (char)('0' + rng() % 10) : chars[rng() % (sizeof chars - 1)];
	return len;
}

/* A text of about n bytes: ASCII only when ascii is set. */
static size_t make_text(char *buf, size_t n, bool ascii)
{
	size_t at = 0;
	while (at < n) {
		unsigned pick = (unsigned)(rng() % 8);
		if (pick < 4) {  /* words of every length, most of them short */
			size_t len = pick < 3 ? 1 + rng() % 12 : 1 + rng() % 70;
			at += put_word(buf + at, len);
		} else {
			const char *p;
			do
				p = pieces[rng() % (sizeof pieces / sizeof *pieces)];
			while (ascii && strspn(p, "\x01\x7f" " \t\r\n.,;:!?\"'()-_/#@$%=0123456789"
					     "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(p));
			memcpy(buf + at, p, strlen(p));
			at += strlen(p);
		}
	}
	return at;
}

/* Tokenizes text both ways and compares the lists. */
static void compare_scans(struct tokenizer *tok, const char *text, size_t len)
{
	struct token_list fast = { 0 }, plain = { 0 };
	scan_fast = true;
	assert_int_equal(tokenizer_run(tok, text, len, &fast), 0);
	scan_fast = false;
	assert_int_equal(tokenizer_run(tok, text, len, &plain), 0);
	scan_fast = true;
	assert_int_equal(fast.n, plain.n);
	assert_int_equal(fast.n_sentences, plain.n_sentences);
	for (size_t i = 0; i < fast.n; i++) {
		const struct token *a = &fast.items[i], *b = &plain.items[i];
		assert_int_equal(a->len, b->len);
		assert_memory_equal(token_str(&fast, i), token_str(&plain, i), a->len + 1);
		assert_int_equal(a->sentence, b->sentence);
		assert_int_equal(a->byte_offset, b->byte_offset);
		assert_int_equal(a->hash, b->hash);
		assert_int_equal(a->kind, b->kind);
		assert_int_equal(a->flags, b->flags);
	}
	token_list_free(&fast);
	token_list_free(&plain);
}

static void run_random_texts(enum tok_mode mode, const char *stop_name, bool strip, const char *stem, bool split)
{
	struct stopwords *stop = NULL;
	if (stop_name)
		assert_int_equal(stopwords_load(&stop, stop_name, NULL), 0);
	struct tokenizer_opts opts = { .mode = mode, .stop = stop, .possessive_strip = strip, .stem = stem,
				       .split_hyphens = split };
	struct tokenizer *tok;
	assert_int_equal(tokenizer_new(&tok, &opts, NULL), 0);
	enum { MAX_TEXT = 4096 };
	char *text = malloc(MAX_TEXT + 128);
	assert_non_null(text);
	size_t tokens = 0;
	for (int round = 0; round < 400; round++) {
		size_t len = make_text(text, 1 + rng() % MAX_TEXT, round % 2 == 0);
		compare_scans(tok, text, len);
		struct token_list list = { 0 };
		assert_int_equal(tokenizer_run(tok, text, len, &list), 0);
		tokens += list.n;
		token_list_free(&list);
	}
	assert_true(tokens > 10000);  /* the texts did hold words */
	free(text);
	tokenizer_free(tok);
	stopwords_free(stop);
}

static void test_tokenize_scan__random_texts(void **state)
{
	(void)state;
	run_random_texts(TOK_SKLEARN, NULL, false, NULL, false);
	run_random_texts(TOK_DEFAULT, NULL, false, NULL, false);
}

static void test_tokenize_scan__random_texts_with_stopwords(void **state)
{
	(void)state;
	run_random_texts(TOK_SKLEARN, "en", false, NULL, false);
	run_random_texts(TOK_DEFAULT, "en", false, NULL, false);
}

static void test_tokenize_scan__random_texts_stripped_and_stemmed(void **state)
{
	(void)state;
	run_random_texts(TOK_SKLEARN, "en", true, "english", false);
	run_random_texts(TOK_DEFAULT, "en", true, "english", true);
}

/* The fast scan's words at each offset of a block: a long ASCII text whose
 * words end at every byte of a block, and at its last bytes, and runs of
 * word bytes as long as a block or longer. */
static void test_tokenize_scan__words_at_block_edges(void **state)
{
	(void)state;
	for (int mode = TOK_DEFAULT; mode <= TOK_SKLEARN; mode++) {
		struct tokenizer_opts opts = { .mode = (enum tok_mode)mode };
		struct tokenizer *tok;
		assert_int_equal(tokenizer_new(&tok, &opts, NULL), 0);
		char text[1200];
		static const size_t lengths[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
						  63, 64, 65, 80 };  /* and whole blocks of word bytes */
		for (size_t lead = 0; lead < 70; lead++)
			for (size_t w = 0; w < sizeof lengths / sizeof *lengths; w++) {
				size_t word = lengths[w];
				size_t at = 0;
				memset(text, ' ', lead);
				at += lead;
				for (int k = 0; k < 12 && at + word + 2 < sizeof text; k++) {
					at += put_word(text + at, word);
					text[at++] = k % 3 == 2 ? '.' : ' ';
				}
				compare_scans(tok, text, at);
			}
		tokenizer_free(tok);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenize_scan__random_texts),
		cmocka_unit_test(test_tokenize_scan__random_texts_with_stopwords),
		cmocka_unit_test(test_tokenize_scan__random_texts_stripped_and_stemmed),
		cmocka_unit_test(test_tokenize_scan__words_at_block_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
