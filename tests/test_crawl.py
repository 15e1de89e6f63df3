"""Crawls with the real Scrapy engine over real HTTP on 127.0.0.1, into real SQLite files."""
from __future__ import annotations

import json
import sqlite3

from .conftest import ARTICLE_URL  # noqa: F401  (documented URL shape)


def outcomes(db_path):
    con = sqlite3.connect(db_path)
    return [r[0] for r in con.execute("SELECT outcome FROM checks ORDER BY id")]


def test_crawl_records_versions_across_revisions_and_sends_conditional_get(marsad, site, db_path):
    first = marsad.json_lines("crawl", "--db", db_path, site.article_url, "--json")
    assert [r["outcome"] for r in first] == ["new"]
    site.state = "v2"
    second = marsad.json_lines("crawl", "--db", db_path, site.article_url, "--json")[0]
    assert second["outcome"] == "changed" and second["version"] == 2 and second["alert"] is True
    kinds = {c["kind"] for c in second["changes"]}
    assert {"figure_changed", "updated_time_changed", "title_changed", "sentence_added"} <= kinds
    site.state = "v3"
    assert marsad.json_lines("crawl", "--db", db_path, site.article_url, "--json")[0]["outcome"] == "unchanged"
    assert marsad.json_lines("crawl", "--db", db_path, site.article_url, "--json")[0]["outcome"] == "not_modified"
    article_requests = [h for p, h in site.requests if p.startswith("/news/")]
    assert "If-None-Match" in article_requests[-1]
    assert "marsad" in article_requests[-1]["User-Agent"]
    assert outcomes(db_path) == ["new", "changed", "unchanged", "not_modified"]


