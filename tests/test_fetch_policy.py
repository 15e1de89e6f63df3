"""The fetch policy: only http(s), no loopback/private hosts unless allowed, redirects stay on the site,
Retry-After clamped, truncated compressed bodies refused, discovery drops links it cannot fetch.

Crawls run the real Scrapy engine in a subprocess (the reactor cannot restart in one process) with
`crawler.settings.scrapy_settings()`, against real HTTP servers on 127.0.0.1 and 127.0.0.2 (Linux routes
all of 127/8 to this machine, so the two are two "hosts"), with a probe spider written here.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.compression import compression_problem
from crawler.middlewares import GuardedNameResolver, _ConnectPolicy, retry_after_seconds
from crawler.settings import duration_seconds, scrapy_settings
from crawler.spiders.feeds import fetchable_links, feed_links
from crawler.url_policy import address_problem, fetchable, same_site, site_domains

ROOT = Path(__file__).resolve().parent.parent
PAGE = (b"<!DOCTYPE html><html><head><title>A story</title></head><body><article><h1>A story</h1>"
        + b"<p>Paragraph of the story, long enough to be read as text.</p>" * 40 + b"</article></body></html>")


# --- Pure policy -------------------------------------------------------------------------------------

@pytest.mark.parametrize("url, reason", [
    ("javascript:void(0)", "not an http(s) URL: javascript:"),
    ("mailto:desk@example.com", "not an http(s) URL: mailto:"),
    ("file:///etc/passwd", "not an http(s) URL: file:"),
    ("data:text/html,<p>hi</p>", "not an http(s) URL: data:"),
    ("ftp://example.com/a", "not an http(s) URL: ftp:"),
    ("tel:+123", "not an http(s) URL: tel:"),
    ("#top", "not an http(s) URL: no scheme"),
    ("http://", "no host"),
    ("http://user:pw@example.com/", "user name or password in the URL"),
    ("http://evil.example\\@good.example/", "backslash in the host part"),
    ("http://example.com:99999/", "bad port"),
    ("http://exa mple.com/", "bad host: exa mple.com"),
    ("http://example.com/\x00", "control character in the URL"),
    ("https://example.com/" + "a" * 2100, "URL longer than 2048 characters"),
])
def test_fetchable_refuses_what_is_not_a_web_page(url, reason):
    assert fetchable(url) == reason


@pytest.mark.parametrize("url", ["https://example.com/2021/02/26/a/", "HTTP://Example.COM/x?y=1#z",
                                 "https://مثال.مصر/خبر", "http://[2606:4700::1]:8080/", "http://127.0.0.1:8000/"])
def test_fetchable_accepts_web_pages(url):
    assert fetchable(url) is None


@pytest.mark.parametrize("ip, kind", [
    ("127.0.0.1", "a loopback address"), ("::1", "a loopback address"),
    ("::ffff:127.0.0.1", "a loopback address"), ("::ffff:10.0.0.1", "a private address"),
    ("10.1.2.3", "a private address"), ("192.168.1.1", "a private address"), ("172.16.0.1", "a private address"),
    ("169.254.169.254", "a link-local address"), ("fe80::1", "a link-local address"),
    ("224.0.0.1", "a multicast address"), ("0.0.0.0", "an unspecified address"), ("::", "an unspecified address"),
    ("fc00::1", "a private address"), ("100.64.0.1", "a non-public address"),
    ("8.8.8.8", None), ("2606:4700:4700::1111", None),
])
def test_address_problem_names_the_kind_of_address(ip, kind):
    assert address_problem(ip, False, []) == kind


def test_address_problem_allowances():
    assert address_problem("127.0.0.1", True, []) is None
    assert address_problem("127.0.0.2", False, ["127.0.0.2/32"]) is None
    assert address_problem("127.0.0.1", False, ["127.0.0.2/32"]) == "a loopback address"
    assert address_problem("::ffff:10.0.0.5", False, ["10.0.0.0/8"]) is None


def test_site_domains_and_same_site():
    site = {"feeds": ["https://www.example.com/feed/"], "sitemaps": ["https://news.example.org/sm.xml"],
            "sections": [], "domains": ["example.net", "https://cdn.example.io/x"]}
    assert site_domains(site) == {"www.example.com", "news.example.org", "example.net", "cdn.example.io"}
    domains = site_domains(site)
    assert same_site("example.com", domains) and same_site("www.example.com", domains)
    assert same_site("m.example.com", domains) and same_site("a.b.example.net", domains)
    assert not same_site("evil-example.com", domains) and not same_site("example.com.evil.io", domains)
    assert not same_site("127.0.0.1", ["127.0.0.2"]) and same_site("127.0.0.2", ["127.0.0.2"])


def test_retry_after_is_clamped_to_a_day_and_garbage_is_none():
    assert retry_after_seconds("99999999999") == 86400
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Fri, 31 Dec 9999 23:59:59 GMT") == 86400
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert retry_after_seconds("99999", maximum=3600) == 3600
    for garbage in ("-5", "1.5", "soon", "", None, "١٢"):
        assert retry_after_seconds(garbage) is None


def _page(n=20000):
    return b"".join(b"<p>%d paragraph %x</p>" % (i, i * 7919) for i in range(n))


def test_compression_problem_finds_streams_that_end_too_soon():
    import brotli
    try:
        from compression import zstd
    except ImportError:
        from backports import zstd
    body = _page()
    raw = zlib.compressobj(wbits=-15)
    encoded = {b"gzip": gzip.compress(body), b"deflate": zlib.compress(body),
               b"br": brotli.compress(body), b"zstd": zstd.compress(body)}
    encoded_raw = raw.compress(body) + raw.flush()
    for enc, data in encoded.items():
        assert compression_problem(data, enc) is None, enc
        assert "cut short" in compression_problem(data[: len(data) // 2], enc), enc
    assert compression_problem(encoded_raw, b"deflate") is None
    assert "cut short" in compression_problem(encoded_raw[:-50], b"deflate")
    g = encoded[b"gzip"]
    assert compression_problem(g[:-8], b"gzip") is None               # stream whole, trailer lost: tolerated
    assert "cut short" in compression_problem(g[:-9], b"gzip")
    assert compression_problem(g + g, b"gzip") is None                # two members
    assert "cut short" in compression_problem(g + g[:100], b"gzip")
    bomb = gzip.compress(b"\0" * 30_000_000)
    assert compression_problem(bomb, b"gzip", max_size=1_000_000) is None   # too big: Scrapy's cap speaks


def test_scrapy_settings_fetch_only_http_and_carry_the_policy():
    s = scrapy_settings({"concurrency": 8, "allow_private_addresses": True, "allowed_networks": ["10.0.0.0/8"],
                         "follow_offsite_redirects": True, "max_retry_after": "6h"})
    assert all(s["DOWNLOAD_HANDLERS"][k] is None for k in ("file", "data", "ftp", "s3"))
    assert s["CONCURRENT_REQUESTS"] == 8 and scrapy_settings()["CONCURRENT_REQUESTS"] == 32
    assert s["MARSAD_ALLOW_PRIVATE_ADDRESSES"] is True and s["MARSAD_ALLOWED_NETWORKS"] == ["10.0.0.0/8"]
    assert s["MARSAD_FOLLOW_OFFSITE_REDIRECTS"] is True and s["MARSAD_MAX_RETRY_AFTER"] == 21600
    d = scrapy_settings()
    assert d["MARSAD_ALLOW_PRIVATE_ADDRESSES"] is False and d["MARSAD_MAX_RETRY_AFTER"] == 86400
    assert d["REMOTE_CONTROL_ENABLED"] is False and d["TELNETCONSOLE_ENABLED"] is False
    mws = d["DOWNLOADER_MIDDLEWARES"]
    assert mws["crawler.middlewares.AddressGuardMiddleware"] < 100 and mws["crawler.middlewares.OffsiteRedirectMiddleware"] < 100
    own_robots = importlib.util.find_spec("crawler.robots") is not None
    assert ("crawler.robots.RobotsMiddleware" in mws) == own_robots
    assert (mws.get("scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware", 100) is None) == own_robots
    with pytest.raises(ValueError, match="not an IP address or CIDR"):
        scrapy_settings({"allowed_networks": ["10.0.0.0/33"]})


def test_duration_grammar_matches_the_scheduler():
    from scheduler.durations import seconds
    for text in ("1d", "6h", "30s", "5m", "2w", " 1.5h ", "0m"):
        assert duration_seconds(text) == seconds(text)
    for bad in ("1y", "", "h", "-1d"):
        with pytest.raises(ValueError):
            duration_seconds(bad)
    assert duration_seconds(3600) == 3600.0


def test_connect_filter_drops_refused_addresses():
    """DNS rebinding: the addresses the reactor connects to pass the same rule (the DNS server is the
    boundary we cannot reach here, so the resolver below answers as a rebinding one would)."""
    from twisted.internet.address import IPv4Address

    class Rebinding:
        def resolveHostName(self, receiver, host, port=0, *a):
            receiver.resolutionBegan(None)
            for ip in ("127.0.0.1", "93.184.216.34", "10.0.0.1"):
                receiver.addressResolved(IPv4Address("TCP", ip, port))
            receiver.resolutionComplete()

    class Collect:
        def __init__(self):
            self.got, self.done = [], False

        def resolutionBegan(self, r):
            pass

        def addressResolved(self, a):
            self.got.append(a.host)

        def resolutionComplete(self):
            self.done = True

    policy = _ConnectPolicy()
    policy.update(False, [])
    out = Collect()
    GuardedNameResolver(Rebinding(), policy).resolveHostName(out, "rebind.example", 80)
    assert out.got == ["93.184.216.34"] and out.done


# --- Local hosts -------------------------------------------------------------------------------------

class Host:
    """A tiny HTTP server on one loopback address; routes: path -> (status, headers, body)."""

    def __init__(self, address: str):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.requests: list[str] = []
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                host.requests.append(self.path)
                status, headers, body = host.routes.get(self.path, (404, {}, b"<html><body>no</body></html>"))
                if self.path == "/robots.txt" and self.path not in host.routes:
                    status, headers, body = 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
                self.send_response(status)
                headers = {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body)), **headers}
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer((address, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{address}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hosts():
    one, two = Host("127.0.0.1"), Host("127.0.0.2")
    yield one, two
    one.close(), two.close()


PROBE = textwrap.dedent('''
    import json, sys
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from crawler.settings import scrapy_settings

    spec = json.load(open(sys.argv[1]))
    results = []

    class Collect:
        def process_item(self, item):
            results.append({"item": item})
            return item

    class Probe(scrapy.Spider):
        name = "probe"

        async def start(self):
            for r in spec["requests"]:
                try:
                    yield scrapy.Request(r["url"], callback=self.ok, errback=self.bad, dont_filter=True,
                                         meta={**r.get("meta", {}), "probe": r["url"]})
                except ValueError as e:       # Scrapy cannot even build it: why fetchable() comes first
                    results.append({"url": r["url"], "error": f"ValueError: {e}"})

        def ok(self, response):
            results.append({"url": response.meta["probe"], "status": response.status, "final": response.url,
                            "length": len(response.body), "flags": response.flags,
                            "retry_after": response.meta.get("retry_after"),
                            "content_length": (response.headers.get("Content-Length") or b"").decode()})

        def bad(self, failure):
            results.append({"url": failure.request.meta["probe"],
                            "error": f"{failure.type.__name__}: {failure.getErrorMessage()}"})

    if spec.get("rebind"):      # the guard's own lookup answers a public address, as a rebinding DNS would
        from crawler import middlewares

        async def public(self, host, port):
            return ["93.184.216.34"]
        middlewares.AddressGuardMiddleware._addresses = public

    settings = scrapy_settings(spec["politeness"], "WARNING" if spec.get("discovery") else "ERROR")
    settings.update({"ITEM_PIPELINES": {}, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "RETRY_TIMES": 0,
                     "DOWNLOAD_TIMEOUT": 10}, **spec.get("overrides", {}))
    spider = Probe
    if spec.get("discovery"):
        from crawler.spiders.feeds import DiscoverySpider
        spider = DiscoverySpider
        settings["ITEM_PIPELINES"] = {"__main__.Collect": 100}
    process = CrawlerProcess(settings)
    process.crawl(spider, **({"sites": spec["discovery"]} if spec.get("discovery") else {}))
    process.start()
    print(json.dumps(results, default=lambda o: getattr(o, "__dict__", str(o))))
''')


def crawl(tmp_path, requests=(), politeness=None, overrides=None, discovery=None, rebind=False):
    """Run one real Scrapy crawl in a subprocess; {url: outcome} (discovery: the items and the log)."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"requests": [r if isinstance(r, dict) else {"url": r} for r in requests],
                                "politeness": politeness or {}, "overrides": overrides or {},
                                "discovery": discovery, "rebind": rebind}))
    script = tmp_path / "probe.py"
    script.write_text(PROBE)
    proc = subprocess.run([sys.executable, str(script), str(spec)], capture_output=True, text=True, timeout=90,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    if discovery:
        return [r["item"] for r in out], proc.stderr
    return {r["url"]: r for r in out}


def test_loopback_and_private_hosts_redirects_and_schemes_are_refused(tmp_path, hosts):
    one, two = hosts
    two.routes.update({
        "/page": (200, {}, PAGE),
        "/to-one": (302, {"Location": one.url + "/page"}, b"moved"),
        "/to-one-same-site": (302, {"Location": one.url + "/page"}, b"moved"),
        "/to-localhost": (302, {"Location": f"http://localhost:{one.url.rsplit(':', 1)[1]}/page"}, b"moved"),
        "/to-ftp": (302, {"Location": "ftp://127.0.0.2/etc/passwd"}, b"moved"),
        "/to-file": (301, {"Location": "file:///etc/passwd"}, b"moved"),
        "/to-self": (302, {"Location": "/page"}, b"moved"),
        "/to-self-declared": (302, {"Location": "/page"}, b"moved"),
        "/robots.txt": (302, {"Location": one.url + "/robots.txt"}, b"moved"),   # robots.txt passes the guards too
    })
    one.routes["/page"] = (200, {}, PAGE)
    r = crawl(tmp_path, [one.url + "/page", two.url + "/page", two.url + "/to-one", two.url + "/to-localhost",
                         {"url": two.url + "/to-one-same-site", "meta": {"marsad": {"domains": ["127.0.0.1", "127.0.0.2"]}}},
                         two.url + "/to-ftp", two.url + "/to-file", two.url + "/to-self",
                         {"url": two.url + "/to-self-declared", "meta": {"marsad": {"domains": ["news.example"]}}},
                         "file:///etc/passwd", "data:text/html,<title>x</title>", "javascript:void(0)",
                         "http://no-such-host.invalid/a"],
              politeness={"allowed_networks": ["127.0.0.2/32"]})
    assert r[one.url + "/page"]["error"] == (
        "IgnoreRequest: refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address (politeness.allow_private_addresses)")
    assert r[two.url + "/page"]["status"] == 200 and r[two.url + "/page"]["length"] == len(PAGE)
    assert r[two.url + "/to-one"]["error"] == "IgnoreRequest: redirect off-site to 127.0.0.1 (politeness.follow_offsite_redirects)"
    assert "redirect off-site to localhost" in r[two.url + "/to-localhost"]["error"]
    # the redirect is within the site's declared domains, so the address guard is what stops it
    assert "refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address" in r[two.url + "/to-one-same-site"]["error"]
    assert "refused: redirect to ftp://127.0.0.2/etc/passwd (not an http(s) URL: ftp:)" in r[two.url + "/to-ftp"]["error"]
    assert "(not an http(s) URL: file:)" in r[two.url + "/to-file"]["error"]
    assert r[two.url + "/to-self"]["status"] == 200 and r[two.url + "/to-self"]["final"] == two.url + "/page"
    assert r[two.url + "/to-self-declared"]["status"] == 200      # the request's own host always counts
    assert r["file:///etc/passwd"]["error"] == "IgnoreRequest: refused: not an http(s) URL: file:"
    assert "not an http(s) URL: data:" in r["data:text/html,<title>x</title>"]["error"]
    assert r["http://no-such-host.invalid/a"]["error"].startswith("CannotResolveHostError: no-such-host.invalid")
    assert r["javascript:void(0)"]["error"].startswith("ValueError: Missing scheme")   # spiders filter first
    assert "/robots.txt" in two.requests            # robots.txt was asked on the allowed host ...
    assert one.requests == []                       # ... and its redirect, like every page, never reached 127.0.0.1


def test_download_handlers_refuse_other_schemes_even_without_the_guard(tmp_path, hosts):
    one, _ = hosts
    one.routes["/page"] = (200, {}, PAGE)
    r = crawl(tmp_path, ["file:///etc/passwd", "data:text/html,<title>x</title>", one.url + "/page"],
              politeness={"allow_private_addresses": True}, overrides={"MARSAD_ADDRESS_GUARD_ENABLED": False})
    for url in ("file:///etc/passwd", "data:text/html,<title>x</title>"):
        assert "status" not in r[url] and "scheme" in r[url]["error"].lower(), r[url]
    assert r[one.url + "/page"]["status"] == 200     # allow_private_addresses lets the demo and tests in


def test_offsite_redirects_follow_when_configured(tmp_path, hosts):
    one, two = hosts
    one.routes["/page"] = (200, {}, PAGE)
    two.routes["/to-one"] = (302, {"Location": one.url + "/page"}, b"moved")
    two.routes["/robots.txt"] = (302, {"Location": one.url + "/robots.txt"}, b"moved")
    r = crawl(tmp_path, [two.url + "/to-one"],
              politeness={"allowed_networks": ["127.0.0.0/8"], "follow_offsite_redirects": True})
    assert r[two.url + "/to-one"]["status"] == 200 and r[two.url + "/to-one"]["final"] == one.url + "/page"
    assert "/robots.txt" in one.requests          # robots.txt redirects are followed when the policy allows


def test_meta_refresh_is_followed_and_pages_without_one_pass_undecoded(tmp_path, hosts):
    """marsad's MetaRefreshMiddleware reads the first bytes before Scrapy decodes a page: a refresh is
    still followed (any case, Arabic page, UTF-16 page), a page that only says "refresh" later is not
    redirected, and a refresh off-site still meets the offsite rule."""
    one, two = hosts
    head = '<html><head><META HTTP-EQUIV="Refresh" CONTENT="0; url=/page"><title>x</title></head><body>'
    two.routes.update({
        "/page": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE),
        "/refresh": (200, {"Content-Type": "text/html"}, (head + "moved</body></html>").encode()),
        "/refresh-ar": (200, {"Content-Type": "text/html; charset=utf-8"},
                        (head + "<p>نُقل الخبر</p>" * 50 + "</body></html>").encode()),
        "/refresh-utf16": (200, {"Content-Type": "text/html; charset=utf-16"},
                           (head + "moved</body></html>").encode("utf-16")),
        "/late": (200, {"Content-Type": "text/html; charset=utf-8"},
                  PAGE[:-14] + b"<p>Press refresh to reload.</p>" + PAGE[-14:]),
        "/refresh-offsite": (200, {"Content-Type": "text/html"},
                             f'<meta http-equiv="refresh" content="0;url={one.url}/page">'.encode()),
    })
    r = crawl(tmp_path, [two.url + p for p in ("/refresh", "/refresh-ar", "/refresh-utf16", "/late",
                                              "/refresh-offsite")],
              politeness={"allowed_networks": ["127.0.0.2/32"]})
    for p in ("/refresh", "/refresh-ar", "/refresh-utf16"):
        assert r[two.url + p]["status"] == 200 and r[two.url + p]["final"] == two.url + "/page", (p, r[two.url + p])
    assert r[two.url + "/late"]["final"] == two.url + "/late"
    assert "redirect off-site to 127.0.0.1" in r[two.url + "/refresh-offsite"]["error"]
    assert one.requests == []


