"""readiness.yaml: from a schema-valid document to an Assessment, and the checks that need the catalog."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from readiness.core.model import (
    Answer,
    Assessment,
    Catalog,
    Member,
    Project,
    Proposal,
    RaciEntry,
    Source,
    Stage,
    Status,
    Waiver,
    condition_keys,
)
from readiness.load.diagnostics import Diagnostic, JsonPath, Level, did_you_mean, did_you_mean_item
from readiness.load.yamlsource import Document


def _listed(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _proposal(raw: Any) -> Proposal | None:
    if not isinstance(raw, dict):  # absent, or blanked by salvage
        return None
    return Proposal(status=Status(raw["status"]), by=raw["by"], reason=raw["reason"])


def to_assessment(document: Document) -> Assessment:
    """Build the Assessment from a document that passed the assessment schema."""
    data: dict[str, Any] = document.data

    def source(*path: str | int) -> Source:
        return Source(document.file, *document.where(path, key=True))

    raw_project = data["project"]
    project = Project(
        name=raw_project["name"],
        description=raw_project.get("description", ""),
        stage=Stage(raw_project["stage"]) if "stage" in raw_project else None,
        target=Stage(raw_project.get("target", "production")),
        profile=dict(raw_project.get("profile", {})),
    )
    answers = tuple(
        Answer(
            item=item_id,
            status=Status(raw["status"]),
            evidence=tuple(entry for entry in raw.get("evidence", ()) if entry is not None),  # None: salvaged
            note=raw.get("note", ""),
            owner=raw.get("owner"),
            due=raw.get("due"),
            reviewed=raw.get("reviewed"),
            reason=raw.get("reason", ""),
            source=source("answers", item_id),
            proposal=_proposal(raw.get("proposal")),
        )
        for item_id, raw in data.get("answers", {}).items()
    )
    waivers = tuple(
        Waiver(
            item=raw["item"],
            reason=raw["reason"],
            approved_by=raw["approved_by"],
            expires=raw["expires"],
            index=index,
            source=Source(document.file, *document.where(("waivers", index))),
        )
        for index, raw in enumerate(data.get("waivers", []))
        if raw is not None  # a broken waiver that salvage.py blanked, keeping the others at their index
    )
    team = tuple(
        Member(id=member_id, name=raw["name"], role=raw.get("role", ""), source=source("team", member_id))
        for member_id, raw in data.get("team", {}).items()
    )
    raci = tuple(
        RaciEntry(
            activity=activity,
            responsible=_listed(raw.get("R")),
            accountable=_listed(raw.get("A")),
            consulted=_listed(raw.get("C")),
            informed=_listed(raw.get("I")),
            source=source("raci", activity),
        )
        for activity, raw in data.get("raci", {}).items()
    )
    checklists = data.get("checklists", {})
    return Assessment(
        file=document.file,
        project=project,
        team=team,
        raci=raci,
        answers=answers,
        waivers=waivers,
        policy=dict(data.get("policy", {})),
        targets=dict(data.get("targets", {})),
        cost=data.get("cost"),
        use=tuple(checklists["use"]) if "use" in checklists else None,
        extra=tuple(checklists.get("extra", ())),
        answers_source=source("answers") if "answers" in data else Source(document.file),
        raci_source=source("raci") if "raci" in data else Source(document.file),
    )


def extra_pack_paths(assessment: Assessment, assessment_path: Path) -> list[tuple[Path, str]]:
    """Custom pack files, resolved against the assessment's folder, each with the name to show."""
    folder = assessment_path.parent
    shown_folder = Path(assessment.file).parent
    return [(folder / entry, str(shown_folder / entry)) for entry in assessment.extra]


def check_use(document: Document, use: Sequence[str] | None, builtin_ids: Iterable[str]) -> list[Diagnostic]:
    known = set(builtin_ids)
    checklists = document.data.get("checklists")
    if use is not None and not use and not (isinstance(checklists, dict) and checklists.get("extra")):
        # No pack at all: every target would find nothing to check. Said here, so `validate` says it too.
        message = (
            "lists no pack and there is no 'extra' pack either, so nothing would be checked; "
            "leave 'use' out to use every built-in pack, or name the packs to use"
        )
        return [document.diag(("checklists", "use"), message)]
    return [
        document.diag(("checklists", "use", index), f"unknown pack '{pack}'{did_you_mean(pack, known)}")
        for index, pack in enumerate(use or ())
        if pack not in known
    ]


