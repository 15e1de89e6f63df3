"""The peers on marsad's pages: urlwatch and changedetection.io check the same N local pages.

    bench/peers/run.sh [N]        (installs the peers into their own venvs, then runs this)
    python -m bench.peers.peers --pages N --urlwatch BIN --changedetection BIN [--json FILE]

Each tool gets a fresh page server (bench/pageserver.py, the same N corpus pages marsad's benchmark
uses), checks every page once (the first check: all new), then the server revises 5% of the pages and the
tool checks every page again (the re-check: 95% byte-identical; no ETag, so no 304s). marsad is measured
the same way in the same run by bench/throughput.py (its first crawl and its 5%-revised recrawl rows).

urlwatch (a command that runs every job and exits) is timed as a process: wall and CPU, less an empty run
(no jobs: interpreter and imports), like marsad's start-up run.
changedetection.io (a server) is started once with an empty datastore; watches are added with one call of
its import API, and re-checked with `GET /api/v1/watch?recheck_all=1`. A phase ends when every watch has
a check time at or after the phase's start, its queue is empty, and its processes have gone idle (CPU
below 10% of a core for a second: the last checks finished); CPU is its process tree's over the phase.

No request leaves the machine: run.sh runs this in a network namespace with only loopback, when it can;
and here, changedetection.io is started with an empty datastore and one loopback watch on the command line
(`-u`, so it creates none of its default watches of outside sites), DISABLE_VERSION_CHECK=true (no
online version check), ALLOW_IANA_RESTRICTED_ADDRESSES=true (so it may fetch 127.0.0.1), and its watch
list is checked to hold loopback URLs only, before and after.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from bench import measure
from bench.pageserver import ServerProcess

PERCENT = 5.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _loopback_only(urls) -> bool:
    return all(u.startswith("http://127.") for u in urls)


# -- urlwatch -----------------------------------------------------------------------------------------------
def run_urlwatch(binary: str, pages: int, work: Path, echo) -> dict:
    d = work / "urlwatch"
    (d / "home").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(d / "home"), "XDG_CONFIG_HOME": str(d / "home"),
           "XDG_CACHE_HOME": str(d / "home")}
    with ServerProcess(pages, "--percent", str(PERCENT)) as srv:
        urls = srv.urls()
        assert _loopback_only(urls)
        (d / "urls.yaml").write_text("---\n".join(f"name: a{i}\nurl: {u}\n" for i, u in enumerate(urls)))
        base = [binary, "--config", d / "urlwatch.yaml", "--cache", d / "cache.db", "--hooks", d / "hooks.py"]
        empty = measure.run(base + ["--urls", d / "none.yaml"], env=env, out_dir=d)     # writes its default config
        out = {"startup_wall": empty.wall, "startup_cpu": empty.cpu}
        for phase in ("first", "recheck"):
            if phase == "recheck":
                srv.control("advance", revise=PERCENT, furniture=0)
            srv.control("stats", reset=1)
            r = measure.run(base + ["--urls", d / "urls.yaml"], env=env, out_dir=d)
            served = srv.control("stats")["by_status"]
            if r.returncode != 0:
                raise RuntimeError(f"urlwatch exited {r.returncode}: {r.stderr[-2000:]}")
            secs = max(r.wall - empty.wall, 1e-3)
            out[phase] = {"checks": pages, "wall": r.wall, "seconds": secs, "cpu": r.cpu,
                          "checks_per_s": pages / secs, "cpu_ms_per_check": max(r.cpu - empty.cpu, 0) * 1000 / pages,
                          "rss_kb": r.peak_rss_kb, "served": served}
            echo(f"urlwatch {phase}: {out[phase]['checks_per_s']:.1f} checks/s, "
                 f"{out[phase]['cpu_ms_per_check']:.1f} CPU ms/check, server {served}")
    return out


# -- changedetection.io -------------------------------------------------------------------------------------
class ChangeDetection:
    def __init__(self, binary: str, work: Path, first_url: str):
        self.dir = work / "changedetection"
        self.store = self.dir / "datastore"
        self.store.mkdir(parents=True, exist_ok=True)
        assert not any(self.store.iterdir()), "the datastore must start empty"
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DISABLE_VERSION_CHECK": "true", "ALLOW_IANA_RESTRICTED_ADDRESSES": "true",
               "BASE_URL": self.base + "/", "HOME": str(self.dir), "LOGGER_LEVEL": "WARNING"}
        self.log = open(self.dir / "server.log", "wb")
        self.proc = subprocess.Popen([binary, "-h", "127.0.0.1", "-p", str(self.port), "-d", str(self.store),
                                      "-u", first_url], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.key = None

    def _token(self) -> str | None:
        for name in ("changedetection.json", "url-watches.json"):
            p = self.store / name
            if p.exists():
                try:
                    return json.loads(p.read_text())["settings"]["application"]["api_access_token"]
                except (ValueError, KeyError):
                    return None
        return None

    def call(self, path: str, data: bytes | None = None, ctype: str = "text/plain"):
        req = Request(self.base + path, data=data, headers={"x-api-key": self.key or "", "Content-Type": ctype})
        with urlopen(req, timeout=60) as r:
            return json.loads(r.read() or b"null")

    def watches(self, patience: float = 120) -> dict:
        """The watch list; while an import is still adding watches the API answers 500: retry."""
        t = time.monotonic()
        while True:
            try:
                return self.call("/api/v1/watch")
            except HTTPError as e:
                if e.code != 500 or time.monotonic() - t > patience:
                    raise
            except URLError:
                if time.monotonic() - t > patience:
                    raise
            time.sleep(0.5)

    def start(self, patience: float = 120) -> dict:
        t = time.monotonic()
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"changedetection.io exited {self.proc.returncode}: "
                                   f"{(self.dir / 'server.log').read_text(errors='replace')[-2000:]}")
            self.key = self.key or self._token()
            if self.key:
                try:
                    return self.call("/api/v1/watch")
                except (HTTPError, URLError, ConnectionError):
                    pass
            if time.monotonic() - t > patience:
                raise RuntimeError("changedetection.io did not answer its API in time")
            time.sleep(0.5)

    def wait_checked(self, since: float, count: int, pid_cpu_start: float, echo, patience: float = 3600) -> dict:
        """Until `count` watches have last_checked >= since, the queue is empty and the processes are idle."""
        t0 = time.monotonic()
        self._said = 1
        peak = 0
        last_busy, last_cpu, last_t = time.time(), pid_cpu_start, time.time()
        done_at = None
        while True:
            time.sleep(1.0)
            now, cpu = time.time(), measure.tree_cpu(self.proc.pid)
            peak = max(peak, measure.tree_rss_kb(self.proc.pid))
            busy = (cpu - last_cpu) / max(now - last_t, 1e-3) > 0.10
            last_cpu, last_t = cpu, now
            if busy:
                last_busy = now
            w = self.watches()
            checked = sum(1 for v in w.values() if (v.get("last_checked") or 0) >= int(since))
            queue = self.call("/api/v1/systeminfo").get("queue_size", 0)
            if checked >= count and queue == 0:
                done_at = done_at or now
                if not busy:
                    return {"end": max(last_busy, done_at), "cpu": cpu, "rss_kb": peak, "watches": w}
            if time.monotonic() - t0 > patience:
                raise RuntimeError(f"changedetection.io checked {checked} of {count} in {patience:.0f} s")
            if time.monotonic() - t0 > 15 * getattr(self, "_said", 1):
                self._said = getattr(self, "_said", 1) + 1
                echo(f"  changedetection.io: {checked}/{count} checked, queue {queue}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def run_changedetection(binary: str, pages: int, work: Path, echo) -> dict:
    with ServerProcess(pages, "--percent", str(PERCENT)) as srv:
        urls = srv.urls()
        cd = ChangeDetection(binary, work, urls[0])
        try:
            initial = cd.start()
            listed = [v["url"] for v in initial.values()]
            if listed != [urls[0]]:
                raise RuntimeError(f"changedetection.io started with watches other than our loopback one: {listed}")
            echo(f"changedetection.io up at {cd.base} with 1 loopback watch (no default watches)")
            while not all((v.get("last_checked") or 0) > 0 for v in cd.watches().values()):
                time.sleep(0.5)                 # the -u watch is checked at start; let that finish first
            time.sleep(2)
            out = {}
            # first check: the other N-1 pages, imported in one call
            srv.control("stats", reset=1)
            cpu0, t0 = measure.tree_cpu(cd.proc.pid), time.time()
            cd.call("/api/v1/import", "\n".join(urls[1:]).encode())
            res = cd.wait_checked(t0, pages - 1, cpu0, echo)
            out["first"] = _cd_phase(pages - 1, t0, cpu0, res, srv.control("stats")["by_status"])
            echo(f"changedetection.io first: {out['first']['checks_per_s']:.1f} checks/s, "
                 f"{out['first']['cpu_ms_per_check']:.1f} CPU ms/check, server {out['first']['served']}")
            # re-check: every page, 5% revised
            srv.control("advance", revise=PERCENT, furniture=0)
            time.sleep(1.1)
            srv.control("stats", reset=1)
            cpu0, t0 = measure.tree_cpu(cd.proc.pid), time.time()
            cd.call("/api/v1/watch?recheck_all=1")
            res = cd.wait_checked(t0, pages, cpu0, echo)
            out["recheck"] = _cd_phase(pages, t0, cpu0, res, srv.control("stats")["by_status"])
            echo(f"changedetection.io recheck: {out['recheck']['checks_per_s']:.1f} checks/s, "
                 f"{out['recheck']['cpu_ms_per_check']:.1f} CPU ms/check, server {out['recheck']['served']}")
            final = [v["url"] for v in cd.watches().values()]
            out["watches"] = len(final)
            out["loopback_only"] = _loopback_only(final)
            if not out["loopback_only"]:
                raise RuntimeError("changedetection.io holds a watch outside 127.0.0.1")
            out["version"] = _cd_version(cd)
        finally:
            cd.stop()
    return out


def _cd_version(cd) -> str | None:
    try:
        return cd.call("/api/v1/systeminfo").get("version")
    except Exception:
        return None


def _cd_phase(n: int, t0: float, cpu0: float, res: dict, served: dict) -> dict:
    secs = max(res["end"] - t0, 1e-3)
    errors = sum(1 for v in res["watches"].values() if v.get("last_error"))
    return {"checks": n, "seconds": secs, "checks_per_s": n / secs, "cpu": res["cpu"] - cpu0,
            "cpu_ms_per_check": (res["cpu"] - cpu0) * 1000 / n, "rss_kb": res["rss_kb"], "served": served,
            "errors": errors}


# -- marsad, same run ---------------------------------------------------------------------------------------
def run_marsad(pages: int, echo) -> dict:
    from bench.throughput import run
    res = run(pages, echo=lambda s: echo("  marsad bench: " + s))
    rows = {r["key"]: r for r in res["rows"]}
    return {"first": rows.get("first"), "recheck": rows.get("identical"), "plain": rows.get("plain"),
            "rows": res["rows"], "notes": res["notes"]}


def report(res: dict) -> str:
    n = res["pages"]
    lines = [f"{n} pages, {res['date']}, {res['machine']['nproc']} cores ({res['machine']['cpu']}); "
             f"network namespace with loopback only: {res['isolated']}"
             + (f"; load average {res['load_before'][0]:.1f} before / {res['load_after'][0]:.1f} after"
                if res.get("load_after") else ""), "",
             "| tool | first check: checks/s | CPU ms/check | checks per CPU s | re-check (5% revised): checks/s "
             "| CPU ms/check | checks per CPU s |", "|---|---|---|---|---|---|---|"]

    def cells(rate, ms):
        return f"{rate:.1f} | {ms:.1f} | {1000 / ms if ms else float('inf'):.0f}"

    m = res.get("marsad") or {}
    if m.get("first") and m.get("recheck"):
        lines.append(f"| marsad (crawl --once) | {cells(m['first']['pages_per_s'], m['first']['cpu_ms_per_page'])} | "
                     f"{cells(m['recheck']['pages_per_s'], m['recheck']['cpu_ms_per_page'])} |")
    for key, name in (("urlwatch", "urlwatch"), ("changedetection", "changedetection.io")):
        v = res.get(key)
        if isinstance(v, dict) and "first" in v:
            label = name + (f" {v['version']}" if v.get("version") else "")
            lines.append(f"| {label} | {cells(v['first']['checks_per_s'], v['first']['cpu_ms_per_check'])} | "
                         f"{cells(v['recheck']['checks_per_s'], v['recheck']['cpu_ms_per_check'])} |")
        elif v:
            lines.append(f"| {name} | not run: {v} | | | | | |")
    if m.get("plain"):
        lines.append(f"| plain Scrapy, fetch only (reference) | "
                     f"{cells(m['plain']['pages_per_s'], m['plain']['cpu_ms_per_page'])} | | | |")
    return "\n".join(lines)


def main(argv=None) -> int:
    from datetime import datetime, timezone
    ap = argparse.ArgumentParser(prog="python -m bench.peers.peers")
    ap.add_argument("--pages", type=int, default=500)
    ap.add_argument("--urlwatch")
    ap.add_argument("--changedetection")
    ap.add_argument("--changedetection-missing", help="why changedetection.io is not run (printed in the report)")
    ap.add_argument("--no-marsad", action="store_true")
    ap.add_argument("--work", required=True)
    ap.add_argument("--json")
    ap.add_argument("--isolated", default="no")
    a = ap.parse_args(argv)
    work = Path(a.work)
    echo = lambda s: print(s, file=sys.stderr, flush=True)     # noqa: E731
    res = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "pages": a.pages,
           "machine": measure.machine(), "isolated": a.isolated, "load_before": os.getloadavg()}
    if a.urlwatch:
        res["urlwatch"] = run_urlwatch(a.urlwatch, a.pages, work, echo)
        v = subprocess.run([a.urlwatch, "--version"], capture_output=True, text=True).stdout.split()
        res["urlwatch"]["version"] = v[-1] if v else None
    if a.changedetection:
        res["changedetection"] = run_changedetection(a.changedetection, a.pages, work, echo)
    elif a.changedetection_missing:
        res["changedetection"] = a.changedetection_missing
    if not a.no_marsad:
        res["marsad"] = run_marsad(a.pages, echo)
    res["load_after"] = os.getloadavg()
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=1))
    print(report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
