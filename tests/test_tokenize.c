/* test_tokenize.c - unit tests of the tokenizer (src/tokenize.c).
 *
 * Most cases are rows of tables: a text, options, and the expected tokens
 * (space-separated), with where useful their sentence numbers, input byte
 * offsets, kinds and stopword flags.  Run from the repository root.  The
 * sklearn oracle test runs Python (/usr/bin/python3) when it is there and is
 * skipped otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hash.h"
#include "tokenize.h"

enum {
	F_SKLEARN = 1,   /* mode TOK_SKLEARN */
	F_POSS = 2,      /* possessive_strip */
	F_SPLIT = 4,     /* split_hyphens */
	F_STOP = 8,      /* stopwords "en" */
	F_STEM = 16      /* stem "english" */
};

struct tcase {
	const char *text;
	unsigned flags;
	const char *tokens;     /* expected tokens, separated by one space */
	const char *sentences;  /* NULL, or the sentence of each token: "0 0 1" */
	const char *offsets;    /* NULL, or the byte offset of each token: "0 4" */
	const char *kinds;      /* NULL, or one letter per token: W N U E H T */
	const char *stops;      /* NULL, or one digit per token: 1 = TOKEN_STOP */
};

struct fixture {
	struct stopwords *stop;
	struct token_list list;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	if (!fx || stopwords_load(&fx->stop, "en", NULL) != 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	stopwords_free(fx->stop);
	token_list_free(&fx->list);
	free(fx);
	return 0;
}

static struct tokenizer *make_tokenizer(struct fixture *fx, unsigned flags)
{
	struct tokenizer_opts opts = {
		.mode = flags & F_SKLEARN ? TOK_SKLEARN : TOK_DEFAULT,
		.possessive_strip = flags & F_POSS,
		.split_hyphens = flags & F_SPLIT,
		.stop = flags & F_STOP ? fx->stop : NULL,
		.stem = flags & F_STEM ? "english" : NULL,
	};
	struct tokenizer *tok = NULL;
	assert_int_equal(tokenizer_new(&tok, &opts, NULL), 0);
	return tok;
}

/* Appends to a growing string (the joined form of one token field). */
static void append(char **buf, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char piece[64];
	int n = vsnprintf(piece, sizeof piece, fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof piece);
	char *p = realloc(*buf, *len + (size_t)n + 1);
	assert_non_null(p);
	memcpy(p + *len, piece, (size_t)n + 1);
	*buf = p;
	*len += (size_t)n;
}

static char *join_tokens(const struct token_list *list)
{
	size_t total = 1;
	for (size_t i = 0; i < list->n; i++)
		total += list->items[i].len + 1;
	char *out = calloc(total, 1);
	assert_non_null(out);
	size_t len = 0;
	for (size_t i = 0; i < list->n; i++) {
		assert_int_equal(strlen(token_str(list, i)), list->items[i].len);
		if (i)
			out[len++] = ' ';
		memcpy(out + len, token_str(list, i), list->items[i].len);
		len += list->items[i].len;
	}
	out[len] = '\0';
	return out;
}

static void check_case(struct fixture *fx, const struct tcase *tc)
{
	static const char kind_letters[] = "WNUEHT";
	struct tokenizer *tok = make_tokenizer(fx, tc->flags);
	struct token_list *list = &fx->list;
	assert_int_equal(tokenizer_run(tok, tc->text, strlen(tc->text), list), 0);
	print_message("case: \"%s\" (flags %u)\n", tc->text, tc->flags);
	char *got = join_tokens(list);
	assert_string_equal(got, tc->tokens);
	free(got);
	char *s = NULL, *o = NULL, *k = NULL, *st = NULL;
	size_t sl = 0, ol = 0, kl = 0, stl = 0;
	append(&s, &sl, "%s", "");
	append(&o, &ol, "%s", "");
	append(&k, &kl, "%s", "");
	append(&st, &stl, "%s", "");
	for (size_t i = 0; i < list->n; i++) {
		const struct token *t = &list->items[i];
		append(&s, &sl, i ? " %u" : "%u", t->sentence);
		append(&o, &ol, i ? " %llu" : "%llu", (unsigned long long)t->byte_offset);
		append(&k, &kl, "%c", kind_letters[t->kind]);
		append(&st, &stl, "%c", t->flags & TOKEN_STOP ? '1' : '0');
	}
	if (tc->sentences)
		assert_string_equal(s, tc->sentences);
	if (tc->offsets)
		assert_string_equal(o, tc->offsets);
	if (tc->kinds)
		assert_string_equal(k, tc->kinds);
	if (tc->stops)
		assert_string_equal(st, tc->stops);
	/* Sentences are dense: numbered 0.. in order, n_sentences of them. */
	uint32_t expect_next = 0;
	for (size_t i = 0; i < list->n; i++) {
		uint32_t sn = list->items[i].sentence;
		assert_true(sn == expect_next || sn + 1 == expect_next);
		if (sn == expect_next)
			expect_next++;
	}
	assert_int_equal(list->n_sentences, expect_next);
	/* Each token carries the hash of its final form (after stemming and the
	 * possessive strip): the counters use it instead of hashing again. */
	for (size_t i = 0; i < list->n; i++)
		assert_true(list->items[i].hash == hash_word(token_str(list, i), list->items[i].len));
	free(s);
	free(o);
	free(k);
	free(st);
	tokenizer_free(tok);
}

#define RUN_CASES(state, cases)                                          \
	do {                                                                 \
		for (size_t i_ = 0; i_ < sizeof(cases) / sizeof *(cases); i_++) \
			check_case(*(state), &(cases)[i_]);                          \
	} while (0)

/* ------------------------------------------------------------------ cases */

static void test_tokenize__quotes_and_apostrophes(void **state)
{
	static const struct tcase cases[] = {
		{ "a „backstop“ now", 0, "a backstop now", NULL, "0 5 17", NULL, NULL },
		{ "Zelensky’s plan", 0, "zelensky's plan", NULL, "0 13", NULL, NULL },
		{ "Zelensky’s plan", F_POSS, "zelensky plan", NULL, NULL, NULL, NULL },
		{ "Kyiv's Kyivʼs", 0, "kyiv's kyiv's", NULL, NULL, NULL, NULL },
		{ "“deceit aimed at fuelling the conflict”", 0, "deceit aimed at fuelling the conflict",
		  NULL, "3 10 16 19 28 32", NULL, NULL },
		{ "'quoted' ‘single’ «guillemets» ‚low‘", 0, "quoted single guillemets low", NULL, NULL, NULL, NULL },
		{ "the Smiths' house", 0, "the smiths house", NULL, NULL, NULL, NULL },
		{ "rock 'n' roll", 0, "rock n roll", NULL, NULL, NULL, NULL },
		/* a listed contraction is a stopword and is not stripped */
		{ "Don’t it's Kyiv's", F_STOP | F_POSS, "don't it's kyiv", NULL, NULL, NULL, "110" },
	};
	RUN_CASES(state, cases);
}

static void test_tokenize__numbers(void **state)
{
	static const struct tcase cases[] = {
		{ "rose 2.5% to 46,000 and 1,150", 0, "rose 2.5 to 46,000 and 1,150", NULL, NULL, "WNWNWN", NULL },
		{ "in 2022.", 0, "in 2022", NULL, NULL, "WN", NULL },
		{ "in 2022, then", 0, "in 2022 then", NULL, NULL, "WNW", NULL },
		{ "a 28-year-old man", 0, "a 28-year-old man", NULL, NULL, "WWW", NULL },
		{ "1st 3D v2.5 2,5,6", 0, "1st 3d v2.5 2,5,6", NULL, NULL, "WWWN", NULL },
		{ "$5.99 -3 1.", 0, "5.99 3 1", NULL, NULL, "NNN", NULL },
		{ "٣٤ x²", 0, "٣٤ x2", NULL, NULL, "NW", NULL },
	};
	RUN_CASES(state, cases);
}

static void test_tokenize__hyphens_and_dashes(void **state)
{
	static const struct tcase cases[] = {
		{ "a once-in-a-generation deal", 0, "a once-in-a-generation deal", NULL, NULL, NULL, NULL },
		{ "a once-in-a-generation deal", F_SPLIT, "a once in a generation deal", NULL, "0 2 7 10 12 23", NULL, NULL },
		{ "war—peace war–peace war―peace", 0, "war peace war peace war peace", NULL, NULL, NULL, NULL },
		{ "yes - no -- maybe -x y-", 0, "yes no maybe x y", NULL, NULL, NULL, NULL },
		{ "non‐stop non‑stop", 0, "non-stop non-stop", NULL, NULL, NULL, NULL },
		{ "snake_case _x_ __ __init__", 0, "snake_case x init", NULL, NULL, NULL, NULL },
	};
	RUN_CASES(state, cases);
}

static void test_tokenize__unicode(void **state)
{
	static const struct tcase cases[] = {
		{ "Київ і Москва", 0, "київ і москва", NULL, "0 9 12", NULL, NULL },
		/* case folding has no final sigma; sklearn (lower) has */
		{ "ΟΔΟΣ", 0, "οδοσ", NULL, NULL, NULL, NULL },
		{ "北京欢迎你。", 0, "北京欢迎你", NULL, NULL, NULL, NULL },
		{ "love😀peace ❤️ 👍🏽", 0, "love peace", NULL, "0 8", NULL, NULL },
		{ "cafe\xcc\x81 x", 0, "caf\xc3\xa9 x", NULL, "0 7", NULL, NULL },
		{ "\xcc\x81" "a", 0, "a", NULL, "2", NULL, NULL },  /* a mark starts no word */
		{ "ＦＵＬＬ ｗｉｄｔｈ", 0, "full width", NULL, "0 13", NULL, NULL },
		{ "ﬁnance ﬂow", 0, "finance flow", NULL, "0 9", NULL, NULL },
		{ "Straße STRASSE", 0, "strasse strasse", NULL, NULL, NULL, NULL },
		{ "x\xc2\xa0y\xe2\x80\x83z", 0, "x y z", NULL, "0 3 7", NULL, NULL },
		{ "a\xe2\x80\xa8" "b", 0, "a b", "0 1", NULL, NULL, NULL },
		{ "bad\xff\xfe" "byte", 0, "bad byte", NULL, "0 5", NULL, NULL },
	};
	RUN_CASES(state, cases);
}

static void test_tokenize__urls_emails_handles_hashtags(void **state)
{
	static const struct tcase cases[] = {
		{ "see https://Example.org/a?b=1. Then", 0, "see https://example.org/a?b=1 then", "0 0 1", "0 4 31", "WUW", NULL },
		{ "(www.bbc.co.uk/news), ok", 0, "www.bbc.co.uk/news ok", NULL, "1 22", "UW", NULL },
		{ "“http://x.org/f_(y)” ftp://h.net/x!", 0, "http://x.org/f_(y) ftp://h.net/x", NULL, NULL, "UU", NULL },
		{ "http:// wwwx www", 0, "http wwwx www", NULL, NULL, "WWW", NULL },
		{ "mail John.Doe+x@Mail.Example.com.", 0, "mail john.doe+x@mail.example.com", NULL, "0 5", "WE", NULL },
		{ "me@home or a@b", 0, "me home or a b", NULL, NULL, "WWWWW", NULL },
		{ "ask @Jo_hn, @ x@", 0, "ask @jo_hn x", NULL, "0 4 14", "WHW", NULL },
		{ "#StandWithUkraine #Київ #1 C# x#y", 0, "#standwithukraine #київ 1 c x y", NULL, NULL, "TTNWWW", NULL },
	};
	RUN_CASES(state, cases);
}

static void test_tokenize__sentences(void **state)
{
	static const struct tcase cases[] = {
		{ "One two. Three? Four!\nFive", 0, "one two three four five", "0 0 1 2 3", NULL, NULL, NULL },
		{ "Why?\nBecause", 0, "why because", "0 1", NULL, NULL, NULL },
		{ "It is 2.5 now. Yes", 0, "it is 2.5 now yes", "0 0 0 0 1", NULL, NULL, NULL },
		{ "He said.\" Then (it ended.) Then", 0, "he said then it ended then", "0 0 1 1 1 2", NULL, NULL, NULL },
		{ "a\r\nb\rc\n\n\nd", 0, "a b c d", "0 1 2 3", "0 3 5 9", NULL, NULL },
		{ "\n\n. ! a.b e.g. x… y", 0, "a b e g x y", "0 0 0 0 1 2", NULL, NULL, NULL },
		{ "Wait...what? Ok", 0, "wait what ok", "0 0 1", NULL, NULL, NULL },
		{ "Mr. Smith", 0, "mr smith", "0 1", NULL, NULL, NULL },
		{ "", 0, "", NULL, NULL, NULL, NULL },
		{ " .\n", 0, "", NULL, NULL, NULL, NULL },
	};
	RUN_CASES(state, cases);
}

static void test_tokenize__stopword_flags(void **state)
{
	static const struct tcase cases[] = {
		{ "The war and THE peace", F_STOP, "the war and the peace", NULL, NULL, NULL, "10110" },
		{ "The war", 0, "the war", NULL, NULL, NULL, "00" },
		{ "I’ll be there", F_STOP, "i'll be there", NULL, NULL, NULL, "111" },
	};
	RUN_CASES(state, cases);
}

static void test_tokenize__stemming(void **state)
{
	static const struct tcase cases[] = {
		{ "running the races 2022 https://x.org/running", F_STEM | F_STOP,
		  "run the race 2022 https://x.org/running", NULL, NULL, "WWWNU", "01000" },
		{ "Ukraine’s ponies", F_STEM | F_POSS, "ukrain poni", NULL, NULL, NULL, NULL },
	};
	RUN_CASES(state, cases);
}

static void test_tokenize__sklearn_mode(void **state)
{
	static const struct tcase cases[] = {
		{ "a1 b_c 42 x", F_SKLEARN, "a1 b_c 42", NULL, "0 3 7", "WWN", NULL },
		{ "İstanbul İZMİR", F_SKLEARN, "stanbul zmi", NULL, "2 12", NULL, NULL },
		{ "ΟΔΟΣ ΣΟΦΟΣ. ΑΣ", F_SKLEARN, "οδος σοφος ας", "0 0 1", NULL, NULL, NULL },
		{ "cafe\xcc\x81 café", F_SKLEARN, "cafe café", NULL, NULL, NULL, NULL },
		{ "Kyiv’s once-in-a-generation 2.5% 46,000", F_SKLEARN, "kyiv once in generation 46 000",
		  NULL, NULL, NULL, NULL },
		{ "北京欢迎你 😀ok", F_SKLEARN, "北京欢迎你 ok", NULL, NULL, NULL, NULL },
		{ "Ｆｕｌｌ ﬁne ½ x²", F_SKLEARN, "ｆｕｌｌ ﬁne x²", NULL, NULL, NULL, NULL },
		{ "__init__ _x", F_SKLEARN, "__init__ _x", NULL, NULL, NULL, NULL },
		{ "mail me@x.org #tag. Next", F_SKLEARN, "mail me org tag next", "0 0 0 0 1", NULL, NULL, NULL },
		{ "The war", F_SKLEARN | F_STOP, "the war", NULL, NULL, NULL, "10" },
	};
	RUN_CASES(state, cases);
}

/* ------------------------------------------------------- other behaviours */

/* Text that exercises every rule but is plain ASCII. */
static const char ascii_text[] =
	"Sir Keir Starmer said: \"There must be a US backstop.\" It's 2.5% of 46,000!\r\n"
	"A once-in-a-generation deal -- see https://www.gov.uk/news?id=3, mail press@gov.uk "
	"or @10DowningStreet #Ukraine. (e.g. 28-year-old) Mr. Smith's son_in_law...\n\n"
	"Done? Yes.\tEND";

/* The ASCII fast path (the input scanned in place) and the normalised copy
 * built when any non-ASCII character appears must give the same tokens. */
static void test_tokenize__ascii_fast_path_agrees(void **state)
{
	struct fixture *fx = *state;
	static const unsigned flag_sets[] = { 0, F_POSS | F_STOP, F_SPLIT | F_STEM, F_SKLEARN };
	static const char *const tails[] = { " é", "\xe2\x80\x9d", " Київ", "\xcc\x81" };
	for (size_t f = 0; f < sizeof flag_sets / sizeof *flag_sets; f++) {
		struct tokenizer *tok = make_tokenizer(fx, flag_sets[f]);
		struct token_list plain = { 0 };
		size_t len = strlen(ascii_text);
		assert_int_equal(tokenizer_run(tok, ascii_text, len, &plain), 0);
		assert_true(plain.n > 30);
		for (size_t t = 0; t < sizeof tails / sizeof *tails; t++) {
			char text[sizeof ascii_text + 16];
			snprintf(text, sizeof text, "%s%s", ascii_text, tails[t]);
			assert_int_equal(tokenizer_run(tok, text, strlen(text), &fx->list), 0);
			/* the last token may absorb the tail ("end" + U+0301) */
			assert_true(fx->list.n >= plain.n);
			for (size_t i = 0; i + 1 < plain.n; i++) {
				const struct token *a = &plain.items[i], *b = &fx->list.items[i];
				assert_string_equal(token_str(&plain, i), token_str(&fx->list, i));
				assert_int_equal(a->sentence, b->sentence);
				assert_int_equal(a->byte_offset, b->byte_offset);
				assert_int_equal(a->kind, b->kind);
				assert_int_equal(a->flags, b->flags);
			}
		}
		token_list_free(&plain);
		tokenizer_free(tok);
	}
}

/* Reads a file into a NUL-terminated buffer. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *data = NULL;
	size_t cap = 0;
	*len = 0;
	for (;;) {
		if (*len + 4096 + 1 > cap) {
			cap = 2 * cap + 8192;
			char *p = realloc(data, cap);
			assert_non_null(p);
			data = p;
		}
		size_t got = fread(data + *len, 1, cap - *len - 1, f);
		*len += got;
		if (got == 0)
			break;
	}
	fclose(f);
	data[*len] = '\0';
	return data;
}

/* Every token of the seed articles points at its own first character: an
 * ASCII letter or digit of the input equal (lower-cased) to the token's first
 * byte, or the start of a non-ASCII character; offsets never go back. */
static void test_tokenize__offsets_point_into_input(void **state)
{
	struct fixture *fx = *state;
	static const char *const seeds[] = {
		"data/seeds/000_696f8e2b83ff48fd.txt", "data/seeds/001_31aae2e22b9fb551.txt",
		"data/seeds/002_4b29c91710fd1c5a.txt", "data/seeds/003_f7e05d5061f85ca9.txt",
		"data/seeds/004_3377007ccdf28ba1.txt",
	};
	for (unsigned mode = 0; mode < 2; mode++) {
		struct tokenizer *tok = make_tokenizer(fx, mode ? F_SKLEARN : F_STOP);
		for (size_t f = 0; f < sizeof seeds / sizeof *seeds; f++) {
			size_t len;
			char *text = slurp(seeds[f], &len);
			if (!text)
				skip();
			assert_int_equal(tokenizer_run(tok, text, len, &fx->list), 0);
			assert_true(fx->list.n > 100);
			uint64_t last = 0;
			for (size_t i = 0; i < fx->list.n; i++) {
				const struct token *t = &fx->list.items[i];
				const char *s = token_str(&fx->list, i);
				assert_true(t->byte_offset < len && t->byte_offset >= last);
				last = t->byte_offset;
				unsigned char in = (unsigned char)text[t->byte_offset];
				if (in >= 'A' && in <= 'Z')
					in = (unsigned char)(in + 32);
				if (in < 0x80)
					assert_int_equal(in, (unsigned char)s[0]);
				else
					assert_true(in >= 0xC0);
			}
			free(text);
		}
		tokenizer_free(tok);
	}
}

static void test_tokenize__list_reuse(void **state)
{
	struct fixture *fx = *state;
	struct tokenizer *tok = make_tokenizer(fx, 0);
	assert_int_equal(tokenizer_run(tok, "Long text. With two sentences é", 32, &fx->list), 0);
	assert_int_equal(fx->list.n_sentences, 2);
	assert_int_equal(tokenizer_run(tok, "short", 5, &fx->list), 0);
	assert_int_equal(fx->list.n, 1);
	assert_int_equal(fx->list.n_sentences, 1);
	assert_string_equal(token_str(&fx->list, 0), "short");
	assert_int_equal(fx->list.items[0].byte_offset, 0);
	assert_int_equal(tokenizer_run(tok, "", 0, &fx->list), 0);
	assert_int_equal(fx->list.n, 0);
	assert_int_equal(fx->list.n_sentences, 0);
	tokenizer_free(tok);
}

static void test_tokenize__stopword_lists(void **state)
{
	(void)state;
	struct stopwords *stop = NULL;
	struct td_diag diag = { 0 };
	assert_int_equal(stopwords_load(&stop, "en", &diag), 0);
	assert_int_equal(stopwords_count(stop), 174);
	assert_true(stopwords_contains(stop, "the", 3));
	assert_true(stopwords_contains(stop, "don't", 5));
	assert_true(stopwords_contains(stop, "them", 3));  /* reads len bytes: "the" */
	assert_false(stopwords_contains(stop, "thee", 4));
	assert_false(stopwords_contains(stop, "war", 3));
	assert_false(stopwords_contains(NULL, "the", 3));
	stopwords_free(stop);

	assert_int_equal(stopwords_load(&stop, "none", &diag), 0);
	assert_int_equal(stopwords_count(stop), 0);
	assert_false(stopwords_contains(stop, "the", 3));
	stopwords_free(stop);

	char path[] = "/tmp/test_tokenize_stopXXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char list[] = "# a comment\nFoo   # trailing\n  Ｂａｒ\r\nfoo\nwon’t\n\n"
	                           "Supercalifragilistic\n";
	assert_int_equal(write(fd, list, sizeof list - 1), (ssize_t)(sizeof list - 1));
	close(fd);
	assert_int_equal(stopwords_load(&stop, path, &diag), 0);
	assert_int_equal(stopwords_count(stop), 4);
	assert_true(stopwords_contains(stop, "foo", 3));
	assert_true(stopwords_contains(stop, "bar", 3));
	assert_true(stopwords_contains(stop, "won't", 5));
	assert_true(stopwords_contains(stop, "supercalifragilistic", 20));
	/* a word over 16 bytes: tokens are looked up by probing, not the index */
	struct tokenizer_opts opts = { .mode = TOK_DEFAULT, .stop = stop };
	struct tokenizer *tok = NULL;
	struct token_list list_out = { 0 };
	assert_int_equal(tokenizer_new(&tok, &opts, &diag), 0);
	static const char text[] = "Foo bar WON'T supercalifragilistic supercalifragilistico x";
	assert_int_equal(tokenizer_run(tok, text, sizeof text - 1, &list_out), 0);
	assert_int_equal(list_out.n, 6);
	static const uint8_t want[] = { 1, 1, 1, 1, 0, 0 };
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(list_out.items[i].flags & TOKEN_STOP, want[i]);
	token_list_free(&list_out);
	tokenizer_free(tok);
	stopwords_free(stop);
	unlink(path);

	stop = (struct stopwords *)&diag;  /* must be reset to NULL on failure */
	assert_int_equal(stopwords_load(&stop, "/nonexistent/stop.txt", &diag), TD_ENOENT);
	assert_null(stop);
	assert_string_equal(diag.error, "cannot open '/nonexistent/stop.txt': No such file or directory");
	td_diag_free(&diag);
}

static void test_tokenize__unknown_stemmer(void **state)
{
	(void)state;
	struct tokenizer_opts opts = { .mode = TOK_DEFAULT, .stem = "klingon" };
	struct tokenizer *tok = (struct tokenizer *)&opts;
	struct td_diag diag = { 0 };
	assert_int_equal(tokenizer_new(&tok, &opts, &diag), TD_EINVAL);
	assert_null(tok);
	assert_non_null(diag.error);
	assert_non_null(strstr(diag.error, "unknown stemmer language 'klingon'"));
	assert_non_null(strstr(diag.error, "english"));
	td_diag_free(&diag);
	assert_non_null(strstr(tokenizer_stem_languages(), "english"));
	assert_non_null(strstr(tokenizer_stem_languages(), "russian"));
	opts.stem = "none";
	assert_int_equal(tokenizer_new(&tok, &opts, &diag), 0);
	tokenizer_free(tok);
}

/* A Python script in a temporary folder, with the text it reads (or
 * writes) and the tokens it writes, one per line. */
struct py_run {
	char dir[32], script[64], text_path[64], tokens_path[64];
};

static void py_begin(struct py_run *r, const char *script_text)
{
	strcpy(r->dir, "/tmp/test_tokenize_pyXXXXXX");
	assert_non_null(mkdtemp(r->dir));
	snprintf(r->script, sizeof r->script, "%s/run.py", r->dir);
	snprintf(r->text_path, sizeof r->text_path, "%s/text", r->dir);
	snprintf(r->tokens_path, sizeof r->tokens_path, "%s/tokens", r->dir);
	FILE *f = fopen(r->script, "w");
	assert_non_null(f);
	fputs(script_text, f);
	assert_int_equal(fclose(f), 0);
}

/* Runs the script on the two paths; returns the tokens file's bytes. */
static char *py_tokens(struct py_run *r, size_t *len)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s %s", r->script, r->text_path, r->tokens_path);
	assert_int_equal(system(cmd), 0);
	char *tokens = slurp(r->tokens_path, len);
	assert_non_null(tokens);
	return tokens;
}

