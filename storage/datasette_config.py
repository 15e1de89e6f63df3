"""The Datasette metadata shipped with marsad (storage/metadata.json), for a database of a given name."""
from __future__ import annotations

import json
from pathlib import Path

METADATA = Path(__file__).resolve().parent / "metadata.json"


def metadata_for(db_name: str) -> dict:
    """Datasette metadata: the title and description, and per database the tables, views and queries."""
    data = json.loads(METADATA.read_text(encoding="utf-8"))
    return {"title": data["title"], "description": data["description"],
            "databases": {db_name: {"tables": data["tables"], "queries": data["queries"]}}}
