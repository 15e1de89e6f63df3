"""The fault suite: the real `marsad crawl` against a server that misbehaves on purpose (tests/hostile.py).

Black-box: each test writes a configuration, runs the command line in a subprocess, and reads the SQLite
file read-only. What must hold for every fault: the URL gets one `error` check with a reason, no version,
no alert; the good pages beside it are stored; the crawl ends in bounded time and exits non-zero when
something failed. One module-wide batch carries most faults (one check row per URL keeps every assertion
per fault), so the file stays fast. the README's fault table lists these faults.
"""
from __future__ import annotations

import base64
import contextlib
import json
import re
import sqlite3
import subprocess
import time
import zlib
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from .conftest import Marsad
from .hostile import HostileServer, Listener, article_title

TIMEOUT = 2                  # [politeness] timeout_seconds in every configuration here
BOUND = 60                   # seconds any one crawl may take before the test calls it a hang
DAY = 86400


# -- configuration, running, reading ---------------------------------------------------------------------

def write_config(path: Path, *, private: bool | None = True, networks=None, offsite=None, sites=(),
                 schedule: dict | None = None) -> Path:
    """A small marsad.toml: no delay, no autothrottle, no retries, 2 s timeout, 1 MB cap, an alert rule
    that would catch any change (so "no alert" means something)."""
    pol = {"delay_seconds": 0.0, "autothrottle": False, "retries": 0, "timeout_seconds": TIMEOUT,
           "max_bytes": 1048576, "per_domain_concurrency": 8}
    if private is not None:
        pol["allow_private_addresses"] = private
    if networks is not None:
        pol["allowed_networks"] = networks
    if offsite is not None:
        pol["follow_offsite_redirects"] = offsite
    sched = {"revisit": [["1h", "1s"]]} | (schedule or {})
    text = "[politeness]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in pol.items())
    text += "[schedule]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in sched.items())
    text += '[[alerts]]\nto = ["desk@newsroom.example"]\nmin_severity = "low"\n'
    for s in sites:
        text += "[[sites]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in s.items())
    path.write_text(text, encoding="utf-8")
    return path


def run(marsad, cfg, db, *args, bound=BOUND, hang_ok=False):
    """`marsad --config CFG --db DB crawl ARGS`; returns (process, seconds). A crawl still running after
    `bound` seconds is killed: a test failure, or (hang_ok, for fixtures) (None, seconds) so that the
    tests reading the database still run and one test reports the hang."""
    t0 = time.monotonic()
    try:
        proc = marsad("--config", cfg, "--db", db, "crawl", *args, check=False, timeout=bound)
    except subprocess.TimeoutExpired:
        if hang_ok:
            return None, time.monotonic() - t0
        pytest.fail(f"marsad crawl {' '.join(map(str, args))[:200]} did not finish within {bound} s (a hang)")
    seconds = time.monotonic() - t0
    assert "Traceback" not in proc.stderr, f"marsad crawl printed a traceback:\n{proc.stderr[-3000:]}"
    return proc, seconds


def q(db, sql, *params):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def checks(db, url):
    """[(outcome, error, http_status)] of one URL, oldest first."""
    return q(db, "SELECT c.outcome, c.error, c.http_status FROM checks c JOIN articles a ON a.id = c.article_id"
                 " WHERE a.url = ? ORDER BY c.id", url)


def versions(db, url):
    return q(db, "SELECT v.n, v.title, v.text FROM versions v JOIN articles a ON a.id = v.article_id"
                 " WHERE a.url = ? ORDER BY v.n", url)


def alerts(db):
    return q(db, "SELECT rule, article_id, change_ids FROM alerts")


def db_bytes(db) -> bytes:
    """Everything the database holds as bytes: the file, its WAL, and every raw_html inflated."""
    out = b"".join(Path(str(db) + suffix).read_bytes() for suffix in ("", "-wal")
                   if Path(str(db) + suffix).exists())
    for (raw,) in q(db, "SELECT raw_html FROM versions WHERE raw_html IS NOT NULL"):
        with contextlib.suppress(zlib.error, TypeError):
            out += zlib.decompress(raw)
    return out


def describe(db, url) -> str:
    """What the database says about one URL, for failure messages."""
    return f"checks={checks(db, url)!r} versions={[(n, t) for n, t, _ in versions(db, url)]!r}"


