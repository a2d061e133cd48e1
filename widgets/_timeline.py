"""The monitoring view's picture: a case's timeline drawn with matplotlib as SVG, with its text."""

from __future__ import annotations

import base64
import io
from html import escape

import matplotlib

matplotlib.use("Agg")  # no display: the picture is drawn to SVG for the page

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from casecoach.followups import Timeline, wording  # noqa: E402

_STAGES = ("outreach", "assessment", "plan", "coordination")
_MARKERS = {"setback": "v", "success": "^"}
_STATUS_MARKERS = {"active": "o", "review": "D", "revised": "s"}


def _figure(line: Timeline) -> Figure:
    words = wording()
    stage_names = words["timeline"]["stages"]
    kinds, statuses = words["kinds"], words["timeline"]["goal_status"]
    end = max(line.next_check_in, line.current_week) + 1
    rows = len(line.goals)
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(8.6, 2.6 + 0.42 * rows), sharex=True,
        gridspec_kw={"height_ratios": [4, max(1.5, rows)]}, layout="constrained")
    # Stages visited, in order: points in the same week are spread a little so a return to
    # assessment or the plan shows as a step back, not as one dot.
    xs, ys, seen = [], [], {}
    for point in line.stages:
        k = seen.get(point.week, 0)
        seen[point.week] = k + 1
        xs.append(point.week + 0.22 * k)
        ys.append(_STAGES.index(point.stage))
    top.step(xs, ys, where="post", color="#1f4e79", linewidth=2)
    top.plot(xs, ys, "o", color="#1f4e79", markersize=4)
    top.set_yticks(range(len(_STAGES)), [stage_names[s] for s in _STAGES])
    top.set_ylim(-0.7, len(_STAGES) + 0.9)
    for n, point in enumerate(line.events):
        kind = point.event.kind
        top.plot([point.week], [3.5], _MARKERS[kind], markersize=10,
                 color="#2e7d32" if kind == "success" else "#b26a00",
                 markeredgecolor="black")
        # Labels alternate in height so events a week or two apart do not overlap.
        top.annotate(f"{kinds[kind]['label']}, wk {point.week}", (point.week, 3.5),
                     xytext=(0, 9 + 11 * (n % 2)), textcoords="offset points", fontsize=8,
                     ha="center")
    top.axvline(line.next_check_in, linestyle="--", color="black", linewidth=1)
    top.annotate(words["timeline"]["text"]["next_check_in"].format(week=line.next_check_in),
                 (line.next_check_in, -0.55), xytext=(-4, 0), textcoords="offset points",
                 fontsize=8, ha="right")
    top.set_title(words["timeline"]["text"]["title"].format(first=line.scenario.first_name),
                  fontsize=11, loc="left")
    top.grid(axis="x", alpha=0.3)
    # Each plan goal: a line to this week, a marker where its status changed, and its status in
    # words at the end of the line (shape and text, never colour alone).
    for i, goal in enumerate(reversed(line.goals)):
        status = statuses[goal.status]
        bottom.plot([0, line.current_week], [i, i], color="#888888", linewidth=1)
        at = goal.since if goal.since is not None else 0
        bottom.plot([at], [i], _STATUS_MARKERS[goal.status], color="#1f4e79", markersize=7)
        bottom.annotate(status["label"], (at, i), xytext=(8, -3),
                        textcoords="offset points", fontsize=8)
    labels = [_short(g.label) for g in reversed(line.goals)]
    bottom.set_yticks(range(rows), labels, fontsize=8)
    bottom.set_ylim(-0.6, rows - 0.4)
    bottom.axvline(line.next_check_in, linestyle="--", color="black", linewidth=1)
    bottom.set_xlim(-0.5, end + 2.5)
    bottom.set_xlabel("Weeks since intake")
    bottom.grid(axis="x", alpha=0.3)
    return fig


def _short(label: str, limit: int = 42) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def timeline_svg(line: Timeline) -> str:
    """The picture as SVG text (its labels are text, escaped by matplotlib's SVG writer)."""
    fig = _figure(line)
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "casecoach"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(fig)
    return buffer.getvalue()


def timeline_html(line: Timeline) -> str:
    """The picture, with a short alternative text, and its full text equivalent as a list."""
    svg = base64.b64encode(timeline_svg(line).encode("utf-8")).decode("ascii")
    lines = line.lines()
    alt = escape(f"{lines[0]}. {lines[-1]}. The list below says everything the picture shows.")
    items = "".join(f"<li>{escape(text)}</li>" for text in lines[1:])
    return (f'<figure class="cc-fu-timeline" data-week="{line.current_week}">'
            f'<img class="cc-fu-timeline-img" src="data:image/svg+xml;base64,{svg}" '
            f'alt="{alt}" style="max-width:100%;height:auto"/>'
            f'<figcaption><details open><summary>{escape(lines[0])}: the timeline in words'
            f'</summary><ol class="cc-fu-timeline-text">{items}</ol></details></figcaption>'
            f'</figure>')
