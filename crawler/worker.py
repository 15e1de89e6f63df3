"""`marsad worker --redis URL`: fetch and extract for a coordinator, with no database of its own.

A worker is the daemon's fetch half (docs/architecture.md, "Past one machine"): the same long-lived
Scrapy crawler on the asyncio reactor (crawler/runner.py) and the same ArticleSpider, whose store here is
a `RemoteStore`: the previous version's fields come with each request (crawler/frontier.py), the CPU
step runs in the same pool of processes (crawler/analyze.py), and each result goes back to Redis
instead of the writer. So a worker runs the spider's code unchanged: conditional GET, the raw-hash and
fingerprint cheap paths, the validity gate and compare() are the daemon's, and the coordinator only writes.

It takes requests while it has room (`[redis] worker_requests`), renews its leases while it holds
them (a killed worker's leases expire and the coordinator queues them again), and on SIGTERM finishes
what it fetches for a few seconds, then gives back what it has not started. robots.txt and per-host
politeness are shared with every other worker through Redis (HostPermitMiddleware,
SharedRobotsMiddleware), so N workers together keep each host's `per_domain_concurrency` and
`delay_seconds`.
"""
from __future__ import annotations

import asyncio
import logging
import os
import signal
import time

from .analyze import Job, analyze, make_pool
from .frontier import DEFAULT_PREFIX, Frontier, connect, decode_request, encode_result, result_key
from .runner import CrawlSession
from .spiders.articles import utc_now

log = logging.getLogger("marsad.worker")

IDLE_SLEEP = 0.25        # seconds between polls of an empty queue
STOP_TIMEOUT = 10.0      # seconds granted to in-flight fetches after SIGTERM/SIGINT
LOG_EVERY = 30.0
HOST_SLACK = 2          # a host's requests out at once: this many times its per_domain_concurrency
MAX_HOLD = 900.0         # a request held this long was lost inside the crawler: its lease is left to expire


