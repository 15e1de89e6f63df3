"""The jobs of a crawl cycle, wired from config, storage, crawler and detector (the composition root).

`discover` reads the sites' feeds and section pages; `check_due` fetches the articles that are due;
`check_urls` fetches given URLs now. Each returns what it did, for the log line and the command line.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from crawler.extract import profile_named
from crawler.pipeline import Store
from crawler.runner import CrawlSession
from crawler.spiders.articles import utc_now
from detector import Policy
from storage import due_articles, ensure_site, track

from .config import Config
from .revisit import Ladder


@dataclass
class CycleStats:
    discovered: int = 0
    checked: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    not_modified: int = 0
    removed: int = 0
    errors: int = 0
    results: list = field(default_factory=list)

    def add(self, results) -> None:
        for item, rec in results:
            self.checked += 1
            key = {"error": "errors"}.get(rec.outcome, rec.outcome)
            setattr(self, key, getattr(self, key) + 1)
            self.results.append((item, rec))

    def line(self) -> str:
        return (f"discovered {self.discovered}, checked {self.checked} (new {self.new}, changed {self.changed}, "
                f"unchanged {self.unchanged}, not modified {self.not_modified}, removed {self.removed}, "
                f"errors {self.errors})")


def make_store(db, config: Config, clock=utc_now) -> Store:
    det = config.detector
    return Store(db=db, policy=Policy(det.get("min_severity", "medium"), dict(det.get("severity", {}))),
                 rules=config.alert_rules(),
                 revisit=Ladder(config.revisit), clock=clock)


def site_targets(config: Config) -> list[dict]:
    """Discovery targets: the configured sites, with feeds and pattern from their profile when not given."""
    out = []
    for s in config.sites:
        prof = profile_named(s["profile"]) if s.get("profile") else None
        out.append({"name": s["name"], "feeds": s.get("feeds") or (list(prof.feeds) if prof else []),
                    "sitemaps": s.get("sitemaps", []), "sections": s.get("sections", []),
                    "max_age_seconds": Ladder(config.revisit).rungs[-1][0],
                    "article_pattern": s.get("article_pattern") or (prof.article_pattern if prof else None)})
    return out


async def discover(session: CrawlSession, store: Store, config: Config) -> int:
    start = len(store.discovered)
    await session.discover(site_targets(config), store)
    return sum(new for _, new in store.discovered[start:])


async def check_due(session: CrawlSession, store: Store, config: Config, limit: int | None = None) -> CycleStats:
    stats = CycleStats()
    due = due_articles(store.db, store.clock(), limit or config.batch_size, config.per_site_batch)
    await _check(session, store, [{"url": a["url"], "etag": a["etag"], "last_modified": a["last_modified"],
                                   "site": _site_name(store.db, a["site_id"])} for a in due], stats)
    return stats


async def check_urls(session: CrawlSession, store: Store, urls, site: str | None = None) -> CycleStats:
    stats = CycleStats()
    site_id = ensure_site(store.db, site) if site else None
    track(store.db, urls, store.clock(), site_id)
    rows = {r["url"]: r for r in store.db.query(
        "SELECT url, etag, last_modified FROM articles WHERE url IN (%s)" % ",".join("?" for _ in urls), list(urls))}
    await _check(session, store, [{"url": u, "etag": rows.get(u, {}).get("etag"),
                                   "last_modified": rows.get(u, {}).get("last_modified"), "site": site} for u in urls],
                 stats)
    return stats


async def _check(session, store, targets, stats) -> None:
    start = len(store.results)
    await session.check(targets, store, clock=store.clock)
    stats.add(store.results[start:])


def _site_name(db, site_id):
    if site_id is None:
        return None
    row = db.execute("SELECT name FROM sites WHERE id = ?", [site_id]).fetchone()
    return row[0] if row else None
