# topic_terms_heatmap.gp - how each topic's vocabulary shifts over time: one
# heatmap per topic, rows = the topic's 8 terms of highest weight summed over
# the shown bins (highest at the top), columns = date bins, colour = the
# term's weight within the topic in that bin (one colour scale for all
# panels, on a square-root scale so that small weights still show; the
# colour box is labelled with the weights).  White: the term is not among the
# topic's top terms in the bin; light grey: the topic has no terms in the bin
# (no share there).
#
# Input:  OUTDIR/topic_terms_by_day.csv - date,topic,rank,term,weight: each
#         topic's top terms within each date bin with documents;
#         OUTDIR/topic_summary.csv, when there, for the topics' labels.
# Output: OUTDIR/plots/topic_terms_heatmap.png (pngcairo 1200x800) or .svg.
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/topic_terms_heatmap.gp
# Panels: the first 6 topics by number (the subtitle says when there are
# more), columns: the last 20 bins of the table (bins with documents), as
# the subtitle says when there are more.  Column labels are rotated; with
# narrow columns every other one is labelled.
chart = 'topic_terms_heatmap'
text_mode = 'noenhanced'
ARG0 = exists("ARG0") ? ARG0 : 'scripts/plots/topic_terms_heatmap.gp'
load sprintf('%s/common.gp', system(sprintf("dirname '%s'", ARG0)))
file = sprintf('%s/topic_terms_by_day.csv', outdir)
summary = sprintf('%s/topic_summary.csv', outdir)
max_topics = 6
max_terms = 8
max_bins = 20
has_summary = system(sprintf("test -r '%s' && echo 1 || echo 0", summary)) + 0
load sprintf("< LC_ALL=C %s -v mode=topicheat -v topics=%d -v terms=%d -v bins=%d -v summary='%s' '%s'", \
	tables, max_topics, max_terms, max_bins, has_summary ? summary : '', file)
set datafile separator whitespace
W = page_w * 1.0
H = page_h * 1.0
per = unit eq 'day' ? 'date bin' : unit
pers = per . 's'
set label 1 sprintf("Each topic's top terms by %s (weight of the term within the topic) — %s", per, corpus) \
	at screen 0.5, screen 1 - 24 / H center font ",15"
if (n_panels == 0 || n_cols == 0 || heat_max <= 0) {
	set label 2 "no topic has terms in any date bin" at screen 0.5, screen 0.5 center font ",14" tc rgb '#666666'
	unset border; unset tics; unset key
	plot [0:1] [0:1] NaN notitle
	exit
}
sub_topics = n_topics > n_panels ? sprintf("the first %d of %d topics", n_panels, n_topics) : \
	n_panels == 1 ? "the one topic" : sprintf("all %d topics", n_panels)
sub_bins = n_dates > n_cols ? sprintf("the last %d of the %d %s with documents (%s to %s)", n_cols, n_dates, pers, first_col, last_col) : \
	n_cols == 1 ? sprintf("the one %s with documents", per) : sprintf("all %d %s with documents", n_cols, pers)
set label 2 sprintf("%s; %s", sub_topics, sub_bins) at screen 0.5, screen 1 - 50 / H center tc rgb '#444444'
set label 3 "colour: the term's weight in the topic (square-root scale); white: not among the topic's top terms in that bin; grey: the topic has no share there" \
	at screen 0.5, screen 1 - 70 / H center tc rgb '#444444' font ",10"

# --- the layout, in pixels: panels left of a shared colour box ---
n = n_panels
cols = n <= 3 ? n : n == 4 ? 2 : 3
rows = (n + cols - 1) / cols
fs = n <= 2 ? 11 : 10
char_px = 0.72 * fs
term_font = sprintf(",%d", fs)
title_px = 86
cbox_px = 90
cell_w = (W - cbox_px - 8) / cols
cell_h = (H - title_px) / rows
# room for the terms: the longest shown, cut at 22 characters
cap = 22
shown(s) = strlen(s) <= cap ? s : s[1:cap - 1] . "…"
longest = 1
do for [i = 1:n] {
	do for [r = 1:value(sprintf("panel_rows%d", i))] {
		len = strlen(shown(value(sprintf("panel_term%d_%d", i, r))))
		longest = len > longest ? len : longest
	}
}
label_px = longest * char_px + 12
# the column labels, rotated: the room under the panel is the longest one
long_col = 1
do for [c = 1:n_cols] { len = strlen(value(sprintf("col_label%d", c))); long_col = len > long_col ? len : long_col }
below_px = long_col * 7 + 30
plot_w = cell_w - label_px - 16
col_px = plot_w / n_cols
col_every = col_px >= 13 ? 1 : col_px >= 6.5 ? 2 : 4

set multiplot
set palette defined (0 '#ffffff', 0.1 '#deebf7', 0.4 '#9ecae1', 0.7 '#3182bd', 1 '#08306b')
# a square-root colour scale, its tics at weights of the 1-2-5 series from
# a 50th of the largest weight up, and 0
set cbrange [0 : sqrt(heat_max)]
set cbtics ("0" 0) nomirror font ",9"
do for [e = floor(log10(heat_max / 50)) : ceil(log10(heat_max))] {
	do for [m in "1 2 5"] {
		v = m * 10.0 ** e
		if (v >= heat_max / 50 && v <= heat_max) { set cbtics add (sprintf("%g", v) sqrt(v)) }
	}
}
set xrange [0.5 : n_cols + 0.5]
set border 15 lw 0.5 lc rgb '#888888'
set tics textcolor rgb 'black'
unset key
unset grid
set object 1 rect from graph 0, graph 0 to graph 1, graph 1 behind fc rgb '#e4e4e4' fs solid 1 noborder
do for [i = 1:n] {
	c = (i - 1) % cols
	r = (i - 1) / cols
	set lmargin at screen (8 + c * cell_w + label_px) / W
	set rmargin at screen (8 + c * cell_w + label_px + plot_w) / W
	set tmargin at screen (H - title_px - r * cell_h - 24) / H
	set bmargin at screen (H - title_px - (r + 1) * cell_h + below_px) / H
	title_cap = int((plot_w + label_px / 2) / 7.5)
	title_i = value(sprintf("panel_title%d", i))
	set title (strlen(title_i) <= title_cap ? title_i : title_i[1:title_cap - 1] . "…") font ",11" offset 0, -0.6
	n_r = value(sprintf("panel_rows%d", i))
	set yrange [(n_r > 0 ? n_r : 1) + 0.5 : 0.5]
	set ytics () nomirror scale 0 font term_font
	do for [k = 1:n_r] { set ytics add (shown(value(sprintf("panel_term%d_%d", i, k))) k) }
	set xtics () nomirror scale 0 rotate by 90 right font ",9"
	do for [k = 1:n_cols] { if ((n_cols - k) % col_every == 0) { set xtics add (value(sprintf("col_label%d", k)) k) } }
	if (i == n) {
		set colorbox user origin screen (W - cbox_px + 10) / W, screen 0.2 size screen 18 / W, screen 0.55
		set label 9 "weight" at screen (W - cbox_px + 19) / W, screen 0.78 center font ",10"
	} else {
		unset colorbox
	}
	if (n_r == 0) {
		set label 8 "no terms in these bins" at graph 0.5, graph 0.5 center tc rgb '#666666'
		eval sprintf("plot NaN notitle")
	} else {
		eval sprintf("plot $heat%d using 1:($3 == $3 ? $2 : NaN):(0.505):(0.505):(sqrt($3)) with boxxyerror fs solid 1 noborder fc palette", i)
	}
	unset label
}
unset multiplot
