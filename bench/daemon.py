"""The daemon at scale: picking the due batch among 100,000 tracked articles, and the idle daemon's memory.

    marsad bench daemon        (or: python -m bench.daemon)

Baselines in the same run: the same due query forced to scan the table (NOT INDEXED), and the RSS of a
bare Python process that imports the same libraries and does nothing.
"""
from __future__ import annotations

import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from storage import due_articles, open_db

ROOT = Path(__file__).resolve().parents[1]
N = 100_000
SITES = 20


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def build(path: Path, now: datetime, due_share: float) -> None:
    db = open_db(path)
    rng = random.Random(7)
    with db.conn:
        db.conn.executemany("INSERT INTO sites (name) VALUES (?)", [(f"site{i}",) for i in range(SITES)])
        rows = []
        for i in range(N):
            due = rng.random() < due_share
            offset = -rng.uniform(0, 86400) if due else rng.uniform(60, 86400)
            rows.append((f"https://site{i % SITES}.example/{i}/", i % SITES + 1, _iso(now - timedelta(days=3)),
                         _iso(now + timedelta(seconds=offset))))
        db.conn.executemany("INSERT INTO articles (url, site_id, first_seen_at, next_check_at, status, version_count)"
                            " VALUES (?, ?, ?, ?, 'active', 0)", rows)
    db.conn.close()


def _time(fn, runs=25) -> float:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000


def due_query(tmp: Path, now: datetime) -> list[tuple]:
    rows = []
    for share in (0.05, 1.0):
        path = tmp / f"due-{share}.db"
        build(path, now, share)
        db = open_db(path)
        n = _iso(now)
        ours = _time(lambda: due_articles(db, n, 200))
        capped = _time(lambda: due_articles(db, n, 200, per_site=20))
        scan = _time(lambda: list(db.query("SELECT id, url FROM articles NOT INDEXED WHERE next_check_at <= ?"
                                           " AND status = 'active' ORDER BY next_check_at LIMIT 200", [n])))
        rows.append((share, ours, capped, scan))
    return rows


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def idle_rss(tmp: Path, now: datetime, settle: float = 6.0) -> tuple[int, int]:
    path = tmp / "idle.db"
    build(path, now + timedelta(days=2), 0.0)          # nothing due: the daemon idles
    cfg = tmp / "idle.toml"
    cfg.write_text('[schedule]\ntick = "2s"\ndiscovery_every = "1h"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    daemon = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "--config", str(cfg), "--db", str(path),
                               "daemon", "--log-level", "WARNING"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bare = subprocess.Popen([sys.executable, "-c", "import scrapy, twisted, apscheduler, sqlite_utils, lxml, "
                             "trafilatura, time; time.sleep(60)"], cwd=ROOT)
    try:
        time.sleep(settle)
        return _rss_kb(daemon.pid), _rss_kb(bare.pid)
    finally:
        daemon.send_signal(signal.SIGTERM)
        bare.kill()
        daemon.wait(timeout=20)
        bare.wait(timeout=5)


def main(argv=None) -> int:
    now = datetime.now(timezone.utc).replace(microsecond=0)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        rows = due_query(tmp, now)
        rss, bare = idle_rss(tmp, now)
    print("| tracked articles | due | pick 200 (index) | pick 200, ≤ 20 per site | same query, table scan |")
    print("|---|---|---|---|---|")
    for share, ours, capped, scan in rows:
        print(f"| {N:,} | {int(N * share):,} | {ours:.2f} ms | {capped:.2f} ms | {scan:.2f} ms |")
    print(f"\nidle daemon RSS with {N:,} articles: {rss / 1024:.0f} MiB "
          f"(a bare Python importing the same libraries: {bare / 1024:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
