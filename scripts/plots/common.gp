# common.gp - what every chart script shares: the terminal, the output file
# and the CSV conventions.  Loaded by each script after it sets `chart`.
#
# Arguments (gnuplot -e before the script): outdir = the termdrift output
# folder (tables are read from it, the chart goes to outdir/plots/), corpus =
# the analysis name (for titles), format = 'png' (default) or 'svg'.
if (!exists("outdir")) { print "set outdir='FOLDER' with gnuplot -e"; exit status 2 }
if (!exists("corpus")) corpus = 'termdrift'
if (!exists("format")) format = 'png'
# A script may set, before loading this file: page_w, page_h (the page in
# pixels, default 1200x800) and text_mode = 'noenhanced' (terms and labels
# shown as written: no _ ^ @ & ~ { } markup; default 'enhanced').
if (!exists("page_w")) page_w = 1200
if (!exists("page_h")) page_h = 800
if (!exists("text_mode")) text_mode = 'enhanced'
if (format eq 'svg') {
	eval sprintf("set terminal svg size %d,%d dynamic %s font \"DejaVu Sans,12\" background rgb 'white'", page_w, page_h, text_mode)
} else {
	eval sprintf("set terminal pngcairo size %d,%d %s font \"DejaVu Sans,12\"", page_w, page_h, text_mode)
}
set output sprintf('%s/plots/%s.%s', outdir, chart, format)
set datafile separator comma
set encoding utf8
# the awk helper beside this script
here = system(sprintf("dirname '%s'", ARG0))
tables = sprintf("awk -f '%s/tables.awk'", here)
