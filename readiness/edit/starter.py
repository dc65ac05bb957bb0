"""The starter readiness.yaml that `readiness init` writes: commented, valid, and only what the user told us.

The profile questions live here too, each with what a "yes" turns on, counted from the packs themselves so
the words never drift from the checklists.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from readiness.core.model import Catalog, Item
from readiness.load.textsafe import visible

MEMBER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
RISKS = ("low", "medium", "high")
EU_AI_ACT_CLASSES = ("prohibited", "high", "limited", "minimal", "gpai")
STARTING_STAGE = "prototype"  # where a project that has just been given an assessment stands, unless told
WAIVER_EXAMPLE_ITEM = "cost.load-test"


@dataclass(frozen=True)
class ProfileQuestion:
    key: str
    question: str
    meaning: str  # the comment beside the key in the file
    choices: tuple[str, ...] = ()  # empty: a yes/no question
    raises: str = "yes"  # the answer whose items `effect` counts
    only_if: str | None = None  # asked only when this yes/no key is yes

    @property
    def example(self) -> str:
        """The value a commented key shows in the starter: what uncommenting it claims."""
        return "true" if not self.choices else self.default({"llm": True})

    def default(self, profile: dict[str, object]) -> str:
        """The answer Enter keeps, for a choice: the middle of the harm scale; for the AI Act, what most systems
        that talk to people are (limited) or what the rest are (minimal). The user sees it and can change it."""
        if self.key == "risk":
            return "medium"
        return "limited" if profile.get("llm") else "minimal"


PROFILE_QUESTIONS = (
    ProfileQuestion("llm", "Does it call a large language model?", "it calls a large language model"),
    ProfileQuestion(
        "agentic",
        "Can it act on systems without a human approving each action?",
        "it acts on systems without a human approving each action",
    ),
    ProfileQuestion(
        "rag",
        "Does it retrieve documents or records to ground its answers (RAG)?",
        "it retrieves documents or records to ground its answers",
    ),
    ProfileQuestion("personal_data", "Does it process personal data?", "it processes personal data"),
    ProfileQuestion(
        "eu_users", "Do people in the EU use it, or are they affected by it?", "people in the EU use it or are affected"
    ),
    ProfileQuestion(
        "eu_ai_act",
        "Its class under the EU AI Act? high: an Annex III use such as hiring, credit scoring, education or "
        "essential services; limited: it talks with people or generates content; minimal: neither; "
        "gpai: you provide a general-purpose model; prohibited: an Art. 5 practice",
        "prohibited | high | limited | minimal | gpai: its EU AI Act class",
        choices=EU_AI_ACT_CLASSES,
        raises="high",
        only_if="eu_users",
    ),
    ProfileQuestion(
        "multi_tenant",
        "Does it serve several customers from shared models, indexes, caches or logs?",
        "it serves several customers from shared models, indexes or logs",
    ),
    ProfileQuestion(
        "public_facing",
        "Do people outside your organisation use it directly?",
        "people outside the organisation use it directly",
    ),
    ProfileQuestion(
        "self_hosted", "Does it serve its own model on its own GPUs?", "it serves its own model on its own GPUs"
    ),
    ProfileQuestion(
        "trains_models", "Does the team train or fine-tune its own models?", "the team trains or fine-tunes models"
    ),
    ProfileQuestion(
        "risk",
        "How much harm can a wrong output do (your own rating)?",
        "low | medium | high: the harm a wrong output can do, in the team's judgement",
        choices=RISKS,
        raises="high",
    ),
)


def turned_on(catalog: Catalog, key: str, value: object = True) -> list[Item]:
    """Items that apply only when the profile has `key: value`, and items it makes more severe."""
    found = []
    for item in catalog.items:
        conditions = [item.when, item.escalate_when or {}]
        conditions += [alternative for c in list(conditions) for alternative in c.get("any", ())]
        for condition in conditions:
            wanted = condition.get(key)
            if wanted == value or (isinstance(wanted, list) and value in wanted):
                found.append(item)
                break
    return found


def effect(catalog: Catalog, question: ProfileQuestion) -> str:
    """What answering yes (or 'high') changes, in words: 'yes adds 15 items, such as …'."""
    value: object = question.raises if question.choices else True
    items = turned_on(catalog, question.key, value)
    if not items:
        return ""
    examples = "; ".join(item.title for item in items[:3])
    verb = "adds or raises" if question.choices else "adds"
    return f"{question.raises} {verb} {len(items)} item{'s' if len(items) != 1 else ''}, such as: {examples}"


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class Starter:
    name: str
    description: str = ""
    stage: str | None = None
    target: str = "production"
    profile: dict[str, object] = field(default_factory=dict)
    team: Sequence[Member] = ()
    targets: dict[str, object] = field(default_factory=dict)  # what the repository states (readiness scan)


def member_problem(member_id: str, taken: Sequence[str]) -> str | None:
    """Why a team id cannot be used, or None."""
    if not MEMBER_ID.fullmatch(member_id):  # fullmatch: `$` alone lets a final line break through
        return (
            f"'{visible(member_id)}' is not a team id: use letters, digits, '_', '.' and '-', "
            "starting with a letter or digit"
        )
    if member_id in taken:
        return f"'{member_id}' is already on the team"
    return None


def _scalar(value: object) -> str:
    """A YAML scalar that reads back as the same value: plain when safe, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)  # a number reads back as the same number: 2500, 0.01
    text = str(value)
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9 _.,()/'&+-]*", text) and not re.fullmatch(
        r"(?i)(y|n|yes|no|true|false|on|off|null|~)", text
    )
    return text if plain and not text.endswith(" ") else json.dumps(text, ensure_ascii=False)


