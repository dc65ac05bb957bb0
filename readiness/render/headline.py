"""The verdict in one line, for stderr beside a machine format and for CI logs."""

from __future__ import annotations

from readiness.core.model import Result
from readiness.score.scoring import format_limit, format_score

# The verdict in words, for people (the result JSON and the headline keep the ids).
VERDICT_WORDS = {"ready": "ready", "ready-with-waivers": "ready with waivers", "not-ready": "not ready"}


def headline(result: Result) -> str:
    reached = result.stage_reached.value if result.stage_reached else "none"
    return (
        f"readiness: {result.verdict} · score {format_score(result.score)} "
        f"(min {format_limit(result.policy.min_score)}) · stage {reached} of {result.target.value}"
    )