def assert_error_not_version(db, url, fault):
    rows = checks(db, url)
    assert rows, f"{fault}: no check was recorded for {url} (the fault ended the batch or was dropped silently)"
    assert len(rows) == 1, f"{fault}: expected one check for {url}, got {rows!r}"
    outcome, error, status = rows[0]
    assert outcome == "error", (f"{fault}: recorded as {outcome!r} (HTTP {status}), expected an 'error' check;"
                                f" {describe(db, url)}")
    assert error and error.strip(), f"{fault}: the error check for {url} has no reason"
    assert not versions(db, url), f"{fault}: a broken response became a version: {describe(db, url)}"


def quoted(links) -> str:
    return "&".join("u=" + quote(u, safe="") for u in links)


# -- the hosts of the module -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hosts():
    """A (127.0.0.1) carries every fault route; C (127.0.0.3) is only ever a redirect target; H (127.0.0.4)
    accepts and stalls every request, robots.txt too; R (127.0.0.5) has a 5 MB robots.txt; G (127.0.0.6)
    is a healthy site."""
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(server) for name, server in {
            "A": HostileServer("127.0.0.1"), "C": HostileServer("127.0.0.3"),
            "H": HostileServer("127.0.0.4", hang_all=8.0), "R": HostileServer("127.0.0.5", robots="huge"),
            "G": HostileServer("127.0.0.6")}.items()}


# fault name -> path on host A: each must end as an `error` check and never as a version
ERROR_FAULTS = {
    "http-500": "/fault/500",
    "http-502": "/fault/502",
    "http-503-retry-after": "/fault/503",
    "http-429-retry-after-huge": "/fault/429",
    "hang-before-headers": "/fault/hang",
    "drip": "/fault/drip",
    "reset-mid-body": "/fault/reset",
    "cut-short-without-length": "/fault/cut",
    "content-length-larger-than-body": "/fault/short",
    "truncated-gzip": "/fault/gzip-cut",
    "gzip-bomb": "/fault/gzip-bomb",
    "50mb-page": "/fault/huge",
    "50mb-page-without-length": "/fault/huge-nolength",
    "binary-without-nul": "/fault/binary",
    "binary-with-nul": "/fault/binary-nul",
    "redirect-loop": "/fault/loop-a",
    "redirect-to-ftp": "/fault/redirect?to=" + quote("ftp://127.0.0.1/2021/02/26/story.html", safe=""),
    "redirect-to-file": "/fault/redirect?to=" + quote("file:///etc/passwd", safe=""),
    "redirect-to-another-host": None,          # filled in with host C's address
    "empty-200": "/fault/empty",
    "empty-html-shell": "/fault/shell",
    "tag-soup-without-text": "/fault/soup",
    "soft-404-en": "/fault/soft404-en",
    "soft-404-ar": "/fault/soft404-ar",
    "bot-check": "/fault/botcheck",
    "robots-disallowed": "/private/en/disallowed",
}
# pages that are odd but may be read: one check, never a crash, and if stored then stored right
SURVIVE_FAULTS = {"unknown-charset": "/fault/klingon", "nul-bytes-in-html": "/fault/nul",
                  "100k-nested-elements": "/fault/nested"}
CONTROLS = {"A": ["/good/en/control-1", "/good/ar/control-2"], "G": ["/good/en/healthy-1", "/good/ar/healthy-2"],
            "R": ["/good/en/big-robots"]}


@pytest.fixture(scope="module")
def batch(hosts, tmp_path_factory):
    """One `marsad crawl` of every fault URL of host A, the healthy pages of A and G, a page on the
    stalling host H and one on R (huge robots.txt). Request counts are taken right after it."""
    tmp = tmp_path_factory.mktemp("batch")
    a = hosts["A"]
    urls = {name: a.url(path) for name, path in ERROR_FAULTS.items() if path}
    offsite = quote(hosts["C"].url("/offsite/en/moved"), safe="")
    urls["redirect-to-another-host"] = a.url("/fault/redirect?to=" + offsite)
    urls |= {name: a.url(path) for name, path in SURVIVE_FAULTS.items()}
    controls = [hosts[h].url(p) for h, paths in CONTROLS.items() for p in paths]
    stalled = hosts["H"].url("/good/en/stalled")
    cfg = write_config(tmp / "marsad.toml")
    db = tmp / "marsad.db"
    before = {name: s.count() for name, s in hosts.items()}
    proc, seconds = run(Marsad(), cfg, db, *urls.values(), *controls, stalled, hang_ok=True)
    counts = {name: s.count() - before[name] for name, s in hosts.items()}
    robots = {name: len([p for p, _ in s.seen("/robots.txt")]) for name, s in hosts.items()}
    private = a.count("/private/")
    return {"db": db, "urls": urls, "controls": controls, "stalled": stalled, "proc": proc, "seconds": seconds,
            "counts": counts, "robots": robots, "private_requests": private}


