"""Golden guards: the labelled revision pairs keep their scores (a regression fails CI, as trafilatura's
golden corpus does); timing lives in `marsad bench detection`, never here."""
from __future__ import annotations

from bench.detection import HELDOUT, load_pairs, score_pairs


def test_labelled_pairs_per_kind_precision_and_recall():
    s = score_pairs(load_pairs())
    low = {k: (round(p, 2), round(r, 2)) for k, (p, r, _) in s["per_kind"].items() if p < 0.95 or r < 0.95}
    assert low == {}, s["wrong"]
    right, total = s["figures"]
    assert right / total >= 0.95
    assert s["alerts"][0] == s["alerts"][1], s["wrong"]


def test_held_out_pairs_alert_decisions():
    held = score_pairs(load_pairs(HELDOUT))
    assert held["alerts"][0] == held["alerts"][1], held["wrong"]


def test_devset_tune_half_alerts_and_figures():
    """The development set's tune half, through the real extractor: no false or missed alert, every
    figure right (the held-out half is reported by `marsad bench detection`, never asserted on here)."""
    from bench.detection import alert_errors, load_devset
    pairs = load_devset("tune")
    s = score_pairs(pairs)
    assert alert_errors(pairs, s) == (0, 0), s["wrong"]
    right, total = s["figures"]
    assert total >= 10 and right == total, s["wrong"]
