"""A web server that misbehaves on purpose, for the fault suite (tests/test_faults.py).

Every route is one fault a real site, a broken proxy or a hostile page can produce. The server binds any
loopback address (127.0.0.1 … 127.255.255.254 all reach this machine on Linux) and a free port, so one
test can stand up several "hosts" and see which of them marsad talked to. It counts every request by
path, for robots.txt and SSRF assertions.

Responses are written by hand on the socket (status line, headers, body) so that a route can lie about
its length, stop half-way, reset the connection, drip, or stream 50 MB without building it in memory.
"""
from __future__ import annotations

import gzip
import random
import socket
import struct
import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HTML = "text/html; charset=utf-8"
MB = 1024 * 1024

# The good article pages: a real-looking story with a headline, a byline, a dateline stamp and several
# paragraphs, in English and in Arabic. `{slug}` makes each URL its own article.
ARTICLE = {
    "en": {
        "lang": "en", "dir": "ltr", "site": "The Valley Herald",
        "title": "Floods force 2,300 people from their homes in the river valley ({slug})",
        "byline": "By Maya Collins", "stamp": "2021-02-26T13:55:00Z", "stamp_text": "26 February 2021, 13:55 GMT",
        "paragraphs": [
            "Floods forced at least 2,300 people from their homes across the river valley on Friday after two "
            "days of heavy rain burst the banks in several places, the regional civil defence agency said.",
            "Rescue teams used boats to reach families stranded on rooftops in the lower districts, where the "
            "water rose more than a metre overnight and cut the main road to the provincial capital.",
            "The agency said 14 people had been injured and three were missing, and warned that more rain was "
            "expected over the weekend as the reservoir upstream neared its capacity.",
            "Schools in the affected districts were turned into shelters, and the health ministry sent mobile "
            "clinics with medicine and clean water to the camps set up on higher ground.",
            "Residents said the warnings came too late. \"We woke up and the water was already in the "
            "kitchen,\" said a shopkeeper who had fled with his children to his brother's house in the hills.",
        ],
    },
    "ar": {
        "lang": "ar", "dir": "rtl", "site": "صحيفة الوادي",
        "title": "الفيضانات تجبر 2300 شخص على ترك منازلهم في وادي النهر ({slug})",
        "byline": "مريم الخطيب", "stamp": "2021-02-26T13:55:00Z",
        "stamp_text": "الجمعة 26 فبراير 2021 - 13:55 بتوقيت غرينتش",
        "paragraphs": [
            "أجبرت الفيضانات ما لا يقل عن 2300 شخص على ترك منازلهم في وادي النهر يوم الجمعة، بعد يومين من "
            "الأمطار الغزيرة التي أدت إلى فيضان ضفاف النهر في عدة أماكن، بحسب ما أعلنه الدفاع المدني.",
            "واستخدمت فرق الإنقاذ القوارب للوصول إلى العائلات العالقة فوق أسطح المنازل في الأحياء المنخفضة، "
            "حيث ارتفع منسوب المياه أكثر من متر خلال الليل وقطع الطريق الرئيسي المؤدي إلى عاصمة الإقليم.",
            "وقالت الهيئة إن 14 شخصاً أصيبوا وإن ثلاثة ما زالوا في عداد المفقودين، وحذرت من هطول مزيد من "
            "الأمطار خلال عطلة نهاية الأسبوع مع اقتراب الخزان في أعلى النهر من طاقته القصوى.",
            "وتحولت المدارس في المناطق المتضررة إلى ملاجئ، وأرسلت وزارة الصحة عيادات متنقلة محملة بالأدوية "
            "والمياه النظيفة إلى المخيمات التي أقيمت في المرتفعات.",
            "وقال السكان إن التحذيرات جاءت متأخرة، وقال صاحب متجر فرّ مع أطفاله إلى منزل شقيقه في التلال: "
            "\"استيقظنا والماء قد وصل إلى المطبخ\".",
        ],
    },
}


