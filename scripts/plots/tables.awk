# tables.awk - turns termdrift's CSV tables into gnuplot commands and data
# blocks, for the chart scripts beside it (load '< awk -f tables.awk ...').
# POSIX awk (mawk or gawk): CSV fields are split here, quotes included, since
# terms may hold commas ("46,000") and quotes.
#
#   -v mode=panels -v max=12 -v top=10 -v filter=npmi -v key=1 -v rank=3 -v label=4 -v score=5 neighbors.csv
#       a panel per value of column `key` (at most max of them, evenly
#       spaced, the first and the last included), from the rows whose column
#       2 is the filter (if given): n_panels, panel_date<i> (the panel's
#       name), panel_max<i> and the data blocks $panel<i> with lines
#       "rank score label"; default columns key 1, rank 2, label 3, score 4
#   -v mode=overlap neighbors_by_day.csv
#       for each term, the Jaccard overlap of its neighbours in each bin with
#       those of the bin before (where it has any): n_terms, term<i> and the
#       data blocks $overlap<i> with lines "date overlap"
#   -v mode=series [-v cols=5,7] [-v empty=3] [-v flag=6 -v flag_of=5 -v flag_below=0.05] table.csv
#       a table with a date (YYYY-MM-DD) in column 1 and a row per bin: one
#       series per column in cols (default every column after the date),
#       empty cells left out: n_rows, first_date, second_date, last_date,
#       n_series, series_name<i> (the header), series_n<i>, series_max<i>,
#       max_value and the data blocks $series<i> with lines "date value".
#       Empty bins (column `empty` is 0, or without it every cell of cols
#       is empty): n_empty and $empty with lines "date".  With flag: the
#       rows whose column flag is below flag_below, as lines "date value of
#       column flag_of" in $flagged (n_flagged of n_flaggable rows with a
#       value in column flag).  With -v smooth=K (odd): also $smooth<i>,
#       the centred moving average of each series over K of its values
#       (fewer at the ends), as lines "date mean".
#   -v mode=stack table_wide.csv
#       a wide table (date, then a column per series, empty cells in empty
#       bins) stacked for bars: n_rows, first_date, second_date, last_date,
#       n_series, series_name<i>, n_empty, $empty ("date"), stack_max and
#       $stack with a line per bin with values "date top1 top2 ..." where
#       top<i> is the sum of the values of series i to n_series (so series 1
#       is drawn on top of the stack, series n_series at the bottom)
#   -v mode=rising -v max=12 -v top=5 term_trends.csv
#       the bins with a z_vs_prev (column 6): the last max of them, and in
#       each its top rising (z > 0, highest first) and falling (z < 0,
#       the lowest last) terms: n_compared, n_panels, unit ('year', 'month'
#       or 'day', from the dates), panel_title<i> ("DATE vs PREVIOUS"),
#       panel_max<i> (largest |z|), panel_rising<i>, panel_falling<i>,
#       first_compared, last_compared and the data blocks $panel<i> with
#       lines "y z term": rising terms at y = 1..rising, falling ones at
#       y = 2 top + 1 - falling .. 2 top (the lowest z at the bottom)
#   -v mode=topicheat -v topics=6 -v terms=8 -v bins=20 [-v summary=topic_summary.csv] topic_terms_by_day.csv
#       the first `topics` topics (by number) over the last `bins` dates of
#       the table, each with its `terms` terms of highest summed weight over
#       those dates: n_topics, n_dates, n_panels, n_cols, unit, col_label<j>,
#       panel_title<i> (topic number and, from summary, its label),
#       panel_rows<i>, panel_term<i>_<r>, heat_max and the data blocks
#       $heat<i> with lines "column row weight" for the full grid (0 where
#       the term is not among the topic's top terms of that bin, NaN where
#       the topic has no terms in the bin)

