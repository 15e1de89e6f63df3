"""Times as marsad stores them: ISO 8601 UTC strings with seconds and a Z ("2021-02-26T13:58:00Z").
One place to read, write and shift them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def parse_utc(iso: str) -> datetime:
    return datetime.strptime(iso, FORMAT).replace(tzinfo=timezone.utc)


def format_utc(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime(FORMAT)


def shift(iso: str, seconds: float) -> str:
    """The time `seconds` after (or, negative, before) an ISO UTC time."""
    return format_utc(parse_utc(iso) + timedelta(seconds=seconds))
