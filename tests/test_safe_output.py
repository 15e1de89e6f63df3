"""Safe output: page text never drives the terminal, breaks the feed, or makes the plugin fail.

Every byte marsad prints may come from a hostile page: a headline with `ESC [2J ESC ]0;pwned BEL`, a
control character XML forbids, a `?b=x` in a plugin link. Real SQLite files, the real command line
(in-process with click's runner where no reactor is needed, a subprocess for the pipe), Datasette's own
test client, a real HTTP server on 127.0.0.1 for the crawl.
"""
from __future__ import annotations

import asyncio
import doctest
import io
import logging
import sqlite3
import subprocess
import sys

import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from lxml import etree

import scheduler.terminal
from alerts import AlertRule
from alerts.feed import atom, xml_text
from detector import Change
from detector.models import Article, Fetch
from scheduler.cli import main
from scheduler.terminal import SafeFormatter, json_safe, safe
from storage import open_db, record_check

from .conftest import ROOT

HOSTILE = "\x1b[2J\x1b]0;pwned\x07"
URL = "https://x.example/news/2021/02/26/a/"
EVIL_URL = "https://x.example/news/\x1b[31mred\x1b[0m/"
RULES = (AlertRule(to=("desk@newsroom.example",), min_severity="low"),)


def run(*args, **kw):
    """The command line in-process; color=True so click strips nothing: what a terminal would get."""
    return CliRunner().invoke(main, [str(a) for a in args], color=True, **kw)


def text(n: int) -> str:
    return f"قال المرصد إن {n} شخصاً قُتلوا في الضربة. وأضاف أن العدد مرشح للارتفاع بسبب وجود جرحى."


@pytest.fixture
def hostile_db(tmp_path):
    """Two articles, two versions each, whose headlines (and one URL) carry escape sequences."""
    path = tmp_path / "hostile.db"
    db = open_db(path)
    for url in (URL, EVIL_URL):
        for i, n in enumerate((17, 22)):
            a = Article(url=url, title=f"مقتل {n} شخصاً{HOSTILE} \x9b31m", text=text(n), lang="ar")
            record_check(db, Fetch(url=url, fetched_at=f"2021-02-26T1{i}:00:00Z", status=200, article=a), rules=RULES)
    db.conn.close()
    return path


def assert_neutralized(out: str) -> None:
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "␛[2J␛]0;pwned␇" in out


# --- the sanitizer and the log formatter -----------------------------------------------------------

@pytest.mark.parametrize("raw, shown", [
    ("مقتل 22 شخصاً", "مقتل 22 شخصاً"),                      # Arabic and plain text untouched
    ("a\tb", "a\tb"),                                       # a tab stays
    (HOSTILE, "␛[2J␛]0;pwned␇"),
    ("line one\nforged line", "line one␤forged line"),      # one field cannot forge a second line
    ("overwrite\rthis", "overwrite␍this"),
    ("\x00\x08\x7f", "␀␈␡"),
    ("csi\x9b2J nel\x85", "csi\\x9b2J nel\\x85"),           # C1 controls as visible text
    ("evil\u202egnp.exe", "evil\u202egnp.exe\u202c"),       # an open right-to-left override is closed
    ("\u2067إيران\u2069 ok", "\u2067إيران\u2069 ok"),       # a balanced isolate is left as it is
    (None, ""),
])
def test_safe_shows_control_characters_instead_of_obeying_them(raw, shown):
    assert safe(raw) == shown


def test_safe_keeps_newlines_when_asked_and_its_examples_hold():
    assert safe("a\nb\x1b", multiline=True) == "a\nb␛"
    assert doctest.testmod(scheduler.terminal).failed == 0


def test_json_safe_escapes_what_json_leaves_raw_and_stays_the_same_json():
    import json
    doc = json.dumps({"t": "a\x9b2J\x7f\u202eb\x1b"}, ensure_ascii=False)
    out = json_safe(doc)
    assert not any(c in out for c in "\x9b\x7f\u202e\x1b") and json.loads(out) == json.loads(doc)