@pytest.mark.parametrize("fault", sorted(ERROR_FAULTS))
def test_fault_is_an_error_check_never_a_version(batch, fault):
    assert_error_not_version(batch["db"], batch["urls"][fault], fault)


@pytest.mark.parametrize("fault", sorted(SURVIVE_FAULTS))
def test_odd_page_gets_one_check_and_is_stored_right_if_at_all(batch, fault):
    db, url = batch["db"], batch["urls"][fault]
    rows = checks(db, url)
    assert len(rows) == 1, f"{fault}: expected exactly one check for {url}, got {rows!r}"
    outcome, error = rows[0][:2]
    assert outcome in ("new", "error"), f"{fault}: unexpected outcome {outcome!r}: {describe(db, url)}"
    if outcome == "error":
        assert error and error.strip(), f"{fault}: the error check has no reason"
        assert not versions(db, url), f"{fault}: an error check with a version: {describe(db, url)}"
        return
    [(n, title, text)] = versions(db, url)
    assert "\0" not in (title or "") + (text or ""), f"{fault}: a NUL byte was stored in the version's text"
    assert "\ufffd" not in (title or "") + (text or ""), f"{fault}: the stored text has replacement characters"
    if fault == "unknown-charset":
        assert title == article_title("ar", "klingon"), f"{fault}: the title was decoded wrong: {title!r}"
    if fault == "nul-bytes-in-html":
        assert title == article_title("en", "nul"), f"{fault}: the title was stored as {title!r}"
    if fault == "100k-nested-elements":
        assert "2,300" in (text or ""), f"{fault}: stored without the article's text: {text!r}"


def test_good_pages_beside_the_faults_are_stored(batch):
    db = batch["db"]
    for url in batch["controls"]:
        rows = checks(db, url)
        assert [r[0] for r in rows] == ["new"], (f"a healthy page in a batch full of faults was not stored"
                                                 f" (one bad link must never end a batch): {url} {describe(db, url)}")
        assert len(versions(db, url)) == 1


def test_a_crawl_with_failures_exits_non_zero(batch):
    proc = batch["proc"]
    assert proc is not None, f"the batch crawl did not finish within {BOUND} s and was killed"
    assert proc.returncode != 0, (f"marsad crawl exited 0 although {len(ERROR_FAULTS)} URLs failed;"
                                  f" its last line: {proc.stderr.strip().splitlines()[-1:]!r}")


def test_faults_raise_no_alerts(batch):
    assert alerts(batch["db"]) == [], f"faults made alert rows: {alerts(batch['db'])!r}"


def test_redirect_to_another_host_is_not_followed(batch):
    assert batch["counts"]["C"] == 0, (f"marsad followed a redirect from 127.0.0.1 to 127.0.0.3 (off-site, not"
                                       f" configured): host C saw {batch['counts']['C']} request(s)")


def test_redirect_to_a_file_url_never_reads_a_local_file(batch):
    first = Path("/etc/passwd").read_bytes().splitlines()[0]
    assert first not in db_bytes(batch["db"]), "the content of /etc/passwd is in the database"


def test_retry_after_is_honoured_and_clamped_to_a_day(batch):
    from storage.times import parse_utc
    db = batch["db"]
    for fault, least, most in (("http-503-retry-after", 120, DAY), ("http-429-retry-after-huge", 0, DAY)):
        url = batch["urls"][fault]
        rows = q(db, "SELECT c.at, a.next_check_at FROM articles a JOIN checks c ON c.article_id = a.id"
                     " WHERE a.url = ?", url)
        assert rows, f"{fault}: no check recorded"
        at, nxt = rows[-1]
        assert nxt, f"{fault}: the article has no next check any more (never checked again)"
        wait = (parse_utc(nxt) - parse_utc(at)).total_seconds()
        assert least - 5 <= wait <= most + 300, (f"{fault}: next check {nxt} is {wait:.0f} s after the check at {at};"
                                                 f" expected between {least} s and {most} s (Retry-After clamped)")


def test_one_stalled_host_does_not_stall_the_others(batch):
    db = batch["db"]
    assert_error_not_version(db, batch["stalled"], "stalled host")
    for url in batch["controls"]:
        assert len(versions(db, url)) == 1, f"the healthy host's page was not stored: {describe(db, url)}"
    assert batch["proc"] is not None and batch["seconds"] < 45, (
        f"the batch took {batch['seconds']:.0f} s with a {TIMEOUT} s timeout: a stalled host held up the crawl")


