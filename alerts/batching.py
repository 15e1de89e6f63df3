"""Which due alert rows travel together. Pure: rows in, groups out (each group is one message).

- A row left in `sending` by a crash is resent as the exact group it was in (same Message-ID).
- Rows of digest rules for one recipient go as one digest.
- Immediate rows go one message per article version (several rules matching the same version for the
  same recipient make one message, never two) unless there are more than `burst` of them, or more than
  the recipient's remaining hourly budget: then they go as one digest (a redesign that touches 500
  articles makes one mail, not 500).
- A recipient with no budget left this hour gets nothing now; the rows wait, still due.
"""
from __future__ import annotations

from collections import defaultdict


def plan(rows: list[dict], *, digest_rules: set[str], burst: int, budget: dict[tuple, int]) -> list[list[dict]]:
    groups: list[list[dict]] = []
    by_target: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows:
        by_target[(r["channel"], r["recipient"])].append(r)
    for target, rs in by_target.items():
        resend: dict[str, list[dict]] = defaultdict(list)
        fresh = []
        for r in rs:
            (resend[r["message_id"]] if r["status"] == "sending" and r.get("message_id") else fresh).append(r)
        groups.extend(resend.values())
        left = budget.get(target, burst) - len(resend)
        if not fresh or left <= 0:
            continue
        digest = [r for r in fresh if r["rule"] in digest_rules]
        immediate = [r for r in fresh if r["rule"] not in digest_rules]
        by_version: dict[object, list[dict]] = defaultdict(list)
        for r in immediate:
            by_version[r["version_id"] or ("removed", r["article_id"])].append(r)
        messages = list(by_version.values())
        if digest:
            if len(messages) + 1 > min(burst, left):
                groups.append(digest + immediate)            # everything in one digest
                continue
            groups.append(digest)
            left -= 1
        if len(messages) > min(burst, left):
            groups.append(immediate)
        else:
            groups.extend(messages)
    return groups
