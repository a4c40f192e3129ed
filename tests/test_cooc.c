/* test_cooc.c - co-occurrence counts worked out by hand for every scope,
 * direction and weighting; marginals and measures by hand; the same bytes
 * for any number of threads and any memory budget (spilled runs, merged in
 * more than one pass). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cooc.h"
#include "tf.h"
#include "vocab.h"

/* A document from a spec: letters a.. are term ids 0.., '|' a sentence
 * end, '_' a pruned token. */
static struct cooc_doc make_doc(const char *spec)
{
	uint32_t *ids = malloc((strlen(spec) + 1) * sizeof *ids);
	assert_non_null(ids);
	size_t n = 0;
	for (const char *p = spec; *p; p++) {
		if (*p == ' ')
			continue;
		ids[n++] = *p == '|' ? TF_STREAM_BREAK : *p == '_' ? VOCAB_NONE : (uint32_t)(*p - 'a');
	}
	return (struct cooc_doc){ ids, n };
}

struct collect {
	char text[4096];
	size_t len;
	uint64_t last_key;
	bool sorted;
	size_t n;
	uint64_t hash;       /* of every pair's fields, for large comparisons */
};

static int collect_pair(void *ctx, const struct cooc_pair *p)
{
	struct collect *c = ctx;
	uint64_t key = (uint64_t)p->a << 32 | p->b;
	if (c->n > 0 && key <= c->last_key)
		c->sorted = false;
	c->last_key = key;
	c->n++;
	uint64_t w;
	memcpy(&w, &p->weighted, sizeof w);
	c->hash = (c->hash ^ key) * UINT64_C(0x100000001b3);
	c->hash = (c->hash ^ p->count) * UINT64_C(0x100000001b3);
	c->hash = (c->hash ^ w) * UINT64_C(0x100000001b3);
	if (c->len < sizeof c->text - 64)
		c->len += (size_t)snprintf(c->text + c->len, sizeof c->text - c->len, "%s%c%c:%llu/%g",
					   c->len ? " " : "", 'a' + p->a, 'a' + p->b,
					   (unsigned long long)p->count, p->weighted);
	return 0;
}

/* Counts the documents (specs) with opts; returns the pairs as text. */
static const char *count(const struct cooc_opts *opts, const char *const *specs, size_t n_docs)
{
	static struct collect c;
	memset(&c, 0, sizeof c);
	c.sorted = true;
	struct cooc_doc docs[8] = { { 0 } };
	for (size_t i = 0; i < n_docs; i++)
		docs[i] = make_doc(specs[i]);
	assert_int_equal(cooc_count(opts, docs, n_docs, 26, collect_pair, &c, NULL, NULL), 0);
	assert_true(c.sorted);
	for (size_t i = 0; i < n_docs; i++)
		free((void *)docs[i].ids);
	return c.text;
}

static void test_cooc__window_symmetric_by_hand(void **state)
{
	(void)state;
	struct cooc_opts o;
	cooc_opts_default(&o);
	o.window = 2;
	const char *doc[] = { "a b c a" };
	/* pairs 1 or 2 apart: (a,b) (a,c) (b,c) (b,a) (c,a) */
	assert_string_equal(count(&o, doc, 1), "ab:2/2 ac:2/2 bc:1/1");
	o.harmonic = true;  /* (a,b): 1 + 1/2; (a,c): 1/2 + 1 */
	assert_string_equal(count(&o, doc, 1), "ab:2/1.5 ac:2/1.5 bc:1/1");
	/* a term beside itself: GloVe adds to X[a][a] from both sides */
	const char *self[] = { "a a" };
	o.window = 1;
	assert_string_equal(count(&o, self, 1), "aa:2/2");
	/* a pruned token is removed before windows are formed */
	const char *pruned[] = { "a _ b" };
	assert_string_equal(count(&o, pruned, 1), "ab:1/1");
}

