# docs_by_day.gp - documents per date bin (bars, left axis) and tokens per
# date bin (line, right axis), over time.
#
# Input:  OUTDIR/docs_by_day.csv - date,n_docs,n_tokens: one row per date bin
#         (named by its first day, YYYY-MM-DD; the bin is a day, week, month
#         or year) from the first to the last dated document, empty bins
#         included with zeros.  Up to 400 bins, each empty bin is a grey
#         band behind the bars, so a gap shows even among hundreds of bins;
#         above that (a bin narrower than a pixel) documents are impulses
#         and an empty bin is a gap between them.  The x label gives the
#         number of bins and of empty bins.
# Output: OUTDIR/plots/docs_by_day.png (pngcairo 1200x800) or .svg.
# Arguments (gnuplot -e, before the script):
#   outdir  the termdrift output folder (required; OUTDIR/plots/ must exist)
#   corpus  the analysis name, put in the title (default 'termdrift')
#   format  'png' (default) or 'svg'
#
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/docs_by_day.gp
#
# The bin unit (day, week, month, year) is read from the spacing of the first
# two rows (one row: "date bin").  The x axis is time (set xdata time); its
# labels are placed by this script, at most 12: for day and week bins, spans
# up to 180 days at whole days (every 1, 2, 3, 7, 14 or 28 days from the
# first bin; 7, 14, 28... for weeks); for month bins and spans up to 8 years
# at the first of the month (every 1, 2, 3, 6 or 12 months); for year bins and
# longer spans at round years (every 1, 2, 5, 10, 20, 25, 50...).
# The year is written under the first label and under each January / new year.
# Prints nothing on success; a gnuplot error exits with status 1.

if (!exists("outdir")) { print "docs_by_day.gp: give the output folder: gnuplot -e \"outdir='DIR'\" docs_by_day.gp"; exit status 2 }
if (!exists("corpus")) { corpus = 'termdrift' }
if (!exists("format")) { format = 'png' }
if (format ne 'png' && format ne 'svg') { print "docs_by_day.gp: format must be 'png' or 'svg', not '" . format . "'"; exit status 2 }

set encoding utf8
set datafile separator comma
file = outdir . '/docs_by_day.csv'
day = 86400.0
shq(s) = "'" . shq_body(s) . "'"
shq_body(s) = strstrt(s, "'") == 0 ? s : s[1:strstrt(s, "'") - 1] . "'\\''" . shq_body(s[strstrt(s, "'") + 1:])
if (system("test -r " . shq(file) . " && echo 1 || echo 0") + 0 == 0) { print "docs_by_day.gp: cannot read " . file; exit status 1 }

# --- the data: dates as seconds, the first two dates (for the bin unit) ---
t_first = NaN
t_second = NaN
note_time(t) = (t_first != t_first ? t_first = t : t_second != t_second ? t_second = t : 0, t)
stats file skip 1 using (note_time(strptime("%Y-%m-%d", strcol(1)))) nooutput
if (!exists("STATS_min")) { print "docs_by_day.gp: no dated rows in " . file; exit status 1 }
t_min = STATS_min
t_max = STATS_max
n_bins = STATS_records
stats file skip 1 using 2 nooutput
max_docs = STATS_max
stats file skip 1 using ($2 == 0 ? 1 : 0) nooutput
n_empty = int(STATS_sum)
stats file skip 1 using 3 nooutput
max_tokens = STATS_max

# --- the bin unit and its length ---
gap = n_bins > 1 ? (t_second - t_first) / day : 0
unit = gap == 1 ? 'day' : gap == 7 ? 'week' : (gap >= 28 && gap <= 31) ? 'month' : (gap >= 365 && gap <= 366) ? 'year' : 'date bin'
bin_len = unit eq 'day' ? day : unit eq 'week' ? 7 * day : unit eq 'month' ? 30.44 * day : unit eq 'year' ? 365.25 * day : \
          n_bins > 1 ? (t_max - t_min) / (n_bins - 1) : day
span_days = (t_max - t_min) / day

