/* fmtnum.h - doubles written as printf("%.*g") writes them, faster.
 *
 * The tables and matrices termdrift writes hold millions of doubles, and
 * glibc's printf spent more time on them than the counting did.  fmtnum_g
 * gives the same bytes as snprintf(buf, size, "%.*g", precision, v) for
 * every double and precision: it scales v by a power of ten in long double
 * (one rounding, whose error it bounds), and when the digits could round
 * either way within that bound, or the platform's long double is no wider
 * than double, it asks snprintf.
 */
#ifndef TD_FMTNUM_H
#define TD_FMTNUM_H

#include <stdbool.h>
#include <stddef.h>

/* Room fmtnum_g needs: "-d.dddddddddddddddde-308" and some. */
#define FMTNUM_MAX 32

/* Writes v as snprintf(buf, FMTNUM_MAX, "%.*g", precision, v) would, at buf
 * (FMTNUM_MAX bytes of room), followed by a NUL; returns the length without
 * the NUL.  A precision outside 1..17 is taken as the nearest of 1 and 17
 * (17 digits already tell every double apart), so the text always fits. */
size_t fmtnum_g(char *buf, double v, int precision);

/* The fast path alone: the length, or 0 when it cannot be sure and
 * fmtnum_g would ask snprintf (for tests: the fast path must be taken). */
size_t fmtnum_g_fast(char *buf, double v, int precision);

#endif