static void py_end(struct py_run *r)
{
	unlink(r->script);
	unlink(r->text_path);
	unlink(r->tokens_path);
	rmdir(r->dir);
}

/* Compares list with Python's tokens of the same text (expected: len
 * bytes, one token per line); with kinds, also each token's kind (a number
 * when all ASCII digits) and hash.  Prints the first ten mismatches, fails
 * on any, and on a count that differs. */
static void expect_python_tokens(const struct token_list *list, const char *expected, size_t len, bool kinds)
{
	size_t pos = 0, mismatches = 0;
	for (size_t i = 0; i < list->n && pos < len; i++) {
		const char *want = expected + pos;
		const char *nl = memchr(want, '\n', len - pos);
		assert_non_null(nl);
		size_t want_len = (size_t)(nl - want);
		const struct token *t = &list->items[i];
		bool same = want_len == t->len && memcmp(want, token_str(list, i), want_len) == 0;
		if (same && kinds) {
			bool number = strspn(want, "0123456789") >= want_len;
			same = t->kind == (number ? TOKEN_NUMBER : TOKEN_WORD) && t->hash == hash_word(want, want_len);
		}
		if (!same && mismatches++ < 10)
			print_error("token %zu: got '%s' (kind %u), Python '%.*s'\n", i, token_str(list, i),
				    (unsigned)t->kind, (int)want_len, want);
		pos += want_len + 1;
	}
	assert_int_equal(mismatches, 0);
	assert_int_equal(pos, len);
}

