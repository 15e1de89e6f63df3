"""Alerts: rules (who gets what), message composition (pure), delivery over SMTP and webhooks (I/O).

The outbox rows live in storage (storage/outbox.py); scheduler/notify.py wires the three together.
"""
from .compose import build_message, message_id, subject, thread_id, webhook_payload
from .delivery import (AuthFailure, PermanentFailure, SmtpSettings, TemporaryFailure, check_server, post_webhook,
                       send_mail)
from .rules import AlertRule, matching, rule_from_config

__all__ = ["AlertRule", "AuthFailure", "PermanentFailure", "SmtpSettings", "TemporaryFailure", "build_message",
           "check_server", "matching", "message_id", "post_webhook", "rule_from_config", "send_mail", "subject",
           "thread_id", "webhook_payload"]
