"""Text that survives every inbox: RFC 2047 headers folded without losing a space, and bidi isolation.

Why our own encoder: the standard library folds a long non-ASCII header into encoded words and, where a
fold falls on a space, leaves that space *between* two encoded words, where RFC 2047 (section 6.2) says
a reader must drop it: "killed 12 → 19" arrives as "killed 12→ 19", "على مخازن" as "علىمخازن". Here
every space travels inside an encoded word, each encoded word holds whole characters, and each line
stays within 78 characters, so the policy passes the header through untouched (`set_raw`).

Why isolation: a subject mixes an LTR frame ("[marsad] site: killed 12 → 19 — headline") with Arabic
values. Without isolates the Unicode bidi algorithm lets neutrals and digits next to an Arabic run join
it ("1 :الموقع العربي paragraph added"). Each value is wrapped in FIRST STRONG ISOLATE ... POP
DIRECTIONAL ISOLATE (U+2068/U+2069) in text, `<bdi>` in HTML, so it is laid out on its own and the
frame keeps its order in an LTR or RTL client. Pure: strings in, strings out.
"""
from __future__ import annotations

import base64
import re

FSI, PDI = "\u2068", "\u2069"
MAX_LINE = 78                        # RFC 5322 section 2.1.1: lines SHOULD be at most 78 characters
MAX_WORD = 75                        # RFC 2047 section 2: an encoded word is at most 75 characters
_PREFIX, _SUFFIX = "=?utf-8?b?", "?="

_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def has_rtl(text: str | None) -> bool:
    return bool(_RTL.search(text or ""))


def isolate(text: str | None) -> str:
    """`text` as one bidi-isolated run (first strong character decides its direction)."""
    return f"{FSI}{text or ''}{PDI}" if text else ""


def isolate_all(parts: list[str], on: bool) -> list[str]:
    """Every part isolated when `on` (the message holds right-to-left text somewhere), else as it is: an
    all-English subject keeps plain ASCII."""
    return [isolate(p) for p in parts] if on else list(parts)


def _word_capacity(room: int) -> int:
    """Bytes of UTF-8 an encoded word fits into `room` characters (base64: 4 characters per 3 bytes)."""
    return (min(room, MAX_WORD) - len(_PREFIX) - len(_SUFFIX)) // 4 * 3


def _chunks(text: str, first: int, rest: int) -> list[str]:
    """Split `text` into pieces of whole characters, the first at most `first` UTF-8 bytes, the others
    at most `rest`."""
    out, cur, size, limit = [], [], 0, first
    for ch in text:
        n = len(ch.encode("utf-8"))
        if cur and size + n > limit:
            out.append("".join(cur))
            cur, size, limit = [], 0, rest
        cur.append(ch)
        size += n
    if cur:
        out.append("".join(cur))
    return out


def _encoded(piece: str) -> str:
    return _PREFIX + base64.b64encode(piece.encode("utf-8")).decode("ascii") + _SUFFIX


def fold_header(name: str, value: str, linesep: str = "\n") -> str:
    """The header's value as RFC 2047 encoded words on lines of at most 78 characters, every character
    (spaces included) inside an encoded word, so decoding gives back exactly `value`. For `set_raw`."""
    value = re.sub(r"[\r\n]+", " ", value)
    first = _word_capacity(MAX_LINE - len(name) - 2)          # "Subject: " on the first line
    rest = _word_capacity(MAX_LINE - 1)                       # " " before each continuation word
    return (linesep + " ").join(_encoded(p) for p in _chunks(value, first, rest))


def fold_ascii(name: str, value: str, linesep: str = "\n") -> str | None:
    """An ASCII value folded before its own spaces (unfolding gives it back exactly), or None when a word
    is too long for a line. The standard library may fold right after "Subject:", which adds a space."""
    lines, cur, room = [], "", MAX_LINE - len(name) - 2
    for i, word in enumerate(value.split(" ")):
        piece = word if i == 0 else " " + word
        if cur and len(cur) + len(piece) > room:
            lines.append(cur)
            cur, room = piece, MAX_LINE
        else:
            cur += piece
        if len(cur) > room:
            return None
    lines.append(cur)
    if any(not line.strip() for line in lines[1:]):
        return None                                 # runs of spaces: leave it to encoded words
    return linesep.join(lines)


def set_text_header(msg, name: str, value: str) -> None:
    """Set an unstructured header (Subject...) so that any reader decodes it to exactly `value`: ASCII
    folded at its spaces, anything else as encoded words (`fold_header`); `set_raw`, so the e-mail
    policy passes the lines through as they are."""
    del msg[name]
    value = re.sub(r"[\r\n]+", " ", value)
    folded = fold_ascii(name, value) if value.isascii() and value == value.strip() else None
    msg.set_raw(name, folded if folded is not None else fold_header(name, value))


def phrase(value: str) -> str:
    """A display phrase for a structured header's `phrase <id>` (List-Id): a quoted string when ASCII,
    else encoded words (which RFC 2047 allows in a phrase)."""
    if value.isascii():
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return " ".join(_encoded(p) for p in _chunks(value, _word_capacity(MAX_WORD), _word_capacity(MAX_WORD)))


def slug(text: str, fallback: str) -> str:
    """A dot-atom-safe label for List-Id (ASCII letters, digits, hyphens); `fallback` when nothing is left."""
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")
    return s or fallback


def line_isolated(line: str, markers: tuple[str, ...] = ("+ ", "- ", "~ ", "↕ ", "* ")) -> str:
    """A plain-text body line with its page text isolated after the diff marker ("+ ⁨…⁩"), when it holds
    right-to-left text: the marker stays at the line's start in any client."""
    if not has_rtl(line):
        return line
    for m in markers:
        if line.startswith(m):
            return m + isolate(line[len(m):])
    return isolate(line)
