# drift_by_day.gp - how much each date bin's vocabulary differs from the
# previous bin with documents, over time: the Jensen-Shannon divergence (thick
# line with points; a red ring on the bins whose permutation p-value is below
# 0.05), the Hellinger distance and the cosine distance of the tf-idf
# centroids (thin lines), and the JSD from the first bin (dashed).  Bins
# without documents are grey bands.
#
# Input:  OUTDIR/drift_by_day.csv - date,prev_date,n_docs,n_tokens,jsd,
#         jsd_p_value,hellinger,cosine,jsd_from_first: a row per date bin,
#         empty bins included; empty fields where a measure does not apply
#         (bins without documents, the first bin).  Lines join the bins that
#         have a value, so a comparison across empty bins (with the previous
#         bin that has documents) is one segment.
# Output: OUTDIR/plots/drift_by_day.png (pngcairo 1200x800) or .svg.
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/drift_by_day.gp
# With no bin compared with a previous one (one bin with documents), the
# chart says so over an empty time axis.
chart = 'drift_by_day'
text_mode = 'noenhanced'
ARG0 = exists("ARG0") ? ARG0 : 'scripts/plots/drift_by_day.gp'
load sprintf('%s/common.gp', system(sprintf("dirname '%s'", ARG0)))
file = sprintf('%s/drift_by_day.csv', outdir)
alpha = 0.05
# series 1 jsd, 2 hellinger, 3 cosine, 4 jsd_from_first; empty bins: n_docs 0
load sprintf("< %s -v mode=series -v cols=5,7,8,9 -v empty=3 -v flag=6 -v flag_of=5 -v flag_below=%g '%s'", tables, alpha, file)
if (n_rows == 0) { print "drift_by_day.gp: no date bins in " . file; exit status 1 }

# --- the time axis (every bin, empty ones included) ---
t_min = strptime("%Y-%m-%d", first_date)
t_max = strptime("%Y-%m-%d", last_date)
t_second = n_rows > 1 ? strptime("%Y-%m-%d", second_date) : NaN
n_bins = n_rows
load here . '/timeaxis.gp'
set datafile separator whitespace
set xlabel sprintf("%s (%d %s, %d without documents)", unit eq 'week' ? 'week (first day)' : unit, \
	n_rows, n_rows == 1 ? unit : units, n_empty) offset 0, (two_lines ? -1 : 0)

# --- y: the measures all lie in [0, 1]; the range up to a tenth above the highest ---
y_max = max_value > 0 ? ceil(max_value * 1.08 * 10) / 10.0 : 1
y_max = y_max > 1 ? 1.02 : y_max
set yrange [0 : y_max]
set ytics 0, (y_max > 0.5 ? 0.1 : 0.05) nomirror out
set ylabel "divergence / distance (0 = the same)"
set grid ytics lc rgb '#dddddd'
set border 3

# --- the page: title, subtitle, the key in two rows under them ---
set label 1 sprintf("Drift from the previous %s with documents — %s", unit, corpus) at screen 0.5, screen 0.96 center font ",15"
set label 2 sprintf("%d of %d %s compared; %d with a JSD p-value below %g (permutation test)", \
	series_n1, n_rows, n_rows == 1 ? unit : units, n_flagged, alpha) at screen 0.5, screen 0.925 center tc rgb '#444444'
set key at screen 0.5, screen 0.895 center top horizontal samplen 2.5 width 1 spacing 1.1
set tmargin at screen 0.8
set lmargin 10
set rmargin 4
if (series_n1 == 0 && series_n4 <= 1) {
	set label 3 (n_empty == n_rows ? "no date bin has documents" : "no date bin has a previous bin with documents to compare with") \
		at graph 0.5, graph 0.5 center front font ",14" tc rgb "#666666"
}

# JSD points shrink with many bins; empty bins are full-height bands.  The
# key is drawn first (entries for curves of no points, in reading order) and
# the data after it untitled, so the JSD is drawn over the thin lines.
many = n_rows > 60
pt_size = many ? 0.45 : 0.9
sig_size = many ? 1.7 : 2.2
jsd_style = sprintf("with linespoints lw 2.2 pt 7 ps %g lc rgb '#4e79a7'", pt_size)
sig_style = sprintf("with points pt 6 ps %g lw 2 lc rgb '#e15759'", sig_size)
hel_style = "with lines lw 1 lc rgb '#59a14f'"
cos_style = "with lines lw 1 lc rgb '#b07aa1'"
first_style = "with lines lw 1.5 dt 2 lc rgb '#f28e2b'"
sig_title = sprintf("JSD p < %g (permutation test)%s", alpha, n_flagged > 0 ? '' : ': none')
cmd = "plot NaN " . jsd_style . " title 'JSD with the previous bin', " . \
      "NaN " . sig_style . " title '" . sig_title . "', " . \
      "NaN " . hel_style . " title 'Hellinger distance', " . \
      "NaN " . cos_style . " title 'cosine distance of the tf-idf centroids', " . \
      "NaN " . first_style . " title 'JSD from the first bin'"
if (n_empty > 0) {
	cmd = cmd . sprintf(", $empty using 1:(%g):(%g) with boxes fs solid 1 noborder lc rgb '#ececec' title 'no documents'", y_max, 1.02 * bin_len)
}
cmd = cmd . (series_n2 > 0 ? ", $series2 using 1:2 " . hel_style . " notitle" : "")
cmd = cmd . (series_n3 > 0 ? ", $series3 using 1:2 " . cos_style . " notitle" : "")
cmd = cmd . (series_n4 > 0 ? ", $series4 using 1:2 " . first_style . " notitle" : "")
cmd = cmd . (series_n1 > 0 ? ", $series1 using 1:2 " . jsd_style . " notitle" : "")
cmd = cmd . (n_flagged > 0 ? ", $flagged using 1:2 " . sig_style . " notitle" : "")
eval cmd
