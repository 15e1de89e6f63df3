"""Fetch headers kept (issue 14, item 5): the status line and headers of the response that made a
version are stored with it, compressed (versions.raw_headers); a check that stores no version stores no
headers; a database from before migration 9 gains the column and keeps its rows."""
from __future__ import annotations

import sqlite3

from scrapy.http import HtmlResponse

from crawler.spiders.articles import header_block
from scheduler.demo_site import DemoSite, render_article
from scheduler.demo_site.server import article_path
from storage import open_db, schema, track
from storage.blobs import ZSTD_MAGIC, unpack

HTML = "text/html; charset=UTF-8"


def page(site, state: str, last_modified: str) -> tuple:
    return (200, HTML, render_article(state, site.base_url),
            {"Last-Modified": last_modified, "Cache-Control": "public, max-age=60", "X-Served-By": "cache-ams 7"})


def lines(block: bytes) -> list[str]:
    return block.decode("latin-1").split("\r\n")


def test_a_version_keeps_the_headers_of_its_fetch_and_an_unchanged_check_keeps_none(tmp_path, marsad):
    db = tmp_path / "h.db"
    with DemoSite() as site:
        path = article_path()
        site.pages[path] = page(site, "v1", "Fri, 26 Feb 2021 13:55:00 GMT")
        marsad("crawl", "--db", db, site.article_url)
        site.pages[path] = page(site, "v2", "Fri, 26 Feb 2021 13:58:00 GMT")
        marsad("crawl", "--db", db, site.article_url)
        site.pages[path] = page(site, "v3", "Fri, 26 Feb 2021 14:09:00 GMT")   # only the sidebar moved
        marsad("crawl", "--db", db, site.article_url)
    con = sqlite3.connect(db)
    checks = con.execute("SELECT outcome FROM checks ORDER BY id").fetchall()
    versions = con.execute("SELECT n, raw_headers FROM versions ORDER BY n").fetchall()
    con.close()
    assert checks == [("new",), ("changed",), ("unchanged",)]
    assert len(versions) == 2                           # the unchanged check wrote no version, so no headers
    for (n, blob), stamp in zip(versions, ("13:55", "13:58")):
        assert bytes(blob[:4]) == ZSTD_MAGIC              # compressed like raw_html
        got = lines(unpack(blob))
        assert got[0] == "HTTP/1.0 200 OK"                # Python's http.server answers HTTP/1.0
        assert f"Last-Modified: Fri, 26 Feb 2021 {stamp}:00 GMT" in got
        assert "Cache-Control: public, max-age=60" in got and "X-Served-By: cache-ams 7" in got
        assert any(line.lower().startswith("etag: \"") for line in got)
        assert got[-2:] == ["", ""]                       # ends as a header block ends on the wire


def test_header_block_keeps_each_value_and_the_status_line():
    r = HtmlResponse("https://x.example/a", status=200, protocol="HTTP/1.1", body=b"<html></html>",
                     headers=[("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("ETag", '"e1"')])
    assert lines(header_block(r)) == ["HTTP/1.1 200 OK", "Set-Cookie: a=1", "Set-Cookie: b=2", 'Etag: "e1"', "", ""]
    odd = HtmlResponse("https://x.example/b", status=299, protocol="h2", body=b"", headers={})
    assert lines(header_block(odd))[0] == "HTTP/2 299"     # no standard phrase, HTTP/2 named as on the wire


def test_migration_9_adds_the_column_to_an_older_database(tmp_path, monkeypatch):
    path = tmp_path / "v8.db"
    older = [m for m in schema.MIGRATIONS if m[0] <= 8]
    with monkeypatch.context() as m:
        m.setattr(schema, "MIGRATIONS", older)
        db = open_db(path)
        track(db, ["https://x.example/news/1"], "2021-02-26T13:56:00Z")
        db.conn.close()
    con = sqlite3.connect(path)
    assert "raw_headers" not in [r[1] for r in con.execute("PRAGMA table_info(versions)")]
    con.close()
    db = open_db(path)
    assert "raw_headers" in db["versions"].columns_dict
    assert db.execute("SELECT name FROM _migrations WHERE version = 9").fetchone() == ("fetch headers kept with versions",)
    assert db.execute("SELECT url FROM articles").fetchall() == [("https://x.example/news/1",)]
    db.conn.close()
    assert (tmp_path / "v8.db.bak-before-v9").exists()        # a copy before the first pending migration



def test_a_gzipped_response_is_kept_decoded_and_its_headers_say_so(tmp_path, marsad):
    """Scrapy inflates the body before marsad sees it: the kept headers must not claim gzip, so the
    exported WARC's payload reads back as the page (warcio would try to inflate it otherwise)."""
    import gzip
    from warcio.archiveiterator import ArchiveIterator
    db, out = tmp_path / "gz.db", tmp_path / "gz.warc.gz"
    with DemoSite() as site:
        body = render_article("v1", site.base_url)
        site.pages[article_path()] = (200, HTML, gzip.compress(body), {"Content-Encoding": "gzip",
                                                                      "Vary": "Accept-Encoding"})
        marsad("crawl", "--db", db, site.article_url)
    con = sqlite3.connect(db)
    (blob,) = con.execute("SELECT raw_headers FROM versions").fetchone()
    con.close()
    kept = [line.lower() for line in lines(unpack(blob))]
    assert "vary: accept-encoding" in kept and not any(line.startswith("content-encoding") for line in kept)
    marsad("export", "warc", "--db", db, "-o", out)
    with open(out, "rb") as f:
        pages = [(r.http_headers.get_header("Content-Length"), r.content_stream().read())
                 for r in ArchiveIterator(f) if r.rec_type == "response"]
    assert pages == [(str(len(body)), body)]