def starter_text(starter: Starter) -> str:
    """The commented readiness.yaml for a new assessment. Every commented key or section can be uncommented on
    its own (delete the `# ` before it) and the file stays valid: a test does exactly that for each one."""
    lines = [
        f"# Production-readiness assessment of {visible(starter.name)}.",  # a line break must not end the comment
        "#   readiness assess   walks the checklists and saves every answer here",
        "#   readiness check    scores it (the exit code is the verdict, for CI)",
        "#   readiness report   writes the review document",
        "# Every key is described by `readiness schema assessment`; comments you add here are kept.",
        "# A commented line or section is an example: delete its `# ` to use it.",
        "version: 1",
        "",
        "project:",
        f"  name: {_scalar(starter.name)}",
    ]
    if starter.description:
        lines.append(f"  description: {_scalar(starter.description)}")
    lines.append(
        f"  stage: {starter.stage or STARTING_STAGE}  # where it is now: prototype | pilot | production | scale"
    )
    lines.append(f"  target: {starter.target}  # the stage this assessment gates")
    lines += _profile_lines(starter.profile)
    lines += [
        "",
        "# Every built-in pack is used unless you choose some; your own packs go under `extra`.",
        "# checklists:",
        "#   use: [ownership, data, compliance, cost, observability, reliability, evaluation, security]",
        "",
        "# The people answers, owners, the RACI matrix and waivers refer to, by id.",
    ]
    if starter.team:
        lines.append("team:")
        for member in starter.team:
            role = f", role: {_scalar(member.role)}" if member.role else ""
            lines.append(f"  {member.id}: {{name: {_scalar(member.name)}{role}}}")
    else:
        lines += ["# team:", "#   alice: {name: Alice Chen, role: ML lead}"]
    lines += ["", *_waiver_lines(starter.team)]
    lines += [
        "",
        "# The cost model `readiness cost` projects month by month (or let `readiness assess` ask for it):",
        "# requests a day today, monthly growth, tokens per request, prices per million tokens, the budget.",
        "# cost:",
        "#   horizon_months: 12",
        "#   requests_per_day: 4000",
        "#   monthly_growth: 0.1",
        "#   tokens: {input: 1800, output: 350}",
        "#   price_per_million: {input: 3.0, output: 15.0}",
        "#   fixed_monthly: 1200",
        "#   budget_monthly: 6000",
        "",
        "# What production must hold: probes compare load tests, eval results and SLOs in the repo with these.",
        _targets_line(starter.targets),
        "",
        "# The gate; these are the defaults.",
        "# policy: {min_score: 70, min_category_score: 50, fail_on: blocker, max_evidence_age_days: 365,",
        "#          require_verified: none}",
        "",
        "# `readiness assess` adds the RACI matrix, the cost model and one answer per item below.",
    ]
    return "\n".join(lines) + "\n"


def _targets_line(targets: dict[str, object]) -> str:
    if not targets:
        return "# targets: {latency_p95_ms: 2500, error_rate: 0.01, peak_concurrency: 200, eval_pass_rate: 0.9}"
    return "targets: {" + ", ".join(f"{key}: {_scalar(value)}" for key, value in targets.items()) + "}"


def _profile_lines(profile: dict[str, object]) -> list[str]:
    """The profile: what the user said, then every other key as a commented example. With nothing said, the
    mapping is written in braces over several lines, so that it is an empty mapping as it stands and each
    commented key can still be uncommented alone (a block `profile:` with only comments under it is null)."""
    known = [q for q in PROFILE_QUESTIONS if q.key in profile]
    unknown = [q for q in PROFILE_QUESTIONS if q.key not in profile]
    comma = "" if known else ","
    pairs = [(f"{q.key}: {_scalar(profile[q.key])}{comma}", q.meaning) for q in known]
    pairs += [(f"# {q.key}: {q.example}{comma}", q.meaning) for q in unknown]
    width = max(len(pair) for pair, _ in pairs)
    body = [f"    {pair:<{width}}  # {meaning}" for pair, meaning in pairs]
    lines = ["  # What the system is: it decides which checklist items apply. Uncomment each line that is true."]
    if known:
        return [*lines, "  profile:", *body]
    return [*lines, "  profile: {", *body, "  }"]


def _waiver_lines(team: Sequence[Member]) -> list[str]:
    """An example waiver, approved by the first member; without a team, only what a waiver holds, since one
    approved by nobody on the team would not be valid."""
    heading = "# Accepted risks: an open item excused until a date, approved by the accountable person."
    if not team:
        return [
            heading,
            "# Under `waivers:`, each gives the item, a reason, who approved it (a team id) and `expires`.",
        ]
    return [
        heading,
        "# waivers:",
        f"#   - item: {WAIVER_EXAMPLE_ITEM}",
        "#     reason: Pilot capped at 20 users",
        f"#     approved_by: {team[0].id}",
        "#     expires: 2027-01-31",
    ]
