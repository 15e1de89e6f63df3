"""Change detection quality and speed.

    marsad bench detection        (or: python -m bench.detection)

1. Precision and recall per change kind on the project's labelled pairs (bench/data/detection_pairs.toml),
   figures right (measure, old, new), and whether each pair's alert decision is right.
2. Alerts on the revision pairs of ../shared/corpora whose article body did not change (must be 0).
2b. The revision-pair development set (bench/devset): its tune half and its held-out half, per language,
   per-kind precision/recall/F1, figures right, false and missed alerts (sets_report).
3. compare() time on a 2,000-word pair, against a plain difflib word diff of the same texts measured in
   the same run (the work every diff tool does at least).
"""
from __future__ import annotations

import statistics
import sys
import time
import tomllib
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

from crawler.extract import extract
from detector import Article, compare, find_figures
from detector.caches import clear_caches
from detector.compare import DEFAULT_SEVERITY
from detector.models import severity_rank

from .corpora import loader

PAIRS = Path(__file__).resolve().parent / "data" / "detection_pairs.toml"
HELDOUT = Path(__file__).resolve().parent / "data" / "detection_heldout.toml"
QUIET_KINDS = {"updated_time_changed", "byline_changed", "cosmetic", "sentence_moved"}


def _article(fields: dict) -> Article:
    a = Article(url="https://example.org/a", **{k: v for k, v in fields.items() if k != "html"})
    return Article(**{**a.__dict__, "figures": find_figures(a.title, a.text)})


def load_pairs(path: Path = PAIRS) -> list[dict]:
    pairs = tomllib.loads(path.read_text(encoding="utf-8"))["pair"]
    for p in pairs:
        if p.get("html"):
            p["a"] = extract(p["old"]["html"].encode(), url="https://example.org/a")
            p["b"] = extract(p["new"]["html"].encode(), url="https://example.org/a")
        else:
            p["a"] = _article(p["old"])
            p["b"] = _article({**p["old"], **p.get("new", {})})
    return pairs


def _expected_alert(p) -> bool:
    if "alert" in p:
        return p["alert"]
    return any(e["kind"] not in QUIET_KINDS and severity_rank(DEFAULT_SEVERITY.get(e["kind"], "medium")) >= 2
               for e in p["expect"])


def score_pairs(pairs) -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    fig_total = fig_right = alert_right = 0
    wrong = []
    for p in pairs:
        result = compare(p["a"], p["b"])
        got = Counter(c.kind for c in result.changes if not c.detail.get("explained_by"))
        want = Counter()
        for e in p["expect"]:
            want[e["kind"]] += e.get("count", 1)
        for k in set(got) | set(want):
            tp[k] += min(got[k], want[k])
            fp[k] += max(0, got[k] - want[k])
            fn[k] += max(0, want[k] - got[k])
        for e in p["expect"]:
            if e["kind"] == "figure_changed":
                fig_total += 1
                old = None if e.get("old") == "" else e.get("old")
                fig_right += any(c.kind == "figure_changed" and c.field == e["field"] and c.old == old
                                 and c.new == e["new"] for c in result.changes)
        ok_alert = result.alert == _expected_alert(p)
        alert_right += ok_alert
        if got != want or not ok_alert:
            wrong.append((p["id"], dict(want), dict(got), result.alert))
    kinds = sorted(set(tp) | set(fp) | set(fn))
    per_kind = {k: (tp[k] / (tp[k] + fp[k]) if tp[k] + fp[k] else 1.0,
                    tp[k] / (tp[k] + fn[k]) if tp[k] + fn[k] else 1.0, tp[k] + fn[k]) for k in kinds}
    wrong_ids = {w[0] for w in wrong}
    return {"per_kind": per_kind, "figures": (fig_right, fig_total), "alerts": (alert_right, len(pairs)),
            "wrong": wrong, "pairs": len(pairs), "pairs_ok": [p["id"] not in wrong_ids for p in pairs]}


