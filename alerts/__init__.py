"""Alerts: rules (who gets what); email rendering and the SMTP outbox sender come with issue 6."""
from .rules import AlertRule, matching, rule_from_config

__all__ = ["AlertRule", "matching", "rule_from_config"]
