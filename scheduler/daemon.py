"""`marsad daemon`: one long-lived process, APScheduler 3.11's AsyncIOScheduler and one Scrapy runner on
the same asyncio event loop (Scrapy's reactor cannot be restarted; DESIGN.md).

Jobs: discovery (feeds, sitemaps, section pages), revisit (the due articles, in batches, most overdue
first, until the backlog is drained), alerts (the outbox, in a worker thread), retention (old checks
that found nothing). Each job runs at most
once at a time, late runs coalesce into one, and a missed run within the grace time still runs.
All state is in the database (next_check_at, cycles), so a restart resumes where the last run stopped;
a lock file next to the database keeps a second daemon out.
"""
from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import signal
import time
from datetime import datetime, timedelta, timezone

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from crawler.runner import CrawlSession
from crawler.spiders.articles import utc_now
from detector import summarize
from storage import open_db, prune_checks, record_cycle
from storage.times import shift

from .config import Config
from .durations import seconds
from .jobs import CycleStats, check_due, discover, make_store

log = logging.getLogger("marsad.daemon")
STOP_TIMEOUT = 10.0      # seconds granted to in-flight checks after SIGTERM/SIGINT


class DaemonRunning(RuntimeError):
    pass


def acquire_lock(db_path: str):
    """An exclusive lock on <db>.lock, held for the life of the process (released even by kill -9)."""
    f = open(f"{db_path}.lock", "a+")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        pid = f.read().strip() or "?"
        f.close()
        raise DaemonRunning(f"another marsad daemon (pid {pid}) is already using {db_path}; stop it first") from None
    f.seek(0)
    f.truncate()
    f.write(str(os.getpid()))
    f.flush()
    return f


class Daemon:
    def __init__(self, config: Config, db_path: str, clock=utc_now):
        self.config, self.db_path, self.clock = config, db_path, clock
        self.db = open_db(db_path)
        self.store = make_store(self.db, config, clock)
        self.session = CrawlSession(config.politeness)
        self.tasks: set[asyncio.Task] = set()
        self.alerts_db = None
        self.stopping = False

    def _track(self):
        task = asyncio.current_task()
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def discovery(self) -> None:
        if self.stopping:
            return
        self._track()
        started, t0 = self.clock(), time.monotonic()
        found = await discover(self.session, self.store, self.config)
        secs = time.monotonic() - t0
        record_cycle(self.db, "discovery", started, self.clock(), secs, {"discovered": found})
        log.info("discovery: %d new article(s) from %d site(s) in %.1fs", found, len(self.config.sites), secs)

    async def revisit(self) -> None:
        """Check what is due, batch after batch, until nothing is due or the daemon is stopping."""
        self._track()
        total, batches, t_all = CycleStats(), 0, time.monotonic()
        while not self.stopping:
            started, t0 = self.clock(), time.monotonic()
            stats = await check_due(self.session, self.store, self.config)
            if not stats.checked:
                break
            batches += 1
            secs = time.monotonic() - t0
            record_cycle(self.db, "revisit", started, self.clock(), secs, vars(stats))
            log.info("cycle: %s in %.1fs", stats.line().replace("discovered 0, ", ""), secs)
            for item, rec in stats.results:
                if rec.outcome in ("changed", "removed"):
                    log.info("%s %s%s: %s", rec.outcome, item.url, f" v{rec.version}" if rec.version else "",
                             summarize(rec.changes))
            for key in ("checked", "new", "changed", "unchanged", "not_modified", "removed", "errors"):
                setattr(total, key, getattr(total, key) + getattr(stats, key))
            if stats.checked < self.config.batch_size:
                break
            log.info("backlog: %d checked so far in %d batches, %.0fs; continuing", total.checked, batches,
                     time.monotonic() - t_all)

    def _send_alerts(self):
        from .notify import send_due
        if self.alerts_db is None:
            self.alerts_db = open_db(self.db_path)          # its own connection: it runs in a worker thread
        return send_due(self.alerts_db, self.config)

    async def deliver(self) -> None:
        """Send due alerts in a worker thread: SMTP is blocking, and the crawler shares this event loop."""
        self._track()
        report = await asyncio.to_thread(self._send_alerts)
        if report.messages or report.retrying or report.failed:
            log.info("alerts: %s", report.line())
        for e in report.errors:
            log.warning("alert delivery: %s", e)

    async def retention(self) -> None:
        self._track()
        cutoff = shift(self.clock(), -seconds(self.config.keep_checks))
        dropped = prune_checks(self.db, cutoff)
        if dropped:
            log.info("retention: dropped %d empty check(s) older than %s", dropped, cutoff)

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        sched = AsyncIOScheduler(event_loop=loop, timezone=timezone.utc)
        now = datetime.now(timezone.utc)
        tick = seconds(self.config.tick)
        every = seconds(self.config.discovery_every)
        common = {"max_instances": 1, "coalesce": True}
        sched.add_job(self.discovery, "interval", seconds=every, next_run_time=now, id="discovery",
                      misfire_grace_time=max(1, int(every)), **common)
        sched.add_job(self.revisit, "interval", seconds=tick, next_run_time=now + timedelta(seconds=min(tick, 1)),
                      id="revisit", misfire_grace_time=max(1, int(tick)), **common)
        if self.config.alerts:
            every_alerts = seconds(self.config.delivery["every"])
            sched.add_job(self.deliver, "interval", seconds=every_alerts, next_run_time=now + timedelta(seconds=2),
                          id="alerts", misfire_grace_time=max(1, int(every_alerts)), **common)
        sched.add_job(self.retention, "interval", hours=6, next_run_time=now, id="retention",
                      misfire_grace_time=3600, **common)
        sched.start()
        log.info("marsad daemon started (pid %d): %s, %d site(s), discovery every %s, revisit tick %s",
                 os.getpid(), self.db_path, len(self.config.sites), self.config.discovery_every, self.config.tick)
        await stop.wait()
        log.info("stopping: finishing in-flight checks")
        self.stopping = True
        sched.shutdown(wait=False)
        try:
            await asyncio.wait_for(self.session.runner.stop(), STOP_TIMEOUT)
            if self.tasks:
                await asyncio.wait_for(asyncio.gather(*self.tasks, return_exceptions=True), STOP_TIMEOUT)
        except asyncio.TimeoutError:
            log.warning("in-flight work did not finish within %.0fs; what was recorded stays recorded", STOP_TIMEOUT)
        log.info("stopped")
        return 0
