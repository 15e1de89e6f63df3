"""SQLite storage through sqlite-utils: schema and migrations, the one transaction that records a check,
and the reads the command line needs."""
from .db import StorageError, open_db
from .queries import article_by_url, latest_version, due_articles, history, recent_changes, status, version_html
from .record import (CheckResult, Recorded, ensure_site, prune_checks, record_batch, record_check, record_cycle,
                     track)
from .schema import migrate, schema_version

__all__ = ["CheckResult", "Recorded", "StorageError", "article_by_url", "due_articles", "ensure_site",
           "history", "latest_version", "migrate", "open_db", "prune_checks", "recent_changes", "record_batch", "record_check", "record_cycle",
           "schema_version", "status", "track", "version_html"]