def _former_answer(
    document: Document, path: JsonPath, old: str, catalog: Catalog, assessment: Assessment
) -> Diagnostic:
    """An answer saved under an id the packs have retired: read as its replacement's, unless that has its own."""
    current = catalog.former[old]
    if current in catalog.left_out:
        message = f"ignored: '{old}' is now '{current}', and pack '{current.split('.', 1)[0]}' is not in checklists.use"
    elif assessment.answer(current) is not None:
        message = f"ignored: '{old}' is now '{current}', which has its own answer; delete this one"
    else:
        message = f"'{old}' is now '{current}': the answer is read as that item's; rename the key to '{current}'"
    return document.diag(path, message, key=True, level=Level.WARNING)


def carried_forward(assessment: Assessment, catalog: Catalog) -> tuple[Assessment, dict[str, str]]:
    """The assessment with answers and waivers saved under retired ids moved to the items that replaced them, and
    which keys moved (old -> new). An item's own answer wins over one saved under a former id, and of two former
    ids the first written wins, as for any answer given twice."""
    moved: dict[str, str] = {}
    answers = []
    for answer in assessment.answers:
        current = catalog.former.get(answer.item)
        if current is None or catalog.item(current) is None:
            answers.append(answer)
        elif assessment.answer(current) is None and current not in moved.values():
            moved[answer.item] = current
            answers.append(replace(answer, item=current))
    waivers = tuple(
        replace(w, item=catalog.former[w.item]) if catalog.former.get(w.item) in {i.id for i in catalog.items} else w
        for w in assessment.waivers
    )
    if not moved and waivers == assessment.waivers:
        return assessment, moved
    return replace(assessment, answers=tuple(answers), waivers=waivers), moved