def test_gone_binary_and_server_errors_are_checks_not_versions(marsad, site, db_path):
    site.pages["/gone/2021/02/26/a/"] = (410, "text/html", b"<html><body>Gone</body></html>")
    site.pages["/img/2021/02/26/b/"] = (200, "image/png", b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    site.pages["/broken/2021/02/26/c/"] = (500, "text/html", b"<html>oops</html>")
    urls = [site.base_url + p for p in ("/gone/2021/02/26/a/", "/img/2021/02/26/b/", "/broken/2021/02/26/c/")]
    proc = marsad("crawl", "--db", db_path, *urls, "--json", check=False)
    assert proc.returncode == 1                       # a crawl with failures says so to cron and scripts
    rows = {r["url"]: r for r in map(json.loads, proc.stdout.splitlines())}
    assert rows[urls[0]]["outcome"] == "removed" and rows[urls[0]]["changes"][0]["kind"] == "removed"
    assert rows[urls[1]]["outcome"] == "error" and "not an HTML page" in rows[urls[1]]["error"]
    assert rows[urls[2]]["outcome"] == "error" and "500" in rows[urls[2]]["error"]
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT count(*) FROM versions").fetchone()[0] == 0


def test_windows_1256_page_over_http(marsad, site, db_path):
    html = ('<html lang="ar"><head><title>خبر</title></head><body><article><h1>مقتل 22 شخصاً في غارة</h1>'
            '<p>قال المرصد السوري إن حصيلة القتلى ارتفعت إلى 22 قتيلاً في الغارات الجوية على المنطقة الحدودية.</p>'
            '<p>وأضاف أن عدد القتلى مرشح للارتفاع بسبب وجود جرحى في حالات خطرة في المستشفيات.</p>'
            '</article></body></html>')
    site.pages["/cp/2021/02/26/x/"] = (200, "text/html; charset=windows-1256", html.encode("cp1256"))
    row = marsad.json_lines("crawl", "--db", db_path, site.base_url + "/cp/2021/02/26/x/", "--json")[0]
    assert row["outcome"] == "new"
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT title FROM versions").fetchone()[0] == "مقتل 22 شخصاً في غارة"


def test_robots_txt_disallow_is_respected(marsad, site, db_path):
    site.pages["/robots.txt"] = (200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
    url = site.base_url + "/private/2021/02/26/x/"
    row = marsad.json_lines("crawl", "--db", db_path, url, "--json", check=False)[0]
    assert row["outcome"] == "error" and "robots" in row["error"].lower()
    assert not any(p.startswith("/private/") for p, _ in site.requests)


def test_crawl_over_configured_sites_discovers_from_the_feed(marsad, site, db_path, tmp_path):
    cfg = tmp_path / "marsad.toml"
    cfg.write_text(f'''[storage]\ndb = "{db_path}"\n[politeness]\nallow_private_addresses = true\ndelay_seconds = 0.0\n
[[sites]]\nname = "Arabi Post (local)"\nfeeds = ["{site.feed_url}"]\narticle_pattern = '/\\d{{4}}/\\d{{2}}/\\d{{2}}/'\n''')
    proc = marsad("--config", cfg, "crawl", "--once")
    assert "new" in proc.stdout and "discovered 1" in proc.stderr
    con = sqlite3.connect(db_path)
    assert con.execute("SELECT url FROM articles").fetchone()[0] == site.article_url
    assert con.execute("SELECT s.name FROM articles a JOIN sites s ON s.id = a.site_id").fetchone()[0] == "Arabi Post (local)"


def test_history_and_changes_commands_read_the_crawl(marsad, site, db_path):
    marsad("crawl", "--db", db_path, site.article_url)
    site.state = "v2"
    marsad("crawl", "--db", db_path, site.article_url)
    hist = marsad("history", "--db", db_path, site.article_url).stdout
    assert "v2" in hist and "killed: 17 → 22 (up)" in hist
    assert "القتلى: من 17 إلى 22" in marsad("history", "--db", db_path, site.article_url, "--lang", "ar").stdout
    ch = marsad.json_lines("changes", "--db", db_path, "--min-severity", "high", "--json")
    assert {c["kind"] for c in ch} == {"figure_changed", "title_changed"}


def test_huge_response_is_an_error_check_not_a_version(marsad, site, db_path, tmp_path):
    cfg = tmp_path / "small.toml"
    cfg.write_text("[politeness]\nallow_private_addresses = true\nmax_bytes = 20000\nretries = 0\n")
    site.pages["/huge/2021/02/26/x/"] = (200, "text/html", b"<html><body>" + b"<p>word </p>" * 50_000 + b"</body></html>")
    row = marsad.json_lines("--config", cfg, "crawl", "--db", db_path, site.base_url + "/huge/2021/02/26/x/",
                            "--json", check=False)[0]
    assert row["outcome"] == "error" and row["error"]
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM versions").fetchone()[0] == 0


def test_retry_after_is_honoured_by_pushing_the_next_check(marsad, site, db_path):
    site.pages["/busy/2021/02/26/x/"] = (429, "text/html", b"slow down", {"Retry-After": "600"})
    url = site.base_url + "/busy/2021/02/26/x/"
    row = marsad.json_lines("crawl", "--db", db_path, url, "--json", check=False)[0]
    assert row["outcome"] == "error" and "Retry-After 600s" in row["error"]
    assert sum(1 for p, _ in site.requests if p.startswith("/busy/")) == 1          # no immediate retry
    checked, nxt = sqlite3.connect(db_path).execute("SELECT last_checked_at, next_check_at FROM articles").fetchone()
    from datetime import datetime
    gap = datetime.fromisoformat(nxt.replace("Z", "+00:00")) - datetime.fromisoformat(checked.replace("Z", "+00:00"))
    assert gap.total_seconds() >= 600


def test_sitemaps_and_news_sitemaps_discover_recent_articles(marsad, site, db_path, tmp_path):
    from datetime import datetime, timedelta, timezone
    today = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    old = (datetime.now(timezone.utc) - timedelta(days=400)).strftime("%Y-%m-%d")
    b = site.base_url
    site.pages["/sitemap_index.xml"] = (200, "application/xml", f'''<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{b}/news-sitemap.xml</loc></sitemap></sitemapindex>'''.encode())
    site.pages["/news-sitemap.xml"] = (200, "application/xml", f'''<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>{site.article_url}</loc><lastmod>{today}</lastmod><news:news><news:title>x</news:title></news:news></url>
<url><loc>{b}/news/2019/01/01/old-story/</loc><lastmod>{old}</lastmod></url>
<url><loc>{b}/about/</loc><lastmod>{today}</lastmod></url></urlset>'''.encode())
    cfg = tmp_path / "sm.toml"
    cfg.write_text(f'[politeness]\nallow_private_addresses = true\ndelay_seconds = 0.0\n[[sites]]\nname = "S"\nsitemaps = ["{b}/sitemap_index.xml"]\n'
                   "article_pattern = '/\\d{4}/\\d{2}/\\d{2}/'\n")
    marsad("--config", cfg, "crawl", "--once", "--db", db_path)
    urls = [r[0] for r in sqlite3.connect(db_path).execute("SELECT url FROM articles")]
    assert urls == [site.article_url]


def test_status_reports_articles_due_and_last_cycle(marsad, site, db_path, tmp_path):
    cfg = tmp_path / "s.toml"
    cfg.write_text(f'[politeness]\nallow_private_addresses = true\ndelay_seconds = 0.0\n[[sites]]\nname = "S"\nfeeds = ["{site.feed_url}"]\n')
    marsad("--config", cfg, "crawl", "--once", "--db", db_path)
    out = marsad("status", "--db", db_path).stdout
    assert "articles: 1 (1 active)" in out and "versions: 1" in out and "last once:" in out
    st = marsad.json_lines("status", "--db", db_path, "--json")[0]
    assert st["articles"] == {"active": 1} and st["last_cycles"]["once"]["checked"] == 1
