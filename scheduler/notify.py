"""Send what the outbox holds: claim the due rows, compose the messages, deliver, and record each outcome.

Wiring only: storage.outbox (rows, claims and leases; per-version items, or per-article items as each
story now stands for a digest), alerts.batching (which rows go together, and digest windows on the
clock), alerts.compose (messages), alerts.delivery (SMTP, webhooks). Exactly once between senders: the rows are claimed, grouped and given
their Message-IDs in one write transaction, and a message goes out only while its sender still holds the
lease. At least once across crashes: a row whose sender died is resent, with the same Message-ID, once
the lease has run out. An SMTP login failure is the operator's to fix, not the alert's: the rows are given
back untouched and the report says so (`auth_error`).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from alerts import (AuthFailure, PermanentFailure, SmtpSettings, TemporaryFailure, build_message, check_server,
                    message_id, post_webhook, send_mail, webhook_payload)
from alerts.batching import plan
from detector import Policy
from storage.outbox import (abandon, alert_items, claim, digest_items, due_alerts, immediate, mark_failed, mark_retry,
                            mark_sent, new_owner, release, renew, sent_since)
from storage.times import format_utc, parse_utc, shift

from .config import Config
from .durations import seconds

DEFAULT_LEASE = "5m"      # how long a claim holds; far above the SMTP timeout (30 s) of one message


@dataclass
class NotifyReport:
    messages: int = 0
    alerts_sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0                      # alerts left pending because the SMTP login failed
    errors: list = field(default_factory=list)
    auth_error: str | None = None      # "SMTP authentication failed at HOST:PORT as USER: ..." (no password)

    def line(self) -> str:
        out = (f"sent {self.messages} message(s) covering {self.alerts_sent} alert(s); "
               f"{self.retrying} to retry, {self.failed} failed")
        if self.auth_error:
            out += f"; {self.held} held back: SMTP authentication failed"
        return out


def auth_problem(settings: SmtpSettings, error: Exception) -> str:
    """The one line an operator reads for an SMTP login failure: where, as whom, what the server said."""
    return (f"SMTP authentication failed at {settings.host}:{settings.port} as {settings.user or '(no smtp.user)'}:"
            f" {error}")


def check_smtp(config: Config, settings: SmtpSettings | None = None) -> str | None:
    """Connect, EHLO, STARTTLS/TLS as configured, AUTH if a user is set, QUIT. Returns what is wrong in one
    line, or None when the server would take mail (or no rule sends e-mail). For the daemon: at start and
    every hour, so a wrong password is seen before the first alert, not after."""
    if not any(r.to for r in config.alert_rules()):
        return None
    settings = settings or SmtpSettings.from_config(config.smtp)
    try:
        check_server(settings)
    except AuthFailure as e:
        return auth_problem(settings, e)
    except (TemporaryFailure, PermanentFailure) as e:
        return f"SMTP server {settings.host}:{settings.port} is not usable: {e}"
    return None


def _claim_due(db, config: Config, settings: SmtpSettings, now: str, owner: str, lease: float) -> list[tuple]:
    """In one write transaction: the due rows, grouped into messages (digest rows only once their window
    has closed), each group claimed under its Message-ID. Returns (batch, message id) per message, the
    batch's rows as they were before the claim."""
    d = config.delivery
    rules = {r.id: r for r in config.alert_rules()}
    claimed = []
    with immediate(db):
        rows = due_alerts(db, now)
        targets = {(r["channel"], r["recipient"]) for r in rows}
        budget = {t: d["per_hour"] - sent_since(db, t[0], t[1], shift(now, -3600), now=now) for t in targets}
        for batch in plan(rows, rules=rules, now=parse_utc(now), burst=d["burst"], budget=budget):
            ids = [r["id"] for r in batch.rows]
            existing = {r.get("message_id") for r in batch.rows}
            mid = existing.pop() if len(existing) == 1 and None not in existing else message_id(ids, settings.domain)
            claim(db, ids, mid, owner, shift(now, lease))
            claimed.append((batch, mid))
    return claimed


