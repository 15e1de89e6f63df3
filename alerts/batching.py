"""Which due alert rows travel together, and when. Pure: rows, rules and the time in, batches out (each
batch is one message).

- A row left in `sending` by a crash is resent as the exact group it was in (same Message-ID), composed
  the same way (a digest again if it was one: that is decided from the rows and rules alone).
- A digest rule's rows wait until their window on the clock closes (alerts/schedule.py); then every row
  of that window for one recipient goes as one digest. A row of a rule with `urgent = "high"` whose
  changes reach that severity does not wait: it goes at once, like an immediate rule's.
- Immediate rows go one message per article version (several rules matching the same version for the
  same recipient make one message, never two) unless there are more messages than `burst`, or than
  the recipient's remaining hourly budget: then everything due goes as one digest (a redesign that
  touches 500 articles makes one mail, not 500).
- A recipient with no budget left this hour gets nothing now; the rows wait, still due.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone


def parse_utc(iso: str) -> datetime:
    """A stored time ("2021-02-26T13:58:00Z", docs/architecture.md) as an aware UTC datetime."""
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


@dataclass
class Batch:
    rows: list[dict]
    digest: bool = False
    window: tuple | None = None        # (start, end, tz) of a digest's window on the clock


def _held_in(row: dict, rules: dict):
    """The digest schedule a row waits for, or None (it goes at once)."""
    rule = rules.get(row["rule"])
    if rule is None or rule.digest is None or rule.is_urgent(row.get("severity")):
        return None
    return rule.digest


def _window(rows: list[dict], rules: dict) -> tuple | None:
    ends = {}
    for r in rows:
        d = _held_in(r, rules)
        if d:
            end = d.window_end(parse_utc(r["created_at"]))
            ends[end] = (d.window_start(end), end, d.tz)
    return next(iter(ends.values())) if len(ends) == 1 else None


def plan(rows: list[dict], *, rules: dict, now: datetime, burst: int, budget: dict[tuple, int]) -> list[Batch]:
    """`rules`: rule id -> AlertRule (a row whose rule is gone from the configuration goes at once)."""
    batches: list[Batch] = []
    by_target: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        by_target[(r["channel"], r["recipient"])].append(r)
    for target, rs in by_target.items():
        resend: dict[str, list[dict]] = defaultdict(list)
        fresh = []
        for r in rs:
            (resend[r["message_id"]] if r["status"] == "sending" and r.get("message_id") else fresh).append(r)
        for group in resend.values():
            held = any(_held_in(r, rules) for r in group)
            by_version = {r["version_id"] or ("removed", r["article_id"]) for r in group}
            batches.append(Batch(group, digest=held or len(by_version) > 1, window=_window(group, rules)))
        left = budget.get(target, burst) - len(resend)
        windows: dict[datetime, list[dict]] = defaultdict(list)
        immediate = []
        for r in fresh:
            d = _held_in(r, rules)
            if d is None:
                immediate.append(r)
                continue
            end = d.window_end(parse_utc(r["created_at"]))
            if end <= now:
                windows[end].append(r)                       # its window has closed: send
        if (not windows and not immediate) or left <= 0:
            continue
        by_version: dict[object, list[dict]] = defaultdict(list)
        for r in immediate:
            by_version[r["version_id"] or ("removed", r["article_id"])].append(r)
        messages = list(by_version.values())
        if len(messages) + len(windows) > min(burst, left):
            everything = [r for end in sorted(windows) for r in windows[end]] + immediate
            batches.append(Batch(everything, digest=True, window=_window(everything, rules) if not immediate else None))
            continue
        batches += [Batch(windows[end], digest=True, window=_window(windows[end], rules)) for end in sorted(windows)]
        batches += [Batch(m) for m in messages]
    return batches