/* Fills text (cap bytes) with words of 1 to 40 characters of word_chars
 * (one in digit_one_in of them all digits), each followed by one of joins;
 * returns the length.  The same text on every run (a fixed xorshift). */
static size_t random_words(char *text, size_t cap, const char *word_chars, const char *const *joins, size_t n_joins,
			   unsigned digit_one_in)
{
	uint64_t x = 88172645463325252u;
	size_t len = 0, n_chars = strlen(word_chars);
	while (len + 64 < cap) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t word_len = 1 + x % 40;
		bool digits_only = (x >> 8) % digit_one_in == 0;
		for (size_t k = 0; k < word_len; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			text[len++] = digits_only ? (char)('0' + x % 10) : word_chars[x % n_chars];
		}
		const char *join = joins[(x >> 16) % n_joins];
		memcpy(text + len, join, strlen(join));
		len += strlen(join);
	}
	return len;
}

/* Where the tail of cut (1 to 40) of the random-word tests starts: 40 + cut
 * bytes from the end, moved on to a character (cut 0: the whole text). */
static size_t tail_start(const char *text, size_t len, size_t cut)
{
	size_t start = cut == 0 ? 0 : len - 40 - cut;
	while (start < len && ((unsigned char)text[start] & 0xC0) == 0x80)
		start++;
	return start;
}

