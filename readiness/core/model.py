"""The domain as immutable values: packs and items, the assessment, and the scored result."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from fractions import Fraction
from functools import cached_property
from typing import Any


class Stage(str, Enum):
    PROTOTYPE = "prototype"
    PILOT = "pilot"
    PRODUCTION = "production"
    SCALE = "scale"

    @property
    def rank(self) -> int:
        return _STAGE_RANK[self]


_STAGE_RANK = {stage: index for index, stage in enumerate(Stage)}


class Severity(str, Enum):
    BLOCKER = "blocker"
    MAJOR = "major"
    MINOR = "minor"

    @property
    def rank(self) -> int:
        """0 is the most severe."""
        return _SEVERITY_RANK[self]


class Status(str, Enum):
    DONE = "done"
    PARTIAL = "partial"
    TODO = "todo"
    NA = "na"
    # A scan's suggestion (with the Proposal saying what and why): scored as no answer until a person confirms it.
    PROPOSED = "proposed"


class Effort(str, Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def cost(self) -> int:
        return _EFFORT_COST[self]


_SEVERITY_RANK = {severity: index for index, severity in enumerate(Severity)}
_EFFORT_COST = {Effort.LOW: 1, Effort.MEDIUM: 2, Effort.HIGH: 4}
DEFAULT_WEIGHT = {Severity.BLOCKER: Fraction(3), Severity.MAJOR: Fraction(2), Severity.MINOR: Fraction(1)}

Profile = dict[str, Any]
Conditions = dict[str, Any]  # profile key -> wanted value or values; "any" -> alternative Conditions


def condition_keys(conditions: Conditions | None) -> set[str]:
    """Every profile key a set of conditions looks at, also inside its alternatives."""
    keys: set[str] = set()
    for key, wanted in (conditions or {}).items():
        keys |= set().union(*(condition_keys(c) for c in wanted)) if key == "any" else {key}
    return keys


class _Value:
    """What every value below shares: one `__repr__`, the one the dataclass decorator would write for each. Asking
    the decorator for thirty of its own costs every run of every command about 10 ms before it has read a byte."""

    def __repr__(self) -> str:
        found: Mapping[str, Any] = getattr(self, "__dataclass_fields__", {})
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name, spec in found.items() if spec.repr)
        return f"{type(self).__qualname__}({shown})"


@dataclass(frozen=True, repr=False)
class Source(_Value):
    """Where a value was written: shown in messages and used by annotations."""

    file: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, repr=False)
class AutoCheck(_Value):
    """What a pack's `auto:` asks to be checked without anyone's word: files, RACI, cost, or a probe."""

    files: tuple[str, ...] = ()  # where to look: the candidates, and the files a probe reads
    raci: tuple[str, ...] = ()
    cost: str | None = None
    probe: str | None = None  # the kind of probe that reads the files (verify/probes/run.py KINDS)
    # The probe's parameters as the pack wrote them; a threshold may still name a value ('targets.error_rate').
    expect: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, repr=False)
class Item(_Value):
    """One checklist question of a pack, with when it applies, how much it weighs and how it is verified."""

    id: str  # full id: pack.item
    pack: str
    title: str
    question: str
    why: str
    verify: str
    severity: Severity
    stage: Stage
    effort: Effort
    weight: Fraction | None  # None: the default for the severity in force
    when: Conditions = field(default_factory=dict)
    escalate_when: Conditions | None = None
    escalate_to: Severity | None = None
    evidence_required: bool = False
    na_allowed: bool = True
    activity: str | None = None
    auto: AutoCheck | None = None
    refs: tuple[str, ...] = ()
    formerly: tuple[str, ...] = ()  # full ids this item replaced: answers saved under them are read as its own
    disabled: str | None = None  # reason, set by an override
    source: Source = Source("<built-in>")


@dataclass(frozen=True, repr=False)
class Activity(_Value):
    """A task of a pack that the RACI matrix gives to people."""

    id: str
    title: str
    pack: str


@dataclass(frozen=True, repr=False)
class Pack(_Value):
    """A checklist pack: its items and activities, built in or custom."""

    id: str
    title: str
    summary: str
    weight: Fraction
    items: tuple[Item, ...]
    activities: tuple[Activity, ...] = ()
    origin: str = "built-in"  # "built-in" or the file it came from
    layers: tuple[str, ...] = ()  # files whose `extends` changed this pack


@dataclass(frozen=True, repr=False)
class Catalog(_Value):
    """The packs an assessment uses, with their items merged from every layer."""

    packs: tuple[Pack, ...]
    left_out: tuple[str, ...] = ()  # item ids of packs that `checklists.use` leaves out
    # Every activity of every loaded pack: an item may name an activity of a pack that is not scored.
    known_activities: tuple[Activity, ...] = ()
    # Retired id -> the id of the item that replaced it, over every loaded pack (used or left out).
    former: Mapping[str, str] = field(default_factory=dict, hash=False)

    def item(self, item_id: str) -> Item | None:
        return self._items_by_id.get(item_id)

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        found: dict[str, Item] = {}
        for item in self.items:
            found.setdefault(item.id, item)
        return found

    @cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for pack in self.packs for item in pack.items)

    @property
    def activities(self) -> tuple[Activity, ...]:
        """The activities of the packs in use: each needs a RACI entry."""
        return tuple(activity for pack in self.packs for activity in pack.activities)


@dataclass(frozen=True, repr=False)
class Proposal(_Value):
    """What a scan proposes for an item (`status`), what proposed it (`by`) and why."""

    status: Status
    by: str
    reason: str


@dataclass(frozen=True, repr=False)
class Answer(_Value):
    """What the team says about one item: its status, evidence and who owns it."""

    item: str
    status: Status
    evidence: tuple[str, ...] = ()
    note: str = ""
    owner: str | None = None
    due: str | None = None
    reviewed: str | None = None
    reason: str = ""
    source: Source = Source("<input>")
    proposal: Proposal | None = None

    @property
    def claimed(self) -> bool:
        """Whether the team gave this answer: a proposal is nobody's claim until confirmed."""
        return self.status is not Status.PROPOSED


