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

hclread reads the file: every block, label and literal value with its place. A file that is not HCL fails at
the place the reader stopped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from readiness.load.textsafe import visible
from readiness.verify.probes import hclread
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, judged, nothing
from readiness.verify.probes.hclread import Block, Expression, Value

KIND = "terraform-budget"
# Coverage: one file that holds is enough (see run.py); the others' shortfalls stay findings.
COMBINE = "any"
EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"budget_monthly": {"type": "number", "exclusiveMinimum": 0}},
    "additionalProperties": False,
}

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
    root = hclread.read(artifact.text)
    if isinstance(root, hclread.Broken):
        message = f"cannot be read: {root.message}"
        return Report(Outcome.FAILS, (Finding(artifact.path, root.line, root.column, visible(message)[:200], False),))
    if not root.attributes and not root.blocks:
        return nothing(artifact, "the file holds no Terraform configuration")
    budgets = [block for block in root.children("resource") if len(block.labels) >= 2 and block.labels[0] in _BUDGETS]
    if budgets and not any(block.attributes or block.blocks for block in budgets):
        line, column = budgets[0].label_at[0]
        return nothing(artifact, "the budget resources here are empty: nothing to judge", line, column)
    budgets = [block for block in budgets if block.attributes or block.blocks]
    if not budgets:
        message = "no budget resource (aws_budgets_budget, google_billing_budget, azurerm_consumption_budget_*)"
        return nothing(artifact, message)
    candidates = [_judged(artifact, block, expect) for block in budgets]
    on_cost = [candidate for candidate in candidates if candidate is not None]
    if not on_cost:
        line, column = budgets[0].label_at[0]
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


def _literal(value: Value) -> str | None:
    """A string literal's text; None for anything else (an expression, a number, a list)."""
    return value if isinstance(value, str) else None


