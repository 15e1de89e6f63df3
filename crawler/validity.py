"""The validity gate: may this response become the article's next version? Pure (no I/O, no clock).

A broken response stored as a version is worse than a lost check: it alerts (a false "text removed"),
and it stays current until the story changes again, since the healed page answers 304 to the broken
one's validators. So a response becomes a version only when it is complete (as long as declared, its
HTML closed), HTML, and an article: a title or text, not a bot check, consent wall or "not found" page,
and not drastically shorter than the last version without a sign that it was taken down on purpose.
Otherwise `assess` names the reason, and the check is an `error` with it.

The patterns are data (crawler/validity.toml). Interstitial pages are short, and real articles
mention "captcha" or "404", so patterns are read only on the title, the h1s and short pages.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

TABLES = Path(__file__).with_name("validity.toml")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")   # not \t \n \f \r, not ESC (ISO-2022)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f\ufffd]")
_SPACE = re.compile(r"\s+")
_SEP = r"[|\-–—:·»•]"
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True)
class Family:
    """One kind of interstitial page, as its vendors or sites print it."""

    name: str
    title: re.Pattern | None      # the whole title line, optionally between site names
    text: re.Pattern | None
    markup: tuple[str, ...]


def _any(patterns, whole_line: bool = False) -> re.Pattern | None:
    if not patterns:
        return None
    alt = "|".join(f"(?:{p})" for p in patterns)
    if whole_line:
        alt = rf"^(?:.*{_SEP}\s*)?(?:{alt})\s*(?:{_SEP}.*)?$"
    return re.compile(alt, re.IGNORECASE)


def _families(rows) -> tuple[Family, ...]:
    return tuple(Family(r["name"], _any(r.get("title"), whole_line=True), _any(r.get("text")),
                        tuple(m.lower() for m in r.get("markup", ()))) for r in rows)


def _load(path: Path = TABLES) -> dict:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {"limits": data["limits"], "non_html_types": tuple(data["non_html_types"]),
            "bot_check": _families(data["bot_check"]), "consent": _families(data["consent"]),
            "not_found": _families(data["not_found"]), "error_page": _families(data["error_page"]),
            "take_down": _any(data["take_down"]["patterns"])}


RULES = _load()
LIMITS = RULES["limits"]


def assess(*, status: int, headers: dict[str, str], body: bytes, article, previous_text_chars: int | None,
           previous_complete: bool | None = None) -> str | None:
    """None when the response may become a version, else a short reason ("incomplete: ...",
    "not HTML: ...", "empty page: ...", "bot check: NAME", "consent wall: NAME", "not found page: PHRASE",
    "error page: PHRASE" (a 200 that says "502 Bad Gateway" or "302 Found"), "drastically shorter than the
    last version ...").

    status, headers, body: the final response (body decompressed). article: the detector Article
    extracted from it, or None to run only the response checks (completeness, binary). Only 2xx are
    judged: other statuses are outcomes of their own (304, 404, 410) or errors already.
    previous_text_chars: length of the last version's text (None: no version yet).
    previous_complete: whether the last version's raw HTML was closed (`html_closed`); False for a
    site whose pages never close </html>, so a missing close is no sign of truncation there. When
    True, any page that opened <html>/<body> must close it; otherwise only a page that also ends
    mid-markup counts as cut short.
    """
    if status in (204, 205):
        return f"empty page: no content (HTTP {status})"
    if status == 206:
        return "incomplete: partial content (HTTP 206)"
    if not 200 <= status < 300:
        return None
    h = {str(k).lower(): (v.decode("latin-1") if isinstance(v, bytes) else str(v)) for k, v in headers.items()}
    body = body or b""
    for check in (_declared_length, _declared_type):
        if reason := check(h, body):
            return reason
    if not body.strip():
        return "empty page: empty body"
    if reason := _binary(body):
        return reason
    if reason := _cut_short(body, previous_complete):
        return reason
    if article is None:
        return None
    return _article_problem(_Page(body, h.get("content-type"), article), previous_text_chars)


# --- The response ------------------------------------------------------------------------------------

def _declared_length(h: dict, body: bytes) -> str | None:
    try:
        declared = int(h.get("content-length", "").strip())
    except ValueError:
        return None
    if "content-encoding" not in h and declared > len(body):
        return f"incomplete: body shorter than Content-Length ({len(body):,} of {declared:,} bytes)"
    return None


def _declared_type(h: dict, body: bytes) -> str | None:
    ctype = h.get("content-type", "").split(";")[0].strip().lower()
    if ctype and ctype.startswith(RULES["non_html_types"]):
        return f"not HTML: Content-Type {ctype}"
    return None


def _binary(body: bytes) -> str | None:
    """NUL bytes, or many control bytes: a byte count that holds in every ASCII-compatible charset
    (utf-8, windows-1256, Shift_JIS...), with UTF-16/32 decoded first."""
    sample = body[:LIMITS["control_sample_bytes"]]
    for bom, enc in _BOMS:
        if sample.startswith(bom):
            text = body[:LIMITS["control_sample_bytes"] * 2].decode(enc, errors="replace")
            if "\x00" in text:
                return "not HTML: binary content (NUL characters)"
            return _share(len(_CONTROL_CHARS.findall(text)), len(text))
    if b"\x00" in body:
        return "not HTML: binary content (NUL bytes)"
    return _share(len(_CONTROL_BYTES.findall(sample)), len(sample))


def _share(controls: int, n: int) -> str | None:
    if n and controls / n > LIMITS["max_control_share"]:
        return f"not HTML: binary content ({controls} control bytes in the first {n:,})"
    return None


def _tail(body: bytes) -> bytes:
    return body[-max(LIMITS["close_window_bytes"], len(body) // 4):].lower()


def _opens(body: bytes) -> bool:
    head = body[:65536].lower()
    return b"<html" in head or b"<body" in head


def html_closed(body: bytes) -> bool:
    """True when a page that opened <html> or <body> closes one of them near its end (or never opened
    them). Pass it for the last version's raw HTML as `previous_complete`."""
    return not _opens(body) or b"</html" in _tail(body) or b"</body" in _tail(body)


def _cut_short(body: bytes, previous_complete: bool | None) -> str | None:
    if html_closed(body):
        return None
    if previous_complete or not body.rstrip().endswith(b">"):
        return "incomplete: HTML cut short (no closing </html>)"
    return None


# --- The article ------------------------------------------------------------------------------------

class _Page:
    """What the patterns read, parsed only when a short page needs it."""

    _too_deep = False                       # set by the parse: the markup hit libxml2's nesting limit

    def __init__(self, body: bytes, content_type: str | None, article):
        self.body, self.content_type, self.article = body, content_type, article
        self.text_chars = len((article.text or "").strip())

    @cached_property
    def _doc(self):
        from lxml import html as lhtml

        from .extract.encoding import decode         # the extractor's charset order, so both read alike
        try:
            text, _ = decode(self.body, self.content_type)
            text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
            parser = lhtml.HTMLParser()
            doc = lhtml.document_fromstring(text, parser=parser)
            self._too_deep = any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)
        except Exception:                   # unparseable markup: only the extracted title is read
            return None
        for el in doc.xpath("//script|//style|//noscript|//template"):
            el.drop_tree()
        return doc

    @property
    def too_deep(self) -> bool:
        return self._doc is not None and self._too_deep

    @cached_property
    def lines(self) -> list[str]:
        """The <title>, the first h1s and the extracted title, whitespace collapsed."""
        out = [self.article.title or ""]
        if self._doc is not None:
            out += [self._doc.findtext(".//title") or ""]
            out += [h.text_content() for h in self._doc.iter("h1")][:3]
        return [s for s in (_SPACE.sub(" ", x).strip() for x in out) if s]

    @cached_property
    def visible_text(self) -> str:
        if self._doc is None:
            return self.article.text or ""
        body = self._doc.find(".//body")
        text = (body if body is not None else self._doc).text_content()
        return _SPACE.sub(" ", text).strip()[:LIMITS["visible_text_chars"]]

    @cached_property
    def markup(self) -> str:
        return self.body[:262144].decode("latin-1").lower()