def test_robots_disallowed_url_among_allowed_ones_is_never_requested(batch):
    assert batch["private_requests"] == 0, ("a URL that robots.txt disallows was requested because other URLs of"
                                            " the same host were fetched with it")


def test_robots_txt_is_fetched_once_per_host_per_run(batch):
    many = {h: n for h, n in batch["robots"].items() if n > 1}
    assert not many, f"robots.txt fetched more than once in one run: {many} (host: requests)"
    assert batch["robots"]["A"] == 1, f"robots.txt of host A fetched {batch['robots']['A']} times, not once"


def test_huge_robots_txt_does_not_stop_the_host(batch):
    db, [url] = batch["db"], [u for u in batch["controls"] if u.startswith("http://127.0.0.5:")]
    rows = checks(db, url)
    assert len(rows) == 1, f"a page behind a 5 MB robots.txt: expected one check, got {rows!r}"


# -- a page that breaks and heals ------------------------------------------------------------------------

def test_broken_then_healed_page_keeps_one_version_and_alerts_nothing(marsad, tmp_path):
    """v1 (ETag "a") → broken three ways (cut, soft 404, bot check; no ETag) → healed (304 to the old ETag).
    The broken responses are error checks and clear v1's validators, so the healed page is fetched whole,
    compared with v1, and found unchanged: no version, no alert, in the whole sequence."""
    with HostileServer("127.0.0.7") as s:
        urls = {how: s.url(f"/heal/{how}/story-{how}") for how in ("cut", "404", "bot")}
        cfg, db = write_config(tmp_path / "marsad.toml"), tmp_path / "marsad.db"
        s.heal = "A"
        proc, _ = run(marsad, cfg, db, *urls.values())
        for how, url in urls.items():
            assert [r[0] for r in checks(db, url)] == ["new"], f"v1 of {how}: {describe(db, url)}"
            assert q(db, "SELECT etag FROM articles WHERE url = ?", url) == [('"a"',)]
        assert proc.returncode == 0, f"a crawl where every page was stored exited {proc.returncode}"

        s.heal = "B"
        proc, _ = run(marsad, cfg, db, *urls.values())
        for how, url in urls.items():
            rows = checks(db, url)
            assert rows[-1][0] == "error" and rows[-1][1], f"broken ({how}) was not an error check: {describe(db, url)}"
            assert len(versions(db, url)) == 1, f"broken ({how}) became a version: {describe(db, url)}"
            etag, lm = q(db, "SELECT etag, last_modified FROM articles WHERE url = ?", url)[0]
            assert etag != '"a"', f"broken ({how}): v1's ETag \"a\" was kept, so the healed page will answer 304"
            assert lm != s.HEAL_LM, f"broken ({how}): v1's Last-Modified was kept, so the healed page will answer 304"
        assert proc.returncode != 0, "a crawl where every page was broken exited 0"
        assert alerts(db) == [], f"broken pages made alerts: {alerts(db)!r}"

        s.heal = "C"
        before = len(s.seen("/heal/"))
        proc, _ = run(marsad, cfg, db, *urls.values())
        for how, url in urls.items():
            path = urlsplit(url).path
            sent = [hd for p, hd in s.seen("/heal/")[before:] if p == path]
            assert sent, f"healed ({how}): the page was not requested"
            assert sent[-1].get("If-None-Match") != '"a"' and sent[-1].get("If-Modified-Since") != s.HEAL_LM, (
                f"healed ({how}): marsad sent v1's validators and was answered 304: {describe(db, url)}")
            assert checks(db, url)[-1][0] == "unchanged", (f"healed ({how}): expected 'unchanged' against v1:"
                                                            f" {describe(db, url)}")
            assert len(versions(db, url)) == 1, f"healed ({how}): {describe(db, url)}"
        assert proc.returncode == 0, f"a crawl where every page was fine exited {proc.returncode}"
    assert alerts(db) == [] and q(db, "SELECT count(*) FROM changes") == [(0,)], (
        f"the broken-and-healed sequence made changes or alerts: {q(db, 'SELECT kind, old, new FROM changes')!r}")


# -- discovery: links that are not http(s) ---------------------------------------------------------------

