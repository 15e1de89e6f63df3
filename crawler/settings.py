"""Scrapy settings for marsad, built from the [politeness] section of the configuration.

Also the module `scrapy.cfg` points at, so `scrapy` commands see the same defaults.
"""
from __future__ import annotations

import importlib.util
import re

from .url_policy import parse_networks

DEFAULT_USER_AGENT = "marsad/0.1 (+https://github.com/marsad-news/marsad)"
DEFAULT_MAX_RETRY_AFTER = "1d"      # a server's Retry-After is obeyed up to a day, never for years

BOT_NAME = "marsad"
SPIDER_MODULES = ["crawler.spiders"]
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REMOTE_CONTROL_ENABLED = False      # Scrapy 2.19 would listen on localhost and run code sent to it
TELNETCONSOLE_ENABLED = False
ROBOTSTXT_OBEY = True
USER_AGENT = DEFAULT_USER_AGENT
# Only http and https are ever fetched: a file:, data:, ftp: or s3: URL in a feed or a redirect would
# otherwise read local files (file:///etc/passwd, file:///dev/zero) or reach other services.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}

# The same grammar as scheduler/durations.py ("30s", "5m", "1h", "2d", "1w"), repeated here because the
# crawler must not import the scheduler (the scheduler imports the crawler).
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")


def duration_seconds(value) -> float:
    """A duration from the configuration ("1d") or a number of seconds, as seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(f"{value!r} is not a duration (use e.g. 30s, 5m, 1h, 2d)")
    return float(m.group(1)) * _UNITS[m.group(2)]


def _robots_middlewares() -> dict:
    """marsad's own robots.txt middleware (crawler/robots.py: decided before a host is contacted,
    cached across crawls) replaces Scrapy's, once that module exists."""
    if importlib.util.find_spec("crawler.robots") is None:
        return {}
    return {"scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.robots.RobotsMiddleware": 100}


def downloader_middlewares() -> dict:
    """The fetch policy (crawler/middlewares.py). Requests pass middlewares in ascending order, responses
    in descending order: the guards see every request (redirects and robots.txt included) before
    robots.txt (100) is consulted; the compression check sees a body before Scrapy inflates it (590)."""
    return {
        "crawler.middlewares.OffsiteRedirectMiddleware": 30,
        "crawler.middlewares.AddressGuardMiddleware": 40,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawler.middlewares.RetryAfterMiddleware": 550,
        "crawler.compression.CompressionCheckMiddleware": 595,
        "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
        "crawler.middlewares.MetaRefreshMiddleware": 580,
        **_robots_middlewares(),
    }


DOWNLOADER_MIDDLEWARES = downloader_middlewares()


def scrapy_settings(politeness: dict | None = None, log_level: str = "WARNING") -> dict:
    """The settings dict for a marsad crawler runner."""
    p = politeness or {}
    networks = list(p.get("allowed_networks", []))
    parse_networks(networks)                # a bad entry is an error now, not at the first request
    return {
        "BOT_NAME": BOT_NAME,
        "TWISTED_REACTOR": TWISTED_REACTOR,
        "REMOTE_CONTROL_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "USER_AGENT": p.get("user_agent", DEFAULT_USER_AGENT),
        "ROBOTSTXT_OBEY": p.get("obey_robots", True),
        "CONCURRENT_REQUESTS": p.get("concurrency", 32),
        "CONCURRENT_REQUESTS_PER_DOMAIN": p.get("per_domain_concurrency", 2),
        "DOWNLOAD_DELAY": p.get("delay_seconds", 1.0),
        "AUTOTHROTTLE_ENABLED": p.get("autothrottle", True),
        "AUTOTHROTTLE_START_DELAY": p.get("delay_seconds", 1.0),
        "DOWNLOAD_TIMEOUT": p.get("timeout_seconds", 30),
        "DOWNLOAD_MAXSIZE": p.get("max_bytes", 10 * 1024 * 1024),   # a huge response is an error, not a version
        "DOWNLOAD_WARNSIZE": 0,
        "DOWNLOAD_FAIL_ON_DATALOSS": True,      # a body shorter than its Content-Length is an error
        "DOWNLOAD_HANDLERS": dict(DOWNLOAD_HANDLERS),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": p.get("retries", 2),
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "HTTPERROR_ALLOW_ALL": True,            # 304, 404 and 410 reach the spider: they are outcomes
        "COOKIES_ENABLED": False,
        # The article spider yields nothing (each fetch goes to the writer directly), so the 100 tasks
        # Scrapy starts per response to process items in parallel (CONCURRENT_ITEMS) are pure cost;
        # discovery's few items a page need no parallelism either.
        "CONCURRENT_ITEMS": 1,
        "ITEM_PIPELINES": {"crawler.pipeline.RecordPipeline": 300},
        "DOWNLOADER_MIDDLEWARES": downloader_middlewares(),
        "MARSAD_ALLOW_PRIVATE_ADDRESSES": bool(p.get("allow_private_addresses", False)),
        "MARSAD_ALLOWED_NETWORKS": networks,
        "MARSAD_FOLLOW_OFFSITE_REDIRECTS": bool(p.get("follow_offsite_redirects", False)),
        "MARSAD_MAX_RETRY_AFTER": int(duration_seconds(p.get("max_retry_after", DEFAULT_MAX_RETRY_AFTER))),
        "LOG_ENABLED": log_level != "NONE",
    }