static void test_cooc__sentences_and_documents_bound_windows(void **state)
{
	(void)state;
	struct cooc_opts o;
	cooc_opts_default(&o);
	o.window = 5;
	o.harmonic = true;
	const char *doc[] = { "a b | c d" };
	assert_string_equal(count(&o, doc, 1), "ab:1/1 cd:1/1");
	o.cross_sentences = true;  /* distances a-c 2, a-d 3, b-c 1, b-d 2 */
	assert_string_equal(count(&o, doc, 1), "ab:1/1 ac:1/0.5 ad:1/0.333333 bc:1/1 bd:1/0.5 cd:1/1");
	const char *two[] = { "a b", "c d" };  /* never across documents */
	assert_string_equal(count(&o, two, 2), "ab:1/1 cd:1/1");
}

static void test_cooc__directions(void **state)
{
	(void)state;
	struct cooc_opts o;
	cooc_opts_default(&o);
	o.window = 2;
	const char *doc[] = { "a b c" };
	o.direction = COOC_LEFT;  /* (target, context before it) */
	assert_string_equal(count(&o, doc, 1), "ba:1/1 ca:1/1 cb:1/1");
	o.direction = COOC_RIGHT;  /* (target, context after it) */
	assert_string_equal(count(&o, doc, 1), "ab:1/1 ac:1/1 bc:1/1");
}

static void test_cooc__unit_scopes(void **state)
{
	(void)state;
	struct cooc_opts o;
	cooc_opts_default(&o);
	o.scope = COOC_DOCUMENT;  /* once per document holding both; no self pairs */
	const char *docs[] = { "a b a | c", "b c" };
	assert_string_equal(count(&o, docs, 2), "ab:1/1 ac:1/1 bc:2/2");
	o.scope = COOC_SENTENCE;
	const char *sents[] = { "a b | a b c" };
	assert_string_equal(count(&o, sents, 1), "ab:2/2 ac:1/1 bc:1/1");
}

static void test_cooc__marginals_by_hand(void **state)
{
	(void)state;
	struct cooc_opts o;
	cooc_opts_default(&o);
	o.window = 2;
	struct cooc_doc doc = make_doc("a b c a");
	double row[26], col[26], total;
	/* X: ab = 2, ac = 2, bc = 1 (both ways): rows a 4, b 3, c 3, total 10 */
	assert_int_equal(cooc_marginals(&o, &doc, 1, 26, row, NULL, &total), 0);
	assert_true(row[0] == 4 && row[1] == 3 && row[2] == 3 && total == 10);
	o.direction = COOC_LEFT;  /* (b,a) (c,a) (c,b) (a,b) (a,c) */
	assert_int_equal(cooc_marginals(&o, &doc, 1, 26, row, col, &total), 0);
	assert_true(row[0] == 2 && row[1] == 1 && row[2] == 2 && total == 5);
	assert_true(col[0] == 2 && col[1] == 2 && col[2] == 1);
	free((void *)doc.ids);
	o.direction = COOC_SYMMETRIC;
	o.scope = COOC_SENTENCE;
	struct cooc_doc sents = make_doc("a b | a | _");
	assert_int_equal(cooc_marginals(&o, &sents, 1, 26, row, NULL, &total), 0);
	assert_true(row[0] == 2 && row[1] == 1 && total == 2);  /* an empty sentence is no unit */
	free((void *)sents.ids);
}

static void test_cooc__measures_by_hand(void **state)
{
	(void)state;
	struct cooc_assoc a;
	/* n_ab 2, n_a 4, n_b 3, n 10, worked out with the formulas in cooc.h */
	cooc_measures(2, 4, 3, 10, &a);
	assert_true(fabs(a.pmi - 0.7369655941662062) < 1e-12);
	assert_true(fabs(a.ppmi - 0.7369655941662062) < 1e-12);
	assert_true(fabs(a.npmi - 0.31739380551401475) < 1e-12);
	assert_true(fabs(a.llr - 1.265374090222651) < 1e-12);
	assert_true(fabs(a.p_value - 0.2606362946222252) < 1e-12);
	cooc_measures(1, 5, 5, 10, &a);  /* less than chance: PPMI 0 */
	assert_true(a.pmi < 0 && a.ppmi == 0 && a.npmi < 0);
	cooc_measures(4, 4, 4, 4, &a);  /* always together: NPMI 1 */
	assert_true(a.npmi == 1.0);
}