def test_safe_formatter_keeps_each_record_on_one_line_and_neutralized():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(SafeFormatter("%(levelname)s %(message)s"))
    log = logging.getLogger("marsad.test_safe_output")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("page %s failed: %s", EVIL_URL, "bad\nERROR forged record" + HOSTILE)
        try:
            raise ValueError("boom" + HOSTILE)
        except ValueError:
            log.exception("check of %s", URL)
    finally:
        log.removeHandler(handler)
    out = stream.getvalue()
    assert_neutralized(out)
    lines = out.splitlines()
    assert lines[0].startswith("WARNING page https://x.example/news/␛[31mred␛[0m/ failed: bad␤ERROR forged")
    assert not any(line.startswith("ERROR forged") for line in lines)
    assert lines[1] == f"ERROR check of {URL}" and lines[2] == "Traceback (most recent call last):"
    assert lines[-1] == "ValueError: boom␛[2J␛]0;pwned␇"          # the traceback keeps its lines


# --- the commands that print page text -------------------------------------------------------------

def test_history_shows_a_hostile_headline_neutralized(hostile_db):
    r = run("history", "--db", hostile_db, URL)
    assert r.exit_code == 0, r.output
    assert_neutralized(r.output)
    assert "مقتل 22 شخصاً␛[2J␛]0;pwned␇ \\x9b31m" in r.output
    r = run("history", "--db", hostile_db, EVIL_URL)
    assert r.exit_code == 0 and r.output.startswith("https://x.example/news/␛[31mred␛[0m/  [active]")


def test_changes_and_alerts_pending_show_page_text_neutralized(hostile_db):
    con = sqlite3.connect(hostile_db)
    con.execute("UPDATE alerts SET status = 'failed', last_error = ?", ["550 " + HOSTILE + "\nforged"])
    con.commit()
    con.close()
    r = run("changes", "--db", hostile_db)
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.output and "x.example/news/␛[31mred␛[0m/" in r.output
    assert len(r.output.splitlines()) == int(sqlite3.connect(hostile_db).execute(
        "SELECT count(*) FROM changes").fetchone()[0])           # one line per change, none forged
    r = run("alerts", "pending", "--db", hostile_db)
    assert r.exit_code == 0, r.output
    assert_neutralized(r.output)
    assert "last error: 550 ␛[2J␛]0;pwned␇␤forged" in r.output
    assert not any(line.startswith("forged") for line in r.output.splitlines())
    r = run("changes", "--db", hostile_db, "--json")
    assert "\x1b" not in r.output and "\x9b" not in r.output and "\\u001b" in r.output


def test_status_prints_no_control_characters(hostile_db):
    r = run("status", "--db", hostile_db)
    assert r.exit_code == 0, r.output
    assert "articles: 2" in r.output and not any(c in r.output for c in "\x1b\x07\x9b")


# --- the Atom feed ---------------------------------------------------------------------------------

FORBIDDEN = "".join(map(chr, [0, 1, 8, 0x0B, 0x0C, 0x1B, 0x1F, 0xFFFE, 0xFFFF])) + "\ud800"


def test_atom_strips_what_xml_forbids_from_every_text():
    entries = [{"id": f"version:{i}", "url": f"https://x.example/{i}?q=\x01{FORBIDDEN}", "site": "موقع" + FORBIDDEN,
                "title": f"مقتل {i} شخصاً{FORBIDDEN}{HOSTILE}", "at": "2021-02-26T14:00:00Z",
                "lang": "ar" + FORBIDDEN, "changes": [Change("title_changed", "title", "قديم" + FORBIDDEN,
                                                             "جديد" + FORBIDDEN, "medium", {})]}
               for i in range(3)]
    xml = atom(entries, feed_id="tag:marsad:x" + FORBIDDEN, updated="2021-02-26T15:00:00Z", self_url="https://f/\x02")
    root = etree.fromstring(xml.encode("utf-8"))               # strict: any forbidden character raises
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in root.findall("a:entry/a:title", ns)]
    assert len(titles) == 3 and all("مقتل" in t and "pwned" in t for t in titles)
    assert xml_text("ok\t\n\r" + FORBIDDEN + "\U0001F600") == "ok\t\n\r\U0001F600"


