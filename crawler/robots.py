"""robots.txt, decided before any request to a host leaves, and remembered across crawls.

Scrapy's RobotsTxtMiddleware (2.19) has two problems for a monitor: its cache lives as long as one
crawler, so a daemon that crawls every few seconds fetches robots.txt again each cycle; and while the
first request of a host waits for robots.txt, the others wait on the same Deferred, which hands its
result to the first waiter only (`Deferred.asFuture` consumes it): the rest see None and go out
unchecked. So a disallowed URL fetched beside two allowed ones of the same host was fetched.

Here every waiter awaits its own asyncio future of one shared fetch; parsers are cached per host for
`MARSAD_ROBOTS_CACHE` seconds (a day) in a process-wide table; `Crawl-delay` raises the host's download
delay; robots.txt is fetched once, with a short timeout and no retries, and an unreachable robots.txt
allows everything for a shorter while (an hour), as Google does for a server error.
"""
from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object

log = logging.getLogger(__name__)

FAILED_TTL = 3600.0          # an unreadable robots.txt allows everything for this long, then is asked again
ROBOTS_TIMEOUT = 10          # seconds for robots.txt itself: a slow host must not hold its pages for long
ROBOTS_MAXSIZE = 512 * 1024  # Google reads the first 500 KiB; a huge robots.txt is cut, not a crash


@dataclass
class _Entry:
    parser: object | None        # a scrapy.robotstxt.RobotParser, or None: everything allowed
    expires: float               # time.monotonic() after which robots.txt is fetched again
    crawl_delay: float | None = None


class RobotsCache:
    """host -> parsed robots.txt, shared by every crawler of the process (the daemon's session)."""

    def __init__(self):
        self.entries: dict[str, _Entry] = {}
        self.pending: dict[str, asyncio.Future] = {}
        self.fetches = 0

    def fresh(self, netloc: str) -> _Entry | None:
        e = self.entries.get(netloc)
        return e if e is not None and e.expires > time.monotonic() else None


CACHE = RobotsCache()


class RobotsMiddleware:
    """Downloader middleware replacing scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware."""

    def __init__(self, crawler, cache: RobotsCache = CACHE):
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler, self.cache = crawler, cache
        self.ttl = crawler.settings.getfloat("MARSAD_ROBOTS_CACHE", 86400.0)
        self.useragent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
        self.parser_cls = load_object(crawler.settings.get("ROBOTSTXT_PARSER"))

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request: Request, spider=None):
        if request.meta.get("dont_obey_robotstxt"):
            return None
        entry = await self._entry(request)
        if entry.crawl_delay:
            self._apply_delay(request, entry.crawl_delay)
        if entry.parser is not None and not entry.parser.allowed(request.url, self.useragent):
            self.crawler.stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest("Forbidden by robots.txt")
        return None

    async def _entry(self, request: Request) -> _Entry:
        url = urlparse_cached(request)
        netloc = url.netloc
        entry = self.cache.fresh(netloc)
        if entry is not None:
            return entry
        waiting = self.cache.pending.get(netloc)
        if waiting is None:                          # the first request of this host fetches robots.txt
            waiting = asyncio.get_running_loop().create_future()
            self.cache.pending[netloc] = waiting
            try:
                entry = await self._fetch(f"{url.scheme}://{netloc}/robots.txt")
            except BaseException as e:               # never leave the other waiters hanging
                entry = _Entry(None, time.monotonic() + FAILED_TTL)
                if not isinstance(e, Exception):
                    raise
            finally:
                self.cache.entries[netloc] = entry
                self.cache.pending.pop(netloc, None)
                if not waiting.done():
                    waiting.set_result(entry)
            return entry
        return await asyncio.shield(waiting)         # each waiter awaits the same future; none consumes it

    async def _fetch(self, robots_url: str) -> _Entry:
        req = Request(robots_url, priority=1000, callback=NO_CALLBACK,
                      meta={"dont_obey_robotstxt": True, "download_timeout": ROBOTS_TIMEOUT, "dont_retry": True,
                            "download_maxsize": ROBOTS_MAXSIZE, "download_warnsize": 0})
        self.cache.fetches += 1
        self.crawler.stats.inc_value("robotstxt/request_count")
        try:
            resp = await self.crawler.engine.download_async(req)
        except Exception as e:
            log.info("robots.txt of %s unreadable (%s): allowing for %.0f min", robots_url, e, FAILED_TTL / 60)
            return _Entry(None, time.monotonic() + FAILED_TTL)
        if resp.status >= 500:
            return _Entry(None, time.monotonic() + FAILED_TTL)
        body = resp.body if 200 <= resp.status < 300 else b""   # 4xx: no robots.txt, everything allowed
        parser = build_from_crawler(self.parser_cls, self.crawler, body[:ROBOTS_MAXSIZE])
        try:
            delay = parser.crawl_delay(self.useragent)
        except Exception:                            # a parser without crawl-delay support
            delay = None
        return _Entry(parser, time.monotonic() + self.ttl, float(delay) if delay else None)

    def _apply_delay(self, request: Request, delay: float) -> None:
        """Crawl-delay: the host's download slot waits at least that long between requests."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        if downloader is None:
            return
        try:
            key = downloader.get_slot_key(request)
        except Exception:
            return
        slot = downloader.slots.get(key)
        if slot is not None and slot.delay < delay:
            slot.delay = delay
