# timeaxis.gp - a time x axis for the charts over date bins (the tic rules of
# docs_by_day.gp).  Loaded by a chart script (load here . '/timeaxis.gp')
# after it has set, from its table's rows (every bin, empty ones included):
#   t_min, t_max   the first and the last bin (seconds, strptime)
#   n_bins         the number of rows
#   t_second       the second row's date (seconds; NaN when one row)
# Sets: xdata time with timefmt %Y-%m-%d, the x range (half a bin of room on
# each side), at most max_labels (default 12) x tics on whole days, months or
# years, and the variables unit ('day', 'week', 'month', 'year' or 'date
# bin', from the spacing of the first two rows), units (its plural), bin_len
# (seconds) and two_lines (1 when tic labels have a second line, the year).
day = 86400.0
if (!exists("max_labels")) max_labels = 12
ta_gap = n_bins > 1 && t_second == t_second ? (t_second - t_min) / day : 0
unit = ta_gap == 1 ? 'day' : ta_gap == 7 ? 'week' : (ta_gap >= 28 && ta_gap <= 31) ? 'month' : (ta_gap >= 365 && ta_gap <= 366) ? 'year' : 'date bin'
units = unit . 's'
bin_len = unit eq 'day' ? day : unit eq 'week' ? 7 * day : unit eq 'month' ? 30.44 * day : unit eq 'year' ? 365.25 * day : \
          n_bins > 1 ? (t_max - t_min) / (n_bins - 1) : day
bin_len = bin_len > 0 ? bin_len : day
span_days = (t_max - t_min) / day

ta_nice(x) = (ta_m = 10 ** floor(log10(x)), ta_f = x / ta_m, (ta_f <= 1 ? 1 : ta_f <= 2 ? 2 : ta_f <= 2.5 ? 2.5 : ta_f <= 5 ? 5 : 10) * ta_m)
ta_month(mo) = word("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", int(mo) + 1)
ta_ymd(y, mo) = strptime("%Y-%m-%d", sprintf("%04d-%02d-01", y, mo + 1))

set xdata time
set timefmt "%Y-%m-%d"
set xrange [t_min - 0.6 * bin_len : t_max + 0.6 * bin_len]
set xtics () out nomirror
ta_mode = unit eq 'year' ? 'years' : unit eq 'month' ? (span_days <= 8 * 366 ? 'months' : 'years') : \
          span_days <= 180 ? 'days' : span_days <= 8 * 366 ? 'months' : 'years'
ta_step = 0
if (ta_mode eq 'days') {
	# every ta_step days from the first bin; the year under the first label
	# and under the first label of each new year
	ta_steps = unit eq 'week' ? "7 14 28 56" : "1 2 3 7 14 28"
	do for [ta_s in ta_steps] { if (ta_step == 0 && floor(span_days / ta_s) + 1 <= max_labels) { ta_step = ta_s + 0 } }
	if (ta_step == 0) { ta_step = 28 }
	ta_last_year = -1
	do for [ta_k = 0 : int(span_days / ta_step)] {
		ta_t = t_min + ta_k * ta_step * day
		ta_lab = sprintf("%d %s", tm_mday(ta_t), ta_month(tm_mon(ta_t)))
		if (tm_year(ta_t) != ta_last_year) { ta_lab = ta_lab . "\n" . sprintf("%d", tm_year(ta_t)); ta_last_year = tm_year(ta_t) }
		set xtics add (ta_lab ta_t)
	}
} else {
	if (ta_mode eq 'months') {
		# the first of every ta_step months; the year under January and the first label
		ta_y0 = int(tm_year(t_min))
		ta_m0 = int(tm_mon(t_min))
		ta_n_months = (tm_year(t_max) - ta_y0) * 12 + tm_mon(t_max) - ta_m0
		do for [ta_s in "1 2 3 6 12"] { if (ta_step == 0 && ta_n_months / ta_s + 1 <= max_labels) { ta_step = ta_s + 0 } }
		if (ta_step == 0) { ta_step = 24 }
		ta_first = 1
		do for [ta_k = 0 : ta_n_months + 1] {
			ta_mo = (ta_m0 + ta_k) % 12
			ta_y = ta_y0 + (ta_m0 + ta_k) / 12
			ta_t = ta_ymd(ta_y, ta_mo)
			if (ta_mo % ta_step == 0 && ta_t >= t_min - 0.5 * bin_len && ta_t <= t_max + 0.5 * bin_len) {
				ta_lab = ta_step == 12 ? sprintf("%d", ta_y) : (ta_mo == 0 || ta_first) ? ta_month(ta_mo) . "\n" . sprintf("%d", ta_y) : ta_month(ta_mo)
				set xtics add (ta_lab ta_t)
				ta_first = 0
			}
		}
	} else {
		# round years, every ta_step
		ta_y0 = int(tm_year(t_min))
		ta_y1 = int(tm_year(t_max))
		ta_step = ta_y1 > ta_y0 ? ta_nice((ta_y1 - ta_y0) / (max_labels - 1.0)) : 1
		ta_step = ta_step < 1 ? 1 : ta_step
		do for [ta_y = int(ceil(ta_y0 / ta_step) * ta_step) : ta_y1 : int(ta_step)] {
			set xtics add (sprintf("%d", ta_y) ta_ymd(ta_y, 0))
		}
	}
}
two_lines = ta_mode eq 'days' || (ta_mode eq 'months' && ta_step != 12)