# a round step (1, 2, 2.5, 5 times a power of ten) of at least x
nice(x) = (m = 10 ** floor(log10(x)), f = x / m, (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * m)
max_labels = 12
month_abbr(mo) = word("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", int(mo) + 1)
ymd(y, mo) = strptime("%Y-%m-%d", sprintf("%04d-%02d-01", y, mo + 1))

# --- x tics: built here so they fall on whole days, months or years ---
set xdata time
set timefmt "%Y-%m-%d"
set xrange [t_min - 0.6 * bin_len : t_max + 0.6 * bin_len]
set xtics () out nomirror
# year bins: always years; month bins: months up to 8 years; else by the span
mode = unit eq 'year' ? 'years' : unit eq 'month' ? (span_days <= 8 * 366 ? 'months' : 'years') : \
       span_days <= 180 ? 'days' : span_days <= 8 * 366 ? 'months' : 'years'
if (mode eq 'days') {
	# days: every `step` days from the first bin (multiples of 7 for weeks);
	# the year under the first label and under the first of each new year
	steps = unit eq 'week' ? "7 14 28 56" : "1 2 3 7 14 28"
	step = 0
	do for [s in steps] { if (step == 0 && floor(span_days / s) + 1 <= max_labels) { step = s + 0 } }
	if (step == 0) { step = 28 }
	last_year = -1
	do for [k = 0 : int(span_days / step)] {
		t = t_min + k * step * day
		lab = sprintf("%d %s", tm_mday(t), month_abbr(tm_mon(t)))
		if (tm_year(t) != last_year) { lab = lab . "\n" . sprintf("%d", tm_year(t)); last_year = tm_year(t) }
		set xtics add (lab t)
	}
} else {
	if (mode eq 'months') {
		# months: the first of every `step` months (Jan, Apr, Jul, Oct for 3);
		# the year under January and under the first label
		y0 = int(tm_year(t_min))
		m0 = int(tm_mon(t_min))
		n_months = (tm_year(t_max) - y0) * 12 + tm_mon(t_max) - m0
		step = 0
		do for [s in "1 2 3 6 12"] { if (step == 0 && n_months / s + 1 <= max_labels) { step = s + 0 } }
		if (step == 0) { step = 24 }
		first = 1
		do for [k = 0 : n_months + 1] {
			mo = (m0 + k) % 12
			y = y0 + (m0 + k) / 12
			t = ymd(y, mo)
			if (mo % step == 0 && t >= t_min - 0.5 * bin_len && t <= t_max + 0.5 * bin_len) {
				lab = step == 12 ? sprintf("%d", y) : (mo == 0 || first) ? month_abbr(mo) . "\n" . sprintf("%d", y) : month_abbr(mo)
				set xtics add (lab t)
				first = 0
			}
		}
	} else {
		# years: round years, every `step`
		y0 = int(tm_year(t_min))
		y1 = int(tm_year(t_max))
		step = nice((y1 - y0) / (max_labels - 1.0))
		step = step < 1 ? 1 : step
		do for [y = int(ceil(y0 / step) * step) : y1 : int(step)] {
			set xtics add (sprintf("%d", y) ymd(y, 0))
		}
	}
}
# under labels of two lines (a year under a day or month), the x label goes lower
two_lines = mode eq 'days' || (mode eq 'months' && step != 12)
set xlabel sprintf("%s (%d %s%s, %d without documents)", \
	unit eq 'date bin' ? 'date' : unit eq 'week' ? 'week (first day)' : unit, \
	n_bins, unit eq 'date bin' ? 'bin' : unit, n_bins == 1 ? '' : 's', n_empty) offset 0, (two_lines ? -1 : 0)

# --- y axes: whole numbers of documents on the left, tokens on the right ---
doc_step = max_docs <= 10 ? 1 : nice(max_docs / 8.0)
set yrange [0 : max_docs > 0 ? max_docs * 1.12 : 1]
set ytics 0, doc_step nomirror out
set format y "%.0f"
set ylabel "documents"
# tokens in thousands or millions when they run to six digits or more
tok_scale = max_tokens >= 1e8 ? 1e6 : max_tokens >= 1e5 ? 1e3 : 1
set y2range [0 : max_tokens > 0 ? max_tokens * 1.12 / tok_scale : 1]
set y2tics nomirror out
set format y2 "%.0f"
set y2label (tok_scale == 1e6 ? "tokens (millions)" : tok_scale == 1e3 ? "tokens (thousands)" : "tokens")
set grid ytics lc rgb '#dddddd'

# --- the page: title, key on one line under it ---
if (format eq 'svg') {
	set terminal svg size 1200,800 noenhanced font "DejaVu Sans,12" background rgb 'white'
} else {
	set terminal pngcairo size 1200,800 noenhanced font "DejaVu Sans,12"
}
set output sprintf('%s/plots/docs_by_day.%s', outdir, format)
set label 1 sprintf("Documents and tokens per %s — %s", unit, corpus) at screen 0.5, screen 0.955 center font ",15"
set key at screen 0.5, screen 0.9 center horizontal samplen 2 width 2
set tmargin at screen 0.86
set lmargin 10
set rmargin 12
set border 11 lw 1
# bars with gaps between them; touching, without borders, when they are many
set style fill solid 0.75 border -1
set boxwidth 0.8 * bin_len absolute
if (n_bins > 60) { set style fill solid 0.75 noborder; set boxwidth 1.04 * bin_len absolute }
# Empty bins: full-height grey bands behind the bars (zero-height, and no key
# entry, when there are none).  Above 400 bins a bin is narrower than a pixel:
# documents are drawn as impulses (an empty bin is a gap between them), the
# bands are left out and the tokens line is thin and half transparent.
band = max_docs * 1.12 + 1
if (n_bins <= 100) {
	plot file skip 1 using 1:($2 == 0 ? band : 0) with boxes fs solid 1 noborder lc rgb '#e6e6e6' \
		title (n_empty > 0 ? "no documents" : ""), \
	     '' skip 1 using 1:2 with boxes lc rgb '#4e79a7' title "documents", \
	     '' skip 1 using 1:($3 / tok_scale) axes x1y2 with linespoints lw 2 pt 7 ps 0.8 lc rgb '#e15759' title "tokens"
} else {
	if (n_bins <= 400) {
		plot file skip 1 using 1:($2 == 0 ? band : 0) with boxes fs solid 1 noborder lc rgb '#d9d9d9' \
			title (n_empty > 0 ? "no documents" : ""), \
		     '' skip 1 using 1:2 with boxes lc rgb '#4e79a7' title "documents", \
		     '' skip 1 using 1:($3 / tok_scale) axes x1y2 with lines lw 1.5 lc rgb '#e15759' title "tokens"
	} else {
		plot file skip 1 using 1:2 with impulses lw 1 lc rgb '#4e79a7' title "documents", \
		     '' skip 1 using 1:($3 / tok_scale) axes x1y2 with lines lw 1 lc rgb '#80e15759' title "tokens"
	}
}
