# top_terms_by_day.gp - the top 10 terms by tf-idf of each date bin, as
# horizontal bars (highest at the top), one panel per bin, the bin's date as
# the panel's title, every panel on the same tf-idf scale.
#
# Input:  OUTDIR/top_terms_by_day.csv - date,rank,term,tfidf (rank 1..20 per
#         bin; bins without documents have no rows).  Read with the awk
#         program below (RFC 4180 fields: terms may hold commas, quotes,
#         spaces, apostrophes, any UTF-8 letters; they are shown as written).
#         OUTDIR/docs_by_day.csv, when there, only to name the bin unit (the
#         spacing of its first two rows) and count all bins; without it the
#         unit is guessed from the dates (all 1 January: years, all the 1st:
#         months) or called "date bin".
# Output: OUTDIR/plots/top_terms_by_day.png (pngcairo 1200x800) or .svg.
# Arguments (gnuplot -e, before the script):
#   outdir  the termdrift output folder (required; OUTDIR/plots/ must exist)
#   corpus  the analysis name, put in the title (default 'termdrift')
#   format  'png' (default) or 'svg'
#
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/top_terms_by_day.gp
#
# Which bins: every bin that has terms, up to 12 panels (grid of up to 3 rows
# by 4 columns).  With more than 12 such bins, 12 are shown, evenly spaced
# in the order of the bins that have terms (panel i shows bin number
# 1 + round((i - 1) * (N - 1) / 11) of N), so the first and the last are
# always shown; the subtitle says so ("12 of the 231 years with documents,
# evenly spaced from 1790 to 2021").  Terms longer than a panel's label room
# are cut with an ellipsis.
# Prints nothing on success; a gnuplot error exits with status 1.

if (!exists("outdir")) { print "top_terms_by_day.gp: give the output folder: gnuplot -e \"outdir='DIR'\" top_terms_by_day.gp"; exit status 2 }
if (!exists("corpus")) { corpus = 'termdrift' }
if (!exists("format")) { format = 'png' }
if (format ne 'png' && format ne 'svg') { print "top_terms_by_day.gp: format must be 'png' or 'svg', not '" . format . "'"; exit status 2 }

set encoding utf8
max_panels = 12
top = 10