def check_references(
    document: Document, assessment: Assessment, catalog: Catalog, *, items_known: bool = True
) -> list[Diagnostic]:
    """Every id the assessment names must exist; `na` needs a reason and an item that allows it.

    An answer for a pack left out of `checklists.use` is kept and ignored with a warning rather than
    rejected, so narrowing the packs for a while never forces anyone to delete answers. When a pack could
    not be loaded (`items_known` false), ids that might be its own are not called unknown.
    """
    problems: list[Diagnostic] = []
    team = [member.id for member in assessment.team]
    used = {item.id: item for item in catalog.items}
    everything = set(used) | set(catalog.left_out)

    def member(path: JsonPath, who: str) -> None:
        if who not in team:
            hint = did_you_mean(who, team) if team else " (the team section is empty)"
            problems.append(document.diag(path, f"unknown team id '{who}'{hint}"))

    for answer in assessment.answers:
        path: JsonPath = ("answers", answer.item)
        item = used.get(answer.item)
        if item is None and answer.item in catalog.former:
            problems.append(_former_answer(document, path, answer.item, catalog, assessment))
            item = used.get(catalog.former[answer.item])
        elif item is None and items_known:
            if answer.item in everything:
                pack = answer.item.split(".", 1)[0]
                problems.append(
                    document.diag(
                        path,
                        f"ignored: pack '{pack}' is not in checklists.use",
                        key=True,
                        level=Level.WARNING,
                    )
                )
            else:
                problems.append(
                    document.diag(
                        path, f"unknown item '{answer.item}'{did_you_mean_item(answer.item, everything)}", key=True
                    )
                )
        if answer.status is Status.PROPOSED and answer.proposal is None:
            message = "'proposed' needs a 'proposal' (status, by, reason): what was proposed, by what, and why"
            problems.append(document.diag((*path, "status"), message))
        elif answer.proposal is not None and answer.status is not Status.PROPOSED:
            message = f"the answer is the team's ('{answer.status.value}'): the scan's 'proposal' left beside it can go"
            problems.append(document.diag((*path, "proposal"), message, key=True, level=Level.WARNING))
        proposes_na = answer.proposal is not None and answer.proposal.status is Status.NA
        if item is not None and proposes_na and not item.na_allowed:
            message = f"item '{item.id}' cannot be marked na: it applies to every project, so nobody could confirm it"
            problems.append(document.diag((*path, "proposal", "status"), message))
        if answer.status is Status.NA and not answer.reason.strip():
            problems.append(document.diag((*path, "status"), "'na' needs a reason: add 'reason: ...'"))
        if item is not None and answer.status is Status.NA and not item.na_allowed:
            message = f"item '{item.id}' cannot be marked na: it applies to every project"
            problems.append(document.diag((*path, "status"), message))
        if answer.owner is not None:
            member((*path, "owner"), answer.owner)

    proposed = [answer for answer in assessment.answers if answer.proposal is not None and not answer.claimed]
    if proposed:
        # Said once, at the first: a file just written by `scan --write` holds one per item a probe verified.
        more = f" (this one and {len(proposed) - 1} more)" if len(proposed) > 1 else ""
        message = (
            f"{len(proposed)} answer{'s are' if len(proposed) != 1 else ' is'} a scan's proposal{more}: "
            "counted as no answer until someone confirms or changes it in `readiness assess`"
        )
        problems.append(document.diag(("answers", proposed[0].item, "status"), message, level=Level.WARNING))

    for waiver in assessment.waivers:
        path = ("waivers", waiver.index)
        if waiver.item in catalog.former:
            current = catalog.former[waiver.item]
            message = f"'{waiver.item}' is now '{current}': the waiver is read as that item's; write 'item: {current}'"
            problems.append(document.diag((*path, "item"), message, level=Level.WARNING))
        elif waiver.item not in used and items_known:
            hint = did_you_mean_item(waiver.item, used)
            problems.append(document.diag((*path, "item"), f"waiver for unknown item '{waiver.item}'{hint}"))
        member((*path, "approved_by"), waiver.approved_by)

    activities = {activity.id for activity in catalog.known_activities}
    for entry in assessment.raci:
        path = ("raci", entry.activity)
        if entry.activity not in activities and items_known:
            hint = did_you_mean(entry.activity, activities)
            problems.append(document.diag(path, f"unknown activity '{entry.activity}'{hint}", key=True))
        raw = document.data["raci"][entry.activity]
        for letter in "RACI":
            names = raw.get(letter)
            for index, who in enumerate(_listed(names)):
                member((*path, letter, index) if isinstance(names, list) else (*path, letter), who)
    project = assessment.project
    if project.stage is not None and project.stage.rank > project.target.rank:
        # Most often a target left behind when the project moved on: the gate then checks a stage already passed.
        written = "target" in document.data["project"]
        problems.append(
            document.diag(
                ("project", "target" if written else "stage"),
                f"the project is at '{project.stage.value}' but the assessment gates "
                f"'{project.target.value}'{'' if written else ' (the default target)'}, a stage already passed; "
                "raise the target",
                level=Level.WARNING,
            )
        )
    problems += _ai_act_class_missing(document, assessment, catalog)
    return problems


def _ai_act_class_missing(document: Document, assessment: Assessment, catalog: Catalog) -> list[Diagnostic]:
    """People in the EU use the system but its AI Act class is not recorded: the legal duties keyed to that class
    then apply to nobody, and a file written before the class existed would pass more easily than it used to. Said
    once, as a warning: the team may not know the class yet, and a guess would be worse."""
    profile = assessment.project.profile
    if profile.get("eu_users") is not True or "eu_ai_act" in profile:
        return []
    keyed = [
        item for item in catalog.items if "eu_ai_act" in condition_keys(item.when) | condition_keys(item.escalate_when)
    ]
    if not keyed:
        return []
    where: JsonPath = ("project", "profile") if "profile" in document.data.get("project", {}) else ("project",)
    message = (
        f"people in the EU use the system but 'eu_ai_act' is not set, so {len(keyed)} item"
        f"{'s' if len(keyed) != 1 else ''} that the AI Act makes duties (such as {keyed[0].id}) cannot apply; "
        "set eu_ai_act: prohibited, high, limited, minimal or gpai"
    )
    return [document.diag(where, message, key=True, level=Level.WARNING)]
