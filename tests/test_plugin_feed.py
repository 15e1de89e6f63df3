"""The Atom feed served by `marsad serve`: all changes, per site, per article. Parsed with the standard
library's XML parser and checked for what RFC 4287 requires of a feed and of each entry."""
from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET

import pytest

from .newsroom import EN_SITE, Served, build

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    path = tmp_path_factory.mktemp("feed") / "newsroom.db"
    build(path)
    with Served(path) as server:
        yield server, path


def feed(server, query=""):
    status, headers, body = server.get("/-/marsad/feed.atom" + query)
    assert status == 200, body
    assert headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(body.encode("utf-8"))
    assert root.tag == f"{A}feed"
    for required in ("id", "title", "updated"):
        assert (root.findtext(f"{A}{required}") or "").strip(), required
    assert RFC3339.fullmatch(root.findtext(f"{A}updated"))
    assert root.find(f"{A}author/{A}name").text == "marsad"
    assert root.find(f"{A}link[@rel='self']").get("href") == server.base + "/-/marsad/feed.atom" + query
    entries = root.findall(f"{A}entry")
    for e in entries:
        for required in ("id", "title", "updated"):
            assert (e.findtext(f"{A}{required}") or "").strip(), required
        assert RFC3339.fullmatch(e.findtext(f"{A}updated"))
    assert len({e.findtext(f"{A}id") for e in entries}) == len(entries)     # ids are unique
    return root, entries


def test_all_changes_with_links_to_the_article_pages(newsroom):
    server, _ = newsroom
    root, entries = feed(server)
    assert len(entries) == 8                          # 6 revisions and 2 take-downs
    updated = [e.findtext(f"{A}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    toll = next(e for e in entries if "23" in e.findtext(f"{A}title") and "killed: 19 → 23" in e.findtext(f"{A}title"))
    link = toll.find(f"{A}link[@rel='alternate']").get("href")
    assert re.fullmatch(re.escape(server.base) + r"/-/marsad/article/\d+\?from=2&to=3", link)
    assert server.get(link[len(server.base):])[0] == 200
    assert toll.find(f"{A}link[@rel='related']").get("href").startswith("https://alsahil.example/")
    assert "<ins>" in toll.findtext(f"{A}content")   # the rendered diff, as escaped HTML
    assert toll.find(f"{A}content").get("type") == "html"
    down = [e for e in entries if "taken down (HTTP 404)" in e.findtext(f"{A}title")]
    assert len(down) == 1


def test_per_site_and_per_article(newsroom):
    server, path = newsroom
    con = sqlite3.connect(path)
    site = con.execute("SELECT id FROM sites WHERE name = ?", [EN_SITE]).fetchone()[0]
    article = con.execute("SELECT id FROM articles WHERE url LIKE '%grain-stores-strike%'").fetchone()[0]
    con.close()
    root, entries = feed(server, f"?site={site}")
    assert len(entries) == 2 and EN_SITE in root.findtext(f"{A}title")
    assert all(e.findtext(f"{A}title").startswith(EN_SITE) for e in entries)
    root, entries = feed(server, f"?article={article}")
    assert len(entries) == 2 and "23 قتيلاً" in root.findtext(f"{A}title")
    assert root.findtext(f"{A}id").endswith(f":article:{article}")


@pytest.mark.parametrize("query, status", [("?site=x", 400), ("?site=999", 404), ("?article=0", 400),
                                           ("?article=999", 404), ("?format=rss", 400)])
def test_bad_parameters(newsroom, query, status):
    server, _ = newsroom
    assert server.get("/-/marsad/feed.atom" + query)[0] == status


def test_the_front_page_announces_the_feed(newsroom):
    server, _ = newsroom
    page = server.get("/-/marsad/")[2]
    assert '<link rel="alternate" type="application/atom+xml"' in page and 'href="/-/marsad/feed.atom"' in page
