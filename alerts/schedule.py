"""When a digest goes out: windows on the clock, in the rule's time zone. Pure: times in, times out.

`digest = "30m"` cuts the day (local midnight onwards) into windows of 30 minutes and sends at :00 and
:30; `digest = "daily 07:00"` sends once a day at 07:00 local time, covering the day before it. A change
belongs to the window its detection time falls in, and the window's mail is due when the window closes,
so every change of a window arrives in one mail, however the changes are spread inside it (a window
opened by the first change, as before, split one story's revisions over several mails).

Local time comes from zoneinfo: on the night the clocks change a "daily 07:00" still sends at 07:00 on
the wall clock, and a 30-minute window that straddles the change simply has its wall-clock length.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY = 86400
_DAILY = re.compile(r"daily\s+([01]?\d|2[0-3]):([0-5]\d)")


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Digest:
    """Either every `every` seconds from local midnight, or once a day at `at_minute` minutes past midnight."""

    every: int = 0                 # seconds, divides a day; 0 with at_minute set: daily
    at_minute: int | None = None
    tz: str = "UTC"

    def __str__(self) -> str:
        if self.at_minute is not None:
            return f"daily {self.at_minute // 60:02d}:{self.at_minute % 60:02d} {self.tz}"
        return f"every {_span(self.every)} ({self.tz})"

    def window_end(self, at: datetime) -> datetime:
        """The end (UTC) of the window holding the instant `at` (aware): the moment its digest is due. An
        instant exactly on a boundary belongs to the window that starts there."""
        zone = ZoneInfo(self.tz)
        local = at.astimezone(zone)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
        wall = local.replace(tzinfo=None)
        if self.at_minute is not None:
            end = midnight + timedelta(minutes=self.at_minute)
            if end <= wall:
                end += timedelta(days=1)
        else:
            passed = (wall - midnight).total_seconds()
            end = midnight + timedelta(seconds=(passed // self.every + 1) * self.every)
        return end.replace(tzinfo=zone).astimezone(timezone.utc)

    def window_start(self, end: datetime) -> datetime:
        """The start (UTC) of the window that ends at `end`."""
        zone = ZoneInfo(self.tz)
        wall = end.astimezone(zone).replace(tzinfo=None)
        start = wall - (timedelta(days=1) if self.at_minute is not None else timedelta(seconds=self.every))
        return start.replace(tzinfo=zone).astimezone(timezone.utc)


def _span(s: int) -> str:
    return f"{s // 3600}h" if s % 3600 == 0 else f"{s // 60}m" if s % 60 == 0 else f"{s}s"


def check_zone(tz: str) -> str:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"{tz!r} is not a time zone (write an IANA name such as \"Asia/Riyadh\", "
                            "\"Europe/London\" or \"UTC\")") from None
    return tz


def parse_digest(text: str, tz: str = "UTC", duration=None) -> Digest | None:
    """None for "0m" (send at once); else the schedule. `duration` parses "30m" style strings.
    A ScheduleError names what is wrong: windows must divide a day, so that they fall on the clock."""
    text = (text or "").strip()
    check_zone(tz)
    m = _DAILY.fullmatch(text)
    if m:
        return Digest(at_minute=int(m.group(1)) * 60 + int(m.group(2)), tz=tz)
    if text.startswith("daily"):
        raise ScheduleError(f"{text!r} is not a daily time (write \"daily 07:00\", 24-hour clock)")
    if duration is None:
        raise ScheduleError(f"{text!r}: no duration parser given")
    try:
        every = int(duration(text))
    except ValueError:
        raise ScheduleError(f"{text!r} is not a digest schedule: write a duration (\"30m\", \"1h\") or "
                            "\"daily 07:00\"") from None
    if every == 0:
        return None
    if every < 60 or DAY % every or every % 60:
        raise ScheduleError(f"{text!r} does not divide a day into whole minutes, so its windows would not fall "
                            "on the clock: use e.g. \"5m\", \"15m\", \"30m\", \"1h\", \"6h\", \"1d\" or "
                            "\"daily 07:00\"")
    return Digest(every=every, tz=tz)
