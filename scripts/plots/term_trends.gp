# term_trends.gp - the frequency of each tracked term ([drift] track) per
# 10,000 tokens of each date bin, one line per term over time; bins without
# documents are grey bands (the lines join the bins that have documents).
#
# Input:  OUTDIR/term_trends_wide.csv - date, then one column per tracked
#         term: a row per date bin, empty bins included with empty cells.
# Output: OUTDIR/plots/term_trends.png (pngcairo 1200x800) or .svg.
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/term_trends.gp
# Up to 10 terms are told apart by colour, more also by dash pattern; the
# key is outside, right of the plot.  Up to 60 bins: a line with a point per
# bin.  Above 60 bins each term's values are a thin faint line under a thick
# line of their centred moving average over K bins with documents (K odd,
# about a 60th of the bins: 7 for 232 years), as the subtitle says.
chart = 'term_trends'
text_mode = 'noenhanced'
ARG0 = exists("ARG0") ? ARG0 : 'scripts/plots/term_trends.gp'
load sprintf('%s/common.gp', system(sprintf("dirname '%s'", ARG0)))
file = sprintf('%s/term_trends_wide.csv', outdir)
# the bins before loading the series: the smoothing window depends on them
n_lines = system(sprintf("wc -l < '%s'", file)) - 1
smooth = n_lines > 60 ? 2 * int(n_lines / 60) + 1 : 0
load sprintf("< %s -v mode=series -v smooth=%d '%s'", tables, smooth, file)
if (n_rows == 0 || n_series == 0) { print "term_trends.gp: no date bins or no terms in " . file; exit status 1 }

t_min = strptime("%Y-%m-%d", first_date)
t_max = strptime("%Y-%m-%d", last_date)
t_second = n_rows > 1 ? strptime("%Y-%m-%d", second_date) : NaN
n_bins = n_rows
load here . '/timeaxis.gp'
set datafile separator whitespace
set xlabel sprintf("%s (%d %s, %d without documents)", unit eq 'week' ? 'week (first day)' : unit, \
	n_rows, n_rows == 1 ? unit : units, n_empty) offset 0, (two_lines ? -1 : 0)

nice(x) = (m = 10 ** floor(log10(x)), f = x / m, (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * m)
y_max = max_value > 0 ? max_value * 1.08 : 1
y_step = nice(y_max / 8.0)
y_max = ceil(y_max / y_step) * y_step
set yrange [0 : y_max]
set ytics 0, y_step nomirror out
set format y "%g"
set ylabel "occurrences per 10,000 tokens"
set grid ytics lc rgb '#dddddd'
set border 3

set title sprintf("Tracked terms per 10,000 tokens by %s — %s", unit, corpus) font ",15"
set key outside right top vertical Left reverse samplen 3 spacing 1.2 title "term" left
if (max_value <= 0) {
	set label 3 (n_empty == n_rows ? "no date bin has documents" : "no tracked term occurs") at graph 0.5, graph 0.5 center front font ",14" tc rgb '#666666'
}
palette_rgb = "4e79a7 f28e2b e15759 76b7b2 59a14f edc948 b07aa1 ff9da7 9c755f bab0ac"
many = smooth > 1
if (many) {
	set title sprintf("Tracked terms per 10,000 tokens by %s — %s\nthin: each %s; thick: centred mean over %d %s with documents", \
		unit, corpus, unit, smooth, units) font ",15"
}
cmd = "plot "
if (n_empty > 0) {
	cmd = cmd . sprintf("$empty using 1:(%g):(%g) with boxes fs solid 1 noborder lc rgb '#ececec' title 'no documents', ", y_max, 1.02 * bin_len)
}
do for [i = 1:n_series] {
	rgb = word(palette_rgb, (i - 1) % 10 + 1)
	style = sprintf("lw %g lc rgb '#%s' dt %d", many ? 2.5 : 2, rgb, (i - 1) / 10 + 1)
	if (value(sprintf('series_n%d', i)) == 0) {
		cmd = cmd . sprintf("NaN with lines %s title series_name%d, ", style, i)
	} else {
		if (many) {
			cmd = cmd . sprintf("$series%d using 1:2 with lines lw 0.8 lc rgb '#90%s' notitle, ", i, rgb)
			cmd = cmd . sprintf("$smooth%d using 1:2 with lines %s title series_name%d, ", i, style, i)
		} else {
			cmd = cmd . sprintf("$series%d using 1:2 with linespoints pt 7 ps 0.8 %s title series_name%d, ", i, style, i)
		}
	}
}
eval cmd[1:strlen(cmd) - 2]
