"""The cost projection (DESIGN §3.4) against numbers worked out by hand here, and `readiness cost`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from fractions import Fraction

import pytest

from readiness.core.model import ItemResult, Result
from readiness.load.diagnostics import InputError
from readiness.score.engine import evaluate
from readiness.score.scoring import Options
from tests.conftest import Project, Run

TODAY = date(2026, 11, 21)
D = 365 / 12  # days in a month

# DOMAIN.md's worked example: 2,000 requests a day growing 30 % a month, 1,500 input and 300 output tokens
# at $3 / $15 per million, 60 % of input tokens from the cache at a tenth of the price.
WORKED = """\
cost:
  requests_per_day: 2000
  monthly_growth: 0.3
  tokens: {input: 1500, output: 300}
  price_per_million: {input: 3.0, output: 15.0, cached_input: 0.3}
  cache_hit_rate: 0.6
"""


def result_of(made: Project) -> Result:
    return evaluate(made.file, Options(today=TODAY)).result


def budget_item(result: Result) -> ItemResult:
    return next(r for r in result.items if r.item.id == "ops.budget")


def test_the_worked_example_month_by_month(project: Callable[..., Project]) -> None:
    projection = result_of(project(WORKED)).cost
    assert projection is not None
    unit = (1500 * 0.4 * 3.0 + 1500 * 0.6 * 0.3 + 300 * 15.0) / 1e6
    assert unit == pytest.approx(0.00657)
    expected = [2000 * 1.3 ** (k - 1) * D * unit for k in (1, 2, 3)]
    assert [round(m, 2) for m in expected] == [399.68, 519.58, 675.45]  # "roughly $400, $520, $675"
    assert [float(m.total) for m in projection.expected.months] == pytest.approx(expected)
    assert float(projection.expected.total) == pytest.approx(sum(expected))
    # Worst case: token prices times the default volatility of 3.
    assert [float(m.total) for m in projection.worst.months] == pytest.approx([3 * m for m in expected])
    assert projection.verdict == "no-budget"


def test_overhead_fixed_costs_horizon_and_default_cached_price(project: Callable[..., Project]) -> None:
    body = """\
cost:
  horizon_months: 2
  requests_per_day: 1000
  tokens: {input: 1000, output: 100}
  price_per_million: {input: 2.0, output: 10.0}
  cache_hit_rate: 0.5
  overhead: 0.1
  fixed_monthly: 500
  volatility: 2
"""
    projection = result_of(project(body)).cost
    assert projection is not None
    # Cached input is charged at the input price when no cached price is given: 1000*2 + 100*10 = 3000.
    unit = (1000 * 0.5 * 2.0 + 1000 * 0.5 * 2.0 + 100 * 10.0) / 1e6
    month = 1000 * D * 1.1 * unit + 500
    assert [float(m.total) for m in projection.expected.months] == pytest.approx([month, month])
    # Fixed costs do not move with prices.
    assert float(projection.worst.months[0].total) == pytest.approx(1000 * D * 1.1 * unit * 2 + 500)
    assert projection.horizon == 2


def test_self_hosted_gpu_hours_floor_and_load(project: Callable[..., Project]) -> None:
    body = """\
cost:
  horizon_months: 2
  requests_per_day: 100000
  monthly_growth: 1.0
  tokens: {input: 500, output: 400}
  gpu: {hourly_rate: 4.0, tokens_per_second: 1000, target_utilization: 0.5, min_replicas: 1}
  budget_monthly: 10000
