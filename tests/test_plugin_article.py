"""An article's page on a real `marsad serve`: the whole history, the changed words marked inside edited
sentences (not the paragraph), the figure chart over fetch time with labels that do not overlap, any
two versions compared, taken-down stories with their last text, and 400/404 for bad parameters."""
from __future__ import annotations

import re
import sqlite3
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest

from storage.datasette_plugin.chart import CHAR_WIDTH, LABEL_HEIGHT, figure_chart

from .newsroom import Served, build


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    path = tmp_path_factory.mktemp("article") / "newsroom.db"
    build(path)
    con = sqlite3.connect(path)
    ids = {url.rsplit("/", 2)[-2] if url.endswith("/") else url.rsplit("/", 1)[-1]: i
           for i, url in con.execute("SELECT id, url FROM articles")}
    con.close()
    with Served(path) as server:
        yield server, ids


def page(server, path):
    status, _, body = server.get(path)
    assert status == 200, body
    return body


def test_the_latest_pair_by_default_with_the_words_that_changed(newsroom):
    server, ids = newsroom
    body = page(server, f"/-/marsad/article/{ids['grain-stores-strike']}")
    assert "Version 2 → version 3" in body
    sbs = body.split('class="m-sbs"')[1].split("</div>\n  {% if")[0]
    assert "<del>19</del>" in sbs and "<ins>23</ins>" in sbs               # the toll, word by word
    edited = re.search(r'<span class="edited">(.*?)</span>', sbs).group(1)
    assert "الدفاع المدني" in edited and "<ins>" not in edited.split("<del>")[0].replace("<ins>23</ins>", "")
    assert "<ins>قال الدفاع" not in sbs                                    # not the whole sentence
    assert '<span class="new"><ins>وقالت وزارة الصحة' in sbs                # a new sentence is marked whole
    assert 'dir="rtl"' in sbs and 'lang="ar"' in body


def test_the_whole_history_and_the_compare_selector(newsroom):
    server, ids = newsroom
    aid = ids["grain-stores-strike"]
    body = page(server, f"/-/marsad/article/{aid}?from=1&to=3")
    assert "Version 1 → version 3" in body and "<del>12</del>" in body and "<ins>23</ins>" in body
    timeline = body.split('class="m-timeline"')[1]
    assert timeline.count("<tr") == 4                                       # header + 3 versions
    assert f'href="/-/marsad/article/{aid}?from=1&amp;to=2"' in timeline
    assert re.search(r'<select name="from">.*<option value="1" selected>', body, re.S)
    assert re.search(r'<select name="to">.*<option value="3" selected>', body, re.S)


def test_the_chart_is_over_fetch_time(newsroom):
    server, ids = newsroom
    body = page(server, f"/-/marsad/article/{ids['grain-stores-strike']}")
    svg = re.search(r"<svg class=\"marsad-chart\".*?</svg>", body, re.S).group(0)
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"12", "19", "23", "41"} <= set(texts)
    assert sum(bool(re.fullmatch(r"\d\d:\d\d", t or "")) for t in texts) >= 3      # time ticks, not "v1 v2"
    assert not any(re.fullmatch(r"v\d+", t or "") for t in texts)
    xs = {c.get("cx") for c in root.iter("{http://www.w3.org/2000/svg}circle")}
    assert len(xs) == 3                       # three fetch times (41 shares the last one with 23)


def test_chart_labels_never_overlap():
    t0 = datetime(2026, 12, 2, 6, 0, tzinfo=timezone.utc)
    # four values a few seconds apart, two measures close together: labels must make room or give way
    series = {"killed": [(t0 + timedelta(seconds=s), v) for s, v in ((0, 100), (5, 101), (10, 102), (3600, 140))],
              "injured": [(t0 + timedelta(seconds=s), v) for s, v in ((0, 99), (3600, 138))]}
    root = ET.fromstring(figure_chart(series))
    boxes = []
    for t in root.iter("{http://www.w3.org/2000/svg}text"):
        if t.get("font-weight") == "bold":
            x, y, w = float(t.get("x")), float(t.get("y")), CHAR_WIDTH * len(t.text) + 4
            boxes.append((x - w / 2, y - LABEL_HEIGHT + 3, x + w / 2, y + 3))
    assert len(boxes) >= 3
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)


def test_a_taken_down_story_keeps_its_last_text(newsroom):
    server, ids = newsroom
    body = page(server, f"/-/marsad/article/{ids['dam-warning']}")
    assert "Taken down" in body and "HTTP 404" in body
    assert "Residents of three villages downstream were told to prepare to leave." in body


def test_older_diff_links_land_on_the_article_page(newsroom):
    server, ids = newsroom
    con_status, headers, _ = server.get("/-/marsad/diff/2")
    assert con_status == 302 and re.fullmatch(r"/-/marsad/article/\d+(\?from=\d+&to=\d+)?", headers["Location"])
    assert server.get(headers["Location"])[0] == 200
    assert server.get("/-/marsad/diff/999")[0] == 404


@pytest.mark.parametrize("query, status, message", [
    ("?a=x", 400, "unknown parameter a"),
    ("?from=x", 400, "from must be a positive integer"),
    ("?to=-1", 400, "to must be a positive integer"),
    ("?from=99999999999999999999", 400, "positive integer"),
    ("?from=9", 404, "has no version 9"),
    ("?from=2&to=2", 400, "two different versions"),
    ("?db=nope", 404, "not a marsad database"),
])
def test_bad_parameters(newsroom, query, status, message):
    server, ids = newsroom
    got, _, body = server.get(f"/-/marsad/article/{ids['grain-stores-strike']}{query}")
    assert got == status and message in body


def test_unknown_articles_are_404s(newsroom):
    server, _ = newsroom
    assert server.get("/-/marsad/article/999")[0] == 404
    assert server.get("/-/marsad/article/abc")[0] == 400
