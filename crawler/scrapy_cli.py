"""Settings for the `scrapy` command run in marsad's folder (scrapy.cfg points here).

marsad's spiders cannot run under `scrapy crawl`: each needs marsad's database, configuration and
clock, which `marsad crawl` and `marsad daemon` build. So this project offers no spiders: `scrapy list`
prints nothing and `scrapy crawl NAME` is a usage error (exit 2) that names the commands to use. The
commands that need no spider (`scrapy shell URL`, `scrapy fetch URL`, `scrapy view URL`, handy when
writing a site profile) run with marsad's defaults: its user agent, robots.txt obeyed, telnet and remote
control off.
"""
from __future__ import annotations

from scrapy.exceptions import UsageError

from .settings import *  # noqa: F403  (the module-level Scrapy defaults, one home)

SPIDER_MODULES: list[str] = []
SPIDER_LOADER_CLASS = "crawler.scrapy_cli.NoSpiders"

HOW_TO_CRAWL = ("marsad's spiders run through marsad, not `scrapy crawl`: use `marsad crawl URL...` to check "
                "pages now, `marsad crawl --once` for one cycle over the configured sites, or `marsad daemon`")


class NoSpiders:
    """A spider loader (Scrapy's SpiderLoaderProtocol) that lists none and explains instead of loading."""

    @classmethod
    def from_settings(cls, settings) -> NoSpiders:
        return cls()

    def list(self) -> list[str]:
        return []

    def find_by_request(self, request) -> list[str]:
        return []                        # `scrapy shell`/`fetch` then use Scrapy's default spider

    def load(self, spider_name: str):
        raise UsageError(f"no spider {spider_name!r} here: {HOW_TO_CRAWL}", print_help=False)