"""
    projection = result_of(project(body)).cost
    assert projection is not None
    floor = 1 * 24 * D  # one replica around the clock: 730 hours
    load = [100000 * 2 ** (k - 1) * D * 400 / (1000 * 3600 * 0.5) for k in (1, 2)]  # 676 and 1,352 hours
    hours = [max(floor, h) for h in load]
    assert hours[0] == floor and hours[1] == load[1]
    assert [float(m.gpu_hours) for m in projection.expected.months] == pytest.approx(hours)
    assert [float(m.total) for m in projection.expected.months] == pytest.approx([h * 4.0 for h in hours])
    assert [float(m.total) for m in projection.worst.months] == pytest.approx([h * 12.0 for h in hours])
    # No token price is needed for a model that is served on the team's own GPUs.
    assert projection.expected.unit_cost == 0
    assert projection.verdict == "over-worst-case"


@pytest.mark.parametrize(
    ("budget", "verdict", "auto_passes", "warned"),
    [
        (700, "over-worst-case", True, True),  # expected peak 675.45 fits; worst case 1,199.03 in month 1 does not
        (2100, "within", True, False),
        (600, "over", False, False),  # month 3 passes 600 as expected
    ],
)
def test_budget_verdict_drives_auto_cost(
    project: Callable[..., Project], budget: int, verdict: str, auto_passes: bool, warned: bool
) -> None:
    result = result_of(project(WORKED + f"  budget_monthly: {budget}\n"))
    assert result.cost is not None and result.cost.verdict == verdict
    item = budget_item(result)
    assert item.auto is not None and item.auto.passed is auto_passes
    assert (item.outcome.value, item.credit) == (("met", 1) if auto_passes else ("gap", 0))
    assert any("worst case" in warning for warning in result.warnings) is warned


def test_auto_cost_fails_without_a_cost_model_or_a_budget(project: Callable[..., Project]) -> None:
    item = budget_item(result_of(project("answers:\n  ops.budget: {status: done}\n")))
    assert item.unverified_reasons == ("automated check fails: no cost model in readiness.yaml (add a 'cost' section)",)
    detail = budget_item(result_of(project(WORKED))).auto
    assert detail is not None and detail.detail == "the cost model has no budget_monthly to check against"


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        ("  monthly_growth: -0.1\n", 8, "$.cost.monthly_growth: must be at least 0, got -0.1"),
        ("  cache_hit_rate: 1.2\n", 8, "$.cost.cache_hit_rate: must be at most 1, got 1.2"),
    ],
)
def test_bad_numbers_are_errors_at_their_line(
    project: Callable[..., Project], change: str, line: int, message: str
) -> None:
    body = WORKED.replace("  monthly_growth: 0.3\n", "").replace("  cache_hit_rate: 0.6\n", "") + change
    made = project(body)
    with pytest.raises(InputError) as caught:
        evaluate(made.file, Options(today=TODAY))
    formatted = [d.format() for d in caught.value.diagnostics]
    assert len(formatted) == 1
    assert formatted[0].startswith(f"{made.file}:{line}:")
    assert message in formatted[0]


def test_a_zero_or_missing_price_is_an_error(project: Callable[..., Project]) -> None:
    zero = project(WORKED.replace("input: 3.0,", "input: 0,"))
    with pytest.raises(InputError) as caught:
        evaluate(zero.file, Options(today=TODAY))
    assert [d.line for d in caught.value.diagnostics] == [8]
    assert "$.cost.price_per_million.input" in caught.value.diagnostics[0].format()
    missing = project(WORKED.replace("  price_per_million: {input: 3.0, output: 15.0, cached_input: 0.3}\n", ""))
    with pytest.raises(InputError) as caught:
        evaluate(missing.file, Options(today=TODAY))
    assert caught.value.diagnostics[0].format() == (
        f"{missing.file}:5:3: error: $.cost: missing required key 'price_per_million'"
    )


def test_cost_command_prints_a_table_with_the_budget_line(
    project: Callable[..., Project], cli: Callable[..., Run]
) -> None:
    made = project(WORKED + "  budget_monthly: 600\n")
    run = cli("cost", made.file)
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[0] == "P — cost projection over 3 months (USD)"
    assert "1         60,833     399.68   1,199.03 !     600.00" in lines
    assert "3        102,808   675.45 !   2,026.35 !     600.00" in lines
    assert "Over budget: the expected cost passes 600.00 USD a month in month 3." in lines
    assert all(len(line) <= 80 for line in lines)
    data = json.loads(cli("cost", made.file, "-f", "json").out)
    assert [m["total"] for m in data["expected"]["months"]] == [399.68, 519.58, 675.45]
    assert data["verdict"] == "over" and data["expected"]["over_budget"] == [3]


def test_cost_command_without_a_cost_section(project: Callable[..., Project], cli: Callable[..., Run]) -> None:
    made = project("team: {ann: {name: Ann}}\n")
    run = cli("cost", made.file)
    assert run.code == 2
    assert run.err == (
        f"{made.file}: error: $: no cost model yet: add a 'cost:' section with your requests a day, tokens and "
        "prices (the starter 'readiness init' writes has one to uncomment), or let 'readiness assess' ask for them\n"
    )


def test_money_rounds_half_up_to_cents() -> None:
    from readiness.verify.cost import money

    assert money(Fraction(1234565, 1000)) == "1,234.57"
    assert money(Fraction(1234564, 1000)) == "1,234.56"
    assert money(Fraction(0)) == "0.00"


def test_numbers_at_the_schemas_ceilings_keep_every_digit_within_the_width(
    project: Callable[..., Project], cli: Callable[..., Run]
) -> None:
    ceilings = """\
cost:
  requests_per_day: 1000000000000
  monthly_growth: 10
  horizon_months: 60
  tokens: {input: 100000000, output: 100000000}
  price_per_million: {input: 1000000, output: 1000000}
  budget_monthly: 1000000000000
  volatility: 100
"""
    made = project(ceilings)
    run = cli("cost", made.file)
    assert run.code == 0 and "Traceback" not in run.err
    assert "…" not in run.out  # a number cut short would be a wrong number
    assert all(len(line) <= 80 for line in run.out.splitlines())
    first = run.out.split("─\n", 1)[1].splitlines()[0]
    assert first.split()[1] == "30,416,666,666,6"  # month 1's requests, its last digits on the next line
