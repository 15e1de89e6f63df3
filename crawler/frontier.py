"""The shared frontier of a coordinator and its workers in Redis: queues, leases, per-host politeness.

Why Redis and why these shapes (docs/architecture.md, "Past one machine"): one coordinator owns the
database and N workers on any machines fetch and extract. Everything a worker needs travels in the
request (validators, raw hash, fingerprint, the previous version's fields) and everything the database
needs comes back in the result, as plain JSON, so no worker opens the database.

Keys (all under one prefix, `marsad:` by default):

    q:<h>         LIST   payloads of host h waiting for a worker (LPUSH by the coordinator, RPOP by workers)
    hosts         LIST   the hosts with waiting payloads, rotated by the workers' takes (round-robin),
    hostset       SET      and the same as a set; `queued` counts the payloads of all hosts
    held:<h>      STRING requests of host h taken and not yet answered, across workers: a worker takes
                         none of a host at its cap (2 x per_domain_concurrency), so one busy host never
                         fills every worker while the other hosts' requests wait behind it
    leases        ZSET   dispatch token -> lease deadline (ms, Redis' clock): taken and not yet answered
    leased        HASH   dispatch token -> payload, so an expired lease can be put back as it was
    owner         HASH   dispatch token -> the worker holding it ("host:pid")
    results       LIST   result keys a worker finished (LPUSH), drained by the coordinator
    result        HASH   result key -> result JSON
    draining      LIST   result keys the coordinator took and has not yet committed (its restart re-reads them)
    dispatched    HASH   url -> "token ms": what the coordinator has handed out (its in-flight set, restored
                         on restart)
    host:<h>      ZSET   permits of host h in use -> their expiry (per-host concurrency across all workers)
    next:<h>      STRING the earliest time (ms) the next request to host h may start (per-host delay)
    robots:<h>    STRING "ok\\n" + robots.txt body (or "fail\\n"), shared by every worker, expiring with
                         `robots_cache`; robots:<h>:lock is held by the one worker fetching it

Exactly once: taking a request leases it (visibility timeout); a worker renews its leases while it
works on them; a lease that expires (the worker died) is put back at the front of its host's queue by
the coordinator's reclaim. So a request may be fetched twice, never lost; each result carries the key
"<article id>:<dispatch token>", and the writer records a key once (storage/writer.py), so a second
delivery never makes a second version or alert. Every multi-key step is one Lua script: atomic in Redis
(the scripts name per-host keys they compute, so one Redis server, not Redis Cluster).

Why not scrapy-redis' queues (0.9.1, checked against Scrapy 2.19): its spider feed (LRANGE + LTRIM) and
its scheduler queues (RPOP, ZRANGE + ZREMRANGEBYRANK) remove a request at the moment it is taken, so a
worker killed with requests in memory loses them and there is nothing to reclaim; its scheduler calls
blocking redis-py on the reactor's thread; its spider's start_requests() is not read by Scrapy 2.19
(start()); per-host download slots stay per process (no shared politeness); its one queue lets a
host with a long backlog fill every worker while the other hosts wait; and its default duplicate
filter drops every revisit. What is kept of its design: Redis lists as the shared queue, JSON requests,
workers fed when they have room.
"""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import time
import uuid
from urllib.parse import urlsplit

from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.misc import build_from_crawler

from detector.models import Analysis, Article, Change, Fetch

from .robots import CACHE, FAILED_TTL, ROBOTS_MAXSIZE, ROBOTS_TIMEOUT, RobotsMiddleware, _Entry

log = logging.getLogger("marsad.frontier")

DEFAULT_PREFIX = "marsad:"
TOKEN_LEN = 32                  # uuid4().hex: payloads start with their token, so Lua never parses JSON

_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n"

# A payload is: its dispatch token (TOKEN_LEN), its host, "\n", the request's JSON. Lua reads the first two.
_HOST = "local function host_of(p) return string.sub(p, %d, string.find(p, '\\n', %d, true) - 1) end\n" % (
    TOKEN_LEN + 1, TOKEN_LEN + 1)

# Put a payload back at the front of its host's queue (a lease that expired or was given back).
_REQUEUE = _HOST + """
local function requeue(pre, p)
  local h = host_of(p)
  redis.call('RPUSH', pre .. 'q:' .. h, p)
  if redis.call('SADD', pre .. 'hostset', h) == 1 then redis.call('LPUSH', pre .. 'hosts', h) end
  redis.call('INCR', pre .. 'queued')
  if redis.call('DECR', pre .. 'held:' .. h) < 0 then redis.call('SET', pre .. 'held:' .. h, 0) end
end
"""