/* xorshift: a fixed corpus */
static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_cooc__same_bytes_for_any_threads_and_memory(void **state)
{
	(void)state;
	enum { N_DOCS = 120, LEN = 800, N_TERMS = 3000 };
	struct cooc_doc docs[N_DOCS];
	uint64_t s = 12345;
	for (size_t d = 0; d < N_DOCS; d++) {
		uint32_t *ids = malloc(LEN * sizeof *ids);
		assert_non_null(ids);
		for (size_t i = 0; i < LEN; i++) {
			uint64_t r = next(&s);
			ids[i] = r % 40 == 0 ? TF_STREAM_BREAK : r % 41 == 0 ? VOCAB_NONE
			       : (uint32_t)((r >> 8) % (r % 3 ? 200 : N_TERMS));  /* some frequent terms */
		}
		docs[d] = (struct cooc_doc){ ids, LEN };
	}
	for (int scope = COOC_WINDOW; scope <= COOC_DOCUMENT; scope++) {
		struct cooc_opts o;
		cooc_opts_default(&o);
		o.scope = (enum cooc_scope)scope;
		o.window = 10;
		o.harmonic = true;
		struct collect one = { .sorted = true }, many = { .sorted = true };
		size_t runs_one, runs_many;
		assert_int_equal(cooc_count(&o, docs, N_DOCS, N_TERMS, collect_pair, &one, &runs_one, NULL), 0);
		o.n_threads = 3;
		o.memory = COOC_MIN_MEMORY;  /* spills: more runs than can be open at once */
		assert_int_equal(cooc_count(&o, docs, N_DOCS, N_TERMS, collect_pair, &many, &runs_many, NULL), 0);
		print_message("scope %d: %zu pairs, %zu runs spilled with 1 MB\n", scope, many.n, runs_many);
		assert_int_equal(runs_one, 0);
		assert_true(runs_many > COOC_MAX_OPEN);
		assert_true(one.sorted && many.sorted);
		assert_int_equal(one.n, many.n);
		assert_true(one.hash == many.hash);
	}
	for (size_t d = 0; d < N_DOCS; d++)
		free((void *)docs[d].ids);
}

static int compare_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return (a > b) - (a < b);
}

/* Tables of hundreds of thousands of pairs over term ids above 65536 (so
 * every 16-bit digit of a key varies) are sorted by radix: the pairs come
 * out in order and equal a count made here with qsort, in one table and in
 * spilled runs. */
