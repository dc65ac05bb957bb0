"""The budgets-as-code probe on real Terraform files (tests/artifacts/terraform-budget/: AWS, Google and Azure
budgets) and on hostile HCL."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.verify.probes import hclread, terraform
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import artifact, expected

TARGETS, FILES = expected("terraform-budget")
EXPECT = {"budget_monthly": TARGETS["budget_monthly"]}
# The fact whose `where` a finding points at -> the property that finding judges.
PROPERTY_OF = {
    "limit": "limit_within_budget",
    "notifications": "notifications",
    "disabled_notifications": "notifications",
    "disable_default_iam_recipients": "notifications",
}
AWS = """resource "aws_budgets_budget" "llm" {
  budget_type  = "COST"
  limit_amount = LIMIT
  limit_unit   = "USD"
  time_unit    = "PERIOD"

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = ["finops@example.com"]
  }
}
"""


def judge(text: str, expect: dict[str, Any] | None = None) -> Report:
    return terraform.probe(Artifact("budgets.tf", text), EXPECT if expect is None else expect)


def aws(limit: str = '"6000"', period: str = "MONTHLY") -> str:
    return AWS.replace("LIMIT", limit).replace("PERIOD", period)


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_probe_says_what_the_budget_says(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = terraform.probe(artifact("terraform-budget", name), EXPECT)
    if entry["outcome"] == "broken":
        assert report.outcome is Outcome.FAILS
        assert [(f.line, f.column) for f in report.findings] == [tuple(entry["where"]["error"])]
        return
    assert report.outcome.value == entry["outcome"], report
    failing = set(entry.get("fails", []))
    unjudged = set(entry.get("unjudged", []))
    by_place = {(f.line, f.column): f for f in report.findings}
    for fact, (line, column) in entry.get("where", {}).items():
        if fact not in PROPERTY_OF or (report.outcome is Outcome.NOTHING and not unjudged):
            continue
        finding = by_place.get((line, column))
        assert finding is not None, f"no finding at {line}:{column} for {fact}: {report.findings}"
        prop = PROPERTY_OF[fact]
        assert finding.holds is (None if prop in unjudged else prop not in failing), finding


def test_the_resource_labels_are_where_the_reader_says() -> None:
    for name, entry in FILES.items():
        if "resource_type" not in entry.get("where", {}) or entry["outcome"] == "broken":
            continue
        root = hclread.read(artifact("terraform-budget", name).text)
        assert isinstance(root, hclread.Block), root
        places = [block.label_at[0] for block in root.children("resource")]
        assert tuple(entry["where"]["resource_type"]) in places, name


def test_a_limit_from_a_variable_holds_when_no_budget_is_asked() -> None:
    report = terraform.probe(artifact("terraform-budget", "odd-limit-from-variable.tf"), {})
    assert report.outcome is Outcome.HOLDS


def test_a_cloudwatch_billing_alarm_is_not_a_budget() -> None:
    report = terraform.probe(artifact("terraform-budget", "not-this-format-budget-alarm.tf"), EXPECT)
    assert report.outcome is Outcome.NOTHING


@pytest.mark.parametrize(
    ("limit", "period", "holds"),
    [
        ('"6000"', "MONTHLY", True),  # exactly the target
        ('"6000.01"', "MONTHLY", False),
        ("6000", "MONTHLY", True),  # a number where the provider documents a string
        ('"18000"', "QUARTERLY", True),  # 6,000 a month
        ('"72001"', "ANNUALLY", False),
        ('"197"', "DAILY", True),  # 5,992 a month
        ('"198"', "DAILY", False),  # 6,023 a month
    ],
)
def test_the_limit_is_compared_as_a_monthly_figure(limit: str, period: str, holds: bool) -> None:
    report = judge(aws(limit, period))
    assert report.outcome is (Outcome.HOLDS if holds else Outcome.FAILS), report
    assert [f.line for f in report.findings if f.holds is not True] == ([] if holds else [3])


@pytest.mark.parametrize("limit", ["var.limit", '"${var.limit}"', "tostring(local.limit)", '"1e999"', "1" + "0" * 400])
def test_a_limit_that_cannot_be_read_is_said_and_not_verified(limit: str) -> None:
    report = judge(aws(limit))
    assert report.outcome is Outcome.NOTHING
    assert [(f.line, f.column, f.holds) for f in report.findings if f.holds is None] == [(3, 18, None)]


def test_a_limit_from_a_variable_is_named_in_the_finding() -> None:
    report = terraform.probe(artifact("terraform-budget", "odd-limit-from-variable.tf"), EXPECT)
    [unjudged] = [f for f in report.findings if f.holds is None]
    assert "var.monthly_llm_budget" in unjudged.message


@pytest.mark.parametrize(
    ("limit", "holds"),
    [
        (r'"\u0036000"', True),  # "6000" written with an escape, as Terraform reads it
        ('"6000"\n  # limit_amount = "60000"', True),  # a commented-out line is no limit
        ('"6000"\n  /* } */', True),
        ("<<EOT\n6001\nEOT", None),  # a heredoc ends with its line break: no number to judge
        ('"${"6000"}"', None),  # a template: known when Terraform runs
    ],
)
def test_the_limit_is_read_as_terraform_reads_it(limit: str, holds: bool | None) -> None:
    [finding] = [f for f in judge(aws(limit)).findings if f.line == 3]
    assert finding.holds is holds, finding


def test_a_second_limit_in_the_same_budget_breaks_the_file() -> None:
    # Terraform refuses an argument set twice; a reader keeping either one would judge a budget nobody applies.
    report = judge(aws('"6000"').replace("  limit_unit", '  limit_amount = "60000"\n  limit_unit'))
    assert report.outcome is Outcome.FAILS
    assert [(f.line, f.column) for f in report.findings] == [(4, 3)]
    assert "limit_amount is set a second time in this block (first at 3:18)" in report.findings[0].message


def test_a_file_of_comments_only_holds_no_configuration() -> None:
    report = judge("/* budgets.tf: moved to the finops repository\nresource {\n*/\n# nothing here\n")
    assert report.outcome is Outcome.NOTHING
    assert report.findings[0].message == "the file holds no Terraform configuration"


def test_one_budget_that_meets_both_is_enough() -> None:
    account = aws('"50000"').replace('"llm"', '"account"')
    report = judge(account + aws())
    assert report.outcome is Outcome.HOLDS
    assert all(f.line > 15 for f in report.findings)


def test_notifications_from_a_dynamic_block_count() -> None:
    text = """resource "aws_budgets_budget" "llm" {
  budget_type  = "COST"
  limit_amount = "5000"
  time_unit    = "MONTHLY"
  dynamic "notification" {
    for_each = var.thresholds
    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value
      threshold_type             = "PERCENTAGE"
      notification_type          = "ACTUAL"
      subscriber_email_addresses = var.emails
    }
  }
}
"""
    report = judge(text)
    assert report.outcome is Outcome.HOLDS
    assert (report.findings[0].line, report.findings[0].column) == (5, 3)


def test_braces_in_strings_comments_and_heredocs_do_not_move_the_places() -> None:
    text = """# a { that is not a block