def load_devset(split: str) -> list[dict]:
    """One half of the revision-pair development set (bench/devset), each side run through the real
    extractor at its own fetch time (relative stamps resolve against it)."""
    from .devset import load
    pairs = load(split=split)
    for p in pairs:
        p["a"] = extract(p["old"]["html"].encode(), url="https://example.org/a", fetched_at=p["old"]["fetched_at"])
        p["b"] = extract(p["new"]["html"].encode(), url="https://example.org/a", fetched_at=p["new"]["fetched_at"])
    return pairs


def alert_errors(pairs, s: dict) -> tuple[int, int]:
    """(false alerts, missed alerts) of a scored set (score_pairs keeps each pair's alert in `wrong`)."""
    by_id = {w[0]: w[3] for w in s["wrong"]}
    false = sum(1 for p in pairs if p["id"] in by_id and by_id[p["id"]] and not _expected_alert(p))
    missed = sum(1 for p in pairs if p["id"] in by_id and not by_id[p["id"]] and _expected_alert(p))
    return false, missed


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def set_report(name: str, pairs: list[dict]) -> list[str]:
    """Per language and together: per-kind precision/recall/F1, figures right, false and missed alerts."""
    lines = [f"### {name}", "", "| language | kind | precision | recall | F1 | labelled |", "|---|---|---|---|---|---|"]
    summary = []
    langs = sorted({p.get("lang") or _lang(p) for p in pairs})
    for lang in langs + ["all"]:
        sub = [p for p in pairs if lang == "all" or (p.get("lang") or _lang(p)) == lang]
        if not sub:
            continue
        s = score_pairs(sub)
        for k, (pr, rc, n) in s["per_kind"].items():
            lines.append(f"| {lang} | `{k}` | {pr:.2f} | {rc:.2f} | {f1(pr, rc):.2f} | {n} |")
        fa, ma = alert_errors(sub, s)
        fr, ft = s["figures"]
        exact = sum(s["pairs_ok"])
        summary.append(f"- {lang}: {len(sub)} pairs, {exact} with exactly the expected kinds; figures right "
                       f"{fr}/{ft}; false alerts {fa}; missed alerts {ma}")
    return lines + [""] + summary + [""]


def _lang(p: dict) -> str:
    from detector.render import direction
    a = p["a"]
    return "ar" if direction(f"{a.title or ''} {a.text[:400]}") == "rtl" else "en"


def corpus_negatives(corpora=None) -> tuple[int, int]:
    L = loader(corpora)
    n = alerts = 0
    for p in L.iter_revision_pairs():
        if p["body_change_estimate"] != "none":
            continue
        n += 1
        a = extract(L.read_html(p["old_html"]), url=p.get("url_old"))
        b = extract(L.read_html(p["new_html"]), url=p.get("url_new"))
        alerts += compare(a, b).alert
    return alerts, n


def long_pair(words: int = 2000) -> tuple[Article, Article]:
    """A 2,000-word Arabic/English article and its revision: a toll raised, a sentence added, one edited,
    one moved."""
    from scheduler.demo_site.server import DATA
    base = DATA["body"]["paragraphs"] + DATA["body"]["after"] + [
        "Officials said the strike hit a weapons depot near the border crossing on Friday morning.",
        "The ministry said it would publish a full report once the investigation was complete."]
    paras, count, i = [], 0, 0
    while count < words:
        p = base[i % len(base)].format(n=17) + f" ({i})"
        paras.append(p)
        count += len(p.split())
        i += 1
    old = "\n\n".join(paras)
    new_paras = list(paras)
    new_paras[0] = new_paras[0].replace("17", "22")
    new_paras[5] = new_paras[5].replace("Friday", "Saturday")
    new_paras.insert(10, "A new paragraph reports that rescue teams reached the site before dawn.")
    new_paras[20], new_paras[21] = new_paras[21], new_paras[20]
    return _article({"title": "t", "text": old}), _article({"title": "t", "text": "\n\n".join(new_paras)})


