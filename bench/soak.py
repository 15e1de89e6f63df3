"""The daemon over many rounds: does its memory stay flat, and what does a check cost in the database?

    marsad bench soak [--rounds R] [--pages N] [--json]      (or: python -m bench.soak)

The real `marsad daemon` (a subprocess) watches N local pages (bench/pageserver.py with --per-fetch: each
fetch of a page may revise it, so nothing has to be coordinated with the running daemon). The revisit
ladder (30d, every 1s) makes every article due again a second after its check, so the daemon re-checks
all N pages round after round. Round 1 is the first crawl (all new); rounds 2 and 3 are quiet (every page
byte-identical: unchanged); from round 4 on, 5% of the fetches revise the page (changed).

Round r is complete when every article has at least r checks in the database (read from the database, as
a user would see it; a page can be checked twice within one round when the 1 s ladder brings it due
again before the round's last page, so rounds are per article, not counts of N). checks/s per round
counts every check recorded in the round. At each round's end: the daemon's VmRSS (and its process
tree's, if it has workers), the database's live bytes ((page_count - freelist_count) x page_size).
From those:
  - RSS after round 1 against after round R (target: within 10%);
  - database bytes per unchanged check (rounds 2-3; target ≤ 200), per new version against its raw HTML
    (round 1; target ≤ 40%), per changed version (rounds 4+, the unchanged checks' share taken off);
  - the idle daemon's RSS with 100,000 tracked articles, measured by bench/daemon.py (target ≤ 150 MB).
"""
from __future__ import annotations

import argparse
import json
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from . import measure
from .pageserver import CorporaMissing, ServerProcess
from .throughput import ROOT, _env, config_text

PERCENT = 5.0
QUIET_ROUNDS = 2    # rounds 2 and 3: every page byte-identical (the cost of an unchanged check)


def _db_state(path: Path) -> dict:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.execute("PRAGMA busy_timeout = 10000")
    try:
        pc, fl, ps = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count", "page_size"))
        checks = conn.execute("SELECT count(*) FROM checks").fetchone()[0]
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        outcomes = dict(conn.execute("SELECT outcome, count(*) FROM checks GROUP BY outcome").fetchall())
        return {"bytes": (pc - fl) * ps, "checks": checks, "articles": articles, "outcomes": outcomes}
    finally:
        conn.close()


