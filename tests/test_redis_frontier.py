"""The Redis frontier for real: Debian's redis-server on a private loopback port, the coordinator and
two workers as separate `marsad` processes, two outlets on two loopback hosts that record every
request. A worker is killed mid-batch (SIGKILL) and so is the coordinator once; every due article is
still checked, nothing is recorded twice, and the hosts' politeness holds across both workers.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import ROOT
from .readonly import query

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (apt-get install redis-server)")

ARTICLES = 10            # per host
HOSTS = ("127.0.0.1", "127.0.0.2")
PER_HOST = 2             # [politeness] per_domain_concurrency
DELAY = 0.4              # [politeness] delay_seconds
SLOW = 0.3               # seconds each article response takes: requests are in flight when a worker dies


@contextlib.contextmanager
def redis_server(tmp_path):
    """The benchmark's redis-server (bench/scaling.py): 127.0.0.1, a free port, no persistence."""
    from bench.scaling import redis_server as start_redis
    with start_redis(tmp_path / "redis") as (url, _):
        yield url


def redis_cmd(url: str, *args):
    import redis
    return redis.Redis.from_url(url).execute_command(*args)


class Outlet:
    """One news host on a loopback address: a feed of ARTICLES stories, each page revised when
    `revision` moves; every article request is recorded as (start, end) of its handling."""

    def __init__(self, host: str):
        self.host, self.revision, self.lock = host, 1, threading.Lock()
        self.times: list[tuple[float, float, str]] = []
        self.robots = 0
        outlet = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                t0 = time.monotonic()
                if self.path == "/robots.txt":
                    outlet.robots += 1
                status, ctype, body = outlet.page(self.path)
                if self.path.startswith("/news/"):
                    time.sleep(SLOW)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if self.path.startswith("/news/"):
                    with outlet.lock:
                        outlet.times.append((t0, time.monotonic(), self.path))

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{host}:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, i: int) -> str:
        return f"{self.base}/news/2026/12/02/story-{i}/"

    def page(self, path: str):
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if path == "/feed/":
            items = "".join(f"<item><title>Story {i}</title><link>{self.url(i)}</link></item>" for i in range(ARTICLES))
            return 200, "application/rss+xml", (f'<?xml version="1.0"?><rss version="2.0"><channel><title>'
                                                f"{self.host}</title>{items}</channel></rss>").encode()
        if path.startswith("/news/2026/12/02/story-"):
            i = int(path.rstrip("/").rsplit("-", 1)[1])
            killed = 10 + i + 7 * (self.revision - 1)
            return 200, "text/html; charset=utf-8", (
                f"<!doctype html><html lang='en'><head><title>Strike on depot {i}</title>"
                f"<meta property='article:published_time' content='2026-12-02T08:00:00Z'></head><body><article>"
                f"<h1>Strike on depot {i}</h1><p>At least {killed} people were killed in a strike on a fuel depot "
                f"in the north of the country on Wednesday, the civil defence said in a statement.</p>"
                f"<p>Rescue teams were still searching the rubble for survivors, a spokesman for the civil "
                f"defence told reporters at the scene in the afternoon.</p></article></body></html>").encode()
        return 404, "text/plain", b"not found"

    def max_overlap(self) -> int:
        events = sorted([(a, 1) for a, _, _ in self.times] + [(b, -1) for _, b, _ in self.times])
        now = peak = 0
        for _, d in events:
            now += d
            peak = max(peak, now)
        return peak

    def min_gap(self) -> float:
        starts = sorted(a for a, _, _ in self.times)
        return min((b - a for a, b in zip(starts, starts[1:])), default=float("inf"))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def write_config(tmp_path, outlets, redis_url) -> str:
    cfg = tmp_path / "marsad.toml"
    sites = "".join(f'[[sites]]\nname = "{o.host}"\nfeeds = ["{o.base}/feed/"]\narticle_pattern = "/news/"\n'
                    for o in outlets)
    cfg.write_text(
        "[politeness]\nallow_private_addresses = true\nretries = 0\nautothrottle = false\n"
        f"per_domain_concurrency = {PER_HOST}\ndelay_seconds = {DELAY}\n"
        '[schedule]\ntick = "1s"\ndiscovery_every = "3s"\nrevisit = [["1h", "2s"]]\n'
        '[pipeline]\nworkers = 0\nwrite_batch = 5\nwrite_batch_ms = 200\n'
        f'[redis]\nurl = "{redis_url}"\nvisibility = "2s"\nqueue_depth = 40\nworker_requests = 6\n'
        '[smtp]\nhost = "127.0.0.1"\nport = 9\n[[alerts]]\nto = ["desk@newsroom.example"]\n' + sites)
    return str(cfg)


