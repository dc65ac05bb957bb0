"""Budgets as code: Terraform configuration (`*.tf`, HCL2) that creates a cloud budget with the three resources
the major providers document: `aws_budgets_budget` (hashicorp/aws 5.x/6.x), `google_billing_budget`
(hashicorp/google 5.x/6.x) and `azurerm_consumption_budget_subscription`, `_resource_group` and
`_management_group` (hashicorp/azurerm 3.x/4.x); tests/artifacts/terraform-budget/ABOUT.md.

A budget guards spend only if someone hears when it is crossed and if its limit is no higher than the spend the
assessment plans for. So, for each budget on cost (an AWS `USAGE` budget in gigabytes says nothing of spend):
- someone is notified: an AWS `notification` block with e-mail or SNS subscribers; Google `threshold_rules`
  whose alerts reach the billing account's users (unless `disable_default_iam_recipients`) or an
  `all_updates_rule` channel or topic; an Azure `notification` not `enabled = false` with a contact;
- the limit, as a monthly figure, is at most `budget_monthly`: a daily, quarterly or yearly limit is compared
  pro rata (365/12 days, 3 or 12 months), as the item asks about a month. A limit given by a variable or
  another expression cannot be read here: it is said, and the limit is not verified.
One budget that meets both is enough (a file may also hold a budget for the whole account).

Values come from python-hcl2, which gives no positions; hclscan finds where each block and attribute stands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import hcl2
from lark.exceptions import LarkError, UnexpectedInput

from readiness.load.textsafe import visible
from readiness.verify.probes import hclscan
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, judged, nothing

KIND = "terraform-budget"
# Coverage: one file that holds is enough (see run.py); the others' shortfalls stay findings.
COMBINE = "any"
EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"budget_monthly": {"type": "number", "exclusiveMinimum": 0}},
    "additionalProperties": False,
}

_MAX_DEPTH = 64  # nesting past this is refused before the parser, which recurses once per level
_DAYS_A_MONTH = 365 / 12
_AZURE = ("azurerm_consumption_budget_subscription", "azurerm_consumption_budget_resource_group")
_BUDGETS = ("aws_budgets_budget", "google_billing_budget", *_AZURE, "azurerm_consumption_budget_management_group")
# Months in one period of each provider's period names.
_MONTHS = {
    "MONTHLY": 1.0,
    "QUARTERLY": 3.0,
    "ANNUALLY": 12.0,
    "DAILY": 1 / _DAYS_A_MONTH,
    "MONTH": 1.0,
    "QUARTER": 3.0,
    "YEAR": 12.0,
    "Monthly": 1.0,
    "BillingMonth": 1.0,
    "Quarterly": 3.0,
    "BillingQuarter": 3.0,
    "Annually": 12.0,
    "BillingAnnual": 12.0,
    "BillingYear": 12.0,
}
_DECIMAL = re.compile(r"[0-9]{1,30}(?:\.[0-9]{1,30})?")
_SHOWN = 80

Candidate = list[Finding]


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    if not _without_comments(artifact.text):
        return nothing(artifact, "the file holds no Terraform configuration")
    places = hclscan.scan(artifact.text)
    if places.depth > _MAX_DEPTH:
        message = f"cannot be read: nesting is deeper than {_MAX_DEPTH} levels"
        return Report(Outcome.FAILS, (Finding(artifact.path, *places.deepest, message, False),))
    data = _parsed(artifact)
    if isinstance(data, Report):
        return data
    budgets = list(_budgets(data, places.root))
    if not budgets:
        message = "no budget resource (aws_budgets_budget, google_billing_budget, azurerm_consumption_budget_*)"
        return nothing(artifact, message)
    candidates = [_judged(artifact, kind, body, block, expect) for kind, body, block in budgets]
    on_cost = [candidate for candidate in candidates if candidate is not None]
    if not on_cost:
        line, column = budgets[0][2].label_at[0]
        return nothing(artifact, "the budgets here track usage, not cost", line, column)
    for findings in on_cost:
        if all(finding.holds is not False for finding in findings):
            return _outcome(findings)
    return judged(finding for findings in on_cost for finding in findings)


def _outcome(findings: Candidate) -> Report:
    """HOLDS only when every property asked was judged: an unreadable limit leaves the budget unverified."""
    report = judged(findings)
    if report.outcome is Outcome.HOLDS and any(f.holds is None for f in findings):
        return Report(Outcome.NOTHING, report.findings)
    return report


def _without_comments(text: str) -> str:
    return "".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "//"))).strip()


def _parsed(artifact: Artifact) -> dict[str, Any] | Report:
    # python-hcl2 keeps its LALR tables in a lark cache (a pickle) inside its own installed package, written on
    # first use: never a file of the checkout. Building the tables without it costs 2.4 s a process.
    try:
        data = hcl2.loads(artifact.text)
    except UnexpectedInput as error:
        # lark names the token it did not expect; '$END' is the end of the file.
        cut = "$END" in str(error).split("\n", 1)[0]
        message = "the file ends inside a block, a list or a string" if cut else "HCL syntax error here"
        return _broken(artifact, f"cannot be read: {message}", error.line, error.column)
    except (LarkError, RecursionError, ValueError) as error:
        return _broken(artifact, f"cannot be read: {_first_line(error)}", 1, 1)
    return data if isinstance(data, dict) else {}


def _broken(artifact: Artifact, message: str, line: int, column: int) -> Report:
    line, column = (line, column) if line > 0 and column > 0 else (1, 1)
    return Report(Outcome.FAILS, (Finding(artifact.path, line, column, visible(message)[:200], False),))


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _budgets(data: dict[str, Any], root: hclscan.Block) -> Iterator[tuple[str, dict[str, Any], hclscan.Block]]:
    """Each budget resource: its type, its body as python-hcl2 reads it, and its place in the text."""
    blocks = {block.labels[:2]: block for block in root.children("resource") if len(block.labels) >= 2}
    resources = data.get("resource")
    for entry in resources if isinstance(resources, list) else []:
        for kind, named in entry.items() if isinstance(entry, dict) else []:
            for name, body in named.items() if isinstance(named, dict) else []:
                labels = (_unquoted(kind), _unquoted(name))
                if labels[0] in _BUDGETS and isinstance(body, dict) and labels in blocks:
                    yield labels[0], body, blocks[labels]


def _unquoted(value: Any) -> str:
    text = str(value)
    return text[1:-1] if len(text) > 1 and text.startswith('"') and text.endswith('"') else text


def _literal(value: Any) -> str | None:
    """A string literal's text; None for an expression (`${var.x}`) or a string with a template in it."""
    if isinstance(value, str) and len(value) > 1 and value.startswith('"') and value.endswith('"'):
        inner = value[1:-1]
        return None if "${" in inner else inner
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    text = _literal(value) if isinstance(value, str) else None
    if text is not None and _DECIMAL.fullmatch(text):
        return float(text)
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    return None


