"""The `marsad` command line (click): thin glue over the library; DESIGN.md fixes its contract.

User mistakes (a missing file, a bad URL, an unreadable database, a bad configuration) end in one line on
stderr and exit status 1 or 2, never a traceback.
"""
from __future__ import annotations

import json
import re
import sys
from functools import wraps
from pathlib import Path

import click

from crawler.extract import ExtractionError, ProfileError, extract
from detector import compare, describe, render_html, render_text, summarize
from storage import StorageError, history as load_history, open_db, recent_changes

from .config import ConfigError, load


def _friendly(fn):
    @wraps(fn)
    def wrapper(*a, **kw):
        try:
            return fn(*a, **kw)
        except (ConfigError, StorageError, ExtractionError, ProfileError) as e:
            raise click.ClickException(str(e)) from None
        except OSError as e:
            raise click.ClickException(f"{e.strerror or e}: {e.filename}" if e.filename else str(e)) from None
    return wrapper


def _common(fn):
    """--config and --db on every subcommand too, so `marsad history --db x.db URL` works as users type it."""
    @click.option("--config", "sub_config", type=click.Path(dir_okay=False), hidden=True)
    @click.option("--db", "sub_db", type=click.Path(dir_okay=False), hidden=True)
    @wraps(fn)
    def wrapper(*a, sub_config=None, sub_db=None, **kw):
        obj = click.get_current_context().find_object(Ctx)
        if obj is not None:
            obj.config_path = sub_config or obj.config_path
            obj._db = sub_db or obj._db
        return fn(*a, **kw)
    return wrapper


