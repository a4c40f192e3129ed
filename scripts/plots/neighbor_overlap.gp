# neighbor_overlap.gp - how each focus term's company changes: the Jaccard
# overlap of its top neighbours (by NPMI) in each date bin with those of the
# bin before, one line per term, from OUTDIR/neighbors_by_day.csv (date,
# term, rank, neighbor, npmi, count).  1 = the same neighbours, 0 = none in
# common.  Writes OUTDIR/plots/neighbor_overlap.png.
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/neighbor_overlap.gp
chart = 'neighbor_overlap'
ARG0 = exists("ARG0") ? ARG0 : 'scripts/plots/neighbor_overlap.gp'
load sprintf('%s/common.gp', system(sprintf("dirname '%s'", ARG0)))
file = sprintf('%s/neighbors_by_day.csv', outdir)
load sprintf("< %s -v mode=overlap '%s'", tables, file)

if (n_terms == 0) { print "neighbor_overlap.gp: no neighbours by date"; exit status 1 }
set title sprintf("Overlap of each term's top neighbours with the previous date bin — %s", corpus) font ",14"
set datafile separator whitespace
day = 86400.0
span = strptime("%Y-%m-%d", last_date) - strptime("%Y-%m-%d", first_date)
set xdata time
set timefmt "%Y-%m-%d"
if (span > 6 * 365 * day) { set format x "%Y" } else { if (span > 120 * day) { set format x "%b %Y" } else { set format x "%d %b\n%Y" } }
set xtics nomirror out
if (span <= 14 * day) { set xtics day } else { if (span <= 120 * day) { set xtics 7 * day } }
set yrange [0:1.05]
set ytics 0, 0.2, 1 nomirror
set ylabel "Jaccard overlap of the top neighbours"
set grid ytics lc rgb '#dddddd'
set key outside right top
set offsets graph 0.03, graph 0.03, 0, 0
set style data linespoints
# one curve per term: the data blocks are named in the command, built here
cmd = "plot "
do for [i = 1:n_terms] {
	cmd = cmd . sprintf("$overlap%d using 1:2 title %s lw 2 pt 7 ps 0.8%s", i, value(sprintf('term_literal%d', i)), i < n_terms ? ", " : "")
}
eval cmd
