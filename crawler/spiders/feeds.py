"""Discovery: read each site's RSS/Atom feeds and section pages for article URLs."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

import scrapy
from lxml import etree
from scrapy.utils.sitemap import Sitemap

from crawler.items import DiscoveredItem


def feed_links(body: bytes, base_url: str) -> list[str]:
    """Item links of an RSS 2.0, RSS 1.0 or Atom feed, in feed order; an unreadable feed gives []."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    links = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        tag = etree.QName(el).localname
        parent = el.getparent()
        ptag = etree.QName(parent).localname if parent is not None and isinstance(parent.tag, str) else ""
        if ptag not in ("item", "entry") or tag != "link":
            continue
        href = el.get("href") if el.get("href") else (el.text or "").strip()
        if href and el.get("rel", "alternate") == "alternate":
            links.append(urljoin(base_url, href))
    return list(dict.fromkeys(links))


MAX_SITEMAP_DEPTH = 2     # a sitemap index may point to sitemaps; deeper nesting is not followed


def sitemap_entries(body: bytes) -> tuple[str, list[tuple[str, str | None]]]:
    """('sitemapindex' | 'urlset', [(loc, lastmod)]) of a sitemap or news sitemap; unreadable: ('', [])."""
    try:
        sm = Sitemap(body)
        return sm.type, [(e["loc"], e.get("lastmod")) for e in sm if e.get("loc")]
    except Exception:
        return "", []


def recent(lastmod: str | None, max_age_seconds: float | None, now: datetime) -> bool:
    """Keep entries without a lastmod, or newer than max_age (older ones would only be retired)."""
    if not lastmod or not max_age_seconds:
        return True
    try:
        when = datetime.fromisoformat(lastmod.strip().replace("Z", "+00:00"))
    except ValueError:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return now - when <= timedelta(seconds=max_age_seconds)


class DiscoverySpider(scrapy.Spider):
    """sites: [{"name", "feeds", "sitemaps", "sections": [...], "article_pattern": regex,
    "max_age_seconds": sitemap entries older than this are skipped}]"""

    name = "marsad_discovery"

    def __init__(self, sites=(), store=None, **kw):
        super().__init__(**kw)
        self.sites = list(sites)
        self.store = store

    async def start(self):
        for site in self.sites:
            for url in site.get("feeds", []):
                yield scrapy.Request(url, callback=self.parse_feed, errback=self.failed, dont_filter=True,
                                     meta={"site": site})
            for url in site.get("sitemaps", []):
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.failed, dont_filter=True,
                                     meta={"site": site, "depth_left": MAX_SITEMAP_DEPTH})
            for url in site.get("sections", []):
                yield scrapy.Request(url, callback=self.parse_section, errback=self.failed, dont_filter=True,
                                     meta={"site": site})

    def _keep(self, site, urls):
        pattern = site.get("article_pattern")
        return [u for u in urls if not pattern or re.search(pattern, u)]

    def parse_feed(self, response):
        site = response.meta["site"]
        if response.status >= 400:
            self.logger.warning("feed %s answered HTTP %s", response.url, response.status)
            return
        yield DiscoveredItem(site["name"], response.url, self._keep(site, feed_links(response.body, response.url)))

    def parse_sitemap(self, response):
        site = response.meta["site"]
        if response.status >= 400:
            self.logger.warning("sitemap %s answered HTTP %s", response.url, response.status)
            return
        kind, entries = sitemap_entries(response.body)
        if kind == "sitemapindex" and response.meta["depth_left"] > 0:
            for loc, _ in entries:
                yield scrapy.Request(loc, callback=self.parse_sitemap, errback=self.failed, dont_filter=True,
                                     meta={"site": site, "depth_left": response.meta["depth_left"] - 1})
        elif kind == "urlset":
            now = datetime.now(timezone.utc)
            urls = [loc for loc, lastmod in entries if recent(lastmod, site.get("max_age_seconds"), now)]
            yield DiscoveredItem(site["name"], response.url, self._keep(site, urls))

    def parse_section(self, response):
        site = response.meta["site"]
        if response.status >= 400 or not hasattr(response, "css"):
            return
        links = [response.urljoin(h) for h in response.css("a::attr(href)").getall()]
        yield DiscoveredItem(site["name"], response.url, self._keep(site, list(dict.fromkeys(links))))

    def failed(self, failure):
        self.logger.warning("discovery fetch failed: %s", failure.getErrorMessage())
