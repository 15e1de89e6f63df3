"""Reading the database of a running marsad process from a test: read-only, and an empty answer while
the schema is not there yet (the process is still starting), so a wait loop can poll it."""
from __future__ import annotations

import sqlite3


def query(db, sql):
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    except sqlite3.OperationalError:
        return []