@dataclass(frozen=True, repr=False)
class Waiver(_Value):
    """An accepted risk: an item excused until a date, approved by someone."""

    item: str
    reason: str
    approved_by: str
    expires: str
    index: int = 0
    source: Source = Source("<input>")


@dataclass(frozen=True, repr=False)
class Member(_Value):
    """A person of the team."""

    id: str
    name: str
    role: str = ""
    source: Source = Source("<input>")


@dataclass(frozen=True, repr=False)
class RaciEntry(_Value):
    """Who is responsible, accountable, consulted and informed for one activity."""

    activity: str
    responsible: tuple[str, ...] = ()
    accountable: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()
    source: Source = Source("<input>")


@dataclass(frozen=True, repr=False)
class Policy(_Value):
    """The thresholds a verdict is judged by."""

    min_score: Fraction = Fraction(70)
    min_category_score: Fraction = Fraction(50)
    fail_on: Severity | None = Severity.BLOCKER  # None: no severity fails the run by itself
    max_evidence_age_days: int = 365
    max_waiver_days: int = 180
    # Items at or above this severity whose pack declares a probe count as unverified unless the probe holds.
    require_verified: Severity | None = None


@dataclass(frozen=True, repr=False)
class Project(_Value):
    """What the system is and which stage it is at and aims for."""

    name: str
    description: str = ""
    stage: Stage | None = None
    target: Stage = Stage.PRODUCTION
    profile: Profile = field(default_factory=dict)