def _match(family: Family, page: _Page) -> str | None:
    """The phrase that names the page as one of `family`, or None."""
    if family.title and page.text_chars < LIMITS["title_text_chars"]:
        for line in page.lines:
            if m := family.title.search(line):
                return m.group(0).strip()
    if family.text and page.text_chars < LIMITS["short_text_chars"]:
        if m := family.text.search(page.visible_text):
            return m.group(0)
    if page.text_chars < LIMITS["markup_text_chars"]:
        for marker in family.markup:
            if marker in page.markup:
                return marker
    return None


def _article_problem(page: _Page, previous_text_chars: int | None) -> str | None:
    for key, label in (("bot_check", "bot check"), ("consent", "consent wall")):
        for family in RULES[key]:
            if _match(family, page):
                return f"{label}: {family.name}"
    for key, label in (("not_found", "not found page"), ("error_page", "error page")):
        for family in RULES[key]:
            if phrase := _match(family, page):
                return f"{label}: {phrase[:80].lower()}"
    article = page.article
    if not (article.title or "").strip() and not page.text_chars:
        return "empty page: no title and no text"
    if not page.text_chars and page.too_deep:     # libxml2 stops reading at 256 levels: the text is unread
        return "unreadable: markup nested deeper than the parser reads (256 levels); no text extracted"
    prev = previous_text_chars or 0
    if (prev >= LIMITS["shrink_min_previous_chars"] and page.text_chars < LIMITS["shrink_ratio"] * prev
            and not RULES["take_down"].search(f"{article.title or ''}\n{article.text or ''}")):
        return (f"drastically shorter than the last version ({page.text_chars:,} of {prev:,} characters) "
                f"with no take-down sign")
    return None