@pytest.fixture(scope="module")
def discovered(hosts, tmp_path_factory):
    """Three sites, each in its own database so that one fault cannot hide another, each listing bad links
    before one real article:
    "files": a feed with file: and data: links (one `crawl --once`);
    "ftp": a feed with an ftp: link to a bare TCP port that counts connections (one `crawl --once`);
    "halts": a section page (no article_pattern) with javascript: and mailto: links (two `crawl --once`
    cycles a second apart: the 1 s revisit rung makes the real article due again)."""
    a, tmp = hosts["A"], tmp_path_factory.mktemp("discovery")
    planted = tmp / "planted.html"
    marker = "PLANTED-LOCAL-FILE-7f3a9c"
    planted.write_text(f"<html><head><title>{marker}</title></head><body><p>{marker} secret text</p></body></html>")
    data_marker = "DATA-URL-CONTENT-51be2d"
    data_page = f"<html><head><title>{data_marker}</title></head><body><p>{data_marker}</p></body></html>"
    out = {"marker": marker, "data_marker": data_marker}

    def cycle(name, kind, bad, good, runs=1):
        site = {"name": f"Hostile {name}", kind: [a.url(f"/{kind[:-1]}/links?" + quoted(bad + [good]))]}
        cfg, db = write_config(tmp / f"{name}.toml", sites=[site]), tmp / f"{name}.db"
        procs = []
        for i in range(runs):
            if i:
                time.sleep(1.2)
            procs.append(run(Marsad(), cfg, db, "--once", bound=30, hang_ok=True)[0])
        out[name] = {"db": db, "good": good, "hung": [p is None for p in procs]}

    data_url = "data:text/html;base64," + base64.b64encode(data_page.encode()).decode()
    cycle("files", "feeds", [planted.as_uri(), data_url], a.url("/good/en/from-feed"))
    with Listener("127.0.0.9") as ftp:
        cycle("ftp", "feeds", [f"ftp://127.0.0.9:{ftp.port}/2021/02/26/story.html"], a.url("/good/en/after-ftp"))
        out["ftp"]["connections"] = ftp.connections
    cycle("halts", "sections", ["javascript:void(0)", "mailto:desk@newsroom.example", "javascript:alert(1)"],
          a.url("/good/ar/from-section"), runs=2)
    return out


RUNS = ["files", "ftp", "halts"]


@pytest.mark.parametrize("run_name", RUNS)
def test_discovery_cycle_with_non_http_links_finishes(discovered, run_name):
    assert not any(discovered[run_name]["hung"]), (
        f"{run_name}: `marsad crawl --once` did not finish within 30 s (killed) with a {TIMEOUT} s timeout")


@pytest.mark.parametrize("run_name", RUNS)
def test_discovery_tracks_only_http_urls(discovered, run_name):
    tracked = [u for (u,) in q(discovered[run_name]["db"], "SELECT url FROM articles")]
    other = [u for u in tracked if not re.match(r"https?://", u)]
    assert not other, f"URLs other than http(s) are tracked: {other}"


def test_file_link_in_a_feed_never_reads_the_local_file(discovered):
    assert discovered["marker"].encode() not in db_bytes(discovered["files"]["db"]), (
        "a local file linked by file:// in a feed was read into the database")


def test_data_link_in_a_feed_is_never_stored(discovered):
    assert discovered["data_marker"].encode() not in db_bytes(discovered["files"]["db"]), (
        "a data: URL's content was stored")


def test_ftp_link_in_a_feed_is_never_connected_to(discovered):
    n = discovered["ftp"]["connections"]
    assert n == 0, f"marsad connected to the ftp:// link's host {n} time(s)"


@pytest.mark.parametrize("run_name", RUNS)
def test_real_article_listed_after_bad_links_is_stored(discovered, run_name):
    db, url = discovered[run_name]["db"], discovered[run_name]["good"]
    rows = checks(db, url)
    assert len(versions(db, url)) == 1 and rows and rows[0][0] == "new", (
        f"a real article listed after non-http links was not stored: {describe(db, url)}")


def test_javascript_link_on_a_section_page_does_not_halt_revisits(discovered):
    db, url = discovered["halts"]["db"], discovered["halts"]["good"]
    rows = checks(db, url)
    assert len(rows) >= 2, (f"the real article was not checked again on the next cycle (a javascript:/mailto:"
                            f" link halted the revisits): {describe(db, url)}")


