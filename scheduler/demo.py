"""`marsad demo`: watch a local replay of Arabi Post while its article is revised, and report in plain words.

Everything is real but local: the HTTP server on 127.0.0.1, the Scrapy engine, the extractors, the
detector and a SQLite file. A simulated clock stamps the checks at the times the story unfolded.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from crawler.runner import CrawlSession, run_reactor
from detector import describe, summarize
from storage import StorageError, open_db

from .config import Config
from .demo_site import DemoSite
from .jobs import CycleStats, check_due, discover, make_store

# (state the site shows, simulated fetch time, what happened on the site)
TIMELINE = [
    ("v1", "2021-02-26T13:56:00Z", "first sighting: published 13:55"),
    ("v2", "2021-02-26T14:00:00Z", "revised at 13:58: toll 22, headline rewritten, a paragraph added"),
    ("v3", "2021-02-26T14:10:00Z", "only the sidebar changed"),
    ("v3", "2021-02-26T14:15:00Z", "nothing changed at all"),
    ("v4", "2021-02-26T14:40:00Z", "a paragraph quietly removed; the update stamp still says 13:58"),
    ("v5", "2021-02-26T14:50:00Z", "another headline"),
    ("v4", "2021-02-26T15:00:00Z", "the first headline is back"),
    ("gone", "2021-02-26T15:30:00Z", "the article's URL now redirects to the home page"),
]
SITE = "عربي بوست (demo)"


class Clock:
    def __init__(self, now: str):
        self.now = now

    def __call__(self) -> str:
        return self.now


def _fresh_db(path: Path):
    """The demo starts from an empty database; it refuses to wipe one that holds real (non-demo) data."""
    if path.exists():
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            foreign = con.execute("SELECT count(*) FROM articles WHERE url NOT LIKE 'http://127.0.0.1:%'").fetchone()[0]
            con.close()
        except sqlite3.DatabaseError:
            foreign = 1
        if foreign:
            raise StorageError(f"{path} holds data that is not the demo's; choose another --db")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    return open_db(path)


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (aiosmtpd refuses port 0, so one is picked first)."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailSink:
    """A local SMTP server (aiosmtpd on 127.0.0.1) that keeps the raw messages it accepts. Setting
    `reply` (e.g. "550 5.1.1 mailbox unavailable") makes it refuse messages with that answer instead."""

    def __init__(self, port: int | None = None):
        from aiosmtpd.controller import Controller
        self.port = port or free_port()
        self.received: list[bytes] = []
        self.reply: str | None = None
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        if self.reply:
            return self.reply
        self.received.append(envelope.content)
        return "250 Message accepted for delivery"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def run_demo(db_path: str, echo=print) -> dict:
    from .notify import send_due
    path = Path(db_path)
    db = _fresh_db(path)
    clock = Clock(TIMELINE[0][1])
    sink = MailSink()
    config = Config(sites=[], alerts=[{"to": ["desk@newsroom.example"], "min_severity": "medium"}],
                    smtp={"host": "127.0.0.1", "port": sink.port, "from": "marsad <alerts@newsroom.example>"},
                    delivery={**Config().delivery, "burst": 10})      # each of the demo's alerts its own mail
    store = make_store(db, config, clock)
    steps: list[tuple[str, str, str, CycleStats]] = []
    with DemoSite("v1") as site:
        config.sites = [{"name": SITE, "feeds": [site.feed_url], "article_pattern": r"/\d{4}/\d{2}/\d{2}/"}]
        session = CrawlSession({"obey_robots": True, "delay_seconds": 0, "autothrottle": False,
                                "per_domain_concurrency": 4, "retries": 0, "timeout_seconds": 10,
                                "allow_private_addresses": True})   # the demo site is on 127.0.0.1

        async def main():
            found = await discover(session, store, config)
            for state, at, what in TIMELINE:
                site.state, clock.now = state, at
                db.execute("UPDATE articles SET next_check_at = ? WHERE status = 'active'", [at])
                db.conn.commit()
                steps.append((state, at, what, await check_due(session, store, config)))
            return found

        try:
            found = run_reactor(main)
        finally:
            store.close()
        base = site.base_url
    with sink:
        report = send_due(db, config)
    eml = path.with_name(path.stem + "-alert.eml")
    more = [path.with_name(f"{path.stem}-alert-{i}.eml") for i in range(2, len(sink.received) + 1)]
    for i, message in enumerate(sink.received):
        (eml if i == 0 else more[i - 1]).write_bytes(message)
    _report(echo, db, path, base, found, steps)
    echo(f"Alert e-mail ({report.line()}) through a local SMTP server on 127.0.0.1:{sink.port};"
         + (f" the message it received is saved as {eml}" if sink.received else " nothing was received")
         + (f" (the next: {', '.join(p.name for p in more)})" if more else ""))
    return {"discovered": found, "steps": steps, "eml": str(eml) if sink.received else None,
            "more": [str(p) for p in more]}


def _report(echo, db, path, base, found, steps) -> None:
    echo(f"marsad demo: watching a local replay of Arabi Post at {base}")
    for (url,) in db.execute("SELECT url FROM articles ORDER BY id"):
        echo(f"  discovered from the feed: {urlsplit(url).path}")
    echo("")
    for state, at, what, stats in steps:
        echo(f"{at[11:16]} GMT  check of site state {state} ({what})")
        for item, rec in stats.results:
            if rec.outcome == "new":
                a = item.article
                echo(f"           stored version {rec.version}: {a.title}")
                figs = ", ".join(f"{f.measure} {f.value}" for f in {f.measure: f for f in a.figures}.values())
                echo(f"           published {a.published_at[11:16]} GMT · updated {a.updated_at[11:16]} GMT"
                     + (f" · {figs}" if figs else ""))
            elif rec.outcome == "changed":
                echo(f"           CHANGED → version {rec.version}" + ("  [alert queued]" if rec.alert else ""))
                order = ["removed", "figure_changed", "updated_time_changed", "published_time_changed",
                         "title_changed", "correction_added", "byline_changed"]
                shown = sorted((c for c in rec.changes if not c.detail.get("explained_by")),
                               key=lambda c: order.index(c.kind) if c.kind in order else len(order))
                for c in shown:
                    line = describe(c)
                    test = c.detail.get("headline_test") if c.kind == "title_changed" else None
                    if test:
                        line += ": " + " | ".join(f"«{t}»" for t in test["variants"])
                    elif c.kind == "title_changed":
                        line += f": «{c.old}» → «{c.new}»"
                    elif c.kind in ("sentence_added", "correction_added"):
                        line += f": «{c.new}»"
                    elif c.kind == "sentence_removed":
                        line += f": «{c.old}»"
                    echo(f"             - {line}")
                echo(f"           in one line: {summarize(rec.changes)}")
                echo(f"           بالعربية: {summarize(rec.changes, 'ar')}")
                silent = next((c for c in rec.changes if c.detail.get("silent")), None)
                if silent:
                    echo("           SILENT EDIT: the update stamp did not move"
                         f" ({(item.article.updated_at or '')[11:16]} GMT) and no correction notice was added")
            elif rec.outcome == "unchanged":
                echo("           no change: the article is the same (page furniture ignored); no version stored")
            elif rec.outcome == "not_modified":
                echo("           no change: the server answered 304 Not Modified (conditional GET), nothing parsed")
            elif rec.outcome == "removed":
                for c in rec.changes:
                    what = describe(c)
                    echo("           TAKEN DOWN" + (what[len("taken down"):] if what.startswith("taken down")
                                                    else f": {what}")
                         + (f" ({c.detail['final_url']})" if c.detail.get("final_url") else "")
                         + ("  [alert queued]" if rec.alert else ""))
                    good = c.detail.get("last_good_version")
                    if good:
                        echo(f"           the last good version ({good}) stays one click away:"
                             f" /-/marsad/article/{rec.article_id}?to={good}")
            else:
                echo(f"           {rec.outcome}: {item.error or item.status}")
        echo("")
    counts = {t: db[t].count for t in ("articles", "versions", "checks", "changes", "alerts")}
    echo(f"Stored in {path}: " + ", ".join(f"{n} {t if n != 1 else t[:-1]}" for t, n in counts.items()))
    echo(f"Read it:  marsad history --db {path} {db.execute('SELECT url FROM articles').fetchone()[0]}")
    echo(f"Browse it in Datasette:  marsad serve --db {path}   (then http://127.0.0.1:8001/: the front page)")