def article_html(lang: str = "en", slug: str = "story", *, nul: bool = False, charset: str = "utf-8") -> bytes:
    """A complete article page (<!DOCTYPE html> … </html>); `nul` sprinkles NUL bytes inside the text."""
    a = ARTICLE[lang]
    title = escape(a["title"].format(slug=slug))
    sep = "\0" if nul else ""
    paras = "\n".join(f"<p>{escape(p).replace('. ', '.' + sep + ' ')}</p>" for p in a["paragraphs"])
    page = f"""<!DOCTYPE html>
<html lang="{a['lang']}" dir="{a['dir']}">
<head>
<meta charset="{charset}">
<title>{title} | {escape(a['site'])}</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{a['stamp']}">
</head>
<body>
<header class="site-header"><a href="/">{escape(a['site'])}</a> <nav><a href="/news/">News</a></nav></header>
<main>
<article>
<h1 class="entry-title">{title.replace(' ', sep + ' ', 1) if nul else title}</h1>
<div class="meta"><span class="byline">{escape(a['byline'])}</span>
<time datetime="{a['stamp']}">{escape(a['stamp_text'])}</time></div>
<div class="entry-content">
{paras}
</div>
</article>
</main>
<footer>© 2021 {escape(a['site'])}</footer>
</body>
</html>
"""
    return page.encode("utf-8")


def article_title(lang: str, slug: str) -> str:
    return ARTICLE[lang]["title"].format(slug=slug)


SOFT_404 = {
    "en": """<!DOCTYPE html><html lang="en"><head><title>Page not found | The Valley Herald</title></head>
<body><header><a href="/">The Valley Herald</a> <nav><a href="/news/">News</a> <a href="/sport/">Sport</a></nav></header>
<main><h1>Page not found</h1><p>Sorry, we couldn't find the page you were looking for. It may have been moved
or deleted, or the address may be mistyped.</p><p><a href="/">Go to the home page</a> or try a search.</p></main>
<footer>© 2021 The Valley Herald</footer></body></html>""",
    "ar": """<!DOCTYPE html><html lang="ar" dir="rtl"><head><title>الصفحة غير موجودة | صحيفة الوادي</title></head>
<body><header><a href="/">صحيفة الوادي</a> <nav><a href="/news/">أخبار</a></nav></header>
<main><h1>الصفحة غير موجودة</h1><p>عذراً، لم نتمكن من العثور على الصفحة التي تبحث عنها. ربما تم نقلها أو
حذفها، أو أن العنوان غير صحيح.</p><p><a href="/">العودة إلى الصفحة الرئيسية</a></p></main>
<footer>© 2021 صحيفة الوادي</footer></body></html>""",
}

