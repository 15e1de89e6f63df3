"""Who gets told about what: alert rules from the configuration, matched against changes.

Pure: a rule, an article and its changes in, a yes or no out. Storage calls `matching` inside the
transaction that records the changes, so an alert row exists exactly when its changes do.

Keywords are whole words in a scope (`in = "headline" | "lede" | "text"`; each scope holds the ones
before it), compared on the normalized text (detector/normalize.py: no tashkeel, one alef, one yaa, ...),
so a passing mention in paragraph twelve does not send a story to a desk that asked for its headlines.
An Arabic keyword also matches with the clitics written onto it (و ف ب ل ك and the article ال:
"غزة" finds "وغزة", "بغزة", "الغزة"; "المرصد" finds "والمرصد", "للمرصد"), a table below.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from detector import Change, severity_rank
from detector.normalize import normalize

from .schedule import Digest, parse_digest

SCOPES = ("headline", "lede", "text")
SCOPE_WORDS = {"headline": "in the headline", "lede": "in the lede", "text": "in the text"}
LEDE_MIN_WORDS = 12           # the lede: the first paragraph, and the next ones while it is shorter (a dateline)

# Arabic proclitics, as normalize() writes them: conjunction, then preposition, then the article.
AR_CONJUNCTIONS = ("", "و", "ف")
AR_PREPOSITIONS = ("", "ب", "ل", "ك")
AR_ARTICLE = "ال"
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_WORD = re.compile(r"\w+")


def words(text: str | None) -> list[str]:
    """The normalized words of a text: punctuation (and the apostrophe of "Gaza's") separates them."""
    return _WORD.findall(normalize(text or ""))


def _forms(word: str) -> frozenset[str]:
    """The written forms an Arabic keyword word takes with clitics; a Latin word is only itself."""
    if not _ARABIC.search(word):
        return frozenset([word])
    definite = word.startswith(AR_ARTICLE) and len(word) > 3
    base = word[len(AR_ARTICLE):] if definite else word
    out = set()
    for c in AR_CONJUNCTIONS:
        for p in AR_PREPOSITIONS:
            for article in (("ال",) if definite else ("", "ال")):
                out.add(c + ("لل" if p == "ل" and article else p + article) + base)
    return frozenset(out)


def lede(text: str | None) -> str:
    """The first paragraph, and the next ones while the lede has fewer than LEDE_MIN_WORDS words."""
    out, n = [], 0
    for p in (text or "").split("\n\n"):
        if not p.strip():
            continue
        out.append(p)
        n += len(p.split())
        if n >= LEDE_MIN_WORDS:
            break
    return "\n\n".join(out)


class Scopes:
    """An article's words per scope, computed once for every rule that looks at it."""

    def __init__(self, title: str | None, text: str | None):
        self.title, self.text = title, text
        self._cache: dict[str, list[str]] = {}

    def words(self, scope: str) -> list[str]:
        if scope not in self._cache:
            self._cache[scope] = {"headline": lambda: words(self.title),
                                  "lede": lambda: words(self.title) + words(lede(self.text)),
                                  "text": lambda: words(self.title) + words(self.text)}[scope]()
        return self._cache[scope]


@dataclass(frozen=True)
class Keyword:
    text: str
    forms: tuple[frozenset, ...]

    @classmethod
    def of(cls, text: str) -> "Keyword":
        return cls(text, tuple(_forms(w) for w in words(text)))

    def found_in(self, hay: list[str]) -> bool:
        n = len(self.forms)
        if not n:
            return False
        return any(all(hay[i + j] in self.forms[j] for j in range(n)) for i in range(len(hay) - n + 1))


