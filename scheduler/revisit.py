"""When to check an article next: often while it is young or has just changed, rarely later, then never.

The ladder is [(age, every), ...]: while an article is younger than AGE it is checked every EVERY. Age is
counted from its last change (a change brings it back to a faster rate); past the last rung, measured from
both first sighting and last change, it is retired.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from .durations import seconds

DEFAULT_LADDER = [["2h", "5m"], ["12h", "15m"], ["2d", "1h"], ["7d", "6h"], ["30d", "1d"]]


def _dt(iso: str) -> datetime:
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


class Ladder:
    def __init__(self, rungs=DEFAULT_LADDER):
        self.rungs = [(seconds(age), seconds(every)) for age, every in rungs]

    def interval(self, age_seconds: float) -> float | None:
        for age, every in self.rungs:
            if age_seconds < age:
                return every
        return None

    def __call__(self, first_seen: str, last_changed: str | None, now: str, changed: bool = False) -> str | None:
        n = _dt(now)
        since_change = (n - _dt(last_changed or first_seen)).total_seconds()
        since_first = (n - _dt(first_seen)).total_seconds()
        every = self.interval(since_change)
        if every is None:
            if self.interval(since_first) is None:
                return None
            every = self.rungs[-1][1]
        return _iso(n + timedelta(seconds=every))