# ARGV: prefix, now_ms, then (url, token, host, payload)... Recorded as dispatched and queued, atomically.
DISPATCH = _HOST + """
local pre = ARGV[1]
for i = 3, #ARGV, 4 do
  redis.call('HSET', pre .. 'dispatched', ARGV[i], ARGV[i + 1] .. ' ' .. ARGV[2])
  local h = ARGV[i + 2]
  redis.call('LPUSH', pre .. 'q:' .. h, ARGV[i + 3])
  if redis.call('SADD', pre .. 'hostset', h) == 1 then redis.call('LPUSH', pre .. 'hosts', h) end
  redis.call('INCR', pre .. 'queued')
end
return 1
"""

# ARGV: prefix, n, visibility_ms, cap, worker id. Up to n payloads, leased, taken round-robin across hosts (one per
# host per pass, FIFO within a host), skipping a host that already has `cap` requests out in all workers:
# one busy host never fills the workers while the others wait (no head-of-line blocking).
TAKE = _NOW + _HOST + """
local pre, n, vis, cap, who = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local out = {}
local budget = 2000
while #out < n and budget > 0 do
  local hosts = redis.call('LLEN', pre .. 'hosts')
  if hosts == 0 then break end
  local took = 0
  for i = 1, hosts do
    if #out >= n or budget <= 0 then break end
    budget = budget - 1
    local h = redis.call('LMOVE', pre .. 'hosts', pre .. 'hosts', 'RIGHT', 'LEFT')
    if not h then break end
    if tonumber(redis.call('GET', pre .. 'held:' .. h) or '0') < cap then
      local p = redis.call('RPOP', pre .. 'q:' .. h)
      if p then
        local tok = string.sub(p, 1, %d)
        redis.call('ZADD', pre .. 'leases', now + vis, tok)
        redis.call('HSET', pre .. 'leased', tok, p)
        redis.call('HSET', pre .. 'owner', tok, who)
        redis.call('INCR', pre .. 'held:' .. h)
        redis.call('DECR', pre .. 'queued')
        out[#out + 1] = p
        took = took + 1
      end
      if redis.call('LLEN', pre .. 'q:' .. h) == 0 then
        redis.call('LREM', pre .. 'hosts', 0, h)
        redis.call('SREM', pre .. 'hostset', h)
      end
    end
  end
  if took == 0 then break end
end
return out
""" % TOKEN_LEN

# KEYS: leases. ARGV: visibility_ms, tokens... Extends the leases a live worker still holds.
RENEW = _NOW + """
local n = 0
for i = 2, #ARGV do n = n + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i]) end
return n
"""

# ARGV: prefix, token, key, result JSON. Answers one lease (the host's count drops if it was still held).
COMPLETE = _HOST + """
local pre = ARGV[1]
local p = redis.call('HGET', pre .. 'leased', ARGV[2])
redis.call('ZREM', pre .. 'leases', ARGV[2])
redis.call('HDEL', pre .. 'leased', ARGV[2])
redis.call('HDEL', pre .. 'owner', ARGV[2])
if p then
  local h = host_of(p)
  if redis.call('DECR', pre .. 'held:' .. h) < 0 then redis.call('SET', pre .. 'held:' .. h, 0) end
end
redis.call('HSET', pre .. 'result', ARGV[3], ARGV[4])
redis.call('LPUSH', pre .. 'results', ARGV[3])
return 1
"""

# ARGV: prefix, tokens... Puts leased requests back at the front of their host's queue.
RELEASE = _REQUEUE + """
local pre, n = ARGV[1], 0
for i = 2, #ARGV do
  local p = redis.call('HGET', pre .. 'leased', ARGV[i])
  if p then requeue(pre, p) n = n + 1 end
  redis.call('ZREM', pre .. 'leases', ARGV[i])
  redis.call('HDEL', pre .. 'leased', ARGV[i])
  redis.call('HDEL', pre .. 'owner', ARGV[i])
end
return n
"""