def start(cfg, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARSAD_")}
    return subprocess.Popen([sys.executable, "-m", "scheduler.cli", "--config", cfg, *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for(pred, timeout, procs=()):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        for p in procs:
            if p.poll() is not None:
                raise AssertionError(f"a marsad process exited early ({p.returncode}):\n{p.stderr.read()}")
        time.sleep(0.1)
    raise AssertionError("timed out")


def held_by(url, proc) -> int:
    """Leases the worker process holds now (the frontier's `owner` hash: token -> "host:pid")."""
    return sum(v.decode().endswith(f":{proc.pid}") for v in redis_cmd(url, "HVALS", "marsad:owner"))


def articles_with(db, n) -> int:
    return query(db, f"SELECT count(*) FROM articles WHERE version_count >= {n}")[0][0] if query(
        db, "SELECT 1 FROM articles LIMIT 1") else 0


@pytest.fixture
def outlets():
    made = [Outlet(h) for h in HOSTS]
    yield made
    for o in made:
        o.close()


def test_coordinator_and_two_workers_survive_kills_and_record_each_check_once(tmp_path, outlets):
    db = tmp_path / "marsad.db"
    total = ARTICLES * len(HOSTS)
    procs = []
    with redis_server(tmp_path) as url:
        cfg = write_config(tmp_path, outlets, url)
        try:
            coord = start(cfg, "--db", str(db), "daemon")
            a, b = start(cfg, "worker"), start(cfg, "worker")
            procs += [coord, a, b]
            # worker A dies with requests in hand (each article answer takes SLOW seconds)
            wait_for(lambda: sum(len(o.times) for o in outlets) >= 4 and held_by(url, a), 60, [coord, a, b])
            robots_early = {o.host: o.robots for o in outlets}   # the coordinator's and the workers' one fetch
            a.kill()
            a.wait(timeout=10)
            assert held_by(url, a)                    # its leases are out, nobody renews them
            # the coordinator dies once, with checks recorded and others still out
            wait_for(lambda: articles_with(db, 1) >= total // 3, 60, [coord, b])
            coord.kill()
            coord.wait(timeout=10)
            assert articles_with(db, 1) < total
            logs = coord.stderr.read()
            coord = start(cfg, "--db", str(db), "daemon")
            procs.append(coord)
            wait_for(lambda: articles_with(db, 1) == total, 60, [coord, b])
            for o in outlets:
                o.revision = 2                         # every story's toll rises: one new version each
            wait_for(lambda: articles_with(db, 2) == total, 60, [coord, b])

            # a result delivered again after it was recorded (what a restart between commit and
            # acknowledgement does) is skipped: no second check, version or alert
            key, at = query(db, "SELECT key, at FROM applied_results ORDER BY at DESC LIMIT 1")[0]
            art = int(key.split(":")[0])
            aurl = query(db, f"SELECT url FROM articles WHERE id = {art}")[0][0]
            fake = {"key": key, "url": aurl, "fetched_at": at, "status": 200, "etag": None, "last_modified": None,
                    "bytes": 100, "ms": 1, "error": None, "site": None, "final_url": aurl, "retry_after": None,
                    "raw_hash": "0" * 32, "analysis": {
                        "outcome": "changed", "article": {"url": aurl, "title": "Forged", "text": "99 were killed."},
                        "content_hash": "f" * 32, "changes": [], "alert": True, "reason": None, "summary": "x",
                        "summary_ar": "x", "base_hash": None, "fingerprint": None}}
            redis_cmd(url, "HSET", "marsad:result", key, json.dumps(fake))
            redis_cmd(url, "LPUSH", "marsad:results", key)
            wait_for(lambda: int(redis_cmd(url, "LLEN", "marsad:draining")) == 0
                     and int(redis_cmd(url, "LLEN", "marsad:results")) == 0, 30, [coord, b])
            assert query(db, f"SELECT count(*) FROM versions WHERE article_id = {art}")[0][0] == 2
            assert query(db, "SELECT count(*) FROM versions WHERE title = 'Forged'")[0][0] == 0
            # Redis loses everything (restarted without persistence): what the coordinator had out is
            # noticed as lost and due again, so every article is checked again
            mark = query(db, "SELECT max(id) FROM checks")[0][0]
            # flushed while the coordinator has requests out (atomically: a flush between two checks would
            # find nothing in flight, and nothing to notice)
            # The worker is stopped meanwhile: it cannot deliver what it held, so what was out is lost for
            # certain, and the coordinator's audit (every 2 x visibility here) has to notice.
            flush = ("if redis.call('HLEN', KEYS[1]) > 0 then redis.call('FLUSHALL') return 1 end return 0")
            robots_before = {o.host: o.robots for o in outlets}
            b.send_signal(signal.SIGSTOP)
            try:
                wait_for(lambda: redis_cmd(url, "EVAL", flush, 1, "marsad:dispatched") == 1, 60, [coord])
                time.sleep(2 * 2 + 2)                  # one audit period (visibility 2s) and a margin
            finally:
                b.send_signal(signal.SIGCONT)
            wait_for(lambda: query(db, f"SELECT count(DISTINCT article_id) FROM checks WHERE id > {mark}")[0][0]
                     == total, 60, [coord, b])
            time.sleep(1.0)
            coord.send_signal(signal.SIGTERM)
            b.send_signal(signal.SIGTERM)
            assert coord.wait(timeout=30) == 0 and b.wait(timeout=30) == 0
            logs += coord.stderr.read()
            assert int(redis_cmd(url, "LLEN", "marsad:draining")) == 0     # a clean stop acknowledged its last batch
        finally:
            for p in procs:
                if p.poll() is None:
                    p.kill()
                    p.wait(timeout=10)
    assert "resumed from Redis" in logs                # the restarted coordinator took up what was out
    assert "queued again" in logs                      # the killed worker's leases expired and were re-queued
    assert "gone from Redis" in logs                   # the flush was noticed
    # every article: exactly two versions (n = 1, 2), one change of its toll, alerts once per version
    assert query(db, "SELECT count(*) FROM articles")[0][0] == total
    assert query(db, "SELECT article_id, count(*), group_concat(n) FROM versions GROUP BY article_id"
                     " HAVING count(*) != 2 OR group_concat(n) != '1,2'") == []
    assert query(db, "SELECT count(*) FROM changes WHERE kind = 'figure_changed'")[0][0] == total
    assert query(db, "SELECT version_id, recipient, count(*) FROM alerts GROUP BY version_id, recipient"
                     " HAVING count(*) > 1") == []
    assert query(db, "SELECT count(*) FROM alerts")[0][0] == total
    # each recorded check came from one dispatch, recorded once
    checks = query(db, "SELECT count(*) FROM checks")[0][0]
    assert checks == query(db, "SELECT count(*) FROM applied_results")[0][0]
    # politeness across both workers: never more than PER_HOST requests at a host at once, and starts
    # spaced by the host's delay (half of it as slack for the path from permit to server on a busy machine)
    for o in outlets:
        assert o.times, o.host
        assert o.max_overlap() <= PER_HOST, (o.host, o.max_overlap())
        assert o.min_gap() >= DELAY * 0.5, (o.host, o.min_gap())
        # robots.txt: the coordinator's discovery once, the two workers once between them (shared in
        # Redis), before any kill; later at most one more per event: the restarted coordinator, a fetch
        # the killed worker left unshared, and the flush that emptied Redis
        assert robots_early[o.host] <= 2, (o.host, robots_early[o.host])
        assert robots_before[o.host] <= robots_early[o.host] + 2, (o.host, robots_early[o.host], robots_before[o.host])
        assert o.robots <= robots_before[o.host] + 1, (o.host, robots_before[o.host], o.robots)


def test_an_expired_lease_is_queued_again_at_the_front_and_a_renewed_one_is_not(tmp_path):
    import asyncio

    from crawler.frontier import Frontier, connect, decode_request, encode_request, new_token

    async def scenario(url):
        f = Frontier(connect(url))
        items = [(f"http://h.example/{i}", new_token()) for i in range(3)]
        await f.dispatch([(u, tok, encode_request({"url": u}, i, None, tok)) for i, (u, tok) in enumerate(items)])
        held = [decode_request(raw) for raw in await f.take(2, visibility_ms=300)]     # FIFO: 0 then 1
        assert [t["url"] for t in held] == [items[0][0], items[1][0]]
        for _ in range(4):                                     # a live worker renews 1's lease, not 0's
            await asyncio.sleep(0.15)
            await f.renew([held[1]["token"]], 300)
            await f.reclaim()
        again = [decode_request(raw) for raw in await f.take(3, visibility_ms=300)]
        assert [t["url"] for t in again] == [items[0][0], items[2][0]]     # 0 back, ahead of 2
        assert again[0]["token"] == held[0]["token"]           # the same dispatch: the same idempotency key
        await f.complete(held[1]["token"], "1:" + held[1]["token"], b"{}")
        assert await f.drain(10) == [("1:" + held[1]["token"], b"{}")]
        assert await f.undrained() == [("1:" + held[1]["token"], b"{}")]     # until acknowledged
        await f.ack([("1:" + held[1]["token"], items[1][0], held[1]["token"])])
        assert await f.undrained() == []
        assert set(await f.dispatched()) == {items[0][0], items[2][0]}      # 1 is answered, 0 and 2 are out
        await f.r.aclose()

    with redis_server(tmp_path) as url:
        asyncio.run(scenario(url))


def test_workers_take_round_robin_across_hosts_and_never_past_a_hosts_cap(tmp_path):
    import asyncio

    from crawler.frontier import Frontier, connect, decode_request, encode_request, new_token

    async def scenario(url):
        f = Frontier(connect(url))
        reqs = [f"http://a.example/{i}" for i in range(5)] + [f"http://b.example/{i}" for i in range(2)]
        toks = [new_token() for _ in reqs]
        await f.dispatch([(u, t, encode_request({"url": u}, i, None, t)) for i, (u, t) in enumerate(zip(reqs, toks))])
        got = [decode_request(raw) for raw in await f.take(6, 5000, cap=2)]
        assert [t["url"] for t in got] == ["http://a.example/0", "http://b.example/0", "http://a.example/1",
                                           "http://b.example/1"]          # a busy host does not crowd out b
        assert await f.take(6, 5000, cap=2) == []                          # a.example has 2 out: its cap
        await f.complete(got[0]["token"], "0:" + got[0]["token"], b"{}")
        assert [decode_request(r)["url"] for r in await f.take(6, 5000, cap=2)] == ["http://a.example/2"]
        assert (await f.depth())["queued"] == 2
        await f.r.aclose()

    with redis_server(tmp_path) as url:
        asyncio.run(scenario(url))


@pytest.mark.parametrize("args, says", [(["worker", "--redis", "http://127.0.0.1:1/"], "is not a Redis URL"),
                                        (["worker", "--redis", "redis://127.0.0.1:1/0"], "cannot reach Redis"),
                                        (["daemon", "--redis", "redis://127.0.0.1:1/0"], "cannot reach Redis")])
def test_a_worker_or_coordinator_without_a_usable_redis_says_so_in_one_line(marsad, tmp_path, args, says):
    proc = marsad("--db", tmp_path / "m.db", *args, check=False, timeout=60)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert says in proc.stderr and proc.stderr.count("Error:") == 1


def test_the_scaling_benchmark_runs_end_to_end_on_a_few_pages():
    """bench/scaling.py on 40 corpus pages and one worker: the phases see what the page server did."""
    from bench.pageserver import CorporaMissing
    from bench.scaling import report, run
    try:
        res = run(pages=40, workers=(1,), writer_results=50)
    except CorporaMissing as e:
        pytest.skip(f"../shared/corpora is not there: {e}")
    r = res["runs"][0]
    assert r["first"]["outcomes"] == {"new": 40}
    assert r["recrawl"]["outcomes"] == {"changed": 2, "unchanged": 38}       # 5% revised, furniture on all
    assert r["first"]["worker_cpu_ms"] > 0 and res["writer"]["new"]["results_s"] > 0
    assert "| 1 | recrawl |" in report(res)


def test_a_result_crosses_the_wire_whole():
    """Every field the writer reads survives encode/decode: the analysis (with its noindex evidence),
    the kept page and its headers, the idempotency key (no Redis needed: the wire format alone)."""
    from crawler.frontier import decode_result, encode_result
    from detector.models import Analysis, Article, Fetch
    art = Article(url="https://news.example/a/1/", title="مقتل 22 شخصاً", text="قُتل 22 شخصاً.", lang="ar")
    sent = Fetch(url=art.url, fetched_at="2021-02-26T14:00:00Z", status=200, raw_hash="ab" * 16,
                 html="<html>قُتل 22</html>".encode(), headers=b"HTTP/1.1 200 OK\r\nETag: \"v2\"\r\n\r\n",
                 analysis=Analysis("new", article=art, content_hash="h", fingerprint="f2:x", noindex="meta"),
                 article=art)
    got = decode_result(encode_result(sent, "7:token"))
    assert got.idempotency_key == "7:token"
    assert (got.html, got.headers, got.raw_hash) == (sent.html, sent.headers, sent.raw_hash)
    assert got.analysis.noindex == "meta" and got.analysis.fingerprint == "f2:x"
    assert got.analysis.article.title == art.title and got.article.text == art.text
