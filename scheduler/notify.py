"""Send what the outbox holds: plan the messages, compose them, deliver, and record each outcome.

Wiring only: storage.outbox (rows), alerts.batching (groups), alerts.compose (messages), alerts.delivery
(SMTP, webhooks). A row is marked sent only after the server accepted the message.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from alerts import (PermanentFailure, SmtpSettings, TemporaryFailure, build_message, message_id, post_webhook,
                    send_mail, webhook_payload)
from alerts.batching import plan
from crawler.spiders.articles import utc_now
from storage.times import parse_utc, shift
from storage.outbox import alert_items, due_alerts, mark_failed, mark_retry, mark_sending, mark_sent, sent_since

from .config import Config


@dataclass
class NotifyReport:
    messages: int = 0
    alerts_sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list = field(default_factory=list)

    def line(self) -> str:
        return (f"sent {self.messages} message(s) covering {self.alerts_sent} alert(s); "
                f"{self.retrying} to retry, {self.failed} failed")


def send_due(db, config: Config, *, now: str | None = None, settings: SmtpSettings | None = None,
             on_sent=None) -> NotifyReport:
    """Send every due alert once. `on_sent(message, recipient)` is called after each accepted e-mail."""
    now = now or utc_now()
    settings = settings or SmtpSettings.from_config(config.smtp)
    d = config.delivery
    digest_rules = {r.id for r in config.alert_rules() if r.digest_seconds}
    rows = due_alerts(db, now)
    targets = {(r["channel"], r["recipient"]) for r in rows}
    budget = {t: d["per_hour"] - sent_since(db, t[0], t[1], shift(now, -3600)) for t in targets}
    report = NotifyReport()
    for group in plan(rows, digest_rules=digest_rules, burst=d["burst"], budget=budget):
        ids = [r["id"] for r in group]
        channel, recipient = group[0]["channel"], group[0]["recipient"]
        existing = {r.get("message_id") for r in group}
        mid = existing.pop() if len(existing) == 1 and None not in existing else message_id(ids, settings.domain)
        items = alert_items(db, group)
        mark_sending(db, ids, mid)                       # committed before the conversation with the server
        try:
            if channel == "webhook":
                post_webhook(recipient, webhook_payload(items))
                msg = None
            else:
                msg = build_message(items, sender=settings.sender, recipient=recipient, msg_id=mid,
                                    domain=settings.domain, datasette=d.get("datasette_url"),
                                    date=parse_utc(now))
                send_mail(settings, msg, recipient)
        except TemporaryFailure as e:
            status = mark_retry(db, ids, now, str(e), d["max_attempts"])
            report.retrying += status == "pending"
            report.failed += status == "failed"
            report.errors.append(f"{recipient}: {e}")
            continue
        except PermanentFailure as e:
            mark_failed(db, ids, str(e))
            report.failed += 1
            report.errors.append(f"{recipient}: {e}")
            continue
        mark_sent(db, ids, now)
        report.messages += 1
        report.alerts_sent += len(ids)
        if on_sent and msg is not None:
            on_sent(msg, recipient)
    return report
