"""The daemon's one database writer: a thread that owns the writes and commits them in batches.

Why a thread: a write may wait for SQLite's lock (a reader's checkpoint, `marsad alerts send`) or for a
slow disk, and the event loop that drives the downloads must never wait. Why batches: one COMMIT (and
its fsync) per page was a large share of a recrawl; one per N results or T milliseconds is not. WAL with
`synchronous = NORMAL` keeps every committed batch across a crash of marsad (kill -9 loses at most the
batch in flight, which was never reported as written); only a power cut can cost the last batches.

A full disk, a read-only file or an I/O error pauses the writes: one log line, the state recorded where
`marsad status` shows it when the disk allows, the same batch retried with back-off until it is written.
Nothing queued is dropped; the crawler stops taking new work while its results wait (the dispatcher
sees them in flight), so memory stays bounded.
"""
from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future
from typing import Callable

from .db import classify_write_error, open_db, set_state
from .record import record_batch

log = logging.getLogger("marsad.writer")

PAUSE_FIRST, PAUSE_MAX = 1.0, 30.0      # seconds between tries of a batch the disk refused
# The idempotency keys of results recorded from Redis workers (scheduler/coordinator.py) live in
# `applied_results` (migration 11, storage/schema.py).


def _mark_applied(batch: list):
    """The keys of a batch, written by record_batch in the batch's transaction (None: a batch without keys)."""
    rows = [(f.idempotency_key, f.fetched_at) for f in batch if getattr(f, "idempotency_key", None)]
    if not rows:
        return None
    return lambda conn: conn.executemany("INSERT OR IGNORE INTO applied_results (key, at) VALUES (?, ?)", rows)


def prune_applied(db, before: str) -> int:
    """Retention: keys older than any result that can still be re-delivered are forgotten."""
    with db.conn:
        return db.conn.execute("DELETE FROM applied_results WHERE at < ?", [before]).rowcount


