"""A plugin that behaves like one: it acts on marsad's databases only (another database served by the
same Datasette is shown exactly as Datasette shows it), its pages extend Datasette's base.html with
the stylesheet served as the plugin's static file, and every link it builds honours `base_url`."""
from __future__ import annotations

import html
import re
import sqlite3

import pytest

from .newsroom import Served, build

FOREIGN_TEXT = "قال المرصد إن الاجتماع انتهى دون اتفاق"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("hygiene")
    news = d / "news.db"
    build(news)
    other = d / "other.db"                 # another program's database, with tables named like marsad's
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, url TEXT, kind TEXT, severity TEXT, at TEXT)")
    con.execute("CREATE TABLE versions (id INTEGER PRIMARY KEY, text TEXT)")
    con.execute("INSERT INTO articles VALUES (1, 'https://x.example/', 'title_changed', 'low', '2026-12-02T06:00:00Z')")
    con.execute("INSERT INTO versions VALUES (1, ?)", [FOREIGN_TEXT])
    con.commit()
    con.close()
    return news, other


def test_other_databases_are_left_as_datasette_shows_them(files):
    news, other = files
    with Served(news, datasette_args=[], extra_dbs=[other]) as server:
        status, _, page = server.get("/other/versions")
        assert status == 200 and FOREIGN_TEXT in page
        assert '<div dir="rtl" lang="ar">' not in page and "marsad.css" not in page
        status, _, page = server.get("/other/articles")
        assert "title_changed" in page and "headline rewritten" not in page and "marsad-sev" not in page
        assert "2026-12-02T06:00:00Z" in page
        # marsad's own tables, served by the same Datasette, get the readable cells
        page = server.get("/news/versions")[2]
        assert '<div dir="rtl" lang="ar">' in page and "/-/static-plugins/marsad/marsad.css" in page
        page = server.get("/news/changes")[2]
        assert "headline rewritten" in page and 'class="marsad-sev marsad-sev-high"' in page
        page = server.get("/news/articles")[2]
        assert "Port warehouse fire: 7 workers injured" in page            # articles show their headlines
        # with two databases served, the plugin's links name the one they read
        front = server.get("/-/marsad/")[2]
        assert re.search(r'href="/-/marsad/article/\d+\?db=news&amp;from=', front)
        assert server.get("/-/marsad/?db=other")[0] == 404


def test_a_datasette_without_marsad_keeps_its_own_index(files):
    _, other = files
    with Served(other, datasette_args=[]) as server:
        status, _, page = server.get("/")
        assert status == 200 and "other" in page
        assert server.get("/-/marsad/")[0] == 404


def links(page: str) -> list[str]:
    return [html.unescape(u) for u in re.findall(r'(?:href|src|action)="([^"]+)"', page)]


def test_every_link_honours_base_url(files):
    news, _ = files
    with Served(news, datasette_args=["--setting", "base_url", "/desk/"]) as server:
        status, headers, _ = server.get("/desk/")
        assert status == 302 and headers["Location"] == "/desk/-/marsad/"
        front = server.get("/desk/-/marsad/")[2]
        article = next(u for u in links(front) if "/-/marsad/article/" in u)
        pages = [front, server.get(article)[2], server.get("/desk/-/marsad/?q=firefighters")[2]]
        local = sorted({u for p in pages for u in links(p) if not u.startswith(("http://", "https://", "#"))})
        assert local and all(u.startswith("/desk/") for u in local), [u for u in local if not u.startswith("/desk/")]
        for u in local:
            if "/-/marsad/" in u or u.endswith(".css"):
                assert server.get(u)[0] == 200, u
        feed = server.get("/desk/-/marsad/feed.atom")[2]
        hrefs = re.findall(r'<link rel="alternate" href="([^"]+)"', feed)
        assert hrefs and all(h.startswith(server.base + "/desk/-/marsad/article/") for h in hrefs)
        assert server.get("/desk/-/marsad/diff/2")[1]["Location"].startswith("/desk/-/marsad/article/")
