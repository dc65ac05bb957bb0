"""What the scorer returns to the authorisation switch. A raw score is checked before anything acts on it: a
score that is not a number in [0, 1] means the model or its input is broken, and the switch then judges the
payment by the static rules alone (runbooks/rollback.md)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

CONFIG = Path(__file__).resolve().parent.parent / "config" / "scorer.yaml"
_DECISION_ID = re.compile(r"d-[0-9a-f]{32}")  # as in schemas/transaction-features.schema.json

Action = Literal["approve", "hold", "decline"]


@dataclass(frozen=True)
class Thresholds:
    set: str
    hold: float
    decline: float


@dataclass(frozen=True)
class ScoreResponse:
    decision_id: str
    mode: Literal["model", "rules_only"]
    score: float
    action: Action | None  # None: rules only, the switch decides
    threshold_set: str


def load_thresholds(config: Path = CONFIG) -> Thresholds:
    values = yaml.safe_load(config.read_text(encoding="utf-8"))["thresholds"]
    return Thresholds(set=values["set"], hold=float(values["hold"]), decline=float(values["decline"]))


THRESHOLDS = load_thresholds()


def to_response(decision_id: str, raw_score: float, thresholds: Thresholds = THRESHOLDS) -> ScoreResponse:
    # The decision id comes from the switch's request and goes into the decision record: never from the model.
    if not _DECISION_ID.fullmatch(decision_id):
        raise ValueError(f"not a decision id: {decision_id[:40]!r}")
    if not (math.isfinite(raw_score) and 0.0 <= raw_score <= 1.0):
        return ScoreResponse(decision_id, "rules_only", 0.0, None, thresholds.set)
    if raw_score >= thresholds.decline:
        action: Action = "decline"
    elif raw_score >= thresholds.hold:
        action = "hold"
    else:
        action = "approve"
    return ScoreResponse(decision_id, "model", raw_score, action, thresholds.set)
