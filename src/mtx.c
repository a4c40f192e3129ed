/* mtx.c - Matrix Market coordinate files (see mtx.h). */
#include "mtx.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmtnum.h"
#include "outfile.h"


/* Nonzeros per block: a block's lines are built in one buffer (at most
 * LINE_MAX_BYTES each) and go to the file in one piece (write_block).  The
 * buffer holds the block's weighted values after its lines' room. */
enum { BLOCK_ENTRIES = 16384, LINE_MAX_BYTES = 96 };
#define BLOCK_LINES_BYTES ((size_t)BLOCK_ENTRIES * LINE_MAX_BYTES)
#define BLOCK_BYTES (BLOCK_LINES_BYTES + BLOCK_ENTRIES * sizeof(double))

/* What the blocks are made from. */
struct mtx_src {
	const struct dtm *dtm;
	const struct weighting *weights;
	int precision;
	uint64_t nnz;
	size_t n_blocks;
};

/* Values whose digits are found together, before their lines are written. */
enum { DIGITS_RUN = 1024 };

/* Writes the lines of block b (its BLOCK_ENTRIES nonzeros, the last one
 * fewer) at buf (BLOCK_BYTES); returns their bytes.  The integers by hand;
 * the weighted values computed here, so that the workers compute those of
 * their blocks, all of the block's first (in a loop of their own: computed
 * line by line, each waited for its division and formatting 4 million took
 * 0.17 s instead of 0.13), then their digits DIGITS_RUN at a time
 * (fmtnum_digits_many: a line's place depends on the length of the one
 * before, and found line by line each number's digits waited for it; 17.6
 * ns a weight became 12 in bench_fmtnum), then the lines (%.*g's bytes). */
static size_t format_block(const struct mtx_src *src, size_t b, char *buf)
{
	const struct dtm *dtm = src->dtm;
	uint64_t k = (uint64_t)b * BLOCK_ENTRIES, end = k + BLOCK_ENTRIES;
	if (end > src->nnz)
		end = src->nnz;
	/* the row of nonzero k: the last d with row_ptr[d] <= k */
	size_t lo = 0, hi = dtm->n_docs;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (dtm->row_ptr[mid] <= k)
			lo = mid;
		else
			hi = mid;
	}
	uint64_t first = k;
	double *values = (double *)(buf + BLOCK_LINES_BYTES);
	if (src->weights)
		weighting_range(src->weights, lo, first, end, values);
	size_t used = 0, d = lo, row_len = 0;
	uint64_t row_end = k;  /* the row's prefix is made at its first line */
	char row[24] = { 0 };  /* copied whole into each line */
	struct fmtnum_digits digits[DIGITS_RUN];
	while (k < end) {
		uint64_t run_end = end - k > DIGITS_RUN ? k + DIGITS_RUN : end;
		if (src->weights)
			fmtnum_digits_many(values + (k - first), (size_t)(run_end - k), src->precision, digits);
		for (size_t i = 0; k < run_end; k++, i++) {
			while (k == row_end) {
				if (row_len)
					d++;
				row_len = fmtnum_uint(row, d + 1);
				row[row_len++] = ' ';
				row_end = dtm->row_ptr[d + 1] < end ? dtm->row_ptr[d + 1] : end;
			}
			char *line = buf + used;
			memcpy(line, row, sizeof row);  /* all of it: no call for a variable length */
			size_t at = row_len + fmtnum_uint(line + row_len, (uint64_t)dtm->col[k] + 1);
			line[at++] = ' ';
			if (!src->weights)
				at += fmtnum_uint(line + at, dtm->count[k]);
			else if (digits[i].n)
				at += fmtnum_layout(line + at, &digits[i], src->precision);
			else
				at += fmtnum_g(line + at, values[k - first], src->precision);
			line[at++] = '\n';
			used += at;
		}
	}
	return used;
}

/* Writes a block of len bytes to fp's file itself: fwrite copied each block
 * (less than the stream's 1 MB buffer) into the buffer first, 437 MB more
 * to copy for SOTU x10's bigrams.  Returns 0, or TD_EIO with errno set. */
static int write_block(FILE *fp, const char *block, size_t len)
{
	if (fflush(fp) != 0)
		return TD_EIO;
	int fd = fileno(fp);
	while (len > 0) {
		ssize_t n = write(fd, block, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return TD_EIO;
		}
		block += n;
		len -= (size_t)n;
	}
	return 0;
}

/* With more than one thread, workers format blocks into a ring of buffers
 * and the calling thread writes them in order: formatting the numbers is
 * most of the cost, and it runs on every core while the file is written. */
