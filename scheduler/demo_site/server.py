"""The demo site's pages and the threaded HTTP server that serves them from 127.0.0.1."""
from __future__ import annotations

import hashlib
import threading
import time
import tomllib
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = tomllib.loads((Path(__file__).parent / "article.toml").read_text(encoding="utf-8"))
STATES = tuple(DATA["states"])
GONE = "gone"             # the article's URL redirects to the home page (a take-down)


def article_path() -> str:
    return f"/{DATA['section']}/{DATA['date']}/{DATA['slug']}/"


def render_article(state: str, base_url: str = "http://127.0.0.1") -> bytes:
    """The article page in one state, as Arabi Post's WordPress theme would roughly print it."""
    s, b = DATA["states"][state], DATA["body"]
    paras = [p.format(n=s["toll"]) for i, p in enumerate(b["paragraphs"]) if i not in s.get("drop_paragraphs", ())]
    if s["extra_paragraph"]:
        paras.append(b["extra"])
    body = "".join(f"<p>{escape(p)}</p>\n" for p in paras)
    body += f"<h2>{escape(b['subheading'])}</h2>\n" + "".join(f"<p>{escape(p)}</p>\n" for p in b["after"])
    most_read = "".join(f'<li><a href="{base_url}/news/2021/02/2{i}/story-{i}/">{escape(t)}</a></li>'
                        for i, t in enumerate(s["most_read"]))
    title = escape(s["title"])
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="UTF-8">
<title>{title} | {escape(DATA['site_name'])}</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{escape(DATA['site_name'])}">
<link rel="alternate" type="application/rss+xml" href="{base_url}/feed/">
</head>
<body class="post-template-default single single-post">
<header class="site-header"><a class="logo" href="/">{escape(DATA['site_name'])}</a>
<nav><a href="/news/">أخبار</a> <a href="/politics/">سياسة</a></nav>
<span class="header-clock">الجمعة 26 فبراير 2021 {'14:10' if state == 'v3' else '13:59'}</span></header>
<main class="site-main">
<article class="post type-post">
<header class="entry-header">
<h1 class="entry-title">{title}</h1>
<div class="post-meta">
<span class="author-name">{escape(DATA['author'])}</span>
<span class="date-published">تم النشر: {escape(DATA['published'])}</span>
<span class="date-updated">تم التحديث: {escape(s['updated'])}</span>
</div>
</header>
<figure class="wp-block-image"><img src="/wp-content/uploads/f35.jpg" alt="">
<figcaption>{escape(DATA['caption'])}</figcaption></figure>
<div class="entry-content">
{body}</div>
<div class="share-buttons"><a href="#">فيسبوك</a> <a href="#">تويتر</a></div>
<button class="load-more">تحميل المزيد</button>
</article>
</main>
<aside class="sidebar"><h3>الأكثر قراءة</h3><ul>{most_read}</ul></aside>
<footer class="site-footer">© 2021 {escape(DATA['site_name'])}</footer>
</body></html>
""".encode("utf-8")


def render_home(base_url: str) -> bytes:
    """The site's home page: where the article's URL leads once it is taken down."""
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="UTF-8"><title>{escape(DATA['site_name'])}</title></head>
<body><header class="site-header"><a class="logo" href="/">{escape(DATA['site_name'])}</a>
<nav><a href="/news/">أخبار</a> <a href="/politics/">سياسة</a></nav></header>
<main><h2>آخر الأخبار</h2><ul><li><a href="{base_url}/news/2021/02/27/story/">أسعار الذهب اليوم</a></li></ul></main>
</body></html>
""".encode("utf-8")


def render_feed(base_url: str) -> bytes:
    url = base_url + article_path()
    title = escape(DATA["states"]["v1"]["title"])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{escape(DATA['site_name'])}</title><link>{base_url}/</link>
<item><title>{title}</title><link>{url}</link><pubDate>Fri, 26 Feb 2021 13:55:00 +0000</pubDate></item>
</channel></rss>
""".encode("utf-8")


class DemoSite:
    """Serve the demo site on 127.0.0.1 (or another loopback address: a second "host" for tests) on a free
    port, in a thread; `state` picks the article version.

    Extra pages can be added with `pages[path] = (status, content_type, body[, headers])` for tests (a
    404, a windows-1256 page, a binary file, a 429 with Retry-After).
    """

    def __init__(self, state: str = "v1", host: str = "127.0.0.1"):
        self.state = state
        self.delay = 0.0          # seconds to wait before answering an article request (tests: slow sites)
        self.pages: dict[str, tuple[int, str, bytes]] = {}
        self.requests: list[tuple[str, dict]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.requests.append((self.path, dict(self.headers)))
                if site.delay and self.path == article_path():
                    time.sleep(site.delay)
                try:
                    self._answer()
                except (BrokenPipeError, ConnectionResetError):
                    pass                  # the client went away (a killed crawler): nothing to answer

            def _answer(self):
                status, ctype, body, *extra = site.page(self.path)
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if status == 200:
                    self.send_header("ETag", etag)
                for name, value in (extra[0] if extra else {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://{host}:{self.server.server_address[1]}"
        self.article_url = self.base_url + article_path()
        self.feed_url = self.base_url + "/feed/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def page(self, path: str) -> tuple[int, str, bytes]:
        if path in self.pages:
            return self.pages[path]
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if path == "/feed/":
            return 200, "application/rss+xml; charset=UTF-8", render_feed(self.base_url)
        if path == article_path() and self.state == GONE:
            return 301, "text/html; charset=UTF-8", b"", {"Location": self.base_url + "/"}
        if path == article_path():
            return 200, "text/html; charset=UTF-8", render_article(self.state, self.base_url)
        if path == "/":
            return 200, "text/html; charset=UTF-8", render_home(self.base_url)
        return 404, "text/html; charset=UTF-8", b"<html><body><h1>404</h1></body></html>"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
