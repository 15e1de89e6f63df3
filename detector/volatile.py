"""Text that changes on every page view without the story changing: relative times and counters.

A sentence is compared with these masked, so "updated 5 minutes ago" -> "updated 7 minutes ago" or
"1,234 views" -> "1,240 views" is at most cosmetic. Patterns are data; they run on normalized text
(normalize.normalize: no tashkeel, unified letters, ASCII digits, case-folded).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .normalize import normalize

# {n} is a number (digits or a number word); the units and nouns are written as printed.
RELATIVE_TIME = [
    r"(?:منذ|قبل)\s+(?:{n}\s+)?(?:ثانية|ثوان|ثواني|دقيقة|دقيقتين|دقائق|ساعة|ساعتين|ساعات|يوم|يومين|ايام|أيام|اسبوع|أسبوع|اسبوعين|أسابيع|شهر|أشهر)",
    r"{n}\s+(?:sec|secs|second|seconds|min|mins|minute|minutes|hr|hrs|hour|hours|day|days|week|weeks)\s+ago",
    r"(?:an?|one)\s+(?:minute|hour|day|week)\s+ago",
    r"(?:just now|moments ago|الآن|للتو)",
]
COUNTERS = [
    r"{n}\s+(?:views?|reads?|comments?|shares?|likes?|reactions?|replies)",
    r"{n}\s+(?:مشاهدة|مشاهدات|قراءة|قراءات|تعليق|تعليقا|تعليقات|مشاركة|مشاركات|إعجاب|اعجاب)",
    r"(?:views?|comments?|shares?|مشاهدات|تعليقات|مشاركات)\s*:?\s*{n}",
    r"(?:عدد\s+)?(?:القراءات|قراءات|المشاهدات|الزيارات|التعليقات|المشاركات)\s*:?\s*{n}",
]
NUMBER = r"(?:\d[\d,.]*[kmKM]?|[^\W\d_]+)"
# The same number followed by white space, with possessive quantifiers: giving back a digit or a letter
# can never let the white space after it match, so the regex engine need not try (same matches, a
# third faster on news text).
NUMBER_THEN_SPACE = r"(?:\d[\d,.]*+[kmKM]?|[^\W\d_]++)\s++"


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    parts = [normalize(p.replace(r"{n}\s+", "NUMBERSPACESLOT").replace("{n}", "NUMBERSLOT"))
             .replace("numberspaceslot", NUMBER_THEN_SPACE).replace("numberslot", NUMBER)
             for p in RELATIVE_TIME + COUNTERS]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")


def mask(normalized: str) -> str:
    """Normalized text with relative times and counters replaced by a placeholder."""
    return _pattern().sub(" ~ ", normalized)
