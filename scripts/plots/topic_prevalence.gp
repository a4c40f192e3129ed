# topic_prevalence.gp - the share of each topic in each date bin (the mean
# topic share of the bin's documents), stacked to 1: a bar per bin, topic 1
# at the top of each bar, the last topic at the bottom, in the order of the
# key.  Bins without documents are grey bands.
#
# Input:  OUTDIR/topic_prevalence_by_day_wide.csv - date, then one column per
#         topic headed by its label ("ukraine, will, us"): a row per date
#         bin, empty cells for bins without documents.
# Output: OUTDIR/plots/topic_prevalence.png (pngcairo 1200x800) or .svg.
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/topic_prevalence.gp
# The key, outside right, names each topic "N  label" (labels cut at 34
# characters); 20 colours, repeated (with a pattern) above 20 topics.  Above
# 60 bins the bars touch, without borders.
chart = 'topic_prevalence'
text_mode = 'noenhanced'
ARG0 = exists("ARG0") ? ARG0 : 'scripts/plots/topic_prevalence.gp'
load sprintf('%s/common.gp', system(sprintf("dirname '%s'", ARG0)))
file = sprintf('%s/topic_prevalence_by_day_wide.csv', outdir)
load sprintf("< %s -v mode=stack '%s'", tables, file)
if (n_rows == 0 || n_series == 0) { print "topic_prevalence.gp: no date bins or no topics in " . file; exit status 1 }

t_min = strptime("%Y-%m-%d", first_date)
t_max = strptime("%Y-%m-%d", last_date)
t_second = n_rows > 1 ? strptime("%Y-%m-%d", second_date) : NaN
n_bins = n_rows
load here . '/timeaxis.gp'
set datafile separator whitespace
set xlabel sprintf("%s (%d %s, %d without documents)", unit eq 'week' ? 'week (first day)' : unit, \
	n_rows, n_rows == 1 ? unit : units, n_empty) offset 0, (two_lines ? -1 : 0)

y_max = stack_max > 1.001 ? stack_max : 1
set yrange [0 : y_max]
set ytics 0, 0.1 nomirror out
set format y "%.1f"
set ylabel "topic prevalence (mean topic share of the documents)"
set border 3
set title sprintf("Topic prevalence by %s — %s", unit, corpus) font ",15"
key_font = n_series > 12 ? ",10" : ",11"
set key outside right top vertical Left reverse samplen 1.5 spacing (n_series > 12 ? 1.0 : 1.2) \
	font key_font title sprintf("%d topics, top of the stack first", n_series) left
if (n_rows == n_empty) {
	set label 3 "no date bin has documents" at graph 0.5, graph 0.5 center front font ",14" tc rgb '#666666'
}
set style fill solid 0.9 border rgb 'white'
box_w = 0.82 * bin_len
if (n_rows > 60) { set style fill solid 1 noborder; box_w = 1.02 * bin_len }
# the 20 Tableau colours, ordered so that neighbours in the stack differ in
# hue and in lightness
colours = "4e79a7 ffbe7d 59a14f ff9d9a b07aa1 f1ce63 499894 fabfd2 9d7660 a0cbe8 f28e2b 8cd17d e15759 d4a6c8 b6992d 86bcb6 d37295 d7b5a6 79706e bab0ac"
cut(s) = strlen(s) <= 34 ? s : s[1:33] . "…"
cmd = "plot "
if (n_empty > 0) {
	cmd = cmd . sprintf("$empty using 1:(%g):(%g) with boxes fs solid 1 noborder lc rgb '#ececec' title 'no documents', ", y_max, 1.02 * bin_len)
}
# topic i's bar reaches the sum of topics i..n: drawn tallest first, each
# covered by the next from the bottom up to where it starts
do for [i = 1:n_series] {
	name_i = sprintf("%2d  %s", i, cut(value(sprintf('series_name%d', i))))
	eval sprintf("key_title%d = name_i", i)
	style_i = i > 20 ? sprintf(" fs pattern %d", (i - 1) / 20 + 3) : ""
	cmd = cmd . (n_rows > n_empty ? sprintf("$stack using 1:%d:(%g)", i + 1, box_w) : "NaN") . \
		sprintf(" with boxes lc rgb '#%s'%s title key_title%d, ", word(colours, (i - 1) % 20 + 1), style_i, i)
}
eval cmd[1:strlen(cmd) - 2]
