"""The built-in packs: the tool trusts them at run time, so the suite checks them, what they cover, and that a
team's file written against an older edition of the packs still reads."""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from readiness.core import frameworks
from readiness.core.catalog import BUILTIN_ORDER, builtin_files, load_catalog, read_pack
from readiness.core.model import Item, Severity, Stage
from readiness.load import schemas
from readiness.load.yamlsource import read_document
from readiness.score.scoring import effective_severity, matches
from tests.conftest import REPO

PACKS = builtin_files()
CATALOG = load_catalog()
REFS = {ref for item in CATALOG.items for ref in item.refs}
AGENT = {"llm": True, "agentic": True}  # the least an agent's profile says


def test_the_eight_packs_ship_in_order() -> None:
    assert [path.stem for path in PACKS] == list(BUILTIN_ORDER)


@pytest.mark.parametrize("path", PACKS, ids=[p.stem for p in PACKS])
def test_pack_is_valid_against_the_checklist_schema(path: Path) -> None:
    document = read_document(path)
    assert [d.format() for d in schemas.validate(document, "checklist")] == []
    pack_file, problems = read_pack(path)
    assert pack_file is not None and problems == []
    assert pack_file.pack.id == path.stem, "a built-in pack's file is named after its id"
    assert 8 <= len(pack_file.pack.items) <= 20


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.casefold()).split())


def test_no_two_items_share_an_id_a_question_or_a_near_identical_title() -> None:
    ids = [item.id for item in CATALOG.items]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    questions = [_plain(item.question) for item in CATALOG.items]
    assert [q for q, n in Counter(questions).items() if n > 1] == []
    close = [
        (a.id, b.id)
        for index, a in enumerate(CATALOG.items)
        for b in CATALOG.items[index + 1 :]
        if difflib.SequenceMatcher(None, _plain(a.title), _plain(b.title)).ratio() >= 0.8
    ]
    assert close == []


def test_every_item_asks_one_yes_no_question_and_cites_a_framework() -> None:
    for item in CATALOG.items:
        assert item.question.endswith("?") and item.question.count("?") == 1, item.id
        assert item.refs, item.id
        assert item.activity is None or item.activity in {a.id for a in CATALOG.known_activities}, item.id


def test_every_id_of_the_2025_packs_still_reads() -> None:
    """An answer saved under any id the packs ever shipped is either still an item or read as its replacement's."""
    old = (REPO / "tests" / "data" / "builtin-ids-2025.txt").read_text(encoding="utf-8").split()
    assert len(old) == 98
    current = {item.id for item in CATALOG.items}
    assert [i for i in old if i not in current and i not in CATALOG.former] == []
    assert all(CATALOG.former[i] in current for i in old if i not in current)


def test_ownership_defines_the_raci_activities_and_checks_them() -> None:
    ownership = next(pack for pack in CATALOG.packs if pack.id == "ownership")
    assert len(ownership.activities) >= 10
    complete = CATALOG.item("ownership.raci-complete")
    assert complete is not None and complete.auto is not None
    assert set(complete.auto.raci) == {activity.id for activity in ownership.activities}
    pilot = CATALOG.item("ownership.raci-pilot")
    assert pilot is not None and pilot.auto is not None and pilot.stage is Stage.PILOT
    # A pilot needs the activities it exercises, not all of them.
    assert set(pilot.auto.raci) < set(complete.auto.raci)
    assert sum(1 for item in ownership.items if item.auto and item.auto.raci) >= 5


def test_automated_checks_where_a_file_or_the_cost_model_proves_the_item() -> None:
    forecast = CATALOG.item("cost.forecast")
    assert forecast is not None and forecast.auto is not None and forecast.auto.cost == "within_budget"
    probed = {item.id for item in CATALOG.items if item.auto and item.auto.probe}
    assert len(probed) >= 16
    for expected in ("ownership.on-call", "compliance.model-card", "evaluation.golden-set", "cost.load-test"):
        assert expected in probed


def _numbers(pattern: str, refs: set[str] = REFS) -> set[str]:
    return {match.group(1) for ref in refs if (match := re.fullmatch(pattern, ref))}


def test_owasp_llm_2026_all_ten_each_beside_its_2025_id() -> None:
    assert _numbers(r"OWASP (LLM\d\d):2026") == {f"LLM{n:02d}" for n in range(1, 11)}
    assert _numbers(r"OWASP (LLM\d\d):2025") == {f"LLM{n:02d}" for n in range(1, 11)}
    for item in CATALOG.items:
        owasp = [ref for ref in item.refs if ref.startswith("OWASP LLM")]
        assert sorted(twin for ref in owasp if (twin := frameworks.owasp_twin(ref))) == sorted(owasp), item.id


def test_owasp_agentic_all_ten_on_an_agents_profile() -> None:
    applying = {ref for item in CATALOG.items if matches(item.when, AGENT) for ref in item.refs}
    assert _numbers(r"OWASP (ASI\d\d):2026", applying) == {f"ASI{n:02d}" for n in range(1, 11)}


def test_eu_ai_act_articles_deployers_meet() -> None:
    articles = _numbers(r"EU AI Act Art\. (\d+)(?:\(\d+\))?")
    assert articles >= {"4", "5", "6", "9", "10", "11", "12", "13", "14", "15", "26", "27", "50", "72", "73"}
    assert "EU AI Act Annex III" in REFS
    # Every article cited has a date the report can show.
    assert [ref for ref in REFS if ref.startswith("EU AI Act") and frameworks.ai_act_from(ref) is None] == []


