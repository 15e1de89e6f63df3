"""One long-lived Scrapy runner on the asyncio reactor.

Scrapy's reactor cannot be restarted, so a process makes one CrawlSession and runs every crawl through it:
`await session.check(targets, store)` for a one-off batch, `await session.discover(sites, store)` for
discovery, and for the daemon `await session.monitor(store)`, a crawler that stays open and is fed
requests as articles fall due (`Monitor.submit`), so that downloads never wait for a batch to finish.
`run_reactor` drives an async main function on the reactor and returns its result. APScheduler's
AsyncIOScheduler shares the same event loop.
"""
from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable

from scrapy import signals
from scrapy.utils.reactor import install_reactor

from .settings import TWISTED_REACTOR, scrapy_settings


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


class Monitor:
    """The daemon's open article crawler: `submit()` targets; `close()` when stopping."""

    def __init__(self, crawler, task: asyncio.Task):
        self.crawler, self.task = crawler, task

    def submit(self, targets) -> int:
        """Schedule the targets' requests now; returns how many became requests."""
        spider, n = self.crawler.spider, 0
        for t in targets:
            req = spider.request_for(t)
            if req is not None:
                self.crawler.engine.crawl(req)
                n += 1
        return n

    @property
    def running(self) -> bool:
        return not self.task.done()

    async def close(self) -> None:
        if not self.task.done():
            await self.crawler.stop_async()
        await asyncio.gather(self.task, return_exceptions=True)


class CrawlSession:
    def __init__(self, politeness: dict | None = None, log_level: str = "WARNING", overrides: dict | None = None):
        from scrapy.crawler import AsyncCrawlerRunner

        settings = scrapy_settings(politeness, log_level)
        settings.update(overrides or {})
        self.runner = AsyncCrawlerRunner(settings)

    async def check(self, targets, store) -> None:
        """Fetch these targets now and return when every check is written."""
        from .spiders.articles import ArticleSpider
        if targets:
            await self.runner.crawl(ArticleSpider, targets=targets, store=store)
        await store.flush()

    async def discover(self, sites, store) -> int:
        """Read the sites' feeds, sitemaps and section pages; returns how many new URLs are tracked."""
        from .spiders.feeds import DiscoverySpider
        if sites:
            await self.runner.crawl(DiscoverySpider, sites=sites, store=store)
        return await store.discovered()

    async def monitor(self, store) -> Monitor:
        from .spiders.articles import ArticleSpider
        crawler = self.runner.create_crawler(ArticleSpider)
        opened = asyncio.get_running_loop().create_future()
        crawler.signals.connect(lambda spider: opened.done() or opened.set_result(spider),
                                signal=signals.spider_opened, weak=False)
        task = self.runner.crawl(crawler, targets=(), store=store, keep_open=True)
        done, _ = await asyncio.wait({opened, task}, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            await task                      # it failed to start: raise why
        return Monitor(crawler, task)
