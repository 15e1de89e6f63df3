"""When to check an article next: often while it is young or has just changed, rarely later, then never.

The ladder is [(age, every), ...]: while an article is younger than AGE it is checked every EVERY. Age is
counted from its last change (a change brings it back to a faster rate); past the last rung, measured from
both first sighting and last change, it is retired.
"""
from __future__ import annotations


from storage.times import parse_utc, shift

from .durations import seconds

DEFAULT_LADDER = [["2h", "5m"], ["12h", "15m"], ["2d", "1h"], ["7d", "6h"], ["30d", "1d"]]


class Ladder:
    def __init__(self, rungs=DEFAULT_LADDER):
        self.rungs = [(seconds(age), seconds(every)) for age, every in rungs]

    def interval(self, age_seconds: float) -> float | None:
        for age, every in self.rungs:
            if age_seconds < age:
                return every
        return None

    def __call__(self, first_seen: str, last_changed: str | None, now: str, changed: bool = False) -> str | None:
        n = parse_utc(now)
        since_change = (n - parse_utc(last_changed or first_seen)).total_seconds()
        since_first = (n - parse_utc(first_seen)).total_seconds()
        every = self.interval(since_change)
        if every is None:
            if self.interval(since_first) is None:
                return None
            every = self.rungs[-1][1]
        return shift(now, every)
