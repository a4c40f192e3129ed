# tfidf_heatmap.gp - a heatmap of tf-idf: the top terms (rows) by date bin
# (columns, in date order), colour = the term's tf-idf in the bin, with a
# colour box.
#
# Input:  OUTDIR/top_terms_by_day_wide.csv - date,<term1>,<term2>,...: one row
#         per date bin (named by its first day; empty bins included, all
#         zeros), one column per term in the union of the bins' top terms.
#         Read with the awk program below (RFC 4180 header: terms may hold
#         commas, quotes, spaces, any UTF-8 letters; shown as written).
# Output: OUTDIR/plots/tfidf_heatmap.png (pngcairo 1200x800) or .svg.
# Arguments (gnuplot -e, before the script):
#   outdir  the termdrift output folder (required; OUTDIR/plots/ must exist)
#   corpus  the analysis name, put in the title (default 'termdrift')
#   format  'png' (default) or 'svg'
#
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/tfidf_heatmap.gp
#
# Rows: the 25 terms (fewer when the table has fewer) with the highest tf-idf
# summed over all bins, highest at the top (ties: the table's column order).
# Columns: every bin; a bin whose row is all zeros (no documents) is grey,
# a zero tf-idf in a bin with documents is white.  The bin unit is read from
# the spacing of the first two rows (day, week, month, year).  At most 16
# dates label the x axis: round years (every 1, 2, 5, 10, 20, 25, 50...),
# the first of every 1, 2, 3, 6, 12... months, or every k-th bin for days
# and weeks; rotated when they would not fit side by side.
# Prints nothing on success; a gnuplot error exits with status 1.

if (!exists("outdir")) { print "tfidf_heatmap.gp: give the output folder: gnuplot -e \"outdir='DIR'\" tfidf_heatmap.gp"; exit status 2 }
if (!exists("corpus")) { corpus = 'termdrift' }
if (!exists("format")) { format = 'png' }
if (format ne 'png' && format ne 'svg') { print "tfidf_heatmap.gp: format must be 'png' or 'svg', not '" . format . "'"; exit status 2 }

set encoding utf8
max_terms = 25
max_labels = 16

