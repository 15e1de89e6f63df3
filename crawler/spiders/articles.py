"""Fetch watched articles with conditional GET, and turn each response into a PageItem.

Nothing here writes: each PageItem goes to the store's writer (crawler/pipeline.py), directly rather than
through Scrapy's item pipeline, which costs a page more CPU than the raw-hash check itself. Every target ends in
exactly one item (a page, a 304, a 404/410, or an error), so every fetch leaves a `checks` row; a target
that cannot even become a request (not http(s), a malformed URL) is an error item at once, never the
end of the batch.

The spider is long-lived in the daemon (`keep_open`): the dispatcher feeds it requests as articles fall
due, so results flow as they arrive and a slow host holds only its own download slot. In a one-off crawl
it gets its targets at start and closes when they are done.

A body byte-identical to the last fetch (same raw hash) is `unchanged` without being parsed; any other
body goes to the CPU step (crawler.analyze) in the worker pool, off the event loop.
"""
from __future__ import annotations

from datetime import datetime, timezone

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import TextResponse

from detector.models import Analysis
from detector.takedown import noindex

from ..analyze import Job, raw_hash
from ..items import PageItem
from ..middlewares import retry_after_seconds
from ..url_policy import fetchable

HTML_TYPES = ("text/html", "application/xhtml+xml")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ArticleSpider(scrapy.Spider):
    """targets: [{"url", "etag"?, "last_modified"?, "raw_hash"?, "fingerprint"?, "site"?, "domains"?}]; store: crawler.pipeline.Store."""

    name = "marsad_articles"

    def __init__(self, targets=(), store=None, keep_open: bool = False, **kw):
        super().__init__(**kw)
        self.targets = list(targets)
        self.store = store
        self.keep_open = keep_open

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        return spider

    def _idle(self):
        if self.keep_open:
            raise DontCloseSpider

    def clock(self) -> str:
        return self.store.clock() if self.store is not None else utc_now()

    async def start(self):
        targets, self.targets = self.targets, []
        for t in targets:
            req = self.request_for(t)
            if req is not None:
                yield req

    def request_for(self, t: dict) -> scrapy.Request | None:
        """The request for a target, or None after handing the store an error item saying why there is none."""
        reason = fetchable(t["url"])
        if reason is None:
            headers = {}
            if t.get("etag"):
                headers["If-None-Match"] = t["etag"]
            if t.get("last_modified"):
                headers["If-Modified-Since"] = t["last_modified"]
            try:
                return scrapy.Request(t["url"], headers=headers, callback=self.parse, errback=self.failed,
                                      dont_filter=True, meta={"marsad": t})
            except (ValueError, TypeError) as e:
                reason = f"not a valid URL: {e}"
        self.store.writer.put(self._item(t, error=f"refused URL: {reason}"))
        return None

    def _item(self, target, **kw) -> PageItem:
        return PageItem(url=target["url"], fetched_at=self.clock(), site=target.get("site"), **kw)

    async def parse(self, response):
        """Each response ends in one fetch handed to the store. Nothing is yielded, so a page costs none
        of Scrapy's item machinery: the spider's output is the writer's input."""
        put = self.store.put
        t = response.meta["marsad"]
        ms = int(response.meta.get("download_latency", 0) * 1000)
        common = dict(status=response.status, bytes=len(response.body), ms=ms, final_url=response.url)
        validators = dict(etag=_header(response, b"ETag"), last_modified=_header(response, b"Last-Modified"))
        if response.status in (304, 404, 410):
            await put(self._item(t, **common))
            return
        if response.status >= 400:
            wait = response.meta.get("retry_after")                     # clamped by RetryAfterMiddleware
            if wait is None:
                wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            await put(self._item(t, error=f"HTTP {response.status}" + (f" (Retry-After {wait}s)" if wait else ""),
                                 retry_after=wait, **common, **validators))
            return
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if ctype and not any(h in ctype for h in HTML_TYPES) or not isinstance(response, TextResponse):
            await put(self._item(t, error=f"not an HTML page (Content-Type: {ctype or 'none'})", **common,
                                 **validators))
            return
        body = response.body
        rh = raw_hash(body)
        fetched_at = self.clock()
        if t.get("raw_hash") == rh:                 # the very bytes of the last fetch: nothing to read
            await put(PageItem(url=t["url"], fetched_at=fetched_at, site=t.get("site"), raw_hash=rh,
                               analysis=Analysis("unchanged", noindex=_header_noindex(response)), **common,
                               **validators))
            return
        headers = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
                   for k, v in response.headers.items()}
        job = Job(url=t["url"], fetched_at=fetched_at, status=response.status, headers=headers, body=body,
                  content_type=ctype, previous=self.store.previous(t["url"]), policy=self.store.policy,
                  fingerprint=t.get("fingerprint"))
        try:
            analysis = await self.store.analyze(job)
        except Exception as e:                       # a worker that died on this page: an error, not a halt
            await put(self._item(t, error=f"analysis failed: {type(e).__name__}: {e}"[:500], **common, **validators))
            return
        keep = analysis.outcome in ("new", "changed")
        await put(PageItem(url=t["url"], fetched_at=fetched_at, site=t.get("site"), raw_hash=rh, analysis=analysis,
                           article=analysis.article, html=body if keep else None,
                           headers=header_block(response) if keep else None, **common, **validators))

    async def failed(self, failure):
        request = failure.request
        t = request.meta["marsad"]
        response = getattr(failure.value, "response", None)
        await self.store.put(self._item(t, status=getattr(response, "status", None),
                                        error=f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500]))

def _header_noindex(response) -> str | None:
    """"header" when an unchanged body now comes with `X-Robots-Tag: noindex` (take-down evidence,
    detector/takedown.py), else None: the body's own robots tag is as it was."""
    return noindex({"x-robots-tag": _header(response, b"X-Robots-Tag") or ""}, None) or None


def _header(response, name: bytes) -> str | None:
    v = response.headers.get(name)
    return v.decode("latin-1") if v else None


def header_block(response) -> bytes:
    """The status line and headers as received (one line per value, as on the wire), kept with a new
    version as evidence (versions.raw_headers). Scrapy keeps neither the reason phrase nor the original
    case of names: the phrase is the standard one for the status, names are as Scrapy spells them."""
    from http import HTTPStatus
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = ""
    protocol = {"h2": "HTTP/2"}.get(response.protocol or "", response.protocol or "HTTP/1.1")
    lines = [f"{protocol} {response.status} {phrase}".rstrip().encode("latin-1")]
    lines += [k + b": " + v for k, values in response.headers.items() for v in values]
    return b"\r\n".join(lines) + b"\r\n\r\n"
