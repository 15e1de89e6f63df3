"""Installs that work everywhere: what marsad imports is what pyproject.toml declares, and the `scrapy`
command offers no spider that cannot run on its own.

A package that is only present because something else pulled it in (lxml.html.clean before lxml 6 moved
it out; markupsafe through Jinja2) works until that something changes. The fresh-venv install itself is
in .ci/run (`pip install .` with the pip Python ships, then the installed `marsad` run outside the tree).
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGES = ("crawler", "detector", "storage", "alerts", "scheduler", "bench")

# Imports that are no distribution's, each with why (explicit, so a new one is a decision).
NOT_DISTRIBUTIONS = {
    "load": "bench/corpora.py: the corpora's own loader module, put on sys.path from ../shared/corpora",
}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _optional(tree: ast.AST) -> set[int]:
    """ids of import nodes that are optional: inside `try:` with an ImportError handler (the handler's
    fallback is what must be declared), or under `if TYPE_CHECKING:` (never run)."""
    ids = set()
    for node in ast.walk(tree):
        guarded = []
        if isinstance(node, ast.Try):
            caught = {n.id for h in node.handlers if h.type is not None
                      for n in ast.walk(h.type) if isinstance(n, ast.Name)}
            if caught & {"ImportError", "ModuleNotFoundError"}:
                guarded = node.body
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded = node.body
        ids |= {id(n) for stmt in guarded for n in ast.walk(stmt) if isinstance(n, (ast.Import, ast.ImportFrom))}
    return ids


def third_party_imports() -> dict[str, list[str]]:
    """top-level module -> the files that import it (any depth: lazy imports inside functions count)."""
    found: dict[str, list[str]] = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            optional = _optional(tree)
            for node in ast.walk(tree):
                if id(node) in optional:
                    continue
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top in PACKAGES or top == "__future__":
                        continue
                    found.setdefault(top, []).append(str(path.relative_to(ROOT)))
    return found


def declared() -> set[str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return {_normal(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", d).group(1)) for d in deps}


def test_every_third_party_import_is_a_declared_dependency():
    dists = packages_distributions()
    deps = declared()
    missing = []
    for module, files in sorted(third_party_imports().items()):
        if module in NOT_DISTRIBUTIONS:
            continue
        provided_by = {_normal(d) for d in dists.get(module, [])}
        if not provided_by:
            missing.append(f"{module} (not installed; imported by {', '.join(sorted(set(files)))})")
        elif not provided_by & deps:
            missing.append(f"{module} from {'/'.join(sorted(provided_by))} (imported by {', '.join(sorted(set(files)))})")
    assert missing == [], "imported but not in [project.dependencies]:\n  " + "\n  ".join(missing)


def test_the_import_scan_sees_lazy_and_guarded_imports():
    """The scan itself: a lazy import counts, a guarded one does not, its fallback does."""
    tree = ast.parse("def f():\n    import lazy_pkg\ntry:\n    import fast_pkg\nexcept ImportError:\n"
                     "    import slow_pkg\nif TYPE_CHECKING:\n    import typing_only\n")
    optional = _optional(tree)
    seen = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) and id(n) not in optional for a in n.names}
    assert seen == {"lazy_pkg", "slow_pkg"}
    assert {"click", "scrapy", "lxml", "trafilatura", "datasette"} <= set(third_party_imports())


def test_allow_list_entries_are_still_imported():
    assert set(NOT_DISTRIBUTIONS) <= set(third_party_imports())


# --- the `scrapy` command in marsad's folder -------------------------------------------------------

def scrapy(*args):
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_scrapy_list_offers_no_spider():
    proc = scrapy("list")
    assert proc.returncode == 0 and proc.stdout.strip() == "", proc.stdout + proc.stderr


@pytest.mark.parametrize("args", [["marsad_articles"], ["marsad_articles", "-a", "urls=https://x.example/a"],
                                  ["marsad_discovery"]])
def test_scrapy_crawl_says_to_use_marsad_and_fails(args):
    proc = scrapy("crawl", *args)
    assert proc.returncode == 2
    assert "marsad crawl" in proc.stderr and "marsad daemon" in proc.stderr
    assert "Traceback" not in proc.stderr and "Spider closed" not in proc.stderr