static void test_cooc__large_tables_sorted(void **state)
{
	(void)state;
	enum { N_DOCS = 20, LEN = 12000, N_TERMS = 200000, WINDOW = 4 };
	struct cooc_doc docs[N_DOCS];
	uint64_t s = 987654321, *keys = malloc((size_t)N_DOCS * LEN * WINDOW * sizeof *keys);
	size_t n_keys = 0;
	assert_non_null(keys);
	for (size_t d = 0; d < N_DOCS; d++) {
		uint32_t *ids = malloc(LEN * sizeof *ids);
		assert_non_null(ids);
		for (size_t i = 0; i < LEN; i++)
			ids[i] = (uint32_t)(next(&s) % N_TERMS);
		docs[d] = (struct cooc_doc){ ids, LEN };
		for (size_t i = 0; i < LEN; i++)
			for (size_t k = 1; k <= WINDOW && i + k < LEN; k++) {
				uint32_t a = ids[i] < ids[i + k] ? ids[i] : ids[i + k], b = ids[i] ^ ids[i + k] ^ a;
				keys[n_keys++] = (uint64_t)a << 32 | b;
			}
	}
	qsort(keys, n_keys, sizeof *keys, compare_u64);
	struct collect expect = { .sorted = true };
	for (size_t i = 0; i < n_keys;) {
		size_t j = i;
		while (j < n_keys && keys[j] == keys[i])
			j++;
		uint32_t a = (uint32_t)(keys[i] >> 32), b = (uint32_t)keys[i];
		uint64_t n = (j - i) * (a == b ? 2 : 1);  /* a word beside itself adds twice */
		struct cooc_pair p = { a, b, n, (double)n };
		collect_pair(&expect, &p);
		i = j;
	}
	struct cooc_opts o;
	cooc_opts_default(&o);
	o.window = WINDOW;
	struct collect whole = { .sorted = true }, spilled = { .sorted = true };
	size_t runs_whole, runs_spilled;
	assert_int_equal(cooc_count(&o, docs, N_DOCS, N_TERMS, collect_pair, &whole, &runs_whole, NULL), 0);
	o.n_threads = 2;
	o.memory = 48u << 20;  /* tables of about 180,000 pairs before each spill */
	assert_int_equal(cooc_count(&o, docs, N_DOCS, N_TERMS, collect_pair, &spilled, &runs_spilled, NULL), 0);
	print_message("%zu pairs (%zu additions); %zu runs spilled with 48 MB\n", expect.n, n_keys, runs_spilled);
	assert_true(expect.n > 350000);
	assert_int_equal(runs_whole, 0);
	assert_true(runs_spilled > 0);
	assert_true(whole.sorted && spilled.sorted);
	assert_int_equal(whole.n, expect.n);
	assert_int_equal(spilled.n, expect.n);
	assert_true(whole.hash == expect.hash);
	assert_true(spilled.hash == expect.hash);
	for (size_t d = 0; d < N_DOCS; d++)
		free((void *)docs[d].ids);
	free(keys);
}

/* The pair (a, b)'s sums, whatever else is counted. */
struct pick {
	uint32_t a, b;
	uint64_t count;
	double weighted;
	int seen;
};

static int pick_pair(void *ctx, const struct cooc_pair *p)
{
	struct pick *k = ctx;
	if (p->a == k->a && p->b == k->b) {
		k->count = p->count;
		k->weighted = p->weighted;
		k->seen++;
	}
	return 0;
}

/* One word n times over, windows of w: the sums of pair (id, id), worked
 * out (each distance d gives n - d pairs; both ways when symmetric). */
static void expect_repeated(const struct cooc_opts *o, size_t n, uint64_t *count, double *weighted)
{
	uint64_t unit = o->harmonic ? cooc_weight_unit(o->window) : 1, wsum = 0;
	uint64_t ways = o->direction == COOC_SYMMETRIC ? 2 : 1;
	*count = 0;
	for (uint64_t d = 1; d <= o->window && d < n; d++) {
		*count += ways * (n - d);
		wsum += ways * (n - d) * (o->harmonic ? unit / d : 1);
	}
	*weighted = o->harmonic ? (double)wsum / (double)unit : (double)*count;
}

/* ... for 1 and 2 threads; with spilled, the sums must have gone through
 * runs on disk. */
static void check_repeated(const struct cooc_opts *o, const struct cooc_doc *docs, size_t n_docs, size_t n_terms,
			   uint32_t id, size_t n, bool spilled)
{
	uint64_t count;
	double weighted;
	expect_repeated(o, n, &count, &weighted);
	for (unsigned threads = 1; threads <= 2; threads++) {
		struct cooc_opts ot = *o;
		ot.n_threads = threads;
		struct pick k = { .a = id, .b = id };
		size_t runs;
		assert_int_equal(cooc_count(&ot, docs, n_docs, n_terms, pick_pair, &k, &runs, NULL), 0);
		assert_int_equal(runs > 0, spilled);
		assert_int_equal(k.seen, 1);
		assert_int_equal(k.count, count);
		assert_true(k.weighted == weighted);
	}
}