def test_marsad_feed_stays_valid_xml_with_a_control_character_in_a_headline(tmp_path):
    path = tmp_path / "feed.db"
    db = open_db(path)
    for k, title in enumerate(["Strike toll rises", "Ceasefire\x0b talks\x01 resume" + HOSTILE, "Aid arrives"]):
        url = f"https://x.example/news/{k}/"
        for i, n in enumerate((17, 22)):
            a = Article(url=url, title=f"{title} ({n})", text=f"Officials said {n} people were killed. " * 3)
            record_check(db, Fetch(url=url, fetched_at=f"2021-02-26T1{k}:{i}0:00Z", status=200, article=a))
    db.conn.close()
    r = run("feed", "--db", path)
    assert r.exit_code == 0, r.output
    root = etree.fromstring(r.output.encode("utf-8"))
    titles = [t.text for t in root.iterfind("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title")]
    assert len(titles) == 3 and any("Ceasefire talks resume" in t for t in titles)
    assert "\x1b" not in r.output


# --- the Datasette plugin --------------------------------------------------------------------------

def fetch_status(path, url):
    ds = Datasette([str(path)])

    async def go():
        return (await ds.client.get(url)).status_code
    return asyncio.run(go())


BAD = ["x", "-1", "99999999999999999999", ""]
# (URL template, bad value) -> status: 400 for what is not a positive integer, 404 for what names nothing
# ("" in a path: Datasette drops the trailing slash, 302; "" in a query: the parameter left out, the default;
# /-/marsad/diff/N, the older link, redirects to the article page: 302).
CASES = {("/-/marsad/diff/{}", ""): 302, ("/-/marsad/article/{}", ""): 302,
         ("/-/marsad/article/1?from={}", ""): 200, ("/-/marsad/article/1?to={}", ""): 200,
         ("/-/marsad/article/1?from=1&to={}", ""): 200, ("/-/marsad/diff/2?db={}", ""): 302,
         ("/-/marsad/article/1?db={}", ""): 200, ("/-/marsad/?site={}", ""): 200,
         ("/-/marsad/feed.atom?site={}", ""): 200, ("/-/marsad/feed.atom?article={}", ""): 200}
ROUTES = ["/-/marsad/diff/{}", "/-/marsad/article/{}", "/-/marsad/article/1?from={}", "/-/marsad/article/1?to={}",
          "/-/marsad/article/1?from=1&to={}", "/-/marsad/diff/2?db={}", "/-/marsad/article/1?db={}",
          "/-/marsad/?site={}", "/-/marsad/feed.atom?site={}", "/-/marsad/feed.atom?article={}"]


@pytest.fixture(scope="module")
def plugin_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("plugin") / "plugin.db"
    db = open_db(path)
    for i, n in enumerate((17, 22)):
        a = Article(url=URL, title=f"مقتل {n} شخصاً", text=text(n), lang="ar")
        record_check(db, Fetch(url=URL, fetched_at=f"2021-02-26T1{i}:00:00Z", status=200, article=a))
    db.conn.close()
    return path


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("value", BAD)
def test_every_plugin_parameter_is_validated(plugin_db, route, value):
    url = route.format(value)
    default = 404 if "db=" in route else 400
    assert fetch_status(plugin_db, url) == CASES.get((route, value), default), url


@pytest.mark.parametrize("url, status", [
    ("/-/marsad/article/1?from=1&to=2", 200), ("/-/marsad/article/1?from=2&to=1", 200), ("/-/marsad/diff/2", 302),
    ("/-/marsad/article/1?to=3", 404), ("/-/marsad/article/1?from=9", 404), ("/-/marsad/diff/3", 404),
    ("/-/marsad/article/2", 404), ("/-/marsad/article/1?to=%D9%A2", 400), ("/-/marsad/diff/2?db=_internal", 404),
    ("/-/marsad/diff/9223372036854775807", 404), ("/-/marsad/diff/9223372036854775808", 400),
    ("/-/marsad/article/1?a=x", 400), ("/-/marsad/article/1?b=2", 400), ("/-/marsad/?site=9", 400),
    ("/-/marsad/", 200), ("/-/marsad/feed.atom", 200), ("/-/marsad/feed.atom?article=9", 404),
])
def test_plugin_answers_real_ids_and_refuses_the_rest(plugin_db, url, status):
    assert fetch_status(plugin_db, url) == status


# --- option checks and the broken pipe -------------------------------------------------------------

