"""Bytes to text as a browser would: BOM, then the HTTP charset, then <meta charset>, then detection.

windows-1256 and ISO-8859-6 are common on Arabic sites, and some pages declare one charset and are
written in another; when the declared charset yields replacement characters, detection decides.
"""
from __future__ import annotations

from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode

BAD_SHARE = 0.002   # more replacement characters than this and the declared charset is not trusted


class NotHTML(ValueError):
    """The response is not a text page (an image, a PDF, a binary blob)."""


def _detect(body: bytes) -> str | None:
    """An undeclared charset: UTF-8 when the bytes are valid UTF-8 (as browsers and the HTML standard's
    sniffing prefer), else what charset-normalizer finds. A statistical guess alone can flip between
    two fetches of one page whose furniture changed, turning an unchanged article into mojibake."""
    try:
        body[:200_000].decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start >= 199_996:                 # a character cut by the 200 KB window, not bad bytes
            return "utf-8"
    best = from_bytes(body[:200_000]).best()
    return best.encoding if best else None


def looks_binary(body: bytes) -> bool:
    head = body[:2048]
    return b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding name) of a page; raises NotHTML for binary content."""
    if looks_binary(body):
        raise NotHTML("the response is binary, not an HTML page")
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect)
    if text and text.count("\ufffd") / max(len(text), 1) > BAD_SHARE:
        guess = _detect(body)
        if guess and guess.replace("_", "-").lower() != encoding.replace("_", "-").lower():
            alt = body.decode(guess, errors="replace")
            if alt.count("\ufffd") < text.count("\ufffd"):
                return alt, guess
    return text, encoding
