"""Plain data shared by every part of marsad.

These dataclasses are the contract between the extractors (which make an `Article` out of a page),
the detector (which compares two of them) and storage (which writes them). They hold values only:
no behaviour that needs a clock, the network or a database.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES = ("none", "low", "medium", "high")


def severity_rank(severity: str) -> int:
    """Position of a severity in SEVERITIES; unknown names rank lowest so they never alert."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


@dataclass(frozen=True)
class Figure:
    """A count with its measure, as stated in one sentence: "22 killed", "مقتل 22 شخصاً"."""

    measure: str          # killed, injured, missing, arrested, displaced, cases, other
    value: int
    sentence: str         # the sentence as shown on the page (not normalized)
    qualifier: str = ""   # "at_least", "more_than", "about", "" (exact)
    approximate: bool = False  # from a number word such as "dozens" / "عشرات"
    subject: str = ""          # who, where stated: "civilians", "الميليشيات" (as printed)
    where: str = ""            # "headline", "lede" (the first paragraph) or "body"; "" in versions stored before
    background: bool = False   # about the past or the whole world ("a 2019 attack killed 300"): not the story's toll

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Figure":
        return cls(**{k: d[k] for k in ("measure", "value", "sentence", "qualifier", "approximate", "subject",
                                        "where", "background") if k in d})


@dataclass(frozen=True)
class Article:
    """What an extractor read from one fetch of a page. Text is paragraphs separated by blank lines."""

    url: str
    title: str | None = None
    text: str = ""
    published_at: str | None = None   # ISO 8601 UTC, "2021-02-26T13:55:00Z"
    updated_at: str | None = None
    byline: str | None = None
    lang: str | None = None
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    live: bool = False                # a live blog (JSON-LD LiveBlogPosting): entries are appended
    # None: updated_at is as printed. A number: it was resolved from a relative stamp ("3 min ago",
    # "منذ ساعتين") against the fetch time and is good only to ± this many seconds, so a move within it
    # is time passing, not an update.
    updated_precision_s: int | None = None

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["figures"] = [f.to_dict() for f in self.figures]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        figs = tuple(Figure.from_dict(f) for f in d.get("figures") or ())
        keys = ("url", "title", "text", "published_at", "updated_at", "byline", "lang", "live", "updated_precision_s")
        return cls(**{k: d.get(k) for k in keys if k in d}, figures=figs)


@dataclass(frozen=True)
class Change:
    """One thing that changed between two versions, in the vocabulary of DESIGN.md's change kinds."""

    kind: str
    field: str
    old: Any = None
    new: Any = None
    severity: str = "medium"
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "field": self.field, "old": self.old, "new": self.new,
                "severity": self.severity, "detail": self.detail}


@dataclass(frozen=True)
class Comparison:
    """The result of comparing two versions: the changes and whether they deserve an alert."""

    changes: tuple[Change, ...]
    alert: bool

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass
class Fetch:
    """What one fetch of a watched URL gave: an extracted Article, or the status/error that says why not.

    The crawler yields it as its item and storage records it, so both share this one definition.
    """

    url: str
    fetched_at: str
    status: int | None = None
    article: Article | None = None
    html: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    bytes: int = 0
    ms: int = 0
    error: str | None = None
    site: str | None = None
    final_url: str | None = None
    retry_after: int | None = None     # seconds the server asked us to wait (HTTP Retry-After)
    raw_hash: str | None = None        # hash of the body as fetched: the same body again is `unchanged` unparsed
    analysis: "Analysis | None" = None  # what the CPU step made of the body (None: storage compares itself)
    idempotency_key: str | None = None  # from a Redis worker: "<article id>:<dispatch token>", recorded once
    headers: bytes | None = None       # status line + headers as received, for a new/changed fetch only (versions.raw_headers)


@dataclass(frozen=True)
class Analysis:
    """What the CPU step of a check (crawler.analyze, in a worker process) made of a fetched body.

    outcome: `unchanged` (same article fields as the last version: only furniture moved), `new`, `changed`,
    or `invalid` (the validity gate refused the response: `reason` says why, and it never becomes a
    version). For `new`/`changed` the article, its hash, the changes against the last version and the
    summaries are computed here, so the writer only writes.
    """

    outcome: str
    article: Article | None = None
    content_hash: str | None = None
    changes: tuple[Change, ...] = ()
    alert: bool = False
    reason: str | None = None
    summary: str | None = None
    summary_ar: str | None = None
    base_hash: str | None = None     # the content hash of the version `changes` were computed against
    fingerprint: str | None = None   # the body's article fingerprint (crawler/fingerprint.py), kept for the next fetch
    noindex: str | None = None       # where the page said noindex ("meta", "header", ""), None: not looked at
