"""The jobs of a crawl, wired from config, storage, crawler and detector (the composition root).

`discover` reads the sites' feeds and section pages; `check_due` fetches the articles that are due;
`check_urls` fetches given URLs now. Each returns what it did, for the log line and the command line.
`due_targets` is what the daemon's dispatcher feeds its open crawler with.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from crawler.extract import profile_named
from crawler.pipeline import Store
from crawler.runner import CrawlSession
from crawler.spiders.articles import utc_now
from crawler.url_policy import site_domains
from detector import Policy
from storage import due_articles, ensure_site, track

from .config import Config
from .durations import seconds
from .revisit import Ladder

COUNTED = ("checked", "new", "changed", "unchanged", "not_modified", "removed", "errors")


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
    results: list = field(default_factory=list)      # one-off runs only: (fetch, recorded), without raw HTML

    def count(self, outcome: str) -> None:
        self.checked += 1
        key = {"error": "errors"}.get(outcome, outcome)
        setattr(self, key, getattr(self, key) + 1)

    def add(self, results) -> None:
        for item, rec in results:
            self.count(rec.outcome)
            self.results.append((item, rec))

    def counts(self) -> dict:
        return {k: getattr(self, k) for k in ("discovered", *COUNTED)}

    def line(self) -> str:
        return (f"discovered {self.discovered}, checked {self.checked} (new {self.new}, changed {self.changed}, "
                f"unchanged {self.unchanged}, not modified {self.not_modified}, removed {self.removed}, "
                f"errors {self.errors})")


def make_store(db, config: Config, clock=utc_now, targets_hint: int | None = None, on_written=None) -> Store:
    det = config.detector
    pol = config.politeness
    return Store(db=db, policy=Policy(det.get("min_severity", "medium"), dict(det.get("severity", {}))),
                 rules=config.alert_rules(), revisit=Ladder(config.revisit), clock=clock,
                 pipeline=dict(getattr(config, "pipeline", {}) or {}),
                 backoff_max=seconds(pol.get("host_backoff_max", "6h")),
                 targets_hint=targets_hint, on_written=on_written)


def site_targets(config: Config) -> list[dict]:
    """Discovery targets: the configured sites, with feeds and pattern from their profile when not given."""
    out = []
    for s in config.sites:
        prof = profile_named(s["profile"]) if s.get("profile") else None
        site = {"name": s["name"], "feeds": s.get("feeds") or (list(prof.feeds) if prof else []),
                "sitemaps": s.get("sitemaps", []), "sections": s.get("sections", []),
                "domains": s.get("domains", []),
                "max_age_seconds": Ladder(config.revisit).rungs[-1][0],
                "article_pattern": s.get("article_pattern") or (prof.article_pattern if prof else None)}
        site["domains"] = sorted(site_domains(site))
        out.append(site)
    return out


def due_targets(store: Store, config: Config, limit: int, exclude=frozenset(),
                sites: dict | None = None) -> list[dict]:
    """The most overdue active articles, as spider targets (validators, raw hash, site and its domains).
    `sites`: site_targets(config) by name, for a caller that asks every tick (the daemon keeps it)."""
    sites = sites if sites is not None else {s["name"]: s for s in site_targets(config)}
    names = dict(store.db.execute("SELECT id, name FROM sites").fetchall())
    due = due_articles(store.db, store.clock(), limit + len(exclude), config.per_site_batch)
    out = []
    for a in due:
        if a["url"] in exclude:
            continue
        name = names.get(a["site_id"])
        out.append({"id": a["id"], "url": a["url"], "etag": a["etag"], "last_modified": a["last_modified"],
                    "raw_hash": a.get("raw_hash"), "fingerprint": a.get("fingerprint"), "site": name,
                    "domains": sites.get(name, {}).get("domains", [])})
        if len(out) >= limit:
            break
    return out


async def discover(session: CrawlSession, store: Store, config: Config) -> int:
    return await session.discover(site_targets(config), store)


async def check_due(session: CrawlSession, store: Store, config: Config, limit: int | None = None) -> CycleStats:
    targets = due_targets(store, config, limit or config.batch_size)
    return await _check(session, store, targets)


async def check_urls(session: CrawlSession, store: Store, urls, site: str | None = None) -> CycleStats:
    site_id = ensure_site(store.db, site) if site else None
    track(store.db, urls, store.clock(), site_id)
    rows = {r["url"]: r for r in store.db.query(
        "SELECT url, etag, last_modified, raw_hash, fingerprint FROM articles WHERE url IN (%s)"
        % ",".join("?" for _ in urls), list(urls))}
    keys = ("etag", "last_modified", "raw_hash", "fingerprint")
    targets = [{"url": u, **{k: rows.get(u, {}).get(k) for k in keys}, "site": site} for u in urls]
    return await _check(session, store, targets)


async def _check(session, store, targets) -> CycleStats:
    """One-off checks: results come back from the writer thread into this run's stats."""
    import threading
    stats, lock = CycleStats(), threading.Lock()
    previous = store.on_written

    def collect(done):
        with lock:
            for item, rec in done:
                item.html = None                       # the stats keep what a report needs, not the page
                stats.add([(item, rec)])

    store.on_written = collect
    if store._pool is None and store.targets_hint is None:
        store.targets_hint = len(targets)            # a small one-off run analyses in-process
    store.warm()
    try:
        await session.check(targets, store)
    finally:
        store.on_written = previous
    order = {t["url"]: i for i, t in enumerate(targets)}
    stats.results.sort(key=lambda r: order.get(r[0].url, len(order)))
    return stats