def worker_settings(redis_url: str, prefix: str, politeness: dict) -> dict:
    """Scrapy overrides of a worker: robots.txt and per-host politeness through Redis. The host delay is
    applied once, across workers (HostPermitMiddleware), not again per process by Scrapy's slots."""
    from .settings import downloader_middlewares
    mw = downloader_middlewares()
    mw.pop("crawler.robots.RobotsMiddleware", None)
    mw.update({"crawler.frontier.SharedRobotsMiddleware": 100, "crawler.frontier.HostPermitMiddleware": 950})
    return {"DOWNLOADER_MIDDLEWARES": mw, "MARSAD_REDIS_URL": redis_url, "MARSAD_REDIS_PREFIX": prefix,
            "MARSAD_HOST_DELAY": float(politeness.get("delay_seconds", 1.0)), "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False, "RANDOMIZE_DOWNLOAD_DELAY": False}


class _Sender:
    """The spider hands a refused URL's error item to `store.writer.put` (synchronously): send it on."""

    def __init__(self, store: "RemoteStore"):
        self.store = store

    def put(self, fetch) -> None:
        task = asyncio.ensure_future(self.store.put(fetch))
        self.store.sending.add(task)
        task.add_done_callback(self.store.sending.discard)


class RemoteStore:
    """What ArticleSpider needs of a store (policy, clock, previous, analyze, put, writer.put), backed by
    the requests this worker holds and by Redis."""

    def __init__(self, frontier: Frontier, policy, pipeline: dict | None = None, clock=utc_now):
        self.frontier, self.policy, self.clock = frontier, policy, clock
        self.pipeline = dict(pipeline or {})
        self.held: dict[str, dict] = {}          # url -> its request (token, id, previous, validators...)
        self.writer = _Sender(self)
        self.sending: set[asyncio.Task] = set()
        self.done = 0
        self._pool = None

    @property
    def pool(self):
        if self._pool is None:
            self._pool = make_pool(self.pipeline.get("workers", "auto"))
        return self._pool

    def previous(self, url: str):
        t = self.held.get(url)
        return t["previous"] if t else None

    async def analyze(self, job: Job):
        return await asyncio.wrap_future(self.pool.submit(analyze, job))

    async def put(self, fetch) -> None:
        """One finished check back to the coordinator: the result and the end of its lease, atomically."""
        t = self.held.pop(fetch.url, None)
        if t is None:                    # taken twice (a lease re-queued while this worker was stalled)
            return
        key = result_key(t)
        raw = encode_result(fetch, key)
        wait = 0.5
        while True:
            try:
                await self.frontier.complete(t["token"], key, raw)
                break
            except Exception as e:       # Redis away: keep the result; the lease may expire meanwhile
                log.warning("cannot send the result of %s (%s); retrying", fetch.url, e)
                await asyncio.sleep(wait)
                wait = min(wait * 2, 10.0)
        self.done += 1

    def warm(self) -> None:
        """Start the pool's processes before the first page needs them (in a thread: the first job sent
        to a forkserver pool blocks until it has forked and imported the extractors)."""
        from concurrent.futures import ProcessPoolExecutor
        pool = self.pool
        if isinstance(pool, ProcessPoolExecutor):
            for f in [pool.submit(int) for _ in range(pool._max_workers)]:
                f.result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class Worker:
    def __init__(self, redis_url: str, *, politeness: dict, policy, pipeline: dict | None = None,
                 prefix: str = DEFAULT_PREFIX, visibility_s: float = 120.0, capacity: int = 64):
        self.frontier = Frontier(connect(redis_url), prefix)
        self.store = RemoteStore(self.frontier, policy, pipeline)
        self.session = CrawlSession(politeness, overrides=worker_settings(redis_url, prefix, politeness))
        self.visibility_ms = int(visibility_s * 1000)
        self.capacity = max(1, capacity)
        # requests of one host out at once across all workers: its permits, and as many waiting their turn
        self.host_cap = HOST_SLACK * max(1, int(politeness.get("per_domain_concurrency", 2)))
        self.stopping = False

    async def _feed(self, monitor) -> None:
        while not self.stopping:
            room = self.capacity - len(self.store.held)
            try:
                raws = await self.frontier.take(room, self.visibility_ms, self.host_cap) if room > 0 else []
            except Exception as e:
                log.warning("cannot reach Redis (%s); retrying", e)
                await asyncio.sleep(2.0)
                continue
            targets = []
            now = time.monotonic()
            for raw in raws:
                t = decode_request(raw)
                t["taken"] = now
                self.store.held[t["url"]] = t
                targets.append(t)
            if targets:
                monitor.submit(targets)
            else:
                await asyncio.sleep(IDLE_SLEEP)

    async def _renew(self) -> None:
        every = max(0.2, self.visibility_ms / 3000)
        while True:                     # also while stopping: what is still fetched keeps its leases
            await asyncio.sleep(every)
            now, held = time.monotonic(), self.store.held
            for url in [u for u, t in held.items() if now - t["taken"] > MAX_HOLD]:
                log.warning("%s held for more than %.0fs: given up to its lease (queued again)", url, MAX_HOLD)
                held.pop(url, None)
            try:
                await self.frontier.renew([t["token"] for t in list(held.values())], self.visibility_ms)
            except Exception as e:
                log.warning("cannot renew leases (%s)", e)

    async def _report(self) -> None:
        last = 0
        while not self.stopping:
            await asyncio.sleep(LOG_EVERY)
            if self.store.done != last:
                log.info("worker: %d check(s) in the last %.0fs; %d held", self.store.done - last, LOG_EVERY,
                         len(self.store.held))
                last = self.store.done

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await self.frontier.r.ping()
        await asyncio.to_thread(self.store.warm)
        monitor = await self.session.monitor(self.store)
        tasks = [asyncio.ensure_future(c) for c in (self._feed(monitor), self._renew(), self._report())]
        log.info("marsad worker started (pid %d): up to %d request(s) at once, leases of %.0fs", os.getpid(),
                 self.capacity, self.visibility_ms / 1000)
        await stop.wait()
        self.stopping = True
        log.info("stopping: finishing in-flight fetches")
        t0 = time.monotonic()
        while self.store.held and time.monotonic() - t0 < STOP_TIMEOUT:
            await asyncio.sleep(0.1)
        left = [t["token"] for t in self.store.held.values()]
        if left:
            n = await self.frontier.release(left)
            log.info("gave back %d request(s) not finished", n)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, *self.store.sending, return_exceptions=True)
        try:
            await asyncio.wait_for(monitor.close(), STOP_TIMEOUT)
            await asyncio.wait_for(self.session.runner.stop(), STOP_TIMEOUT)
        except asyncio.TimeoutError:
            pass
        await asyncio.to_thread(self.store.close)
        await self.frontier.r.aclose()
        log.info("stopped")
        return 0
