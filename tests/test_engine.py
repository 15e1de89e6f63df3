"""The fetch engine: robots.txt held for every request of a host and across cycles, a slow host that
never holds back another, host back-off, targets that cannot be fetched, batched writes that are all or
nothing, and a writer that waits out a full database without losing a check. Real HTTP on 127.0.0.x,
real SQLite files, the real daemon in a subprocess."""
from __future__ import annotations

import sqlite3
import time

import pytest

from scheduler.demo_site import DemoSite
from storage import CheckResult, open_db, record_batch, record_check
from detector import Article

from .test_daemon import query, running, stop, wait_for

LOOPBACK = "[politeness]\nallow_private_addresses = true\ndelay_seconds = 0.0\nretries = 0\nautothrottle = false\n"


def count(db, sql) -> int:
    rows = query(db, sql)
    return rows[0][0] if rows else 0


def daemon_config(tmp_path, sites, extra=""):
    body = LOOPBACK + extra + '[schedule]\ntick = "1s"\ndiscovery_every = "2s"\nrevisit = [["1h", "1s"]]\n'
    for i, s in enumerate(sites):
        body += f'[[sites]]\nname = "S{i}"\nfeeds = ["{s.feed_url}"]\narticle_pattern = \'/\\d{{4}}/\\d{{2}}/\\d{{2}}/\'\n'
    cfg = tmp_path / "engine.toml"
    cfg.write_text(body)
    return cfg


