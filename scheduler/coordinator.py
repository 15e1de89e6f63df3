"""`marsad daemon --redis URL`: the coordinator of N workers on a shared Redis frontier.

It is the daemon (scheduler/daemon.py) with one part replaced: where the daemon hands due targets to
its own open crawler, the coordinator queues them in Redis (crawler/frontier.py) with everything a
worker needs (validators, raw hash, fingerprint, the previous version's fields), and feeds the results
that come back to the same batched writer. Discovery, alerts, retention, back-off of failing hosts,
the lock file and the cycle log are the daemon's own code, unchanged.

Exactly once across crashes:
- a worker that dies: its leases expire (`[redis] visibility`) and the reclaim task queues them again;
- a result delivered twice (a slow worker and its replacement, or a restart between commit and
  acknowledgement): its key (article id + dispatch token) is recorded once, in the batch's own
  transaction (storage/writer.py), so the second delivery makes no check, version or alert;
- the coordinator itself: what it dispatched is in Redis (`dispatched`: its in-flight set) and what it
  took from the results queue stays in `draining` until its batch committed; a restart reads both back
  and records `draining` again (the keys make that harmless).
"""
from __future__ import annotations

import asyncio
import logging
import time

from crawler.frontier import DEFAULT_PREFIX, Frontier, connect, decode_result, encode_request, new_token
from crawler.pipeline import MAX_QUEUED
from crawler.spiders.articles import utc_now
from storage.times import shift
from storage.writer import prune_applied

from .config import Config
from .daemon import Daemon
from .durations import seconds

log = logging.getLogger("marsad.coordinator")

DRAIN_IDLE = 0.2         # seconds between polls of an empty results queue
AUDIT_EVERY = 30.0       # at most this many seconds between comparisons of in flight with Redis' `dispatched`
KEEP_KEYS = 7 * 86400    # idempotency keys are kept a week: far longer than any result can wait in Redis


class RedisUnavailable(RuntimeError):
    pass