locals {
  note = "} ${jsonencode({a = "}"})} $${not_a_template}"
  doc  = <<-EOT
    resource "aws_budgets_budget" "fake" {
  EOT
}
/* } */
""" + aws('"7000"')
    report = judge(text)
    assert report.outcome is Outcome.FAILS
    assert [(f.line, f.column, f.holds) for f in report.findings] == [(15, 3, True), (11, 18, False)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment\n// and another\n",
        'terraform {\n  required_version = ">= 1.6"\n}\n',
        'variable "budget" {\n  default = 6000\n}\n',
        "just some words that are not HCL at all\n",
        '{"resource": {"aws_budgets_budget": {"x": {"limit_amount": "6000"}}}}\n',  # Terraform JSON syntax
    ],
)
def test_files_without_a_budget_earn_nothing_or_fail_to_parse(text: str) -> None:
    assert judge(text).outcome in (Outcome.NOTHING, Outcome.FAILS)
    assert not any(f.holds for f in judge(text).findings)


def test_hostile_files_give_a_finding() -> None:
    hostile = [
        "a = " + "[" * 3_000 + "]" * 3_000 + "\n",
        'resource "a" "b" {\n' * 2_000 + "}" * 2_000,
        "x = {" * 1_000 + "}" * 1_000,
        'x = "' + "a" * 1_000_000 + '"\n' + aws(),
        'x = "' + "${" * 50_000 + "\n" + aws(),
        "x = <<EOT\n" + "line\n" * 100_000,
        aws().replace("finops@example.com", "\x1b[31mred\x1b[0m"),
        aws().replace('"llm"', '"\\u001b[2J"'),
        "\x00\x01\x02",
        aws('"' + "9" * 40 + '"'),
    ]
    for text in hostile:
        report = judge(text)
        assert report.findings
        assert all("\x1b" not in f.message and "\x00" not in f.message for f in report.findings)
