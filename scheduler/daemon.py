"""`marsad daemon`: one long-lived process, APScheduler 3.11's AsyncIOScheduler and one Scrapy runner on
the same asyncio event loop (Scrapy's reactor cannot be restarted; docs/architecture.md).

The shape (docs/architecture.md, "The way of one page"): the event loop only drives downloads and the
scheduler. One crawler stays open for the life of the daemon; every tick the dispatcher feeds it the due
articles that are not already in flight (most overdue first, skipping hosts that are backing off), so a
slow host holds only its own download slots and never delays another site. The CPU step (extraction,
comparison) runs in a pool of worker processes; the writer thread records results in batches and hands
back only counters and the one-line summaries of what changed: nothing of a check outlives its batch.

Jobs: discovery (feeds, sitemaps, section pages), dispatch (the revisit tick), alerts (the outbox, in a
worker thread), retention (old checks that found nothing), and an hourly SMTP check that says loudly
when the mail server refuses marsad's credentials. Each job runs at most once at a time, late runs
coalesce into one. All state is in the database (next_check_at, hosts, cycles), so a restart resumes
where the last run stopped; a lock file beside the database's real path keeps a second daemon out.
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
from .jobs import CycleStats, discover, due_targets, make_store, site_targets

log = logging.getLogger("marsad.daemon")
STOP_TIMEOUT = 10.0      # seconds granted to in-flight checks after SIGTERM/SIGINT
IN_FLIGHT_PER_REQUEST = 4  # targets handed to the crawler per request slot: enough to keep it busy
LOG_EVERY = 30.0         # seconds between the cycle lines while checks keep completing
HEARTBEAT_EVERY = 300    # a quiet daemon says it is alive every 5 minutes (a log line per tick is noise)
SMTP_CHECK_EVERY = 3600  # seconds between checks of the mail server's credentials


class DaemonRunning(RuntimeError):
    pass


def acquire_lock(db_path: str):
    """An exclusive lock on <db>.lock, held for the life of the process (released even by kill -9).

    The lock file sits beside the database's REAL path (symlinks resolved), so two daemons that reach one
    database through different names (a symlink, a relative path) meet at one lock. flock() belongs to
    the open file description: a second open() of the same file conflicts, even within one process."""
    real = os.path.realpath(db_path)
    f = open(f"{real}.lock", "a+")
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        pid = f.read().strip() or "?"
        f.close()
        via = f" (reached as {db_path})" if os.path.abspath(db_path) != real else ""
        raise DaemonRunning(f"another marsad daemon (pid {pid}) is already using {real}{via}; stop it first") from None
    f.seek(0)
    f.truncate()
    f.write(str(os.getpid()))
    f.flush()
    return f


class Daemon:
    def __init__(self, config: Config, db_path: str, clock=utc_now):
        self.config, self.db_path, self.clock = config, db_path, clock
        self.db = open_db(db_path)
        self.store = make_store(self.db, config, clock, on_written=self._written)
        self.session = CrawlSession(config.politeness)
        self.monitor = None
        self.in_flight: set[str] = set()
        self.sites = {s["name"]: s for s in site_targets(config)}     # profiles read once, not every tick
        self.capacity = max(1, int(config.politeness.get("concurrency", 32))) * IN_FLIGHT_PER_REQUEST
        self.cycle, self.cycle_started, self.cycle_t0 = CycleStats(), None, time.monotonic()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.tasks: set[asyncio.Task] = set()
        self.alerts_db = None
        self._auth_logged = -float(SMTP_CHECK_EVERY)
        self.stopping = False
        self.checked_since_beat = self.discovered_since_beat = 0

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
        self.store.writer.call(lambda db: record_cycle(db, "discovery", started, self.clock(), secs,
                                                       {"discovered": found}))
        if found:                                   # a round that found nothing is in `cycles`, not the log
            log.info("discovery: %d new article(s) from %d site(s) in %.1fs", found, len(self.config.sites), secs)
        self.discovered_since_beat += found

    async def heartbeat(self) -> None:
        """Every few minutes, one line: what the daemon did since the last one, so a quiet log still
        shows it is alive (cycles that did something are logged as they end)."""
        checked, self.checked_since_beat = self.checked_since_beat, 0
        found, self.discovered_since_beat = self.discovered_since_beat, 0
        log.info("alive: %d check(s), %d new article(s) in the last %d min; %d in flight", checked, found,
                 HEARTBEAT_EVERY // 60, len(self.in_flight))

    # -- dispatch and results --------------------------------------------------------------------------
    async def dispatch(self) -> None:
        """Hand the crawler what is due and not in flight; articles of hosts that back off wait."""
        if self.stopping or self.monitor is None or self.store.writer.paused:
            return
        room = self.capacity - len(self.in_flight)
        if room <= 0:
            return
        self._track()
        targets = due_targets(self.store, self.config, room, exclude=self.in_flight, sites=self.sites)
        targets = self._skip_backing_off(targets)
        if not targets:
            return
        if self.cycle_started is None:
            self.cycle_started, self.cycle_t0 = self.clock(), time.monotonic()
        self.in_flight.update(t["url"] for t in targets)
        self.monitor.submit(targets)

    def _skip_backing_off(self, targets: list[dict]) -> list[dict]:
        """A host in back-off keeps its articles until its back-off ends (their next check is moved there)."""
        now = self.clock()
        waiting = dict(self.db.execute("SELECT host, backoff_until FROM hosts WHERE backoff_until > ?", [now]))
        if not waiting:
            return targets
        from storage.record import host_of
        keep, moved = [], []
        for t in targets:
            until = waiting.get(host_of(t["url"]))
            (moved.append((until, t["url"])) if until else keep.append(t))
        if moved:
            def push(db, moved=moved):
                with db.conn:
                    db.conn.executemany("UPDATE articles SET next_check_at = ? WHERE url = ?", moved)
            self.store.writer.call(push)
        return keep

    def _written(self, done) -> None:
        """In the writer thread, after a batch committed: hand the loop what it needs, then let go."""
        light = [(f.url, rec.outcome, rec.version, rec.changes if rec.outcome in ("changed", "removed") else ())
                 for f, rec in done]
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self._absorb, light)

    def _absorb(self, light) -> None:
        for url, outcome, version, changes in light:
            self.in_flight.discard(url)
            self.cycle.count(outcome)
            self.checked_since_beat += 1
            if outcome in ("changed", "removed"):
                log.info("%s %s%s: %s", outcome, url, f" v{version}" if version else "", summarize(changes))
        if not self.in_flight or time.monotonic() - self.cycle_t0 >= LOG_EVERY:
            self._close_cycle()

    def _close_cycle(self) -> None:
        stats, started, secs = self.cycle, self.cycle_started or self.clock(), time.monotonic() - self.cycle_t0
        if not stats.checked:
            return
        self.cycle, self.cycle_started, self.cycle_t0 = CycleStats(), None, time.monotonic()
        counts = stats.counts()
        self.store.writer.call(lambda db: record_cycle(db, "revisit", started, self.clock(), secs, counts))
        log.info("cycle: %s in %.1fs%s", stats.line().replace("discovered 0, ", ""), secs,
                 f"; {len(self.in_flight)} in flight" if self.in_flight else "")

    # -- alerts, retention, SMTP ------------------------------------------------------------------------
    def _send_alerts(self):
        from .notify import send_due
        if self.alerts_db is None:
            self.alerts_db = open_db(self.db_path)          # its own connection: it runs in a worker thread
        return send_due(self.alerts_db, self.config)

    async def deliver(self) -> None:
        """Send due alerts in a worker thread: SMTP is blocking, and the crawler shares this event loop."""
        self._track()
        report = await asyncio.to_thread(self._send_alerts)
        if report.auth_error:
            now = time.monotonic()
            if now - self._auth_logged >= SMTP_CHECK_EVERY:         # loudly, but once an hour, not every round
                self._auth_logged = now
                log.error("alerts held: %s (fix [smtp] or MARSAD_SMTP_PASSWORD; nothing is lost)", report.auth_error)
        if report.messages or report.retrying or report.failed:
            log.info("alerts: %s", report.line())
        for e in report.errors:
            log.warning("alert delivery: %s", e)

    async def smtp_check(self) -> None:
        """At start and every hour: a mail server that refuses marsad's login is said loudly."""
        from .notify import check_smtp
        self._track()
        problem = await asyncio.to_thread(check_smtp, self.config)
        if problem:
            self._auth_logged = time.monotonic()
            log.error("SMTP: %s; alerts stay pending until it is fixed", problem)

    async def retention(self) -> None:
        self._track()
        cutoff = shift(self.clock(), -seconds(self.config.keep_checks))
        fut = self.store.writer.call(lambda db: prune_checks(db, cutoff))
        dropped = await asyncio.wrap_future(fut)
        if dropped:
            log.info("retention: dropped %d empty check(s) older than %s", dropped, cutoff)

    # -- the life of the process -------------------------------------------------------------------------
    async def open_monitor(self):
        """What dispatch() hands due targets to (`submit`, `close`): the open crawler here; the Redis
        frontier in the coordinator (scheduler/coordinator.py)."""
        return await self.session.monitor(self.store)

    async def run(self) -> int:
        loop = self.loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        self.monitor = await self.open_monitor()
        self.store.warm()                   # the analysis workers start while the first tick fetches
        sched = AsyncIOScheduler(event_loop=loop, timezone=timezone.utc)
        now = datetime.now(timezone.utc)
        tick = seconds(self.config.tick)
        every = seconds(self.config.discovery_every)
        common = {"max_instances": 1, "coalesce": True}
        sched.add_job(self.discovery, "interval", seconds=every, next_run_time=now, id="discovery",
                      misfire_grace_time=max(1, int(every)), **common)
        sched.add_job(self.dispatch, "interval", seconds=tick, next_run_time=now + timedelta(seconds=min(tick, 1)),
                      id="revisit", misfire_grace_time=max(1, int(tick)), **common)
        if self.config.alerts:
            every_alerts = seconds(self.config.delivery["every"])
            sched.add_job(self.deliver, "interval", seconds=every_alerts, next_run_time=now + timedelta(seconds=2),
                          id="alerts", misfire_grace_time=max(1, int(every_alerts)), **common)
            if any(a.get("to") for a in self.config.alerts):
                sched.add_job(self.smtp_check, "interval", seconds=SMTP_CHECK_EVERY, next_run_time=now,
                              id="smtp", misfire_grace_time=SMTP_CHECK_EVERY, **common)
        sched.add_job(self.heartbeat, "interval", seconds=HEARTBEAT_EVERY, id="heartbeat",
                      misfire_grace_time=HEARTBEAT_EVERY, **common)
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
            await asyncio.wait_for(self.monitor.close(), STOP_TIMEOUT)
            await asyncio.wait_for(self.session.runner.stop(), STOP_TIMEOUT)
            if self.tasks:
                await asyncio.wait_for(asyncio.gather(*self.tasks, return_exceptions=True), STOP_TIMEOUT)
            await asyncio.wait_for(self.store.flush(), STOP_TIMEOUT)
        except asyncio.TimeoutError:
            log.warning("in-flight work did not finish within %.0fs; what was recorded stays recorded", STOP_TIMEOUT)
        self._close_cycle()
        await asyncio.to_thread(self.store.close)
        log.info("stopped")
        return 0
