"""The item pipeline and its Store: the one place where the crawler reaches storage.

The spider carries a `store` (built by the scheduler, the composition root): a read connection (due
articles, the previous version of a page), the writer thread that records checks in batches, the pool
that runs the CPU step, the detector policy, the alert rules and the revisit policy. The pipeline only
hands items over: a fetch goes to the writer, discovered URLs are inserted by the writer too, so the
event loop never waits for SQLite's lock.
"""
from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable

from storage import ensure_site, latest_version, track
from storage.writer import Writer

from .analyze import Job, Previous, analyze, make_pool
from .items import DiscoveredItem, PageItem
from .spiders.articles import utc_now

log = logging.getLogger(__name__)

MAX_QUEUED = 256          # fetches waiting for the writer before the crawler is held back


@dataclass
class Store:
    db: Any
    policy: Any = None
    rules: tuple = ()
    revisit: Callable | None = None
    clock: Callable[[], str] = utc_now
    pipeline: dict = field(default_factory=dict)      # [pipeline] workers, write_batch, write_batch_ms
    backoff_max: float = 6 * 3600
    on_written: Callable | None = None                # called in the writer thread with [(fetch, recorded)]
    targets_hint: int | None = None                   # how many checks this run makes (None: a daemon)
    discovery: list = field(default_factory=list)     # futures of the discovery inserts of this round
    _writer: Writer | None = None
    _pool: Executor | None = None
    _starting: threading.Thread | None = None

    @property
    def db_path(self) -> str:
        return next(r[2] for r in self.db.execute("PRAGMA database_list") if r[1] == "main")

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            self._writer = Writer(self.db_path, policy=self.policy, rules=self.rules, revisit=self.revisit,
                                  batch=self.pipeline.get("write_batch", 50),
                                  batch_ms=self.pipeline.get("write_batch_ms", 500),
                                  backoff_max=self.backoff_max, on_written=self._written)
        return self._writer

    def _written(self, done) -> None:
        if self.on_written is not None:
            self.on_written(done)

    def _started(self) -> None:
        """Wait for warm() to have made the pool (a no-op when it was not called or is done)."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None

    @property
    def pool(self) -> Executor:
        self._started()
        if self._pool is None:
            self._pool = make_pool(self.pipeline.get("workers", "auto"), self.targets_hint)
        return self._pool

    def warm(self) -> None:
        """Start the analysis workers now, in a thread of their own, before the first changed page needs
        them: the daemon at start, a one-off run once its targets are known. The first job sent to a
        forkserver pool blocks until the server has imported the extractors and forked (0.4-0.8 s); sent
        from the event loop it stalls every download, and in a short run it is most of the wait."""
        if self._pool is not None or self._starting is not None:
            return

        def start():
            pool = make_pool(self.pipeline.get("workers", "auto"), self.targets_hint)
            if isinstance(pool, ProcessPoolExecutor):
                for _ in range(pool._max_workers):      # one no-op each: every worker forks and warms up
                    pool.submit(int)
            self._pool = pool
        self._starting = threading.Thread(target=start, name="marsad-pool-start", daemon=True)
        self._starting.start()

    def previous(self, url: str) -> Previous | None:
        """The last stored version of a page, for the CPU step (a read; WAL readers never wait)."""
        latest = latest_version(self.db, url)
        if latest is None:
            return None
        content_hash, article = latest
        return Previous(content_hash, article, len(article.text or ""))

    async def analyze(self, job: Job):
        if self._starting is not None:                  # the pool is still starting: wait off the loop
            await asyncio.to_thread(self._started)
        try:
            return await asyncio.wrap_future(self.pool.submit(analyze, job))
        except BrokenProcessPool:
            log.error("an analysis worker died on %s; starting a new pool", job.url)
            self._pool = None
            raise

    async def put(self, fetch) -> None:
        """Hand one fetch to the writer; while the writer is behind (a slow or full disk), wait."""
        while self.writer.pending > MAX_QUEUED:
            await asyncio.sleep(0.05)
        self.writer.put(fetch)

    async def flush(self) -> None:
        if self._writer is not None:
            await asyncio.wrap_future(self._writer.flush())

    async def discovered(self) -> int:
        """How many new URLs this round's discovery inserted (waits for the writer to insert them)."""
        futures, self.discovery = self.discovery, []
        counts = await asyncio.gather(*(asyncio.wrap_future(f) for f in futures))
        return sum(counts)

    def close(self) -> None:
        self._started()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class RecordPipeline:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item):
        store: Store | None = getattr(self.crawler.spider, "store", None)
        if store is None:
            raise RuntimeError("marsad's spiders run through `marsad crawl` or `marsad daemon` (no store)")
        if isinstance(item, PageItem):
            await store.put(item)
        elif isinstance(item, DiscoveredItem):
            now = store.clock()

            def insert(db, site=item.site, urls=list(item.urls), source=item.source):
                return track(db, urls, now, ensure_site(db, site), source=source, rules=store.rules,
                             policy=store.policy) if urls else 0
            store.discovery.append(store.writer.call(insert))
        return item
