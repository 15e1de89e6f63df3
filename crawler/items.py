"""Items the spiders yield (dataclasses, as Scrapy recommends)."""
from __future__ import annotations

from dataclasses import dataclass, field

from detector.models import Fetch


# One fetch of a watched article (the same record storage writes).
PageItem = Fetch


@dataclass
class DiscoveredItem:
    """Article URLs found on a site's feeds, sitemaps or section pages."""

    site: str
    source: str
    urls: list[str] = field(default_factory=list)