/* A pair's count and weight sum share 64 bits in the dense block and the
 * table (24 and 40 bits) until one fills: counts past 2^23 (a word beside
 * itself nine million times), weight sums past 2^39 (distances 1..20 weigh
 * up to lcm(1..20)), in the block and in the table, come out whole. */
static void test_cooc__sums_past_their_packed_fields(void **state)
{
	(void)state;
	enum { LONG = 9000000, SHORT = 20000, SPILLED = 700000, RARE = 2000, N_FILLER = 300, FILLER_EACH = 3000 };
	uint32_t *ids = calloc(LONG, sizeof *ids);
	assert_non_null(ids);
	struct cooc_doc one = { ids, LONG };
	struct cooc_opts o;
	cooc_opts_default(&o);
	o.window = 1;
	check_repeated(&o, &one, 1, 1, 0, LONG, false);    /* 2 (n - 1) > 2^24 in the triangle */
	o.direction = COOC_RIGHT;
	check_repeated(&o, &one, 1, 1, 0, LONG, false);    /* n - 1 > 2^23 in the square */
	o.direction = COOC_SYMMETRIC;
	o.window = COOC_MAX_WINDOW;
	o.harmonic = true;
	one.n = SHORT;
	check_repeated(&o, &one, 1, 1, 0, SHORT, false);   /* weights past 2^39 */
	/* a word beside itself 700,000 times fills its sums about 2,000 times:
	 * more than the overflow list holds with 1 MB, so it is spilled */
	one.n = SPILLED;
	struct cooc_opts small = o;
	small.memory = COOC_MIN_MEMORY;
	check_repeated(&small, &one, 1, 1, 0, SPILLED, true);
	/* the same in the table: with 1 MB the block holds the 200 most
	 * frequent terms, and term 0 is rarer than the 300 fillers */
	uint32_t *filler = malloc((size_t)N_FILLER * FILLER_EACH * sizeof *filler);
	assert_non_null(filler);
	for (size_t i = 0; i < (size_t)N_FILLER * FILLER_EACH; i++)
		filler[i] = 1 + (uint32_t)(i % N_FILLER);
	struct cooc_doc docs[2] = { { filler, (size_t)N_FILLER * FILLER_EACH }, { ids, RARE } };
	o.memory = COOC_MIN_MEMORY;
	check_repeated(&o, docs, 2, 400, 0, RARE, false);
	free(filler);
	free(ids);
}

/* The rows of a few terms, counted alone, are the rows of the full matrix:
 * X[f][c] from pair {f, c} either way round (and X[f][f] as it is). */
struct rows {
	uint64_t count[2][300];
	double weighted[2][300];
	uint32_t focus[2];
};

static int full_rows(void *ctx, const struct cooc_pair *p)
{
	struct rows *r = ctx;
	for (int k = 0; k < 2; k++) {
		if (p->a == r->focus[k]) {
			r->count[k][p->b] += p->count;
			r->weighted[k][p->b] += p->weighted;
		} else if (p->b == r->focus[k]) {
			r->count[k][p->a] += p->count;
			r->weighted[k][p->a] += p->weighted;
		}
	}
	return 0;
}

static int focus_rows(void *ctx, const struct cooc_pair *p)
{
	struct rows *r = ctx;
	int k = p->a == r->focus[0] ? 0 : 1;
	assert_true(p->a == r->focus[k]);
	r->count[k][p->b] += p->count;
	r->weighted[k][p->b] += p->weighted;
	return 0;
}

