"""Headline tests: a headline that alternates is a probable A/B test, not a string of rewrites.

Sites test headlines by serving two or more variants in turn: marsad sees A → B → A → B. Reported one
flip at a time, that is a storm of "headline changed" alerts for one story. Here the recent headlines
of an article (storage reads them; this module never touches a database) decide:

- a headline that comes back (A → B → A) within HEADLINE_TEST_WINDOW is a probable test;
- so are RAPID_FLIPS or more headline changes within RAPID_WINDOW (several variants in a short time),
  unless the headlines state different numbers (a toll rising headline by headline is news).

The flip that reveals a test gets `headline_test` in its `title_changed` detail: the variants (as
printed, in the order they first appeared), how many flips, since when, and `repeat: false`; it alerts
once, naming the variants. Every later flip of the same test carries `repeat: true` and is quiet
(detector.compare.quiet_alone): recorded and shown, never a mail of its own.

Pure: (time, headline) pairs in, Change values out.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from .models import Change
from .normalize import loose

HEADLINE_TEST_WINDOW = 24 * 3600     # seconds: a headline that returns within a day is tested, not rewritten
RAPID_WINDOW = 3600                  # seconds ...
RAPID_FLIPS = 3                      # ... in which this many headline changes are several variants at once


def _at(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None


def _runs(history) -> list[tuple[str, str]]:
    """(time, headline) with consecutive equal headlines (after loose normalization) folded to the first."""
    out: list[tuple[str, str]] = []
    for at, title in history:
        if title is None:
            continue
        if not out or loose(out[-1][1]) != loose(title):
            out.append((at, title))
    return out


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _figures_move(runs) -> bool:
    """The headlines state different numbers: a toll rising headline by headline is news, not a test."""
    return len({tuple(_NUMBER.findall(loose(t))) for _, t in runs}) > 1


def find_test(history, window: int = HEADLINE_TEST_WINDOW) -> dict | None:
    """The probable test the headline history (oldest first, the current version last) shows, or None:
    {"variants": [...], "flips": n, "since": time of the first variant in the window}."""
    history = [(at, t) for at, t in history if _at(at) is not None]
    if len(history) < 3:
        return None
    end = _at(history[-1][0])
    recent = _runs([(at, t) for at, t in history if (end - _at(at)).total_seconds() <= window])
    if len(recent) < 3:
        return None
    keys = [loose(t) for _, t in recent]
    start = next((i for i, k in enumerate(keys) if k in keys[i + 1:]), None)
    if start is not None:
        test = recent[start:]           # from the first headline that comes back: a rewrite before it is not a variant
    else:
        test = [r for r in recent if (end - _at(r[0])).total_seconds() <= RAPID_WINDOW]
        if len(test) - 1 < RAPID_FLIPS or _figures_move(test):
            return None
    first: dict[str, str] = {}
    for _, t in test:
        first.setdefault(loose(t), t)
    return {"variants": list(first.values()), "flips": len(test) - 1, "since": test[0][0]}


def annotate(changes, history, window: int = HEADLINE_TEST_WINDOW) -> list[Change]:
    """`changes` with the `title_changed` one marked as part of a probable headline test, when the
    history (oldest first, ending with the version these changes lead to) shows one."""
    changes = list(changes)
    if not any(c.kind == "title_changed" for c in changes):
        return changes
    test = find_test(history, window)
    if test is None:
        return changes
    earlier = find_test(history[:-1], window)
    test["repeat"] = earlier is not None          # the test was already reported: this flip is quiet
    title = next(c for c in changes if c.kind == "title_changed")
    out = []
    for c in changes:
        if c.kind == "title_changed":
            c = replace(c, detail={**c.detail, "headline_test": test})
        elif _restates(c, title):                 # a page whose text opens with its headline: the same flip
            c = replace(c, detail={**c.detail, "headline_test": test, "explained_by": "title_changed"})
        out.append(c)
    return out


def _restates(c: Change, title: Change) -> bool:
    """A sentence edit that is the headline swap and nothing else (the sentence holds the old headline,
    its edit the new one, the rest unchanged): text extracted with the headline at its start."""
    if c.kind != "sentence_edited" or not title.old or not title.new:
        return False
    old, new, a, b = loose(c.old or ""), loose(c.new or ""), loose(title.old), loose(title.new)
    return a in old and b in new and old.replace(a, "", 1) == new.replace(b, "", 1)


def is_repeat(change: Change) -> bool:
    """A later flip of a test already reported (its headline change, or the text's copy of the headline)."""
    return bool((change.detail.get("headline_test") or {}).get("repeat"))
