"""Words for what the pages show: change kinds and severities as an editor says them, times as
"3 min ago" beside the UTC time. Tables, so a new kind or a better word is a one-line change."""
from __future__ import annotations

from datetime import datetime, timezone

# Change kinds (detector/compare.py, storage/record.py) in words, English and Arabic.
KIND_WORDS = {
    "title_changed": ("headline rewritten", "تغيّر العنوان"),
    "figure_changed": ("figure changed", "تغيّر رقم"),
    "updated_time_changed": ("update time changed", "تغيّر وقت التحديث"),
    "published_time_changed": ("publication time changed", "تغيّر وقت النشر"),
    "sentence_added": ("text added", "أضيف نص"),
    "sentence_removed": ("text removed", "حُذف نص"),
    "sentence_edited": ("sentence edited", "عُدّلت جملة"),
    "sentence_moved": ("sentence moved", "نُقلت جملة"),
    "correction_added": ("correction added", "أضيف تصحيح"),
    "byline_changed": ("byline changed", "تغيّر اسم الكاتب"),
    "cosmetic": ("cosmetic edits", "تعديلات شكلية"),
    "removed": ("taken down", "حُذف المقال"),
    "fetch_failing": ("checks failing", "فشل الجلب"),
}
# Kinds the front page lists; checks failing are the operator's business (`marsad status`), not the desk's.
EDITORIAL_KINDS = tuple(k for k in KIND_WORDS if k != "fetch_failing")

SEVERITY_WORDS = {"high": "high", "medium": "medium", "low": "low", "none": "cosmetic"}
SEVERITY_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3}

LANGUAGE_WORDS = {"ar": "Arabic", "en": "English", "fr": "French", "he": "Hebrew", "fa": "Persian", "tr": "Turkish"}


def kind_words(kind: str, lang: str = "en") -> str:
    words = KIND_WORDS.get(kind)
    return (words[1] if lang == "ar" else words[0]) if words else kind.replace("_", " ")


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def utc_label(value: str | None) -> str:
    """"2026-12-02 06:41 UTC" for a stored ISO time (what an editor quotes); the raw value if unreadable."""
    dt = parse_iso(value)
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if dt else (value or "")


def ago(value: str | None, now: datetime | None = None) -> str:
    """"just now", "3 min ago", "2 h ago", "4 days ago", "5 months ago", "2 years ago"."""
    dt = parse_iso(value)
    if dt is None:
        return ""
    seconds = ((now or datetime.now(timezone.utc)) - dt).total_seconds()
    if seconds < 0:
        return "in the future"
    for limit, size, unit in ((60, 1, None), (3600, 60, "min"), (86400, 3600, "h"), (86400 * 61, 86400, "day"),
                              (86400 * 730, 86400 * 30.44, "month"), (float("inf"), 86400 * 365.25, "year")):
        if seconds < limit:
            if unit is None:
                return "just now"
            n = int(seconds // size)
            plural = "s" if n != 1 and unit not in ("min", "h") else ""
            return f"{n} {unit}{plural} ago"
    return ""


def language_words(code: str | None) -> str:
    return LANGUAGE_WORDS.get(code or "", code or "unknown")