@dataclass(frozen=True, repr=False)
class Assessment(_Value):
    """A readiness.yaml as read: the project, its team, RACI, answers, waivers, policy and cost."""

    file: str
    project: Project
    team: tuple[Member, ...] = ()
    raci: tuple[RaciEntry, ...] = ()
    answers: tuple[Answer, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    policy: dict[str, Any] = field(default_factory=dict)  # as written; merged with flags by the engine
    cost: dict[str, Any] | None = None
    targets: dict[str, Any] = field(default_factory=dict)  # what production must hold; probes compare with it
    use: tuple[str, ...] | None = None
    extra: tuple[str, ...] = ()
    answers_source: Source = Source("<input>")
    raci_source: Source = Source("<input>")

    def answer(self, item_id: str) -> Answer | None:
        return self._answers_by_item.get(item_id)

    @cached_property
    def _answers_by_item(self) -> dict[str, Answer]:
        # Scoring asks once per item; a scan per question made large assessments quadratic.
        found: dict[str, Answer] = {}
        for answer in self.answers:
            found.setdefault(answer.item, answer)
        return found


# --- the result ----------------------------------------------------------------------------------------


class Outcome(str, Enum):
    """What became of one item in the scoring."""

    MET = "met"  # credit 1
    GAP = "gap"  # counted, credit < 1
    NA = "na"  # left out: not applicable, with a reason
    WAIVED = "waived"  # left out: accepted risk under a valid waiver
    NEXT_STAGE = "next-stage"  # above the target stage: listed, not scored
    NOT_APPLICABLE = "not-applicable"  # the profile does not call for it
    DISABLED = "disabled"  # switched off by a pack override


EXCLUDED = (Outcome.NA, Outcome.WAIVED)  # left out of the score, on purpose
NOT_SCORED = (Outcome.NEXT_STAGE, Outcome.NOT_APPLICABLE, Outcome.DISABLED)  # listed, never scored


@dataclass(frozen=True, repr=False)
class AutoResult(_Value):
    """What an automated check found, shown beside the claimed answer."""

    passed: bool
    detail: str


class ProbeOutcome(str, Enum):
    HOLDS = "holds"  # data of the format was read and every property judged holds
    FAILS = "fails"  # data of the format was read and a property fails, or an artifact of the format is broken
    NOTHING = "nothing"  # nothing of the format to judge: no file, empty, a skeleton, another format


@dataclass(frozen=True, repr=False)
class ProbeFinding(_Value):
    """One thing a probe read in an artifact, at the place it read it."""

    file: str  # relative to the assessment's folder, '/'-separated
    line: int
    column: int
    message: str
    holds: bool | None  # True: a property holds; False: it fails; None: said for information


@dataclass(frozen=True, repr=False)
class ProbeRun(_Value):
    """What the probe of one item made of the files its globs found."""

    kind: str
    outcome: ProbeOutcome
    findings: tuple[ProbeFinding, ...]
    judged: tuple[str, ...] = ()  # the files the probe read
    left: int = 0  # files not read: over the limit of files, or past the time budget

    @property
    def failures(self) -> tuple[ProbeFinding, ...]:
        return tuple(finding for finding in self.findings if finding.holds is False)


class Credit(str, Enum):
    """Where an item's credit comes from."""

    VERIFIED = "verified"  # a probe read an artifact and the property holds, or an automated check passed
    ATTESTED = "attested"  # the team's answer, with its evidence found and fresh, and nothing contradicting it
    UNVERIFIED = "unverified"  # claimed, but evidence missing or stale, or a probe contradicts it


@dataclass(frozen=True, repr=False)
class ItemResult(_Value):
    """How one item came out: its outcome, the credit it earns and why."""

    item: Item
    severity: Severity  # after escalation by profile
    outcome: Outcome
    status: str  # done | partial | todo | na | unanswered
    credit: Fraction | None  # None when not counted
    unverified: bool = False
    unverified_reasons: tuple[str, ...] = ()
    answer: Answer | None = None
    waiver: Waiver | None = None
    owner: str = "unassigned"
    auto: AutoResult | None = None
    probe: ProbeRun | None = None
    candidates: tuple[str, ...] = ()  # files the item's globs found: offered as evidence, never counted
    source: Credit | None = None  # None: nothing claimed and nothing verified (todo, unanswered)

    @property
    def counted(self) -> bool:
        return self.credit is not None


@dataclass(frozen=True, repr=False)
class CategoryScore(_Value):
    """The score of one pack."""

    pack: Pack
    score: Fraction | None  # None when nothing in the pack was counted
    counted: int
    met: int
    gaps: int
    excluded: int
    verified: Fraction | None = None  # the part of the score that verified items earn, in points


@dataclass(frozen=True, repr=False)
class WaiverStatus(_Value):
    """Whether a waiver still excuses its item, and why not."""

    waiver: Waiver
    state: str  # valid | expired | too-long | wrong-approver | unused
    days_left: int
    problem: str = ""  # in words, when the waiver does not excuse its item

    @property
    def excuses(self) -> bool:
        return self.state == "valid"


# --- ownership, evidence and cost ------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Finding(_Value):
    """A RACI rule broken (error: the matrix is not well-formed) or a smell worth a look (warning)."""

    level: str  # error | warning
    message: str
    source: Source
    activity: str | None = None
    member: str | None = None


@dataclass(frozen=True, repr=False)
class RaciRow(_Value):
    """One activity's row of the RACI matrix as checked."""

    activity: str
    title: str
    cells: tuple[str, ...]  # one per team member: "", "R", "A", "A/R", "C" or "I"
    required: bool  # a pack in use defines the activity
    written: bool  # the assessment has an entry for it


@dataclass(frozen=True, repr=False)
class RaciReport(_Value):
    """The RACI matrix as checked, with what is wrong in it."""

    members: tuple[str, ...]
    rows: tuple[RaciRow, ...]
    findings: tuple[Finding, ...]

    def broken(self, activity: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level == "error" and f.activity == activity)


@dataclass(frozen=True, repr=False)
class PathCheck(_Value):
    """What the file system says about one evidence entry or automated glob. Nothing is ever opened."""

    entry: str
    kind: str  # path | glob | url | auto
    matches: tuple[str, ...]  # paths relative to the assessment's folder; the URL itself for a link
    source: Source

    @property
    def found(self) -> bool:
        return bool(self.matches)


@dataclass(frozen=True, repr=False)
class Facts(_Value):
    """Everything the scoring needs from outside the assessment: evidence on disk and automated globs."""

    evidence: dict[str, tuple[PathCheck, ...]] = field(default_factory=dict)  # by item id
    auto_files: dict[str, tuple[PathCheck, ...]] = field(default_factory=dict)  # by item id
    probes: dict[str, ProbeRun] = field(default_factory=dict)  # by item id: what each item's probe read


@dataclass(frozen=True, repr=False)
class EvidenceEntry(_Value):
    """One line of the evidence index: an item, a path or URL, and what was found there."""

    item: str
    check: PathCheck
    status: str  # found | missing | stale | link
    reviewed: str | None = None


@dataclass(frozen=True, repr=False)
class CostMonth(_Value):
    """One month of a cost scenario."""

    month: int
    requests: Fraction
    token_cost: Fraction
    gpu_hours: Fraction
    gpu_cost: Fraction
    fixed: Fraction
    total: Fraction


@dataclass(frozen=True, repr=False)
class CostScenario(_Value):
    """The cost month by month under one set of prices (expected or worst case)."""

    name: str  # expected | worst
    unit_cost: Fraction  # tokens only, per request
    months: tuple[CostMonth, ...]
    total: Fraction
    over_budget: tuple[int, ...]  # months above the budget


@dataclass(frozen=True, repr=False)
class CostProjection(_Value):
    """The cost over the horizon, expected and worst case, against the budget."""

    horizon: int
    currency: str
    budget: Fraction | None
    volatility: Fraction
    expected: CostScenario
    worst: CostScenario

    @property
    def verdict(self) -> str:
        """within | over | over-worst-case | no-budget."""
        if self.budget is None:
            return "no-budget"
        if self.expected.over_budget:
            return "over"
        return "over-worst-case" if self.worst.over_budget else "within"


@dataclass(frozen=True, repr=False)
class Result(_Value):
    """Everything a run found about one assessment: the verdict, scores, gaps and what they rest on."""

    project: Project
    target: Stage
    today: str
    policy: Policy
    strict: bool
    verdict: str  # ready | ready-with-waivers | not-ready
    reasons: tuple[str, ...]  # every failed condition, in words
    score: Fraction | None
    stage_reached: Stage | None
    next_stage: Stage | None
    next_stage_blockers: tuple[str, ...]  # item ids that stand between the stage reached and the next
    categories: tuple[CategoryScore, ...]
    items: tuple[ItemResult, ...]
    gaps: tuple[ItemResult, ...]  # ordered as the remediation plan
    waivers: tuple[WaiverStatus, ...]
    team: tuple[Member, ...]
    raci: RaciReport = RaciReport((), (), ())
    evidence: tuple[EvidenceEntry, ...] = ()
    cost: CostProjection | None = None
    warnings: tuple[str, ...] = ()
    verified_score: Fraction | None = None  # the part of `score` that verified items earn, in points
    # The assessment file and where its `answers` key stands: where a finding about an unanswered item points.
    answers_source: Source = Source("<input>")
