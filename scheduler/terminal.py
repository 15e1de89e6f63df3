"""Page text made safe for a terminal and a log: every byte marsad prints may come from a hostile page.

A headline can carry `ESC [2J` (clear the screen), `ESC ] 0;... BEL` (retitle the window), a carriage
return that overwrites the line before it, or a newline that forges a line of output. `safe()` shows each
control character as a visible stand-in instead of sending it: C0 controls and DEL as their Unicode
"control pictures" (ESC → ␛, BEL → ␇, CR → ␍, LF → ␤), C1 controls (U+0080-U+009F, which some terminals
read as CSI and friends) as `\\x9b`-style text. Arabic and every other printable character pass unchanged.
Bidi embeddings and isolates a field opens but does not close are closed at its end, so a URL cannot
reverse the rest of the line.
"""
from __future__ import annotations

import logging
import re

import click

C1_CONTROLS = range(0x80, 0xA0)
KEEP_ALWAYS = "\t"                  # a tab moves the cursor forward only
KEEP_MULTILINE = "\n"               # kept where a text is meant to span lines (tracebacks, article text)

# Unicode's "control pictures" block: U+2400 + code for C0, U+2421 for DEL; U+2424 (␤) for a newline.
_PICTURES = {c: chr(0x2400 + c) for c in range(0x20)} | {0x0A: "\u2424", 0x7F: "\u2421"}
_C1 = {c: f"\\x{c:02x}" for c in C1_CONTROLS}

# Explicit bidi formatting: openers and the closer each needs (UAX #9).
_EMBED_OPEN, _EMBED_CLOSE = "\u202a\u202b\u202d\u202e", "\u202c"          # LRE RLE LRO RLO … PDF
_ISOLATE_OPEN, _ISOLATE_CLOSE = "\u2066\u2067\u2068", "\u2069"            # LRI RLI FSI … PDI
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _table(multiline: bool) -> dict[int, str]:
    table = {**_PICTURES, **_C1}
    for keep in KEEP_ALWAYS + (KEEP_MULTILINE if multiline else ""):
        table.pop(ord(keep))
    return table


_SINGLE, _MULTI = _table(False), _table(True)


def _close_bidi(text: str) -> str:
    """Append the PDF/PDI closers for embeddings and isolates left open (a PDI also ends embeddings
    opened inside its isolate); unmatched closers are harmless and stay."""
    stack: list[str] = []
    for m in _BIDI.finditer(text):
        ch = m.group()
        if ch in _EMBED_OPEN:
            stack.append(_EMBED_CLOSE)
        elif ch in _ISOLATE_OPEN:
            stack.append(_ISOLATE_CLOSE)
        elif ch == _EMBED_CLOSE and stack and stack[-1] == _EMBED_CLOSE:
            stack.pop()
        elif ch == _ISOLATE_CLOSE and _ISOLATE_CLOSE in stack:
            while stack.pop() != _ISOLATE_CLOSE:
                pass
    return text + "".join(reversed(stack))


def safe(text, *, multiline: bool = False) -> str:
    """`text` (any value; None prints as "") with control characters shown, not obeyed.

    >>> safe("مقتل 22\\x1b[2J\\x1b]0;pwned\\x07")
    'مقتل 22␛[2J␛]0;pwned␇'
    >>> safe("a\\r\\nb\\x9bc\\x7f"), safe("a\\nb", multiline=True)
    ('a␍␤b\\\\x9bc␡', 'a\\nb')
    """
    s = "" if text is None else str(text)
    if _UNSAFE.search(s):
        s = s.translate(_MULTI if multiline else _SINGLE)
    if _BIDI.search(s):
        s = _close_bidi(s)
    return s


_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """A JSON document (json.dumps with ensure_ascii=False) with the characters json leaves raw that a
    terminal obeys (DEL, C1 controls) or that reorder a line (bidi controls) written as \\u escapes:
    the same JSON to a parser. json.dumps already escapes C0 controls.

    >>> json_safe('{"t": "a\\x9b2Jb"}')
    '{"t": "a\\\\u009b2Jb"}'
    """
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def echo(line, *, err: bool = False) -> None:
    """click.echo of one line of page-derived output, made safe (a newline inside it shows as ␤)."""
    click.echo(safe(line), err=err)


class SafeFormatter(logging.Formatter):
    """A log formatter whose every record is one line with its control characters shown, whatever a page
    put into the message; a traceback keeps its own line breaks (its text is neutralized line by line)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return safe(super().formatMessage(record))

    def formatException(self, ei) -> str:
        return safe(super().formatException(ei), multiline=True)

    def formatStack(self, stack_info: str) -> str:
        return safe(super().formatStack(stack_info), multiline=True)