# Splits a CSV line into f[1..n] (RFC 4180 quotes); returns n.
function split_csv(line, f,    n, i, c, field, quoted) {
	if (index(line, "\"") == 0) return split(line, f, ",")  # no quotes: the fast way
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

# A string as a gnuplot single-quoted literal.
function gp_str(s) {
	gsub(/'/, "''", s)
	return "'" s "'"
}

# A string as a gnuplot double-quoted literal (backslashes and quotes escaped).
function gp_dq(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}

# A term as a double-quoted field of a data block (no quotes inside).
function data_str(s) {
	gsub(/"/, "'", s)
	return "\"" s "\""
}

NR == 1 { sub(/\r$/, ""); n_head = split_csv($0, head); next }

mode == "panels" {
	sub(/\r$/, "")
	split_csv($0, f)
	kc = key ? key : 1; rc = rank ? rank : 2; lc = label ? label : 3; sc = score ? score : 4
	if (filter != "" && f[2] != filter) next
	if (!(f[kc] in seen)) { seen[f[kc]] = ++n_dates; dates[n_dates] = f[kc] }
	d = seen[f[kc]]
	if (f[rc] + 0 <= top) {
		rows[d] = rows[d] f[rc] " " f[sc] " " data_str(f[lc]) "\n"
		if (f[sc] + 0 > row_max[d]) row_max[d] = f[sc] + 0
	}
}

mode == "overlap" {
	sub(/\r$/, "")
	split_csv($0, f)
	if (!(f[2] in term_no)) { term_no[f[2]] = ++n_terms; term_name[n_terms] = f[2] }
	if (first_date == "" || f[1] < first_date) first_date = f[1]
	if (f[1] > last_date) last_date = f[1]
	t = term_no[f[2]]
	if (f[1] != term_last_date[t]) {  # a new bin for this term: close the previous one
		if (term_last_date[t] != "") close_bin(t)
		term_last_date[t] = f[1]
		n_cur[t] = 0
	}
	cur[t, ++n_cur[t]] = f[4]
}

# Ends term t's current bin: its overlap with the bin before, then it
# becomes the bin before.
function close_bin(t,    i, j, common, all) {
	if (n_prev[t] > 0) {
		common = 0
		for (i = 1; i <= n_cur[t]; i++)
			for (j = 1; j <= n_prev[t]; j++)
				if (cur[t, i] == prev[t, j]) { common++; break }
		all = n_cur[t] + n_prev[t] - common
		series[t] = series[t] term_last_date[t] " " (all ? common / all : 0) "\n"
	}
	for (i = 1; i <= n_cur[t]; i++) prev[t, i] = cur[t, i]
	n_prev[t] = n_cur[t]
}

# The label of a date for a unit: 1862, Mar 1862, 1862-03-05.
function date_label(d, unit,    m) {
	if (unit == "year") return substr(d, 1, 4)
	if (unit == "month") { m = substr(d, 6, 2) + 0; return substr("JanFebMarAprMayJunJulAugSepOctNovDec", 3 * m - 2, 3) " " substr(d, 1, 4) }
	return d
}

# The unit of a list of dates d[1..n]: year when all fall on 1 January,
# month when all on the 1st (and n > 1), else day.
function dates_unit(d, n,    i, not_year, not_month) {
	for (i = 1; i <= n; i++) {
		if (d[i] !~ /-01-01$/) not_year = 1
		if (d[i] !~ /-01$/) not_month = 1
	}
	return n > 1 && !not_year ? "year" : n > 1 && !not_month ? "month" : "day"
}

# The columns of mode series or stack: cols (a comma list) or all after the date.
function pick_columns(    n, i, c) {
	n_sel = 0
	if (cols != "") {
		n = split(cols, c, ",")
		for (i = 1; i <= n; i++) if (c[i] + 0 >= 2) sel[++n_sel] = c[i] + 0
	} else for (i = 2; i <= n_head; i++) sel[++n_sel] = i
	picked = 1
}

# Notes a row's date (modes series and stack).
function note_row(d) {
	n_rows++
	if (n_rows == 1) first_date = d
	if (n_rows == 2) second_date = d
	last_date = d
}

mode == "series" {
	sub(/\r$/, "")
	n = split_csv($0, f)
	if (f[1] == "") next
	if (!picked) pick_columns()
	note_row(f[1])
	any = 0
	for (i = 1; i <= n_sel; i++) {
		v = f[sel[i]]
		if (sel[i] > n || v == "") continue
		any = 1
		series[i] = series[i] f[1] " " (v + 0) "\n"
		series_n[i]++
		if (smooth) { sv_date[i, series_n[i]] = f[1]; sv_value[i, series_n[i]] = v + 0 }
		if (series_n[i] == 1 || v + 0 > series_max[i]) series_max[i] = v + 0
		if (!has_max || v + 0 > max_value) { max_value = v + 0; has_max = 1 }
	}
	if (empty ? (f[empty] + 0 == 0) : !any) { n_empty++; empties = empties f[1] "\n" }
	if (flag && f[flag] != "") {
		n_flaggable++
		if (f[flag] + 0 < flag_below && f[flag_of] != "") { n_flagged++; flagged = flagged f[1] " " (f[flag_of] + 0) "\n" }
	}
}

mode == "stack" {
	sub(/\r$/, "")
	n = split_csv($0, f)
	if (f[1] == "") next
	if (!picked) pick_columns()
	note_row(f[1])
	any = 0
	for (i = 1; i <= n_sel; i++) if (sel[i] <= n && f[sel[i]] != "") any = 1
	if (!any) { n_empty++; empties = empties f[1] "\n"; next }
	line = ""; sum = 0
	for (i = n_sel; i >= 1; i--) {
		v = f[sel[i]] + 0
		sum += v > 0 ? v : 0
		line = " " sum line
	}
	if (sum > stack_max) stack_max = sum
	stack = stack f[1] line "\n"
}

mode == "rising" {
	sub(/\r$/, "")
	split_csv($0, f)
	if (f[1] == "") next
	if (!(f[1] in date_no)) { date_no[f[1]] = ++n_dates; dates[n_dates] = f[1] }
	if (f[6] == "") next
	d = date_no[f[1]]
	if (!compared[d]) { compared[d] = 1; n_compared++ }
	z = f[6] + 0
	k0 = top ? top : 5
	if (z > 0) {         # the top k0 by z, highest first
		for (k = n_up[d]; k >= 1 && up_z[d, k] < z; k--)
			if (k < k0) { up_z[d, k + 1] = up_z[d, k]; up_t[d, k + 1] = up_t[d, k] }
		if (k < k0) { up_z[d, k + 1] = z; up_t[d, k + 1] = f[2]; if (n_up[d] < k0) n_up[d]++ }
	} else if (z < 0) {  # the bottom k0 by z, lowest first
		for (k = n_down[d]; k >= 1 && down_z[d, k] > z; k--)
			if (k < k0) { down_z[d, k + 1] = down_z[d, k]; down_t[d, k + 1] = down_t[d, k] }
		if (k < k0) { down_z[d, k + 1] = z; down_t[d, k + 1] = f[2]; if (n_down[d] < k0) n_down[d]++ }
	}
}

mode == "topicheat" {
	sub(/\r$/, "")
	split_csv($0, f)
	if (f[1] == "" || f[2] == "" || f[4] == "") next
	if (!(f[1] in date_no)) { date_no[f[1]] = ++n_dates; dates[n_dates] = f[1] }
	t = f[2] + 0
	if (!(t in topic_seen)) { topic_seen[t] = 1; topic_ids[++n_topics] = t }
	d = date_no[f[1]]
	present[t, d] = 1
	if (!((t, f[4]) in term_no)) { term_no[t, f[4]] = ++n_terms_of[t]; term_of[t, n_terms_of[t]] = f[4] }
	weight[t, d, term_no[t, f[4]]] += f[5] + 0
}

END {
	if (mode == "series") {
		printf "n_rows = %d\nfirst_date = %s\nsecond_date = %s\nlast_date = %s\n", n_rows, gp_str(first_date), gp_str(second_date), gp_str(last_date)
		printf "n_series = %d\nmax_value = %.10g\n", n_sel, max_value
		for (i = 1; i <= n_sel; i++) {
			printf "series_name%d = %s\nseries_n%d = %d\nseries_max%d = %.10g\n", i, gp_str(head[sel[i]]), i, series_n[i], i, series_max[i]
			printf "$series%d << EOD\n%sEOD\n", i, series[i]
			if (smooth) {
				h = int(smooth / 2); block = ""
				for (j = 1; j <= series_n[i]; j++) {
					sum = 0; cnt = 0
					for (k = j - h; k <= j + h; k++) if (k >= 1 && k <= series_n[i]) { sum += sv_value[i, k]; cnt++ }
					block = block sv_date[i, j] " " sum / cnt "\n"
				}
				printf "$smooth%d << EOD\n%sEOD\n", i, block
			}
		}
		printf "n_empty = %d\n$empty << EOD\n%sEOD\n", n_empty, empties
		printf "n_flagged = %d\nn_flaggable = %d\n$flagged << EOD\n%sEOD\n", n_flagged, n_flaggable, flagged
	}
	if (mode == "stack") {
		if (!picked) pick_columns()
		printf "n_rows = %d\nfirst_date = %s\nsecond_date = %s\nlast_date = %s\n", n_rows, gp_str(first_date), gp_str(second_date), gp_str(last_date)
		printf "n_series = %d\nstack_max = %.10g\n", n_sel, stack_max
		for (i = 1; i <= n_sel; i++) printf "series_name%d = %s\n", i, gp_str(head[sel[i]])
		printf "n_empty = %d\n$empty << EOD\n%sEOD\n", n_empty, empties
		printf "$stack << EOD\n%sEOD\n", stack
	}
	if (mode == "rising") {
		for (d = 1; d <= n_dates; d++) dd[d] = dates[d]
		u = dates_unit(dd, n_dates)
		m = max ? max : 12; k0 = top ? top : 5
		n = n_compared < m ? n_compared : m
		printf "n_compared = %d\nn_panels = %d\nunit = %s\n", n_compared, n, gp_str(u)
		i = 0; skip = n_compared - n
		for (d = 1; d <= n_dates; d++) {
			if (compared[d] && i == 0 && skip == 0) printf "first_compared = %s\n", gp_str(date_label(dates[d], u))
			if (compared[d] && skip-- <= 0) {
				i++
				printf "panel_title%d = %s\n", i, gp_str(date_label(dates[d], u) (d > 1 ? " vs " date_label(dates[d - 1], u) : ""))
				pm = 0; block = ""
				for (k = 1; k <= n_up[d]; k++) {
					block = block k " " up_z[d, k] " " data_str(up_t[d, k]) "\n"
					if (up_z[d, k] > pm) pm = up_z[d, k]
				}
				for (k = n_down[d]; k >= 1; k--) {  # the least falling first, the most falling at the bottom
					block = block (2 * k0 + 1 - k) " " down_z[d, k] " " data_str(down_t[d, k]) "\n"
					if (-down_z[d, k] > pm) pm = -down_z[d, k]
				}
				printf "panel_rising%d = %d\npanel_falling%d = %d\npanel_max%d = %.10g\n", i, n_up[d], i, n_down[d], i, pm
				printf "$panel%d << EOD\n%sEOD\n", i, block
				last = date_label(dates[d], u)
			}
		}
		printf "last_compared = %s\n", gp_str(last)
		if (n == 0) printf "first_compared = ''\n"
	}
	if (mode == "topicheat") {
		# topic labels from topic_summary.csv (topic,label,...), when given
		if (summary != "") {
			nl = 0
			while ((getline line < summary) > 0) {
				if (++nl == 1) continue
				sub(/\r$/, "", line)
				split_csv(line, g)
				if (g[1] != "") topic_label[g[1] + 0] = g[2]
			}
			close(summary)
		}
		# topics by number (insertion sort: they are few)
		for (i = 2; i <= n_topics; i++)
			for (j = i; j > 1 && topic_ids[j - 1] > topic_ids[j]; j--) { x = topic_ids[j]; topic_ids[j] = topic_ids[j - 1]; topic_ids[j - 1] = x }
		mt = topics ? topics : 6; mr = terms ? terms : 8; mb = bins ? bins : 20
		n_p = n_topics < mt ? n_topics : mt
		n_c = n_dates < mb ? n_dates : mb
		d0 = n_dates - n_c   # the columns are dates d0 + 1 .. n_dates
		for (d = 1; d <= n_dates; d++) dd[d] = dates[d]
		u = dates_unit(dd, n_dates)
		printf "n_topics = %d\nn_dates = %d\nn_panels = %d\nn_cols = %d\nunit = %s\n", n_topics, n_dates, n_p, n_c, gp_str(u)
		for (c = 1; c <= n_c; c++) printf "col_label%d = %s\n", c, gp_str(date_label(dates[d0 + c], u))
		if (n_c > 0) printf "first_col = %s\nlast_col = %s\n", gp_str(date_label(dates[d0 + 1], u)), gp_str(date_label(dates[n_dates], u))
		hmax = 0
		for (i = 1; i <= n_p; i++) {
			t = topic_ids[i]
			printf "panel_title%d = %s\n", i, gp_str("topic " t ((t in topic_label) ? ": " topic_label[t] : ""))
			# the terms of highest summed weight over the shown dates
			n_r = 0
			split("", best); split("", best_sum)
			for (k = 1; k <= n_terms_of[t]; k++) {
				s = 0
				for (c = 1; c <= n_c; c++) s += weight[t, d0 + c, k]
				if (s <= 0) continue
				for (r = n_r; r >= 1 && best_sum[r] < s; r--)
					if (r < mr) { best_sum[r + 1] = best_sum[r]; best[r + 1] = best[r] }
				if (r < mr) { best_sum[r + 1] = s; best[r + 1] = k; if (n_r < mr) n_r++ }
			}
			printf "panel_rows%d = %d\n", i, n_r
			block = ""
			for (r = 1; r <= n_r; r++) {
				printf "panel_term%d_%d = %s\n", i, r, gp_str(term_of[t, best[r]])
				for (c = 1; c <= n_c; c++) {
					if (!((t, d0 + c) in present)) { block = block c " " r " NaN\n"; continue }
					w = weight[t, d0 + c, best[r]] + 0
					block = block c " " r " " w "\n"
					if (w > hmax) hmax = w
				}
				block = block "\n"
			}
			printf "$heat%d << EOD\n%sEOD\n", i, block
		}
		printf "heat_max = %.10g\n", hmax
	}
	if (mode == "overlap") {
		for (t = 1; t <= n_terms; t++) if (term_last_date[t] != "") close_bin(t)
		printf "n_terms = %d\nfirst_date = %s\nlast_date = %s\n", n_terms, gp_str(first_date), gp_str(last_date)
		for (t = 1; t <= n_terms; t++) {
			printf "term%d = %s\n", t, gp_str(term_name[t])
			printf "term_literal%d = %s\n", t, gp_dq(gp_dq(term_name[t]))  # for eval'd commands
			printf "$overlap%d << EOD\n%sEOD\n", t, series[t]
		}
	}
	if (mode == "panels") {
		n = n_dates < max ? n_dates : max
		printf "n_panels = %d\n", n
		for (i = 1; i <= n; i++) {
			k = n == 1 ? 1 : 1 + int((i - 1) * (n_dates - 1) / (n - 1) + 0.5)
			printf "panel_date%d = %s\n", i, gp_str(dates[k])
			printf "panel_max%d = %.10g\n", i, row_max[k]
			printf "$panel%d << EOD\n%sEOD\n", i, rows[k]
		}
		printf "n_bins_with_terms = %d\n", n_dates
	}
}
