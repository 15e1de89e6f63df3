"""Take-down evidence through the real crawl: 404/410, a redirect to the home page or a section, a soft
404, a text that gave way to a notice, a `noindex` that appeared, and an article that dropped out of
its feed while still served. Real Scrapy over HTTP on 127.0.0.1, real SQLite, a real SMTP server on
loopback and the served pages; the local site changes between crawls."""
from __future__ import annotations

import email
import sqlite3
from email import policy

import pytest

from scheduler.demo_site import DemoSite
from scheduler.demo_site.newsdesk import home_page, not_found_page, rss, story_page

PUBLISHED, UPDATED = "2026-12-01T08:00:00Z", "2026-12-01T09:30:00Z"
TEXT = ["Protesters gathered outside the ministry on Tuesday to demand the release of detained journalists.",
        "At least 30 people were arrested when police cleared the square in the evening, witnesses said.",
        "The ministry said in a statement that the protest had not been authorised by the city.",
        "Lawyers for the detained journalists said they had not been allowed to see their clients.",
        "Three of the journalists work for foreign news agencies, their employers said in a joint statement.",
        "The interior ministry did not answer questions about where the detained journalists were being held.",
        "Press freedom groups called on the government to release the journalists and drop any charges.",
        "A second protest has been called for Thursday outside the courthouse in the city centre."]
NOTICE = ["This article has been removed at the request of the ministry's lawyers."]

# slug: (path, what the site does on the second crawl)
CASES = {
    "not-found": "/news/2026/12/01/not-found/",
    "gone": "/news/2026/12/01/gone/",
    "home": "/news/2026/12/01/to-home/",
    "section": "/world/2026/12/01/to-section/",
    "soft": "/news/2026/12/01/soft/",
    "vanished": "/news/2026/12/01/vanished/",
    "noindex": "/news/2026/12/01/noindex/",
    "header": "/news/2026/12/01/x-robots-tag/",
    "moved": "/news/2026/12/01/old-slug/",
}


def _story(slug: str, **kw) -> tuple:
    return (200, "text/html; charset=utf-8",
            story_page(f"Protest outside the ministry ({slug})", kw.pop("paragraphs", TEXT), published=PUBLISHED,
                       updated=UPDATED, **kw))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    from tests.conftest import Marsad
    from scheduler.config import load
    from scheduler.demo import MailSink
    from scheduler.notify import send_due
    from storage import open_db
    tmp = tmp_path_factory.mktemp("takedowns")
    db, cfg = tmp / "marsad.db", tmp / "marsad.toml"
    marsad = Marsad()
    with MailSink() as sink, DemoSite() as site:
        cfg.write_text(f"""[politeness]\nallow_private_addresses = true\ndelay_seconds = 0.0\n
[smtp]\nhost = "127.0.0.1"\nport = {sink.port}\nfrom = "marsad <alerts@desk.example>"\n
[delivery]\nburst = 50\nper_hour = 50\n
[[alerts]]\nname = "desk"\nto = ["desk@desk.example"]\n""")
        site.pages["/"] = (200, "text/html", home_page([("/news/", "News")]))
        site.pages["/world/"] = (200, "text/html", home_page([("/world/2026/12/01/other/", "Other")]))
        for slug, path in CASES.items():
            site.pages[path] = _story(slug)
        urls = [site.base_url + p for p in CASES.values()]
        first = marsad.json_lines("--config", cfg, "crawl", "--db", db, *urls, "--json")
        site.pages[CASES["not-found"]] = (404, "text/html", b"<html><body><h1>404</h1></body></html>")
        site.pages[CASES["gone"]] = (410, "text/html", b"<html><body>Gone</body></html>")
        site.pages[CASES["home"]] = (301, "text/html", b"", {"Location": "/"})
        site.pages[CASES["section"]] = (302, "text/html", b"", {"Location": site.base_url + "/world/"})
        site.pages[CASES["soft"]] = (200, "text/html; charset=utf-8", not_found_page())
        site.pages[CASES["vanished"]] = _story("vanished", paragraphs=NOTICE)
        site.pages[CASES["noindex"]] = _story("noindex", robots="noindex, nofollow")
        site.pages[CASES["header"]] = (*_story("header", site_name="The Local Desk, new look")[:3],
                                       {"X-Robots-Tag": "googlebot: noindex"})
        site.pages["/news/2026/12/01/new-slug/"] = _story("moved")
        site.pages[CASES["moved"]] = (301, "text/html", b"", {"Location": "/news/2026/12/01/new-slug/"})
        second = marsad.json_lines("--config", cfg, "crawl", "--db", db, *urls, "--json", check=False)
        third = marsad.json_lines("--config", cfg, "crawl", "--db", db, *(site.base_url + CASES[k] for k in
                                                                          ("noindex", "soft")), "--json")
        send_due(open_db(db), load(cfg))
        mails = [email.message_from_bytes(m, policy=policy.default) for m in sink.received]
        base = site.base_url
    by = {slug: r for slug, r in zip(CASES, second)}
    by["soft-again"] = third[1]
    return {"db": db, "first": first, "by": by, "third": third, "mails": mails, "base": base}


