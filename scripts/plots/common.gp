# common.gp - what every chart script shares: the terminal, the output file
# and the CSV conventions.  Loaded by each script after it sets `chart`.
#
# Arguments (gnuplot -e before the script): outdir = the termdrift output
# folder (tables are read from it, the chart goes to outdir/plots/), corpus =
# the analysis name (for titles), format = 'png' (default) or 'svg'.
if (!exists("outdir")) { print "set outdir='FOLDER' with gnuplot -e"; exit status 2 }
if (!exists("corpus")) corpus = 'termdrift'
if (!exists("format")) format = 'png'
if (format eq 'svg') {
	set terminal svg size 1200,800 dynamic enhanced font "DejaVu Sans,12" background rgb 'white'
} else {
	set terminal pngcairo size 1200,800 enhanced font "DejaVu Sans,12"
}
set output sprintf('%s/plots/%s.%s', outdir, chart, format)
set datafile separator comma
set encoding utf8
# the awk helper beside this script
here = system(sprintf("dirname '%s'", ARG0))
tables = sprintf("awk -f '%s/tables.awk'", here)