class Coordinator(Daemon):
    """The daemon whose crawler is the Redis frontier: `submit` queues, `close` stops the drain."""

    def __init__(self, config: Config, db_path: str, redis_url: str, clock=utc_now):
        super().__init__(config, db_path, clock)
        self.store.pipeline = {**self.store.pipeline, "workers": 0}     # the workers run the CPU step, not this
        r = config.redis
        self.redis_url, self.prefix = redis_url, r.get("prefix", DEFAULT_PREFIX)
        self.visibility = seconds(r.get("visibility", "2m"))
        self.capacity = int(r.get("queue_depth", 2000))
        self.frontier: Frontier | None = None
        self.tokens: dict[str, str] = {}               # url -> its current dispatch token
        self.queuing: set[str] = set()                 # submitted, not yet in Redis
        self._audited = 0.0
        self.store.writer.on_duplicate = self._duplicates
        self.background: list[asyncio.Task] = []
        self.requeued = self.duplicates = 0

    # -- the monitor's part: submit and close --------------------------------------------------------------
    async def open_monitor(self):
        self.frontier = Frontier(connect(self.redis_url), self.prefix)
        try:
            await self.frontier.r.ping()
        except Exception as e:
            raise RedisUnavailable(f"cannot reach Redis at {self.redis_url}: {e}") from None
        dispatched = await self.frontier.dispatched()
        for url, (token, _) in dispatched.items():     # handed out before a restart: still in flight
            self.in_flight.add(url)
            self.tokens[url] = token
        undrained = await self.frontier.undrained()
        for key, raw in undrained:                     # taken, perhaps not committed: again (keys dedupe)
            self._put_result(key, raw)
        if dispatched or undrained:
            log.info("resumed from Redis: %d request(s) in flight, %d result(s) taken before the restart",
                     len(dispatched), len(undrained))
        self.background = [asyncio.ensure_future(self._drain()), asyncio.ensure_future(self._reclaim())]
        return self

    def submit(self, targets) -> int:
        items = []
        for t in targets:
            token = new_token()
            items.append((t["url"], token, encode_request(t, t["id"], self.store.previous(t["url"]), token)))
            self.tokens[t["url"]] = token
            self.queuing.add(t["url"])
        task = asyncio.ensure_future(self._queue(items))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return len(items)

    async def _queue(self, items) -> None:
        try:
            await self.frontier.dispatch(items)
        except Exception as e:                         # not queued: not in flight, due again next tick
            log.error("cannot queue %d request(s) in Redis: %s", len(items), e)
            for url, token, _ in items:
                if self.tokens.get(url) == token:
                    self.in_flight.discard(url)
                    del self.tokens[url]
        finally:
            self.queuing.difference_update(u for u, _, _ in items)

    async def close(self) -> None:
        for t in self.background:
            t.cancel()
        await asyncio.gather(*self.background, return_exceptions=True)

    # -- results -------------------------------------------------------------------------------------------
    async def _drain(self) -> None:
        batch = int(self.config.pipeline.get("write_batch", 50))
        while not self.stopping:
            if self.store.writer.pending > MAX_QUEUED or self.store.writer.paused:
                await asyncio.sleep(DRAIN_IDLE)
                continue
            try:
                got = await self.frontier.drain(batch)
            except Exception as e:
                log.warning("cannot read results from Redis (%s); retrying", e)
                await asyncio.sleep(2.0)
                continue
            for key, raw in got:
                self._put_result(key, raw)
            if not got:
                await asyncio.sleep(DRAIN_IDLE)

    def _put_result(self, key: str, raw: bytes) -> None:
        if not raw:                                    # a copy of a result already acknowledged
            asyncio.ensure_future(self.frontier.ack([(key, "", "")]))
            return
        try:
            fetch = decode_result(raw)
        except Exception as e:                         # never a reason to stop: the lease brings it back
            log.error("unreadable result %s dropped: %s", key, e)
            asyncio.ensure_future(self.frontier.ack([(key, "", "")]))
            return
        self.store.writer.put(fetch)

    def _written(self, done) -> None:
        """In the writer thread, after a batch committed: acknowledge it in Redis, then as the daemon does."""
        acks = [_ack_of(f) for f, _ in done if f.idempotency_key]
        if acks and self.loop is not None:
            self.loop.call_soon_threadsafe(self._ack, acks)
        super()._written(done)

    def _duplicates(self, fetches) -> None:
        """In the writer thread: results whose key was recorded before (re-delivered): only acknowledged."""
        acks = [_ack_of(f) for f in fetches]
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self._ack, acks, True)

    def _ack(self, acks, duplicate: bool = False) -> None:
        for _, url, token in acks:
            if self.tokens.get(url) == token:
                del self.tokens[url]
                if duplicate:
                    self.in_flight.discard(url)
        self.duplicates += len(acks) if duplicate else 0
        task = asyncio.ensure_future(self._send_acks(acks))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _send_acks(self, acks) -> None:
        try:
            await self.frontier.ack(acks)
        except Exception as e:                         # left in `draining`: recorded once more at restart, deduped
            log.warning("cannot acknowledge %d result(s) in Redis: %s", len(acks), e)

    async def _reclaim(self) -> None:
        every = max(0.5, self.visibility / 4)
        while not self.stopping:
            await asyncio.sleep(every)
            try:
                n = await self.frontier.reclaim()
            except Exception as e:
                log.warning("cannot reclaim expired leases (%s)", e)
                continue
            if n:
                self.requeued += n
                log.warning("queued again %d request(s) whose worker stopped renewing its lease", n)
            if time.monotonic() - self._audited >= min(AUDIT_EVERY, max(2.0, 2 * self.visibility)):
                self._audited = time.monotonic()
                await self._audit()

    async def _audit(self) -> None:
        """In flight here but unknown to Redis (restarted without persistence, flushed): due again, not
        waiting for ever. Only what was in Redis before the read and is still out with the same token."""
        before = {u: self.tokens.get(u) for u in self.in_flight if u not in self.queuing}
        try:
            known = await self.frontier.dispatched()
        except Exception:
            return
        lost = [u for u, tok in before.items() if u not in known and u in self.in_flight and self.tokens.get(u) == tok]
        for u in lost:
            self.in_flight.discard(u)
            self.tokens.pop(u, None)
        if lost:
            log.warning("%d request(s) in flight are gone from Redis (restarted without persistence?): due again",
                        len(lost))

    async def retention(self) -> None:
        await super().retention()
        cutoff = shift(self.clock(), -KEEP_KEYS)
        await asyncio.wrap_future(self.store.writer.call(lambda db: prune_applied(db, cutoff)))

    async def heartbeat(self) -> None:
        await super().heartbeat()
        try:
            d = await self.frontier.depth()
        except Exception:
            return
        log.info("frontier: %d queued, %d leased, %d result(s) waiting; %d re-queued, %d duplicate(s) skipped",
                 d["queued"], d["leased"], d["results"], self.requeued, self.duplicates)

    async def run(self) -> int:
        try:
            return await super().run()
        finally:
            if self.frontier is not None:
                if self.tasks:                         # the last batch's acknowledgements
                    await asyncio.wait(set(self.tasks), timeout=5)
                await self.frontier.r.aclose()


def _ack_of(fetch) -> tuple[str, str, str]:
    token = fetch.idempotency_key.partition(":")[2]
    return fetch.idempotency_key, fetch.url, token