/* The Python side of the sklearn oracle: writes a text covering every code
 * point Python's Unicode database assigns (in words, and before and after a
 * capital sigma) and scikit-learn's tokens of it, one per line. */
static const char oracle_py[] =
	"import re, sys, unicodedata\n"
	"parts = []\n"
	"for c in range(0x110000):\n"
	"    if 0xD800 <= c <= 0xDFFF or unicodedata.category(chr(c)) == 'Cn':\n"
	"        continue\n"
	"    ch = chr(c)\n"
	"    parts.append('x%sx A%s\\u03a3 A\\u03a3%s %s\\u03a3\\n' % (ch, ch, ch, ch))\n"
	"text = ''.join(parts)\n"
	"open(sys.argv[1], 'w', encoding='utf-8', newline='').write(text)\n"
	"tokens = re.findall(r'(?u)\\b\\w\\w+\\b', text.lower())\n"
	"open(sys.argv[2], 'w', encoding='utf-8', newline='').write(''.join(t + '\\n' for t in tokens))\n";

/* sklearn mode against Python's re and str.lower() on every code point
 * assigned in Python's Unicode version (Python 3.11: 14.0; the characters
 * new in utf8proc's Unicode 15.0 are left out).  Skipped without Python. */
static void test_tokenize__sklearn_matches_python(void **state)
{
	struct fixture *fx = *state;
	if (access("/usr/bin/python3", X_OK) != 0)
		skip();
	struct py_run py;
	py_begin(&py, oracle_py);
	size_t text_len, tokens_len;
	char *expected = py_tokens(&py, &tokens_len);
	char *text = slurp(py.text_path, &text_len);
	assert_non_null(text);

	struct tokenizer *tok = make_tokenizer(fx, F_SKLEARN);
	assert_int_equal(tokenizer_run(tok, text, text_len, &fx->list), 0);
	expect_python_tokens(&fx->list, expected, tokens_len, false);
	tokenizer_free(tok);
	free(text);
	free(expected);
	py_end(&py);
}

