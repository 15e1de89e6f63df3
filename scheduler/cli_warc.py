"""`marsad export warc` and `marsad import warc`: versions as WARC/1.1 files, and archives read back.

An import makes checks the way the daemon does: each archived response goes through the spider's cheap
path (a body byte-identical to the article's last one is `unchanged` unparsed), then the CPU step
(crawler.analyze.analyze: fingerprint, extraction, validity gate, comparison) and the writer's
record_batch. The whole archive is read before the database is opened (a damaged file changes
nothing), and all its checks are written in one transaction. An import queues no alerts (an archive is
history, not news) and asks the revisit ladder about today, not the capture's day: an article archived
long ago is retired, a recent one is watched on.

Versions stay in time order: a response the database already has (same URL and time: an archive
imported twice) or one older than its article's last check is left out and counted. An error page
(4xx/5xx) is a check only of a URL that has a version, so a site crawl's missing favicons and images do
not become tracked articles. The archive's pages are held in memory until they are written (fine for
the thousands of pages of a story's or a site's archive; a multi-gigabyte crawl would want an index of
offsets first).
"""
from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import click

from storage import open_db

from .cli_support import SINCE_HELP, _common, _friendly, _check_url, parse_since
from .terminal import echo as safe_echo


@click.group("export")
def export_group():
    """Write what marsad keeps in a format other tools read."""


@export_group.command("warc")
@click.argument("urls", nargs=-1)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The WARC file to write (FILE.warc.gz: gzipped per record; FILE.warc: plain).")
@click.option("--since", help=f"Only versions fetched at or after this time: {SINCE_HELP}.")
@click.option("--site", help="Only the versions of this site's articles.")
@click.pass_obj
@_common
@_friendly
def export_warc(obj, urls, output, since, site):
    """Each stored version as a WARC/1.1 response record (the page as fetched, WARC-Date its fetch time)
    with a metadata record of marsad's fields and changes; readable by `warcio`, pywb and other archive tools."""
    from importlib.metadata import version
    from storage.warc import export_warc as write
    for u in urls:
        _check_url(u, "URL")
    since = parse_since(since)
    db = open_db(obj.db_path, mode="read")
    if site and not db.execute("SELECT 1 FROM sites WHERE name = ?", [site]).fetchone():
        names = [r[0] for r in db.execute("SELECT name FROM sites ORDER BY name")]
        raise click.ClickException(f"no site named {site!r} in {obj.db_path} (sites: {', '.join(names) or 'none'})")
    for u in urls:
        if not db.execute("SELECT 1 FROM articles WHERE url = ?", [u]).fetchone():
            raise click.ClickException(f"{u} is not tracked in {obj.db_path}; nothing was written")
    done = write(db, output, since=since, site=site, urls=urls,
                 software=f"marsad {version('marsad')} (warcio {version('warcio')})")
    safe_echo(f"wrote {output}: {done.versions} version(s)"
              + (f", {done.headers_synthesized} with a synthesized header block (fetched before headers were kept)"
                 if done.headers_synthesized else "")
              + (f"; {done.without_html} version(s) left out: stored without their page" if done.without_html else ""))


@click.group("import")
def import_group():
    """Read into marsad what other tools (or another marsad) wrote."""


@import_group.command("warc")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_obj
@_common
@_friendly
def import_warc(obj, file):
    """Analyse a WARC file's HTML responses as checks of their articles (versions, changes), in time order.

    Requests, revisits, redirects, non-HTML and other records are left out and counted. The whole file is
    read first: a damaged or truncated archive is refused and nothing is written."""
    from storage.warc import WarcError, read_archive
    if not Path(file).is_file():
        raise click.ClickException(f"no such file: {file}")
    try:
        archive = read_archive(file)
    except WarcError as e:
        raise click.ClickException(str(e)) from None
    db = open_db(obj.db_path)
    try:
        result = import_captures(db, archive.captures, obj.config)
    except sqlite3.Error as e:                       # one transaction: rolled back whole
        raise click.ClickException(f"cannot write to {obj.db_path} ({e}); nothing was imported") from None
    finally:
        db.conn.close()
    outcomes = ", ".join(f"{n} {k}" for k, n in sorted(result.outcomes.items())) or "none"
    safe_echo(f"imported {file} into {obj.db_path}: {sum(result.outcomes.values())} check(s) ({outcomes})")
    skipped = archive.skipped + result.skipped
    if skipped:
        safe_echo(f"left out {sum(skipped.values())} record(s): "
                  + "; ".join(f"{n} {why}" for why, n in skipped.most_common()))


