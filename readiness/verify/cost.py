"""The cost projection of DESIGN §3.4, month by month, in exact fractions.

Month k (1..horizon) serves requests_per_day * (1+growth)^(k-1) * D * (1+overhead) requests, D = 365/12.
The worst case multiplies token and GPU prices by the volatility; fixed costs do not move with prices.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from readiness.core.model import CostMonth, CostProjection, CostScenario

DAYS_PER_MONTH = Fraction(365, 12)
MILLION = 1_000_000
SECONDS_PER_HOUR = 3600
DEFAULT_HORIZON = 3
DEFAULT_VOLATILITY = Fraction(3)


def _exact(value: Any, default: Fraction | int = 0) -> Fraction:
    """A number from YAML as the user meant it: 0.1 is one tenth, not the nearest binary float."""
    return Fraction(str(value)) if value is not None else Fraction(default)


def project(cost: Mapping[str, Any]) -> CostProjection:
    """The projection of a `cost` section that passed the assessment schema."""
    horizon = int(cost.get("horizon_months", DEFAULT_HORIZON))
    volatility = _exact(cost.get("volatility"), DEFAULT_VOLATILITY)
    budget = _exact(cost["budget_monthly"]) if "budget_monthly" in cost else None
    scenarios = [
        _scenario(name, cost, horizon, factor, budget) for name, factor in (("expected", 1), ("worst", volatility))
    ]
    return CostProjection(
        horizon=horizon,
        currency=str(cost.get("currency", "USD")),
        budget=budget,
        volatility=volatility,
        expected=scenarios[0],
        worst=scenarios[1],
    )


def unit_cost(cost: Mapping[str, Any], factor: Fraction | int = 1) -> Fraction:
    """Token cost of one request; prices times `factor`."""
    prices = cost.get("price_per_million", {})
    tokens = cost["tokens"]
    price_in = _exact(prices.get("input"))
    price_cached = _exact(prices["cached_input"]) if "cached_input" in prices else price_in
    price_out = _exact(prices.get("output"))
    hit = _exact(cost.get("cache_hit_rate"))
    tokens_in, tokens_out = _exact(tokens["input"]), _exact(tokens["output"])
    per_request = tokens_in * (1 - hit) * price_in + tokens_in * hit * price_cached + tokens_out * price_out
    return per_request * factor / MILLION


def _scenario(
    name: str, cost: Mapping[str, Any], horizon: int, factor: Fraction | int, budget: Fraction | None
) -> CostScenario:
    per_request = unit_cost(cost, factor)
    daily = _exact(cost["requests_per_day"])
    growth = _exact(cost.get("monthly_growth"))
    overhead = _exact(cost.get("overhead"))
    fixed = _exact(cost.get("fixed_monthly"))
    gpu = cost.get("gpu")
    output_tokens = _exact(cost["tokens"]["output"])
    months = []
    for k in range(1, horizon + 1):
        requests = daily * (1 + growth) ** (k - 1) * DAYS_PER_MONTH * (1 + overhead)
        token_cost = requests * per_request
        gpu_hours = Fraction(0)
        gpu_cost = Fraction(0)
        if gpu is not None:
            replicas = int(gpu.get("min_replicas", 1))
            throughput = _exact(gpu["tokens_per_second"]) * SECONDS_PER_HOUR * _exact(gpu.get("target_utilization"), 1)
            gpu_hours = max(replicas * 24 * DAYS_PER_MONTH, requests * output_tokens / throughput)
            gpu_cost = gpu_hours * _exact(gpu["hourly_rate"]) * factor
        total = token_cost + gpu_cost + fixed
        months.append(CostMonth(k, requests, token_cost, gpu_hours, gpu_cost, fixed, total))
    over = tuple(m.month for m in months if budget is not None and m.total > budget)
    return CostScenario(
        name=name,
        unit_cost=per_request,
        months=tuple(months),
        total=sum((m.total for m in months), Fraction(0)),
        over_budget=over,
    )


def money(value: Fraction) -> str:
    """Two decimals with thousands separators, rounded half up: 12,345.68."""
    cents = (value * 100).numerator * 2 // (value * 100).denominator
    cents = (cents + 1) // 2
    return f"{cents // 100:,}.{cents % 100:02d}"


def budget_sentence(projection: CostProjection) -> str:
    """The budget verdict in words, for the terminal and the reports."""
    budget = projection.budget
    if budget is None:
        return "No monthly budget is set (cost.budget_monthly), so nothing is checked against one."
    limit = f"{money(budget)} {projection.currency} a month"
    expected, worst = projection.expected.over_budget, projection.worst.over_budget
    if expected:
        return f"Over budget: the expected cost passes {limit} in {_months(expected)}."
    if worst:
        return (
            f"Within {limit} as expected, but the worst case (prices times {multiplier(projection.volatility)}) "
            f"passes it in {_months(worst)}."
        )
    return f"Within {limit} in every month, even in the worst case."


def _months(months: tuple[int, ...]) -> str:
    if len(months) == 1:
        return f"month {months[0]}"
    return "months " + ", ".join(str(m) for m in months[:-1]) + f" and {months[-1]}"


def multiplier(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"
