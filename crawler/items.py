"""Items the spiders yield (dataclasses, as Scrapy recommends)."""
from __future__ import annotations

from dataclasses import dataclass, field

from detector import Article


@dataclass
class PageItem:
    """One fetch of a watched article: an extracted Article, or a status/error that says why not."""

    url: str
    fetched_at: str
    status: int | None = None
    article: Article | None = None
    html: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    bytes: int = 0
    ms: int = 0
    error: str | None = None
    site: str | None = None
    final_url: str | None = None


@dataclass
class DiscoveredItem:
    """Article URLs found on a site's feeds, sitemaps or section pages."""

    site: str
    source: str
    urls: list[str] = field(default_factory=list)
