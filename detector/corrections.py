"""How newsrooms announce a correction; a sentence that starts with one of these is a correction notice."""
import re

CORRECTION_OPENINGS = [
    r"تصحيح", r"تنويه", r"استدراك", r"ملاحظة المحرر", r"تم تصحيح", r"صحح",
    r"correction", r"corrections?:", r"clarification", r"editor'?s note",
    r"an earlier version of this (?:article|story|report)", r"this (?:article|story) has been (?:corrected|amended|updated to correct)",
    r"a previous version of this (?:article|story)",
]
_CORRECTION = re.compile(r"^\W*(?:" + "|".join(CORRECTION_OPENINGS) + r")", re.IGNORECASE)


def is_correction(sentence: str) -> bool:
    return bool(_CORRECTION.match(sentence))