def _behind(path: Path, r: int) -> int:
    """Articles checked fewer than r times (0: round r is complete)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.execute("PRAGMA busy_timeout = 10000")
    try:
        return conn.execute("SELECT count(*) FROM articles a WHERE (SELECT count(*) FROM checks c"
                            " WHERE c.article_id = a.id) < ?", [r]).fetchone()[0]
    finally:
        conn.close()


def _raw_mean(path: Path, first: int, last: int) -> float:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT avg(bytes) FROM (SELECT bytes FROM checks WHERE outcome = 'new' ORDER BY id"
                            " LIMIT ? OFFSET ?)", [last - first, first]).fetchone()[0] or 0.0
    finally:
        conn.close()


def _wait(cond, daemon, timeout: float, what: str, err: Path):
    t = time.monotonic()
    while True:
        got = cond()
        if got:
            return got
        if daemon.poll() is not None:
            raise RuntimeError(f"the daemon exited ({daemon.returncode}) while {what}:\n"
                               f"{err.read_text(errors='replace')[-3000:]}")
        if time.monotonic() - t > timeout:
            raise RuntimeError(f"timed out after {timeout:.0f} s while {what}:\n"
                               f"{err.read_text(errors='replace')[-2000:]}")
        time.sleep(0.25)


def _delta(a: dict, b: dict) -> dict:
    keys = set(a["outcomes"]) | set(b["outcomes"])
    return {k: b["outcomes"].get(k, 0) - a["outcomes"].get(k, 0) for k in keys if b["outcomes"].get(k, 0) -
            a["outcomes"].get(k, 0)}


def run(rounds: int = 10, pages: int = 2000, idle: bool = True, echo=None, round_timeout: float | None = None) -> dict:
    echo = echo or (lambda s: None)
    round_timeout = round_timeout or max(300.0, pages * 1.0)
    with tempfile.TemporaryDirectory(prefix="marsad-soak-") as d, \
            ServerProcess(pages, "--per-fetch", "--percent", "0", "--revise-from", "2") as srv:
        tmp = Path(d)
        db, cfg = tmp / "soak.db", tmp / "soak.toml"
        cfg.write_text(config_text(srv.sitemap, pages))
        out, err = tmp / "daemon.out", tmp / "daemon.err"
        t0 = time.monotonic()
        with open(out, "wb") as fo, open(err, "wb") as fe:
            daemon = subprocess.Popen([sys.executable, "-m", "scheduler.cli", "--config", str(cfg), "--db", str(db),
                                       "daemon", "--log-level", "WARNING"], cwd=ROOT, env=_env(), stdout=fo, stderr=fe)
        samples = []
        try:
            discovered = _wait(lambda: db.exists() and _safe_state(db, lambda s: s["articles"] >= pages),
                               daemon, 120, "discovering the sitemap", err)
            samples.append({"round": 0, "t": time.monotonic() - t0, **discovered,
                            "rss_kb": measure.status_kb(daemon.pid), "tree_rss_kb": measure.tree_rss_kb(daemon.pid)})
            echo(f"discovered {discovered['articles']} articles ({discovered['checks']} checks already)")
            for r in range(1, rounds + 1):
                _wait(lambda: _safe(lambda: _behind(db, r) == 0), daemon, round_timeout, f"waiting for round {r}", err)
                st = _db_state(db)
                s = {"round": r, "t": time.monotonic() - t0, **st, "rss_kb": measure.status_kb(daemon.pid),
                     "tree_rss_kb": measure.tree_rss_kb(daemon.pid), "hwm_kb": measure.status_kb(daemon.pid, "VmHWM")}
                if r == QUIET_ROUNDS + 1:
                    srv.control("set", percent=PERCENT)         # from now on, 5% of fetches revise the page
                s["outcomes_delta"] = _delta(samples[-1], s)
                s["seconds"] = s["t"] - samples[-1]["t"]
                samples.append(s)
                echo(f"round {r}: {s['checks']} checks, RSS {s['rss_kb'] / 1024:.0f} MiB"
                     f" (tree {s['tree_rss_kb'] / 1024:.0f} MiB), database {s['bytes'] / 1e6:.1f} MB,"
                     f" {sum(s['outcomes_delta'].values()) / s['seconds']:.1f} checks/s, {s['outcomes_delta']}")
        finally:
            if daemon.poll() is None:
                daemon.send_signal(signal.SIGTERM)
                try:
                    daemon.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    daemon.kill()
                    daemon.wait()
        raw = _raw_mean(db, 0, pages)
        idle_kb = None
        if idle:
            from .daemon import idle_rss
            echo("idle daemon with 100,000 tracked articles (bench/daemon.py)...")
            idle_kb, bare_kb = idle_rss(tmp, datetime.now(timezone.utc).replace(microsecond=0))
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "pages": pages, "rounds": rounds,
            "machine": measure.machine(), "samples": samples, "raw_html_mean": raw,
            "storage": _storage(samples, raw), "idle_rss_kb": idle_kb,
            "idle_bare_kb": bare_kb if idle else None}


def _safe(fn):
    try:
        return fn()
    except sqlite3.Error:
        return None


def _safe_state(db: Path, cond):
    try:
        s = _db_state(db)
    except sqlite3.Error:
        return None
    return s if cond(s) else None


def _storage(samples: list[dict], raw: float) -> dict:
    """Database bytes per unchanged check (the quiet rounds: only unchanged checks), per new version
    (round 1, its early re-checks' share taken off) and per changed version (the revising rounds, their
    unchanged checks' share taken off), from the live database's growth between round ends."""
    out = {}

    def unchanged(o):
        return sum(o.values()) - o.get("changed", 0) - o.get("new", 0)

    q = min(QUIET_ROUNDS + 1, len(samples) - 1)
    if q >= 2:
        quiet = [x["outcomes_delta"] for x in samples[2:q + 1]]
        n = sum(unchanged(o) for o in quiet)
        out["per_unchanged_check"] = (samples[q]["bytes"] - samples[1]["bytes"]) / max(n, 1)
        out["unchanged_checks"] = n
        out["quiet_changed"] = sum(o.get("changed", 0) + o.get("new", 0) for o in quiet)
    u = out.get("per_unchanged_check", 0)
    if len(samples) > 1:
        o = samples[1]["outcomes_delta"]
        d = samples[1]["bytes"] - samples[0]["bytes"] - u * unchanged(o)
        out["per_new_version"] = d / max(o.get("new", 0), 1)
        out["new_version_share_of_raw"] = out["per_new_version"] / raw if raw else None
    if len(samples) > q + 1:
        rest = [x["outcomes_delta"] for x in samples[q + 1:]]
        changed = sum(o.get("changed", 0) for o in rest)
        if changed:
            d = samples[-1]["bytes"] - samples[q]["bytes"] - u * sum(unchanged(o) for o in rest)
            out["per_changed_version"] = d / changed
            out["changed_versions"] = changed
    return out


def report(res: dict) -> str:
    m, s = res["machine"], res["samples"]
    lines = [f"{res['pages']:,} pages × {res['rounds']} rounds, {res['date']}, {m['nproc']} cores ({m['cpu']})", "",
             "| round | checks | outcomes this round | checks/s | daemon RSS | process tree RSS | database |",
             "|---|---|---|---|---|---|---|"]
    for x in s[1:]:
        outc = ", ".join(f"{v} {k}" for k, v in sorted(x["outcomes_delta"].items(), key=lambda kv: -kv[1]))
        rate = sum(x["outcomes_delta"].values()) / x["seconds"]
        lines.append(f"| {x['round']} | {x['checks']:,} | {outc} | {rate:.1f} | "
                     f"{x['rss_kb'] / 1024:.0f} MiB | {x['tree_rss_kb'] / 1024:.0f} MiB | {x['bytes'] / 1e6:.1f} MB |")
    if len(s) > 2:
        lines.append("")
        for key, what in (("rss_kb", "daemon"), ("tree_rss_kb", "daemon and its workers")):
            a, b = s[1][key], s[-1][key]
            lines.append(f"RSS ({what}) after round 1: {a / 1024:.0f} MiB; after round {s[-1]['round']}: "
                         f"{b / 1024:.0f} MiB ({(b - a) / a * 100:+.1f}%; target: within 10%)")
    st = res["storage"]
    if "per_new_version" in st:
        lines.append(f"database per new version: {st['per_new_version'] / 1000:.1f} KB, its raw HTML "
                     f"{res['raw_html_mean'] / 1000:.1f} KB ({st['new_version_share_of_raw'] * 100:.0f}%;"
                     " target ≤ 40%)")
    if "per_unchanged_check" in st:
        lines.append(f"database per unchanged check: {st['per_unchanged_check']:.0f} bytes "
                     f"({st['unchanged_checks']:,} unchanged checks in the quiet rounds 2-{QUIET_ROUNDS + 1}"
                     + (f", and {st['quiet_changed']} new/changed there, not expected" if st['quiet_changed'] else "")
                     + "; target ≤ 200)")
    if "per_changed_version" in st:
        lines.append(f"database per changed version: {st['per_changed_version'] / 1000:.1f} KB "
                     f"({st['changed_versions']} changed versions from round {QUIET_ROUNDS + 2} on)")
    if res.get("idle_rss_kb"):
        lines.append(f"idle daemon RSS with 100,000 tracked articles: {res['idle_rss_kb'] / 1024:.0f} MiB (bare Python"
                     f" importing the same libraries: {res['idle_bare_kb'] / 1024:.0f} MiB; target ≤ 150 MB)")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="marsad bench soak")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-idle", action="store_true", help="skip the idle-RSS measurement at 100,000 articles")
    a = ap.parse_args(argv)
    try:
        res = run(a.rounds, a.pages, idle=not a.no_idle, echo=lambda s: print(s, file=sys.stderr, flush=True))
    except CorporaMissing as e:
        print(f"skipped: {e}")
        return 0
    print(json.dumps(res, indent=1) if a.json else report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