# ARGV: prefix, limit. Expired leases (their worker died) go back to the front of their host's queue.
RECLAIM = _NOW + _REQUEUE + """
local pre = ARGV[1]
local toks = redis.call('ZRANGEBYSCORE', pre .. 'leases', '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local n = 0
for _, tok in ipairs(toks) do
  local p = redis.call('HGET', pre .. 'leased', tok)
  if p then requeue(pre, p) n = n + 1 end
  redis.call('ZREM', pre .. 'leases', tok)
  redis.call('HDEL', pre .. 'leased', tok)
  redis.call('HDEL', pre .. 'owner', tok)
end
return n
"""

# KEYS: results, draining, result. ARGV: n. Moves up to n result keys to `draining`; returns [key, json]...
DRAIN = """
local out = {}
for i = 1, tonumber(ARGV[1]) do
  local k = redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'LEFT')
  if not k then break end
  out[#out + 1] = k
  out[#out + 1] = redis.call('HGET', KEYS[3], k) or ''
end
return out
"""

# KEYS: draining, result, dispatched. ARGV: (key, url, token)... Forgets committed results and, where the
# url's current dispatch is this token, the dispatch.
ACK = """
for i = 1, #ARGV, 3 do
  redis.call('LREM', KEYS[1], 0, ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i])
  local d = redis.call('HGET', KEYS[3], ARGV[i + 1])
  if d and string.sub(d, 1, %d) == ARGV[i + 2] then redis.call('HDEL', KEYS[3], ARGV[i + 1]) end
end
return 1
""" % TOKEN_LEN

# KEYS: host zset, next key. ARGV: permit id, limit, delay_ms, lease_ms. 0 = granted; else ms to wait.
PERMIT = _NOW + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(10, math.min(100, tonumber(first[2]) - now))
end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', math.max(1000, tonumber(ARGV[3]) * 2))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) * 2)
return 0
"""


# KEYS: host zset. ARGV: lease_ms, permits... Extends the permits of requests still being downloaded.
PERMIT_RENEW = _NOW + """
local n = 0
for i = 2, #ARGV do n = n + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return n
"""


def worker_id() -> str:
    """Who holds a lease (`owner`: token -> "host:pid"), for the operator and the tests."""
    return f"{os.uname().nodename}:{os.getpid()}"


def new_token() -> str:
    return uuid.uuid4().hex


def connect(url: str):
    """An asyncio Redis client for the coordinator or a worker (both run on the asyncio reactor)."""
    import redis.asyncio as aioredis
    return aioredis.Redis.from_url(url, decode_responses=False, health_check_interval=30)


# ---- plain data on the wire ----------------------------------------------------------------------------

def encode_request(target: dict, article_id: int, previous, token: str) -> bytes:
    """A due article as a worker needs it: the spider's target keys, its id and dispatch token, and the
    previous version's fields (crawler.analyze.Previous) as JSON."""
    prev = None if previous is None else {"content_hash": previous.content_hash,
                                          "article": previous.article.to_dict(),
                                          "text_chars": previous.text_chars}
    body = {k: target.get(k) for k in ("url", "etag", "last_modified", "raw_hash", "fingerprint", "site", "domains")}
    body.update(id=article_id, token=token, previous=prev)
    host = _queue_host(target["url"])
    return (token + host + "\n" + json.dumps(body, ensure_ascii=False, separators=(",", ":"))).encode()


def _queue_host(url: str) -> str:
    """The host a request is queued under (its netloc, as the permits are keyed)."""
    try:
        return (urlsplit(url).netloc or "-").lower().replace("\n", "")
    except ValueError:
        return "-"


def payload_host(raw: bytes) -> str:
    return raw[TOKEN_LEN:raw.index(b"\n", TOKEN_LEN)].decode()


def decode_request(raw: bytes) -> dict:
    from .analyze import Previous
    t = json.loads(raw[raw.index(b"\n", TOKEN_LEN) + 1:])
    p = t.pop("previous")
    t["previous"] = None if p is None else Previous(p["content_hash"], Article.from_dict(p["article"]),
                                                    p["text_chars"])
    return t


def result_key(target: dict) -> str:
    return f"{target['id']}:{target['token']}"


WIRE_LEVEL = 3           # zstd level of a raw page on its way to the coordinator (storage packs it again)


def _zstd():
    """The standard library's zstd from 3.14, the declared backport before (the crawler does not import
    storage, which packs the same way for the database)."""
    try:
        from compression import zstd
    except ImportError:
        from backports import zstd
    return zstd


