"""Scrapy settings for marsad, built from the [politeness] section of the configuration.

Also the module `scrapy.cfg` points at, so `scrapy` commands see the same defaults.
"""
from __future__ import annotations

DEFAULT_USER_AGENT = "marsad/0.1 (+https://github.com/marsad-news/marsad)"

BOT_NAME = "marsad"
SPIDER_MODULES = ["crawler.spiders"]
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
REMOTE_CONTROL_ENABLED = False      # Scrapy 2.19 would listen on localhost and run code sent to it
TELNETCONSOLE_ENABLED = False
ROBOTSTXT_OBEY = True
USER_AGENT = DEFAULT_USER_AGENT


def scrapy_settings(politeness: dict | None = None, log_level: str = "WARNING") -> dict:
    """The settings dict for a marsad crawler runner."""
    p = politeness or {}
    return {
        "BOT_NAME": BOT_NAME,
        "TWISTED_REACTOR": TWISTED_REACTOR,
        "REMOTE_CONTROL_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "USER_AGENT": p.get("user_agent", DEFAULT_USER_AGENT),
        "ROBOTSTXT_OBEY": p.get("obey_robots", True),
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": p.get("per_domain_concurrency", 2),
        "DOWNLOAD_DELAY": p.get("delay_seconds", 1.0),
        "AUTOTHROTTLE_ENABLED": p.get("autothrottle", True),
        "AUTOTHROTTLE_START_DELAY": p.get("delay_seconds", 1.0),
        "DOWNLOAD_TIMEOUT": p.get("timeout_seconds", 30),
        "DOWNLOAD_MAXSIZE": p.get("max_bytes", 10 * 1024 * 1024),   # a huge response is an error, not a version
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": p.get("retries", 2),
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "HTTPERROR_ALLOW_ALL": True,            # 304, 404 and 410 reach the spider: they are outcomes
        "COOKIES_ENABLED": False,
        "ITEM_PIPELINES": {"crawler.pipeline.RecordPipeline": 300},
        "DOWNLOADER_MIDDLEWARES": {"scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
                                   "crawler.middlewares.RetryAfterMiddleware": 550},
        "LOG_ENABLED": log_level != "NONE",
    }