# The awk program: reads the CSV and prints gnuplot commands - the numbers,
# the terms as single-quoted gnuplot strings (a quote doubled, nothing else
# is special in them), the x tics, and the data block $heat: one line per
# term, one value per bin, and a grey rectangle over each run of empty bins.
# The last line, hm_ok = 1, says it read everything.
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
function month_name(m) { return substr("JanFebMarAprMayJunJulAugSepOctNovDec", 3 * m - 2, 3) }
function label(d) {
	if (unit == "year") return substr(d, 1, 4)
	if (unit == "month") return month_name(substr(d, 6, 2) + 0) " " substr(d, 1, 4)
	return d
}
NR == 1 { sub(/\r$/, ""); n_head = split_csv($0, head); next }
{
	sub(/\r$/, "")
	n = split_csv($0, f)
	if (f[1] == "") next
	n_bins++
	date[n_bins] = f[1]
	if (f[1] !~ /-01-01$/) not_year = 1
	if (f[1] !~ /-01$/) not_month = 1
	any = 0
	for (c = 2; c <= n; c++) { v = f[c] + 0; value[n_bins, c] = v; total[c] += v; if (v != 0) any = 1 }
	empty[n_bins] = !any
	n_empty += !any
}
END {
	if (n_bins >= 2) {
		gap = days(date[2]) - days(date[1])
		unit = gap == 1 ? "day" : gap == 7 ? "week" : (gap >= 28 && gap <= 31) ? "month" : (gap >= 365 && gap <= 366) ? "year" : ""
	}
	# the top columns by total, highest first (ties: left first)
	n_terms = 0
	while (n_terms < top) {
		best = 0
		for (c = 2; c <= n_head; c++)
			if (!(c in used) && total[c] > 0 && (best == 0 || total[c] > total[best])) best = c
		if (best == 0) break
		used[best] = 1
		order[++n_terms] = best
	}
	vmax = 0
	printf "$heat << EOD\n"
	for (t = 1; t <= n_terms; t++) {
		line = ""
		for (b = 1; b <= n_bins; b++) {
			v = value[b, order[t]]
			if (v > vmax) vmax = v
			line = line (b > 1 ? " " : "") v
		}
		print line
	}
	printf "EOD\n"
	# runs of empty bins (bins b..b1, drawn at x = b - 1 .. b1 - 1) as grey rectangles
	n_obj = 0
	for (b = 1; b <= n_bins; b++) {
		if (!empty[b] || (b > 1 && empty[b - 1])) continue
		for (b1 = b; b1 < n_bins && empty[b1 + 1]; b1++) ;
		printf "set object %d rectangle from first %g, graph 0 to first %g, graph 1 front fillcolor rgb '#bdbdbd' fillstyle solid 1 noborder\n", 100 + ++n_obj, b - 1.5, b1 - 0.5
	}
	for (t = 1; t <= n_terms; t++) printf "hm_term_%d = %s\n", t, gp_str(head[order[t]])
	printf "hm_unit = %s\nhm_n_terms = %d\nhm_n_bins = %d\nhm_n_empty = %d\nhm_max = %.10g\n", gp_str(unit), n_terms, n_bins, n_empty + 0, vmax
	if (n_bins > 0) printf "hm_first = %s\nhm_last = %s\n", gp_str(label(date[1])), gp_str(label(date[n_bins]))
	# the x labels: at most `labels` of them
	n_lab = 0
	if (unit == "year" && n_bins > labels) {
		y0 = substr(date[1], 1, 4) + 0; y1 = substr(date[n_bins], 1, 4) + 0
		split("1 2 5 10 20 25 50 100 200 250 500 1000", steps, " ")
		for (s = 1; s <= 12; s++) { step = steps[s] + 0; if (int(y1 / step) - int((y0 + step - 1) / step) + 1 <= labels) break }
		for (b = 1; b <= n_bins; b++) if ((substr(date[b], 1, 4) + 0) % step == 0) { lab_at[++n_lab] = b; lab[n_lab] = label(date[b]) }
	} else if (unit == "month" && n_bins > labels) {
		split("1 2 3 6 12 24 60 120 240 600 1200", steps, " ")
		for (s = 1; s <= 11; s++) { step = steps[s] + 0; if (int((n_bins + step - 1) / step) <= labels) break }
		for (b = 1; b <= n_bins; b++) {
			mi = (substr(date[b], 1, 4) + 0) * 12 + substr(date[b], 6, 2) - 1
			if (mi % step == 0) { lab_at[++n_lab] = b; lab[n_lab] = step >= 12 ? substr(date[b], 1, 4) : label(date[b]) }
		}
	} else {
		split(unit == "week" ? "1 2 4 8 13 26 52 104 260 520" : unit == "day" ? "1 2 7 14 28 56 91 182 364 728 1820 3640" : "1 2 5 10 20 50 100 200 500 1000 2000 5000", steps, " ")
		for (s = 1; s <= 12 && (s in steps); s++) { step = steps[s] + 0; if (int((n_bins + step - 1) / step) <= labels) break }
		for (b = 1; b <= n_bins; b += step) { lab_at[++n_lab] = b; lab[n_lab] = label(date[b]) }
	}
	xt = ""; lab_chars = 1
	for (i = 1; i <= n_lab; i++) {
		xt = xt (i > 1 ? ", " : "") gp_str(lab[i]) " " (lab_at[i] - 1)
		if (length(lab[i]) > lab_chars) lab_chars = length(lab[i])
	}
	printf "set xtics (%s)\nhm_n_labels = %d\nhm_label_chars = %d\n", xt, n_lab, lab_chars
	print "hm_ok = 1"
}
EOD

