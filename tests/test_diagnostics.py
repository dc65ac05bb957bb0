"""The pieces of every error message: JSON paths and "did you mean" suggestions."""

from __future__ import annotations

from readiness.load.diagnostics import did_you_mean, did_you_mean_item, json_path

ITEMS = ["observability.golden-signals", "observability.output-drift-alerts", "ownership.on-call"]


def test_json_path_quotes_keys_that_are_not_plain() -> None:
    assert json_path(()) == "$"
    assert json_path(("answers", "cost.load-test", "status")) == '$.answers["cost.load-test"].status'
    assert json_path(("waivers", 0, "item")) == "$.waivers[0].item"
    assert json_path(("team", 'say "hi"')) == '$.team["say \\"hi\\""]'


def test_did_you_mean_catches_typos_and_prefixes() -> None:
    assert did_you_mean("stagee", ["stage", "target"]) == " (did you mean 'stage'?)"
    assert did_you_mean("prod", ["pilot", "production"]) == " (did you mean 'production'?)"
    assert did_you_mean("dun", ["done", "partial", "todo", "na"]) == " (did you mean 'done'?)"
    assert did_you_mean("zzz", ["stage", "target"]) == ""


def test_item_suggestions_compare_within_the_pack() -> None:
    assert did_you_mean_item("observability.output-drift-alert", ITEMS) == (
        " (did you mean 'observability.output-drift-alerts'?)"
    )
    # The shared "observability." prefix alone must not make an unrelated item look close.
    assert did_you_mean_item("observability.nope", ITEMS) == ""
    # A typo in the pack part falls back to the whole id.
    assert did_you_mean_item("ownershp.on-call", ITEMS) == " (did you mean 'ownership.on-call'?)"