# The awk program: reads the CSV and prints gnuplot commands - the numbers,
# the panels' titles and terms as single-quoted gnuplot strings (a quote
# doubled, nothing else is special in them), and the data block $bars with
# one block per panel (separated by two blank lines, for `index`) of lines
# "rank tfidf".  The last line, tt_ok = 1, says it read everything.
$AWK << EOD
function split_csv(line, f,    n, i, c, field, quoted) {
	n = 0; field = ""; quoted = 0
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (quoted) {
			if (c == "\"") {
				if (substr(line, i + 1, 1) == "\"") { field = field "\""; i++ }
				else quoted = 0
			} else field = field c
		} else if (c == "\"") quoted = 1
		else if (c == ",") { f[++n] = field; field = "" }
		else field = field c
	}
	f[++n] = field
	return n
}
function gp_str(s) { gsub(/[\001-\037]/, " ", s); gsub(/'/, "''", s); return "'" s "'" }
# days since 1970-01-01 of an ISO date (proleptic Gregorian)
function days(d,    y, m, dd, era, yoe, doy, doe) {
	y = substr(d, 1, 4) + 0; m = substr(d, 6, 2) + 0; dd = substr(d, 9, 2) + 0
	if (m <= 2) y--
	era = int((y >= 0 ? y : y - 399) / 400)
	yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + dd - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}
function label(d,    m) {
	if (unit == "year") return substr(d, 1, 4)
	if (unit == "month") { m = substr(d, 6, 2) + 0; return substr("JanFebMarAprMayJunJulAugSepOctNovDec", 3 * m - 2, 3) " " substr(d, 1, 4) }
	if (unit == "week") return "week of " d
	return d
}
BEGIN {
	# docs_by_day.csv (ARGV[2], optional): the unit and the number of bins
	n_all = 0
	if (ARGC > 2) {
		while ((getline line < ARGV[2]) > 0) {
			if (++nl == 1) continue
			split_csv(line, g)
			if (++n_all <= 2) first2[n_all] = g[1]
		}
		ARGV[2] = ""
	}
	if (n_all >= 2) {
		gap = days(first2[2]) - days(first2[1])
		unit = gap == 1 ? "day" : gap == 7 ? "week" : (gap >= 28 && gap <= 31) ? "month" : (gap >= 365 && gap <= 366) ? "year" : ""
	}
}
NR == 1 { next }
{
	sub(/\r$/, "")
	split_csv($0, f)
	if (f[1] == "" || f[2] == "" || f[3] == "") next
	if (!(f[1] in bin)) { bin[f[1]] = ++n_bins; date[n_bins] = f[1]; if (f[1] !~ /-01-01$/) not_year = 1; if (f[1] !~ /-01$/) not_month = 1 }
	b = bin[f[1]]; r = f[2] + 0
	if (r >= 1 && r <= top) { term[b, r] = f[3]; score[b, r] = f[4] + 0; if (r > n_rank[b]) n_rank[b] = r }
}
END {
	if (unit == "" && n_all < 2 && n_bins >= 2) unit = !not_year ? "year" : !not_month ? "month" : ""
	n = n_bins < max ? n_bins : max
	printf "tt_unit = %s\ntt_n_bins = %d\ntt_n_all = %d\ntt_n_panels = %d\n", gp_str(unit), n_bins, n_all, n
	if (n_bins > 0) printf "tt_first = %s\ntt_last = %s\n", gp_str(label(date[1])), gp_str(label(date[n_bins]))
	vmax = 0
	blocks = ""
	for (i = 1; i <= n; i++) {
		b = n == 1 ? 1 : 1 + int((i - 1) * (n_bins - 1) / (n - 1) + 0.5)
		printf "tt_title_%d = %s\ntt_ranks_%d = %d\n", i, gp_str(label(date[b])), i, n_rank[b]
		blocks = blocks (i > 1 ? "\n\n" : "")
		for (r = 1; r <= n_rank[b]; r++) {
			if (!((b, r) in term)) continue
			printf "tt_term_%d_%d = %s\n", i, r, gp_str(term[b, r])
			blocks = blocks r " " score[b, r] "\n"
			if (score[b, r] > vmax) vmax = score[b, r]
		}
	}
	printf "tt_max = %.10g\n", vmax
	printf "$bars << EOD\n%sEOD\n", blocks
	print "tt_ok = 1"
}
EOD

# --- run it: the program and the paths single-quoted for the shell ---
shq(s) = "'" . shq_body(s) . "'"
shq_body(s) = strstrt(s, "'") == 0 ? s : s[1:strstrt(s, "'") - 1] . "'\\''" . shq_body(s[strstrt(s, "'") + 1:])
awk_prog = ""
do for [i = 1:|$AWK|] { awk_prog = awk_prog . $AWK[i] . "\n" }
file = outdir . '/top_terms_by_day.csv'
docs_file = outdir . '/docs_by_day.csv'
has_docs = system("test -r " . shq(docs_file) . " && echo 1 || echo 0") + 0
load sprintf("< LC_ALL=C awk -v max=%d -v top=%d %s %s%s", max_panels, top, shq(awk_prog), shq(file), \
	has_docs ? " " . shq(docs_file) : "")
if (!exists("tt_ok")) { print "top_terms_by_day.gp: cannot read " . file; exit status 1 }
if (tt_n_panels == 0 || tt_max <= 0) { print "top_terms_by_day.gp: no date bin has terms in " . file; exit status 1 }

# --- the layout, in pixels of the 1200x800 page ---
W = 1200.0
H = 800.0
n = tt_n_panels
cols = n <= 3 ? n : n == 4 ? 2 : n <= 9 ? 3 : 4     # 1-3 in a row, 2x2, 2x3, 3x3, 3x4
rows = (n + cols - 1) / cols
fs = n <= 4 ? 12 : n <= 9 ? 11 : 10          # the terms' font size
char_px = 0.8 * fs                           # DejaVu Sans: wide letters (m, w) allowed for
title_px = 88                                # two lines of title
cell_w = (W - 28) / cols
cell_h = (H - title_px - 8) / rows
# the room for terms: the longest shown, at most 55% of a panel's width
cap = int((0.55 * cell_w - 14) / char_px)
cap = cap > 40 ? 40 : cap
shown(s) = strlen(s) <= cap ? s : s[1:cap - 1] . "…"
longest = 1
do for [i = 1:n] {
	do for [r = 1:value(sprintf("tt_ranks_%d", i))] {
		v = sprintf("tt_term_%d_%d", i, r)
		if (exists(v)) { len = strlen(shown(value(v))); if (len > longest) { longest = len } }
	}
}
label_px = longest * char_px + 16
term_font = sprintf(",%d", fs)
tic_font = n <= 6 ? ",10" : ",9"

# --- one tf-idf scale for every panel: 0 to a round number, 2 to 4 tics ---
nice(x) = (m = 10 ** floor(log10(x)), f = x / m, (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * m)
x_step = nice(tt_max / 3.0)
x_max = ceil(tt_max / x_step - 1e-9) * x_step

# --- titles ---
units = tt_unit eq '' ? 'date bins' : tt_unit . 's'
per = tt_unit eq '' ? 'date bin' : tt_unit
if (tt_n_bins > n) {
	subtitle = sprintf("%d of the %d %s with documents, evenly spaced from %s to %s", n, tt_n_bins, units, tt_first, tt_last)
} else {
	subtitle = n == 1 ? sprintf("the one %s with documents", per) : sprintf("all %d %s with documents", n, units)
	if (tt_n_all > tt_n_bins) { subtitle = subtitle . sprintf(" (%d of %d have none)", tt_n_all - tt_n_bins, tt_n_all) }
}

if (format eq 'svg') {
	set terminal svg size 1200,800 noenhanced font "DejaVu Sans,12" background rgb 'white'
} else {
	set terminal pngcairo size 1200,800 noenhanced font "DejaVu Sans,12"
}
set output sprintf('%s/plots/top_terms_by_day.%s', outdir, format)
set datafile separator whitespace
set multiplot
set label 1 sprintf("Top %d terms by tf-idf per %s — %s", top, per, corpus) at screen 0.5, screen 1 - 24 / H center font ",15"
set label 2 subtitle at screen 0.5, screen 1 - 54 / H center font ",12" tc rgb '#444444'
set style fill solid 0.85 border -1
set xrange [0 : x_max]
set xtics 0, x_step, x_max nomirror out scale 0.5 font tic_font format "%g"
set yrange [top + 0.6 : 0.4]
set grid xtics lc rgb '#e3e3e3'
set border 3
unset key
do for [i = 1:n] {
	c = (i - 1) % cols
	r = (i - 1) / cols
	set lmargin at screen (8 + c * cell_w + label_px) / W
	set rmargin at screen (8 + (c + 1) * cell_w - 24) / W
	set tmargin at screen (H - title_px - r * cell_h - 30) / H
	set bmargin at screen (H - title_px - (r + 1) * cell_h + 38) / H
	set title value(sprintf("tt_title_%d", i)) font ",12" offset 0, -0.5
	set ytics () nomirror scale 0 font term_font
	do for [k = 1:value(sprintf("tt_ranks_%d", i))] {
		v = sprintf("tt_term_%d_%d", i, k)
		if (exists(v)) { set ytics add (shown(value(v)) k) }
	}
	plot $bars index (i - 1) using ($2 / 2):1:($2 / 2):(0.38) with boxxyerror lc rgb '#4e79a7'
	unset label
}
unset multiplot