# --- run it: the program and the path single-quoted for the shell ---
shq(s) = "'" . shq_body(s) . "'"
shq_body(s) = strstrt(s, "'") == 0 ? s : s[1:strstrt(s, "'") - 1] . "'\\''" . shq_body(s[strstrt(s, "'") + 1:])
awk_prog = ""
do for [i = 1:|$AWK|] { awk_prog = awk_prog . $AWK[i] . "\n" }
file = outdir . '/top_terms_by_day_wide.csv'
load sprintf("< LC_ALL=C awk -v top=%d -v labels=%d %s %s", max_terms, max_labels, shq(awk_prog), shq(file))
if (!exists("hm_ok")) { print "tfidf_heatmap.gp: cannot read " . file; exit status 1 }
if (hm_n_terms == 0 || hm_n_bins == 0 || hm_max <= 0) { print "tfidf_heatmap.gp: no term has a tf-idf above 0 in " . file; exit status 1 }

# --- the terms on the y axis, cut at 32 characters ---
cap = 32
shown(s) = strlen(s) <= cap ? s : s[1:cap - 1] . "…"
set ytics () nomirror scale 0 font ",11"
do for [t = 1:hm_n_terms] { set ytics add (shown(value(sprintf("hm_term_%d", t))) t - 1) }

# --- titles ---
units = hm_unit eq '' ? 'date bins' : hm_unit . 's'
per = hm_unit eq '' ? 'date bin' : hm_unit
subtitle = sprintf("the %d terms with the highest tf-idf summed over all %d %s (%s to %s), highest at the top", \
	hm_n_terms, hm_n_bins, units, hm_first, hm_last)
if (hm_n_bins == 1) { subtitle = sprintf("the %d terms with the highest tf-idf in the one %s (%s)", hm_n_terms, per, hm_first) }
if (hm_n_empty > 0) { subtitle = subtitle . sprintf("; grey: no documents (%d %s)", hm_n_empty, hm_n_empty == 1 ? per : units) }

if (format eq 'svg') {
	set terminal svg size 1200,800 noenhanced font "DejaVu Sans,12" background rgb 'white'
} else {
	set terminal pngcairo size 1200,800 noenhanced font "DejaVu Sans,12"
}
set output sprintf('%s/plots/tfidf_heatmap.%s', outdir, format)
set label 1 sprintf("tf-idf of the top terms per %s — %s", per, corpus) at screen 0.5, screen 0.965 center font ",15"
set label 2 subtitle at screen 0.5, screen 0.925 center font ",11" tc rgb '#444444'
set tmargin at screen 0.88
set rmargin at screen 0.86

# dates side by side when they fit in the plot's width, else rotated
plot_px = 1200 * 0.86 - 200
rotate = hm_n_labels * (hm_label_chars * 7.5 + 16) > plot_px
if (rotate) {
	set xtics rotate by 45 right nomirror out scale 0.6 font ",10"
	set bmargin 1.5 + 0.5 * hm_label_chars
} else {
	set xtics norotate nomirror out scale 0.6 font ",11"
	set bmargin 3
}
set xrange [-0.5 : hm_n_bins - 0.5]
set yrange [hm_n_terms - 0.5 : -0.5]
# the colour scale from 0 to a round number just above the highest value
nice(x) = (m = 10 ** floor(log10(x)), f = x / m, (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * m)
cb_step = nice(hm_max / 6.0)
set cbrange [0 : ceil(hm_max / cb_step - 1e-9) * cb_step]
set cbtics 0, cb_step
set cbtics out nomirror format '%g'
set cblabel "tf-idf (each bin weighted as one document)" offset 1, 0
set palette defined (0 '#ffffff', 0.15 '#fde0c5', 0.5 '#f08c5b', 1 '#8e1b1b')
set colorbox user origin screen 0.885, graph 0 size screen 0.025, graph 1
set tics front
unset key
plot $heat matrix with image pixels
