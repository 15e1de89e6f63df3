"""A figure's history as an inline SVG line chart over fetch time (no outside script). Pure: points in,
markup out; every text is escaped.

The x axis is time, not the version number: two revisions a minute apart sit close, a quiet day shows
as a gap. Labels never overlap: a value is written where it changed (and at the last point), each label
tries above then below its point, and one that would collide with a label already placed is left out
(the point stays, and its value is in the timeline and the tooltip).
"""
from __future__ import annotations

from datetime import datetime, timezone
from html import escape

COLOURS = ("#b03a2e", "#1f618d", "#7d3c98", "#1e8449", "#9a7d0a")
CHAR_WIDTH = 7.0                 # px per character at 12px sans-serif, for label boxes
LABEL_HEIGHT = 14.0


def _overlaps(box, boxes) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)


def _ticks(t0: float, t1: float, count: int) -> list[float]:
    if t1 <= t0:
        return [t0]
    return [t0 + (t1 - t0) * i / (count - 1) for i in range(count)]


def _tick_label(ts: float, same_day: bool) -> str:
    dt = datetime.fromtimestamp(ts, timezone.utc)
    return dt.strftime("%H:%M") if same_day else dt.strftime("%d %b %H:%M")


def figure_chart(series: dict[str, list[tuple[datetime, int]]], names: dict[str, str] | None = None,
                 width: int = 760, height: int = 240) -> str:
    """series: {measure: [(fetch time, value)]}, time-ordered. names: the measure as shown."""
    series = {m: pts for m, pts in series.items() if pts}
    if not series:
        return ""
    names = names or {}
    left, right, top, bottom = 48, 24, 34, 40
    times = [t.timestamp() for pts in series.values() for t, _ in pts]
    t0, t1 = min(times), max(times)
    if t1 == t0:
        t0, t1 = t0 - 60, t1 + 60
    values = [v for pts in series.values() for _, v in pts]
    vmax = max(values) or 1
    vmax = vmax * 1.15
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(ts: float) -> float:
        return left + (ts - t0) * plot_w / (t1 - t0)

    def y(v: float) -> float:
        return top + plot_h - v * plot_h / vmax

    same_day = datetime.fromtimestamp(t0, timezone.utc).date() == datetime.fromtimestamp(t1, timezone.utc).date()
    parts = [f'<svg class="marsad-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="figures over time" dir="ltr">',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#ddd"/>',
             f'<text x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end" fill="#777">0</text>']
    # Every point's box first, so that no label is written over a point placed after it.
    boxes: list[tuple[float, float, float, float]] = [
        (x(t.timestamp()) - 5, y(v) - 5, x(t.timestamp()) + 5, y(v) + 5) for pts in series.values() for t, v in pts]
    ticks = _ticks(t0, t1, 5 if width >= 600 else 3)
    for i, ts in enumerate(ticks):
        anchor = "start" if i == 0 else "end" if i == len(ticks) - 1 else "middle"
        parts.append(f'<line x1="{x(ts):.1f}" y1="{top + plot_h}" x2="{x(ts):.1f}" y2="{top + plot_h + 4}" '
                     f'stroke="#999"/><text x="{x(ts):.1f}" y="{top + plot_h + 18}" text-anchor="{anchor}" '
                     f'fill="#555">{escape(_tick_label(ts, same_day))}</text>')
    day = datetime.fromtimestamp(t1, timezone.utc).strftime("%d %b %Y") + " (UTC)" if same_day else "UTC"
    parts.append(f'<text x="{left + plot_w}" y="{height - 4}" text-anchor="end" fill="#777">{escape(day)}</text>')
    legend_x = left
    for i, (measure, pts) in enumerate(sorted(series.items())):
        c = COLOURS[i % len(COLOURS)]
        name = names.get(measure, measure)
        parts.append(f'<rect x="{legend_x}" y="8" width="12" height="12" fill="{c}"/>'
                     f'<text x="{legend_x + 17}" y="18" fill="#333">{escape(name)}</text>')
        legend_x += 30 + CHAR_WIDTH * len(name)
        coords = [(x(t.timestamp()), y(v), v, t) for t, v in pts]
        if len(coords) > 1:
            path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy, _, _ in coords)
            parts.append(f'<polyline fill="none" stroke="{c}" stroke-width="2.5" points="{path}"/>')
        previous = None
        for k, (cx, cy, v, t) in enumerate(coords):
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{c}"><title>'
                         f'{escape(name)}: {v} at {t.strftime("%Y-%m-%d %H:%M")} UTC</title></circle>')
            if v == previous and k != len(coords) - 1:
                continue
            previous = v
            text = str(v)
            w = CHAR_WIDTH * len(text) + 4
            for ly in (cy - 10, cy + 20):
                box = (cx - w / 2, ly - LABEL_HEIGHT + 3, cx + w / 2, ly + 3)
                own = (cx - 5, cy - 5, cx + 5, cy + 5)
                if box[1] >= top - 4 and box[3] <= top + plot_h and not _overlaps(
                        box, [b for b in boxes if b != own]):
                    boxes.append(box)
                    parts.append(f'<text x="{cx:.1f}" y="{ly:.1f}" text-anchor="middle" fill="{c}" '
                                 f'font-weight="bold">{escape(text)}</text>')
                    break
    parts.append("</svg>")
    return "".join(parts)
