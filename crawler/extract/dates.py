"""Read published and updated stamps into ISO 8601 UTC ("2021-02-26T13:55:00Z").

Three kinds of input: machine stamps (ISO 8601 in JSON-LD, meta tags, <time datetime>), and visible
phrases such as "تم التحديث: 2021/02/26 الساعة 13:58 بتوقيت غرينتش" or "Updated 5:02 PM GMT, 3 March
2024". Pure functions: the fetch time comes in as an argument, never from a clock.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from detector.normalize import ascii_digits, normalize

from . import date_words as W


class Stamp(NamedTuple):
    """A stamp read from a page: the instant in UTC, and the calendar day as the page printed it
    (what people label; it can differ from the UTC day near midnight)."""

    utc: str
    local_day: str

    @property
    def precision_s(self) -> int | None:
        """None: the stamp is as printed. Relative stamps (ApproxStamp) are good to ± this many seconds."""
        return None


class ApproxStamp(Stamp):
    """A stamp resolved from a relative phrase ("3 min ago", "منذ ساعتين") against the fetch time: right
    only to its unit, so "2 hours ago" read an hour later is the same stamp. It still equals the plain
    (utc, local_day) tuple, so callers that ignore precision see a Stamp."""

    def __new__(cls, utc: str, local_day: str, precision_s: int):
        obj = super().__new__(cls, utc, local_day)
        obj._precision_s = precision_s          # a subclass without __slots__ has an instance dict
        return obj

    @property
    def precision_s(self) -> int | None:
        return self._precision_s


def to_utc_iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp(dt: datetime) -> Stamp:
    return Stamp(to_utc_iso(dt), dt.strftime("%Y-%m-%d"))


def _zone(name: str | int | None):
    """An IANA zone name, or a fixed offset in minutes (date_words.TIMEZONES holds both)."""
    if isinstance(name, int):
        return timezone(timedelta(minutes=name))
    if not name or name == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(name)
    except Exception:                      # an unknown zone name in a profile: treat as UTC, never crash
        return timezone.utc


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*"
                  r"(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?")


def parse_iso(value: str | None, default_zone: str | None = None) -> str | None:
    """An ISO 8601 stamp as UTC ISO; a naive stamp is read in default_zone (UTC if none); junk -> None."""
    st = read_iso(value, default_zone)
    return st.utc if st else None


def read_iso(value: str | None, default_zone: str | None = None) -> Stamp | None:
    if not value or not isinstance(value, str):
        return None
    m = _ISO.search(ascii_digits(value.strip()))
    if not m:       # machine fields sometimes hold RFC 2822-like text: "Tue, Sep 15 2020 10:01:41 EDT"
        return read_phrase(value, default_zone) if len(value) < 80 else None
    y, mo, d, h, mi, s, tz = m.groups()
    if h is None:                # "2024-03-05": a day, kept as a day
        try:
            day = datetime(int(y), int(mo), int(d)).strftime("%Y-%m-%d")
        except ValueError:
            return None
        return Stamp(day, day) if 1990 <= int(y) <= 2100 else None
    try:
        dt = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
    except ValueError:
        return None
    if tz:
        if tz == "Z":
            dt = dt.replace(tzinfo=timezone.utc)
        else:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            minutes = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) >= 4 else 0)
            dt = dt.replace(tzinfo=timezone(sign * timedelta(minutes=minutes)))
    else:
        dt = dt.replace(tzinfo=_zone(default_zone))
    if not 1990 <= dt.year <= 2100:
        return None
    return _stamp(dt)


@lru_cache(maxsize=1)
def _tables():
    months = {}
    for n, names in W.MONTHS.items():
        for name in names.split():
            months[normalize(name)] = n
    multi = {normalize(k): v for k, v in W.MULTIWORD_MONTHS.items()}
    zones = sorted(((normalize(k), v) for k, v in W.TIMEZONES.items()), key=lambda kv: -len(kv[0]))
    labels = {k: sorted((normalize(x) for x in v), key=len, reverse=True) for k, v in W.LABELS.items()}
    month_alt = "|".join(sorted((re.escape(k) for k in list(multi) + list(months)), key=len, reverse=True))
    return months, multi, zones, labels, month_alt


@lru_cache(maxsize=1)
def _month_patterns() -> tuple[re.Pattern, re.Pattern]:
    """The two written-month date patterns, compiled once (day month year; month day year)."""
    *_, month_alt = _tables()
    return (re.compile(rf"(?<!\d)(\d{{1,2}})\s+(?:من\s+)?({month_alt})(?:\s*[/\-]\s*(?:{month_alt}))?\s*,?\s*(\d{{4}})"),
            re.compile(rf"({month_alt})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(\d{{4}})"))


@lru_cache(maxsize=1)
def _zone_patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """Each time-zone phrase as a whole-word pattern, longest phrase first, compiled once."""
    _, _, zones, _, _ = _tables()
    return tuple((re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)"), zone) for phrase, zone in zones)


@lru_cache(maxsize=1)
def _label_patterns() -> dict[str, tuple[re.Pattern, ...]]:
    """Each label as a whole-word pattern, "updated" ones first, longest first, compiled once."""
    _, _, _, labels, _ = _tables()
    return {kind: tuple(re.compile(rf"(?<!\w){re.escape(label)}(?!\w)") for label in labels[kind])
            for kind in ("updated", "published")}


def _month_number(word: str) -> int | None:
    months, multi, *_ = _tables()
    word = normalize(word)
    return multi.get(word) or months.get(word)


_NUMERIC_YMD = re.compile(r"(?<!\d)(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?!\d)")
_NUMERIC_DMY = re.compile(r"(?<!\d)(\d{1,2})([/.\-])(\d{1,2})[/.\-](\d{4})(?!\d)")
_TIME = re.compile(r"(?<![\d:])(\d{1,2})[:.](\d{2})(?::(\d{2}))?(?![\d])\s*(a\.?m\.?|p\.?m\.?|ب\.?ظ|ق\.?ظ|ص|م(?!\w)|صباحا|مساء|ظهرا|فجرا)?",
                   re.IGNORECASE)
_OFFSET = re.compile(r"(?:gmt|utc)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> tuple[int, int, int]:
    """Solar Hijri (Jalali) date to Gregorian, by the standard arithmetic (33-year cycles)."""
    jy += 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + jd + \
        ((jm - 1) * 31 if jm < 7 else (jm - 7) * 30 + 186)
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    gd = days + 1
    leap = gy % 4 == 0 and (gy % 100 != 0 or gy % 400 == 0)
    month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    gm = 0
    while gm < 12 and gd > month_days[gm]:
        gd -= month_days[gm]
        gm += 1
    return gy, gm + 1, gd


@lru_cache(maxsize=1)
def _jalali_tables():
    months = {normalize(name): n for n, names in W.JALALI_MONTHS.items() for name in names.split()}
    alt = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    pattern = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({alt})\s+(\d{{4}})(?!\d)")
    hijri = re.compile("|".join(re.escape(normalize(m)) for m in W.HIJRI_MARKERS))
    return months, pattern, hijri


def _calendar(y: int, mo: int, d: int, t: str) -> tuple[int, int, int] | None:
    """A numeric date with a Jalali year is converted; one with an Islamic (lunar) year is not read."""
    lo, hi = W.JALALI_YEARS
    if lo <= y <= hi and not _jalali_tables()[2].search(t):
        try:
            return jalali_to_gregorian(y, mo, d)
        except (ValueError, IndexError):
            return None
    if lo <= y < 1900:
        return None
    return y, mo, d


def _find_date(t: str, month_first: bool = False) -> tuple[int, int, int] | None:
    months, jalali, _ = _jalali_tables()
    m = jalali.search(t)
    if m and W.JALALI_YEARS[0] <= int(m.group(3)) <= W.JALALI_YEARS[1]:
        return jalali_to_gregorian(int(m.group(3)), months[m.group(2)], int(m.group(1)))
    for m in _NUMERIC_YMD.finditer(t):        # "1442/07/14 هـ الموافق 2021/02/26": skip the lunar date
        found = _calendar(int(m.group(1)), int(m.group(2)), int(m.group(3)), t)
        if found:
            return found
    m = _NUMERIC_DMY.search(t)
    if m:
        a, sep, b, y = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        if (month_first and sep in W.MONTH_FIRST_SEPARATORS and a <= 12) or b > 12:
            a, b = b, a
        return y, b, a
    day_month_year, month_day_year = _month_patterns()
    # "26 فبراير/شباط 2021", "26 شباط 2021", "February 26, 2021", "26 February 2021"
    m = day_month_year.search(t)
    if m:
        return int(m.group(3)), _month_number(m.group(2)), int(m.group(1))
    m = month_day_year.search(t)
    if m:
        return int(m.group(3)), _month_number(m.group(1)), int(m.group(2))
    return None


def _find_zone(t: str, default_zone: str | None):
    m = _OFFSET.search(t)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        h = int(m.group(2))
        mins = int(m.group(3) or 0)
        if h > 14:                        # "GMT+0400" written without a colon
            h, mins = int(str(m.group(2))[:2]), int(str(m.group(2))[2:] or 0)
        return timezone(sign * timedelta(hours=h, minutes=mins))
    for pattern, zone in _zone_patterns():
        if pattern.search(t):
            return _zone(zone)
    return _zone(default_zone)


def parse_phrase(text: str, default_zone: str | None = None, now: str | None = None) -> str | None:
    """A visible stamp (date, optional time, optional zone) as UTC ISO, or None if it holds no date.
    Relative stamps ("منذ ساعتين", "2 hours ago") need `now`, the fetch time (UTC ISO)."""
    st = read_phrase(text, default_zone, now)
    return st.utc if st else None


def read_phrase(text: str, default_zone: str | None = None, now: str | None = None,
                month_first: bool = False) -> Stamp | None:
    """A visible stamp. `month_first`: an ambiguous slash date ("02/03/2021") is month/day/year, as
    American outlets print it; otherwise day/month/year, as Arabic and most other pages do. Dotted and
    dashed dates ("11.05.2022") are day-first on every page (date_words.MONTH_FIRST_SEPARATORS). A
    date whose first or second number is above 12 is read the only way it can be."""
    t = normalize(text)
    date = _find_date(t, month_first)
    if not date:
        return _relative(t, now, default_zone) if now else None
    y, mo, d = date
    hour = minute = 0
    tm = _TIME.search(_NUMERIC_YMD.sub(" ", _NUMERIC_DMY.sub(" ", t)))
    if not tm:                  # a day without a time: kept as a date-only ISO value, no invented midnight
        try:
            day = datetime(y, mo, d).strftime("%Y-%m-%d")
        except (ValueError, TypeError):
            return None
        return Stamp(day, day) if 1990 <= y <= 2100 else None
    if tm:
        hour, minute = int(tm.group(1)), int(tm.group(2))
        marker = (tm.group(4) or "").replace(".", "").lower()
        if marker in ("pm", "م", "مساء", "ظهرا", "بظ") and hour < 12:
            hour += 12
        elif marker in ("am", "ص", "صباحا", "فجرا", "قظ") and hour == 12:
            hour = 0
    try:
        dt = datetime(y, mo, d, hour, minute, tzinfo=_find_zone(t, default_zone))
    except (ValueError, TypeError):
        return None
    if not 1990 <= dt.year <= 2100:
        return None
    return _stamp(dt)


@lru_cache(maxsize=1)
def _relative_tables():
    units = {}
    for words, secs in W.RELATIVE_UNITS.items():
        for w in words.split():
            units[normalize(w)] = secs
    duals = {normalize(k): v for k, v in W.RELATIVE_DUALS.items()}
    unit_alt = "|".join(sorted(map(re.escape, list(units) + list(duals)), key=len, reverse=True))
    before = "|".join(map(re.escape, (normalize(w) for w in W.RELATIVE_BEFORE)))
    after = "|".join(map(re.escape, W.RELATIVE_AFTER))
    one = "|".join(W.RELATIVE_ONE)
    pat_before = re.compile(rf"(?<!\w)(?:{before})\s+(?:(\d+)\s+)?({unit_alt})(?!\w)")
    pat_after = re.compile(rf"(?<!\w)(\d+|{one})\s*({unit_alt})\s+(?:{after})(?!\w)")   # "2h ago" too
    just_now = re.compile("|".join(rf"(?<!\w){re.escape(normalize(w))}(?!\w)" for w in W.RELATIVE_NOW))
    return units, duals, pat_before, pat_after, just_now


def _relative(t: str, now: str, default_zone) -> Stamp | None:
    """A relative stamp resolved against `now`, as an ApproxStamp good to its unit (an hour for
    "3 hours ago", a minute for "just now")."""
    units, duals, pat_before, pat_after, just_now = _relative_tables()
    m = pat_before.search(t) or pat_after.search(t)
    if m:
        count, unit = m.group(1), m.group(2)
        if unit in duals:
            secs, precision = duals[unit], duals[unit] // 2
        else:
            n = int(count) if count and count.isdigit() else 1
            secs, precision = n * units[unit], units[unit]
    elif just_now.search(t):
        secs, precision = 0, 60
    else:
        return None
    base = read_iso(now)
    if not base:
        return None
    dt = datetime.strptime(base.utc, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc) - timedelta(seconds=secs)
    st = _stamp(dt.astimezone(_zone(default_zone)))
    return ApproxStamp(st.utc, st.local_day, max(precision, 60))


@lru_cache(maxsize=1)
def _stamp_vocabulary() -> frozenset[str]:
    """Every word of the date tables (months, weekdays, zone phrases, am/pm markers, stamp labels,
    relative-time words), normalized."""
    months, multi, zones, labels, _ = _tables()
    words = set(months) | {w for k in multi for w in k.split()} | {w for k, _ in zones for w in k.split()}
    words |= {w for ls in labels.values() for x in ls for w in x.split()}
    relative = W.RELATIVE_BEFORE + W.RELATIVE_AFTER + W.RELATIVE_NOW + list(W.RELATIVE_DUALS)
    words |= {w for x in relative + list(W.RELATIVE_UNITS) for w in normalize(x).split()}
    words |= {normalize(w) for w in W.WEEKDAYS.split() + W.PM_MARKERS + W.AM_MARKERS}
    return frozenset(words)


_WORD = re.compile(r"[^\W\d_]{4,}")


def other_words(text: str) -> int:
    """Words of four letters or more in a phrase that are not the date tables' own (a month, a weekday,
    a zone phrase, am/pm, a stamp label, a relative-time word): a sentence that mentions a date has
    several, a line that is only a stamp ("الجمعة، 26 فبراير 2021 01:58 م بتوقيت غرينتش") none."""
    if not _WORD.search(text):
        return 0
    known = _stamp_vocabulary()
    return sum(1 for w in _WORD.findall(normalize(text)) if w not in known)


def label_of(text: str) -> str | None:
    """'published' or 'updated' when a phrase opens with (or contains) one of the known labels."""
    t = normalize(text)
    best = None
    for kind, patterns in _label_patterns().items():
        for pattern in patterns:
            m = pattern.search(t)
            if m and (best is None or m.start() < best[1]):
                best = (kind, m.start())
    return best[0] if best else None
