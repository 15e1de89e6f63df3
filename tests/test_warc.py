"""Versions as WARC: `marsad export warc` writes files that warcio checks and indexes, `marsad import warc`
reads them (and other tools' archives) back through the CPU step and the writer, a damaged archive or a
database that is not marsad's changes nothing."""
from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from scheduler.config import load
from scheduler.demo_site import DemoSite, render_article
from storage import CheckResult, open_db, record_check
from storage.blobs import unpack
from storage.warc import HEADERS_FIELD, SYNTHESIZED, read_archive, write_warc

from .conftest import LOOPBACK_CONFIG, Marsad

WARCIO = Path(sys.executable).with_name("warcio")


def warcio(*args) -> subprocess.CompletedProcess:
    """The `warcio` command of marsad's virtualenv, as an archivist would run it on our file."""
    return subprocess.run([str(WARCIO), *map(str, args)], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A real crawl of the local Arabi Post replay through its revisions (two versions, Arabic)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    Marsad()("demo", "--db", path)
    return path


@pytest.fixture(scope="module")
def demo_warc(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("warc") / "demo.warc.gz"
    proc = Marsad()("export", "warc", "--db", demo_db, "-o", out)
    assert f"{len(versions_of(demo_db))} version(s)" in proc.stdout
    return out


def versions_of(path) -> list[str]:
    """The fetch times of the demo's versions, oldest first (the demo stores one per revision it plays)."""
    return [r[0] for r in rows(path, "SELECT fetched_at FROM versions ORDER BY fetched_at")]


def rows(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_export_passes_warcio_check_and_index(demo_db, demo_warc):
    check = warcio("check", "-v", demo_warc)
    assert check.returncode == 0, check.stdout + check.stderr
    n = len(versions_of(demo_db))
    assert n >= 2 and check.stdout.count("digest pass") == 1 + 2 * n and "fail" not in check.stdout
    index = warcio("index", "-f", "warc-type,warc-record-id,warc-target-uri,warc-date,warc-payload-digest,"
                   "warc-concurrent-to,warc-marsad-headers,content-type", demo_warc)
    assert index.returncode == 0, index.stderr
    records = [json.loads(line) for line in index.stdout.splitlines()]
    assert [r["warc-type"] for r in records] == ["warcinfo"] + ["response", "metadata"] * n
    versions = rows(demo_db, "SELECT a.url, v.fetched_at, v.raw_html FROM versions v JOIN articles a"
                             " ON a.id = v.article_id ORDER BY v.n")
    responses = [r for r in records if r["warc-type"] == "response"]
    for r, (url, fetched_at, raw_html) in zip(responses, versions):
        assert (r["warc-target-uri"], r["warc-date"]) == (url, fetched_at)
        payload = base64.b32encode(hashlib.sha1(unpack(raw_html)).digest()).decode()
        assert r["warc-payload-digest"] == f"sha1:{payload}"          # the page exactly as stored
        assert r["warc-marsad-headers"] == "stored"                    # fetched with headers kept
    for response, meta in zip(records[1::2], records[2::2]):
        assert meta["warc-concurrent-to"] == response["warc-record-id"]
        assert meta["content-type"] == "application/json"


def test_metadata_record_holds_fields_and_changes(demo_warc):
    from warcio.archiveiterator import ArchiveIterator
    with open(demo_warc, "rb") as f:
        metas = [json.loads(r.content_stream().read()) for r in ArchiveIterator(f) if r.rec_type == "metadata"]
    first, second = (m["marsad"] for m in metas[:2])
    assert "17" in first["title"] and "22" in second["title"] and second["lang"] == "ar"
    assert first["changes"] == [] and {c["kind"] for c in second["changes"]} >= {"figure_changed", "title_changed"}
    assert [f["value"] for f in second["figures"] if f["where"] == "headline"] == [22]


def test_round_trip_keeps_versions_hashes_and_times(demo_db, demo_warc, tmp_path, marsad):
    fresh = tmp_path / "fresh.db"
    proc = marsad("import", "warc", "--db", fresh, demo_warc)
    n = len(versions_of(demo_db))
    assert f"{n} check(s) ({n - 1} changed, 1 new)" in proc.stdout
    sql = ("SELECT a.url, v.n, v.fetched_at, v.content_hash, v.title, v.raw_html FROM versions v"
           " JOIN articles a ON a.id = v.article_id ORDER BY v.n")
    before, after = rows(demo_db, sql), rows(fresh, sql)
    assert [r[:5] for r in after] == [r[:5] for r in before]
    assert [unpack(r[5]) for r in after] == [unpack(r[5]) for r in before]
    assert rows(fresh, "SELECT name FROM sites") == rows(demo_db, "SELECT name FROM sites")   # عربي بوست (demo)
    changes = "SELECT kind, field, old, new FROM changes WHERE to_version IS NOT NULL ORDER BY id"
    assert rows(fresh, changes) == rows(demo_db, changes)              # the same comparison, made again
    # (a take-down is a check with no page kept: it has no record to export, so it is not imported)
    heads = [unpack(h).decode("latin-1") for (h,) in rows(fresh, "SELECT raw_headers FROM versions ORDER BY n")]
    olds = [unpack(h).decode("latin-1") for (h,) in rows(demo_db, "SELECT raw_headers FROM versions ORDER BY n")]
    assert [h for h in heads] == olds                                 # the fetch's headers, as kept
    assert rows(fresh, "SELECT count(*) FROM alerts") == [(0,)]        # history is not news
    assert rows(fresh, "SELECT status FROM articles") == [("retired",)]   # archived in 2021: not watched on
    again = marsad("import", "warc", "--db", fresh, demo_warc)
    assert "0 check(s)" in again.stdout and f"{n} response already in the database" in again.stdout
    assert rows(fresh, "SELECT count(*) FROM versions") == [(n,)]


def test_export_filters(demo_db, demo_warc, tmp_path, marsad):
    from warcio.archiveiterator import ArchiveIterator
    db = open_db(demo_db, mode="read")
    buf = io.BytesIO()
    later = [t for t in versions_of(demo_db) if t >= "2021-02-26T13:58:00Z"]
    assert write_warc(db, buf, since="2021-02-26T13:58:00Z").versions == len(later) >= 1
    buf.seek(0)
    dates = [r.rec_headers.get_header("WARC-Date") for r in ArchiveIterator(buf) if r.rec_type == "response"]
    assert dates == later and "2021-02-26T13:56:00Z" not in dates
    site = rows(demo_db, "SELECT name FROM sites")[0][0]
    url = rows(demo_db, "SELECT url FROM articles")[0][0]
    n = len(versions_of(demo_db))
    assert write_warc(db, io.BytesIO(), site=site).versions == n
    assert write_warc(db, io.BytesIO(), site="another").versions == 0
    assert write_warc(db, io.BytesIO(), urls=[url]).versions == n
    out = tmp_path / "x.warc.gz"
    bad = marsad("export", "warc", "--db", demo_db, "--site", "nowhere", "-o", out, check=False)
    assert bad.returncode == 1 and bad.stderr.startswith("Error: no site named 'nowhere'") and not out.exists()
    bad = marsad("export", "warc", "--db", demo_db, "https://elsewhere.example/a", "-o", out, check=False)
    assert bad.returncode == 1 and "is not tracked" in bad.stderr and not out.exists()


def test_version_fetched_before_headers_were_kept_gets_a_synthesized_block(tmp_path):
    path = tmp_path / "old.db"
    db = open_db(path)
    url = "https://arabicpost.net/news/2021/02/26/russia-annoyed-us-strike-syria/"
    from crawler.extract import extract
    html = render_article("v1")
    record_check(db, CheckResult(url=url, fetched_at="2021-02-26T13:56:00Z", status=200, html=html,
                                 article=extract(html, url=url, fetched_at="2021-02-26T13:56:00Z")))
    assert rows(path, "SELECT raw_headers FROM versions") == [(None,)]
    out = tmp_path / "old.warc"
    with open(out, "wb") as f:
        assert write_warc(db, f, gzip=False).headers_synthesized == 1
    assert warcio("check", out).returncode == 0
    from warcio.archiveiterator import ArchiveIterator
    with open(out, "rb") as f:
        seen = [(r.rec_headers.get_header(HEADERS_FIELD), r.http_headers.get_statuscode(),
                 r.http_headers.get_header("Content-Type"), r.content_stream().read())
                for r in ArchiveIterator(f) if r.rec_type == "response"]
    assert seen == [(SYNTHESIZED, "200", "text/html", html)]
    (capture,) = read_archive(out).captures
    assert capture.header_block is None                     # made up by marsad: never stored as evidence


def _wget_style(writer, url: str, body: bytes) -> None:
    """A response as wget writes it: the bytes of the wire (gzip, then chunks), its request beside it."""
    from warcio.statusandheaders import StatusAndHeaders
    z = gzip.compress(body)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(z[i:i + 700]), z[i:i + 700]) for i in range(0, len(z), 700)) + b"0\r\n\r\n"
    req = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "127.0.0.1")], is_http_request=True)
    writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
    sh = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=UTF-8"), ("Content-Encoding", "gzip"),
                                     ("Transfer-Encoding", "chunked"), ("ETag", '"w1"')], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(chunked), length=len(chunked),
                                                  http_headers=sh,
                                                  warc_headers_dict={"WARC-Date": "2021-02-26T15:00:00.123456Z"}))


