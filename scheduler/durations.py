"""Durations as the configuration writes them: "2s", "5m", "1h", "2d" (and "0m").

Bounded at ten years: a longer one is a typo ("100000000d"), and it would overflow the date arithmetic
of a schedule long after the configuration was accepted.
"""
import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
MAX_SECONDS = 10 * 365.25 * 86400


def seconds(text: str) -> float:
    m = _DURATION.match(str(text))
    if not m:
        raise ValueError(f"{text!r} is not a duration (use e.g. 30s, 5m, 1h, 2d)")
    value = float(m.group(1)) * _UNITS[m.group(2)]
    if value > MAX_SECONDS:
        raise ValueError(f"{text!r} is longer than 10 years")
    return value
