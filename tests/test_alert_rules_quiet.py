"""A rule that takes low-severity changes still never mails a quiet change alone (a move, a byline, a
re-dating, an update stamp, a spelling fix); beside a change that alerts, they are in the same mail."""
from alerts.rules import matching, rule_from_config
from detector import Change

RULE = rule_from_config({"to": ["desk@example.org"], "min_severity": "low"})
BYLINE = Change("byline_changed", "byline", "A", "B", "low")
REDATED = Change("published_time_changed", "published_at", "2021-02-26T10:00:00Z", "2021-02-27T10:00:00Z", "low")
TYPO = Change("sentence_edited", "text", "goverment", "government", "low", {"typo": True})
MOVED = Change("sentence_moved", "text", "x", "x", "low")
TOLL = Change("figure_changed", "killed", 17, 22, "high", {"direction": "up"})


def test_quiet_changes_alone_make_no_alert():
    assert matching([RULE], None, [BYLINE, REDATED, TYPO, MOVED]) == []


def test_beside_a_change_that_alerts_they_ride_along():
    [(rule, idx)] = matching([RULE], None, [BYLINE, TOLL, TYPO])
    assert rule is RULE and idx == [0, 1, 2]
