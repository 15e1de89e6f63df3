"""The `marsad` command line (click): thin glue over the library; DESIGN.md fixes its contract.

User mistakes (a missing file, a bad URL, an unreadable database, a bad configuration) end in one line on
stderr and exit status 1 or 2, never a traceback.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from crawler.extract import extract
from detector import compare, describe, render_html, render_text, summarize
from storage import history as load_history, open_db, recent_changes

from .cli_support import (SINCE_HELP, Ctx, _article_json, _check_iso, _check_url, _common, _friendly, _out, _read,
                          parse_since)
from .terminal import echo as safe_echo, safe as safe_text


class MarsadGroup(click.Group):
    """The entry point: a reader that goes away (`marsad changes | head -1`) ends marsad quietly, as
    Python's signal docs recommend for SIGPIPE: stdout is pointed at devnull (so the flush at exit cannot
    fail again) and the exit status is 1, without a traceback or an "Error: Broken pipe" line."""

    def main(self, *args, **kwargs):
        try:
            try:
                return super().main(*args, **kwargs)
            finally:
                sys.stdout.flush()
        except BrokenPipeError:
            import os
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)


@click.group(cls=MarsadGroup)
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
            figures = ", ".join(f"{x.measure} {x.value}" for x in a.figures) or "none"
            click.echo(safe_text(f"== {f}\ntitle:     {a.title}\npublished: {a.published_at}\nupdated:   "
                                 f"{a.updated_at}\nbyline:    {a.byline}\nlang:      {a.lang}\nfigures:   {figures}"
                                 f"\n\n{a.text}\n", multiline=True))


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
        click.echo(safe_text(render_html(result.changes, lang), multiline=True))
        return
    click.echo(safe_text(render_text(result.changes, lang), multiline=True))
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
    try:
        stats = run_reactor(main)
    finally:
        store.close()
    if not urls:
        record_cycle(db, "once", started, store.clock(), time.monotonic() - t0, stats.counts())
    for item, rec in stats.results:
        error = item.error or (item.analysis.reason if item.analysis is not None and rec.outcome == "error" else None)
        if as_json:
            _out({"url": item.url, "outcome": rec.outcome, "version": rec.version, "status": item.status,
                  "error": error, "alert": rec.alert, "changes": [c.to_dict() for c in rec.changes]})
        else:
            what = summarize(rec.changes) if rec.outcome == "changed" else (error or "")
            safe_echo(f"{rec.outcome:12s} {item.url}" + (f"  v{rec.version}" if rec.version else "") +
                      (f"  {what}" if what else ""))
    if not as_json:
        click.echo(stats.line(), err=True)
    if stats.errors:
        raise SystemExit(1)            # a crawl with failures says so to cron and scripts


@main.command()
@click.option("--log-level", type=click.Choice(["DEBUG", "INFO", "WARNING"]), default="INFO", show_default=True)
@click.option("--redis", "redis_url", envvar="MARSAD_REDIS", metavar="URL",
              help="Coordinate `marsad worker`s through this Redis (redis://host:6379/0); wins over [redis] url.")
@click.pass_obj
@_common
@_friendly
def daemon(obj, log_level, redis_url):
    """Run until SIGTERM/SIGINT: discover articles, revisit them on the configured ladder, keep it all."""
    from crawler.runner import run_reactor
    from .daemon import Daemon, DaemonRunning, acquire_lock
    from .cli_redis import check_redis_url, setup_logging
    setup_logging(log_level)
    config = obj.config
    redis_url = check_redis_url(redis_url or config.redis.get("url"))
    try:
        lock = acquire_lock(obj.db_path)
    except DaemonRunning as e:
        raise click.ClickException(str(e)) from None
    try:
        if redis_url:
            from .coordinator import Coordinator, RedisUnavailable
            d = Coordinator(config, obj.db_path, redis_url)
            try:
                raise SystemExit(run_reactor(d.run))
            except RedisUnavailable as e:
                raise click.ClickException(str(e)) from None
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
    db = open_db(obj.db_path, mode="read")
    now = utc_now()
    st = status(db, now)
    if as_json:
        _out({"now": now, **st})
        return
    arts = st["articles"]
    safe_echo(f"articles: {sum(arts.values())} ({', '.join(f'{n} {k}' for k, n in sorted(arts.items())) or 'none'})")
    safe_echo(f"versions: {st['versions']}, changes: {st['changes']}, checks: {st['checks']}")
    if st["due_now"]:
        safe_echo(f"due now: {st['due_now']} (most overdue since {st['oldest_due']})")
    else:
        safe_echo("due now: 0 (no backlog)")
    for kind, c in st["last_cycles"].items():
        safe_echo(f"last {kind}: {c['finished_at']}, {c['seconds']:.1f}s: discovered {c['discovered']}, checked "
                   f"{c['checked']} (changed {c['changed']}, not modified {c['not_modified']}, errors {c['errors']})")
    for key, row in st.get("state", {}).items():
        if row.get("value"):
            safe_echo(f"daemon {key}: {row['value']} (since {row.get('since')})")
    for h in st["failing_hosts"]:
        safe_echo(f"failing host: {h['host']}: {h['failures']} failure(s) in a row, last {h['last_error_at']}: "
                  f"{h['last_error']}" + (f"; backing off until {h['backoff_until']}" if h["backoff_until"] else ""))
    for a in st["failing_articles"]:
        safe_echo(f"failing article: {a['url']}: {a['error_streak']} failed check(s) in a row: {a['last_error']}")


@main.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True)
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en")
@click.pass_obj
@_common
@_friendly
def history(obj, url, as_json, lang):
    """Every version of an article, with what changed in each."""
    db = open_db(obj.db_path, mode="read")
    h = load_history(db, url)
    if h is None:
        raise click.ClickException(f"{url} is not tracked in {obj.db_path}")
    if as_json:
        _out(h)
        return
    art = h["article"]
    safe_echo(f"{art['url']}  [{art['status']}]  {len(h['versions'])} version(s), first seen {art['first_seen_at']}")
    for v in h["versions"]:
        summary = v["summary_ar" if lang == "ar" else "summary"] or ("أول نسخة" if lang == "ar" else "first version")
        safe_echo(f"  v{v['n']}  {v['fetched_at']}  {summary}")
        safe_echo(f"        {v['title']}")
    for c in h["removed"]:
        safe_echo(f"  taken down {c['at']} (HTTP {c['new']})")


@main.command()
@click.option("--limit", default=50, show_default=True)
@click.option("--since", help=f"Only changes at or after this time: {SINCE_HELP}.")
@click.option("--min-severity", type=click.Choice(["none", "low", "medium", "high"]))
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@_common
@_friendly
def changes(obj, limit, since, min_severity, as_json):
    """The latest changes across all articles, newest first."""
    from detector import Change
    since = parse_since(since)                 # before the database: a bad value is exit 2 either way
    db = open_db(obj.db_path, mode="read")
    for c in recent_changes(db, limit, since, min_severity):
        if as_json:
            _out(c)
        else:
            ch = Change(c["kind"], c["field"], _num(c["old"]), _num(c["new"]), c["severity"], c["detail"])
            safe_echo(f"{c['at']}  {c['severity']:6s} {describe(ch)}  {c['url']}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.pass_obj
@_common
@_friendly
def serve(obj, host, port):
    """Datasette on the database, with marsad's metadata, views, search and plugin; reads only."""
    import tempfile
    from datasette.cli import cli as datasette_cli
    from storage.datasette_config import metadata_for
    path = Path(obj.db_path)
    open_db(path, mode="read").conn.close()        # a marsad database at this schema: serve never writes
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(metadata_for(path.stem), f, ensure_ascii=False)
    click.echo(f"marsad on http://{host}:{port}/ (the latest changes; tables and views at /{path.stem}; read-only; "
               "Ctrl-C to stop)", err=True)
    datasette_cli.main(["serve", str(path), "--metadata", f.name, "--host", host, "--port", str(port),
                        "--setting", "sql_time_limit_ms", "5000"], prog_name="marsad serve")


def _num(v):
    return int(v) if isinstance(v, str) and v.isdigit() else v


from .cli_alerts import alerts, feed  # noqa: E402  (sub-commands live in their own modules)
from .cli_bench import bench  # noqa: E402
from .cli_config import config as config_group  # noqa: E402
from .cli_redis import worker  # noqa: E402
from .cli_warc import export_group, import_group  # noqa: E402

main.add_command(export_group)
main.add_command(import_group)
main.add_command(alerts)
main.add_command(feed)
main.add_command(bench)
main.add_command(config_group)
main.add_command(worker)

if __name__ == "__main__":
    sys.exit(main())
