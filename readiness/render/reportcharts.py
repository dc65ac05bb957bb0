"""The report's charts as plain values: the category bar chart, the cost chart and the score trend, each laid out
in SVG user units for the HTML template (which draws them) and with a text equivalent beside every mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from readiness.core.model import CostProjection, Result
from readiness.render.headline import VERDICT_WORDS
from readiness.score.scoring import format_limit, format_score, one_decimal
from readiness.verify.cost import money

if TYPE_CHECKING:
    from readiness.rollup.history import Point

_VERDICT_LABEL = {verdict: words.capitalize() for verdict, words in VERDICT_WORDS.items()}
_HISTORY_VERDICT_LABEL = {**_VERDICT_LABEL, "invalid": "Invalid", "deleted": "Deleted"}

# Chart geometry, in SVG user units.
BAR_CHART_WIDTH = 640
BAR_LABEL_WIDTH = 150
BAR_HEIGHT = 22
BAR_GAP = 10
LINE_CHART_WIDTH = 640
LINE_CHART_HEIGHT = 240
LINE_MARGIN = 56
TREND_TICKS = (0, 25, 50, 75, 100)
TREND_DATE_LABELS = 6  # at most, evenly spread, the first and the last always
TREND_VALUE_LABELS = 12  # up to this many points, each carries its score


def category_chart(result: Result) -> dict[str, Any]:
    usable = BAR_CHART_WIDTH - BAR_LABEL_WIDTH - 48
    bars = []
    for index, category in enumerate(result.categories):
        value = None if category.score is None else float(one_decimal(category.score))
        bars.append(
            {
                "label": category.pack.title,
                "y": index * (BAR_HEIGHT + BAR_GAP),
                "width": 0 if value is None else round(usable * value / 100, 1),
                "value": format_score(category.score),
                "low": value is not None and value < float(result.policy.min_category_score),
            }
        )
    height = len(bars) * (BAR_HEIGHT + BAR_GAP)
    threshold = round(BAR_LABEL_WIDTH + usable * float(result.policy.min_category_score) / 100, 1)
    return {
        "width": BAR_CHART_WIDTH,
        "height": height + 20,
        "label_width": BAR_LABEL_WIDTH,
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "threshold_x": threshold,
        "threshold_label": f"category minimum {format_limit(result.policy.min_category_score)}",
        "plot_bottom": height,
    }


def _tick_step(top: Fraction) -> Fraction:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that divides 0..top into at most five intervals."""
    magnitude = Fraction(1)
    while magnitude * 10 <= top:
        magnitude *= 10
    while magnitude > top:
        magnitude /= 10
    for factor in (Fraction(1, 5), Fraction(1, 4), Fraction(1, 2), Fraction(1), Fraction(2), Fraction(5, 2), 5, 10):
        step = magnitude * factor
        if top / step <= 5:
            return step
    return magnitude * 10


def _tick_label(value: Fraction) -> str:
    return f"{value.numerator // value.denominator:,}" if value.denominator == 1 else money(value)


def cost_chart(projection: CostProjection) -> dict[str, Any]:
    """Two lines (expected, worst) and the budget, on an axis from 0 to a round value above the highest."""
    values = [m.total for m in projection.worst.months] + [m.total for m in projection.expected.months]
    highest = max([*values, projection.budget or Fraction(0), Fraction(1)])
    step = _tick_step(highest)
    intervals = -(-highest // step)  # ceiling
    top = step * intervals
    width, height, margin = LINE_CHART_WIDTH, LINE_CHART_HEIGHT, LINE_MARGIN
    count = len(projection.expected.months)

    def x(index: int) -> float:
        span = width - 2 * margin
        return round(margin + (span * index / (count - 1) if count > 1 else span / 2), 1)

    def y(value: Fraction) -> float:
        return round(height - margin / 2 - float(value / top) * (height - margin), 1)

    def points(months: Any) -> list[dict[str, Any]]:
        return [{"x": x(i), "y": y(m.total), "label": money(m.total), "month": m.month} for i, m in enumerate(months)]

    return {
        "width": width,
        "height": height,
        "left": margin,
        "right": width - margin,
        "bottom": round(height - margin / 2, 1),
        "expected": points(projection.expected.months),
        "worst": points(projection.worst.months),
        "budget_y": None if projection.budget is None else y(projection.budget),
        "ticks": [{"y": y(step * k), "label": _tick_label(step * k)} for k in range(int(intervals) + 1)],
    }


def trend(history: Sequence[Point], result: Result) -> dict[str, Any] | None:
    """The overall score at each commit, as a line on an axis from 0 to 100 with the minimum score dashed, and a table.

    The points are evenly spaced in commit order, oldest on the left, and labelled by date. The table lists
    every point, newest first, the ones that could not be scored included. None with fewer than two scores.
    """
    from readiness.render.historyview import change_text, score_changes, stage_text

    scored = [(point, point.score) for point in reversed(history) if point.score is not None]
    if len(scored) < 2:
        return None
    width, height, margin = LINE_CHART_WIDTH, LINE_CHART_HEIGHT, LINE_MARGIN
    count = len(scored)
    shown = min(count, TREND_DATE_LABELS)
    dated = {round(k * (count - 1) / (shown - 1)) for k in range(shown)}

    def y(value: Fraction) -> float:
        return round(height - margin / 2 - float(value / 100) * (height - margin), 1)

    points = [
        {
            "x": round(margin + (width - 2 * margin) * index / (count - 1), 1),
            "y": y(Fraction(score)),
            "score": score,
            "date": point.date,
            "label": point.label,
            "show_date": index in dated,
            # the first score starts at the axis, not across it
            "anchor": "start" if index == 0 else "middle",
        }
        for index, (point, score) in enumerate(scored)
    ]
    minimum = result.policy.min_score
    rows = [
        {
            "date": point.date,
            "label": point.label,
            "score": point.score or "",
            "change": change_text(change),
            "verdict": _HISTORY_VERDICT_LABEL.get(point.verdict, point.verdict),
            "stage": stage_text(point),
            "blockers": "" if point.blockers is None else str(point.blockers),
            "subject": point.subject,
            "error": point.error or "",
        }
        for point, change in zip(history, score_changes(history), strict=True)
    ]
    return {
        "width": width,
        "height": height,
        "left": margin,
        "right": width - margin,
        "bottom": y(Fraction(0)),
        "ticks": [{"y": y(Fraction(tick)), "label": str(tick)} for tick in TREND_TICKS],
        "points": points,
        "values": count <= TREND_VALUE_LABELS,
        "min_y": y(minimum) if 0 <= minimum <= 100 else None,
        "min_label": f"minimum score {format_limit(minimum)}",
        "rows": rows,
    }