/* The Python side of the word-run test: scikit-learn's tokens of a file. */
static const char findall_py[] =
	"import re, sys\n"
	"text = open(sys.argv[1], encoding='utf-8', newline='').read()\n"
	"tokens = re.findall(r'(?u)\\b\\w\\w+\\b', text.lower())\n"
	"open(sys.argv[2], 'w', encoding='utf-8', newline='').write(''.join(t + '\\n' for t in tokens))\n";

/* sklearn mode finds most words 16 bytes at a time: words of every length
 * from 1 to 40 of [A-Za-z0-9_], with every ASCII separator and with
 * non-ASCII letters and marks just before, inside and after them, at every
 * distance from the end of the text, against Python's re.  Numbers (all
 * digits) must be TOKEN_NUMBER, other words TOKEN_WORD.  Skipped without
 * Python. */
static void test_tokenize__sklearn_word_runs_match_python(void **state)
{
	struct fixture *fx = *state;
	if (access("/usr/bin/python3", X_OK) != 0)
		skip();
	static const char word_chars[] = "abcxyzABCXYZ0123456789_";
	static const char *const joins[] = { " ", ".", ",", "-", "'", "\n", "!?", "(", "\"", "/", "\t",
					     "\xc3\xa9", "\xcc\x81", "\xe2\x80\x99", "\xce\x91", "  " };
	size_t cap = 1 << 20;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t len = random_words(text, cap, word_chars, joins, sizeof joins / sizeof *joins, 4);
	struct py_run py;
	py_begin(&py, findall_py);
	struct tokenizer *tok = make_tokenizer(fx, F_SKLEARN);
	/* the whole text, then its tail from every offset in the last 40 bytes
	 * (the word runs then meet the end of the text at every distance) */
	for (size_t cut = 0; cut <= 40; cut++) {
		size_t start = tail_start(text, len, cut);
		FILE *f = fopen(py.text_path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(text + start, 1, len - start, f), len - start);
		assert_int_equal(fclose(f), 0);
		size_t tokens_len;
		char *expected = py_tokens(&py, &tokens_len);
		assert_int_equal(tokenizer_run(tok, text + start, len - start, &fx->list), 0);
		expect_python_tokens(&fx->list, expected, tokens_len, true);
		free(expected);
	}
	tokenizer_free(tok);
	free(text);
	py_end(&py);
}