def test_import_an_archive_written_by_other_tools(tmp_path):
    """warcio's own capture of real HTTP exchanges (requests beside responses), plus what wget writes:
    a chunked gzip body, a redirect, a revisit, an image. Only the article pages become checks."""
    from warcio.capture_http import capture_http
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    from scheduler.cli_warc import import_captures
    out = tmp_path / "captured.warc.gz"
    with DemoSite("v1") as site:
        other = site.base_url + "/news/2021/02/26/other-story/"
        site.pages["/news/2021/02/26/other-story/"] = (200, "text/html; charset=UTF-8", render_article("v1"))
        with capture_http(str(out)):
            for path in ("/robots.txt", "/feed/", "/nothing-here/"):
                try:
                    urllib.request.urlopen(site.base_url + path, timeout=10).read()
                except urllib.error.HTTPError:
                    pass
            urllib.request.urlopen(site.article_url, timeout=10).read()
            site.state = "v2"
            urllib.request.urlopen(site.article_url, timeout=10).read()
    with open(out, "ab") as f:
        w = WARCWriter(f, gzip=True, warc_version="1.1")
        _wget_style(w, other, render_article("v1", site.base_url))
        w.write_record(w.create_warc_record(
            site.base_url + "/old/", "response", payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders("301 Moved Permanently", [("Location", site.article_url)],
                                          protocol="HTTP/1.1")))
        w.write_record(w.create_revisit_record(site.article_url, "sha1:AAAA", "http://example/", "2021-01-01T00:00:00Z"))
        png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
        w.write_record(w.create_warc_record(site.base_url + "/logo.png", "response", payload=io.BytesIO(png),
                                            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "image/png")],
                                                                          protocol="HTTP/1.1")))
    assert warcio("check", out).returncode == 0
    archive = read_archive(out)
    assert archive.skipped["request record"] == 6
    assert archive.skipped["revisit record"] == 1
    assert archive.skipped["redirect (its target has its own record)"] == 1
    assert archive.skipped["response that is not HTML"] == 3              # robots.txt, the feed, the logo
    wget = next(c for c in archive.captures if c.url == other)
    assert wget.body == render_article("v1", site.base_url) and wget.fetched_at == "2021-02-26T15:00:00Z"
    path = tmp_path / "analysed.db"
    db = open_db(path)
    result = import_captures(db, archive.captures, load(str(LOOPBACK_CONFIG)))
    db.conn.close()
    assert result.outcomes == {"new": 2, "changed": 1}
    assert result.skipped == {"HTTP 404 response for a URL without a version": 1}
    got = rows(path, "SELECT a.url, v.n, v.title FROM versions v JOIN articles a ON a.id = v.article_id"
                     " ORDER BY a.url = ?, v.n".replace("?", f"'{other}'"))
    assert [(u, n) for u, n, _ in got] == [(site.article_url, 1), (site.article_url, 2), (other, 1)]
    assert "22" in got[1][2]
    kinds = {k for (k,) in rows(path, "SELECT kind FROM changes")}
    assert {"figure_changed", "title_changed"} <= kinds
    (block,) = rows(path, "SELECT raw_headers FROM versions v JOIN articles a ON a.id = v.article_id"
                          f" WHERE a.url = '{other}'")[0]
    assert b"ETag: \"w1\"" in unpack(block)                               # the archived headers are kept


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "cut-gzip"])
def test_damaged_archive_is_refused_and_nothing_is_written(damage, demo_db, demo_warc, tmp_path, marsad):
    data = demo_warc.read_bytes()
    bad = tmp_path / "bad.warc.gz"
    if damage == "truncated":                         # an archive cut inside the second response
        raw = gzip.decompress(data)
        cut = raw.index(b"WARC-Type: response", raw.index(b"WARC-Type: response") + 1) + 2000
        bad = tmp_path / "bad.warc"
        bad.write_bytes(raw[:cut])
    elif damage == "garbage":
        bad.write_bytes(b"<html>this is a web page, not an archive</html>\n")
    elif damage == "empty":
        bad.write_bytes(b"")
    else:                                             # the gzip member of a record cut short
        bad.write_bytes(data[:len(data) * 2 // 3])
    target = tmp_path / "kept.db"
    shutil.copy(demo_db, target)
    before = digest(target)
    proc = marsad("import", "warc", "--db", target, bad, check=False)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ") and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert "nothing was imported" in proc.stderr
    assert digest(target) == before
    missing = tmp_path / "never.db"
    assert marsad("import", "warc", "--db", missing, bad, check=False).returncode == 1
    assert not missing.exists()


def test_a_database_that_is_not_marsads_is_refused_untouched(demo_warc, tmp_path, marsad):
    other = tmp_path / "notes.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO articles (body) VALUES ('my own notes')")
    con.commit()
    con.close()
    before = digest(other)
    proc = marsad("import", "warc", "--db", other, demo_warc, check=False)
    assert proc.returncode == 1 and proc.stderr.startswith("Error: ") and "not a marsad database" in proc.stderr
    assert digest(other) == before


def test_an_import_never_puts_an_older_capture_after_a_newer_version(demo_db, demo_warc, tmp_path):
    from scheduler.cli_warc import import_captures
    from storage.warc import export_warc
    late = tmp_path / "late.warc.gz"
    later = [t for t in versions_of(demo_db) if t >= "2021-02-26T13:58:00Z"]
    assert export_warc(open_db(demo_db, mode="read"), late, since="2021-02-26T13:58:00Z").versions == len(later)
    path = tmp_path / "late.db"
    db = open_db(path)
    config = load(str(LOOPBACK_CONFIG))
    first = import_captures(db, read_archive(late).captures, config).outcomes
    assert first == {"new": 1, **({"changed": len(later) - 1} if len(later) > 1 else {})}
    result = import_captures(db, read_archive(demo_warc).captures, config)
    assert result.outcomes == {}
    assert result.skipped == {"response already in the database (same URL and time)": len(later),
                              "response older than the article's last check in the database": 1}
    assert [t for _, t in db.execute("SELECT n, fetched_at FROM versions ORDER BY n").fetchall()] == later
    db.conn.close()
