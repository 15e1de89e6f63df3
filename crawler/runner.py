"""One long-lived Scrapy runner on the asyncio reactor.

Scrapy's reactor cannot be restarted, so a process makes one CrawlSession and runs every crawl through it
(`await session.check(...)`, `await session.discover(...)`); `run_reactor` drives an async main function
on the reactor and returns its result. APScheduler's AsyncIOScheduler shares the same event loop.
"""
from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

from scrapy.utils.reactor import install_reactor

from crawler.settings import TWISTED_REACTOR, scrapy_settings


def run_reactor(main: Callable[[], Awaitable[Any]]) -> Any:
    """Install the asyncio reactor, run `main()` on it, stop, and return its result (or raise its error)."""
    install_reactor(TWISTED_REACTOR)
    from twisted.internet import reactor

    outcome: dict[str, Any] = {}

    async def wrapper():
        try:
            outcome["value"] = await main()
        except BaseException as e:          # carried out of the reactor and raised below
            outcome["error"] = e
        finally:
            reactor.callLater(0, reactor.stop)

    reactor.callWhenRunning(lambda: asyncio.ensure_future(wrapper()))
    reactor.run(installSignalHandlers=False)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


class CrawlSession:
    def __init__(self, politeness: dict | None = None, log_level: str = "WARNING", overrides: dict | None = None):
        from scrapy.crawler import AsyncCrawlerRunner

        settings = scrapy_settings(politeness, log_level)
        settings.update(overrides or {})
        self.runner = AsyncCrawlerRunner(settings)

    async def check(self, targets, store, clock=None) -> None:
        from crawler.spiders.articles import ArticleSpider
        kw = {"clock": clock} if clock else {}
        if targets:
            await self.runner.crawl(ArticleSpider, targets=targets, store=store, **kw)

    async def discover(self, sites, store) -> None:
        from crawler.spiders.feeds import DiscoverySpider
        if sites:
            await self.runner.crawl(DiscoverySpider, sites=sites, store=store)