/* The default mode's word rule for text made of ASCII letters (no 'w', so
 * no "www." URL), digits, 'é' and the separators and joiners below: a run of
 * letters and digits, joined by ' - _ before another letter or digit and by
 * . , between digits; a number when it starts with a digit and holds no
 * letter and no ' - _.  Returns the end of the word at i. */
static size_t reference_word(const char *s, size_t n, size_t i, bool *number)
{
	bool letter = false, joined = false, first_digit = s[i] >= '0' && s[i] <= '9';
	size_t j = i;
#define REF_ALNUM(k) ((k) < n && (isalnum((unsigned char)s[k]) || (unsigned char)s[k] == 0xC3))
	for (;;) {
		while (REF_ALNUM(j)) {
			if ((unsigned char)s[j] == 0xC3) {
				letter = true;
				j += 2;
			} else {
				letter |= isalpha((unsigned char)s[j]) != 0;
				j++;
			}
		}
		if (j + 1 < n && (s[j] == '\'' || s[j] == '-' || s[j] == '_') && REF_ALNUM(j + 1)) {
			joined = true;
			j++;
			continue;
		}
		if (j + 1 < n && (s[j] == '.' || s[j] == ',') && isdigit((unsigned char)s[j - 1]) &&
		    isdigit((unsigned char)s[j + 1])) {
			j++;
			continue;
		}
		break;
	}
#undef REF_ALNUM
	*number = first_digit && !letter && !joined;
	return j;
}