static void test_cooc__focus_rows_match_the_matrix(void **state)
{
	(void)state;
	enum { N_DOCS = 20, LEN = 300 };
	struct cooc_doc docs[N_DOCS];
	uint64_t s = 777;
	for (size_t d = 0; d < N_DOCS; d++) {
		uint32_t *ids = malloc(LEN * sizeof *ids);
		assert_non_null(ids);
		for (size_t i = 0; i < LEN; i++) {
			uint64_t r = next(&s);
			ids[i] = r % 30 == 0 ? TF_STREAM_BREAK : (uint32_t)((r >> 8) % 300);
		}
		docs[d] = (struct cooc_doc){ ids, LEN };
	}
	bool is_focus[300] = { false };
	is_focus[5] = is_focus[17] = true;
	for (int scope = COOC_WINDOW; scope <= COOC_DOCUMENT; scope++) {
		struct cooc_opts o;
		cooc_opts_default(&o);
		o.scope = (enum cooc_scope)scope;
		o.window = 4;
		o.harmonic = true;
		struct rows *full = calloc(1, sizeof *full), *part = calloc(1, sizeof *part);
		assert_non_null(full);
		assert_non_null(part);
		full->focus[0] = part->focus[0] = 5;
		full->focus[1] = part->focus[1] = 17;
		assert_int_equal(cooc_count(&o, docs, N_DOCS, 300, full_rows, full, NULL, NULL), 0);
		assert_int_equal(cooc_focus_count(&o, docs, N_DOCS, is_focus, focus_rows, part), 0);
		for (int k = 0; k < 2; k++)
			for (int c = 0; c < 300; c++) {
				assert_int_equal(full->count[k][c], part->count[k][c]);
				assert_true(fabs(full->weighted[k][c] - part->weighted[k][c]) < 1e-9);
			}
		free(full);
		free(part);
	}
	for (size_t d = 0; d < N_DOCS; d++)
		free((void *)docs[d].ids);
}

static void test_cooc__bad_options(void **state)
{
	(void)state;
	struct cooc_opts o;
	cooc_opts_default(&o);
	struct cooc_doc doc = make_doc("a b");
	struct td_diag diag = { 0 };
	struct collect c = { 0 };
	o.window = 0;
	assert_int_equal(cooc_count(&o, &doc, 1, 26, collect_pair, &c, NULL, &diag), TD_EINVAL);
	assert_string_equal(diag.error, "window 0 is not in 1..20");
	o.window = 5;
	o.memory = 1000;
	assert_int_equal(cooc_count(&o, &doc, 1, 26, collect_pair, &c, NULL, &diag), TD_EINVAL);
	assert_string_equal(diag.error, "a memory budget of 0.000954 MB cannot hold a run: at least 1 MB (--memory 0.000976562) is needed");
	o.memory = COOC_MIN_MEMORY;
	o.tmp_dir = "/nonexistent/dir";  /* only used when a run is spilled: not here */
	assert_int_equal(cooc_count(&o, &doc, 1, 26, collect_pair, &c, NULL, &diag), 0);
	td_diag_free(&diag);
	free((void *)doc.ids);
	assert_int_equal(cooc_weight_unit(1), 1);
	assert_int_equal(cooc_weight_unit(10), 2520);
	assert_int_equal(cooc_weight_unit(20), 232792560);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cooc__window_symmetric_by_hand),
		cmocka_unit_test(test_cooc__sentences_and_documents_bound_windows),
		cmocka_unit_test(test_cooc__directions),
		cmocka_unit_test(test_cooc__unit_scopes),
		cmocka_unit_test(test_cooc__marginals_by_hand),
		cmocka_unit_test(test_cooc__measures_by_hand),
		cmocka_unit_test(test_cooc__same_bytes_for_any_threads_and_memory),
		cmocka_unit_test(test_cooc__large_tables_sorted),
		cmocka_unit_test(test_cooc__sums_past_their_packed_fields),
		cmocka_unit_test(test_cooc__focus_rows_match_the_matrix),
		cmocka_unit_test(test_cooc__bad_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
