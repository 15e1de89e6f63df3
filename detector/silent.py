"""Silent edits and re-stamps: what a version's changes say about how openly the page was revised.

A reader trusts a story's "updated" stamp and its correction notices to say that the story moved. A
substantive change (a figure, a headline, a sentence added, removed or edited beyond a spelling fix)
made while the stamp stayed where it was and with no correction notice is a *silent edit*: each such
change carries `silent: true` in its detail (and `stamp`: "unchanged", or "none" on a page that prints
no update stamp at all). The opposite, a stamp that moved while nothing of substance did, is a
*re-stamp*: the `updated_time_changed` change carries `restamped: true`. It stays quiet (QUIET_ALONE)
unless a rule asks for re-stamps (alerts/rules.py, `restamped = true`).

Pure: Change values in, Change values out.
"""
from __future__ import annotations

from dataclasses import replace

from .models import Article, Change

SUBSTANTIVE_KINDS = frozenset({"title_changed", "figure_changed", "sentence_added", "sentence_removed",
                               "sentence_edited"})
# Detail flags that make a change of those kinds not substantive: a label or counter, a spelling fix,
# a live blog's appended entries (a live blog is expected to grow without a new stamp).
NOT_SUBSTANTIVE = ("fragment", "typo", "live_blog")


def substantive(change: Change) -> bool:
    return change.kind in SUBSTANTIVE_KINDS and not any(change.detail.get(k) for k in NOT_SUBSTANTIVE)


def _stamp_moved(changes) -> bool:
    return any(c.kind == "updated_time_changed" for c in changes)


def mark(changes, current: Article) -> list[Change]:
    """`changes` with `silent` set on the substantive ones (no stamp moved, no correction added) or
    `restamped` on the update-stamp change (the stamp moved, nothing substantive did)."""
    changes = list(changes)
    corrected = any(c.kind == "correction_added" for c in changes)
    subs = [c for c in changes if substantive(c)]
    if corrected:
        return changes
    if subs and not _stamp_moved(changes):
        stamp = "unchanged" if current.updated_at else "none"
        return [replace(c, detail={**c.detail, "silent": True, "stamp": stamp}) if substantive(c) else c
                for c in changes]
    if not subs:
        return [replace(c, detail={**c.detail, "restamped": True}) if _restamp(c) else c for c in changes]
    return changes


def _restamp(c: Change) -> bool:
    """An update stamp that moved from one printed time to another (not a day-precision guess, not a
    stamp that appeared or vanished with the template)."""
    return c.kind == "updated_time_changed" and bool(c.old) and bool(c.new) and c.detail.get("note") is None


def is_silent(changes) -> bool:
    return any(c.detail.get("silent") for c in changes)


def is_restamp(changes) -> bool:
    return any(c.detail.get("restamped") for c in changes)
