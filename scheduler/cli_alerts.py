"""`marsad alerts pending|send|test` and `marsad feed`: the outbox and the Atom feed."""
from __future__ import annotations

import click

from crawler.extract import extract
from detector import compare
from storage import open_db

from .cli_support import _common, _friendly, _out
from .terminal import echo as safe_echo


class SmtpAuthProblem(click.ClickException):
    """The SMTP server refused marsad's login: a configuration error (exit 2); the alerts stay pending."""
    exit_code = 2


@click.group()
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
    from alerts.batching import parse_utc
    from storage.times import format_utc
    rows = pending_alerts(open_db(obj.db_path, mode="read"))
    rules = {rule.id: rule for rule in obj.config.alert_rules()}
    for r in rows:
        rule = rules.get(r["rule"])
        if rule and rule.digest and r["status"] == "pending" and not r["attempts"]:
            # A digest row waits for its window on the clock, whatever next_attempt_at says.
            r["due"] = max(format_utc(rule.due_at(parse_utc(r["created_at"]))), r["next_attempt_at"])
        else:
            r["due"] = r["next_attempt_at"]
        if as_json:
            _out(r)
        else:
            safe_echo(f"#{r['id']:<5} {r['status']:8s} {r['channel']:7s} {r['recipient']}  due {r['due']}"
                      f"  tries {r['attempts']}  {r['url']}")
            if r["status"] == "sending" and r["lease_until"]:
                safe_echo(f"       being sent by {r['lease_owner']} (lease until {r['lease_until']})")
            if r["last_error"]:
                safe_echo(f"       last error: {r['last_error']}")
    if not rows and not as_json:
        click.echo("outbox empty: every alert has been delivered")


@alerts.command("send")
@click.pass_obj
@_common
@_friendly
def alerts_send(obj):
    """Send every due alert now (what the daemon does every [delivery] every).

    Safe beside a running daemon: each alert is claimed by one sender. A failed SMTP login leaves the
    alerts pending and exits 2."""
    from .notify import send_due
    report = send_due(open_db(obj.db_path, create=False), obj.config)
    click.echo(report.line())
    for e in report.errors:
        click.echo(f"  {e}", err=True)
    if report.auth_error:
        raise SmtpAuthProblem(report.auth_error)


@alerts.command("test")
@click.option("--to", "to", required=True, help="Recipient of the sample alert.")
@click.pass_obj
@_common
@_friendly
def alerts_test(obj, to):
    """Send a sample alert (the Arabi Post revision of the demo) through the configured SMTP server."""
    from email.utils import make_msgid
    from alerts import AuthFailure, SmtpSettings, TemporaryFailure, PermanentFailure, build_message, send_mail
    from .notify import auth_problem
    from .demo_site import render_article
    settings = SmtpSettings.from_config(obj.config.smtp)
    url = "https://arabicpost.net/news/2021/02/26/russia-annoyed-us-strike-syria/"
    old, new = extract(render_article("v1"), url=url), extract(render_article("v2"), url=url)
    item = {"article_id": 0, "url": url, "site": "عربي بوست", "title": new.title, "old_title": old.title,
            "version": 2, "version_id": 2, "from_n": 1, "at": "2021-02-26T14:00:00Z", "lang": "ar",
            "changes": list(compare(old, new).changes), "rules": ["sample"],
            "why": ["a sample sent by `marsad alerts test` (its links name no stored article)"]}
    msg = build_message([item], sender=settings.sender, recipient=to, msg_id=make_msgid(domain=settings.domain),
                        domain=settings.domain, public_url=obj.config.serve.get("public_url"))
    try:
        send_mail(settings, msg, to)
    except AuthFailure as e:
        raise SmtpAuthProblem(auth_problem(settings, e)) from None
    except (TemporaryFailure, PermanentFailure) as e:
        raise click.ClickException(f"sending to {to} via {settings.host}:{settings.port} failed: {e}") from None
    click.echo(f"sample alert sent to {to} via {settings.host}:{settings.port}")


@click.command()
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
    db = open_db(obj.db_path, mode="read")
    xml = atom(feed_entries(db, limit), feed_id=f"tag:marsad:{Path(obj.db_path).name}", updated=utc_now())
    if output:
        Path(output).write_text(xml, encoding="utf-8")
        click.echo(f"wrote {output}")
    else:
        click.echo(xml)
