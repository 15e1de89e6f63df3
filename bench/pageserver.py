"""A fast local news site for the throughput and soak benchmarks: N article pages built from the real pages
of ../shared/corpora, served from memory on 127.0.0.1.

    python -m bench.pageserver --pages 2000            # serve until interrupted; prints its URL
    python -m bench.pageserver --pages 2000 --measure  # how fast it answers alone (pages/s)

Page i (URL /a/<i>/) is corpus page i mod B (B ≈ 430 distinct real pages, 150 KB on average) with two
things spliced in, so every benchmark phase can be produced on demand without parsing anything per request:
  - furniture: a csrf-token <meta>, a rotating "most read" box and a newsletter form with a hidden CSRF
    token (what really changes on news pages between two fetches while the article stays the same);
  - a revision sentence at the end of the page's longest paragraph (the article text, and one figure,
    changed).
It also answers /sitemap.xml and /section/ (every URL), /robots.txt (allow all), and a control API:
  /__bench/state                     the current mode, as JSON
  /__bench/set?conditional=1&...     conditional (ETag + Last-Modified, 304 on a match), percent, furniture
  /__bench/advance?revise=5&furniture=1
                                     next round: exactly round(N*5/100) pages get a new revision sentence,
                                     and with furniture=1 every page's furniture changes; the rest stay
                                     byte-identical
  /__bench/stats[?reset=1]           requests answered by status since the last reset
With --per-fetch (the soak), each page moves to its next round by itself on every fetch of it (its k-th
fetch is its round k), so a daemon can be left running with no coordination.

A lean asyncio protocol (HTTP/1.1 keep-alive, no framework) so the server is never the bottleneck: it
answers several thousand pages/s on one core (see --measure).
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import math
import re
import sys
import time
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.I)
_BODY = re.compile(rb"<body(?:\s[^>]*)?>", re.I)
# a paragraph: <p> ... </p> with no block element inside (a regex match across an unclosed <p> is no paragraph)
_PARA = re.compile(rb"<p(?:\s[^>]*)?>((?:(?!<(?:p|div|script|style|table|section|article|ul|ol|aside|footer|header"
                   rb"|form|nav)[\s>]).)*?)</p\s*>", re.S | re.I)
_TAGS = re.compile(rb"<[^>]+>")
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title", re.S | re.I)
MIN_PARAGRAPH = 80          # bytes of text: a shorter "longest paragraph" is no article body
EPOCH = 1_700_000_000       # Last-Modified of a page's revision r is EPOCH + r hours
CHOICES = Path(__file__).resolve().parent / "data" / "pageserver_paragraphs.json"


class CorporaMissing(RuntimeError):
    """../shared/corpora is not beside the checkout: the benchmarks that need real pages are skipped."""


@dataclass(frozen=True)
class Base:
    """One real corpus page cut at the three places where the server splices its parts in."""
    head: bytes         # up to and including <head ...>
    to_body: bytes      # up to and including <body ...>
    to_para: bytes      # up to the </p> of the longest paragraph
    rest: bytes         # from that </p> to the end
    title: str


def _paragraphs(html: bytes, start: int) -> list[int]:
    """Offsets of the closing </p> of the page's paragraphs of at least MIN_PARAGRAPH bytes of text,
    longest first."""
    found = []
    for m in _PARA.finditer(html, start):
        n = len(_TAGS.sub(b"", m.group(1)).strip())
        if n >= MIN_PARAGRAPH:
            found.append((-n, m.start() + m.group(0).lower().rfind(b"</p")))
    return [end for _, end in sorted(found)]


def _cut(html: bytes, choice: int = 0) -> Base | None:
    """The page cut for splicing; the revision goes after the `choice`-th longest paragraph."""
    h, b = _HEAD.search(html), _BODY.search(html)
    if choice < 0 or not h or not b or b.start() < h.end():
        return None
    ends = _paragraphs(html, b.end())
    if len(ends) <= choice:
        return None
    end = ends[choice]
    t = _TITLE.search(html)
    title = _TAGS.sub(b"", t.group(1)).decode("utf-8", "replace").strip()[:90] if t else ""
    title = re.sub(r"[<>&\"\s]+", " ", title).strip() or "A story"
    return Base(html[:h.end()], html[h.end():b.end()], html[b.end():end], html[end:], title)


def _records(path: Path | None = None):
    """(record path, raw bytes) of every distinct corpus page, in a fixed order."""
    from .corpora import loader
    try:
        load = loader(path)
    except FileNotFoundError as e:
        raise CorporaMissing(str(e)) from None
    seen = set()
    for corpus in load.CORPORA:
        for r in load.iter_records(corpus):
            if r["html"] in seen:
                continue
            seen.add(r["html"])
            try:
                yield r["html"], load.read_html(r["html"])
            except FileNotFoundError:
                continue


def load_bases(path: Path | None = None) -> list[Base]:
    """Every distinct corpus page usable as an article: a head, a body, and a paragraph where a revision
    sentence shows in the extracted text (CHOICES records which paragraph, from --rebuild-choices; a page
    not listed there gets its longest paragraph)."""
    choices = json.loads(CHOICES.read_text()) if CHOICES.exists() else {}
    out = []
    for rel, html in _records(path):
        c = choices.get(rel)
        base = _cut(html, c[1] if c and c[0] == _digest(html) else 0)
        if base:
            out.append(base)
    if not out:
        raise CorporaMissing(f"no usable pages in the corpora at {path or 'the default path'}")
    return out


def _digest(html: bytes) -> str:
    return hashlib.sha1(html).hexdigest()[:12]


def rebuild_choices(path: Path | None = None, tries: int = 4) -> tuple[int, int]:
    """For every corpus page, the first of its `tries` longest paragraphs where a revision sentence shows
    in marsad's extracted text (-1: none does, and the page is left out), written to CHOICES. Slow (one
    extraction per try); run it again when the extractor changes a lot."""
    from crawler.extract import extract
    out, kept = {}, 0
    for rel, html in _records(path):
        choice = -1
        for c in range(tries):
            base = _cut(html, c)
            if base is None:
                break
            try:
                a = extract(base.head + base.to_body + base.to_para + _sentence(3) + base.rest,
                            url="http://127.0.0.1/a/1/")
            except Exception:
                break
            if "Update 3:" in (a.text or ""):
                choice = c
                break
        out[rel] = [_digest(html), choice]
        kept += choice >= 0
    CHOICES.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n")
    return kept, len(out)


def _sentence(rev: int) -> bytes:
    return f" Update {rev}: officials said {10 + 7 * rev} people were killed and {3 + rev} were injured.".encode()


def _stride(n: int) -> int:
    for a in (7919, 104729, 1299709, 15485863):
        if math.gcd(a, n) == 1:
            return a
    return 1


class Site:
    """The state of the N pages: each page's revision round and furniture seed; bodies assembled per request."""

    def __init__(self, bases: list[Base], n: int, per_fetch: bool = False, percent: float = 5.0,
                 furniture: bool = False, conditional: bool = False, revise_from: int = 2):
        self.bases, self.n = bases, n
        self.rev = [0] * n              # the round of the page's last revision (0: as in the corpus)
        self.fseed = [0] * n            # the furniture's seed
        self.fetches = [0] * n
        self.round = 0
        self.per_fetch, self.percent, self.furniture = per_fetch, percent, furniture
        self.conditional, self.revise_from = conditional, revise_from
        self.stride = _stride(n)
        self.stats: dict[str, int] = {}
        self.bytes_out = 0
        self.sitemap = b""
        self.section = b""
        self.base_url = ""

    def set_base(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        locs = "".join(f"<url><loc>{self.url(i)}</loc></url>" for i in range(self.n))
        self.sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
                        f'sitemap/0.9">{locs}</urlset>\n').encode()
        links = "".join(f'<li><a href="/a/{i}/">{self.bases[i % len(self.bases)].title}</a></li>'
                        for i in range(self.n))
        self.section = (f"<!doctype html><html><head><title>Latest</title></head><body><ul>{links}</ul>"
                        "</body></html>").encode()

    def url(self, i: int) -> str:
        return f"{self.base_url}/a/{i}/"

    # -- rounds -------------------------------------------------------------------------------------------
    def revised_count(self, percent: float | None = None) -> int:
        return round(self.n * (self.percent if percent is None else percent) / 100)

    def selected(self, i: int, rnd: int, percent: float | None = None) -> bool:
        """Exactly revised_count() pages per round; consecutive rounds pick disjoint blocks of a fixed
        permutation, so no page is revised twice before all others were once."""
        k = self.revised_count(percent)
        if k <= 0:
            return False
        pos = (i * self.stride) % self.n
        return (pos - (rnd - 1) * k) % self.n < k

    def advance(self, percent: float | None = None, furniture: bool | None = None) -> dict:
        self.round += 1
        pct = self.percent if percent is None else percent
        fur = self.furniture if furniture is None else furniture
        changed = 0
        for i in range(self.n):
            if self.selected(i, self.round, pct):
                self.rev[i] = self.round
                changed += 1
            if fur:
                self.fseed[i] = self.round
        return {"round": self.round, "revised": changed, "furniture": fur}

    def _on_fetch(self, i: int) -> None:
        self.fetches[i] += 1
        k = self.fetches[i]
        if k >= self.revise_from and self.selected(i, k - self.revise_from + 1):
            self.rev[i] = k
        if self.furniture and k > 1:
            self.fseed[i] = k

    # -- bodies -------------------------------------------------------------------------------------------
    def etag(self, i: int) -> str:
        return f'"{i}-{self.rev[i]}-{self.fseed[i]}"'

    def last_modified(self, i: int) -> str:
        return formatdate(EPOCH + 3600 * max(self.rev[i], self.fseed[i]), usegmt=True)

    def body(self, i: int) -> list[bytes]:
        b = self.bases[i % len(self.bases)]
        seed, rev = self.fseed[i], self.rev[i]
        token = hashlib.sha1(f"{i}:{seed}".encode()).hexdigest()
        nb = len(self.bases)
        most = "".join(f'<li><a href="/a/{(seed * 5 + j * 37 + i) % self.n}/">'
                       f"{self.bases[(seed * 5 + j * 37 + i) % nb].title}</a></li>" for j in range(5))
        meta = f'\n<meta name="csrf-token" content="{token}">\n'.encode()
        # ASCII with character references: the page's own charset (often not UTF-8) reads it unchanged
        box = (f'\n<aside class="most-read"><h2>Most read</h2><ol>{most}</ol></aside>'
               f'<form class="newsletter" action="/subscribe" method="post"><input type="hidden" name="csrf_token"'
               f' value="{token}"><input type="email" name="email"><button>Subscribe</button></form>\n'
               ).encode("ascii", "xmlcharrefreplace")
        parts = [b.head, meta, b.to_body, box, b.to_para]
        if rev:
            parts.append(_sentence(rev))
        parts.append(b.rest)
        return parts

    # -- control ------------------------------------------------------------------------------------------
    def state(self) -> dict:
        return {"pages": self.n, "bases": len(self.bases), "round": self.round, "per_fetch": self.per_fetch,
                "percent": self.percent, "furniture": self.furniture, "conditional": self.conditional,
                "revise_from": self.revise_from, "base_url": self.base_url,
                "mean_body_bytes": round(sum(len(b"".join(self.body(i))) for i in range(min(self.n, 500)))
                                         / min(self.n, 500))}

    def control(self, path: str, q: dict) -> dict:
        flag = lambda v: v.lower() in ("1", "true", "yes", "on")     # noqa: E731
        if path == "/__bench/set":
            if "conditional" in q:
                self.conditional = flag(q["conditional"])
            if "furniture" in q:
                self.furniture = flag(q["furniture"])
            if "percent" in q:
                self.percent = float(q["percent"])
            return self.state()
        if path == "/__bench/advance":
            return self.advance(float(q["revise"]) if "revise" in q else None,
                                flag(q["furniture"]) if "furniture" in q else None)
        if path == "/__bench/stats":
            out = {"by_status": dict(self.stats), "bytes": self.bytes_out, "requests": sum(self.stats.values())}
            if flag(q.get("reset", "0")):
                self.stats, self.bytes_out = {}, 0
            return out
        return self.state()


