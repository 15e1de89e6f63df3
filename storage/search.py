"""Full-text search over versions: an FTS5 trigram index (rowid = versions.id) of the normalized title and
text only (no tashkeel or tatweel, unified letter variants, ASCII digits, case folded). Normalization is
for search only: the versions table keeps the text exactly as published.

The index is contentless (`content=''`): it keeps the trigram lists and nothing else, since the text is
in `versions`; a match gives the rowid, which is all a search needs. Every query is normalized the same
way before it reaches the index (search() here; Datasette's search box through the plugin, which
installs `escape_fts` below on marsad's connections), so "إيران" and "ايران" find the same versions.
SQLite 3.40 cannot delete a row from a contentless table by rowid: versions are never deleted; one that
had to be would be dropped with `INSERT INTO versions_fts (versions_fts, rowid, title_normalized,
text_normalized) VALUES ('delete', id, <its normalized title>, <its normalized text>)`.
"""
from __future__ import annotations

from detector.normalize import normalize

CREATE = ("CREATE VIRTUAL TABLE versions_fts USING fts5(title_normalized, text_normalized, tokenize = 'trigram',"
          " content = '')")
INSERT = "INSERT INTO versions_fts (rowid, title_normalized, text_normalized) VALUES (?, ?, ?)"


def index_row(version_id: int, title: str | None, text: str | None) -> tuple:
    return (version_id, normalize(title or ""), normalize(text or ""))


def index_version(conn, version_id: int, title: str | None, text: str | None) -> None:
    """Called inside record_check()'s transaction, so a version is searchable exactly when it exists."""
    conn.execute(INSERT, index_row(version_id, title, text))


def backfill(db) -> int:
    rows = db.execute("SELECT id, title, text FROM versions WHERE id NOT IN (SELECT rowid FROM versions_fts)").fetchall()
    db.conn.executemany(INSERT, [index_row(*r) for r in rows])
    return len(rows)


def match_query(query: str) -> str:
    """An FTS5 MATCH expression for a user's words: normalized like the index, one quoted phrase."""
    return '"' + normalize(query).replace('"', '""') + '"'


def search(db, query: str, limit: int = 20) -> list[dict]:
    """Versions matching a query (normalized like the index; at least 3 characters, trigram)."""
    return list(db.query(
        "SELECT v.id, v.article_id, v.n, v.title FROM versions_fts f JOIN versions v ON v.id = f.rowid"
        " WHERE versions_fts MATCH ? ORDER BY rank LIMIT ?", [match_query(query), limit]))


def escape_fts(query: str) -> str:
    """Datasette's escape_fts (its search box quotes each word) over the normalized query."""
    from datasette.utils import escape_fts as datasette_escape_fts
    return datasette_escape_fts(normalize(query))


def install_datasette_search(conn) -> None:
    """On a connection to a marsad database, replace Datasette's `escape_fts()` SQL function by one that
    normalizes first: the index holds only normalized text. Other databases keep Datasette's own."""
    from .schema import APPLICATION_ID
    try:
        marsad = conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    except Exception:                       # an unreadable file: Datasette reports it its own way
        return
    if marsad:
        conn.create_function("escape_fts", 1, escape_fts, deterministic=True)


# -- highlighting: where a query matches the text as shown ------------------------------------------

def _normalized_with_positions(text: str) -> tuple[str, list[int]]:
    """The text normalized one character at a time (as normalize() maps it, white space runs as one
    space), with the position in `text` each normalized character came from: a match found in the
    normalized text is highlighted in the text as published."""
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        piece = " " if ch.isspace() else normalize(ch)
        if piece == " " and out and out[-1] == " ":
            continue
        for c in piece:
            out.append(c)
            where.append(i)
    return "".join(out), where


def match_spans(text: str | None, query: str) -> list[tuple[int, int]]:
    """(start, end) positions in `text` where the normalized query occurs in the normalized text."""
    needle = normalize(query)
    if not text or not needle:
        return []
    hay, where = _normalized_with_positions(text)
    spans, start = [], hay.find(needle)
    while start != -1:
        end = where[start + len(needle) - 1] + 1
        while end < len(text) and not text[end].isspace() and not normalize(text[end]):
            end += 1                                   # a vowel mark or tatweel after the match is its own
        spans.append((where[start], end))
        start = hay.find(needle, start + len(needle))
    return spans


def highlighted(text: str | None, query: str) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_match) runs, for a page to wrap the matches in <mark>."""
    text = text or ""
    out, at = [], 0
    for s, e in match_spans(text, query):
        if s > at:
            out.append((text[at:s], False))
        out.append((text[s:e], True))
        at = e
    if at < len(text):
        out.append((text[at:], False))
    return out


def snippet(text: str | None, query: str, width: int = 90) -> list[tuple[str, bool]]:
    """About `width` characters either side of the first match, cut at spaces, with "…" where text was
    left out; the start of the text when the query matches only the headline."""
    text = text or ""
    spans = match_spans(text, query)
    if not spans:
        cut = text[: 2 * width].rsplit(" ", 1)[0] if len(text) > 2 * width else text
        return [(cut + ("…" if len(cut) < len(text) else ""), False)]
    s, e = spans[0]
    lo, hi = max(0, s - width), min(len(text), e + width)
    if lo > 0 and " " in text[lo:s]:
        lo = text.index(" ", lo) + 1
    if hi < len(text) and " " in text[e:hi]:
        hi = text.rindex(" ", e, hi)
    pieces = highlighted(text[lo:hi], query)
    if lo > 0:
        pieces.insert(0, ("…", False))
    if hi < len(text):
        pieces.append(("…", False))
    return pieces
