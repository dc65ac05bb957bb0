"""One vocabulary for an item's state and due date, shared by the CI formats (SARIF, JUnit, GitHub)."""

from __future__ import annotations

from readiness.core.model import ItemResult

_STATUS = {
    "unanswered": "not answered",
    "todo": "to do",
    "partial": "partly done",
    "done": "done",
    "na": "n/a",
    "proposed": "proposed by a scan, not confirmed",
}


def state(result: ItemResult) -> str:
    """'done but unverified', 'partly done', 'to do', 'not answered', 'done' or 'n/a'."""
    if result.unverified:
        return "done but unverified"
    return _STATUS.get(result.status, result.status)


def due(result: ItemResult, today: str) -> str:
    """'due 2027-01-31', with ' (overdue)' once that day has passed, or 'no due date'."""
    when = result.answer.due if result.answer is not None else None
    if not when:
        return "no due date"
    return f"due {when}" + (" (overdue)" if when < today else "")  # ISO dates compare as text
