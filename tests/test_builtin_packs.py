"""The built-in packs: the tool trusts them at run time, so the suite checks them, and what they cover."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from readiness.core.catalog import BUILTIN_ORDER, builtin_files, load_catalog, read_pack
from readiness.core.model import Stage
from readiness.load import schemas
from readiness.load.yamlsource import read_document

PACKS = builtin_files()
CATALOG = load_catalog()
REFS = {ref for item in CATALOG.items for ref in item.refs}


def test_the_eight_packs_ship_in_order() -> None:
    assert [path.stem for path in PACKS] == list(BUILTIN_ORDER)


@pytest.mark.parametrize("path", PACKS, ids=[p.stem for p in PACKS])
def test_pack_is_valid_against_the_checklist_schema(path: Path) -> None:
    document = read_document(path)
    assert [d.format() for d in schemas.validate(document, "checklist")] == []
    pack_file, problems = read_pack(path)
    assert pack_file is not None and problems == []
    assert pack_file.pack.id == path.stem, "a built-in pack's file is named after its id"
    assert 8 <= len(pack_file.pack.items) <= 15


def test_item_ids_and_questions_are_unique() -> None:
    ids = [item.id for item in CATALOG.items]
    questions = [" ".join(item.question.lower().split()) for item in CATALOG.items]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert [q for q, n in Counter(questions).items() if n > 1] == []


def test_every_item_is_a_yes_no_question_with_refs() -> None:
    for item in CATALOG.items:
        assert item.question.endswith("?"), item.id
        assert item.refs, item.id
        assert item.activity is None or item.activity in {a.id for a in CATALOG.known_activities}, item.id


def test_ownership_defines_the_raci_activities_and_checks_them() -> None:
    ownership = next(pack for pack in CATALOG.packs if pack.id == "ownership")
    assert len(ownership.activities) >= 10
    complete = CATALOG.item("ownership.raci-complete")
    assert complete is not None and complete.auto is not None
    assert set(complete.auto.raci) == {activity.id for activity in ownership.activities}
    assert sum(1 for item in ownership.items if item.auto and item.auto.raci) >= 5


def test_automated_checks_where_a_file_or_the_cost_model_proves_the_item() -> None:
    forecast = CATALOG.item("cost.forecast")
    assert forecast is not None and forecast.auto is not None and forecast.auto.cost == "within_budget"
    with_files = [item.id for item in CATALOG.items if item.auto and item.auto.files]
    for expected in ("ownership.on-call", "compliance.model-card", "evaluation.golden-set", "cost.load-test"):
        assert expected in with_files
    assert "observability.burn-rate-alerts" in with_files


def _numbers(pattern: str) -> set[str]:
    return {match.group(1) for ref in REFS if (match := re.fullmatch(pattern, ref))}


def test_owasp_llm_2025_all_ten() -> None:
    assert _numbers(r"OWASP (LLM\d\d):2025") == {f"LLM{n:02d}" for n in range(1, 11)}


def test_eu_ai_act_articles() -> None:
    assert _numbers(r"EU AI Act Art\. (\d+)(?:\(\d+\))?") >= {"9", "10", "11", "12", "13", "14", "15", "50"}


def test_nist_ai_rmf_all_four_functions() -> None:
    assert _numbers(r"NIST AI RMF (GOVERN|MAP|MEASURE|MANAGE) \d+\.\d+") == {"GOVERN", "MAP", "MEASURE", "MANAGE"}


def test_ml_test_score_at_least_20_of_28() -> None:
    tests = _numbers(r"ML Test Score ((?:Data|Model|Infra|Monitor) [1-7])")
    assert len(tests) >= 20
    # The final ML Test Score is the lowest section, so every section must be covered.
    assert {name.split()[0] for name in tests} == {"Data", "Model", "Infra", "Monitor"}


def test_iso_42001_at_least_15_annex_a_controls() -> None:
    assert len(_numbers(r"ISO/IEC 42001 (A\.\d+\.\d+(?:\.\d+)?)")) >= 15


def test_every_ref_uses_a_known_form() -> None:
    forms = (
        r"OWASP LLM(0[1-9]|10):2025",
        r"EU AI Act Art\. \d+(\(\d+\))?",
        r"NIST AI RMF (GOVERN|MAP|MEASURE|MANAGE) \d\.\d+",
        r"NIST AI 600-1 [A-Z][a-z].*",
        r"ML Test Score (Data|Model|Infra|Monitor) [1-7]",
        r"ISO/IEC 42001 A\.\d+\.\d+(\.\d+)?",
        r"(ML|GEN)[A-Z]+-\d+|GEN[A-Z]+\d\d-BP\d\d",
        r"Google SRE PRR",
    )
    odd = sorted(ref for ref in REFS if not any(re.fullmatch(form, ref) for form in forms))
    assert odd == []


def test_the_stage_ladder() -> None:
    by_stage = Counter(item.stage for item in CATALOG.items)
    prototype = {item.id for item in CATALOG.items if item.stage is Stage.PROTOTYPE}
    # A prototype needs a handful: an owner, no secrets in prompts, a golden set.
    assert {"ownership.accountable-owner", "security.no-secrets-in-prompts", "evaluation.golden-set"} <= prototype
    assert len(prototype) <= 8
    assert by_stage[Stage.PROTOTYPE] < by_stage[Stage.PILOT] < by_stage[Stage.PRODUCTION]
    scale = {item.id for item in CATALOG.items if item.stage is Stage.SCALE}
    assert "reliability.multi-region" in scale and any(item.startswith("cost.") for item in scale)
