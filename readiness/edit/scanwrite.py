"""What `readiness scan --write` puts in readiness.yaml: a new file from the starter, or additions to the team's
own file that never change what the team wrote.

Added: the profile keys the repository shows, the people CODEOWNERS names, the targets the repository states,
and the answers the scan proposes (status `proposed`, counted as no answer until a person confirms them in
`readiness assess`). Kept as they are: every profile key, member, target and answer already in the file, an item
answered under a former id, and an item under a waiver. A proposal the scan wrote before is the scan's own, and
is brought up to date.

Nothing here prints, exits or writes: the caller writes `Planned.text`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from readiness.core.model import Assessment
from readiness.edit import yamledit
from readiness.edit.starter import Member, Starter, starter_text
from readiness.load.textsafe import first_control
from readiness.verify.scan.proposals import Proposed


@dataclass(frozen=True)
class Person:
    """A member to add: a team id, the name the file gives (a handle or an address), the address if written."""

    id: str
    name: str
    email: str | None = None


@dataclass(frozen=True)
class ScanPlan:
    name: str  # the project's name in a new file
    profile: Mapping[str, object]
    team: Sequence[Person] = ()
    targets: Mapping[str, object] = field(default_factory=dict)
    answers: Sequence[Proposed] = ()


@dataclass(frozen=True)
class Planned:
    text: str  # the whole file as it would be written
    before: str | None  # its text now; None when there is no file yet
    added: tuple[str, ...]  # `project.profile.llm`, `team.jane`, `targets.error_rate`, `answers.data.lineage`
    kept: tuple[str, ...]  # what the file already says and the scan left alone, in the same form
    doc: yamledit.EditableAssessment = field(repr=False, compare=False)  # saved under the file's lock

    @property
    def changes(self) -> bool:
        return self.text != self.before


def planned(path: Path, plan: ScanPlan, existing: Assessment | None, answered: frozenset[str]) -> Planned:
    """The file `scan --write` would leave at `path`. `existing` is the team's file as loaded (None: no file);
    `answered` the items it answers or waives, former ids counted as their items'."""
    if existing is None:
        # The starter writes the profile, team and targets in their places, each section with its comment.
        team = [Member(person.id, person.name) for person in plan.team]
        starter = Starter(_project_name(plan.name), profile=dict(plan.profile), team=team, targets=dict(plan.targets))
        doc = yamledit.new_assessment(path, starter_text(starter))
        for person in plan.team:
            if person.email is not None:
                yamledit.add_member(doc, person.id, person.name, None, email=person.email)
        added = [f"project.profile.{key}" for key in plan.profile]
        added += [f"team.{person.id}" for person in plan.team] + [f"targets.{key}" for key in plan.targets]
        kept: list[str] = []
        before = None
    else:
        doc = yamledit.open_assessment(path)
        before = yamledit.render(doc)
        added = [f"project.profile.{key}" for key in yamledit.add_missing(doc, ("project", "profile"), plan.profile)]
        kept = [f"project.profile.{key}" for key in plan.profile if f"project.profile.{key}" not in added]
        members = {member.id for member in existing.team}
        for person in plan.team:
            if person.id in members:
                kept.append(f"team.{person.id}")
                continue
            yamledit.add_member(doc, person.id, person.name, None, email=person.email)
            added.append(f"team.{person.id}")
        if plan.targets:
            targets = yamledit.add_missing(doc, ("targets",), plan.targets)
            added += [f"targets.{key}" for key in targets]
            kept += [f"targets.{key}" for key in plan.targets if key not in targets]
    for proposed in plan.answers:
        if proposed.item in answered:
            kept.append(f"answers.{proposed.item}")
            continue
        proposal = {"status": proposed.proposal.status.value, "by": proposed.proposal.by}
        proposal["reason"] = proposed.proposal.reason
        fields = {"status": "proposed", "proposal": proposal, "evidence": list(proposed.evidence) or None}
        yamledit.set_answer(doc, proposed.item, fields)
        added.append(f"answers.{proposed.item}")
    return Planned(yamledit.render(doc), before, tuple(added), tuple(kept), doc)


def answered_items(assessment: Assessment, former: Mapping[str, str]) -> frozenset[str]:
    """The items the team has answered (a proposal is not the team's answer) or waived, an answer or a waiver
    under a former id counting as its item's."""
    ids = {answer.item for answer in assessment.answers if answer.claimed}
    ids |= {waiver.item for waiver in assessment.waivers}
    return frozenset(ids | {former[old] for old in ids if old in former})


def _project_name(folder_name: str) -> str:
    # The folder's name is the best name a scan knows; one holding a control character cannot be written.
    return folder_name if folder_name and first_control(folder_name) is None else "project"
