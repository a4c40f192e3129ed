# top_terms_by_day.gp - the top tf-idf terms of each date bin as horizontal
# bars, one panel per bin, from OUTDIR/top_terms_by_day.csv (date, rank,
# term, tfidf).  At most 12 panels (4 x 3) of 10 terms: with more bins that
# have terms, 12 evenly spaced ones are shown, the first and the last
# included, and the title says so.  Writes OUTDIR/plots/top_terms_by_day.png.
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/top_terms_by_day.gp
chart = 'top_terms_by_day'
ARG0 = exists("ARG0") ? ARG0 : 'scripts/plots/top_terms_by_day.gp'
load sprintf('%s/common.gp', system(sprintf("dirname '%s'", ARG0)))
file = sprintf('%s/top_terms_by_day.csv', outdir)
max_panels = 12
load sprintf("< %s -v mode=panels -v max=%d -v top=10 '%s'", tables, max_panels, file)

if (n_panels == 0) { print "top_terms_by_day.gp: no date bin has terms"; exit status 1 }
cols = n_panels <= 2 ? n_panels : n_panels <= 4 ? 2 : n_panels <= 9 ? 3 : 4
rows = (n_panels + cols - 1) / cols
shown = n_bins_with_terms > n_panels ? sprintf(" (%d of %d bins, evenly spaced)", n_panels, n_bins_with_terms) : ""
set multiplot layout rows, cols title sprintf("Top terms by tf-idf in each date bin — %s%s", corpus, shown) font ",14"
set datafile separator whitespace
set style fill solid 0.8 border -1
set yrange [10.6:0.4]
set xrange [0:*]
set xtics nomirror out font ",9" format "%g"
term_font = n_panels > 6 ? ",9" : ",11"
set ytics nomirror scale 0 font term_font
set grid xtics lc rgb '#e5e5e5'
unset key
set lmargin 16
# a round step that gives two or three labels on a panel's x axis
nice(x) = (m = 10 ** floor(log10(x)), f = x / m, (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * m)
do for [i = 1:n_panels] {
	set title value(sprintf('panel_date%d', i)) font ",11"
	panel_max = value(sprintf('panel_max%d', i))
	if (panel_max > 0) { set xtics 0, nice(panel_max / 2) }
	# a data block is named in the command itself: eval builds it
	eval sprintf("plot $panel%d using ($2 / 2):1:($2 / 2):(0.38):ytic(3) with boxxyerror lc rgb '#4e79a7'", i)
}
unset multiplot
