"""The alert policy (docs/architecture.md, DESIGN's change kinds): moves, bylines, re-datings, update stamps
and spelling fixes are recorded and shown but never alert alone; relative stamps never make a change or a
version by themselves."""
from __future__ import annotations

from detector import Article, compare, find_figures, version_hash
from detector.compare import Policy

TEXT = ("The council approved the new budget on Monday after a long debate.\n\n"
        "The mayor said the plan would fund schools and roads across the city.\n\n"
        "Opposition members said the spending would raise local taxes next year.")


def art(text=TEXT, **kw):
    a = Article(url="u", title="Council approves budget", text=text, published_at="2024-03-05T10:00:00Z", **kw)
    return Article(**{**a.__dict__, "figures": find_figures(a.title, a.text)})


def kinds(result):
    return [c.kind for c in result.changes]


def test_quiet_kinds_are_recorded_but_never_alert_alone():
    base = art(byline="Ann Lee", updated_at="2024-03-05T11:00:00Z")
    paras = TEXT.split("\n\n")
    cases = {
        "sentence_moved": art("\n\n".join([paras[1], paras[0], paras[2]]), byline="Ann Lee",
                              updated_at="2024-03-05T11:00:00Z"),
        "byline_changed": art(byline="Omar Haddad", updated_at="2024-03-05T11:00:00Z"),
        "published_time_changed": Article(**{**base.__dict__, "published_at": "2024-03-06T08:00:00Z"}),
        "updated_time_changed": art(byline="Ann Lee", updated_at="2024-03-05T15:00:00Z"),
        "sentence_edited": art(TEXT.replace("approved", "aproved"), byline="Ann Lee", updated_at="2024-03-05T11:00:00Z"),
    }
    for kind, new in cases.items():
        first = base if kind != "sentence_edited" else new
        second = new if kind != "sentence_edited" else base          # the typo fixed
        r = compare(first, second)
        assert kind in kinds(r) and not r.alert, (kind, r)
    # even a policy that lowers the floor or raises the kind does not make them alert alone
    loud = Policy(min_severity="low", severity={"byline_changed": "high"})
    assert not compare(base, cases["byline_changed"], loud).alert
    # with a real change beside them, the version alerts
    both = art(TEXT + "\n\nThe vote passed by 12 votes to 9 after a recount.", byline="Omar Haddad",
               updated_at="2024-03-05T11:00:00Z")
    assert compare(base, both).alert


def test_arabic_typo_fix_is_quiet_and_a_real_word_change_is_not():
    t = "وافق المجلس على الميزانية الجديدة بعد نقاش طويل استمر ساعات."
    a, b = art(t.replace("المجلس", "المحلس").replace("استمر", "استمرر")), art(t)
    assert kinds(compare(a, b)) == ["sentence_edited"] and not compare(a, b).alert
    c = art(t.replace("وافق", "رفض"))
    assert compare(art(t), c).alert


def test_relative_stamp_moving_within_its_precision_is_no_change():
    a = art(updated_at="2024-03-05T08:00:00Z", updated_precision_s=3600)      # "2 hours ago" at 10:00
    b = art(updated_at="2024-03-05T08:00:00Z", updated_precision_s=3600)      # "3 hours ago" at 11:00
    assert compare(a, b).changes == ()
    c = art(updated_at="2024-03-05T08:40:00Z", updated_precision_s=3600)
    assert "updated_time_changed" not in kinds(compare(a, c))
    d = art(updated_at="2024-03-05T12:30:00Z", updated_precision_s=60)        # a real update later on
    assert "updated_time_changed" in kinds(compare(a, d))


def test_version_hash_ignores_relative_stamps_and_keeps_exact_ones():
    exact = art(updated_at="2024-03-05T08:00:00Z")
    assert version_hash(exact) != version_hash(art(updated_at="2024-03-05T09:00:00Z"))
    rel1 = art(updated_at="2024-03-05T08:00:00Z", updated_precision_s=60)
    rel2 = art(updated_at="2024-03-05T08:03:00Z", updated_precision_s=60)
    assert version_hash(rel1) == version_hash(rel2)
    assert version_hash(rel1) != version_hash(art(TEXT + "\n\nA new paragraph.", updated_at="2024-03-05T08:00:00Z",
                                                  updated_precision_s=60))
    # the hash of an exact stamp is what it always was: the five versioned fields
    from detector import VERSIONED_FIELDS, content_hash
    assert version_hash(exact) == content_hash({f: getattr(exact, f) for f in VERSIONED_FIELDS})