@dataclass
class Imported:
    outcomes: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)


@dataclass
class _Known:
    """What the next check of one URL needs to know about the last one (the database's, then this import's)."""

    previous: object = None                 # crawler.analyze.Previous
    fingerprint: str | None = None
    raw_hash: str | None = None
    last_checked: str = ""                  # the database's last check: an older capture would be out of order


def import_captures(db, captures, config) -> Imported:
    """Make one check of each capture (oldest first) and write them all in one transaction."""
    from crawler.analyze import Job, Previous, analyze, raw_hash
    from crawler.spiders.articles import utc_now
    from detector.models import Analysis, Fetch
    from storage import record_batch
    from .jobs import make_store
    store = make_store(db, config)
    ladder, today = store.revisit, utc_now()
    out, fetches, known = Imported(), [], {}
    for c in captures:
        if db.execute("SELECT 1 FROM checks JOIN articles a ON a.id = checks.article_id WHERE a.url = ?"
                      " AND checks.at = ?", [c.url, c.fetched_at]).fetchone():
            out.skipped["response already in the database (same URL and time)"] += 1
            continue
        k = known.get(c.url)
        if k is None:
            row = db.execute("SELECT fingerprint, raw_hash, last_checked_at FROM articles WHERE url = ?",
                             [c.url]).fetchone() or (None, None, None)
            k = known[c.url] = _Known(store.previous(c.url), row[0], row[1], row[2] or "")
        if c.fetched_at < k.last_checked:
            out.skipped["response older than the article's last check in the database"] += 1
            continue
        validators = dict(etag=c.headers.get("etag"), last_modified=c.headers.get("last-modified"))
        common = dict(url=c.url, fetched_at=c.fetched_at, site=c.site, status=c.status, bytes=len(c.body), **validators)
        if c.status >= 400:
            if k.previous is None:                 # an error page of a URL that never gave an article
                out.skipped[f"HTTP {c.status} response for a URL without a version"] += 1
                continue
            fetches.append(Fetch(**common, error=None if c.status in (404, 410) else f"HTTP {c.status}"))
            continue
        rh = raw_hash(c.body)
        if rh == k.raw_hash:
            fetches.append(Fetch(**common, raw_hash=rh, analysis=Analysis("unchanged")))
            continue
        analysis = analyze(Job(url=c.url, fetched_at=c.fetched_at, status=c.status, headers=c.headers, body=c.body,
                               content_type=c.headers.get("content-type", "").lower(), previous=k.previous,
                               policy=store.policy, fingerprint=k.fingerprint))
        keep = analysis.outcome in ("new", "changed")
        fetches.append(Fetch(**common, raw_hash=rh, analysis=analysis, article=analysis.article,
                             html=c.body if keep else None, headers=c.header_block if keep else None))
        if analysis.outcome != "invalid":
            k.raw_hash, k.fingerprint = rh, analysis.fingerprint or k.fingerprint
        if keep:
            a = analysis.article
            k.previous = Previous(analysis.content_hash, replace(a, url=""), len(a.text or ""))   # as storage reads it
    recorded = record_batch(db, fetches, policy=store.policy, rules=(), backoff_max=store.backoff_max,
                            revisit=lambda first, last, now, changed: ladder(first, last, today, changed))
    out.outcomes.update(r.outcome for r in recorded)
    return out