@pytest.mark.parametrize("option", ["--fetched-at", "--old-fetched-at", "--new-fetched-at"])
@pytest.mark.parametrize("value", ["2021-02-30T10:00:00Z", "2021-02-30", "2021-02-28T24:00:00Z",
                                   "2021-13-01T00:00Z", "2021-02-28T23:60:00Z"])
def test_impossible_fetch_times_are_refused_with_exit_2(demo_pages, option, value):
    args = (["extract", demo_pages["v1"]] if option == "--fetched-at"
            else ["compare", demo_pages["v1"], demo_pages["v2"]])
    r = run(*args, option, value)
    assert r.exit_code == 2 and value in r.output and option in r.output and "Traceback" not in r.output


def test_a_real_fetch_time_is_accepted(demo_pages):
    for value in ("2021-02-28T23:59:59Z", "2024-02-29T12:00Z"):
        assert run("extract", demo_pages["v1"], "--fetched-at", value).exit_code == 0


@pytest.fixture(scope="module")
def many_changes_db(tmp_path_factory):
    """One article, two versions and 3,000 changes (far more output than a pipe buffers)."""
    path = tmp_path_factory.mktemp("pipe") / "many.db"
    db = open_db(path)
    for i, n in enumerate((17, 22)):
        a = Article(url=URL, title=f"مقتل {n} شخصاً", text=text(n), lang="ar")
        record_check(db, Fetch(url=URL, fetched_at=f"2021-02-26T1{i}:00:00Z", status=200, article=a))
    copies = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
    with db.conn:
        first = db.execute("SELECT min(id) FROM changes").fetchone()[0]
        db.execute(copies + "INSERT INTO changes (article_id, from_version, to_version, at, kind, field, old, new,"
                   " severity, detail) SELECT article_id, from_version, to_version, at, kind, field, old, new,"
                   " severity, detail FROM changes, n WHERE id = ?", [3000, first])
        # take-downs (no to_version): each is its own feed entry and its own line of `history`
        db.execute(copies + "INSERT INTO changes (article_id, at, kind, field, old, new, severity, detail)"
                   " SELECT article_id, at, 'removed', 'status', '200', '410', 'high', '{}' FROM changes, n"
                   " WHERE id = ?", [4000, first])
    db.conn.close()
    return path


@pytest.mark.parametrize("args", [["changes", "--limit", "5000"], ["feed", "--limit", "400"], ["history", URL]])
def test_a_reader_that_stops_early_gets_no_traceback(many_changes_db, args):
    proc = subprocess.Popen([sys.executable, "-m", "scheduler.cli", *args, "--db", str(many_changes_db)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()                                       # `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert first.strip()
    assert "Traceback" not in err and "Broken pipe" not in err and err.strip() == ""
    assert proc.returncode in (0, 1)


def test_the_pipe_test_reads_less_than_the_output(many_changes_db):
    """The pipe test means something only when the output is larger than a pipe holds (64 KiB)."""
    for args in (["changes", "--limit", "5000"], ["feed", "--limit", "400"], ["history", URL]):
        assert len(run(*args, "--db", many_changes_db).output.encode()) > 2 * 64 * 1024, args


# --- a crawl with failures -------------------------------------------------------------------------

def test_crawl_with_one_failing_url_exits_1_and_keeps_the_good_one(marsad, site, db_path, tmp_path):
    site.pages["/broken/2021/02/26/c/"] = (500, "text/html", b"<html>oops</html>")
    config = tmp_path / "marsad.toml"
    config.write_text("[politeness]\nallow_private_addresses = true\nretries = 0\ndelay_seconds = 0\n")
    bad = site.base_url + "/broken/2021/02/26/c/"
    proc = marsad("--config", config, "crawl", "--db", db_path, site.article_url, bad, check=False)
    assert proc.returncode == 1, proc.stderr
    con = sqlite3.connect(db_path)
    stored = con.execute("SELECT a.url FROM versions v JOIN articles a ON a.id = v.article_id").fetchall()
    assert stored == [(site.article_url,)]
    assert con.execute("SELECT outcome FROM checks c JOIN articles a ON a.id = c.article_id WHERE a.url = ?",
                       [bad]).fetchall() == [("error",)]