class Writer:
    """put(fetch) from any thread; results reach `on_written([(fetch, recorded), ...])` in the writer
    thread after their batch committed. call(fn) runs fn(db) in order with the writes (discovery's
    inserts, cycle rows) and returns a Future of its result."""

    def __init__(self, path: str, *, policy, rules=(), revisit=None, batch: int = 50, batch_ms: int = 500,
                 backoff_max: float = 6 * 3600, on_written: Callable | None = None):
        self.path, self.policy, self.rules, self.revisit = path, policy, rules, revisit
        self.batch, self.batch_s, self.backoff_max = max(1, batch), max(1, batch_ms) / 1000.0, backoff_max
        self.on_written = on_written
        self.on_duplicate: Callable | None = None     # [fetch] whose idempotency key was already recorded
        self.queue: queue.Queue = queue.Queue()
        self.pending = 0                       # fetches queued or being written
        self.paused: str | None = None         # why writes are paused, while they are
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="marsad-writer", daemon=True)
        self._closing = False
        self.db = None                          # the writer thread's connection, once it runs
        self._thread.start()

    # -- the crawler's side ------------------------------------------------------------------------
    def put(self, fetch) -> None:
        with self._lock:
            self.pending += 1
        self.queue.put(("fetch", fetch, None))

    def call(self, fn: Callable) -> Future:
        fut: Future = Future()
        self.queue.put(("call", fn, fut))
        return fut

    def flush(self) -> Future:
        """A Future done when everything queued before it is written."""
        return self.call(lambda db: None)

    def close(self, timeout: float = 30.0) -> None:
        self._closing = True
        self.queue.put(("stop", None, None))
        self._thread.join(timeout)

    # -- the thread --------------------------------------------------------------------------------
    def _run(self) -> None:
        db = self.db = open_db(self.path)
        db.execute("PRAGMA synchronous = NORMAL")
        try:
            while True:
                kind, obj, fut = self.queue.get()
                if kind == "stop":
                    return
                if kind == "call":
                    self._call(db, obj, fut)
                    continue
                batch, deadline, tail = [obj], time.monotonic() + self.batch_s, None
                while len(batch) < self.batch:
                    try:
                        kind, obj, fut = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
                    except queue.Empty:
                        break
                    if kind != "fetch":
                        tail = (kind, obj, fut)
                        break
                    batch.append(obj)
                self._write(db, batch)
                if tail is not None:
                    if tail[0] == "stop":
                        return
                    self._call(db, tail[1], tail[2])
        finally:
            db.conn.close()

    def _call(self, db, fn, fut) -> None:
        try:
            result = self._retrying(db, lambda: fn(db))
        except BaseException as e:             # handed to whoever waits for it
            fut.set_exception(e)
        else:
            fut.set_result(result)

    def _write(self, db, batch: list) -> None:
        taken = len(batch)
        batch = self._once(db, batch)
        try:
            recorded = self._retrying(db, lambda: record_batch(db, batch, policy=self.policy, rules=self.rules,
                                                               revisit=self.revisit, backoff_max=self.backoff_max,
                                                               before_commit=_mark_applied(batch)))
            done = list(zip(batch, recorded))
        except Exception:
            done = self._one_by_one(db, batch)  # one bad record must not cost the others
        with self._lock:
            self.pending -= taken
        if self.on_written and done:
            try:
                self.on_written(done)
            except Exception:
                log.exception("after a write")

    def _one_by_one(self, db, batch: list) -> list:
        done = []
        for f in batch:
            try:
                rec = self._retrying(db, lambda: record_batch(db, [f], policy=self.policy, rules=self.rules,
                                                              revisit=self.revisit, backoff_max=self.backoff_max,
                                                              before_commit=_mark_applied([f])))
                done.append((f, rec[0]))
            except Exception as e:
                log.error("could not record the check of %s: %s", f.url, e)
        return done

    def _retrying(self, db, action: Callable):
        """Run a write; while the disk refuses it (full, read-only, I/O error, locked), wait and retry."""
        wait = PAUSE_FIRST
        while True:
            try:
                result = action()
            except Exception as e:
                reason = classify_write_error(e)
                if reason is None or self._closing and self.paused:
                    raise
                if self.paused != reason:
                    log.error("database writes paused: %s (%s); retrying, nothing is dropped", reason, self.path)
                    self.paused = reason
                    self._try_state(db, f"writes paused: {reason}")
                time.sleep(wait)
                wait = min(wait * 2, PAUSE_MAX)
                continue
            if self.paused:
                log.warning("database writes resumed (%s)", self.path)
                self.paused = None
                self._try_state(db, "")
            return result

    def _once(self, db, batch: list) -> list:
        """Results of Redis workers carry an idempotency key (article id + dispatch token): one already
        recorded, or twice in this batch, is not recorded again (a re-delivered result would be a second
        version and alert). The keys are written in the batch's own transaction (`_mark_applied`); this one
        writer is the database's only one, so nothing can record a key between this read and that write.
        What is left out goes to `on_duplicate`, so its sender can forget it."""
        keys = [f.idempotency_key for f in batch if getattr(f, "idempotency_key", None)]
        if not keys:
            return batch
        seen = {r[0] for r in db.execute("SELECT key FROM applied_results WHERE key IN (%s)"
                                         % ",".join("?" * len(keys)), keys)}
        fresh, dupes = [], []
        for f in batch:
            k = getattr(f, "idempotency_key", None)
            (dupes if k in seen else fresh).append(f)
            if k:
                seen.add(k)
        if dupes and self.on_duplicate is not None:
            try:
                self.on_duplicate(dupes)
            except Exception:
                log.exception("after skipping re-delivered results")
        return fresh

    @staticmethod
    def _try_state(db, value: str) -> None:
        try:
            set_state(db, "writes", value)
        except Exception:                       # the disk that refused the batch may refuse this too
            pass

