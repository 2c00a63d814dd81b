"""``importcanon trend``: the migration's progress, from the snapshots beside the baseline."""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from itertools import pairwise
from typing import Any

_PALETTE = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
]


def render_trend(snapshots: list[dict[str, Any]], format: str) -> str:
    if format == "json":
        return json.dumps({"snapshots": snapshots}, indent=2) + "\n"
    if format == "svg":
        return render_svg(snapshots)
    return _text(snapshots)


def _rules(snapshots: list[dict[str, Any]]) -> list[str]:
    return sorted({rule for snapshot in snapshots for rule in snapshot["rules"]})


def _text(snapshots: list[dict[str, Any]]) -> str:
    if not snapshots:
        return "no snapshots yet: `importcanon baseline create` records the first one\n"
    rules = _rules(snapshots)
    header = ["date", "total", *rules]
    rows = [
        [snapshot["date"].replace("T", " ").rstrip("Z"), str(snapshot.get("total", 0))]
        + [str(snapshot["rules"].get(rule, 0)) for rule in rules]
        for snapshot in snapshots
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.rjust(width) if i else cell.ljust(width) for i, (cell, width) in enumerate(zip(row, widths)))
        for row in [header, *rows]
    ]
    first, last = snapshots[0].get("total", 0), snapshots[-1].get("total", 0)
    lines.append(f"known violations: {first} -> {last} ({last - first:+d}) over {len(snapshots)} snapshots")
    return "\n".join(lines) + "\n"


def render_svg(snapshots: list[dict[str, Any]]) -> str:
    """A line chart: the total in black, one coloured line per rule, values labelled at the end."""
    width, height = 820, 420
    left, right, top, bottom = 56, 230, 56, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    series = [("total", [s.get("total", 0) for s in snapshots], "#222222", 3.0)]
    series += [
        (rule, [s["rules"].get(rule, 0) for s in snapshots], _PALETTE[i % len(_PALETTE)], 1.8)
        for i, rule in enumerate(_rules(snapshots))
    ]
    peak = max([1] + [value for _, values, _, _ in series for value in values])
    step = _nice_step(peak)
    top_value = step * -(-peak // step)
    xs = _x_positions(snapshots, plot_w)

    def y(value: float) -> float:
        return top + plot_h - plot_h * value / top_value

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="24" font-size="16" font-weight="600">Known violations over time</text>',
    ]
    if snapshots:
        first, last = snapshots[0].get("total", 0), snapshots[-1].get("total", 0)
        span = f"{_day(snapshots[0])} to {_day(snapshots[-1])}"
        subtitle = f"{span}: {first} to {last} ({last - first:+d}), {len(snapshots)} snapshots"
    else:
        subtitle = "no snapshots yet: importcanon baseline create records the first one"
    parts.append(f'<text x="{left}" y="42" fill="#555555">{escape(subtitle)}</text>')
    for tick in range(0, top_value + 1, step):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{left - 8}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#555555">{tick}</text>')
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#999999"/>')
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#999999"/>')
    for index in _label_indexes(len(snapshots)):
        x = left + xs[index]
        day = escape(_day(snapshots[index]))
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 20}" text-anchor="middle" fill="#555555">{day}</text>')
    labels: list[tuple[float, str, str]] = []
    for name, values, colour, stroke in series:
        points = " ".join(f"{left + x:.1f},{y(v):.1f}" for x, v in zip(xs, values))
        if len(values) > 1:
            style = f'fill="none" stroke="{colour}" stroke-width="{stroke}" stroke-linejoin="round"'
            parts.append(f'<polyline points="{points}" {style}/>')
        for x, value, snapshot in zip(xs, values, snapshots):
            parts.append(
                f'<circle cx="{left + x:.1f}" cy="{y(value):.1f}" r="{stroke + 0.8:.1f}" fill="{colour}">'
                f"<title>{escape(name)}: {value} ({escape(snapshot['date'])})</title></circle>"
            )
        if values:
            labels.append((y(values[-1]), f"{name}: {values[-1]}", colour))
    for label_y, text, colour in _spread(labels, top + plot_h):
        parts.append(f'<text x="{left + plot_w + 12}" y="{label_y + 4:.1f}" fill="{colour}">{escape(text)}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if peak / step <= 6:
            return step
    return 10 ** len(str(peak))


def _x_positions(snapshots: list[dict[str, Any]], plot_w: int) -> list[float]:
    """By date when the dates differ, evenly otherwise (several snapshots in one day)."""
    if len(snapshots) < 2:
        return [plot_w / 2] * len(snapshots)
    times = [_time(s) for s in snapshots]
    span = (times[-1] - times[0]) if all(times) else 0
    if span and all(b >= a for a, b in pairwise(times)):
        return [plot_w * (t - times[0]) / span for t in times]
    return [plot_w * i / (len(snapshots) - 1) for i in range(len(snapshots))]


def _time(snapshot: dict[str, Any]) -> float:
    try:
        return datetime.fromisoformat(snapshot["date"].replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _day(snapshot: dict[str, Any]) -> str:
    return snapshot["date"][:10]


def _label_indexes(count: int) -> list[int]:
    if count <= 6:
        return list(range(count))
    stride = -(-count // 6)
    return sorted(set(range(0, count, stride)) | {count - 1})


def _spread(labels: list[tuple[float, str, str]], high: float, gap: float = 14) -> list[tuple[float, str, str]]:
    """Keep end labels ``gap`` px apart, pushing down then, if that overflows, back up."""
    ordered = sorted(labels)
    ys = [label_y for label_y, _, _ in ordered]
    for i in range(1, len(ys)):
        ys[i] = max(ys[i], ys[i - 1] + gap)
    if ys and ys[-1] > high:
        ys[-1] = high
        for i in range(len(ys) - 2, -1, -1):
            ys[i] = min(ys[i], ys[i + 1] - gap)
    return [(label_y, text, colour) for label_y, (_, text, colour) in zip(ys, ordered)]
