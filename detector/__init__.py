"""marsad's diff engine: the pure core. No I/O, no clock, no Scrapy; imports nothing of the project."""
from .compare import DEFAULT_POLICY, Policy, compare, removed_change
from .figures import find_figures
from .models import Article, Change, Comparison, Figure, SEVERITIES, severity_rank
from .normalize import content_hash, normalize
from .render import direction, render_html, render_text
from .summary import describe, summarize

VERSIONED_FIELDS = ("title", "text", "published_at", "updated_at", "byline")


def version_hash(article: Article) -> str:
    """The hash that decides whether a fetch is a new version: the extracted fields as shown. A relative
    update stamp ("3 min ago": updated_precision_s set) resolves to a new time at every fetch, so it is
    left out: it alone never makes a version. Exact stamps hash as they always did (stored hashes hold)."""
    fields = VERSIONED_FIELDS if article.updated_precision_s is None else \
        tuple(f for f in VERSIONED_FIELDS if f != "updated_at")
    return content_hash({f: getattr(article, f) for f in fields})


__all__ = ["Article", "Change", "Comparison", "Figure", "Policy", "DEFAULT_POLICY", "SEVERITIES", "compare",
           "content_hash", "describe", "find_figures", "normalize", "removed_change", "severity_rank",
           "summarize", "version_hash", "VERSIONED_FIELDS", "direction", "render_html", "render_text"]