def test_truncated_compressed_bodies_bombs_and_retry_after(tmp_path, hosts):
    one, _ = hosts
    g = gzip.compress(PAGE)
    tiny = gzip.compress(b"<html><body>hi</body></html>")   # its gzip is longer than its text
    one.routes.update({
        "/gzip": (200, {"Content-Encoding": "gzip"}, g),
        "/tiny": (200, {"Content-Encoding": "gzip"}, tiny),
        "/gzip-cut": (200, {"Content-Encoding": "gzip"}, g[: len(g) // 2]),
        "/deflate-cut": (200, {"Content-Encoding": "deflate"}, zlib.compress(PAGE)[:-40]),
        "/bomb": (200, {"Content-Encoding": "gzip"}, gzip.compress(b"\0" * 30_000_000)),
        "/404-cut": (404, {"Content-Encoding": "gzip"}, g[: len(g) // 2]),
        "/busy": (429, {"Retry-After": "99999999999"}, b"slow down"),
    })
    r = crawl(tmp_path, [one.url + p for p in ("/gzip", "/tiny", "/gzip-cut", "/deflate-cut", "/bomb", "/404-cut", "/busy")],
              politeness={"allow_private_addresses": True, "max_bytes": 5_000_000})
    assert r[one.url + "/gzip"]["status"] == 200 and r[one.url + "/gzip"]["length"] == len(PAGE)
    assert r[one.url + "/tiny"]["status"] == 200 and r[one.url + "/tiny"]["content_length"] == ""
    assert r[one.url + "/gzip-cut"]["error"].startswith("IncompleteResponse: incomplete: gzip stream cut short")
    assert r[one.url + "/deflate-cut"]["error"].startswith("IncompleteResponse: incomplete: deflate stream cut short")
    assert "exceeded DOWNLOAD_MAXSIZE" in r[one.url + "/bomb"]["error"]
    assert r[one.url + "/404-cut"]["status"] == 404 and "truncated" in r[one.url + "/404-cut"]["flags"]
    assert r[one.url + "/busy"]["status"] == 429 and r[one.url + "/busy"]["retry_after"] == 86400


def test_dns_rebinding_is_refused_when_connecting(tmp_path, hosts):
    """The guard's lookup said public; the one the HTTP client connects with says 127.0.0.1."""
    one, _ = hosts
    one.routes["/page"] = (200, {}, PAGE)
    r = crawl(tmp_path, [one.url + "/page"], rebind=True, overrides={"ROBOTSTXT_OBEY": False})
    assert r[one.url + "/page"]["error"].startswith("CannotResolveHostError: DNS lookup failed: no results"), r
    assert one.requests == []


# --- Discovery ---------------------------------------------------------------------------------------

def test_fetchable_links_drop_and_count_what_cannot_be_fetched():
    links, dropped = fetchable_links(["https://a.example/1", " https://a.example/2#comments ", "javascript:void(0)",
                                      "mailto:x@a.example", "file:///etc/passwd", "data:,x", "ftp://a.example/f",
                                      "tel:+1", "https://a.example/1#top"])
    assert links == ["https://a.example/1", "https://a.example/2"]
    assert len(dropped) == 6 and dropped[0] == ("javascript:void(0)", "not an http(s) URL: javascript:")


def test_feed_links_are_capped_and_a_non_xml_feed_is_empty():
    items = "".join(f"<item><link>https://a.example/{i}</link></item>" for i in range(10_000))
    feed = f'<?xml version="1.0"?><rss><channel>{items}</channel></rss>'.encode()
    links = feed_links(feed, "https://a.example/feed/")
    assert len(links) == 10_000
    assert feed_links(b"\x89PNG\r\n\x1a\n\x00\x00garbage", "https://a.example/feed/") == []
    assert feed_links(b"<html><body><p>not a feed</p></body></html>", "https://a.example/feed/") == []


def test_discovery_drops_bad_links_caps_feeds_and_survives_hostile_sources(tmp_path, hosts):
    one, _ = hosts
    bad = ["javascript:void(0)", "mailto:desk@example.com", "file:///etc/passwd", "data:text/html,x", "ftp://x/y"]
    feed_items = "".join(f"<item><link>{u}</link></item>" for u in bad)
    feed_items += "".join(f"<item><link>{one.url}/news/2021/02/26/{i}/</link></item>" for i in range(10_000))
    sm = "".join(f"<url><loc>{one.url}/news/2021/03/01/{i}/</loc></url>" for i in range(60_000))
    section = ('<html><body><a href="javascript:void(0)">x</a><a href="#top">top</a><a href="tel:+1">call</a>'
               '<a href="/news/2021/02/27/s/">story</a><a href="/news/2021/02/27/s/#comments">c</a></body></html>')
    one.routes.update({
        "/feed/": (200, {"Content-Type": "application/rss+xml"}, f"<rss><channel>{feed_items}</channel></rss>".encode()),
        "/not-a-feed/": (200, {"Content-Type": "application/rss+xml"}, b"\x89PNG\r\n\x1a\n\x00\x00" + os.urandom(2000)),
        "/sitemap.xml": (200, {"Content-Type": "application/xml"},
                         f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{sm}</urlset>'.encode()),
        "/section/": (200, {}, section.encode()),
    })
    site = {"name": "Local", "feeds": [one.url + "/feed/", one.url + "/not-a-feed/"], "sitemaps": [one.url + "/sitemap.xml"],
            "sections": [one.url + "/section/"], "article_pattern": None}
    items, log = crawl(tmp_path, politeness={"allow_private_addresses": True}, discovery=[site])
    by_source = {i["source"]: i["urls"] for i in items}
    feed = by_source[one.url + "/feed/"]
    assert len(feed) == 500 and all(u.startswith(one.url) for u in feed)
    assert by_source.get(one.url + "/not-a-feed/", []) == []
    assert len(by_source[one.url + "/sitemap.xml"]) == 50_000
    assert by_source[one.url + "/section/"] == [one.url + "/news/2021/02/27/s/"]
    assert "dropped 5 links that cannot be fetched" in log and "javascript:void(0)" in log
    assert log.count(one.url + "/feed/: dropped") == 1          # one warning per source
    assert "dropped 2 links that cannot be fetched" in log       # the section's javascript: and tel:
    assert "is not an RSS or Atom feed" in log
    assert "capped at 500" in log and "capped at 50,000" in log