def _takedown(row):
    removed = [c for c in row["changes"] if c["kind"] == "removed"]
    return removed[0]["detail"]["takedown"] if removed else None


def test_each_way_of_taking_a_story_down_is_told_apart(crawled):
    assert [r["outcome"] for r in crawled["first"]] == ["new"] * len(CASES)
    by = crawled["by"]
    assert {slug: _takedown(by[slug]) for slug in CASES} == {
        "not-found": "not_found", "gone": "gone", "home": "redirect_home", "section": "redirect_section",
        "soft": None, "vanished": "body_vanished", "noindex": "noindex", "header": "noindex", "moved": None}
    for slug in ("not-found", "gone", "home", "section"):
        assert by[slug]["outcome"] == "removed", slug
    # one "not found" page is an error check (a glitch heals); the second in a row is the take-down
    assert by["soft"]["outcome"] == "error" and "not found page" in by["soft"]["error"]
    assert by["soft-again"]["outcome"] == "removed" and _takedown(by["soft-again"]) == "soft_404"
    assert by["home"]["changes"][0]["detail"]["final_url"] == crawled["base"] + "/"
    assert "not found" in by["soft-again"]["changes"][0]["detail"]["phrase"]
    assert by["soft-again"]["changes"][0]["detail"]["since"]
    assert by["noindex"]["outcome"] == "unchanged"            # the story is the same; only its robots tag moved
    assert by["noindex"]["changes"][0]["detail"]["source"] == "meta"
    assert by["noindex"]["changes"][0]["severity"] == "medium"
    assert by["header"]["changes"][0]["detail"]["source"] == "header"


def test_the_last_good_version_is_named_and_the_story_kept(crawled):
    con = sqlite3.connect(crawled["db"])
    rows = con.execute("SELECT a.url, a.status, json_extract(c.detail, '$.last_good_version'), c.from_version"
                       " FROM changes c JOIN articles a ON a.id = c.article_id WHERE c.kind = 'removed'").fetchall()
    assert len(rows) == 8
    for url, status, good, from_version in rows:
        assert good == 1 and from_version is not None, url
        assert status == ("active" if url.endswith(("/noindex/", "/x-robots-tag/")) else "removed"), url
    vanished = con.execute("SELECT n, text FROM versions v JOIN articles a ON a.id = v.article_id"
                           " WHERE a.url LIKE '%/vanished/' ORDER BY n").fetchall()
    assert [n for n, _ in vanished] == [1, 2] and NOTICE[0] in vanished[1][1]   # the notice is kept as evidence
    takedowns = dict(con.execute("SELECT url, takedown FROM recent_changes WHERE kind = 'removed'").fetchall())
    assert takedowns[crawled["base"] + CASES["section"]] == "redirect_section"


def test_a_noindex_is_recorded_once_and_a_slug_change_is_not_a_take_down(crawled):
    noindex = crawled["third"][0]
    assert noindex["outcome"] in ("unchanged", "not_modified") and noindex["changes"] == []
    moved = crawled["by"]["moved"]
    assert moved["outcome"] in ("unchanged", "not_modified") and moved["changes"] == []
    con = sqlite3.connect(crawled["db"])
    assert con.execute("SELECT noindex FROM articles WHERE url LIKE '%/noindex/'").fetchone()[0] == "meta"


def test_the_mail_says_how_and_links_the_last_good_version(crawled):
    con = sqlite3.connect(crawled["db"])
    home_id = con.execute("SELECT id FROM articles WHERE url LIKE '%/to-home/'").fetchone()[0]
    [mail] = [m for m in crawled["mails"] if "(home)" in m["Subject"]]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "taken down: now redirects to the home page" in mail["Subject"]
    assert "[TAKEN DOWN] redirected to the home page" in text
    assert f"the last good version (1) in marsad: http://127.0.0.1:8001/-/marsad/article/{home_id}?to=1" in text
    assert '<span class="badge takedown">taken down</span>' in html
    assert f'href="http://127.0.0.1:8001/-/marsad/article/{home_id}?to=1"' in html
    assert "Protesters gathered outside the ministry" in text       # the last text marsad holds


