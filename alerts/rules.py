"""Who gets told about what: alert rules from the configuration, matched against changes.

Pure: a rule and a change in, a yes or no out. Storage calls `matching_rules` inside the transaction
that records the changes, so an alert row exists exactly when its changes do.
"""
from __future__ import annotations

from dataclasses import dataclass

from detector import Change, severity_rank


@dataclass(frozen=True)
class AlertRule:
    to: tuple[str, ...]
    kinds: tuple[str, ...] = ()          # empty: every kind
    min_severity: str = "medium"
    sites: tuple[str, ...] = ()          # empty: every site
    digest: str = "0m"                   # "0m": send at once
    name: str = ""

    @property
    def id(self) -> str:
        return self.name or ",".join(self.to)

    def matches(self, site: str | None, change: Change) -> bool:
        if self.sites and site not in self.sites:
            return False
        if self.kinds and change.kind not in self.kinds:
            return False
        floor = max(severity_rank(self.min_severity), 1)       # "none" (cosmetic) never alerts
        return severity_rank(change.severity) >= floor


def rule_from_config(d: dict, index: int = 0) -> AlertRule:
    to = d.get("to") or []
    to = (to,) if isinstance(to, str) else tuple(to)
    return AlertRule(to=to, kinds=tuple(d.get("kinds") or ()), min_severity=d.get("min_severity", "medium"),
                     sites=tuple(d.get("sites") or ()), digest=d.get("digest", "0m"),
                     name=d.get("name") or f"rule{index + 1}")


def matching(rules, site: str | None, changes) -> list[tuple[AlertRule, list[int]]]:
    """For each rule, the indexes of the changes it covers (rules that cover none are left out)."""
    out = []
    for rule in rules:
        idx = [i for i, c in enumerate(changes) if rule.matches(site, c)]
        if idx:
            out.append((rule, idx))
    return out