def _items(db, config: Config, batch) -> list[dict]:
    """What the message says: per version (or, in a digest, per article as it stands now), with the rules
    that matched and why (a keyword rule names the word and where it was found)."""
    det = config.detector
    items = (digest_items(db, batch.rows, Policy(det.get("min_severity", "medium"), dict(det.get("severity", {}))))
             if batch.digest else alert_items(db, batch.rows))
    rules = {r.id: r for r in config.alert_rules()}
    for it in items:
        text = None
        if any(rules.get(name) is not None and rules[name].keywords for name in it.get("rules", [])) and it["version_id"]:
            row = db.execute("SELECT text FROM versions WHERE id = ?", [it["version_id"]]).fetchone()
            text = row[0] if row else None
        it["why"] = [rules[name].why(it.get("title"), text) if name in rules else f"rule “{name}”"
                     for name in it.get("rules", [])]
    return items


def send_due(db, config: Config, *, now: str | None = None, settings: SmtpSettings | None = None,
             on_sent=None) -> NotifyReport:
    """Send every due alert once. `on_sent(message, recipient)` is called after each accepted e-mail."""
    now = now or format_utc(datetime.now(timezone.utc))       # (not the spider's utc_now: no Scrapy import)
    t0 = time.monotonic()
    settings = settings or SmtpSettings.from_config(config.smtp)
    d = config.delivery
    lease = seconds(d.get("lease", DEFAULT_LEASE))
    owner = new_owner()
    todo = _claim_due(db, config, settings, now, owner, lease)
    report = NotifyReport()
    in_flight = None
    try:
        while todo:
            batch, mid = todo[0]
            group = batch.rows
            ids = [r["id"] for r in group]
            channel, recipient = group[0]["channel"], group[0]["recipient"]
            if channel == "email" and report.auth_error:
                release(db, group, owner)                     # the login will fail again: keep them pending
                report.held += len(ids)
                todo.pop(0)
                continue
            # The caller's clock, moved on by the time spent sending so far.
            if not renew(db, ids, owner, shift(shift(now, time.monotonic() - t0), lease)):
                todo.pop(0)                                   # the lease ran out and another sender has it
                continue
            items = _items(db, config, batch)
            try:
                if channel == "webhook":
                    payload, msg = webhook_payload(items), None
                    in_flight = ids                            # from here on it may arrive
                    post_webhook(recipient, payload)
                else:
                    msg = build_message(items, sender=settings.sender, recipient=recipient, msg_id=mid,
                                        domain=settings.domain, public_url=config.serve.get("public_url"),
                                        date=parse_utc(now), digest=batch.digest, window=batch.window)
                    in_flight = ids
                    send_mail(settings, msg, recipient)
            except AuthFailure as e:
                in_flight = None
                release(db, group, owner)
                report.held += len(ids)
                report.auth_error = auth_problem(settings, e)
            except TemporaryFailure as e:
                in_flight = None
                status = mark_retry(db, ids, now, str(e), d["max_attempts"], owner=owner)
                report.retrying += status == "pending"
                report.failed += status == "failed"
                report.errors.append(f"{recipient}: {e}")
            except PermanentFailure as e:
                in_flight = None
                mark_failed(db, ids, str(e), owner=owner)
                report.failed += 1
                report.errors.append(f"{recipient}: {e}")
            else:
                mark_sent(db, ids, now, owner=owner)
                in_flight = None
                report.messages += 1
                report.alerts_sent += len(ids)
                if on_sent and msg is not None:
                    on_sent(msg, recipient)
            todo.pop(0)
    finally:
        _let_go(db, owner, todo, in_flight)
    return report


def _let_go(db, owner: str, todo: list[tuple], in_flight: list[int] | None) -> None:
    """On the way out of an exception: the message in flight may have arrived, so its rows stay `sending`
    (resent at once by the next sender, same Message-ID); the untried ones go back as they were. If even
    this fails (the database is gone), the leases simply run out."""
    if not todo:
        return
    try:
        for batch, _ in todo:
            ids = [r["id"] for r in batch.rows]
            if ids == in_flight:
                abandon(db, ids, owner)
            else:
                release(db, batch.rows, owner)
    except Exception:
        pass