struct mtx_ring {
	const struct mtx_src *src;
	size_t n_slots;
	char **buf;
	size_t *len;
	size_t *block;          /* the block a slot holds, SIZE_MAX: none yet */
	size_t next;            /* the next block to format */
	size_t written;         /* blocks written: slot b % n_slots is free for b < written + n_slots */
	bool stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *format_worker(void *arg)
{
	struct mtx_ring *r = arg;
	pthread_mutex_lock(&r->lock);
	for (;;) {
		while (!r->stop && r->next < r->src->n_blocks && r->next >= r->written + r->n_slots)
			pthread_cond_wait(&r->cond, &r->lock);
		if (r->stop || r->next >= r->src->n_blocks)
			break;
		size_t b = r->next++, slot = b % r->n_slots;
		pthread_mutex_unlock(&r->lock);
		size_t len = format_block(r->src, b, r->buf[slot]);
		pthread_mutex_lock(&r->lock);
		r->len[slot] = len;
		r->block[slot] = b;
		pthread_cond_broadcast(&r->cond);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* Writes every block to fp, formatted by n_threads workers; returns 0,
 * TD_ENOMEM (nothing written) or TD_EIO (fp has the error). */
static int write_blocks_parallel(const struct mtx_src *src, FILE *fp, unsigned n_threads)
{
	struct mtx_ring r = { .src = src, .n_slots = 2 * (size_t)n_threads + 2 };
	int write_errno = 0;
	pthread_t threads[64];
	unsigned started = 0;
	int rc = 0;
	r.buf = calloc(r.n_slots, sizeof *r.buf);
	r.len = calloc(r.n_slots, sizeof *r.len);
	r.block = malloc(r.n_slots * sizeof *r.block);
	if (!r.buf || !r.len || !r.block) {
		rc = TD_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < r.n_slots; i++) {
		r.block[i] = SIZE_MAX;
		if (!(r.buf[i] = malloc(BLOCK_BYTES))) {
			rc = TD_ENOMEM;
			goto out;
		}
	}
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.cond, NULL);
	for (unsigned i = 0; i < n_threads && i < 64; i++) {
		if (pthread_create(&threads[i], NULL, format_worker, &r) != 0)
			break;
		started++;
	}
	for (size_t b = 0; b < src->n_blocks && rc == 0; b++) {
		size_t slot = b % r.n_slots;
		pthread_mutex_lock(&r.lock);
		while (r.block[slot] != b && started > 0)
			pthread_cond_wait(&r.cond, &r.lock);
		pthread_mutex_unlock(&r.lock);
		if (started == 0)  /* no thread could start: format here */
			r.len[slot] = format_block(src, b, r.buf[slot]);
		if ((rc = write_block(fp, r.buf[slot], r.len[slot])))
			write_errno = errno;
		pthread_mutex_lock(&r.lock);
		r.written = b + 1;
		if (rc)
			r.stop = true;
		pthread_cond_broadcast(&r.cond);
		pthread_mutex_unlock(&r.lock);
	}
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&r.lock);
	pthread_cond_destroy(&r.cond);
out:
	for (size_t i = 0; r.buf && i < r.n_slots; i++)
		free(r.buf[i]);
	free(r.buf);
	free(r.len);
	free(r.block);
	if (rc == TD_EIO)
		errno = write_errno;  /* for the caller's message */
	return rc;
}

int mtx_write(const char *dir, const char *name, const struct dtm *dtm, const struct weighting *weights,
	      int precision, const char *comment, unsigned n_threads, uint64_t *rows, struct td_diag *diag)
{
	struct outfile of;
	int rc = outfile_open(&of, dir, name, diag);
	if (rc)
		return rc;
	struct mtx_src src = { .dtm = dtm, .weights = weights, .precision = precision,
			       .nnz = dtm->row_ptr[dtm->n_docs] };
	src.n_blocks = (size_t)((src.nnz + BLOCK_ENTRIES - 1) / BLOCK_ENTRIES);
	FILE *fp = of.fp;
	fprintf(fp, "%%%%MatrixMarket matrix coordinate %s general\n", weights ? "real" : "integer");
	if (comment)
		fprintf(fp, "%% %s\n", comment);
	fprintf(fp, "%zu %zu %" PRIu64 "\n", dtm->n_docs, dtm->n_terms, src.nnz);
	if (n_threads > 1 && src.n_blocks > 1) {
		rc = write_blocks_parallel(&src, fp, n_threads);
	} else {
		char *block = malloc(BLOCK_BYTES);
		rc = block ? 0 : TD_ENOMEM;
		for (size_t b = 0; b < src.n_blocks && rc == 0; b++)
			rc = write_block(fp, block, format_block(&src, b, block));
		free(block);
	}
	if (rc == TD_ENOMEM) {
		outfile_abort(&of);
		return td_fail(diag, rc, "out of memory");
	}
	if (rc || ferror(fp)) {
		rc = td_fail(diag, TD_EIO, "cannot write '%s': %s", of.final_path, strerror(errno));
		outfile_abort(&of);
		return rc;
	}
	*rows = src.nnz;
	return outfile_commit(&of, diag);
}

int mtx_write_dense(const char *dir, const char *name, const double *values, size_t n_rows, size_t n_cols,
		    size_t stride, int precision, const char *comment, struct td_diag *diag)
{
	struct outfile of;
	int rc = outfile_open(&of, dir, name, diag);
	if (rc)
		return rc;
	FILE *fp = of.fp;
	fprintf(fp, "%%%%MatrixMarket matrix array real general\n");
	if (comment)
		fprintf(fp, "%% %s\n", comment);
	fprintf(fp, "%zu %zu\n", n_rows, n_cols);
	char line[64];
	for (size_t c = 0; c < n_cols; c++)
		for (size_t r = 0; r < n_rows; r++) {
			size_t len = fmtnum_g(line, values[r * stride + c], precision);
			line[len++] = '\n';
			fwrite(line, 1, len, fp);
		}
	if (ferror(fp)) {
		rc = td_fail(diag, TD_EIO, "cannot write '%s': %s", of.final_path, strerror(errno));
		outfile_abort(&of);
		return rc;
	}
	return outfile_commit(&of, diag);
}
