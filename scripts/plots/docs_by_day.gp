# docs_by_day.gp - documents (bars, left axis) and tokens (line, right axis)
# per date bin, from OUTDIR/docs_by_day.csv (date, n_docs, n_tokens; empty
# bins are rows of zeros, so gaps show).  Writes OUTDIR/plots/docs_by_day.png.
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/docs_by_day.gp
chart = 'docs_by_day'
ARG0 = exists("ARG0") ? ARG0 : 'scripts/plots/docs_by_day.gp'
load sprintf('%s/common.gp', system(sprintf("dirname '%s'", ARG0)))
file = sprintf('%s/docs_by_day.csv', outdir)

stats file using (strptime("%Y-%m-%d", strcol(1))) skip 1 nooutput  # before time mode
t_min = STATS_min
t_max = STATS_max
n_rows = STATS_records
stats file using 2 skip 1 nooutput
max_docs = STATS_max
span = t_max - t_min
day = 86400.0
# a bin's width, from the spacing of the rows (one row per bin)
width = n_rows > 1 ? span / (n_rows - 1) : day
set xdata time
set timefmt "%Y-%m-%d"
set xrange [t_min - width : t_max + width]
if (span > 6 * 365 * day) { set format x "%Y" } else { if (span > 120 * day) { set format x "%b %Y" } else { set format x "%d %b\n%Y" } }
set xtics rotate by 0 out nomirror
set mxtics default

# the title and the key in the top margin, one above the other
set label 1 sprintf("Documents and tokens per %s — %s", width > 300 * day ? "year" : width > 27 * day ? "month" : width > 6 * day ? "week" : "day", corpus) at screen 0.5, screen 0.965 center font ",14"
set ylabel "documents"
set y2label "tokens (stopwords excluded)"
# whole numbers of documents, with room above the highest bar
doc_step = max_docs <= 10 ? 1 : ceil(max_docs / 8.0)
set yrange [0 : max_docs > 0 ? max_docs * 1.1 : 1]
set y2range [0:*]
set ytics nomirror 0, doc_step
set y2tics
set format y "%.0f"
set format y2 "%.0f"
set grid ytics lc rgb '#dddddd'
set tmargin 6
set key at screen 0.5, screen 0.915 center horizontal
if (n_rows > 60) { set style fill solid 0.7 noborder } else { set style fill solid 0.7 border -1 }
set boxwidth width * 0.8 absolute
plot file using 1:2 skip 1 with boxes lc rgb '#4e79a7' title "documents", \
     '' using 1:3 skip 1 axes x1y2 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#e15759' title "tokens"