/* The default mode finds most words 16 bytes at a time: words of every
 * length from 1 to 40 with every joiner and separator after them, and 'é'
 * inside and around them, at every distance from the end of the text,
 * against the rule above (possessives kept, no stopwords, no stemming). */
static void test_tokenize__default_word_runs_match_the_rule(void **state)
{
	struct fixture *fx = *state;
	static const char word_chars[] = "abcxyzABCXYZ0123456789";
	static const char *const joins[] = { " ", ".", ",", "-", "'", "_", "\n", "! ", "(", "\"", "/", "\t",
					     "\xc3\xa9", "  ", ". ", ", ", "--", "''" };
	size_t cap = 1 << 18;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t len = random_words(text, cap, word_chars, joins, sizeof joins / sizeof *joins, 3);
	struct tokenizer *tok = make_tokenizer(fx, 0);
	char want[256];
	for (size_t cut = 0; cut <= 40; cut++) {
		size_t start = tail_start(text, len, cut);
		const char *s = text + start;
		size_t n = len - start;
		assert_int_equal(tokenizer_run(tok, s, n, &fx->list), 0);
		size_t i = 0, got = 0;
		while (i < n) {
			if (!(isalnum((unsigned char)s[i]) || (unsigned char)s[i] == 0xC3)) {
				i++;
				continue;
			}
			bool number;
			size_t end = reference_word(s, n, i, &number);
			size_t want_len = 0;
			for (size_t k = i; k < end; k++)
				want[want_len++] = (char)tolower((unsigned char)s[k]);
			assert_true(got < fx->list.n);
			const struct token *t = &fx->list.items[got];
			if (want_len != t->len || memcmp(want, token_str(&fx->list, got), want_len) != 0)
				fail_msg("cut %zu, token %zu: got '%s', want '%.*s'", cut, got, token_str(&fx->list, got),
					 (int)want_len, want);
			assert_int_equal(t->kind, number ? TOKEN_NUMBER : TOKEN_WORD);
			assert_int_equal(t->byte_offset, i);
			assert_int_equal(t->hash, hash_word(want, want_len));
			got++;
			i = end;
		}
		assert_int_equal(got, fx->list.n);
	}
	tokenizer_free(tok);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenize__quotes_and_apostrophes),
		cmocka_unit_test(test_tokenize__numbers),
		cmocka_unit_test(test_tokenize__hyphens_and_dashes),
		cmocka_unit_test(test_tokenize__unicode),
		cmocka_unit_test(test_tokenize__urls_emails_handles_hashtags),
		cmocka_unit_test(test_tokenize__sentences),
		cmocka_unit_test(test_tokenize__stopword_flags),
		cmocka_unit_test(test_tokenize__stemming),
		cmocka_unit_test(test_tokenize__sklearn_mode),
		cmocka_unit_test(test_tokenize__ascii_fast_path_agrees),
		cmocka_unit_test(test_tokenize__offsets_point_into_input),
		cmocka_unit_test(test_tokenize__list_reuse),
		cmocka_unit_test(test_tokenize__stopword_lists),
		cmocka_unit_test(test_tokenize__unknown_stemmer),
		cmocka_unit_test(test_tokenize__sklearn_matches_python),
		cmocka_unit_test(test_tokenize__sklearn_word_runs_match_python),
		cmocka_unit_test(test_tokenize__default_word_runs_match_the_rule),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
