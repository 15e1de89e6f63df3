"""Durations as the configuration writes them: "2s", "5m", "1h", "2d" (and "0m")."""
import re

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")


def seconds(text: str) -> float:
    m = _DURATION.match(str(text))
    if not m:
        raise ValueError(f"{text!r} is not a duration (use e.g. 30s, 5m, 1h, 2d)")
    return float(m.group(1)) * _UNITS[m.group(2)]