def timing(runs: int = 30) -> dict:
    """Median ms of compare() on the 2,000-word pair, cold: the detector's caches (sentence keys, figures)
    are emptied before each run, so a run pays for every sentence as a check of a new page would."""
    a, b = long_pair()
    ours, base = [], []
    for _ in range(runs):
        clear_caches()
        t = time.perf_counter()
        compare(a, b)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        SequenceMatcher(None, a.text.split(), b.text.split(), autojunk=False).get_opcodes()
        base.append(time.perf_counter() - t)
    return {"words": len(a.text.split()), "ms": statistics.median(ours) * 1000, "base_ms": statistics.median(base) * 1000}


def report(s: dict, neg: tuple[int, int] | None, t: dict, held: dict | None = None) -> str:
    lines = ["| kind | precision | recall | labelled |", "|---|---|---|---|"]
    for k, (p, r, n) in s["per_kind"].items():
        lines.append(f"| `{k}` | {p:.2f} | {r:.2f} | {n} |")
    fr, ft = s["figures"]
    ar, an = s["alerts"]
    lines += ["", f"- figures right (measure, old, new): {fr}/{ft}",
              f"- alert decision right: {ar}/{an} pairs ({s['pairs']} labelled pairs)"]
    if held:
        kinds_ok = sum(1 for w in held["pairs_ok"] if w)
        hr, ht = held["figures"]
        ha, hn = held["alerts"]
        lines.append(f"- held-out pairs (written after tuning, scored untouched): {kinds_ok}/{hn} with exactly the "
                     f"expected kinds, figures right {hr}/{ht}, alert decision right {ha}/{hn}")
    if neg:
        lines.append(f"- alerts on the {neg[1]} unchanged-body revision pairs of ../shared/corpora: {neg[0]}")
    lines.append(f"- compare() on a {t['words']}-word pair: median {t['ms']:.1f} ms, caches emptied before each run "
                 f"(a plain difflib word diff of the same texts: {t['base_ms']:.1f} ms)")
    return "\n".join(lines)


def run(with_corpora: bool = True) -> tuple[dict, tuple | None, dict, dict]:
    s = score_pairs(load_pairs())
    held = score_pairs(load_pairs(HELDOUT))
    neg = None
    if with_corpora:
        try:
            neg = corpus_negatives()
        except FileNotFoundError:
            neg = None
    return s, neg, timing(), held


def sets_report(with_corpora: bool = True, neg: tuple[int, int] | None = None) -> str:
    """Every set, per language: the project's labelled pairs, its held-out pairs, the development set's
    tune half and its held-out half (reported untouched), and the corpus negatives."""
    out = ["## Change detection per set and language", ""]
    out += set_report("labelled pairs (bench/data/detection_pairs.toml)", load_pairs())
    out += set_report("held-out pairs (bench/data/detection_heldout.toml)", load_pairs(HELDOUT))
    out += set_report("development set, tune half (bench/devset)", load_devset("tune"))
    out += set_report("development set, held-out half (bench/devset, untouched)", load_devset("heldout"))
    if with_corpora or neg:
        try:
            alerts, n = neg or corpus_negatives()
            out.append(f"### corpus negatives (../shared/corpora/revisions)\n\n- false alerts: {alerts} of {n} "
                       "unchanged-body pairs")
        except FileNotFoundError as e:
            out.append(f"### corpus negatives: skipped ({e})")
    return "\n".join(out)


def main(argv=None) -> int:
    argv = argv if argv is not None else sys.argv[1:]
    s, neg, t, held = run()
    print(report(s, neg, t, held))
    print()
    print(sets_report(with_corpora=False, neg=neg))
    if "-v" in argv:
        for w in s["wrong"]:
            print("wrong", *w)
        for w in held["wrong"]:
            print("held-out wrong", *w)
        for split in ("tune", "heldout"):
            for w in score_pairs(load_devset(split))["wrong"]:
                print(f"devset {split} wrong", *w)
    return 0


if __name__ == "__main__":
    sys.exit(main())