def test_nist_ai_rmf_all_four_functions_with_explainability_and_third_party_risk() -> None:
    assert _numbers(r"NIST AI RMF (GOVERN|MAP|MEASURE|MANAGE) \d+\.\d+") == {"GOVERN", "MAP", "MEASURE", "MANAGE"}
    assert {"NIST AI RMF MEASURE 2.9", "NIST AI RMF MANAGE 3.2"} <= REFS


def test_ml_test_score_at_least_20_of_28() -> None:
    tests = _numbers(r"ML Test Score ((?:Data|Model|Infra|Monitor) [1-7])")
    assert len(tests) >= 20
    # The final ML Test Score is the lowest section, so every section must be covered.
    assert {name.split()[0] for name in tests} == {"Data", "Model", "Infra", "Monitor"}


def test_iso_42001_at_least_20_annex_a_controls_and_42005_for_impact() -> None:
    assert len(_numbers(r"ISO/IEC 42001 (A\.\d+\.\d+(?:\.\d+)?)")) >= 20
    impact = CATALOG.item("compliance.impact-assessment")
    assert impact is not None and "ISO/IEC 42005" in impact.refs


def test_every_ref_belongs_to_a_known_family_and_names_what_it_cites() -> None:
    assert sorted(ref for ref in REFS if frameworks.family(ref) is None) == []
    # An ATLAS technique or an OWASP id is shown with its name in the report; an unknown id would show none.
    named = [ref for ref in REFS if re.match(r"OWASP |MITRE ATLAS ", ref)]
    assert [ref for ref in named if not frameworks.meaning(ref)] == []


def _item(item_id: str) -> Item:
    item = CATALOG.item(item_id)
    assert item is not None, item_id
    return item


def test_the_stage_ladder() -> None:
    by_stage = Counter(item.stage for item in CATALOG.items)
    prototype = {item.id for item in CATALOG.items if item.stage is Stage.PROTOTYPE}
    # What a prototype needs, and nothing more.
    assert prototype == {
        "ownership.accountable-owner",
        "compliance.risk-classification",
        "data.source-licence",
        "evaluation.golden-set",
        "evaluation.success-metric",
        "security.no-secrets-in-prompts",
        "cost.cost-envelope",
    }
    assert by_stage[Stage.PROTOTYPE] < by_stage[Stage.PILOT] < by_stage[Stage.PRODUCTION]
    # No cliff: production holds the bulk, not nearly everything, and scale has real gates.
    assert by_stage[Stage.PRODUCTION] <= 0.5 * len(CATALOG.items)
    assert by_stage[Stage.SCALE] >= 10
    scale = {item.id for item in CATALOG.items if item.stage is Stage.SCALE}
    assert {"reliability.multi-region", "reliability.growth-capacity", "reliability.vendor-portability"} <= scale
    assert {item.severity for item in CATALOG.items if item.stage is Stage.SCALE} >= {Severity.MAJOR}
    # What real users need is asked before real users arrive.
    for pilot in ("security.threat-model", "compliance.dpia", "evaluation.prompts-versioned"):
        assert _item(pilot).stage is Stage.PILOT, pilot


def _blocker_at(item_id: str, profile: dict[str, Any], stage: Stage) -> bool:
    item = _item(item_id)
    blocker = effective_severity(item, profile) is Severity.BLOCKER
    return matches(item.when, profile) and item.stage.rank <= stage.rank and blocker


def test_items_depend_on_the_profile_key_that_makes_them_a_duty() -> None:
    # A cross-tenant leak is a breach: blocked at pilot for a multi-tenant system, not asked of a single tenant's.
    assert _blocker_at("security.tenant-isolated-retrieval", {"llm": True, "multi_tenant": True}, Stage.PILOT)
    assert not matches(_item("security.tenant-isolated-retrieval").when, {"llm": True})
    # Six-month logs are a legal duty of high-risk systems under the AI Act, whatever the team's own rating.
    assert _blocker_at("compliance.event-logs", {"eu_users": True, "eu_ai_act": "high"}, Stage.PRODUCTION)
    assert not matches(_item("compliance.event-logs").when, {"eu_users": True, "risk": "high"})
    # Training/serving skew concerns systems that train.
    assert not matches(_item("data.training-serving-skew").when, {"llm": True})
    # A DPIA comes before personal data is processed, so at pilot.
    assert _blocker_at("compliance.dpia", {"personal_data": True}, Stage.PILOT)


def test_an_agents_kill_switch_is_at_least_as_severe_as_the_authority_to_use_it() -> None:
    for profile in (AGENT, {**AGENT, "risk": "low"}, {**AGENT, "risk": "high"}):
        switch, authority = _item("reliability.kill-switch"), _item("ownership.rollback-authority")
        assert matches(switch.when, profile) and switch.stage.rank <= Stage.PILOT.rank
        assert effective_severity(switch, profile).rank <= effective_severity(authority, profile).rank


def test_the_readme_stage_ladder_is_generated_from_the_packs() -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "tools" / "stage_ladder.py"), "--check"], capture_output=True, text=True
    )
    assert (run.returncode, run.stderr) == (0, "")
