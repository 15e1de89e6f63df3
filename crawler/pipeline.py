"""The item pipeline: the one place where the crawler reaches storage.

The spider carries a `store` (built by the scheduler, the composition root): the open database, the
detector policy, the alert rules, the revisit policy, and a list that collects what each check recorded.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from crawler.items import DiscoveredItem, PageItem
from crawler.spiders.articles import utc_now
from storage import ensure_site, record_check, track

log = logging.getLogger(__name__)


@dataclass
class Store:
    db: Any
    policy: Any = None
    rules: tuple = ()
    revisit: Callable | None = None
    clock: Callable[[], str] = utc_now
    results: list = field(default_factory=list)
    discovered: list = field(default_factory=list)


class RecordPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        store: Store | None = getattr(self.crawler.spider, "store", None)
        if store is None:
            return item
        if isinstance(item, PageItem):
            kw = {} if store.policy is None else {"policy": store.policy}
            rec = record_check(store.db, item, rules=store.rules, revisit=store.revisit, **kw)
            store.results.append((item, rec))
        elif isinstance(item, DiscoveredItem):
            site_id = ensure_site(store.db, item.site)
            new = track(store.db, item.urls, store.clock(), site_id) if item.urls else 0
            store.discovered.append((item, new))
        return item
