"""compare(previous, current) -> Comparison: the changes between two versions an editor cares about.

Pure: two Article values in, plain Change records out. The alert decision uses a Policy (the minimum
severity, and per-kind severity overrides) that the configuration can change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from .align import align, word_diff
from .corrections import is_correction
from .figures import is_background, story_figures
from .headline_tests import is_repeat
from .models import Article, Change, Comparison, Figure, severity_rank
from .normalize import loose
from .sentences import split_sentences
from .silent import mark as mark_silent
from .takedown import takedown_change

# Default severity of each kind (DESIGN.md's table). A Policy may override any of them.
DEFAULT_SEVERITY = {
    "title_changed": "high",
    "updated_time_changed": "low",
    "published_time_changed": "low",   # a re-dating: recorded and shown, no alert alone
    "figure_changed": "high",          # "medium" when the figure falls; see _figure_changes
    "sentence_added": "medium",
    "sentence_removed": "medium",
    "sentence_edited": "medium",
    "sentence_moved": "low",
    "correction_added": "high",
    "byline_changed": "low",
    "cosmetic": "none",
    "removed": "high",
}


@dataclass(frozen=True)
class Policy:
    """What deserves an alert: changes at or above min_severity, after per-kind overrides."""

    min_severity: str = "medium"
    severity: dict[str, str] = field(default_factory=dict)

    def severity_of(self, kind: str, default: str | None = None) -> str:
        return self.severity.get(kind) or default or DEFAULT_SEVERITY.get(kind, "medium")

    def alerts(self, changes) -> bool:
        """Some change at or above the floor that may alert on its own (see quiet_alone)."""
        floor = max(severity_rank(self.min_severity), 1)   # "none" never alerts, whatever the setting
        return any(severity_rank(c.severity) >= floor and not quiet_alone(c) for c in changes)


# Kinds that are recorded and shown but never alert on their own, whatever their severity (DESIGN.md's
# alert policy): a re-ordering, a byline, a re-dating, a new update stamp; and a spelling fix (below).
QUIET_ALONE = frozenset({"sentence_moved", "byline_changed", "published_time_changed", "updated_time_changed"})


def quiet_alone(change: Change) -> bool:
    """The change never makes a version alert by itself (QUIET_ALONE, an edit marked `typo`, or a
    headline test's flip after the one that revealed it: detector/headline_tests.py)."""
    return (change.kind in QUIET_ALONE or bool(change.kind == "sentence_edited" and change.detail.get("typo"))
            or is_repeat(change))


DEFAULT_POLICY = Policy()


def _change(policy: Policy, kind: str, fld: str, old, new, detail=None, severity=None) -> Change:
    return Change(kind, fld, old, new, policy.severity_of(kind, severity), detail or {})


def _is_day(stamp: str | None) -> bool:
    return bool(stamp) and len(stamp) == 10          # "2024-03-05": a day without a time


def _instant(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None


def within_precision(old: str | None, new: str | None, *precisions: int | None) -> bool:
    """Two stamps no further apart than the coarser precision of either side: a relative stamp ("3 min
    ago", "منذ ساعتين") resolved at two fetch times moves because time passed, not because the page did."""
    slack = max((p for p in precisions if p is not None), default=None)
    if slack is None or not old or not new:
        return False
    a, b = _instant(old), _instant(new)
    if a is None or b is None or (a.tzinfo is None) != (b.tzinfo is None):
        return False
    return abs((b - a).total_seconds()) <= slack


def _time_change(policy, kind, fld, old, new, previous: Article):
    if old == new:
        return []
    if _is_day(old) or _is_day(new):
        if old and new and old[:10] == new[:10]:
            return []                                  # the same day, now with (or without) its time
        # a day-precision stamp is a guess (often htmldate's, on a page with no stamp): recorded, quiet
        return [_change(policy, kind, fld, old, new, {"note": "day precision"}, "low")]
    if old and new:
        if kind == "published_time_changed" and new == previous.updated_at:
            # the page now calls its last update its publication time: a template change, not a backdating
            return [_change(policy, kind, fld, old, new, {"note": "now the previous update time"}, "low")]
        return [_change(policy, kind, fld, old, new)]
    # A stamp that appears or vanishes is usually the page template, not the story: recorded, quiet.
    return [_change(policy, kind, fld, old, new, {"note": "appeared" if new else "disappeared"}, "low")]


def _placed(article: Article) -> tuple[Figure, ...]:
    """The article's figures, each with where it stands. Versions stored before figures carried `where`
    and `background` are placed here from their sentence: the headline, the first paragraph (lede), or
    the body, and whether the sentence is background (figures.is_background)."""
    if all(f.where for f in article.figures):
        return article.figures
    lede = {s for p, s in split_sentences(article.text) if p == 0}
    return tuple(f if f.where else replace(f, where="headline" if f.sentence == article.title
                                           else "lede" if f.sentence in lede else "body",
                                           background=is_background(f.sentence))
                 for f in article.figures)


def _by_sentence(figures) -> dict[str, list[Figure]]:
    out: dict[str, list[Figure]] = {}
    for f in figures:
        if f.where != "headline":
            out.setdefault(f.sentence, []).append(f)
    return out


def _aligned_moves(old_figs, new_figs, old_title, new_title, al) -> list[tuple[Figure, Figure]]:
    """(old, new) figures of one measure that stand in the same place of both versions (the headline,
    or an old sentence and the new sentence it was edited into) and whose value moved. Several figures
    of one measure in a sentence are paired in the order they are stated."""
    places = []
    if (old_title or "") != (new_title or ""):
        places.append(([f for f in old_figs if f.where == "headline"], [f for f in new_figs if f.where == "headline"]))
    ob, nb = _by_sentence(old_figs), _by_sentence(new_figs)
    for o, n, _ in al.edited:
        if o.text in ob and n.text in nb:
            places.append((ob[o.text], nb[n.text]))
    moves = []
    for before, after in places:
        for m in dict.fromkeys(f.measure for f in before):
            pairs = zip([f for f in before if f.measure == m], [f for f in after if f.measure == m])
            moves.extend((b, a) for b, a in pairs if b.value != a.value and not _restated_vaguely(b, a))
    return moves


def _restated_vaguely(b: Figure, a: Figure) -> bool:
    """One side is a number word of magnitude ("dozens", "عشرات": approximate, value its lower end) and
    the other an exact count within that magnitude: "65 detained" -> "dozens detained" restates the
    count, it does not move it."""
    if b.approximate == a.approximate:
        return False
    vague, exact = (b, a) if b.approximate else (a, b)
    return vague.qualifier != "range" and vague.value <= exact.value < vague.value * 10


def _figure_change(policy, measure: str, b: Figure | None, a: Figure | None) -> Change:
    if a is None:
        return _change(policy, "figure_changed", measure, b.value, None,
                       {"direction": "gone", "where": b.where, "old_sentence": b.sentence}, "medium")
    direction = "up" if b is None or a.value > b.value else "down"
    background = a.background
    detail = {"direction": direction, "where": a.where, "sentence": a.sentence, "qualifier": a.qualifier}
    if a.subject:
        detail["subject"] = a.subject
    if b is not None:
        detail["old_sentence"] = b.sentence
    if background:
        detail["background"] = True
    severity = None if direction == "up" and not background else "medium"
    return _change(policy, "figure_changed", measure, b.value if b else None, a.value, detail, severity)


def _figure_changes(policy, old: Article, new: Article, al) -> list[Change]:
    """One change per figure that moved where it stands (DESIGN.md's figure_changed): first the figures
    aligned through the headline and the edited sentences; then, for a measure none of those moved, the
    story's own toll (story_figures) when it changed some other way (its sentence rewritten, added, or
    gone). The same move stated in several places (headline and lede) is one change, placed first."""
    old_figs, new_figs = _placed(old), _placed(new)
    out, seen, moved = [], set(), set()
    for b, a in _aligned_moves(old_figs, new_figs, old.title, new.title, al):
        if (b.measure, b.value, a.value) not in seen:
            seen.add((b.measure, b.value, a.value))
            moved.add(b.measure)
            out.append(_figure_change(policy, b.measure, b, a))
    before, after = story_figures(old_figs), story_figures(new_figs)
    for measure in sorted(set(before) | set(after)):
        b, a = before.get(measure), after.get(measure)
        if measure in moved or (b and a and b.value == a.value):
            continue
        if a is None and any(f.measure == measure for f in new_figs):
            continue                        # only background figures left: the toll is no longer restated
        out.append(_figure_change(policy, measure, b, a))
    return out


_NUMBER = re.compile(r"\d[\d,]*")
EXPLAINED_WORDS = 4   # an edit of a figure's own sentence touching at most this many words per side restates it
_LETTER = re.compile(r"[^\W\d_]")
FRAGMENT_WORDS = 3   # an added/removed "sentence" of fewer words is a label or a counter (Arabic prose packs 3 words)


def is_fragment(sentence: str) -> bool:
    """Labels ("Economy", "EILMELDUNG:"), counters ("24") and other scraps that are not prose."""
    return len(sentence.split()) < FRAGMENT_WORDS or not _LETTER.search(sentence)


def _only_numbers_differ(diff) -> bool:
    changed = " ".join(t for op, t in diff if op != "equal")
    return bool(changed) and not _NUMBER.sub("", loose(changed)).strip(" -")


TYPO_SIMILARITY = 0.8    # a replaced word this close to the old one, letter by letter, and of nearly the same
                         # length, is a spelling fix ("increase"/"decrease" at 0.75, "lawful"/"unlawful" are not)
TYPO_WORDS = 2


def _is_typo_fix(diff) -> bool:
    """Only one or two words replaced, each by a near-identical spelling, and no digits involved:
    "goverment" -> "government". Recorded as an edit, but it does not alert."""
    from difflib import SequenceMatcher
    pairs, i = [], 0
    while i < len(diff):
        op, text = diff[i]
        if op == "delete" and i + 1 < len(diff) and diff[i + 1][0] == "insert":
            pairs.append((text, diff[i + 1][1]))
            i += 2
            continue
        if op != "equal":
            return False
        i += 1
    if not pairs or sum(len(o.split()) for o, _ in pairs) > TYPO_WORDS:
        return False
    for old, new in pairs:
        if len(old.split()) != len(new.split()) or any(c.isdigit() for c in old + new):
            return False
        for a, b in zip(old.split(), new.split()):
            if abs(len(a) - len(b)) > 1 or SequenceMatcher(None, a.lower(), b.lower()).ratio() < TYPO_SIMILARITY:
                return False
    return True


def _restates_figure(old: str, new: str, diff, figure_sentences) -> bool:
    """The edit is a reported figure change itself: both sentences state the changed measure, and only
    numbers, or a few words around the number, changed ("عشرة متظاهرين" -> "35 متظاهراً")."""
    old_sents, new_sents = figure_sentences
    if old not in old_sents or new not in new_sents:
        return False
    if _only_numbers_differ(diff):
        return True
    deleted = sum(len(t.split()) for op, t in diff if op == "delete")
    inserted = sum(len(t.split()) for op, t in diff if op == "insert")
    return max(deleted, inserted) <= EXPLAINED_WORDS


def _fold_live_entries(policy, changes: list[Change]) -> list[Change]:
    """A live blog's new entries are one change ("+3 entries"), not a storm of sentence_added."""
    added = [c for c in changes if c.kind == "sentence_added"]
    rest = [c for c in changes if c.kind != "sentence_added"]
    paragraphs = sorted({c.detail.get("paragraph") for c in added})
    text = "\n\n".join(" ".join(c.new for c in added if c.detail.get("paragraph") == p) for p in paragraphs)
    folded = _change(policy, "sentence_added", "text", None, text,
                     {"live_blog": True, "entries": len(paragraphs), "sentences": len(added)})
    return rest + [folded]


def _sentence_changes(policy, old: Article, new: Article, figures: list[Change], al) -> list[Change]:
    current_live = new.live
    out = []
    whole_new = {p for p, size in al.new_paragraph_sizes.items()
                 if sum(1 for s in al.added if s.paragraph == p) == size}
    measures = {c.field for c in figures}
    figure_sentences = ({f.sentence for f in old.figures if f.measure in measures},
                        {f.sentence for f in new.figures if f.measure in measures})
    correction_paragraphs: dict[int, list[str]] = {}
    for s in al.added:
        if is_correction(s.text) or s.paragraph in correction_paragraphs:
            correction_paragraphs.setdefault(s.paragraph, []).append(s.text)   # the notice runs to its paragraph's end
        else:
            detail = {"paragraph": s.paragraph, "whole_paragraph": s.paragraph in whole_new}
            out.append(_fragment_aware(policy, "sentence_added", None, s.text, detail))
    for para, texts in correction_paragraphs.items():
        out.append(_change(policy, "correction_added", "text", None, " ".join(texts), {"paragraph": para}))
    if current_live and sum(1 for c in out if c.kind == "sentence_added") > 1:
        out = _fold_live_entries(policy, out)
    for s in al.removed:
        out.append(_fragment_aware(policy, "sentence_removed", s.text, None, {"paragraph": s.paragraph}))
    for o, n, ratio in al.edited:
        diff = word_diff(o.text, n.text)
        detail = {"ratio": round(ratio, 3), "diff": diff}
        severity = None
        if figures and _restates_figure(o.text, n.text, diff, figure_sentences):
            detail["explained_by"] = "figure_changed"     # the figure change already says it
            severity = "low"
        elif _is_typo_fix(diff):
            detail["typo"] = True
            severity = "low"
        out.append(_change(policy, "sentence_edited", "text", o.text, n.text, detail, severity))
    for o, n in al.moved:
        out.append(_change(policy, "sentence_moved", "text", o.text, n.text,
                           {"from_paragraph": o.paragraph, "to_paragraph": n.paragraph}))
    return out


def _fragment_aware(policy, kind, old, new, detail) -> Change:
    if is_fragment(old or new):
        return _change(policy, kind, "text", old, new, {**detail, "fragment": True}, "low")
    return _change(policy, kind, "text", old, new, detail)


def compare(previous: Article | None, current: Article, policy: Policy = DEFAULT_POLICY) -> Comparison:
    """Changes from `previous` to `current`; no previous version means nothing to report yet."""
    if previous is None:
        return Comparison((), False)
    changes: list[Change] = []
    if loose(previous.title or "") != loose(current.title or ""):
        changes.append(_change(policy, "title_changed", "title", previous.title, current.title,
                               {"diff": word_diff(previous.title or "", current.title or "")}))
    changes += _time_change(policy, "published_time_changed", "published_at",
                            previous.published_at, current.published_at, previous)
    if not within_precision(previous.updated_at, current.updated_at,
                            previous.updated_precision_s, current.updated_precision_s):
        changes += _time_change(policy, "updated_time_changed", "updated_at", previous.updated_at,
                                current.updated_at, previous)
    if loose(previous.byline or "") != loose(current.byline or ""):
        changes.append(_change(policy, "byline_changed", "byline", previous.byline, current.byline))
    al = align(previous.text, current.text)
    figures = _figure_changes(policy, previous, current, al)
    changes += figures
    changes += _sentence_changes(policy, previous, current, figures, al)

    if not changes:
        cosmetic = [f for f in ("title", "text", "byline")
                    if (getattr(previous, f) or "") != (getattr(current, f) or "")]
        if cosmetic:
            changes.append(_change(policy, "cosmetic", cosmetic[0], None, None, {"fields": cosmetic}))
    changes = mark_silent(changes, current)
    return Comparison(tuple(changes), policy.alerts(changes))


def removed_change(status: int, policy: Policy = DEFAULT_POLICY) -> Change:
    """The change recorded when an article is taken down by HTTP 404 or 410 (detector/takedown.py has
    the other ways)."""
    return takedown_change("gone" if status == 410 else "not_found", status, policy)