def test_robots_txt_once_per_host_in_a_discovery_and_check_cycle(marsad, tmp_path):
    """`crawl --once`: the feed and ten articles of one host, one of them disallowed: robots.txt is asked
    for once in the run, the disallowed article is never requested, the nine others are stored."""
    with HostileServer("127.0.0.8") as s:
        urls = [s.url(f"/good/en/n-{i}") for i in range(9)] + [s.url("/private/en/n-9")]
        site = {"name": "Polite", "feeds": [s.url("/feed/links?" + quoted(urls))]}
        cfg, db = write_config(tmp_path / "marsad.toml", sites=[site]), tmp_path / "marsad.db"
        run(marsad, cfg, db, "--once")
        robots, private = s.count("/robots.txt"), s.count("/private/")
    assert private == 0, "the article robots.txt disallows was requested"
    assert not versions(db, urls[-1]), f"the disallowed article was stored: {describe(db, urls[-1])}"
    for url in urls[:-1]:
        assert len(versions(db, url)) == 1, f"an allowed article was not stored: {describe(db, url)}"
    assert robots == 1, f"robots.txt was requested {robots} times in one run for one host (expected once)"


def test_feed_that_is_not_xml_and_a_10000_item_feed(marsad, hosts, tmp_path):
    a = hosts["A"]
    site = {"name": "Big feeds", "feeds": [a.url("/feed/notxml"), a.url("/feed/huge?n=10000")]}
    cfg = write_config(tmp_path / "marsad.toml", sites=[site], schedule={"batch_size": 20})
    db = tmp_path / "marsad.db"
    proc, seconds = run(marsad, cfg, db, "--once")
    tracked = [u for (u,) in q(db, "SELECT url FROM articles")]
    assert 1 <= len(tracked) <= 10000, f"{len(tracked)} articles tracked from a 10,000-item feed"
    assert all(u.startswith(a.url("/good/en/item-")) for u in tracked), "articles tracked that no feed listed"
    outcomes = [o for (o,) in q(db, "SELECT outcome FROM checks")]
    assert 1 <= len(outcomes) <= 20 and set(outcomes) == {"new"}, (
        f"with batch_size 20, expected up to 20 new checks, got {outcomes!r}")
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-500:]}"


# -- SSRF: private and loopback addresses ----------------------------------------------------------------

def test_feed_links_and_redirects_to_a_private_address_are_never_fetched(marsad, tmp_path):
    """Only 127.0.0.2 is allowed (allowed_networks); its feed lists a page on 127.0.0.1 and a page that
    redirects there (off-site redirects allowed, so only the address policy can stop it)."""
    with HostileServer("127.0.0.2") as public, HostileServer("127.0.0.1") as private:
        secret, secret2 = private.url("/good/en/secret-listed"), private.url("/good/en/secret-redirected")
        redirect = public.url("/fault/redirect?to=" + quote(secret2, safe=""))
        fine = public.url("/good/en/public")
        site = {"name": "Allowed network", "feeds": [public.url("/feed/links?" + quoted([secret, redirect, fine]))]}
        cfg = write_config(tmp_path / "marsad.toml", private=False, networks=["127.0.0.2/32"], offsite=True,
                           sites=[site])
        db = tmp_path / "marsad.db"
        run(marsad, cfg, db, "--once")
        seen = private.seen()
    assert not seen, f"the server on 127.0.0.1 (not allowed) was reached: {[p for p, _ in seen]}"
    stored = q(db, "SELECT a.url, v.title FROM versions v JOIN articles a ON a.id = v.article_id")
    leaked = [(u, t) for u, t in stored if "secret" in (t or "") or "127.0.0.1" in u]
    assert not leaked, f"content from 127.0.0.1 was stored: {leaked}"
    assert not versions(db, redirect), f"the redirect into 127.0.0.1 was stored: {describe(db, redirect)}"
    for url in (secret, redirect):
        for outcome, error, _ in checks(db, url):
            assert outcome == "error" and error, f"{url}: {outcome!r} without a reason"
    assert len(versions(db, fine)) == 1, f"the page on the allowed 127.0.0.2 was not stored: {describe(db, fine)}"


def test_loopback_address_is_refused_by_default(marsad, tmp_path):
    with HostileServer("127.0.0.1") as s:
        url = s.url("/good/en/loopback")
        cfg, db = write_config(tmp_path / "marsad.toml", private=None), tmp_path / "marsad.db"
        proc, _ = run(marsad, cfg, db, url)
        seen = s.seen()
    assert not seen, f"with the default policy marsad fetched from 127.0.0.1: {[p for p, _ in seen]}"
    assert_error_not_version(db, url, "loopback address (default policy)")
    assert proc.returncode != 0, "a crawl whose only URL was refused exited 0"
