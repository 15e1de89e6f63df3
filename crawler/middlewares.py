"""Downloader middlewares: the fetch policy, and retries that honour the server's Retry-After.

Every byte marsad fetches comes from sites it does not control, so every request (the first one, each
redirect, each robots.txt) passes these checks before it leaves, and each refusal is an error of that
one request (`IgnoreRequest` with the reason, seen by the spider's errback), never the end of a batch:

- `OffsiteRedirectMiddleware` (order 30): a redirect is followed only to the site's own hosts
  (`url_policy.same_site`), unless `politeness.follow_offsite_redirects`.
- `AddressGuardMiddleware` (order 40): only http(s) URLs (`url_policy.fetchable`), and no host that
  resolves to a loopback, private, link-local or reserved address (`url_policy.address_problem`) unless
  `politeness.allow_private_addresses` or the address is in `politeness.allowed_networks`. The same
  rule filters the addresses the reactor connects to, so a host that answers DNS differently the second
  time (DNS rebinding) is still refused. A redirect to a refused scheme (ftp:, file:), which Scrapy
  hands on as the 3xx response itself, is refused as well.
- `crawler.compression.CompressionCheckMiddleware` (its own module; order 595, before Scrapy inflates at 590): a gzip, deflate, brotli or
  zstd body whose stream does not end is refused as incomplete (Scrapy decodes leniently and would
  pass a truncated gzip on as a short page). Scrapy's DOWNLOAD_MAXSIZE cap on the decompressed size
  stays in force (gzip bombs are stopped by Scrapy's middleware, which this one leaves alone).
- `RetryAfterMiddleware` (order 550, replacing Scrapy's RetryMiddleware).
- `MetaRefreshMiddleware` (order 580, replacing Scrapy's): the same redirects, but a body whose first
  16 KiB hold no `refresh` at all is passed on without being decoded (Scrapy decodes every whole page
  to read its first 4,096 characters; bench/throughput.py's profile showed it at ~6% of a recrawl).

Request meta read here:
    meta["marsad"]["domains"]  the hosts of the request's site (feeds, sitemaps, sections and the
                               site's `domains`, see `url_policy.site_domains`). The host of the first
                               URL of the redirect chain always counts; without the key it is the only one.
Request meta written here:
    meta["retry_after"]        seconds a 429/503 asked to wait, clamped to MARSAD_MAX_RETRY_AFTER.

Settings (from `crawler.settings.scrapy_settings`): MARSAD_ALLOW_PRIVATE_ADDRESSES,
MARSAD_ALLOWED_NETWORKS, MARSAD_FOLLOW_OFFSITE_REDIRECTS, MARSAD_MAX_RETRY_AFTER (seconds),
MARSAD_RETRY_AFTER_CODES, and MARSAD_ADDRESS_GUARD_ENABLED / MARSAD_COMPRESSION_CHECK_ENABLED (on;
off only to test the layers beneath).
"""
from __future__ import annotations

import asyncio
import logging
import socket
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from .url_policy import address_problem, fetchable, host_of, parse_networks, same_site

log = logging.getLogger(__name__)

DEFAULT_MAX_RETRY_AFTER = 86400         # a day: "Retry-After: 99999999999" must not kill an article
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
DNS_CACHE_SECONDS = 60                  # one lookup per host per minute, not one per article


# --- Retry-After --------------------------------------------------------------------------------------

def retry_after_seconds(value: bytes | str | None, now: datetime | None = None,
                        maximum: int = DEFAULT_MAX_RETRY_AFTER) -> int | None:
    """Retry-After as seconds, at most `maximum`: either delta-seconds or an HTTP date; None when absent,
    negative or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    text = text.strip()
    if text.isdigit() and text.isascii():
        return min(int(text), maximum)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    try:
        return min(maximum, max(0, int((when - now).total_seconds())))
    except OverflowError:
        return maximum


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware retries 429/503 at once. When the server says how long to wait, marsad
    does not retry in-process: the response goes through as an error check carrying the wait (clamped
    to MARSAD_MAX_RETRY_AFTER, in meta["retry_after"]) and storage sets the next check no earlier."""

    def __init__(self, settings):
        super().__init__(settings)
        self.max_retry_after = settings.getint("MARSAD_MAX_RETRY_AFTER", DEFAULT_MAX_RETRY_AFTER)
        self.codes = {int(c) for c in settings.getlist("MARSAD_RETRY_AFTER_CODES", [429, 503])}

    def process_response(self, request, response):
        if response.status in self.codes and response.headers.get(b"Retry-After"):
            request.meta["retry_after"] = retry_after_seconds(response.headers.get(b"Retry-After"),
                                                              maximum=self.max_retry_after)
            return response
        return super().process_response(request, response)


# --- Off-site redirects -------------------------------------------------------------------------------

REFRESH_SCAN_BYTES = 16384      # Scrapy reads the first 4,096 characters: at most 4 bytes each in UTF-8


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    """Scrapy's meta-refresh redirects, without decoding the pages that cannot have one.

    A `<meta http-equiv="refresh">` within Scrapy's window is ASCII in every ASCII-compatible encoding,
    so its absence from the first bytes is proof enough; a body that starts like UTF-16 or UTF-32
    (a BOM, or NUL bytes among the first ones) goes through Scrapy's own check."""

    def process_response(self, request, response):
        head = response.body[:REFRESH_SCAN_BYTES]
        if b"\x00" not in head[:64] and not head.startswith((b"\xff\xfe", b"\xfe\xff")) \
                and b"refresh" not in head.lower():
            return response
        return super().process_response(request, response)