_FETCH_KEYS = ("url", "fetched_at", "status", "etag", "last_modified", "bytes", "ms", "error", "site",
               "final_url", "retry_after", "raw_hash")


def encode_result(fetch: Fetch, key: str) -> bytes:
    """A finished check (the PageItem and its Analysis) as JSON; the raw HTML only where it is kept
    (new and changed versions), zstd-compressed, in base64."""
    d = {k: getattr(fetch, k) for k in _FETCH_KEYS}
    d["key"] = key
    if fetch.html:
        d["html"] = base64.b64encode(_zstd().compress(fetch.html, level=WIRE_LEVEL)).decode("ascii")
    if getattr(fetch, "headers", None):              # the response's head, kept with a new version
        d["headers"] = base64.b64encode(fetch.headers).decode("ascii")
    a = fetch.analysis
    if a is not None:
        d["analysis"] = {"outcome": a.outcome, "article": a.article.to_dict() if a.article else None,
                         "content_hash": a.content_hash, "changes": [c.to_dict() for c in a.changes],
                         "alert": a.alert, "reason": a.reason, "summary": a.summary, "summary_ar": a.summary_ar,
                         "base_hash": a.base_hash, "fingerprint": a.fingerprint, "noindex": a.noindex}
    return json.dumps(d, ensure_ascii=False, separators=(",", ":")).encode()


def decode_result(raw: bytes) -> Fetch:
    d = json.loads(raw)
    a = d.pop("analysis", None)
    html = d.pop("html", None)
    key = d.pop("key")
    analysis = None
    if a is not None:
        article = Article.from_dict(a.pop("article")) if a.get("article") else None
        changes = tuple(Change(**c) for c in a.pop("changes"))
        a.pop("article", None)
        analysis = Analysis(article=article, changes=changes, **a)
    if html:
        html = _zstd().decompress(base64.b64decode(html))
    if "headers" in d:
        d["headers"] = base64.b64decode(d["headers"])
    return Fetch(**d, html=html, analysis=analysis, article=analysis.article if analysis else None,
                 idempotency_key=key)


# ---- the queues ------------------------------------------------------------------------------------------

