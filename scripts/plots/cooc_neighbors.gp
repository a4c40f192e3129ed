# cooc_neighbors.gp - each focus term's top neighbours by NPMI as horizontal
# bars, one panel per term (at most 12, in the order of neighbors.csv: the
# --target terms, or the most frequent), from OUTDIR/neighbors.csv (term,
# measure, rank, neighbor, score, count).  Writes OUTDIR/plots/cooc_neighbors.png.
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/cooc_neighbors.gp
chart = 'cooc_neighbors'
ARG0 = exists("ARG0") ? ARG0 : 'scripts/plots/cooc_neighbors.gp'
load sprintf('%s/common.gp', system(sprintf("dirname '%s'", ARG0)))
file = sprintf('%s/neighbors.csv', outdir)
load sprintf("< %s -v mode=panels -v filter=npmi -v key=1 -v rank=3 -v label=4 -v score=5 -v max=12 -v top=10 '%s'", tables, file)

if (n_panels == 0) { print "cooc_neighbors.gp: no neighbours"; exit status 1 }
cols = n_panels <= 2 ? n_panels : n_panels <= 4 ? 2 : n_panels <= 9 ? 3 : 4
rows = (n_panels + cols - 1) / cols
shown = n_bins_with_terms > n_panels ? sprintf(" (%d of %d terms)", n_panels, n_bins_with_terms) : ""
set multiplot layout rows, cols title sprintf("Nearest neighbours by NPMI (co-occurrence) — %s%s", corpus, shown) font ",14"
set datafile separator whitespace
set style fill solid 0.8 border -1
set yrange [10.6:0.4]
set xtics nomirror out font ",9" format "%g"
term_font = n_panels > 6 ? ",9" : ",11"
set ytics nomirror scale 0 font term_font
set grid xtics lc rgb '#e5e5e5'
unset key
set lmargin 16
nice(x) = (m = 10 ** floor(log10(x)), f = x / m, (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * m)
do for [i = 1:n_panels] {
	set title value(sprintf('panel_date%d', i)) font ",11"
	panel_max = value(sprintf('panel_max%d', i))
	set xrange [0 : panel_max > 0 ? panel_max * 1.05 : 1]
	if (panel_max > 0) { set xtics 0, nice(panel_max / 2) }
	eval sprintf("plot $panel%d using ($2 / 2):1:($2 / 2):(0.38):ytic(3) with boxxyerror lc rgb '#59a14f'", i)
}
unset multiplot
