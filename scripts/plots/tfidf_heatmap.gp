# tfidf_heatmap.gp - tf-idf of the top terms (rows: the 25 with the highest
# tf-idf summed over the bins, highest at the top) by date bin (columns),
# from OUTDIR/top_terms_by_day_wide.csv (date, then one column per term).
# Empty bins are white columns; at most 24 dates label the x axis.
# Writes OUTDIR/plots/tfidf_heatmap.png.
#   gnuplot -e "outdir='output/seeds'; corpus='seeds'; format='png'" scripts/plots/tfidf_heatmap.gp
chart = 'tfidf_heatmap'
ARG0 = exists("ARG0") ? ARG0 : 'scripts/plots/tfidf_heatmap.gp'
load sprintf('%s/common.gp', system(sprintf("dirname '%s'", ARG0)))
file = sprintf('%s/top_terms_by_day_wide.csv', outdir)
load sprintf("< %s -v mode=heatmap -v top=25 -v labels=24 '%s'", tables, file)

if (n_terms == 0 || n_bins == 0) { print "tfidf_heatmap.gp: no terms"; exit status 1 }
set title sprintf("tf-idf of the top %d terms by date bin — %s", n_terms, corpus) font ",14"
set datafile separator whitespace
set xrange [-0.5 : n_bins - 0.5]
set yrange [n_terms - 0.5 : -0.5]
set xtics rotate by 45 right nomirror out font ",10"
set ytics nomirror scale 0 font ",11"
set palette defined (0 '#ffffff', 0.15 '#fde0c5', 0.5 '#f08c5b', 1 '#8e1b1b')
set cbrange [0:*]
set cblabel "tf-idf (bin as a document)"
set lmargin 20
set bmargin 7
set tics front
unset key
plot $heat matrix with image pixels
