"""Who gets told about what: alert rules from the configuration, matched against changes.

Pure: a rule, an article and its changes in, a yes or no out. Storage calls `matching` inside the
transaction that records the changes, so an alert row exists exactly when its changes do.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from detector import Change, severity_rank
from detector.normalize import loose


@dataclass(frozen=True)
class AlertRule:
    to: tuple[str, ...] = ()             # e-mail recipients
    webhook: str | None = None           # or/and a URL that receives a JSON POST
    kinds: tuple[str, ...] = ()          # empty: every kind
    min_severity: str = "medium"
    sites: tuple[str, ...] = ()          # empty: every site
    url_patterns: tuple[str, ...] = ()   # regular expressions; empty: every URL
    keywords: tuple[str, ...] = ()       # in the headline or text (Arabic compared without tashkeel etc.)
    measures: tuple[str, ...] = ()       # figure_changed only for these measures
    min_rise: int = 0                    # figure_changed only when the figure rose by at least this much
    digest_seconds: int = 0              # 0: send at once; else gather for this long
    name: str = ""
    error_streak: int = 0                # > 0: alert when an article's checks fail this many times in a row

    @property
    def id(self) -> str:
        return self.name or ",".join(self.to) or (self.webhook or "")

    def _figure_ok(self, c: Change) -> bool:
        if c.kind != "figure_changed":
            return True
        if self.measures and c.field not in self.measures:
            return False
        if self.min_rise:
            return isinstance(c.new, int) and (c.new - (c.old or 0)) >= self.min_rise
        return True

    def matches_article(self, site: str | None, url: str | None, title: str | None, text: str | None) -> bool:
        if self.sites and site not in self.sites:
            return False
        if self.url_patterns and not any(re.search(p, url or "") for p in self.url_patterns):
            return False
        if self.keywords:
            hay = loose(f"{title or ''} {text or ''}")
            return any(loose(k) in hay for k in self.keywords)
        return True

    def matches(self, change: Change) -> bool:
        if change.kind == "fetch_failing":          # only rules that ask for it, at the streak they name
            return bool(self.error_streak) and change.new == self.error_streak
        if self.kinds and change.kind not in self.kinds:
            return False
        floor = max(severity_rank(self.min_severity), 1)       # "none" (cosmetic) never alerts
        return severity_rank(change.severity) >= floor and self._figure_ok(change)


def _tuple(v) -> tuple:
    if not v:
        return ()
    return (v,) if isinstance(v, str) else tuple(v)


def rule_from_config(d: dict, index: int = 0, duration=None) -> AlertRule:
    """A rule from one [[alerts]] table; `duration` parses "15m" style strings (the caller's parser)."""
    digest = d.get("digest", "0m")
    return AlertRule(to=_tuple(d.get("to")), webhook=d.get("webhook") or None, kinds=_tuple(d.get("kinds")),
                     min_severity=d.get("min_severity", "medium"), sites=_tuple(d.get("sites")),
                     url_patterns=_tuple(d.get("url_patterns")), keywords=_tuple(d.get("keywords")),
                     measures=_tuple(d.get("measures")), min_rise=int(d.get("min_rise", 0)),
                     digest_seconds=int(duration(digest)) if duration else 0, name=d.get("name") or f"rule{index + 1}",
                     error_streak=int(d.get("error_streak") or 0))


def matching(rules, site: str | None, changes, url: str | None = None, title: str | None = None,
             text: str | None = None) -> list[tuple[AlertRule, list[int]]]:
    """For each rule, the indexes of the changes it covers (rules that cover none are left out)."""
    out = []
    for rule in rules:
        if not rule.matches_article(site, url, title, text):
            continue
        idx = [i for i, c in enumerate(changes) if rule.matches(c)]
        if idx:
            out.append((rule, idx))
    return out
