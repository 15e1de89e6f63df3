"""Discovery: read each site's RSS/Atom feeds, sitemaps and section pages for article URLs.

What a feed or page lists is not trusted: only links that may be fetched (`url_policy.fetchable`: http(s)
with a host) are tracked, each refused link is counted and one warning per source names an example, and
every source is capped (MAX_FEED_ITEMS, MAX_SITEMAP_URLS, MAX_SITEMAP_CHILDREN, MAX_SECTION_LINKS), so a 10,000-item feed or
a sitemap index of 50,000 sitemaps is read, not followed for ever. A source that is not a feed is a
warning, never a crash.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from urllib.parse import urldefrag, urljoin

import scrapy
from lxml import etree
from scrapy.utils.sitemap import Sitemap

from ..items import DiscoveredItem
from ..url_policy import fetchable, site_domains

MAX_FEED_ITEMS = 500          # newest first: a feed's first 500 items are its news; the rest is archive
MAX_SITEMAP_URLS = 50_000     # the sitemap protocol's own limit per file
MAX_SITEMAP_CHILDREN = 200    # sitemaps followed from one index (the most recently modified first)
MAX_SECTION_LINKS = 2000     # links read from one section page
MAX_SITEMAP_DEPTH = 2         # a sitemap index may point to sitemaps; deeper nesting is not followed
FEED_ROOTS = {"rss", "feed", "RDF"}


def fetchable_links(urls) -> tuple[list[str], list[tuple[str, str]]]:
    """(links that may be tracked, [(refused link, reason)]): whitespace trimmed, #fragments removed
    (one article, however many anchors point into it), duplicates dropped, order kept."""
    keep, dropped = [], []
    for url in urls:
        url = (url or "").strip()
        reason = fetchable(url)
        if reason:
            dropped.append((url, reason))
        else:
            keep.append(urldefrag(url)[0])
    return list(dict.fromkeys(keep)), dropped


def _feed(body: bytes, base_url: str) -> tuple[bool, list[str]]:
    """(is an RSS/Atom feed, its item links in feed order)."""
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=True, resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, ValueError):
        return False, []
    if root is None or not isinstance(root.tag, str) or etree.QName(root).localname not in FEED_ROOTS:
        return False, []
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
            links.append(urljoin(base_url, href.strip()))
    return True, list(dict.fromkeys(links))


def feed_links(body: bytes, base_url: str) -> list[str]:
    """Item links of an RSS 2.0, RSS 1.0 or Atom feed, in feed order; an unreadable feed gives []."""
    return _feed(body, base_url)[1]


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
    "max_age_seconds": sitemap entries older than this are skipped, "domains": extra hosts of the site}]"""

    name = "marsad_discovery"

    def __init__(self, sites=(), store=None, **kw):
        super().__init__(**kw)
        self.sites = list(sites)
        self.store = store

    def _request(self, url, site, callback, **meta):
        # meta["marsad"]["domains"]: a redirect may stay within the site's hosts (crawler/middlewares.py)
        return scrapy.Request(url, callback=callback, errback=self.failed, dont_filter=True,
                              meta={"site": site, "marsad": {"domains": sorted(site_domains(site))}, **meta})

    async def start(self):
        for site in self.sites:
            for kind, callback, meta in (("feeds", self.parse_feed, {}),
                                         ("sitemaps", self.parse_sitemap, {"depth_left": MAX_SITEMAP_DEPTH}),
                                         ("sections", self.parse_section, {})):
                urls, dropped = fetchable_links(site.get(kind, []))
                self._warn_dropped(f"{site.get('name')} {kind}", dropped)
                for url in urls:
                    yield self._request(url, site, callback, **meta)

    def _warn_dropped(self, source: str, dropped) -> None:
        if dropped:
            url, reason = dropped[0]
            n = len(dropped)
            self.logger.warning("%s: dropped %d link%s that cannot be fetched (e.g. %s: %s)",
                                source, n, "" if n == 1 else "s", url[:120], reason)

    def _cap(self, source: str, urls: list, cap: int) -> list:
        if len(urls) > cap:
            self.logger.warning("%s: %s entries, capped at %s", source, f"{len(urls):,}", f"{cap:,}")
        return urls[:cap]

    def _keep(self, site, source: str, urls, cap: int):
        urls, dropped = fetchable_links(urls)
        self._warn_dropped(source, dropped)
        pattern = site.get("article_pattern")
        urls = [u for u in urls if not pattern or re.search(pattern, u)]
        return self._cap(source, urls, cap)

    def parse_feed(self, response):
        site = response.meta["site"]
        if response.status >= 400:
            self.logger.warning("feed %s answered HTTP %s", response.url, response.status)
            return
        is_feed, links = _feed(response.body, response.url)
        if not is_feed:
            ctype = response.headers.get("Content-Type", b"").decode("latin-1")
            self.logger.warning("feed %s is not an RSS or Atom feed (Content-Type %s, %s bytes)",
                                response.url, ctype or "none", f"{len(response.body):,}")
            return
        yield DiscoveredItem(site["name"], response.url, self._keep(site, response.url, links, MAX_FEED_ITEMS))

    def parse_sitemap(self, response):
        site = response.meta["site"]
        if response.status >= 400:
            self.logger.warning("sitemap %s answered HTTP %s", response.url, response.status)
            return
        kind, entries = sitemap_entries(response.body)
        now = datetime.now(timezone.utc)
        fresh = [(loc, lastmod) for loc, lastmod in entries if recent(lastmod, site.get("max_age_seconds"), now)]
        if kind == "sitemapindex" and response.meta["depth_left"] > 0:
            if len(fresh) > MAX_SITEMAP_CHILDREN:
                fresh.sort(key=lambda e: e[1] or "", reverse=True)
            children, dropped = fetchable_links(loc for loc, _ in fresh)
            self._warn_dropped(response.url, dropped)
            for loc in self._cap(response.url, children, MAX_SITEMAP_CHILDREN):
                yield self._request(loc, site, self.parse_sitemap, depth_left=response.meta["depth_left"] - 1)
        elif kind == "urlset":
            urls = [loc for loc, _ in fresh]
            yield DiscoveredItem(site["name"], response.url, self._keep(site, response.url, urls, MAX_SITEMAP_URLS))
        else:
            self.logger.warning("sitemap %s is not a sitemap", response.url)

    def parse_section(self, response):
        site = response.meta["site"]
        if response.status >= 400 or not hasattr(response, "css"):
            return
        hrefs = [h.strip() for h in response.css("a::attr(href)").getall()]
        links = [response.urljoin(h) for h in hrefs if h and not h.startswith("#")]   # an anchor is not a link
        yield DiscoveredItem(site["name"], response.url, self._keep(site, response.url, links, MAX_SECTION_LINKS))

    def failed(self, failure):
        self.logger.warning("discovery fetch failed: %s: %s", failure.request.url[:200], failure.getErrorMessage())
