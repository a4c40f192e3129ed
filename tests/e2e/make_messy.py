#!/usr/bin/python3
"""make_messy.py OUT_DIR EXPECTED_CSV [BIG_MB] - writes a messy corpus for the
end-to-end tests (tests/e2e/run.sh), and what termdrift must make of it.

OUT_DIR receives files in every way a scraped corpus goes wrong: Latin-1 and
Windows-1252 text that is not UTF-8, UTF-16 with a byte order mark (LE and
BE, .txt, .csv and .jsonl), HTML with entities and tags, one single line of
BIG_MB megabytes (default 50), NUL bytes, CRLF and lone CR line ends,
duplicate files, empty files, files of only boilerplate, dates from 0001 to
9999 and unparsable ones (in the files and in manifest.csv), a CSV with
ragged rows and unbalanced quotes, JSON Lines with a truncated last line.

EXPECTED_CSV receives one row per document, in docs.csv order:
doc_id,file,status,invalid_utf8,encoding,status_cp1252,invalid_cp1252,
encoding_cp1252,title,html_tags ("*": not checked): the status, repairs and encoding without
options and with --fallback-encoding cp1252 --strip-html, the title with
those options, and the tags --strip-html removes.  Every invalid byte below is
planted on purpose and counted by hand; the counts are checked against
Python's own decoder here, so a wrong hand count fails loudly.
Standard library only; nothing random.
"""
import csv
import os
import sys

out, expected_path = sys.argv[1], sys.argv[2]
big_mb = int(sys.argv[3]) if len(sys.argv) > 3 else 50
os.makedirs(out, exist_ok=True)
rows = []


