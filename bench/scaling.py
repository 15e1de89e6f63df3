"""The Redis frontier's scaling benchmark: a coordinator and 1, 2, 4 workers against the local page server,
and the single SQLite writer's ceiling measured on its own.

    marsad bench scaling [--pages 1000] [--workers 1,2,4] [--json]

Redis is Debian's redis-server, started here on 127.0.0.1 on a free port in a temporary folder, without
persistence. The page server is bench/pageserver.py (N real corpus pages from memory, its own process).
For each worker count: a fresh database with the N pages tracked and due, `marsad daemon --redis` and
the workers as separate processes (`[pipeline] workers = 0`: each worker does its CPU step in-process, so
one worker is one process and its CPU is its own), then two phases:

  first     every page new: fetched, fingerprinted, extracted, validated, stored with its raw HTML
  recrawl   the page server moves every page's furniture (CSRF token, "most read" box) and revises 5%:
            every page fingerprinted, the revised ones extracted and compared (the steady state)

Each phase reports pages/s (wall clock from its first to its last recorded check), the workers' CPU ms
per page and the coordinator's (the one process that does not scale out), the page server's and
Redis', and how many of the machine's cores were busy, with the part that was none of these (other work
on a shared machine: it moves pages/s, not CPU per page). The writer ceiling puts
results straight into storage.writer.Writer (batches of 50, as the daemon does) on a fresh database:
new versions with their raw HTML, and unchanged checks, results/s for each.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import measure
from .pageserver import CorporaMissing, ServerProcess
from .throughput import config_text, pretrack

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 60.0
PHASE_TIMEOUT = 600.0


class RedisMissing(RuntimeError):
    """redis-server is not installed: the benchmark (and the frontier's tests) need Debian's package."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def redis_server(folder: Path):
    """Debian's redis-server on 127.0.0.1, a free port, `folder` as its dir, no persistence; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RedisMissing("redis-server is not installed (apt-get install redis-server)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), 0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > end or proc.poll() is not None:
                raise RuntimeError(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", proc
    finally:
        proc.kill()
        proc.wait(timeout=10)


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}


def _count(db: Path, sql: str, args=()) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
        try:
            return con.execute(sql, args).fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0


def _started(log: Path, needle: str, proc) -> None:
    end = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < end:
        if log.exists() and needle in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[4:]} exited {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.1)
    raise RuntimeError(f"{proc.args[4:]} did not start: {log.read_text(errors='replace')[-2000:]}")


def _machine() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine: how much of it other work took during a phase."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = f[3] + (f[4] if len(f) > 4 else 0)
    return sum(f) - idle, sum(f)


def _phase(db: Path, mark: int, pages: int, workers, coord, helpers=()) -> dict:
    """Wait until `pages` checks after check id `mark` are recorded; wall from the first to the last."""
    m0 = _machine()
    scpu0 = sum(measure.tree_cpu(pid) for pid in helpers)         # the page server and Redis
    cpu0 = sum(measure.tree_cpu(w.pid) for w in workers)
    ccpu0 = measure.tree_cpu(coord.pid)
    t_start = time.monotonic()
    end = t_start + PHASE_TIMEOUT
    t_first = None
    while time.monotonic() < end:
        n = _count(db, "SELECT count(DISTINCT article_id) FROM checks WHERE id > ?", [mark])
        now = time.monotonic()
        if n and t_first is None:
            t_first, n_first = now, n
        if n >= pages:
            break
        for p in (*workers, coord):
            if p.poll() is not None:
                raise RuntimeError(f"{p.args[4:]} exited {p.returncode} during the benchmark")
        time.sleep(0.05)
    else:
        raise RuntimeError(f"only {n} of {pages} pages checked in {PHASE_TIMEOUT:.0f}s")
    wall = max(1e-6, now - t_first)
    cpu = sum(measure.tree_cpu(w.pid) for w in workers) - cpu0
    ccpu = measure.tree_cpu(coord.pid) - ccpu0
    scpu = sum(measure.tree_cpu(pid) for pid in helpers) - scpu0
    m1 = _machine()
    cores = os.cpu_count() or 1
    busy = (m1[0] - m0[0]) / max(1, m1[1] - m0[1]) * cores          # cores busy on average, all processes
    elapsed = max(1e-6, time.monotonic() - t_start)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    outcomes = dict(con.execute("SELECT outcome, count(*) FROM checks WHERE id > ? GROUP BY outcome", [mark]))
    con.close()
    return {"pages_s": round((pages - n_first) / wall, 1), "seconds": round(wall, 2),
            "worker_cpu_ms": round(cpu * 1000 / pages, 1), "coordinator_cpu_ms": round(ccpu * 1000 / pages, 2),
            "server_cpu_ms": round(scpu * 1000 / pages, 2), "machine_busy_cores": round(busy, 2),
            "others_cores": round(max(0.0, busy - (cpu + ccpu + scpu) / elapsed), 2), "outcomes": outcomes}


def scale_run(srv: ServerProcess, redis_url: str, workers: int, pages: int, work: Path, redis_pid: int) -> dict:
    import redis
    redis.Redis.from_url(redis_url).flushall()
    srv.control("set", furniture=0)
    db = work / f"scale-{workers}.db"
    pretrack(db, srv.urls())
    cfg = work / f"scale-{workers}.toml"
    # one local host: per-host politeness (still taken through Redis for every request) is set wide, so the
    # numbers are the workers' fetch and CPU, not a host's limit
    text = (config_text(srv.sitemap, pages).replace('revisit = [["30d", "1s"]]', 'revisit = [["30d", "1d"]]')
            .replace("per_domain_concurrency = 32", "per_domain_concurrency = 256"))
    cfg.write_text(text + "\n[pipeline]\nworkers = 0\n\n[redis]\n"
                   f'url = "{redis_url}"\nqueue_depth = {pages}\nworker_requests = 32\n')
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    base = [sys.executable, "-m", "scheduler.cli", "--config", str(cfg)]
    procs = []
    try:
        for i in range(workers):
            log = logs / f"worker-{workers}-{i}.log"
            p = subprocess.Popen(base + ["worker"], cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL,
                                 stderr=open(log, "w"))
            procs.append((p, log))
        for p, log in procs:
            _started(log, "marsad worker started", p)
        clog = logs / f"coordinator-{workers}.log"
        coord = subprocess.Popen(base + ["--db", str(db), "daemon"], cwd=ROOT, env=_env(),
                                 stdout=subprocess.DEVNULL, stderr=open(clog, "w"))
        _started(clog, "marsad daemon started", coord)      # its start-up CPU is not the pages'
        ws = [p for p, _ in procs]
        helpers = (srv.proc.pid, redis_pid)
        first = _phase(db, 0, pages, ws, coord, helpers)
        mark = _count(db, "SELECT coalesce(max(id), 0) FROM checks")
        srv.control("advance", revise=5, furniture=1)
        con = sqlite3.connect(db, timeout=30)
        with con:
            con.execute("UPDATE articles SET next_check_at = '2000-01-01T00:00:00Z'")
        con.close()
        recrawl = _phase(db, mark, pages, ws, coord, helpers)
        return {"workers": workers, "first": first, "recrawl": recrawl}
    finally:
        for p in [*(p for p, _ in procs), *([coord] if "coord" in locals() else [])]:
            if p.poll() is None:
                p.terminate()
        for p in [*(p for p, _ in procs), *([coord] if "coord" in locals() else [])]:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def writer_ceiling(n: int, work: Path) -> dict:
    """Results/s the one SQLite writer sustains in batches of 50: new versions (with raw HTML), then
    unchanged checks of the same articles; each result with an idempotency key, as from a worker."""
    from crawler.extract import extract
    from detector import DEFAULT_POLICY, version_hash
    from detector.models import Analysis, Fetch
    from scheduler.revisit import DEFAULT_LADDER, Ladder
    from storage.writer import Writer

    from .pageserver import Site, load_bases

    bases = load_bases()
    site = Site(bases, min(n, 40))
    site.set_base("http://127.0.0.1:9")
    pages = []
    for i in range(site.n):
        html = b"".join(site.body(i))
        try:
            a = extract(html, url=site.url(i))
        except Exception:
            continue
        pages.append((html, a))
    db = work / "writer.db"
    urls = [f"http://127.0.0.1:9/a/{i}/" for i in range(n)]
    pretrack(db, urls)
    out = {}
    for phase in ("new", "unchanged"):
        fetches = []
        for i, u in enumerate(urls):
            html, a = pages[i % len(pages)]
            h = version_hash(a)
            an = Analysis("new", article=a, content_hash=h) if phase == "new" else Analysis("unchanged", content_hash=h)
            fetches.append(Fetch(url=u, fetched_at="2026-12-02T10:00:00Z", status=200, bytes=len(html), ms=5,
                                 html=html if phase == "new" else None, raw_hash=f"{i:032x}", analysis=an,
                                 article=a if phase == "new" else None, idempotency_key=f"{i}:{phase}{i:026x}"))
        w = Writer(str(db), policy=DEFAULT_POLICY, revisit=Ladder([list(r) for r in DEFAULT_LADDER]), batch=50,
                   batch_ms=500)
        t0 = time.perf_counter()
        for f in fetches:
            w.put(f)
        w.flush().result(timeout=600)
        secs = time.perf_counter() - t0
        w.close()
        out[phase] = {"results": n, "seconds": round(secs, 2), "results_s": round(n / secs, 1)}
    out["mean_html_bytes"] = round(sum(len(h) for h, _ in pages) / len(pages))
    return out


def run(pages: int = 1000, workers=(1, 2, 4), writer_results: int = 5000, echo=None) -> dict:
    echo = echo or (lambda s: None)
    with tempfile.TemporaryDirectory(prefix="marsad-scaling-") as tmp:
        work = Path(tmp)
        res = {"pages": pages, "cores": os.cpu_count(), "load_before": [round(x, 2) for x in os.getloadavg()],
               "runs": []}
        echo(f"writer ceiling: {writer_results} results ...")
        res["writer"] = writer_ceiling(writer_results, work)
        with redis_server(work / "redis") as (url, rproc), ServerProcess(pages) as srv:
            for k in workers:
                echo(f"{k} worker(s) ...")
                res["runs"].append(scale_run(srv, url, k, pages, work, rproc.pid))
        return res


def report(res: dict) -> str:
    lines = [f"{res['pages']} pages from bench/pageserver.py, Redis on loopback, {res['cores']} cores "
             f"(load average before: {', '.join(map(str, res['load_before']))})", "",
             "| workers | phase | pages/s | worker CPU ms/page | coordinator CPU ms/page | page server + Redis CPU ms/page "
             "| cores busy (all) | of which other work |", "|---|---|---|---|---|---|---|---|"]
    for r in res["runs"]:
        for name in ("first", "recrawl"):
            f = r[name]
            lines.append(f"| {r['workers']} | {name} | {f['pages_s']} | {f['worker_cpu_ms']} | {f['coordinator_cpu_ms']}"
                         f" | {f.get('server_cpu_ms', '')} | {f.get('machine_busy_cores', '')} | "
                         f"{f.get('others_cores', '')} |")
    w = res["writer"]
    lines += ["", f"single writer (batches of 50, mean page {w['mean_html_bytes']:,} bytes): "
              f"{w['new']['results_s']} new versions/s, {w['unchanged']['results_s']} unchanged checks/s"]
    lines += ["", "recrawl outcomes: " + "; ".join(f"{r['workers']}w {r['recrawl']['outcomes']}" for r in res["runs"])]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="marsad bench scaling", description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--workers", default="1,2,4", help="comma-separated worker counts")
    ap.add_argument("--writer-results", type=int, default=5000)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    try:
        res = run(a.pages, tuple(int(x) for x in a.workers.split(",")), a.writer_results,
                  echo=lambda s: print(s, file=sys.stderr))
    except (CorporaMissing, RedisMissing) as e:
        print(f"skipped: {e}", file=sys.stderr)
        return 0
    print(json.dumps(res) if a.json else report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
