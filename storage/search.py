"""Full-text search over versions: an FTS5 trigram index (rowid = versions.id) of the text as shown and a
normalized copy (no tashkeel or tatweel, unified letter variants, ASCII digits). Normalization is for
search only: the versions table keeps the text exactly as published."""
from __future__ import annotations

from detector.normalize import normalize

INSERT = ("INSERT INTO versions_fts (rowid, title, text, title_normalized, text_normalized) VALUES (?, ?, ?, ?, ?)")


def index_row(version_id: int, title: str | None, text: str | None) -> tuple:
    return (version_id, title or "", text or "", normalize(title or ""), normalize(text or ""))


def index_version(conn, version_id: int, title: str | None, text: str | None) -> None:
    """Called inside record_check()'s transaction, so a version is searchable exactly when it exists."""
    conn.execute(INSERT, index_row(version_id, title, text))


def backfill(db) -> int:
    rows = db.execute("SELECT id, title, text FROM versions WHERE id NOT IN (SELECT rowid FROM versions_fts)").fetchall()
    db.conn.executemany(INSERT, [index_row(*r) for r in rows])
    return len(rows)


def search(db, query: str, limit: int = 20) -> list[dict]:
    """Versions matching a query (normalized like the index; at least 3 characters, trigram)."""
    q = '"' + normalize(query).replace('"', '""') + '"'
    return list(db.query(
        "SELECT v.id, v.article_id, v.n, v.title FROM versions_fts f JOIN versions v ON v.id = f.rowid"
        " WHERE versions_fts MATCH ? ORDER BY rank LIMIT ?", [f"{{title_normalized text_normalized}}: {q}", limit]))
