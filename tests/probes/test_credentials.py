"""The credentials probe on real prompts and templates (tests/artifacts/credentials/) and on hostile text.

No assertion here may print a key: failures say which file or case, and compare booleans or masked text only.
"""

from __future__ import annotations

from typing import Any

import pytest

from readiness.load.diagnostics import InputError
from readiness.load.yamlsource import decode_text
from readiness.verify.probes import credentials
from readiness.verify.probes.common import Artifact, Outcome, Report
from tests.probes.artifacts import ARTIFACTS, artifact, expected, placed_within

_, FILES = expected("credentials")
RULE_OF = {rule.kind: rule for rule in credentials._RULES}
# Made-up keys of the documented shapes, put together here so that no test file holds one whole.
FAKE_AWS = "AKIA" + "FAKEQ7RT2ZLM9XWD"
FAKE_GITHUB = "ghp_" + "FAKE" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6"
FAKE_OPENAI = "sk-" + "FAKEa1b2c3d4e5f6g7h8" + "T3BlbkFJ" + "i9j0k1l2m3n4o5p6FAKE"


def scan(name: str) -> Report:
    return credentials.probe(artifact("credentials", name), {})


def judge(text: str) -> Report:
    return credentials.probe(Artifact("prompts/system.txt", text), {})


def keys_in(text: str) -> list[str]:
    return [match.group() for rule in credentials._RULES for match in rule.pattern.finditer(text)]


@pytest.mark.parametrize("name", sorted(name for name in FILES if FILES[name]["outcome"] != "broken"))
def test_the_probe_finds_what_the_file_holds(name: str) -> None:
    entry: dict[str, Any] = FILES[name]
    report = scan(name)
    assert report.outcome.value == entry["outcome"], report
    facts = entry.get("facts", {})
    hits = [f for f in report.findings if f.holds is False]
    assert len(hits) == facts.get("hits", 0), report
    for kind, (line, column) in entry.get("where", {}).items():
        if kind == "allowlisted":
            assert all((f.line, f.column) != (line, column) for f in hits)
            continue
        assert any((f.line, f.column) == (line, column) and f"({kind})" in f.message for f in hits), (kind, report)
    if "masked" in facts:
        assert facts["masked"] in hits[0].message, report
    if entry["outcome"] == "nothing":
        assert not any(f.holds for f in report.findings)


@pytest.mark.parametrize("name", sorted(FILES))
def test_no_finding_shows_a_key_whole(name: str) -> None:
    raw = (ARTIFACTS / "credentials" / name).read_bytes().decode("utf-8", "surrogateescape")
    report = credentials.probe(Artifact(name, raw), {})
    shown = " ".join(f.message for f in report.findings)
    leaked = any(key in shown for key in keys_in(raw))
    assert not leaked, f"a finding on {name} shows a key whole"


def test_a_file_that_is_not_utf8_is_broken_at_its_first_bad_byte() -> None:
    entry = FILES["broken-invalid-utf8.txt"]
    raw = (ARTIFACTS / "credentials" / "broken-invalid-utf8.txt").read_bytes()
    # Read strictly, as the framework reads an artifact: an input error at the byte.
    with pytest.raises(InputError) as refused:
        decode_text(raw, "broken-invalid-utf8.txt")
    first = refused.value.diagnostics[0]
    assert [first.line, first.column] == entry["where"]["error"]
    # Read leniently (bad bytes kept as surrogates), the probe says the same, never "no leak".
    report = credentials.probe(Artifact("broken-invalid-utf8.txt", raw.decode("utf-8", "surrogateescape")), {})
    assert report.outcome is Outcome.FAILS
    assert [[f.line, f.column] for f in report.findings] == [entry["where"]["error"]]
    assert "0xe9" in report.findings[0].message