class Frontier:
    """The Redis side of both roles; every method is one round trip."""

    def __init__(self, client, prefix: str = DEFAULT_PREFIX):
        self.r, self.p = client, prefix
        self._take, self._renew, self._complete = (client.register_script(s) for s in (TAKE, RENEW, COMPLETE))
        self._release, self._reclaim, self._drain = (client.register_script(s) for s in (RELEASE, RECLAIM, DRAIN))
        self._dispatch = client.register_script(DISPATCH)
        self._ack, self._permit = client.register_script(ACK), client.register_script(PERMIT)
        self._permit_renew = client.register_script(PERMIT_RENEW)

    def k(self, name: str) -> str:
        return self.p + name

    # coordinator
    async def dispatch(self, items: list[tuple[str, str, bytes]]) -> None:
        """items: (url, token, payload). Recorded as dispatched and queued (per host) in one script."""
        if not items:
            return
        args = [self.p, int(time.time() * 1000)]
        for url, token, payload in items:
            args += [url, token, payload_host(payload), payload]
        await self._dispatch(keys=[], args=args)

    async def dispatched(self) -> dict[str, tuple[str, int]]:
        out = {}
        for url, v in (await self.r.hgetall(self.k("dispatched"))).items():
            tok, _, ms = v.decode().partition(" ")
            out[url.decode()] = (tok, int(ms or 0))
        return out

    async def forget(self, urls) -> None:
        if urls:
            await self.r.hdel(self.k("dispatched"), *urls)

    async def reclaim(self, limit: int = 1000) -> int:
        return int(await self._reclaim(keys=[], args=[self.p, limit]))

    async def drain(self, n: int) -> list[tuple[str, bytes]]:
        flat = await self._drain(keys=[self.k("results"), self.k("draining"), self.k("result")], args=[n])
        return [(flat[i].decode(), flat[i + 1]) for i in range(0, len(flat), 2)]

    async def undrained(self) -> list[tuple[str, bytes]]:
        """What a previous coordinator took and may not have committed (re-read at start)."""
        keys = [k.decode() for k in await self.r.lrange(self.k("draining"), 0, -1)]
        vals = await self.r.hmget(self.k("result"), keys) if keys else []
        return [(k, v or b"") for k, v in zip(reversed(keys), reversed(vals))]

    async def ack(self, done: list[tuple[str, str, str]]) -> None:
        """done: (result key, url, token) of results committed (or found already committed)."""
        if done:
            await self._ack(keys=[self.k("draining"), self.k("result"), self.k("dispatched")],
                            args=[x for t in done for x in t])

    async def depth(self) -> dict:
        async with self.r.pipeline(transaction=False) as pipe:
            pipe.get(self.k("queued")), pipe.zcard(self.k("leases")), pipe.llen(self.k("results"))
            pipe.scard(self.k("hostset"))
            q, leased, results, hosts = await pipe.execute()
        return {"queued": int(q or 0), "leased": leased, "results": results, "hosts": hosts}

    # worker
    async def take(self, n: int, visibility_ms: int, cap: int = 1 << 30, who: str = "") -> list[bytes]:
        """Up to n requests, leased for visibility_ms, round-robin across hosts, none of a host that
        already has `cap` requests out (taken and not answered) across all workers."""
        if n <= 0:
            return []
        return await self._take(keys=[], args=[self.p, n, visibility_ms, cap, who or worker_id()])

    async def renew(self, tokens, visibility_ms: int) -> int:
        if not tokens:
            return 0
        return int(await self._renew(keys=[self.k("leases")], args=[visibility_ms, *tokens]))

    async def complete(self, token: str, key: str, result: bytes) -> None:
        await self._complete(keys=[], args=[self.p, token, key, result])

    async def release(self, tokens) -> int:
        if not tokens:
            return 0
        return int(await self._release(keys=[], args=[self.p, *tokens]))

    # politeness
    async def permit(self, host: str, permit_id: str, limit: int, delay_ms: int, lease_ms: int) -> int:
        return int(await self._permit(keys=[self.k(f"host:{host}"), self.k(f"next:{host}")],
                                      args=[permit_id, limit, delay_ms, lease_ms]))

    async def renew_permits(self, host: str, permits, lease_ms: int) -> None:
        if permits:
            await self._permit_renew(keys=[self.k(f"host:{host}")], args=[lease_ms, *permits])

    async def unpermit(self, host: str, permit_id: str) -> None:
        await self.r.zrem(self.k(f"host:{host}"), permit_id)


# ---- Scrapy side: politeness and robots.txt shared by every worker ---------------------------------------

class HostPermitMiddleware:
    """Per-host politeness across all workers: before a request leaves (the last downloader middleware,
    after robots.txt and the address guard) it takes one of the host's `per_domain_concurrency` permits
    in Redis and waits for the host's `delay_seconds` (or robots.txt Crawl-delay) since the last start by
    any worker; the permit is given back with the response or the error. Its worker renews it while the
    download lasts, so the permit of a worker that died expires within PERMIT_LEASE_S and the host's
    capacity comes back. Settings: MARSAD_REDIS_URL, MARSAD_REDIS_PREFIX, MARSAD_HOST_DELAY."""

    PERMIT_LEASE_S = 10.0
    RENEW_EVERY_S = 3.0

    def __init__(self, crawler):
        from scrapy.exceptions import NotConfigured
        s = crawler.settings
        url = s.get("MARSAD_REDIS_URL")
        if not url:
            raise NotConfigured
        self.frontier = Frontier(connect(url), s.get("MARSAD_REDIS_PREFIX", DEFAULT_PREFIX))
        self.limit = max(1, s.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2))
        self.delay_s = s.getfloat("MARSAD_HOST_DELAY", s.getfloat("DOWNLOAD_DELAY", 1.0))
        self.lease_ms = int(self.PERMIT_LEASE_S * 1000)
        self.pid = worker_id()
        self.held: dict[str, set[str]] = {}      # host -> permits this worker holds
        self._renewer: asyncio.Task | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @staticmethod
    def _host(request) -> str:
        from scrapy.utils.httpobj import urlparse_cached
        return urlparse_cached(request).netloc

    async def process_request(self, request, spider=None):
        host = self._host(request)
        entry = CACHE.entries.get(host)
        delay = max(self.delay_s, entry.crawl_delay or 0.0) if entry is not None else self.delay_s
        permit = f"{self.pid}:{uuid.uuid4().hex[:12]}"
        while True:
            wait = await self.frontier.permit(host, permit, self.limit, int(delay * 1000), self.lease_ms)
            if wait == 0:
                break
            await asyncio.sleep(wait / 1000)
        request.meta["marsad_permit"] = (host, permit)
        self.held.setdefault(host, set()).add(permit)
        if self._renewer is None or self._renewer.done():
            self._renewer = asyncio.ensure_future(self._renew())
        return None

    async def _renew(self) -> None:
        while any(self.held.values()):
            await asyncio.sleep(self.RENEW_EVERY_S)
            for host, permits in list(self.held.items()):
                try:
                    await self.frontier.renew_permits(host, list(permits), self.lease_ms)
                except Exception as e:      # the next round tries again; the lease outlasts a few misses
                    log.warning("cannot renew the permits of %s: %s", host, e)

    async def _give_back(self, request) -> None:
        held = request.meta.pop("marsad_permit", None)
        if held:
            self.held.get(held[0], set()).discard(held[1])
            try:
                await self.frontier.unpermit(*held)
            except Exception as e:          # it expires by itself; a Redis hiccup must not fail the page
                log.warning("could not give back the permit of %s: %s", held[0], e)

    async def process_response(self, request, response, spider=None):
        await self._give_back(request)
        return response

    async def process_exception(self, request, exception, spider=None):
        await self._give_back(request)
        return None


