"""`readiness init` at a terminal: ask what the flags did not say, in plain words, then hand back a Starter."""

from __future__ import annotations

from collections.abc import Sequence

from readiness.core.model import Catalog
from readiness.edit.starter import PROFILE_QUESTIONS, Member, Starter, effect, member_problem
from readiness.interactive.ask import Asker, required

STAGES = ("prototype", "pilot", "production", "scale")


def interview(given: Starter, asked: set[str], asker: Asker, catalog: Catalog) -> Starter:
    """Fill in every value not in `asked` (the flags the user gave) by asking."""
    name = given.name if "name" in asked else asker.valid("Project name", required, given.name)
    description = given.description if "description" in asked else asker.line("One-line description (optional)")
    stage = given.stage if "stage" in asked else asker.choice("Where is it now?", STAGES, "prototype")
    target = given.target if "target" in asked else asker.choice("Which stage should this gate?", STAGES, given.target)
    profile = dict(given.profile)
    missing = [q for q in PROFILE_QUESTIONS if q.key not in profile]
    if missing:
        asker.say("")
        asker.say("A few questions about the system: they decide which checklist items apply.")
    for question in missing:
        if question.only_if is not None and profile.get(question.only_if) is not True:
            continue  # the AI Act class means nothing for a system no one in the EU uses
        words = effect(catalog, question)
        if words:
            asker.say(f"  ({words})", style="dim")
        if question.choices:
            profile[question.key] = asker.choice(question.question, question.choices, question.default(profile))
        else:
            profile[question.key] = asker.yes_no(question.question)
    team = list(given.team) if "team" in asked else _team(asker)
    return Starter(name, description, stage, target, profile, team)


def _team(asker: Asker) -> Sequence[Member]:
    asker.say("")
    asker.say("The team: answers, owners and the RACI matrix refer to people by a short id (e.g. alice).")
    members: list[Member] = []
    while True:
        member_id = asker.line("Team member id (Enter alone when done)")
        if not member_id:
            return members
        problem = member_problem(member_id, [m.id for m in members])
        if problem is not None:
            asker.say(f"  {problem}", style="red")
            continue
        name = asker.valid("  Name", required)
        role = asker.line("  Role (optional)")
        members.append(Member(member_id, name, role))
