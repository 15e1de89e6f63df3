"""The two baselines of `marsad bench throughput`, each run as its own process over the same N pages:

    python -m bench.scrapy_baselines plain --base http://127.0.0.1:PORT --pages N
    python -m bench.scrapy_baselines naive --base http://127.0.0.1:PORT --pages N --db /tmp/naive.db

plain: a Scrapy spider that fetches and discards (concurrency 32, no robots.txt, no delay, no
AutoThrottle): the ceiling of anything built on Scrapy on this machine.
naive: what a quick newsroom script does: the same fetches, each body parsed with lxml, its title and
text inserted into SQLite with one sqlite-utils insert (one transaction) per page.

Prints one JSON line: seconds from the spider's start to its close (the interpreter's start-up and imports
are not in it), responses by status.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess

SETTINGS = {
    "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32, "DOWNLOAD_DELAY": 0,
    "ROBOTSTXT_OBEY": False, "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": False, "HTTPERROR_ALLOW_ALL": True,
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
}


class PlainSpider(scrapy.Spider):
    name = "plain"

    def __init__(self, urls=(), **kw):
        super().__init__(**kw)
        self.urls, self.status = list(urls), {}

    async def start(self):
        for u in self.urls:
            yield scrapy.Request(u, callback=self.parse, dont_filter=True)

    def parse(self, response):
        self.status[response.status] = self.status.get(response.status, 0) + 1
        self.handle(response)

    def handle(self, response):
        pass                                    # the body is discarded


class NaiveSpider(PlainSpider):
    name = "naive"

    def __init__(self, db_path=None, **kw):
        super().__init__(**kw)
        import sqlite_utils
        self.db = sqlite_utils.Database(db_path)

    def handle(self, response):
        import lxml.html
        doc = lxml.html.fromstring(response.body)
        title = doc.findtext(".//title")
        self.db["pages"].insert({"url": response.url, "title": (title or "").strip(),
                                 "text": doc.text_content(), "fetched_at": time.time()})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.scrapy_baselines")
    ap.add_argument("kind", choices=["plain", "naive"])
    ap.add_argument("--base", required=True)
    ap.add_argument("--pages", type=int, required=True)
    ap.add_argument("--db")
    a = ap.parse_args(argv)
    urls = [f"{a.base.rstrip('/')}/a/{i}/" for i in range(a.pages)]
    times = {}

    def opened(spider):
        times["open"] = time.monotonic()

    def closed(spider):
        times["close"] = time.monotonic()

    proc = CrawlerProcess(SETTINGS)
    kw = {"urls": urls} if a.kind == "plain" else {"urls": urls, "db_path": a.db}
    crawler = proc.create_crawler(PlainSpider if a.kind == "plain" else NaiveSpider)
    crawler.signals.connect(opened, signals.spider_opened)       # (module-level refs: pydispatch holds weak ones)
    crawler.signals.connect(closed, signals.spider_closed)
    proc.crawl(crawler, **kw)
    proc.start()
    spider = crawler.spider
    print(json.dumps({"seconds": times.get("close", 0) - times.get("open", 0),
                      "status": {str(k): v for k, v in spider.status.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
