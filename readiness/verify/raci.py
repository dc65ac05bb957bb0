"""The RACI matrix and its rules: who is Responsible, Accountable, Consulted and Informed for each activity.

Broken rules are findings, not input errors: a team that has not settled who owns rollback has a gap to
close, and the `auto.raci` items that depend on the activity fail. Unknown team ids are input errors and are
caught before this runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from readiness.core.model import Activity, Assessment, Catalog, Finding, RaciEntry, RaciReport, RaciRow

# Three or more people Responsible for one activity usually means nobody is.
MANY_RESPONSIBLE = 3
# The per-person smells need a few activities before they mean anything.
MIN_ACTIVITIES_FOR_PERSON_RULES = 3


def _cell(entry: RaciEntry | None, member: str) -> str:
    if entry is None:
        return ""
    letters = [
        letter
        for letter, names in (
            ("A", entry.accountable),
            ("R", entry.responsible),
            ("C", entry.consulted),
            ("I", entry.informed),
        )
        if member in names
    ]
    return "/".join(letters)


def _rows(assessment: Assessment, catalog: Catalog) -> list[tuple[Activity | None, str, RaciEntry | None]]:
    """Activities of the packs in use first, in pack order; then entries for other known activities."""
    entries = {entry.activity: entry for entry in assessment.raci}
    titles = {activity.id: activity.title for activity in catalog.known_activities}
    rows: list[tuple[Activity | None, str, RaciEntry | None]] = []
    required = {activity.id for activity in catalog.activities}
    for activity in catalog.activities:
        rows.append((activity, activity.title, entries.get(activity.id)))
    for entry in assessment.raci:
        if entry.activity not in required:
            rows.append((None, titles.get(entry.activity, entry.activity), entry))
    return rows


def _entry_findings(entry: RaciEntry) -> list[Finding]:
    found: list[Finding] = []
    name = entry.activity

    def error(message: str) -> None:
        found.append(Finding("error", message, entry.source, activity=name))

    accountable = list(dict.fromkeys(entry.accountable))
    if not accountable:
        error(f"'{name}' has no Accountable person; name exactly one A")
    elif len(accountable) > 1:
        error(f"'{name}' has {len(accountable)} Accountable people ({', '.join(accountable)}); exactly one may be A")
    if not entry.responsible:
        error(f"'{name}' has no Responsible person; name at least one R")
    for member in dict.fromkeys((*entry.responsible, *entry.accountable, *entry.consulted, *entry.informed)):
        cell = _cell(entry, member)
        if "/" in cell and cell != "A/R":
            found.append(
                Finding(
                    "error",
                    f"{member} is {cell} on '{name}'; only A and R may share a cell",
                    entry.source,
                    activity=name,
                    member=member,
                )
            )
    if len(set(entry.responsible)) >= MANY_RESPONSIBLE:
        found.append(
            Finding(
                "warning",
                f"'{name}' has {len(set(entry.responsible))} people Responsible; split the work or name fewer",
                entry.source,
                activity=name,
            )
        )
    return found


def check(assessment: Assessment, catalog: Catalog) -> RaciReport:
    members = tuple(member.id for member in assessment.team)
    rows_in = _rows(assessment, catalog)
    findings: list[Finding] = []
    rows: list[RaciRow] = []
    for activity, title, entry in rows_in:
        activity_id = activity.id if activity else entry.activity if entry else ""
        if entry is None:
            findings.append(
                Finding(
                    "error",
                    f"no RACI entry for '{activity_id}' ({title})",
                    assessment.raci_source,
                    activity=activity_id,
                )
            )
        else:
            findings.extend(_entry_findings(entry))
        rows.append(
            RaciRow(
                activity=activity_id,
                title=title,
                cells=tuple(_cell(entry, member) for member in members),
                required=activity is not None,
                written=entry is not None,
            )
        )
    if assessment.raci:
        findings.extend(_person_findings(assessment, rows))
    return RaciReport(members=members, rows=tuple(rows), findings=tuple(findings))


def _person_findings(assessment: Assessment, rows: Sequence[RaciRow]) -> list[Finding]:
    found: list[Finding] = []
    count = len(rows)
    for index, member in enumerate(assessment.team):
        cells = [row.cells[index] for row in rows]
        accountable = sum("A" in cell for cell in cells)
        if count >= MIN_ACTIVITIES_FOR_PERSON_RULES and accountable * 2 > count:
            found.append(
                Finding(
                    "warning",
                    f"{member.id} is Accountable for {accountable} of {count} activities: a bottleneck and a "
                    "single point of failure",
                    member.source,
                    member=member.id,
                )
            )
        if not any("A" in cell or "R" in cell for cell in cells):
            found.append(
                Finding(
                    "warning",
                    f"{member.id} is neither Responsible nor Accountable for any activity",
                    member.source,
                    member=member.id,
                )
            )
        elif count >= MIN_ACTIVITIES_FOR_PERSON_RULES and len(assessment.team) > 1 and all(cells):
            found.append(
                Finding(
                    "warning",
                    f"{member.id} takes part in every activity; consider who else can carry some of them",
                    member.source,
                    member=member.id,
                )
            )
    return found


def accountable(report: RaciReport, activity: str) -> str | None:
    """The one A of an activity, when there is exactly one."""
    for row in report.rows:
        if row.activity == activity:
            owners = [m for m, cell in zip(report.members, row.cells, strict=True) if "A" in cell]
            return owners[0] if len(owners) == 1 else None
    return None
