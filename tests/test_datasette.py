"""Datasette over a database filled by the demo: views, Arabic search, canned queries, the plugin pages,
the metadata, and `marsad serve` reading while a writer writes."""
from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from datasette.app import Datasette

from detector import Article, find_figures
from storage import CheckResult, open_db, record_check
from storage.datasette_config import metadata_for

from .conftest import ROOT
from scheduler.demo import free_port


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("ds") / "demo.db"
    subprocess.run([sys.executable, "-m", "scheduler.cli", "demo", "--db", str(path)], cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    return path


def get(path, url, as_json=True):
    ds = Datasette([str(path)], metadata=metadata_for(path.stem))

    async def go():
        r = await ds.client.get(url)
        return r.status_code, (r.json() if as_json and r.status_code == 200 else r.text)
    return asyncio.run(go())


def test_views_return_the_demo_changes(demo_db):
    status, rows = get(demo_db, "/demo/recent_changes.json?_shape=array")
    assert status == 200
    assert {"figure_changed", "updated_time_changed", "title_changed", "sentence_added"} <= {r["kind"] for r in rows}
    fig = next(r for r in rows if r["kind"] == "figure_changed")
    assert fig["change"] == "17 → 22" and fig["diff"] == "/-/marsad/diff/2"
    _, timeline = get(demo_db, "/demo/article_timeline.json?_shape=array")
    assert [r["n"] for r in timeline] == [1, 2, 3, 4, 5] and timeline[1]["summary"].startswith("killed: 17 → 22 (up)")
    _, figures = get(demo_db, "/demo/figure_history.json?_shape=array")
    assert [(r["measure"], r["n"], r["value"]) for r in figures] == [("killed", 1, 17)] + [("killed", n, 22) for n in
                                                                                        range(2, 6)]
    _, stats = get(demo_db, "/demo/site_stats.json?_shape=array")
    assert stats[0]["versions"] == 5 and stats[0]["changes"] >= 4


def test_arabic_search_finds_almarsad_for_marsad(demo_db):
    status, rows = get(demo_db, "/demo/versions.json?_search=" + urllib.request.quote("مرصد") + "&_shape=array")
    assert status == 200 and rows and all("المرصد" in r["text"] for r in rows)
    _, hamza = get(demo_db, "/demo/versions.json?_search=" + urllib.request.quote("ايران") + "&_shape=array")
    assert hamza                                         # typed without hamza, the text has "إيران"
    _, html = get(demo_db, "/demo/versions", as_json=False)
    assert 'name="_search"' in html                      # Datasette's own search box is there


@pytest.mark.parametrize("query", ["toll_rises_last_24_hours", "headlines_changed_more_than_twice",
                                   "updates_within_10_minutes_of_publishing", "articles_taken_down"])
def test_canned_queries_run(demo_db, query):
    status, rows = get(demo_db, f"/demo/{query}.json?_shape=array")
    assert status == 200 and isinstance(rows, list)
    if query == "updates_within_10_minutes_of_publishing":
        assert rows and rows[0]["minutes_after_publishing"] == 3.0


def test_every_table_view_and_column_is_described(demo_db):
    meta = metadata_for("demo")["databases"]["demo"]["tables"]
    con = sqlite3.connect(demo_db)
    names = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
                                       " AND name NOT LIKE 'versions_fts_%' AND name NOT LIKE 'sqlite_%'")]
    for name in names:
        assert name in meta and meta[name].get("description"), name
        if name == "versions_fts":
            continue
        cols = [r[1] for r in con.execute(f"PRAGMA table_info([{name}])")]
        missing = [c for c in cols if c not in meta[name].get("columns", {})]
        assert missing == [], f"{name}: {missing}"


@pytest.fixture
def hostile_db(tmp_path):
    """An article whose headline and text carry markup, as a hostile or broken page would."""
    path = tmp_path / "hostile.db"
    db = open_db(path)
    for i, (title, text) in enumerate([("<script>alert(1)</script> مقتل 17 شخصاً", "قال المرصد إن 17 شخصاً قُتلوا."),
                                       ("<script>alert(1)</script> مقتل 22 شخصاً",
                                        "قال المرصد إن 22 شخصاً قُتلوا. <img src=x onerror=alert(2)> جملة جديدة هنا.")]):
        a = Article(url="https://x.example/a", title=title, text=text, lang="ar")
        a = Article(**{**a.__dict__, "figures": find_figures(a.title, a.text)})
        record_check(db, CheckResult(url=a.url, fetched_at=f"2021-01-01T0{i}:00:00Z", status=200, article=a))
    db.conn.close()
    return path