def put(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


def expect(doc_id, name, status, bad, enc, status_cp, bad_cp, enc_cp, title="", tags=0):
    rows.append([doc_id, os.path.join(out, name), status, bad, enc, status_cp, bad_cp, enc_cp, title, tags])


def replacements(data):
    """U+FFFD that UTF-8 repair puts in: maximal subparts, and NUL bytes."""
    return data.decode("utf-8", "replace").count("\ufffd") + data.count(b"\0")


BODY = ("The council met on Tuesday to discuss the harbour, the {w} budget and the "
        "new ferry timetable; residents asked about parking, {w} schools and flooding.\n")


def body(word):
    return BODY.format(w=word)


# --- text that is not UTF-8 ----------------------------------------------------
# Latin-1: é, ï, ü, ñ each alone between ASCII letters: one repair each.
latin1 = ("date 2024-03-05 Caf\u00e9 society\nA na\u00efve d\u00fcet in Espa\u00f1a.\n"
          + body("latin")).encode("latin-1")
assert replacements(latin1) == 4
put("a_latin1.txt", latin1)
expect("a_latin1", "a_latin1.txt", "invalid_utf8_repaired", 4, "utf-8-repaired",
       "ok", 0, "cp1252", "Caf\u00e9 society")

# Windows-1252: curly quotes 0x93 0x94, euro 0x80, en dash 0x96, and 0x81,
# which Windows-1252 leaves undefined: 5 repairs as UTF-8, 1 as cp1252.
cp = (b"date 2024-03-06 \x93Quoted\x94 prices\nTen \x80 a ticket \x96 or \x81 none.\n"
      + body("windows").encode())
assert replacements(cp) == 5
put("b_cp1252.txt", cp)
expect("b_cp1252", "b_cp1252.txt", "invalid_utf8_repaired", 5, "utf-8-repaired",
       "invalid_utf8_repaired", 1, "cp1252", "\u201cQuoted\u201d prices")

# --- UTF-16 with a byte order mark ---------------------------------------------
u16 = "Title: Gr\u00fc\u00dfe aus K\u00f6ln \U0001F600\nDate: 2024-05-01\n\n" + body("cologne")
put("c_utf16le.txt", b"\xff\xfe" + u16.encode("utf-16-le"))
expect("c_utf16le", "c_utf16le.txt", "ok", 0, "utf-16le", "ok", 0, "utf-16le",
       "Gr\u00fc\u00dfe aus K\u00f6ln \U0001F600")
# big-endian, with one unpaired high surrogate (D800 before 'A'): one repair
be = ("Title: Big end\nDate: 2024-05-02\n\n" + body("bigend")).encode("utf-16-be")
be = be.replace("bigend".encode("utf-16-be"), b"\xd8\x00" + "Abigend".encode("utf-16-be"), 1)
put("d_utf16be.txt", b"\xfe\xff" + be)
expect("d_utf16be", "d_utf16be.txt", "invalid_utf8_repaired", 1, "utf-16be",
       "invalid_utf8_repaired", 1, "utf-16be", "Big end")
# UTF-8 with a byte order mark: the mark is not text
put("e_bom.txt", b"\xef\xbb\xbf" + ("Title: Marked\nDate: 2024-05-03\n\n" + body("marked")).encode())
expect("e_bom", "e_bom.txt", "ok", 0, "utf-8", "ok", 0, "utf-8", "Marked")

# --- HTML remnants ---------------------------------------------------------------
html = ("<!DOCTYPE html>\n<html><head><title>Caf&eacute; &amp; Bar &ndash; news</title>\n"
        "<style>p { color: red; }</style>\n"
        "<script>var zzscriptword = \"<p>\";</script></head>\n"
        "<body><!-- zzcommentword -->\n"
        "<p>date 2024-06-01</p>\n"
        "<p class=\"lead\">Fish &lt;&gt; chips&nbsp;are &#8220;great&#8221; &#x263A; na&#239;ve</p>\n"
        "<br/><a href=\"http://example.org/?a=1&amp;b=2\">harbour link</a>\n"
        + body("markup") + "</body></html>\n")
# tags: doctype, html, head, title x2, style x2, script x2, /head, body,
# comment, p x2, p x2, br, a x2, /body, /html
put("f_page.html", html.encode())
# without --strip-html the date is inside <p> (no date line): no_date
expect("f_page", "f_page.html", "no_date", 0, "utf-8", "ok", 0, "utf-8", "Caf\u00e9 & Bar \u2013 news", 21)

# --- one line of BIG_MB megabytes ------------------------------------------------
words = b"harbour ferry council budget parking schools flooding residents timetable tuesday "
line = b"date 2024-07-01 " + words * (big_mb * 1024 * 1024 // len(words))
put("g_bigline.txt", line)
expect("g_bigline", "g_bigline.txt", "ok", 0, "utf-8", "ok", 0, "utf-8", "*")

# --- NUL bytes -------------------------------------------------------------------
put("h_nul.txt", b"date 2024-07-02 Header\n\0\0\0binary-looking\n")
expect("h_nul", "h_nul.txt", "binary", 0, "", "binary", 0, "", "")
# NUL after the 8 KB the binary check looks at: two repairs
late = ("date 2024-07-03 Late nul\n" + body("late") * 60).encode()
assert len(late) > 8192
late = late + b"tail \0 and \0 end\n"
assert replacements(late) == 2
put("i_late_nul.txt", late)
expect("i_late_nul", "i_late_nul.txt", "invalid_utf8_repaired", 2, "utf-8-repaired",
       "invalid_utf8_repaired", 2, "utf-8-repaired", "Late nul")

# --- line ends -------------------------------------------------------------------
put("j_crlf.txt", ("Title: Windows lines\nDate: 2024-08-01\n\n" + body("crlf")).replace("\n", "\r\n").encode())
expect("j_crlf", "j_crlf.txt", "ok", 0, "utf-8", "ok", 0, "utf-8", "Windows lines")
put("k_cr.txt", ("Title: Old Mac lines\nDate: 2024-08-02\n\n" + body("lonecr")).replace("\n", "\r").encode())
expect("k_cr", "k_cr.txt", "ok", 0, "utf-8", "ok", 0, "utf-8", "Old Mac lines")

# --- duplicates, empty files, boilerplate only -------------------------------------
dup = ("date 2024-08-03 Twice told\n" + body("twice") * 3).encode()
put("l_dup1.txt", dup)
put("l_dup2.txt", dup)
expect("l_dup1", "l_dup1.txt", "ok", 0, "utf-8", "ok", 0, "utf-8", "Twice told")
expect("l_dup2", "l_dup2.txt", "duplicate", 0, "utf-8", "duplicate", 0, "utf-8", "Twice told")
put("m_empty.txt", b"")
expect("m_empty", "m_empty.txt", "empty", 0, "utf-8", "empty", 0, "utf-8", "")
put("m_blank.txt", b" \r\n\t\n")
expect("m_blank", "m_blank.txt", "empty", 0, "utf-8", "empty", 0, "utf-8", "")
put("n_boiler.txt", b"Share:\nRead more\nSupport Now\n")
expect("n_boiler", "n_boiler.txt", "empty", 0, "utf-8", "empty", 0, "utf-8", "Share:")

# --- dates in the files and in the manifest ------------------------------------------
put("o_year1.txt", ("date 0001-01-01 Year one\n" + body("yearone")).encode())
expect("o_year1", "o_year1.txt", "date_suspect", 0, "utf-8", "date_suspect", 0, "utf-8", "Year one")
put("o_year9999.txt", ("date 9999-12-31 Far future\n" + body("farfuture")).encode())
expect("o_year9999", "o_year9999.txt", "date_suspect", 0, "utf-8", "date_suspect", 0, "utf-8", "Far future")
put("o_baddate.txt", ("Date: 2024-13-45\nBad month\n" + body("badmonth")).encode())
expect("o_baddate", "o_baddate.txt", "no_date", 0, "utf-8", "no_date", 0, "utf-8", "Date: 2024-13-45")
for name, status in (("p_man_ok", "ok"), ("p_man_1", "date_suspect"), ("p_man_9999", "date_suspect"),
                     ("p_man_bad", "no_date")):
    put(name + ".txt", ("Manifest dated " + name + "\n" + body(name.replace("_", ""))).encode())
    expect(name, name + ".txt", status, 0, "utf-8", status, 0, "utf-8", "Manifest dated " + name)
put("manifest.csv", b"file,date,source,title\n"
    b"p_man_ok.txt,1999-12-31,Wire,\np_man_1.txt,0001-01-01,,\np_man_9999.txt,9999-12-31,,\n"
    b"p_man_bad.txt,31/31/2020,,\n")

# --- a CSV with ragged rows and unbalanced quotes ------------------------------------
# row 1 fine; row 2 one field short; row 3 Latin-1 in title and text (2
# repairs) and a NUL in the text (1 more); row 4 opens a quote never closed.
ragged = (b"id,date,title,text\n"
          b"q1,2024-09-01,Fine row,\"A quoted, fine text about the harbour\"\n"
          b"q2,2024-09-02,Short row\n"
          b"q3,2024-09-03,Cr\xe8me row,Caf\xe9 text with a \0 nul about schools\n"
          b"q4,2024-09-04,Open quote,\"never closed about the ferry\n")
put("q_ragged.csv", ragged)
expect("q1", "q_ragged.csv", "ok", 0, "utf-8", "ok", 0, "utf-8", "Fine row")
expect("q2", "q_ragged.csv", "malformed", 0, "utf-8", "malformed", 0, "utf-8", "")
expect("q3", "q_ragged.csv", "invalid_utf8_repaired", 3, "utf-8-repaired",
       "invalid_utf8_repaired", 1, "cp1252", "Cr\u00e8me row")
expect("q4", "q_ragged.csv", "malformed", 0, "utf-8", "malformed", 0, "utf-8", "")

# --- JSON Lines with Latin-1 inside and a truncated last line --------------------------
jl = (b'{"id":"r1","date":"2024-10-01","title":"Json fine","text":"Ferry news from the harbour."}\n'
      b'{"id":"r2","date":"2024-10-02","title":"Json \xe0 la carte","text":"D\xe9j\xe0 vu in the budget."}\n'
      b'{"id":"r3","date":"2024-10-0')
put("r_truncated.jsonl", jl)
expect("r1", "r_truncated.jsonl", "ok", 0, "utf-8", "ok", 0, "utf-8", "Json fine")
expect("r2", "r_truncated.jsonl", "invalid_utf8_repaired", 3, "utf-8-repaired", "ok", 0, "cp1252",
       "Json \u00e0 la carte")
expect("*", "r_truncated.jsonl", "malformed", 0, "utf-8", "malformed", 0, "utf-8", "")

# --- UTF-16 CSV and JSON Lines -----------------------------------------------------------
u16csv = "id,date,title,text\ns1,2024-11-01,Stra\u00dfe,\"\u00dcber die Stra\u00dfe, harbour\"\r\ns2,2024-11-02,Zwei,Zweite Zeile\r\n"
put("s_utf16.csv", b"\xff\xfe" + u16csv.encode("utf-16-le"))
expect("s1", "s_utf16.csv", "ok", 0, "utf-16le", "ok", 0, "utf-16le", "Stra\u00dfe")
expect("s2", "s_utf16.csv", "ok", 0, "utf-16le", "ok", 0, "utf-16le", "Zwei")
u16jl = ('{"id":"t1","date":"2024-11-03","title":"Be one","text":"Caf\u00e9 \U0001F600 zebracrossing harbour"}\n'
         '{"id":"t2","date":"2024-11-04","title":"Be two","text":"lone X surrogate"}\n').encode("utf-16-be")
u16jl = u16jl.replace("lone X".encode("utf-16-be"), "lone ".encode("utf-16-be") + b"\xdc\x00", 1)
put("t_utf16be.jsonl", b"\xfe\xff" + u16jl)
expect("t1", "t_utf16be.jsonl", "ok", 0, "utf-16be", "ok", 0, "utf-16be", "Be one")
expect("t2", "t_utf16be.jsonl", "invalid_utf8_repaired", 1, "utf-16be", "invalid_utf8_repaired", 1,
       "utf-16be", "Be two")

# --- an image --------------------------------------------------------------------------
put("u_image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
expect("u_image", "u_image.png", "binary", 0, "", "binary", 0, "", "")

with open(expected_path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["doc_id", "file", "status", "invalid_utf8", "encoding", "status_cp1252", "invalid_cp1252",
                "encoding_cp1252", "title", "html_tags"])
    # docs.csv order: files by path (Python sorts str as termdrift sorts bytes
    # here: ASCII names), records in file order
    w.writerows(sorted(rows, key=lambda r: r[1]))