@dataclass(frozen=True)
class AlertRule:
    to: tuple[str, ...] = ()             # e-mail recipients
    webhook: str | None = None           # or/and a URL that receives a JSON POST
    kinds: tuple[str, ...] = ()          # empty: every kind
    min_severity: str = "medium"
    sites: tuple[str, ...] = ()          # empty: every site
    url_patterns: tuple[str, ...] = ()   # regular expressions; empty: every URL
    keywords: tuple[str, ...] = ()       # whole words in `scope` (Arabic normalized, clitics allowed)
    scope: str = "text"                  # headline | lede | text
    measures: tuple[str, ...] = ()       # figure_changed only for these measures
    min_rise: int = 0                    # figure_changed only when the figure rose by at least this much
    digest: Digest | None = None         # None: send at once; else one mail per window on the clock
    urgent: str | None = None            # a digest rule's changes at least this severe go at once
    name: str = ""
    error_streak: int = 0                # > 0: alert when an article's checks fail this many times in a row
    only_silent: bool = False            # only silent edits (detector/silent.py): no stamp moved, no correction
    restamped: bool = False              # also re-stamps (the update stamp moved, nothing else), quiet otherwise

    @property
    def id(self) -> str:
        return self.name or ",".join(self.to) or (self.webhook or "")

    @property
    def digest_seconds(self) -> int:
        """Always 0: a digest row is not held back by a delay from its creation but by its window on the
        clock, which the sender applies (alerts.batching). storage/record.py reads this to set the first
        `next_attempt_at`; `due_at` gives the window's end for that."""
        return 0

    def due_at(self, at: datetime) -> datetime:
        """When an alert created at `at` may be sent: the end of its digest window, or `at` itself."""
        return self.digest.window_end(at) if self.digest else at

    def is_urgent(self, severity: str | None) -> bool:
        return bool(self.urgent) and severity_rank(severity or "none") >= severity_rank(self.urgent)

    def _figure_ok(self, c: Change) -> bool:
        if c.kind != "figure_changed":
            return True
        if self.measures and c.field not in self.measures:
            return False
        if self.min_rise:
            return isinstance(c.new, int) and (c.new - (c.old or 0)) >= self.min_rise
        return True

    def _keywords(self) -> tuple[Keyword, ...]:
        return _compiled(self.keywords)

    def keyword_hit(self, scopes: Scopes) -> tuple[str, str] | None:
        """(keyword, narrowest scope it was found in) for the first keyword found in the rule's scope."""
        upto = SCOPES[:SCOPES.index(self.scope) + 1]
        for kw in self._keywords():
            for scope in upto:
                if kw.found_in(scopes.words(scope)):
                    return kw.text, scope
        return None

    def why(self, title: str | None, text: str | None) -> str:
        """What the mail says about this rule: its name, and for a keyword rule the word and where."""
        out = f"rule “{_isolated(self.id)}”"
        if self.keywords:
            hit = self.keyword_hit(Scopes(title, text))
            if hit:
                out += f": “{_isolated(hit[0])}” {SCOPE_WORDS[hit[1]]}"
        return out

    def matches_article(self, site: str | None, url: str | None, title: str | None, text: str | None,
                        scopes: Scopes | None = None) -> bool:
        if self.sites and site not in self.sites:
            return False
        if self.url_patterns and not any(re.search(p, url or "") for p in self.url_patterns):
            return False
        if self.keywords:
            return self.keyword_hit(scopes or Scopes(title, text)) is not None
        return True

    def matches(self, change: Change) -> bool:
        if change.kind == "fetch_failing":          # only rules that ask for it, at the streak they name
            return bool(self.error_streak) and change.new == self.error_streak
        if change.detail.get("restamped"):          # quiet unless the rule asks for re-stamps
            return self.restamped and (not self.kinds or change.kind in self.kinds)
        if self.only_silent and not change.detail.get("silent"):
            return False
        if self.kinds and change.kind not in self.kinds:
            return False
        floor = max(severity_rank(self.min_severity), 1)       # "none" (cosmetic) never alerts
        return severity_rank(change.severity) >= floor and self._figure_ok(change)


def _isolated(name: str) -> str:
    """An Arabic name bidi-isolated (U+2068...U+2069), so the English sentence around it keeps its order."""
    return f"\u2068{name}\u2069" if _ARABIC.search(name) else name


_KEYWORDS: dict[tuple[str, ...], tuple[Keyword, ...]] = {}


def _compiled(keywords: tuple[str, ...]) -> tuple[Keyword, ...]:
    if keywords not in _KEYWORDS:
        _KEYWORDS[keywords] = tuple(Keyword.of(k) for k in keywords)
    return _KEYWORDS[keywords]


def _tuple(v) -> tuple:
    if not v:
        return ()
    return (v,) if isinstance(v, str) else tuple(v)


def rule_from_config(d: dict, index: int = 0, duration=None) -> AlertRule:
    """A rule from one [[alerts]] table; `duration` parses "15m" style strings (the caller's parser)."""
    digest = parse_digest(d.get("digest") or "0m", d.get("timezone") or "UTC", duration) if duration else None
    return AlertRule(to=_tuple(d.get("to")), webhook=d.get("webhook") or None, kinds=_tuple(d.get("kinds")),
                     min_severity=d.get("min_severity", "medium"), sites=_tuple(d.get("sites")),
                     url_patterns=_tuple(d.get("url_patterns")), keywords=_tuple(d.get("keywords")),
                     scope=d.get("in") or "text", measures=_tuple(d.get("measures")),
                     min_rise=int(d.get("min_rise", 0)), digest=digest, urgent=d.get("urgent") or None,
                     name=d.get("name") or f"rule{index + 1}", error_streak=int(d.get("error_streak") or 0),
                     only_silent=bool(d.get("only_silent")), restamped=bool(d.get("restamped")))


def matching(rules, site: str | None, changes, url: str | None = None, title: str | None = None,
             text: str | None = None) -> list[tuple[AlertRule, list[int]]]:
    """For each rule, the indexes of the changes it covers (rules that cover none are left out). Quiet
    kinds (a move, a byline, a re-dating, an update stamp, a spelling fix, a headline test's later flips:
    detector.compare.quiet_alone) ride along with a change that alerts, but never make a mail alone,
    whatever a rule's min_severity; a re-stamp does for a rule that asks (`restamped`)."""
    from detector.compare import quiet_alone
    out = []
    scopes = Scopes(title, text)
    for rule in rules:
        if not rule.matches_article(site, url, title, text, scopes):
            continue
        idx = [i for i, c in enumerate(changes) if rule.matches(c)]
        if idx and not all(quiet_alone(changes[i]) and not (rule.restamped and changes[i].detail.get("restamped"))
                           for i in idx):
            out.append((rule, idx))
    return out