class OffsiteRedirectMiddleware:
    """A redirect stays within the site: a news page that redirects to another host (a tracker, a
    parked domain, an internal address) is an error of that article, not a page of the site."""

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.getbool("MARSAD_FOLLOW_OFFSITE_REDIRECTS"):
            raise NotConfigured
        return cls()

    def process_request(self, request):
        chain = request.meta.get("redirect_urls")
        if not chain:
            return None
        own = request.meta.get("marsad")
        domains = [*((own.get("domains") or ()) if isinstance(own, dict) else ()), host_of(chain[0])]
        host = host_of(request.url)
        if not same_site(host, domains):
            raise IgnoreRequest(f"redirect off-site to {host} (politeness.follow_offsite_redirects)")
        return None


# --- Schemes and addresses ----------------------------------------------------------------------------

class AddressGuardMiddleware:
    """Only http(s), and never the operator's own machine or network unless configured (SSRF)."""

    def __init__(self, allow_private: bool = False, networks=()):
        self.allow_private = allow_private
        self.networks = parse_networks(networks)
        self._cache: dict[tuple[str, int], tuple[float, list[str]]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.getbool("MARSAD_ADDRESS_GUARD_ENABLED", True):
            raise NotConfigured
        mw = cls(s.getbool("MARSAD_ALLOW_PRIVATE_ADDRESSES"), s.getlist("MARSAD_ALLOWED_NETWORKS"))
        _CONNECT_POLICY.update(mw.allow_private, mw.networks)
        return mw

    def problem(self, ip: str) -> str | None:
        return address_problem(ip, self.allow_private, self.networks)

    async def process_request(self, request):
        reason = fetchable(request.url)
        if reason:
            raise IgnoreRequest(f"refused: {reason}")
        if self.allow_private:
            return None
        _install_connect_filter()           # again: CrawlerProcess installs its resolver after we start
        parsed = urlparse_cached(request)
        host = parsed.hostname
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        for ip in await self._addresses(host, port):
            problem = self.problem(ip)
            if problem:
                raise IgnoreRequest(f"refused: {host} resolves to {ip}, {problem} "
                                    f"(politeness.allow_private_addresses)")
        return None

    async def _addresses(self, host: str, port: int) -> list[str]:
        """The host's addresses, looked up off the event loop (asyncio runs getaddrinfo in a thread)."""
        key, now = (host, port), time.monotonic()
        hit = self._cache.get(key)
        if hit and hit[0] > now:
            return hit[1]
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as e:
            raise CannotResolveHostError(f"{host}: {e}") from None
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if len(self._cache) > 10000:
            self._cache.clear()
        self._cache[key] = (now + DNS_CACHE_SECONDS, addresses)
        return addresses

    def process_response(self, request, response):
        """A 3xx that reaches here was not followed: Scrapy hands on a redirect to a non-http(s) scheme
        as the redirect response itself (its "moved" body), which must not become a page."""
        location = response.headers.get(b"Location")
        if response.status in REDIRECT_STATUSES and location and not request.meta.get("dont_redirect"):
            target = urljoin(request.url, location.decode("latin-1").strip())
            reason = fetchable(target)
            if reason:
                raise IgnoreRequest(f"refused: redirect to {target[:200]} ({reason})")
        return response


class _ConnectPolicy:
    """The address rule the reactor's name resolver applies (one per process, as the reactor is)."""

    def __init__(self):
        self.allow_private, self.networks = True, []

    def update(self, allow_private: bool, networks) -> None:
        self.allow_private, self.networks = allow_private, list(networks)

    def allows(self, ip: str) -> bool:
        return address_problem(ip, self.allow_private, self.networks) is None


_CONNECT_POLICY = _ConnectPolicy()


def _install_connect_filter() -> None:
    """Wrap the reactor's name resolver once, so refused addresses are dropped from what the HTTP
    client connects to (the middleware's own lookup could differ from the one used to connect)."""
    from twisted.internet import reactor
    if isinstance(reactor.nameResolver, GuardedNameResolver):
        return
    reactor.installNameResolver(GuardedNameResolver(reactor.nameResolver, _CONNECT_POLICY))


class GuardedNameResolver:
    """An IHostnameResolver that passes on only the addresses `policy.allows`; with none left, the
    connection fails as a host that does not resolve."""

    def __init__(self, inner, policy):
        self.inner, self.policy = inner, policy

    def resolveHostName(self, resolutionReceiver, hostName, portNumber=0, addressTypes=None,
                        transportSemantics="TCP"):
        return self.inner.resolveHostName(_FilteringReceiver(resolutionReceiver, hostName, self.policy),
                                          hostName, portNumber, addressTypes, transportSemantics)


class _FilteringReceiver:
    def __init__(self, inner, host, policy):
        self.inner, self.host, self.policy = inner, host, policy

    def resolutionBegan(self, resolution):
        self.inner.resolutionBegan(resolution)

    def addressResolved(self, address):
        ip = getattr(address, "host", None)
        if ip is not None and not self.policy.allows(ip):
            log.warning("refused to connect: %s resolved to %s (politeness.allow_private_addresses)",
                        self.host, ip)
            return
        self.inner.addressResolved(address)

    def resolutionComplete(self):
        self.inner.resolutionComplete()


def _declare_interfaces() -> None:
    from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
    from zope.interface import classImplements
    classImplements(GuardedNameResolver, IHostnameResolver)
    classImplements(_FilteringReceiver, IResolutionReceiver)


_declare_interfaces()