def _number(value: Value) -> float | None:
    """A literal number, or a string of decimal digits (AWS and Google write amounts as strings)."""
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return float(value)
    if isinstance(value, Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _finding(artifact: Artifact, place: tuple[int, int], message: str, holds: bool | None) -> Finding:
    return Finding(artifact.path, place[0], place[1], message, holds)


def _judged(artifact: Artifact, block: Block, expect: Mapping[str, Any]) -> Candidate | None:
    """The findings on one budget, or None when it is not a budget on cost."""
    kind = block.labels[0]
    if kind == "aws_budgets_budget":
        budget_type = _literal(block.value("budget_type"))
        if budget_type is not None and budget_type != "COST":
            return None
        notified = _aws_notified(artifact, block)
        period = _literal(block.value("time_unit")) or "MONTHLY"
        limit = ("limit_amount", period, _literal(block.value("limit_unit")))
    elif kind == "google_billing_budget":
        notified = _google_notified(artifact, block)
        limit = _google_limit(block)
    else:
        notified = _azure_notified(artifact, block)
        limit = ("amount", _literal(block.value("time_grain")) or "Monthly", None)
    findings = [notified]
    if "budget_monthly" in expect:
        findings.append(_limit(artifact, block, limit, expect["budget_monthly"]))
    return findings


def _first(block: Block | None, name: str) -> Block | None:
    found = block.children(name) if block is not None else []
    return found[0] if found else None


def _google_limit(block: Block) -> tuple[str, str, str | None]:
    specified = _first(_first(block, "amount"), "specified_amount")
    unit = _literal(specified.value("currency_code")) if specified else None
    budget_filter = _first(block, "budget_filter")
    if budget_filter is None:
        period = "MONTH"
    elif _first(budget_filter, "custom_period") is not None:
        period = "custom"
    else:
        period = _literal(budget_filter.value("calendar_period")) or "MONTH"
    return "amount.specified_amount.units", period, unit


def _limit(artifact: Artifact, block: Block, limit: tuple[str, str, str | None], budget: float) -> Finding:
    name, period, unit = limit
    value, place = _attribute(block, name.split("."))
    resource = f"{block.labels[0]} '{visible(block.labels[1])[:_SHOWN]}'"
    amount = _number(value)
    months = _MONTHS.get(period)
    if amount is None or months is None:
        what = f"its period is {visible(period)[:_SHOWN]}" if months is None else _unreadable(name, value)
        return _finding(artifact, place, f"the limit of {resource} cannot be checked: {what}", None)
    monthly = amount / months
    shown = f"{amount:,.0f} {visible(unit or '')[:8]}".strip()
    if months != 1:
        shown += f" per {period.lower()} ({monthly:,.0f} a month)"
    message = f"{resource} has a limit of {shown}, target at most {budget:,} a month (the assessment's budget)"
    return _finding(artifact, place, message, monthly <= budget)


def _unreadable(name: str, value: Value) -> str:
    if value is None:
        return f"no {name} is set"
    if isinstance(value, Expression):
        return f"it is {visible(value.text)[:_SHOWN]}, known only when Terraform runs"
    return "the limit is not a literal number"


def _attribute(block: Block, names: list[str]) -> tuple[Value, tuple[int, int]]:
    """An attribute's value through nested blocks (`amount.specified_amount.units`) and its place, or None and
    the innermost block's place when it is absent."""
    place = block.label_at[0]
    for name in names[:-1]:
        inner = _first(block, name)
        if inner is None:
            return None, place
        block, place = inner, inner.at
    attribute = block.attributes.get(names[-1])
    return (None, place) if attribute is None else (attribute.value, attribute.at)


def _recipients(value: Value) -> bool:
    """A list with an entry, or an expression (a variable or a reference) that Terraform fills in."""
    return (isinstance(value, tuple) and bool(value)) or isinstance(value, Expression)


def _aws_notified(artifact: Artifact, block: Block) -> Finding:
    reaching = [
        notification
        for notification in block.children("notification")
        if _recipients(notification.value("subscriber_email_addresses"))
        or _recipients(notification.value("subscriber_sns_topic_arns"))
    ]
    if generated := _dynamic(block, "notification"):
        return _finding(artifact, generated[0].at, _DYNAMIC, True)
    return _notified(artifact, block, "notification", reaching, "no notification block with a subscriber")


def _google_notified(artifact: Artifact, block: Block) -> Finding:
    rules = block.children("threshold_rules")
    rule = _first(block, "all_updates_rule")
    if rule is not None and rules and rule.value("disable_default_iam_recipients") is True:
        topic = rule.value("pubsub_topic")
        channels = _recipients(rule.value("monitoring_notification_channels"))
        if not (channels or bool(_literal(topic)) or isinstance(topic, Expression)):
            place = rule.attributes["disable_default_iam_recipients"].at
            message = "threshold rules alert nobody: default recipients are disabled and no channel or topic is set"
            return _finding(artifact, place, message, False)
    return _notified(artifact, block, "threshold_rules", rules, "no threshold_rules block")


def _azure_notified(artifact: Artifact, block: Block) -> Finding:
    notifications = block.children("notification")
    contacts = ("contact_emails", "contact_groups", "contact_roles")
    reaching = [
        notification
        for notification in notifications
        if notification.value("enabled") is not False and any(_recipients(notification.value(key)) for key in contacts)
    ]
    if notifications and all(notification.value("enabled") is False for notification in notifications):
        place = notifications[0].attributes["enabled"].at
        return _finding(artifact, place, f"all {len(notifications)} notification blocks say enabled = false", False)
    if generated := _dynamic(block, "notification"):
        return _finding(artifact, generated[0].at, _DYNAMIC, True)
    return _notified(artifact, block, "notification", reaching, "no enabled notification block with a contact")


_DYNAMIC = "notifications come from a dynamic block: who they reach is decided when Terraform runs"


def _dynamic(block: Block, name: str) -> list[Block]:
    """The `dynamic "<name>"` blocks that generate notification blocks from a collection."""
    return [child for child in block.children("dynamic") if child.labels[:1] == (name,)]


def _notified(artifact: Artifact, block: Block, name: str, reaching: list[Block], missing: str) -> Finding:
    resource = f"budget '{visible(block.labels[1])[:_SHOWN]}'"
    if reaching:
        count = f"{len(reaching)} {name} block{'' if len(reaching) == 1 else 's'}"
        return _finding(artifact, reaching[0].at, f"{resource} notifies someone through {count}", True)
    return _finding(artifact, block.label_at[0], f"{resource} tells nobody when it is crossed: {missing}", False)