def test_the_pages_show_the_take_downs_with_their_kind(crawled):
    from tests.newsroom import Served
    con = sqlite3.connect(crawled["db"])
    section_id = con.execute("SELECT id FROM articles WHERE url LIKE '%/to-section/'").fetchone()[0]
    with Served(crawled["db"]) as server:
        _, _, front = server.get("/-/marsad/")
        _, _, article = server.get(f"/-/marsad/article/{section_id}")
        status, _, good = server.get(f"/-/marsad/article/{section_id}?to=1")
    downs = front.split("Taken down")[1]
    for words in ("redirects to the home page", "redirects to a section page", "page says not found",
                  "HTTP 404", "HTTP 410"):
        assert words in downs, words
    assert f'/-/marsad/article/{section_id}?to=1">the last good version (1)' in downs
    assert "taken down: now redirects to a section page (/world/)" in article
    assert status == 200 and "Protesters gathered outside the ministry" in good


def test_an_article_dropped_from_its_feed_while_served(marsad, tmp_path):
    """The feed lists A B C D; then A C D E... B vanished between stories still listed (a drop-out), D
    fell off the end (a feed rolling on, not evidence)."""
    db, cfg = tmp_path / "marsad.db", tmp_path / "marsad.toml"
    with DemoSite() as site:
        paths = {k: f"/news/2026/12/01/story-{k}/" for k in "ABCDE"}
        for k, p in paths.items():
            site.pages[p] = _story(k)
        site.pages["/feed/"] = (200, "application/rss+xml", rss(site.base_url, [(paths[k], k) for k in "ABCD"]))
        cfg.write_text(f"""[politeness]\nallow_private_addresses = true\ndelay_seconds = 0.0\n
[[sites]]\nname = "Local Desk"\nfeeds = ["{site.feed_url}"]\n""")
        marsad("--config", cfg, "crawl", "--once", "--db", db)
        site.pages["/feed/"] = (200, "application/rss+xml", rss(site.base_url, [(paths[k], k) for k in "EACD"][:3]))
        marsad("--config", cfg, "crawl", "--once", "--db", db)
        base = site.base_url
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM versions").fetchone()[0] >= 4
    rows = con.execute("SELECT url, takedown, severity FROM recent_changes WHERE kind = 'removed'").fetchall()
    assert rows == [(base + paths["B"], "feed_dropout", "medium")]
    listed = dict(con.execute("SELECT a.url, l.listed FROM listings l JOIN articles a ON a.id = l.article_id"))
    assert listed[base + paths["B"]] == 0 and listed[base + paths["D"]] == 0 and listed[base + paths["C"]] == 1
    dropped = dict(con.execute("SELECT a.url, l.dropped_at FROM listings l JOIN articles a ON a.id = l.article_id"))
    assert dropped[base + paths["B"]] and dropped[base + paths["C"]] is None
    assert con.execute("SELECT status FROM articles WHERE url = ?", [base + paths["B"]]).fetchone()[0] == "active"


@pytest.mark.parametrize("final, kind", [
    ("https://desk.example/", "redirect_home"), ("https://desk.example/ar/", "redirect_home"),
    ("https://desk.example/index.php", "redirect_home"), ("https://desk.example/news/", "redirect_section"),
    ("https://desk.example/news/2026/", "redirect_section"), ("https://desk.example/politics", "redirect_section"),
    ("https://desk.example/news/2026/12/01/new-slug/", None), ("https://desk.example/news/2026/12/01/story", None),
    ("http://desk.example/news/2026/12/01/story/", None), ("https://desk.example/login?next=/news/", None),
])
def test_redirect_kinds(final, kind):
    from detector.takedown import redirect_kind
    assert redirect_kind("https://desk.example/news/2026/12/01/story/", final) == kind


@pytest.mark.parametrize("headers, head, found", [
    ({}, b'<meta name="robots" content="index, follow">', ""),
    ({}, b"<meta name='robots' content='noindex'>", "meta"),
    ({}, b'<meta content="NOINDEX,NOFOLLOW" name="googlebot">', "meta"),
    ({}, b'<meta name="robots" content="none">', "meta"),
    ({}, b'<meta name="description" content="noindex is a word in this story">', ""),
    ({"X-Robots-Tag": "googlebot: noindex"}, b"", "header"),
    ({"x-robots-tag": "noarchive"}, b"", ""),
])
def test_noindex_is_read_from_meta_tags_and_the_header(headers, head, found):
    from detector.takedown import noindex
    body = b"<html><head>" + head + b"</head><body><meta name='robots' content='noindex'> (in the body)</body></html>"
    assert noindex(headers, body if head else b"<html><head></head></html>") == found