def test_plugin_pages_render_with_markup_escaped(hostile_db):
    for url in ("/-/marsad/article/1", "/-/marsad/", "/-/marsad/?q=" + urllib.request.quote("مقتل")):
        status, html = get(hostile_db, url, as_json=False)
        assert status == 200
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert 'dir="rtl"' in html
    _, article = get(hostile_db, "/-/marsad/article/1", as_json=False)
    assert "<ins>" in article and "&lt;img src=x onerror=alert(2)&gt;" in article
    assert 'class="marsad-chart"' in article and "<polyline" in article and ">22<" in article
    assert "version 1" in article
    status, feed = get(hostile_db, "/-/marsad/feed.atom", as_json=False)
    assert status == 200 and "<script>" not in feed
    assert get(hostile_db, "/-/marsad/diff/2", as_json=False)[0] == 302
    assert get(hostile_db, "/-/marsad/diff/99", as_json=False)[0] == 404
    assert get(hostile_db, "/-/marsad/article/1?db=nope", as_json=False)[0] == 404


def test_view_links_to_the_plugin_pages(demo_db):
    _, html = get(demo_db, "/demo/recent_changes", as_json=False)
    assert 'href="/-/marsad/diff/2?db=demo"' in html
    _, html = get(demo_db, "/demo/article_timeline", as_json=False)
    assert 'href="/-/marsad/article/1?db=demo">open the article</a>' in html


def test_views_read_as_words_not_code(demo_db):
    _, html = get(demo_db, "/demo/recent_changes", as_json=False)
    assert '<span title="figure_changed">figure changed</span>' in html
    assert 'class="marsad-sev marsad-sev-high">high</span>' in html
    assert '<time datetime="2021-02-26T14:00:00Z" title="2021-02-26T14:00:00Z">2021-02-26 14:00 UTC</time>' in html
    assert "/-/static-plugins/marsad/marsad.css" in html


def test_bookkeeping_tables_step_back(demo_db):
    _, html = get(demo_db, "/demo", as_json=False)
    listed = html.split("hidden tables")[0] if "hidden tables" in html else html
    for table in ("cycles", "checks", "alerts", "hosts", "state"):
        assert f'href="/demo/{table}"' not in listed, table
    assert 'href="/demo/articles"' in listed and 'href="/demo/changes"' in listed
    _, articles = get(demo_db, "/demo/articles", as_json=False)
    assert "حصيلة الضربة ترتفع لـ22 قتيلاً" in articles          # the URL shown under its latest headline


def test_column_descriptions_are_short():
    meta = metadata_for("demo")["databases"]["demo"]["tables"]
    long = [(t, c, len(d)) for t, m in meta.items() for c, d in m.get("columns", {}).items() if len(d) > 70]
    assert long == []


def test_marsad_serve_reads_while_a_writer_writes(demo_db, tmp_path):
    path = tmp_path / "live.db"
    path.write_bytes(demo_db.read_bytes())
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "serve", "--db", str(path), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stop = threading.Event()
    written = []

    def writer():
        db = open_db(path)
        i = 0
        while not stop.is_set():
            a = Article(url=f"https://w.example/{i}", title=f"Article {i}", text="Officials said 3 people were killed.")
            record_check(db, CheckResult(url=a.url, fetched_at="2021-03-01T00:00:00Z", status=200, article=a))
            written.append(i)
            i += 1

    try:
        base = f"http://127.0.0.1:{port}/live"
        end = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + ".json", timeout=2)
                break
            except OSError:
                if time.monotonic() > end or server.poll() is not None:
                    raise AssertionError("marsad serve did not start: " + (server.stderr.read() if server.poll() else ""))
                time.sleep(0.2)
        t = threading.Thread(target=writer, daemon=True)
        t.start()
        counts = []
        for _ in range(25):
            with urllib.request.urlopen(base + "/articles.json?_shape=array&_size=1&_col=id", timeout=10) as r:
                assert r.status == 200
            with urllib.request.urlopen(base + ".json?sql=select+count(*)+as+n+from+versions&_shape=array",
                                        timeout=10) as r:
                counts.append(json.loads(r.read())[0]["n"])
            time.sleep(0.05)
        stop.set()
        t.join(timeout=10)
        assert len(written) > 10 and counts[-1] > counts[0]      # reads saw the writes as they landed
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=10)