def _blocks(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    found = body.get(name)
    return [block for block in found if isinstance(block, dict)] if isinstance(found, list) else []


def _finding(artifact: Artifact, place: tuple[int, int], message: str, holds: bool | None) -> Finding:
    return Finding(artifact.path, place[0], place[1], message, holds)


def _judged(
    artifact: Artifact, kind: str, body: dict[str, Any], block: hclscan.Block, expect: Mapping[str, Any]
) -> Candidate | None:
    """The findings on one budget, or None when it is not a budget on cost."""
    if kind == "aws_budgets_budget":
        budget_type = _literal(body.get("budget_type"))
        if budget_type is not None and budget_type != "COST":
            return None
        notified = _aws_notified(artifact, body, block)
        limit = ("limit_amount", _literal(body.get("time_unit")) or "MONTHLY", _literal(body.get("limit_unit")))
    elif kind == "google_billing_budget":
        notified = _google_notified(artifact, body, block)
        limit = _google_limit(body)
    else:
        notified = _azure_notified(artifact, body, block)
        limit = ("amount", _literal(body.get("time_grain")) or "Monthly", None)
    findings = [notified]
    if "budget_monthly" in expect:
        findings.append(_limit(artifact, kind, body, block, limit, expect["budget_monthly"]))
    return findings


def _google_limit(body: dict[str, Any]) -> tuple[str, str, str | None]:
    amount = _blocks(body, "amount")
    specified = _blocks(amount[0], "specified_amount") if amount else []
    unit = _literal(specified[0].get("currency_code")) if specified else None
    filters = _blocks(body, "budget_filter")
    custom = bool(filters and _blocks(filters[0], "custom_period"))
    period = "custom" if custom else (_literal(filters[0].get("calendar_period")) if filters else None) or "MONTH"
    return "amount.specified_amount.units", period, unit


def _limit(
    artifact: Artifact,
    kind: str,
    body: dict[str, Any],
    block: hclscan.Block,
    limit: tuple[str, str, str | None],
    budget: float,
) -> Finding:
    name, period, unit = limit
    value, place = _attribute(body, block, name.split("."))
    resource = f"{kind} '{visible(block.labels[1])[:_SHOWN]}'"
    amount = _number(value)
    months = _MONTHS.get(period)
    if amount is None or months is None:
        what = f"its period is {visible(period)[:_SHOWN]}" if months is None else "the limit is not a literal number"
        return _finding(artifact, place, f"the limit of {resource} cannot be checked: {what}", None)
    monthly = amount / months
    shown = f"{amount:,.0f} {visible(unit or '')[:8]}".strip()
    if months != 1:
        shown += f" per {period.lower()} ({monthly:,.0f} a month)"
    message = f"{resource} has a limit of {shown}, target at most {budget:,} a month (the assessment's budget)"
    return _finding(artifact, place, message, monthly <= budget)


def _attribute(body: dict[str, Any], block: hclscan.Block, names: list[str]) -> tuple[Any, tuple[int, int]]:
    """An attribute's value through nested blocks (`amount.specified_amount.units`) and its place, or None and
    the innermost block's place when it is absent."""
    value: Any = body
    place = block.label_at[0]
    for depth, name in enumerate(names):
        if depth < len(names) - 1:
            inner = _blocks(value, name) if isinstance(value, dict) else []
            children = block.children(name)
            if not inner or not children:
                return None, place
            value, block, place = inner[0], children[0], children[0].at
        else:
            found = value.get(name) if isinstance(value, dict) else None
            return found, block.attributes.get(name, place)
    return None, place


def _recipients(value: Any) -> bool:
    """A list with an entry, or an expression (a variable or a reference) that Terraform fills in."""
    return (isinstance(value, list) and bool(value)) or (isinstance(value, str) and value.startswith("${"))


def _aws_notified(artifact: Artifact, body: dict[str, Any], block: hclscan.Block) -> Finding:
    blocks = _blocks(body, "notification")
    reaching = [
        index
        for index, notification in enumerate(blocks)
        if _recipients(notification.get("subscriber_email_addresses"))
        or _recipients(notification.get("subscriber_sns_topic_arns"))
    ]
    if generated := _dynamic(block, "notification"):
        return _finding(artifact, generated[0].at, _DYNAMIC, True)
    return _notified(artifact, block, "notification", reaching, "no notification block with a subscriber")


def _google_notified(artifact: Artifact, body: dict[str, Any], block: hclscan.Block) -> Finding:
    rules = _blocks(body, "threshold_rules")
    updates = _blocks(body, "all_updates_rule")
    rule = updates[0] if updates else {}
    channels = _recipients(rule.get("monitoring_notification_channels")) or bool(_literal(rule.get("pubsub_topic")))
    channels = channels or str(rule.get("pubsub_topic", "")).startswith("${")
    if rules and rule.get("disable_default_iam_recipients") is True and not channels:
        place = block.children("all_updates_rule")[0].attributes.get("disable_default_iam_recipients", block.at)
        message = "threshold rules alert nobody: default recipients are disabled and no channel or topic is set"
        return _finding(artifact, place, message, False)
    return _notified(artifact, block, "threshold_rules", list(range(len(rules))), "no threshold_rules block")


def _azure_notified(artifact: Artifact, body: dict[str, Any], block: hclscan.Block) -> Finding:
    blocks = _blocks(body, "notification")
    reaching = [
        index
        for index, notification in enumerate(blocks)
        if notification.get("enabled") is not False
        and any(_recipients(notification.get(key)) for key in ("contact_emails", "contact_groups", "contact_roles"))
    ]
    if blocks and not reaching and all(notification.get("enabled") is False for notification in blocks):
        children = block.children("notification")
        place = children[0].attributes.get("enabled", children[0].at) if children else block.at
        return _finding(artifact, place, f"all {len(blocks)} notification blocks say enabled = false", False)
    if generated := _dynamic(block, "notification"):
        return _finding(artifact, generated[0].at, _DYNAMIC, True)
    return _notified(artifact, block, "notification", reaching, "no enabled notification block with a contact")


_DYNAMIC = "notifications come from a dynamic block: who they reach is decided when Terraform runs"


def _dynamic(block: hclscan.Block, name: str) -> list[hclscan.Block]:
    """The `dynamic "<name>"` blocks that generate notification blocks from a collection."""
    return [child for child in block.children("dynamic") if child.labels[:1] == (name,)]


def _notified(artifact: Artifact, block: hclscan.Block, name: str, reaching: list[int], missing: str) -> Finding:
    children = block.children(name)
    resource = f"budget '{visible(block.labels[1])[:_SHOWN]}'"
    if reaching and reaching[0] < len(children):
        count = f"{len(reaching)} {name} block{'' if len(reaching) == 1 else 's'}"
        return _finding(artifact, children[reaching[0]].at, f"{resource} notifies someone through {count}", True)
    return _finding(artifact, block.label_at[0], f"{resource} tells nobody when it is crossed: {missing}", False)
