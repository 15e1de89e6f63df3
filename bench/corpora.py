"""Access to ../shared/corpora for the benchmarks (read in place, never copied into the repository)."""
from __future__ import annotations

import sys
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def loader(path: Path | None = None):
    """The corpora's own `load` module (iter_records, iter_revision_pairs, read_html)."""
    path = Path(path or DEFAULT)
    if not (path / "load.py").exists():
        raise FileNotFoundError(f"no corpora at {path} (expected ../shared/corpora beside the checkout)")
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
    import load
    return load
