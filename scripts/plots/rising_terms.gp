# rising_terms.gp - the terms that rise and fall most from one date bin to
# the previous bin with documents: for each bin compared with a previous one,
# its top 5 rising (z > 0, orange, to the right) and top 5 falling (z < 0,
# blue, to the left) terms by the z-score of the log-odds ratio against the
# previous bin, as horizontal bars in one panel per bin; each term is written
# on the other side of the zero line from its bar.
#
# Input:  OUTDIR/term_trends.csv - date,term,count,rel_freq,log_odds_vs_prev,
#         z_vs_prev,log_odds_vs_rest,z_vs_rest (empty *_vs_prev in the first
#         bin, which has no panel).
# Output: OUTDIR/plots/rising_terms.png (pngcairo 1200x800) or .svg.
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/rising_terms.gp
# Panels: the last 12 compared bins at most (the subtitle says when there
# are more), in a grid of up to 3 rows by 4 columns, each on its own
# symmetric z scale.  Terms longer than half a panel are cut with an ellipsis.
chart = 'rising_terms'
text_mode = 'noenhanced'
ARG0 = exists("ARG0") ? ARG0 : 'scripts/plots/rising_terms.gp'
load sprintf('%s/common.gp', system(sprintf("dirname '%s'", ARG0)))
file = sprintf('%s/term_trends.csv', outdir)
max_panels = 12
top = 5
load sprintf("< LC_ALL=C %s -v mode=rising -v max=%d -v top=%d '%s'", tables, max_panels, top, file)
set datafile separator whitespace
# the bin unit, for the words: from the spacing of drift_by_day.csv's first
# two rows (every bin, empty ones included) when it is there, else from the
# dates (all 1 January: year; all the 1st: month)
per = unit eq 'day' ? 'date bin' : unit
first2 = system(sprintf("awk -F, 'NR == 2 || NR == 3 { printf \"%%s \", $1 }' '%s/drift_by_day.csv' 2>/dev/null", outdir))
if (words(first2) == 2) {
	gap = (strptime("%Y-%m-%d", word(first2, 2)) - strptime("%Y-%m-%d", word(first2, 1))) / 86400
	per = gap == 1 ? 'day' : gap == 7 ? 'week' : (gap >= 28 && gap <= 31) ? 'month' : (gap >= 365 && gap <= 366) ? 'year' : per
}
pers = per . 's'
W = page_w * 1.0
H = page_h * 1.0
set label 1 sprintf("Rising and falling terms against the previous %s with documents — %s", per, corpus) \
	at screen 0.5, screen 1 - 24 / H center font ",15"
if (n_panels == 0) {
	set label 2 "no date bin has a previous bin with documents to compare with" at screen 0.5, screen 0.5 center font ",14" tc rgb '#666666'
	unset border; unset tics; unset key
	plot [0:1] [0:1] NaN notitle
	exit
}
if (n_compared > n_panels) {
	subtitle = sprintf("the last %d of the %d compared %s (%s to %s)", n_panels, n_compared, pers, first_compared, last_compared)
} else {
	subtitle = n_panels == 1 ? sprintf("the one compared %s", per) : sprintf("all %d compared %s", n_panels, pers)
}
set label 2 subtitle . "; bars: z-score of the log-odds ratio (informative Dirichlet prior)" \
	at screen 0.5, screen 1 - 50 / H center tc rgb '#444444'
set label 3 "■ rising" at screen 0.5 - 70 / W, screen 1 - 72 / H right tc rgb '#f28e2b'
set label 4 "■ falling" at screen 0.5 + 70 / W, screen 1 - 72 / H left tc rgb '#4e79a7'
set label 5 sprintf("top %d each way", top) at screen 0.5, screen 1 - 72 / H center tc rgb '#444444'

# --- the layout, in pixels ---
n = n_panels
cols = n <= 3 ? n : n == 4 ? 2 : n <= 6 ? 3 : n <= 9 ? 3 : 4
rows = (n + cols - 1) / cols
fs = n <= 4 ? 11 : n <= 9 ? 10 : 9
title_px = 92
cell_w = (W - 16) / cols
cell_h = (H - title_px - 4) / rows
plot_w = cell_w - 36
# a term may take the half of the panel beside its bar, less some room
char_px = 0.62 * fs
cap = int((plot_w / 2 - 10) / char_px)
cap = cap < 4 ? 4 : cap
shown(s) = strlen(s) <= cap ? s : s[1:cap - 1] . "…"
term_font = sprintf(",%d", fs)
tic_font = n <= 4 ? ",10" : ",8"
nice(x) = (m = 10 ** floor(log10(x)), f = x / m, (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * m)

set multiplot
set style fill solid 0.85 noborder
set yrange [2 * top + 1.1 : 0.2]
unset ytics
set border 1
set grid xtics lc rgb '#e8e8e8'
unset key
do for [i = 1:n] {
	c = (i - 1) % cols
	r = (i - 1) / cols
	set lmargin at screen (8 + c * cell_w + 18) / W
	set rmargin at screen (8 + c * cell_w + 18 + plot_w) / W
	set tmargin at screen (H - title_px - r * cell_h - 26) / H
	set bmargin at screen (H - title_px - (r + 1) * cell_h + 30) / H
	set title value(sprintf("panel_title%d", i)) font ",11" offset 0, -0.6
	pm = value(sprintf("panel_max%d", i))
	pm = pm > 0 ? pm : 1
	x_step = nice(pm / 2.0)
	x_max = ceil(pm * 1.02 / x_step) * x_step
	set xrange [-x_max : x_max]
	set xtics -x_max, x_step, x_max nomirror out scale 0.4 font tic_font format "%g"
	set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#666666' lw 1 front
	off = 0.03 * x_max
	y(k) = k > top ? k + 0.5 : k
	eval sprintf("plot $panel%d using ($2 / 2):(y($1)):(abs($2) / 2):(0.38):($2 > 0 ? 0xf28e2b : 0x4e79a7) with boxxyerror lc rgb variable, " . \
		"'' using ($2 > 0 ? -off : NaN):(y($1)):(shown(strcol(3))) with labels right font term_font, " . \
		"'' using ($2 < 0 ? off : NaN):(y($1)):(shown(strcol(3))) with labels left font term_font", i)
	unset label
}
unset multiplot
