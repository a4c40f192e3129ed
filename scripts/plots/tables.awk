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

# Splits a CSV line into f[1..n] (RFC 4180 quotes); returns n.
function split_csv(line, f,    n, i, c, field, quoted) {
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

END {
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
