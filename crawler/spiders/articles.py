"""Fetch watched articles with conditional GET, and turn each response into a PageItem.

Nothing here writes: the pipeline records what the spider yields. Every request ends in exactly one item
(a page, a 304, a 404/410, or an error), so every fetch leaves a `checks` row.
"""
from __future__ import annotations

from datetime import datetime, timezone

import scrapy
from scrapy.http import TextResponse

from crawler.extract import ExtractionError, extract
from crawler.items import PageItem
from crawler.middlewares import retry_after_seconds

HTML_TYPES = ("text/html", "application/xhtml+xml")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class ArticleSpider(scrapy.Spider):
    """targets: [{"url", "etag"?, "last_modified"?, "site"?}]; clock: () -> UTC ISO (injectable for tests)."""

    name = "marsad_articles"

    def __init__(self, targets=(), store=None, clock=utc_now, **kw):
        super().__init__(**kw)
        self.targets = list(targets)
        self.store = store
        self.clock = clock

    async def start(self):
        for t in self.targets:
            headers = {}
            if t.get("etag"):
                headers["If-None-Match"] = t["etag"]
            if t.get("last_modified"):
                headers["If-Modified-Since"] = t["last_modified"]
            yield scrapy.Request(t["url"], headers=headers, callback=self.parse, errback=self.failed,
                                 dont_filter=True, meta={"marsad": t})

    def _item(self, target, **kw) -> PageItem:
        return PageItem(url=target["url"], fetched_at=self.clock(), site=target.get("site"), **kw)

    def parse(self, response):
        t = response.meta["marsad"]
        ms = int(response.meta.get("download_latency", 0) * 1000)
        common = dict(status=response.status, bytes=len(response.body), ms=ms, final_url=response.url)
        if response.status in (304, 404, 410):
            yield self._item(t, **common)
            return
        if response.status >= 400:
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            yield self._item(t, error=f"HTTP {response.status}" + (f" (Retry-After {wait}s)" if wait else ""),
                             retry_after=wait, **common)
            return
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
        if ctype and not any(h in ctype for h in HTML_TYPES) or not isinstance(response, TextResponse):
            yield self._item(t, error=f"not an HTML page (Content-Type: {ctype or 'none'})", **common)
            return
        fetched_at = self.clock()
        try:
            article = extract(response.body, url=t["url"], fetched_at=fetched_at, content_type=ctype)
        except ExtractionError as e:
            yield self._item(t, error=f"extraction failed: {e}", **common)
            return
        yield PageItem(url=t["url"], fetched_at=fetched_at, site=t.get("site"), article=article,
                       html=response.body, etag=_header(response, b"ETag"),
                       last_modified=_header(response, b"Last-Modified"), **common)

    def failed(self, failure):
        request = failure.request
        t = request.meta["marsad"]
        response = getattr(failure.value, "response", None)
        yield self._item(t, status=getattr(response, "status", None),
                         error=f"{failure.type.__name__}: {failure.getErrorMessage()}"[:500])


def _header(response, name: bytes) -> str | None:
    v = response.headers.get(name)
    return v.decode("latin-1") if v else None