def test_robots_refuses_a_disallowed_url_fetched_beside_allowed_ones(marsad, site, db_path):
    site.pages["/robots.txt"] = (200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
    page = site.page(site.article_url.removeprefix(site.base_url))
    site.pages["/a/2021/02/26/one/"] = page
    site.pages["/a/2021/02/26/two/"] = page
    urls = [site.base_url + p for p in ("/a/2021/02/26/one/", "/private/2021/02/26/x/", "/a/2021/02/26/two/")]
    rows = {r["url"]: r for r in marsad.json_lines("crawl", "--db", db_path, *urls, "--json", check=False)}
    assert rows[urls[1]]["outcome"] == "error" and "robots" in rows[urls[1]]["error"].lower()
    assert rows[urls[0]]["outcome"] == rows[urls[2]]["outcome"] == "new"
    assert not any(p.startswith("/private/") for p, _ in site.requests)
    assert sum(p == "/robots.txt" for p, _ in site.requests) == 1


def test_daemon_reads_robots_txt_once_across_cycles(site, tmp_path):
    db = tmp_path / "d.db"
    with running(daemon_config(tmp_path, [site]), db) as proc:
        wait_for(lambda: count(db, "SELECT count(*) FROM checks") >= 5, proc=proc)
        assert stop(proc) < 15 and proc.returncode == 0
    assert sum(p == "/robots.txt" for p, _ in site.requests) == 1


def test_a_slow_host_never_holds_back_another(site, tmp_path):
    """A host that takes 8 s to answer holds its own request only: the other site keeps its 1 s rung."""
    db = tmp_path / "d.db"
    with DemoSite("v1", host="127.0.0.2") as slow:
        slow.delay = 8.0
        cfg = daemon_config(tmp_path, [site, slow], extra="timeout_seconds = 30\n")
        with running(cfg, db) as proc:
            wait_for(lambda: any(p.startswith("/news/") for p, _ in slow.requests), proc=proc)
            t0 = time.monotonic()
            wait_for(lambda: count(db, "SELECT count(*) FROM checks c JOIN articles a ON a.id = c.article_id"
                                       f" WHERE a.url LIKE '{site.base_url}%'") >= 4, proc=proc, timeout=20)
            waited = time.monotonic() - t0
            slow_checks = count(db, "SELECT count(*) FROM checks c JOIN articles a ON a.id = c.article_id"
                                    f" WHERE a.url LIKE '{slow.base_url}%'")
            stop(proc)
    assert slow_checks == 0 and waited < 8.0, "the healthy site waited for the slow one"


def test_a_failing_host_backs_off_and_shows_in_status(marsad, site, db_path):
    site.pages["/down/2021/02/26/x/"] = (503, "text/html", b"<html>down</html>")
    url = site.base_url + "/down/2021/02/26/x/"
    for _ in range(2):
        marsad("crawl", "--db", db_path, url, check=False)
    con = sqlite3.connect(db_path)
    failures, until, err = con.execute("SELECT failures, backoff_until, last_error FROM hosts").fetchone()
    checked, nxt, streak = con.execute("SELECT last_checked_at, next_check_at, error_streak FROM articles").fetchone()
    assert failures == 2 and "503" in err and streak == 2
    assert nxt >= until > checked                     # the article waits for the host's back-off
    out = marsad("status", "--db", db_path).stdout
    assert "failing host: 127.0.0.1: 2 failure(s)" in out and "backing off until" in out
    assert f"failing article: {url}: 2 failed check(s)" in out
    site.pages["/down/2021/02/26/x/"] = site.page(site.article_url.removeprefix(site.base_url))
    marsad("crawl", "--db", db_path, url)
    assert con.execute("SELECT failures, backoff_until FROM hosts").fetchone() == (0, None)
    assert "failing host" not in marsad("status", "--db", db_path).stdout


def test_a_target_that_is_not_http_is_an_error_and_never_halts_the_batch(marsad, site, db_path, tmp_path):
    """Rows a bad link left in an old database: checked as errors and retired; the batch goes on."""
    marsad("crawl", "--db", db_path, site.article_url)
    con = sqlite3.connect(db_path)
    with con:
        con.execute("UPDATE articles SET next_check_at = '2000-01-01T00:00:00Z'")
        for u in ("javascript:void(0)", "mailto:desk@example.org", "file:///etc/passwd"):
            con.execute("INSERT INTO articles (url, first_seen_at, next_check_at, status, version_count)"
                        " VALUES (?, '2000-01-01T00:00:00Z', '1999-01-01T00:00:00Z', 'active', 0)", [u])
    cfg = tmp_path / "c.toml"
    cfg.write_text(LOOPBACK)
    proc = marsad("--config", cfg, "crawl", "--once", "--db", db_path, check=False)
    assert proc.returncode == 1
    rows = dict(con.execute("SELECT a.url, c.outcome FROM checks c JOIN articles a ON a.id = c.article_id"
                            " WHERE c.id > 1"))
    assert rows[site.article_url] == "not_modified"
    assert {rows[u] for u in ("javascript:void(0)", "mailto:desk@example.org", "file:///etc/passwd")} == {"error"}
    assert con.execute("SELECT count(*) FROM articles WHERE status = 'retired' AND url NOT LIKE 'http%'"
                       ).fetchone()[0] == 3
    assert b"root:" not in db_path.read_bytes()


def _fetch(url, at, text="One sentence about the story that is long enough to count.", **kw):
    return CheckResult(url=url, fetched_at=at, status=200, article=Article(url=url, title="T", text=text), **kw)


def test_a_batch_is_written_whole_or_not_at_all(db_path):
    db = open_db(db_path)
    good = _fetch("https://x.example/a", "2021-02-26T13:00:00Z")
    bad = _fetch("https://x.example/b", "2021-02-26T13:00:00Z")
    object.__setattr__(bad, "article", "not an article")          # fails inside the transaction
    with pytest.raises(Exception):
        record_batch(db, [good, bad])
    assert db.execute("SELECT count(*) FROM checks").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
    recs = record_batch(db, [good, _fetch("https://x.example/b", "2021-02-26T13:00:00Z")])
    assert [r.outcome for r in recs] == ["new", "new"]


def test_identical_bodies_are_unchanged_and_validators_follow_the_last_response(db_path):
    db = open_db(db_path)
    url = "https://x.example/a"
    record_check(db, _fetch(url, "2021-02-26T13:00:00Z", etag='"v1"', raw_hash="h1"))
    from detector.models import Analysis
    same = CheckResult(url=url, fetched_at="2021-02-26T13:05:00Z", status=200, raw_hash="h1",
                       analysis=Analysis("unchanged"), etag='"v1"')
    assert record_check(db, same).outcome == "unchanged"
    broken = CheckResult(url=url, fetched_at="2021-02-26T13:10:00Z", status=200,
                         analysis=Analysis("invalid", reason="bot check: cloudflare"))
    assert record_check(db, broken).outcome == "error"
    etag, raw, err = db.execute("SELECT etag, raw_hash, last_error FROM articles").fetchone()
    assert etag is None and raw == "h1" and err == "bot check: cloudflare"   # a healed page is fetched whole
    assert db.execute("SELECT count(*) FROM versions").fetchone()[0] == 1


def test_the_writer_waits_out_a_full_database_and_loses_nothing(db_path):
    """SQLite's own disk-full error (max_page_count reached), then room again: every check is written."""
    from detector import DEFAULT_POLICY
    from storage.writer import Writer
    open_db(db_path).conn.close()
    written = []
    w = Writer(str(db_path), policy=DEFAULT_POLICY, batch=5, batch_ms=50, on_written=written.extend)
    try:
        pages = w.call(lambda db: db.execute("PRAGMA page_count").fetchone()[0]).result(10)
        w.call(lambda db: db.execute(f"PRAGMA max_page_count = {pages}")).result(10)
        big = "A long paragraph of the story, repeated to fill pages. " * 400
        for i in range(10):
            w.put(_fetch(f"https://x.example/{i}", "2021-02-26T13:00:00Z", text=big))
        deadline = time.monotonic() + 10
        while w.paused is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert w.paused and "full" in w.paused
        assert not written
        w.db.execute("PRAGMA max_page_count = 1073741823")      # the operator frees space
        w.flush().result(30)
    finally:
        w.close()
    assert w.paused is None and len(written) == 10
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT count(*) FROM versions").fetchone()[0] == 10
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_error_streak_alerts_the_rules_that_ask_for_it(db_path):
    from alerts import rule_from_config
    db = open_db(db_path)
    url = "https://x.example/a"
    record_check(db, _fetch(url, "2021-02-26T13:00:00Z"))
    rules = (rule_from_config({"to": ["desk@x.example"], "error_streak": 3}, 0),
             rule_from_config({"to": ["all@x.example"]}, 1))
    for i in range(5):
        record_check(db, CheckResult(url=url, fetched_at=f"2021-02-26T14:0{i}:00Z", status=503, error="HTTP 503"),
                     rules=rules)
    assert db.execute("SELECT kind, new FROM changes").fetchall() == [("fetch_failing", "3")]
    assert db.execute("SELECT recipient FROM alerts").fetchall() == [("desk@x.example",)]
