"""The editors' front page on a real `marsad serve` over a newsroom's last hour (tests/newsroom.py):
what opens first, one row per article with its latest change in words, filters, Arabic-aware search
with marked snippets, the take-downs with their last text, and 400s for bad parameters."""
from __future__ import annotations

import html
import re
import sqlite3
from urllib.parse import quote

import pytest

from .newsroom import AR_SITE, EN_SITE, Served, build


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    path = tmp_path_factory.mktemp("front") / "newsroom.db"
    build(path)
    with Served(path) as server:
        yield server, path


def rows(page: str) -> list[str]:
    return re.findall(r'<li class="m-row[^"]*">(.*?)</li>', page, re.S)


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def site_id(path, name) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT id FROM sites WHERE name = ?", [name]).fetchone()[0]
    finally:
        con.close()


def test_marsad_serve_opens_on_the_front_page(newsroom):
    server, _ = newsroom
    status, headers, _ = server.get("/")
    assert status == 302 and headers["Location"] == "/-/marsad/"
    status, _, page = server.get("/-/marsad/")
    assert status == 200 and "Latest changes" in page
    assert 'href="/-/static-plugins/marsad/marsad.css"' in page and "/-/static/app.css" in page   # Datasette's base


def test_one_row_per_article_with_its_latest_change_in_words(newsroom):
    server, _ = newsroom
    page = server.get("/-/marsad/")[2]
    found = rows(page)
    assert len(found) == 7                                   # 7 articles changed or taken down; 1 never changed
    toll = next(r for r in found if "23 قتيلاً" in r)
    assert "19 قتيلاً" not in page.split('class="m-downs"')[0].replace(toll, "")   # the older headline is not a row
    assert 'dir="rtl"' in toll and 'lang="ar"' in toll
    assert "القتلى: من 19 إلى 23" in text_of(toll)           # the summary in the article's language
    assert "killed: 19 → 23 (up)" in html.unescape(toll)      # and in English, on hover
    assert re.search(r"\d+ min ago", toll) and re.search(r"2026-\d\d-\d\d \d\d:\d\d UTC|\d{4}-\d\d-\d\d \d\d:\d\d UTC", toll)
    assert "تغيّر العنوان" in toll and "النسخة 2 إلى 3" in toll
    fire = next(r for r in found if "Port warehouse fire" in r)
    assert "injured: 4 → 7 (up)" in html.unescape(fire) and "headline rewritten" in fire and "figure changed" in fire
    visible = text_of(page)
    for code in ("title_changed", "figure_changed", "updated_time_changed", "sentence_added"):
        assert code not in visible                           # kinds in words, never code names


def test_low_severity_rows_are_quieter_than_high(newsroom):
    server, _ = newsroom
    page = server.get("/-/marsad/")[2]
    assert re.search(r'<li class="m-row sev-low">\s*<div class="m-side">\s*<span class="m-badge sev-low">low', page)
    assert page.count('class="m-row sev-high"') >= 3
    css = server.get("/-/static-plugins/marsad/marsad.css")[2]
    assert ".m-row.sev-low .m-title" in css and "font-weight: 500" in css


def test_rows_link_to_the_article_page_at_the_pair_they_report(newsroom):
    server, _ = newsroom
    page = server.get("/-/marsad/")[2]
    toll = next(r for r in rows(page) if "23 قتيلاً" in r)
    link = html.unescape(re.search(r'class="m-title" href="([^"]+)"', toll).group(1))
    assert re.fullmatch(r"/-/marsad/article/\d+\?from=2&to=3", link)
    assert server.get(link)[0] == 200


def test_filters_by_site_kind_severity_and_language(newsroom):
    server, path = newsroom
    english = rows(server.get(f"/-/marsad/?site={site_id(path, EN_SITE)}")[2])
    assert len(english) == 2 and all("Coastal Times" in r for r in english)
    removed = rows(server.get("/-/marsad/?kind=removed")[2])
    assert len(removed) == 2 and all("taken down" in r or "حُذف المقال" in r for r in removed)
    high = rows(server.get("/-/marsad/?severity=high")[2])
    assert high and not any("Harbour fees" in r for r in high)
    everything = rows(server.get("/-/marsad/?severity=low")[2])
    assert any("Harbour fees" in r for r in everything)
    arabic = rows(server.get("/-/marsad/?lang=ar")[2])
    assert len(arabic) == 3 and all('dir="rtl"' in r for r in arabic)
    headline = rows(server.get(f"/-/marsad/?kind=title_changed&site={site_id(path, AR_SITE)}")[2])
    assert len(headline) == 1 and "23 قتيلاً" in headline[0]


def test_search_is_arabic_aware_and_marks_the_match(newsroom):
    server, _ = newsroom
    # typed with a plain alef and a final yaa where the text has "الإنقاذ" and "المدني"
    status, _, page = server.get("/-/marsad/?q=" + quote("الانقاذ"))
    assert status == 200
    found = rows(page)
    assert len(found) == 1 and "<mark>الإنقاذ</mark>" in found[0]            # the text as published, marked
    assert "found in versions 1, 2, 3 of 3" in found[0]
    english = rows(server.get("/-/marsad/?q=firefighters")[2])
    assert len(english) == 1 and "<mark>Firefighters</mark>" in english[0] and "warehouse" in english[0]
    title_hit = rows(server.get("/-/marsad/?q=" + quote("minister"))[2])
    assert title_hit and "<mark>minister</mark>" in title_hit[0]
    short = server.get("/-/marsad/?q=ab")[2]
    assert "at least 3 letters" in short and not rows(short)
    none = server.get("/-/marsad/?q=" + quote("<script>alert(1)</script>"))[2]
    assert "<script>alert" not in none and "&lt;script&gt;alert(1)&lt;/script&gt;" in none


def test_takedowns_show_their_last_text(newsroom):
    server, _ = newsroom
    page = server.get("/-/marsad/")[2]
    downs = page.split('class="m-downs"')[1]
    assert "Officials warn of dam overflow" in downs and "HTTP 404" in downs
    assert "Residents of three villages downstream were told to prepare to leave." in downs
    assert "ارتفعت أسعار الخضار في الأسواق المحلية" in downs and "HTTP 410" in downs


@pytest.mark.parametrize("query, status, message", [
    ("site=x", 400, "site must be a positive integer"),
    ("site=999", 400, "no site 999"),
    ("kind=title", 400, "kind must be one of"),
    ("severity=urgent", 400, "severity must be one of"),
    ("lang=Arabic", 400, "lang must be a language code"),
    ("a=x", 400, "unknown parameter a"),
    ("db=nope", 404, "not a marsad database"),
    ("q=" + "x" * 201, 400, "longer than 200"),
])
def test_bad_parameters_are_400s_not_500s(newsroom, query, status, message):
    server, _ = newsroom
    got, _, body = server.get("/-/marsad/?" + query)
    assert got == status and message in body