def _out(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


class Ctx:
    def __init__(self, config_path, db):
        self.config_path, self._db = config_path, db
        self._config = None

    @property
    def config(self):
        if self._config is None:
            self._config = load(self.config_path)
        return self._config

    @property
    def db_path(self) -> str:
        return self._db or self.config.db


@click.group()
@click.option("--config", "config_path", envvar="MARSAD_CONFIG", type=click.Path(dir_okay=False),
              help="TOML configuration (also $MARSAD_CONFIG).")
@click.option("--db", envvar="MARSAD_DB", type=click.Path(dir_okay=False),
              help="SQLite database (also $MARSAD_DB); wins over the file's [storage] db.")
@click.version_option(package_name="marsad")
@click.pass_context
def main(ctx, config_path, db):
    """marsad watches news articles, keeps every version, and says what changed."""
    ctx.obj = Ctx(config_path, db)


@main.command()
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Where to write the demo database [default: marsad-demo.db]; replaced if it is a demo database.")
@click.pass_obj
@_friendly
def demo(obj, db_path):
    """Watch a local replay of an Arabi Post article being revised, and print what marsad found."""
    from .demo import run_demo
    run_demo(db_path or obj._db or "marsad-demo.db", echo=click.echo)


def _read(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise click.ClickException(f"no such file: {path}")
    return p.read_bytes()


def _check_iso(value, name):
    if value and not re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$", value):
        raise click.BadParameter(f"{value!r} is not an ISO 8601 UTC time like 2021-02-26T13:58:00Z", param_hint=name)
    return value


def _check_url(value, hint="--url"):
    if value and not re.match(r"^https?://[^\s/]+", value):
        raise click.BadParameter(f"{value!r} is not an http(s) URL", param_hint=hint)
    return value


def _article_json(a, file=None) -> dict:
    d = {"file": file} if file is not None else {}
    d.update({k: v for k, v in a.to_dict().items() if k != "url"})
    d["url"] = a.url or None
    return d


@main.command("extract")
@click.argument("files", nargs=-1, required=True)
@click.option("--url", help="The page's URL (chooses the site profile).")
@click.option("--fetched-at", help="When the page was fetched (UTC ISO), for relative stamps.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@_common
@_friendly
def extract_cmd(files, url, fetched_at, as_json):
    """Read saved pages and print title, text, stamps (UTC), byline, language and figures."""
    _check_url(url), _check_iso(fetched_at, "--fetched-at")
    for f in files:
        a = extract(_read(f), url=url, fetched_at=fetched_at)
        if as_json:
            _out(_article_json(a, f))
        else:
            click.echo(f"== {f}\ntitle:     {a.title}\npublished: {a.published_at}\nupdated:   {a.updated_at}\n"
                       f"byline:    {a.byline}\nlang:      {a.lang}\nfigures:   "
                       + (", ".join(f"{x.measure} {x.value}" for x in a.figures) or "none") + f"\n\n{a.text}\n")


@main.command("compare")
@click.argument("old")
@click.argument("new")
@click.option("--url", help="The page's URL (chooses the site profile).")
@click.option("--old-fetched-at")
@click.option("--new-fetched-at")
@click.option("--json", "as_json", is_flag=True, help="Print {old, new, changes, alert} as JSON.")
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en", help="Language of the summary.")
@click.option("--html", "as_html", is_flag=True, help="Print the diff as an HTML fragment (<ins>/<del>, dir=rtl).")
@click.pass_obj
@_common
@_friendly
def compare_cmd(obj, old, new, url, old_fetched_at, new_fetched_at, as_json, lang, as_html):
    """Compare two saved versions of a page and say what changed."""
    from .jobs import make_store
    _check_url(url), _check_iso(old_fetched_at, "--old-fetched-at"), _check_iso(new_fetched_at, "--new-fetched-at")
    a = extract(_read(old), url=url, fetched_at=old_fetched_at)
    b = extract(_read(new), url=url, fetched_at=new_fetched_at)
    policy = make_store(None, obj.config).policy if (obj.config_path) else None
    result = compare(a, b, policy) if policy else compare(a, b)
    if as_json:
        _out({"old": _article_json(a), "new": _article_json(b), "changes": [c.to_dict() for c in result.changes],
              "alert": result.alert})
        return
    if as_html:
        click.echo(render_html(result.changes, lang))
        return
    click.echo(render_text(result.changes, lang))
    click.echo("alert: yes" if result.alert else "alert: no")


@main.command()
@click.argument("urls", nargs=-1)
@click.option("--site", help="Site name to file the given URLs under.")
@click.option("--once", is_flag=True, help="One cycle (discovery + due checks), then exit (for cron).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per checked URL.")
@click.pass_obj
@_common
@_friendly
def crawl(obj, urls, site, once, as_json):
    """Check the given URLs now; without URLs, one cycle over the configured sites."""
    import time
    from crawler.runner import CrawlSession, run_reactor
    from storage import record_cycle
    from .jobs import check_due, check_urls, discover, make_store
    for u in urls:
        _check_url(u, "URL")
    config = obj.config
    db = open_db(obj.db_path)
    store = make_store(db, config)
    session = CrawlSession(config.politeness)

    async def main():
        if urls:
            return await check_urls(session, store, list(urls), site)
        found = await discover(session, store, config)
        stats = await check_due(session, store, config)
        stats.discovered = found
        return stats

    started, t0 = store.clock(), time.monotonic()
    stats = run_reactor(main)
    if not urls:
        record_cycle(db, "once", started, store.clock(), time.monotonic() - t0, vars(stats))
    for item, rec in stats.results:
        if as_json:
            _out({"url": item.url, "outcome": rec.outcome, "version": rec.version, "status": item.status,
                  "error": item.error, "alert": rec.alert, "changes": [c.to_dict() for c in rec.changes]})
        else:
            what = summarize(rec.changes) if rec.outcome == "changed" else (item.error or "")
            click.echo(f"{rec.outcome:12s} {item.url}" + (f"  v{rec.version}" if rec.version else "") +
                       (f"  {what}" if what else ""))
    if not as_json:
        click.echo(stats.line(), err=True)


@main.command()
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING"]), default="INFO", show_default=True)
@click.pass_obj
@_common
@_friendly
def daemon(obj, log_level):
    """Run until SIGTERM/SIGINT: discover articles, revisit them on the configured ladder, keep it all."""
    import logging
    from crawler.runner import run_reactor
    from .daemon import Daemon, DaemonRunning, acquire_lock
    logging.basicConfig(level=getattr(logging, log_level), format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for noisy in ("scrapy", "apscheduler", "twisted", "trafilatura", "htmldate"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, getattr(logging, log_level)))
    config = obj.config
    try:
        lock = acquire_lock(obj.db_path)
    except DaemonRunning as e:
        raise click.ClickException(str(e)) from None
    try:
        d = Daemon(config, obj.db_path)
        raise SystemExit(run_reactor(d.run))
    finally:
        lock.close()


@main.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_common
@_friendly
def status_cmd(obj, as_json):
    """Tracked articles by state, what is due, backlog age, the last cycles."""
    from crawler.spiders.articles import utc_now
    from storage import status
    db = open_db(obj.db_path, create=False, readonly=True)
    now = utc_now()
    st = status(db, now)
    if as_json:
        _out({"now": now, **st})
        return
    arts = st["articles"]
    click.echo(f"articles: {sum(arts.values())} ({', '.join(f'{n} {k}' for k, n in sorted(arts.items())) or 'none'})")
    click.echo(f"versions: {st['versions']}, changes: {st['changes']}, checks: {st['checks']}")
    if st["due_now"]:
        click.echo(f"due now: {st['due_now']} (most overdue since {st['oldest_due']})")
    else:
        click.echo("due now: 0 (no backlog)")
    for kind, c in st["last_cycles"].items():
        click.echo(f"last {kind}: {c['finished_at']}, {c['seconds']:.1f}s: discovered {c['discovered']}, checked "
                   f"{c['checked']} (changed {c['changed']}, not modified {c['not_modified']}, errors {c['errors']})")


@main.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True)
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en")
@click.pass_obj
@_common
@_friendly
def history(obj, url, as_json, lang):
    """Every version of an article, with what changed in each."""
    db = open_db(obj.db_path, create=False, readonly=True)
    h = load_history(db, url)
    if h is None:
        raise click.ClickException(f"{url} is not tracked in {obj.db_path}")
    if as_json:
        _out(h)
        return
    art = h["article"]
    click.echo(f"{art['url']}  [{art['status']}]  {len(h['versions'])} version(s), first seen {art['first_seen_at']}")
    for v in h["versions"]:
        summary = v["summary_ar" if lang == "ar" else "summary"] or ("أول نسخة" if lang == "ar" else "first version")
        click.echo(f"  v{v['n']}  {v['fetched_at']}  {summary}\n        {v['title']}")
    for c in h["removed"]:
        click.echo(f"  taken down {c['at']} (HTTP {c['new']})")


@main.command()
@click.option("--limit", default=50, show_default=True)
@click.option("--since", help="Only changes at or after this UTC ISO time.")
@click.option("--min-severity", type=click.Choice(["none", "low", "medium", "high"]))
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_common
@_friendly
def changes(obj, limit, since, min_severity, as_json):
    """The latest changes across all articles, newest first."""
    from detector import Change
    db = open_db(obj.db_path, create=False, readonly=True)
    for c in recent_changes(db, limit, since, min_severity):
        if as_json:
            _out(c)
        else:
            ch = Change(c["kind"], c["field"], _num(c["old"]), _num(c["new"]), c["severity"], c["detail"])
            click.echo(f"{c['at']}  {c['severity']:6s} {describe(ch)}  {c['url']}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.pass_obj
@_common
@_friendly
def serve(obj, host, port):
    """Datasette on the database, with marsad's metadata, views, search and plugin; reads only."""
    import json
    import tempfile
    from pathlib import Path
    from datasette.cli import cli as datasette_cli
    from storage.datasette_config import metadata_for
    path = Path(obj.db_path)
    open_db(path, create=False).conn.close()       # a marsad database, migrated (the one write, before serving)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(metadata_for(path.stem), f, ensure_ascii=False)
    click.echo(f"Datasette on http://{host}:{port}/{path.stem} (read-only; Ctrl-C to stop)", err=True)
    datasette_cli.main(["serve", str(path), "--metadata", f.name, "--host", host, "--port", str(port),
                        "--setting", "sql_time_limit_ms", "5000"], prog_name="marsad serve")


@main.group()
def alerts():
    """The alert outbox: what is pending, send it now, or send a sample."""


@alerts.command("pending")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_common
@_friendly
def alerts_pending(obj, as_json):
    """Alerts not yet delivered (pending, being sent, or failed with their last error)."""
    from storage.outbox import pending_alerts
    rows = pending_alerts(open_db(obj.db_path, create=False))
    for r in rows:
        if as_json:
            _out(r)
        else:
            click.echo(f"#{r['id']:<5} {r['status']:8s} {r['channel']:7s} {r['recipient']}  due {r['next_attempt_at']}"
                       f"  tries {r['attempts']}  {r['url']}" + (f"\n       last error: {r['last_error']}" if r['last_error'] else ""))
    if not rows and not as_json:
        click.echo("outbox empty: every alert has been delivered")


@alerts.command("send")
@click.pass_obj
@_common
@_friendly
def alerts_send(obj):
    """Send every due alert now (what the daemon does every [delivery] every)."""
    from .notify import send_due
    report = send_due(open_db(obj.db_path, create=False), obj.config)
    click.echo(report.line())
    for e in report.errors:
        click.echo(f"  {e}", err=True)


@alerts.command("test")
@click.option("--to", "to", required=True, help="Recipient of the sample alert.")
@click.pass_obj
@_common
@_friendly
def alerts_test(obj, to):
    """Send a sample alert (the Arabi Post revision of the demo) through the configured SMTP server."""
    from email.utils import make_msgid
    from alerts import SmtpSettings, TemporaryFailure, PermanentFailure, build_message, send_mail
    from .demo_site import render_article
    settings = SmtpSettings.from_config(obj.config.smtp)
    url = "https://arabicpost.net/news/2021/02/26/russia-annoyed-us-strike-syria/"
    old, new = extract(render_article("v1"), url=url), extract(render_article("v2"), url=url)
    item = {"article_id": 0, "url": url, "site": "عربي بوست", "title": new.title, "old_title": old.title,
            "version": 2, "at": "2021-02-26T14:00:00Z", "lang": "ar", "changes": list(compare(old, new).changes)}
    msg = build_message([item], sender=settings.sender, recipient=to, msg_id=make_msgid(domain=settings.domain),
                        domain=settings.domain, datasette=obj.config.delivery.get("datasette_url"))
    try:
        send_mail(settings, msg, to)
    except (TemporaryFailure, PermanentFailure) as e:
        raise click.ClickException(f"sending to {to} via {settings.host}:{settings.port} failed: {e}") from None
    click.echo(f"sample alert sent to {to} via {settings.host}:{settings.port}")


@main.command()
@click.option("--limit", default=50, show_default=True, help="Entries in the feed.")
@click.option("--output", type=click.Path(dir_okay=False), help="Write the feed to this file instead of stdout.")
@click.pass_obj
@_common
@_friendly
def feed(obj, limit, output):
    """An Atom feed of the latest changes (one entry per changed version or take-down)."""
    from pathlib import Path
    from alerts.feed import atom
    from crawler.spiders.articles import utc_now
    from storage.outbox import feed_entries
    db = open_db(obj.db_path, create=False, readonly=True)
    xml = atom(feed_entries(db, limit), feed_id=f"tag:marsad:{Path(obj.db_path).name}", updated=utc_now())
    if output:
        Path(output).write_text(xml, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(xml)


@main.group()
def bench():
    """Benchmarks over ../shared/corpora (results go in the README)."""


@bench.command("extraction")
@click.option("-v", "--verbose", is_flag=True, help="Also list the published-day misses.")
@_friendly
def bench_extraction(verbose):
    """Extraction quality and speed against trafilatura and htmldate, measured in the same run."""
    from bench.extraction import report, run
    res = run()
    click.echo(report(res))
    if verbose:
        for corpus in ("htmldate_mediacloud", "arabic"):
            for miss in res[corpus][3]:
                click.echo("miss " + corpus + " " + " ".join(map(str, miss)))


@bench.command("detection")
@click.option("-v", "--verbose", is_flag=True, help="Also list the pairs scored wrong.")
@_friendly
def bench_detection(verbose):
    """Per-kind precision/recall on labelled pairs, alerts on the corpus negatives, compare() time."""
    from bench.detection import report, run
    s, neg, t, held = run()
    click.echo(report(s, neg, t, held))
    if verbose:
        for w in s["wrong"] + held["wrong"]:
            click.echo("wrong " + " ".join(map(str, w)))


@bench.command("daemon")
@_friendly
def bench_daemon():
    """Picking the due batch among 100,000 articles, and the idle daemon's memory."""
    from bench.daemon import main as run_bench
    raise SystemExit(run_bench([]))


@bench.command("sweep")
@_friendly
def bench_sweep():
    """Every corpus page extracted (crashes, speed) and false alerts on the unchanged-body pairs."""
    from bench.corpus_sweep import main as sweep
    raise SystemExit(sweep([]))


def _num(v):
    return int(v) if isinstance(v, str) and v.isdigit() else v


if __name__ == "__main__":
    sys.exit(main())