@pytest.mark.parametrize(
    ("text", "kind", "column"),
    [
        (f"key={FAKE_AWS}&x=1", "aws-access-key-id", 5),
        (f'"{FAKE_GITHUB}"', "github-pat", 2),
        (f"({FAKE_OPENAI})", "openai-api-key", 2),
        (f"`{FAKE_AWS}`", "aws-access-key-id", 2),
    ],
)
def test_a_key_between_punctuation_is_found_at_its_first_character(text: str, kind: str, column: int) -> None:
    report = judge("first line\n" + text)
    assert report.outcome is Outcome.FAILS
    assert [(f.line, f.column) for f in report.findings] == [(2, column)]
    assert f"({kind})" in report.findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        FAKE_AWS[:-1],  # one character short
        FAKE_AWS + "Z",  # one too many: a longer word
        "X" + FAKE_AWS,  # inside a longer word
        FAKE_GITHUB.lower().replace("ghp_", "gh_"),
        FAKE_OPENAI.replace("T3BlbkFJ", "T3BlbkFK"),
        "sk-learn sk-... sk-proj-... ${OPENAI_API_KEY} {{ env.KEY }} xoxb-your-bot-token AIza... AKIA",
        "AKIAIOSFODNN7EXAMPLE",  # AWS's documented example
        "-----BEGIN RSA PRIVATE KEY-----\n(paste the key here)\n-----END RSA PRIVATE KEY-----\n",
        "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n",
    ],
)
def test_near_misses_and_placeholders_are_not_keys(text: str) -> None:
    report = judge(f"You are a helpful assistant.\n{text}\n")
    assert report.outcome is Outcome.NOTHING and not any(f.holds is False for f in report.findings)


def test_an_encrypted_pem_key_with_headers_is_a_key() -> None:
    text = (
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,FAKE\n\n"
        "RkFLRSBQUklWQVRFIEtFWSAtIHJlYWRpbmVzcyB0ZXN0\n-----END RSA PRIVATE KEY-----\n"
    )
    report = judge(text)
    assert report.outcome is Outcome.FAILS
    assert [(f.line, f.column) for f in report.findings] == [(1, 1)]


def test_lines_are_counted_as_the_yaml_reader_counts_them() -> None:
    report = judge(f"one\r\ntwo\rthree\n  {FAKE_AWS}")
    assert [(f.line, f.column) for f in report.findings] == [(4, 3)]


@pytest.mark.parametrize(
    "text",
    ["", "  \n\n", "---\ntitle:\nmodel:\n---\n", '{"$schema": "https://json-schema.org/draft/2020-12/schema"}'],
)
def test_no_text_to_scan_earns_nothing(text: str) -> None:
    assert judge(text).outcome is Outcome.NOTHING


def test_a_key_in_a_json_schema_or_front_matter_still_fails() -> None:
    schema = '{"$schema": "https://json-schema.org/draft/2020-12/schema", "default": "' + FAKE_AWS + '"}'
    assert judge(schema).outcome is Outcome.FAILS
    assert judge(f"---\nkey: {FAKE_GITHUB}\n---\n").outcome is Outcome.FAILS


def test_many_keys_are_told_up_to_a_limit_then_counted() -> None:
    report = judge(f"{FAKE_AWS}\n" * 500)
    assert report.outcome is Outcome.FAILS
    assert len(report.findings) == 51
    assert report.findings[-1].message == "450 more credentials from here on"
    assert (report.findings[-1].line, report.findings[-1].column) == (51, 1)


@pytest.mark.parametrize(
    "text",
    [
        "sk-proj-" * 150_000,
        "AKIA" * 300_000,
        "-----BEGIN RSA PRIVATE KEY-----\n" * 50_000,
        "xoxp-1234567890-" * 100_000,
        "x" * 1_000_000 + FAKE_AWS,
        "\x1b[31m\x00\x07 " * 100_000,
    ],
)
def test_hostile_text_is_scanned_whole(text: str) -> None:
    report = judge(text)
    assert report.findings
    placed_within(report, text)