class SharedRobotsMiddleware(RobotsMiddleware):
    """crawler.robots.RobotsMiddleware with robots.txt kept in Redis: one fetch per host for all workers
    (per `robots_cache`), each worker parsing the same text, so they agree on what is allowed and on
    Crawl-delay (which HostPermitMiddleware then applies to the host across workers)."""

    def __init__(self, crawler, *a, **kw):
        super().__init__(crawler, *a, **kw)
        s = crawler.settings
        self.frontier = Frontier(connect(s.get("MARSAD_REDIS_URL")), s.get("MARSAD_REDIS_PREFIX", DEFAULT_PREFIX))

    async def _fetch(self, robots_url: str) -> _Entry:
        """The shared copy if there is one; else one worker (holding a short lock) fetches it for all, and
        the others wait for its copy (or fetch themselves if that worker died meanwhile)."""
        key = self.frontier.k("robots:" + robots_url.split("/")[2].lower())
        lock_s = ROBOTS_TIMEOUT + 5
        give_up = time.monotonic() + lock_s
        while True:
            cached = await self.frontier.r.get(key)
            if cached is not None:
                status, _, body = cached.partition(b"\n")
                return _Entry(None, time.monotonic() + FAILED_TTL) if status == b"fail" else self._parse(body)
            if await self.frontier.r.set(key + ":lock", b"1", nx=True, px=int(lock_s * 1000)):
                break
            if time.monotonic() > give_up:
                break
            await asyncio.sleep(0.1)
        try:
            return await self._download(robots_url, key)
        finally:
            await self.frontier.r.delete(key + ":lock")

    async def _download(self, robots_url: str, key: str) -> _Entry:
        req = Request(robots_url, priority=1000, callback=NO_CALLBACK,
                      meta={"dont_obey_robotstxt": True, "download_timeout": ROBOTS_TIMEOUT, "dont_retry": True,
                            "download_maxsize": ROBOTS_MAXSIZE, "download_warnsize": 0})
        self.cache.fetches += 1
        try:
            resp = await self.crawler.engine.download_async(req)
        except Exception as e:
            log.info("robots.txt of %s unreadable (%s): allowing for %.0f min", robots_url, e, FAILED_TTL / 60)
            resp = None
        if resp is None or resp.status >= 500:
            await self.frontier.r.set(key, b"fail\n", ex=int(FAILED_TTL))
            return _Entry(None, time.monotonic() + FAILED_TTL)
        body = resp.body[:ROBOTS_MAXSIZE] if 200 <= resp.status < 300 else b""   # 4xx: everything allowed
        await self.frontier.r.set(key, b"ok\n" + body, ex=max(1, int(self.ttl)))
        return self._parse(body)

    def _parse(self, body: bytes) -> _Entry:
        parser = build_from_crawler(self.parser_cls, self.crawler, body)
        try:
            delay = parser.crawl_delay(self.useragent)
        except Exception:                            # a parser without crawl-delay support
            delay = None
        return _Entry(parser, time.monotonic() + self.ttl, float(delay) if delay else None)