BOT_CHECK = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta http-equiv="X-UA-Compatible" content="IE=Edge">
<meta name="robots" content="noindex,nofollow"><meta name="viewport" content="width=device-width,initial-scale=1">
<style>*{box-sizing:border-box;margin:0;padding:0}html{line-height:1.15}body{display:flex;flex-direction:column}</style>
<meta http-equiv="refresh" content="390"></head>
<body class="no-js"><div class="main-wrapper" role="main"><div class="main-content">
<h1 class="zone-name-title h1">valleyherald.example</h1>
<h2 id="challenge-running" class="h2">Checking if the site connection is secure</h2>
<noscript><div id="challenge-error-title"><div class="h2"><span class="icon-wrapper"></span>
<span id="challenge-error-text">Enable JavaScript and cookies to continue</span></div></div></noscript>
<div id="trk_jschal_js" style="display:none;background-image:url('/cdn-cgi/images/trace/managed/nojs/transparent.gif?ray=7a1b2c3d4e5f6a7b')"></div>
<div id="challenge-body-text" class="core-msg spacer">valleyherald.example needs to review the security of your
connection before proceeding.</div>
<form id="challenge-form" action="/news/story/?__cf_chl_f_tk=Qx3fG1pZ8s2nTq0.abc-1614347700-0-gaNycGzNCpE" method="POST"
enctype="application/x-www-form-urlencoded"><input type="hidden" name="md" value="Zm9vYmFyYmF6cXV4"></form>
</div></div>
<script>(function(){window._cf_chl_opt={cvId:'2',cZone:'valleyherald.example',cType:'managed',cNounce:'81730',
cRay:'7a1b2c3d4e5f6a7b',cHash:'1f2e3d4c5b6a7980',cFPWv:'b'};var a=document.createElement('script');
a.src='/cdn-cgi/challenge-platform/h/b/orchestrate/managed/v1?ray=7a1b2c3d4e5f6a7b';document.head.appendChild(a);}());</script>
<div class="footer" role="contentinfo"><div class="footer-inner"><div class="clearfix diagnostic-wrapper">
<div class="ray-id">Ray ID: <code>7a1b2c3d4e5f6a7b</code></div></div>
<div class="text-center">Performance &amp; security by <a rel="noopener noreferrer" href="https://www.cloudflare.com">Cloudflare</a></div>
</div></div></body></html>"""

MOVED = b"""<html><head><title>302 Found</title></head><body><h1>Found</h1>
<p>The document has moved <a href="%s">here</a>.</p></body></html>"""

SOUP = b"<html><body>" + b"<div><span><p><b><i><table><tr><td><a href='#'><font><ul><li><form><select>" * 40

NOT_XML = b"<html><body><h1>Feed temporarily unavailable</h1><p>{{{ <<< & ]]> \x01\x02</body>"


def rss(links, title: str = "Feed", dated: bool = True) -> bytes:
    date = "<pubDate>Fri, 26 Feb 2021 13:55:00 +0000</pubDate>" if dated else ""
    items = "".join(f"<item><title>item {i}</title><link>{escape(u)}</link>{date}</item>\n"
                    for i, u in enumerate(links))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link>\n{items}</channel></rss>\n").encode("utf-8")


def section_html(links) -> bytes:
    lis = "".join(f'<li><a href="{escape(u)}">story {i}</a></li>\n' for i, u in enumerate(links))
    return (f'<!DOCTYPE html><html lang="en"><head><title>News | The Valley Herald</title></head><body>'
            f'<h1>Latest news</h1><ul>\n{lis}</ul></body></html>').encode("utf-8")


class HostileServer:
    """Serve the fault routes on `host` (any 127.x.y.z) and a free port, in a thread.

    robots: "default" (disallows /private/), "huge" (a 5 MB robots.txt) or raw bytes.
    hang_all: seconds every request (robots.txt too) waits before answering: a host that accepts and stalls.
    heal: the state of /heal/<how>/<slug> pages: "A" good v1 (ETag "a", a Last-Modified), "B" broken the
    way <how> says (cut: half the page without length; 404: a soft 404; bot: a bot check), without ETag,
    "C" healed (v1 again, and 304 to If-None-Match "a" or to v1's Last-Modified).
    """

    HEAL_LM = "Fri, 26 Feb 2021 13:55:00 GMT"

    def __init__(self, host: str = "127.0.0.1", *, robots="default", hang_all: float = 0.0):
        self.host, self.robots, self.hang_all = host, robots, hang_all
        self.heal = "A"
        self.requests: list[tuple[str, dict]] = []
        self._lock = threading.Lock()
        rnd = random.Random(10)
        self._binary_nul = rnd.randbytes(200_000)
        self._binary = self._binary_nul.replace(b"\0", b"\x01")
        self._bomb = gzip.compress(b"\0" * (10 * MB), 9)                 # ~10 KB on the wire, 10 MB inflated
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with server._lock:
                    server.requests.append((self.path, dict(self.headers)))
                try:
                    if server.hang_all:
                        time.sleep(server.hang_all)
                    server.route(self)
                except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, OSError):
                    pass                       # the client gave up (timeout, size cap): nothing left to say

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass                           # a reset or a half-closed socket is the point of a route

        self._server = Server((host, 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    # -- life cycle and bookkeeping --------------------------------------------------------------
    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, prefix: str = "") -> int:
        """Requests seen whose path starts with `prefix` ("" counts all)."""
        with self._lock:
            return sum(1 for p, _ in self.requests if p.startswith(prefix))

    def seen(self, prefix: str = "") -> list[tuple[str, dict]]:
        with self._lock:
            return [(p, h) for p, h in self.requests if p.startswith(prefix)]

    # -- writing responses ---------------------------------------------------------------------------
    @staticmethod
    def head(h, status: int, headers: dict | None = None, *, ctype: str | None = HTML, length: int | None = None):
        """Status line and headers, written raw (no Content-Length unless given)."""
        lines = [f"HTTP/1.1 {status} {h.responses.get(status, ('X',))[0]}", "Connection: close"]
        if ctype:
            lines.append(f"Content-Type: {ctype}")
        if length is not None:
            lines.append(f"Content-Length: {length}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        h.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        h.close_connection = True

    def send(self, h, status: int, body: bytes = b"", headers: dict | None = None, ctype: str | None = HTML):
        self.head(h, status, headers, ctype=ctype, length=len(body))
        h.wfile.write(body)

    @staticmethod
    def reset(h):
        """Abort the connection with a TCP RST (SO_LINGER 0), not an orderly close."""
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()

    # -- routes ------------------------------------------------------------------------------------
    def route(self, h):
        u = urlsplit(h.path)
        path, query = u.path, parse_qs(u.query)
        parts = path.strip("/").split("/")
        if path == "/robots.txt":
            return self.robots_txt(h)
        if parts[0] in ("good", "private", "offsite") and len(parts) >= 2:
            lang = parts[1] if parts[1] in ARTICLE else "en"
            return self.send(h, 200, article_html(lang, parts[-1]), {"ETag": f'"{path}"'})
        if parts[0] == "heal":
            return self.healing(h, parts)
        if parts[0] == "feed":
            return self.feed(h, parts[1] if len(parts) > 1 else "", query)
        if parts[0] == "section":
            return self.send(h, 200, section_html(query.get("u", [])))
        if parts[0] == "fault" and len(parts) >= 2:
            fn = getattr(self, "fault_" + parts[1].replace("-", "_"), None)
            if fn:
                return fn(h, query)
        return self.send(h, 404, b"<html><body><h1>404 Not Found</h1></body></html>")

    def robots_txt(self, h):
        if self.robots == "huge":                          # 5 MB, streamed
            self.head(h, 200, ctype="text/plain", length=5 * MB)
            line = b"# " + b"x" * 1021 + b"\n"                # 1 KB a line
            for _ in range(5 * 1024):
                h.wfile.write(line)
            return
        body = self.robots if isinstance(self.robots, bytes) else b"User-agent: *\nDisallow: /private/\n"
        self.send(h, 200, body, ctype="text/plain")

    def feed(self, h, kind, query):
        if kind == "links":
            return self.send(h, 200, rss(query.get("u", [])), ctype="application/rss+xml; charset=UTF-8")
        if kind == "notxml":
            return self.send(h, 200, NOT_XML, ctype="application/rss+xml; charset=UTF-8")
        if kind == "huge":                                 # compact items: 10,000 fit under 1 MB
            n = int(query.get("n", ["10000"])[0])
            return self.send(h, 200, rss([self.url(f"/good/en/item-{i}") for i in range(n)], dated=False),
                             ctype="application/rss+xml; charset=UTF-8")
        return self.send(h, 404, b"<html><body>no such feed</body></html>")

    def healing(self, h, parts):
        """/heal/<how>/<slug>: `how` (cut, 404, bot) is the way the page breaks while `heal` is "B"."""
        how, slug = (parts[1], parts[-1]) if len(parts) >= 3 else ("cut", parts[-1])
        page = article_html("en", slug)
        etag = '"a"'
        if self.heal == "A":
            return self.send(h, 200, page, {"ETag": etag, "Last-Modified": self.HEAL_LM})
        if self.heal == "B":                                # broken, and without validators
            if how == "404":
                return self.send(h, 200, SOFT_404["en"].encode())
            if how == "bot":
                return self.send(h, 200, BOT_CHECK.encode())
            self.head(h, 200)                               # cut: half the page, no length
            h.wfile.write(page[: len(page) // 2])
            return
        # "C": healed, and a trap: a client that kept v1's validators is told nothing changed
        if h.headers.get("If-None-Match") == etag or h.headers.get("If-Modified-Since") == self.HEAL_LM:
            self.head(h, 304, {"ETag": etag}, ctype=None)
            return
        return self.send(h, 200, page, {"ETag": etag, "Last-Modified": self.HEAL_LM})

    # /fault/<name>: one fault each ----------------------------------------------------------------------
    def fault_500(self, h, q):
        self.send(h, 500, b"<html><body><h1>500 Internal Server Error</h1></body></html>")

    def fault_502(self, h, q):
        self.send(h, 502, b"<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>")

    def fault_503(self, h, q):
        self.send(h, 503, b"<html><body><h1>503 Service Unavailable</h1></body></html>", {"Retry-After": "120"})

    def fault_429(self, h, q):
        self.send(h, 429, b"<html><body><h1>429 Too Many Requests</h1></body></html>",
                  {"Retry-After": "99999999999"})

    def fault_hang(self, h, q):
        """Accept, read the request, say nothing for 8 s (the test's timeout is 2 s)."""
        time.sleep(8)
        self.send(h, 200, article_html("en", "hang"))

    def fault_drip(self, h, q):
        """Headers at once, then the body one byte every 0.2 s (the page would take a quarter hour)."""
        page = article_html("en", "drip")
        self.head(h, 200, length=len(page))
        end = time.monotonic() + 12
        for i in range(len(page)):
            if time.monotonic() > end:
                break
            h.wfile.write(page[i:i + 1])
            time.sleep(0.2)

    def fault_reset(self, h, q):
        """Content-Length of the whole page, half of it, then a TCP reset."""
        page = article_html("en", "reset")
        self.head(h, 200, length=len(page))
        h.wfile.write(page[: len(page) // 2])
        time.sleep(0.1)
        self.reset(h)

    def fault_cut(self, h, q):
        """No Content-Length; half the page, then an orderly close (looks complete to HTTP)."""
        page = article_html("en", "cut")
        self.head(h, 200)
        h.wfile.write(page[: len(page) // 2])

    def fault_short(self, h, q):
        """Content-Length 4 KB larger than the body sent, then an orderly close."""
        page = article_html("en", "short")
        self.head(h, 200, length=len(page) + 4096)
        h.wfile.write(page)

    def fault_gzip_cut(self, h, q):
        """A gzip body cut at two thirds (its own Content-Length is right): inflates to a partial page."""
        gz = gzip.compress(article_html("en", "gzip-cut"))
        body = gz[: len(gz) * 2 // 3]
        self.send(h, 200, body, {"Content-Encoding": "gzip"})

    def fault_gzip_bomb(self, h, q):
        self.send(h, 200, self._bomb, {"Content-Encoding": "gzip"})

    def fault_huge(self, h, q):
        """50 MB of paragraphs, Content-Length declared, streamed in 64 KB writes."""
        self._stream(h, 50 * MB, declared=True)

    def fault_huge_nolength(self, h, q):
        """50 MB of paragraphs without Content-Length: only counting the bytes can stop it."""
        self._stream(h, 50 * MB, declared=False)

    def _stream(self, h, size, declared):
        self.head(h, 200, length=size if declared else None)
        chunk = (b"<p>" + b"lorem ipsum dolor sit amet " * 40 + b"</p>\n")
        chunk = chunk * (64 * 1024 // len(chunk))
        h.wfile.write(b"<html><head><title>Endless</title></head><body>")
        sent = 0
        while sent < size:
            h.wfile.write(chunk)
            sent += len(chunk)

    def fault_binary(self, h, q):
        self.send(h, 200, self._binary)                   # random bytes, no NUL, labelled text/html

    def fault_binary_nul(self, h, q):
        self.send(h, 200, self._binary_nul)

    def fault_loop_a(self, h, q):
        self.send(h, 302, MOVED % b"/fault/loop-b", {"Location": "/fault/loop-b"})

    def fault_loop_b(self, h, q):
        self.send(h, 302, MOVED % b"/fault/loop-a", {"Location": "/fault/loop-a"})

    def fault_redirect(self, h, q):
        """302 to ?to=URL (another scheme, another host); its body is a plausible "moved" page."""
        to = q.get("to", ["/"])[0]
        self.send(h, 302, MOVED % escape(to).encode(), {"Location": to})

    def fault_klingon(self, h, q):
        self.send(h, 200, article_html("ar", "klingon", charset="x-klingon"), ctype="text/html; charset=x-klingon")

    def fault_nul(self, h, q):
        self.send(h, 200, article_html("en", "nul", nul=True))

    def fault_nested(self, h, q):
        """100,000 nested elements around a short article (700 KB, under the 1 MB cap)."""
        body = (b"<!DOCTYPE html><html><head><title>Deep</title></head><body>" + b"<b>" * 100_000
                + b"<p>Floods forced at least 2,300 people from their homes across the river valley.</p>"
                + b"</b>" * 100_000 + b"</body></html>")
        self.send(h, 200, body)

    def fault_empty(self, h, q):
        self.send(h, 200, b"")

    def fault_shell(self, h, q):
        self.send(h, 200, b"<html><body></body></html>")

    def fault_soup(self, h, q):
        self.send(h, 200, SOUP)

    def fault_soft404_en(self, h, q):
        self.send(h, 200, SOFT_404["en"].encode())

    def fault_soft404_ar(self, h, q):
        self.send(h, 200, SOFT_404["ar"].encode())

    def fault_botcheck(self, h, q):
        self.send(h, 200, BOT_CHECK.encode())


class Listener:
    """A bare TCP port on `host` that counts the connections made to it and closes them: the place an
    `ftp://` (or any non-HTTP) link points to, to see whether marsad tried to reach it at all."""

    def __init__(self, host: str = "127.0.0.9"):
        self.host = host
        self.connections = 0
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            conn.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()