_REASONS = {200: b"OK", 304: b"Not Modified", 404: b"Not Found"}


class _Http(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and pipelining; GET and HEAD only; headers read: If-None-Match,
    If-Modified-Since, Connection."""

    def __init__(self, site: Site):
        self.site = site
        self.buf = b""
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > 65536:
                    self.transport.close()
                return
            head, self.buf = self.buf[:end], self.buf[end + 4:]
            if not self._answer(head):
                self.transport.close()
                return

    def _answer(self, head: bytes) -> bool:
        lines = head.split(b"\r\n")
        try:
            method, target, version = lines[0].split(b" ", 2)
        except ValueError:
            return False
        hdr = {}
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            hdr[k.strip().lower()] = v.strip()
        keep = (version == b"HTTP/1.1" and hdr.get(b"connection", b"").lower() != b"close") or \
            hdr.get(b"connection", b"").lower() == b"keep-alive"
        status, ctype, body, extra = self._route(target.decode("latin-1"), hdr)
        size = sum(map(len, body))
        if not target.startswith(b"/__bench/"):          # the control API is not traffic
            self.site.stats[str(status)] = self.site.stats.get(str(status), 0) + 1
            self.site.bytes_out += size
        out = [b"HTTP/1.1 %d %s\r\nServer: marsad-bench\r\nContent-Length: %d\r\n" % (status, _REASONS[status], size)]
        if ctype:
            out.append(b"Content-Type: " + ctype + b"\r\n")
        out += extra
        out.append(b"Connection: keep-alive\r\n\r\n" if keep else b"Connection: close\r\n\r\n")
        if method != b"HEAD":
            out += body
        self.transport.writelines(out)
        return keep

    def _route(self, target: str, hdr: dict):
        site = self.site
        path, _, query = target.partition("?")
        if path.startswith("/a/"):
            try:
                i = int(path[3:].strip("/"))
            except ValueError:
                i = -1
            if 0 <= i < site.n:
                if site.per_fetch:
                    site._on_fetch(i)
                extra = []
                if site.conditional:
                    etag, lm = site.etag(i), site.last_modified(i)
                    extra = [f"ETag: {etag}\r\nLast-Modified: {lm}\r\n".encode()]
                    inm, ims = hdr.get(b"if-none-match"), hdr.get(b"if-modified-since")
                    if (inm is not None and inm.decode("latin-1") == etag) or (inm is None and ims is not None
                                                                               and ims.decode("latin-1") == lm):
                        return 304, None, [], extra
                return 200, b"text/html", site.body(i), extra
        elif path == "/sitemap.xml":
            return 200, b"application/xml", [site.sitemap], []
        elif path == "/section/":
            return 200, b"text/html; charset=utf-8", [site.section], []
        elif path == "/robots.txt":
            return 200, b"text/plain", [b"User-agent: *\nAllow: /\n"], []
        elif path.startswith("/__bench/"):
            try:
                res = site.control(path, dict(parse_qsl(query)))
            except (KeyError, ValueError) as e:
                res = {"error": str(e)}
            return 200, b"application/json", [json.dumps(res).encode()], []
        return 404, b"text/plain", [b"not found\n"], []


async def serve(site: Site, host: str = "127.0.0.1", port: int = 0, ready=None) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Http(site), host, port, backlog=1024, reuse_address=True)
    real = server.sockets[0].getsockname()[1]
    site.set_base(f"http://{host}:{real}")
    if ready:
        ready(real)
    async with server:
        await server.serve_forever()


# -- measuring the server alone ------------------------------------------------------------------------------
async def _fetch_all(host: str, port: int, paths: list[str], conns: int) -> int:
    queue = list(reversed(paths))
    got = 0

    async def worker():
        nonlocal got
        r, w = await asyncio.open_connection(host, port, limit=1 << 22)
        while queue:
            p = queue.pop()
            w.write(f"GET {p} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            head = await r.readuntil(b"\r\n\r\n")
            m = re.search(rb"content-length:\s*(\d+)", head, re.I)
            await r.readexactly(int(m.group(1)) if m else 0)
            got += 1
        w.close()

    await asyncio.gather(*(worker() for _ in range(conns)))
    return got


def measure(base_url: str, n: int, conns: int = 32, passes: int = 3) -> float:
    """Pages/s the server answers to a lean keep-alive client (a separate process, `conns` connections)
    fetching all N pages; the best of `passes`. A lower bound: the Python client is the slower side."""
    u = urlsplit(base_url)
    paths = [f"/a/{i}/" for i in range(n)]
    best = 0.0
    for _ in range(passes):
        t = time.perf_counter()
        got = asyncio.run(_fetch_all(u.hostname, u.port, paths, conns))
        best = max(best, got / (time.perf_counter() - t))
    return best


# -- the server as a subprocess (used by the benchmarks) -----------------------------------------------------
class ServerProcess:
    """`python -m bench.pageserver` in its own process (its own core, its own GIL); `.control()` drives it."""

    def __init__(self, pages: int, *args: str, python: str | None = None):
        import subprocess
        root = Path(__file__).resolve().parents[1]
        self.proc = subprocess.Popen([python or sys.executable, "-m", "bench.pageserver", "--pages", str(pages), *args],
                                     cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening "):
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            self.close()
            if "skipped:" in line or "skipped:" in err:
                raise CorporaMissing((line + err).strip().split("skipped: ", 1)[-1])
            raise RuntimeError(f"page server did not start: {line}{err}")
        self.base_url = line.split()[1].rstrip("/")
        self.pages = pages

    def control(self, what: str, **params) -> dict:
        from urllib.parse import urlencode
        from urllib.request import urlopen
        q = urlencode({k: (int(v) if isinstance(v, bool) else v) for k, v in params.items()})
        with urlopen(f"{self.base_url}/__bench/{what}" + (f"?{q}" if q else ""), timeout=30) as r:
            return json.loads(r.read())

    @property
    def sitemap(self) -> str:
        return self.base_url + "/sitemap.xml"

    def urls(self) -> list[str]:
        return [f"{self.base_url}/a/{i}/" for i in range(self.pages)]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except Exception:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pageserver", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--per-fetch", action="store_true", help="every fetch of a page moves it to its next round")
    ap.add_argument("--percent", type=float, default=5.0, help="pages revised per round, in %%")
    ap.add_argument("--revise-from", type=int, default=2, help="with --per-fetch: the first fetch that may revise")
    ap.add_argument("--furniture", action="store_true", help="furniture changes every round")
    ap.add_argument("--conditional", action="store_true", help="send ETag/Last-Modified, answer 304")
    ap.add_argument("--measure", action="store_true", help="measure the server alone and exit")
    ap.add_argument("--rebuild-choices", action="store_true",
                    help=f"choose each page's revision paragraph with marsad's extractor (writes {CHOICES.name})")
    a = ap.parse_args(argv)
    if not a.host.startswith("127."):
        ap.error("the benchmark server listens on loopback only (127.x.x.x)")
    try:
        if a.rebuild_choices:
            kept, total = rebuild_choices()
            print(f"{kept} of {total} corpus pages show a revision in marsad's extracted text; wrote {CHOICES}")
            return 0
        bases = load_bases()
    except CorporaMissing as e:
        print(f"skipped: {e}", flush=True)
        return 0
    if a.measure:
        with ServerProcess(a.pages) as srv:
            rate = measure(srv.base_url, a.pages)
            mean = srv.control("state")["mean_body_bytes"]
        print(f"page server alone: {rate:,.0f} pages/s ({a.pages} pages of {mean / 1024:.0f} KiB on average, "
              f"32 keep-alive connections, best of 3)")
        return 0
    site = Site(bases, a.pages, per_fetch=a.per_fetch, percent=a.percent, furniture=a.furniture,
                conditional=a.conditional, revise_from=a.revise_from)

    def ready(port):
        print(f"listening http://{a.host}:{port}/ pages={a.pages} bases={len(bases)}", flush=True)

    try:
        asyncio.run(serve(site, a.host, a.port, ready))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
