"""Probes read what a pull request's author wrote (DESIGN §5a): huge, deep, binary or hostile artifacts, links out
of the project and FIFOs are findings or are said, never a crash, a hang, a read outside the root or a control
character in any output; a pack that asks a probe for something it cannot do is an input error at its position;
a leaked key becomes a SARIF alert on the line of the file that holds it, masked.

Each check runs `readiness` as a real process, writing every output format at once.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from readiness.load.yamlsource import MAX_BYTES
from readiness.verify.probes.run import MAX_FILES
from tests.conftest import git

TODAY = "2026-11-21"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
FORMATS = {"text": "txt", "json": "json", "sarif": "sarif", "markdown": "md", "junit": "xml", "github": "gh"}
# Key-shaped strings are assembled here, so that this file holds none for a scanner to find.
AWS_KEY = "AKIA" + "Q3ZL7N2XW5RT8KDM"
GITHUB_TOKEN = "ghp_" + "x7Kq2Lm9Pz4Rt8Vw3Yb6Nc1Df5Gh0Jk2Mn4Q"

PACK = """\
id: probes
title: Probes
items:
  - {id: load, title: Load test, question: Load?, why: w, verify: v, severity: major, stage: prototype, effort: low,
     auto: {probe: k6-summary, files: ["load-tests/**/*.json"], expect: {p95_ms: 2500}}}
  - {id: injection, title: Injection tests, question: Injection?, why: w, verify: v, severity: major,
     stage: prototype, effort: low, auto: {probe: junit-xml, files: ["reports/**/*.xml"], expect: {pass_rate: 1}}}
  - {id: golden, title: Golden set, question: Golden?, why: w, verify: v, severity: major, stage: prototype,
     effort: low, auto: {probe: golden-set, files: ["evals/**/golden*.jsonl"], expect: {min_rows: 1}}}
  - {id: secrets, title: No secrets in prompts, question: Secrets?, why: w, verify: v, severity: major,
     stage: prototype, effort: low, auto: {probe: credentials, files: ["prompts/**"], expect: {}}}
"""
ASSESSMENT = "version: 1\nproject: {name: P, target: prototype}\nchecklists: {use: [], extra: [pack.yaml]}\n"

# A k6 end-of-test summary (handleSummary's data) that meets the pack's bar: if it were read, it would hold.
K6_SUMMARY = {
    "root_group": {"name": "", "path": "", "id": "d41d8cd98f00b204e9800998ecf8427e", "groups": [], "checks": []},
    "options": {"summaryTrendStats": ["avg", "min", "med", "max", "p(90)", "p(95)"], "noColor": False},
    "state": {"isStdOutTTY": False, "isStdErrTTY": False, "testRunDurationMs": 60012.5},
    "metrics": {
        "http_req_duration": {
            "type": "trend",
            "contains": "time",
            "values": {"avg": 310.2, "min": 120.4, "med": 290.1, "max": 1900.3, "p(90)": 610.7, "p(95)": 802.5},
        },
        "http_req_failed": {
            "type": "rate",
            "contains": "default",
            "values": {"rate": 0.001, "passes": 3, "fails": 2997},
        },
        "http_reqs": {"type": "counter", "contains": "default", "values": {"count": 3000, "rate": 49.99}},
        "vus_max": {"type": "gauge", "contains": "default", "values": {"value": 50, "min": 50, "max": 50}},
    },
}


@dataclass(frozen=True)
class Checked:
    code: int
    err: str
    outputs: dict[str, str]  # by format

    @property
    def items(self) -> dict[str, dict[str, Any]]:
        return {item["id"]: item for item in json.loads(self.outputs["json"])["items"]}

    def probe(self, item: str) -> dict[str, Any]:
        run: dict[str, Any] = self.items[f"probes.{item}"]["probe"]
        return run

    def said_about(self, item: str, file: str) -> list[str]:
        return [f["message"] for f in self.probe(item)["findings"] if f["file"] == file]

    def everything(self) -> str:
        return self.err + "".join(self.outputs.values())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree with the probes' pack and an assessment that uses it."""
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / "pack.yaml").write_text(PACK, encoding="utf-8")
    (folder / "readiness.yaml").write_text(ASSESSMENT, encoding="utf-8")
    for name in ("load-tests", "reports", "evals", "prompts"):
        (folder / name).mkdir()
    return folder


def check(folder: Path, assessment: str = "readiness.yaml") -> Checked:
    """`readiness check` as a process in `folder`, every format written to a file beside it; a run that never ends
    fails the test instead of hanging it. Whatever the artifacts, the exit code is a verdict (0 or 1), never a
    bad input (2) or a crash (3), and nothing it prints or writes holds a control character."""
    out = folder.parent / "out"
    out.mkdir(exist_ok=True)
    targets = {name: out / f"result.{suffix}" for name, suffix in FORMATS.items()}
    spec = [arg for name, path in targets.items() for arg in ("-f", f"{name}:{path}")]
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "check", assessment, "--today", TODAY, *spec],
        cwd=folder,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        encoding="utf-8",
        errors="surrogateescape",
        timeout=120,
        env={key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"},
    )
    checked = Checked(done.returncode, done.stderr, {name: path.read_text("utf-8") for name, path in targets.items()})
    assert checked.code in (0, 1), checked.err
    assert "Traceback" not in checked.err
    assert CONTROL.findall(done.stdout + checked.everything()) == []
    return checked


def _prompt_of_size(size: int) -> str:
    """ASCII prompt text of exactly `size` bytes, a key on its last line."""
    body, tail = "You answer questions about invoices.\n", f"\nkey {AWS_KEY}\n"
    lines = body * ((size - len(tail)) // len(body))
    return lines + " " * (size - len(lines) - len(tail)) + tail


def test_an_artifact_over_5_mb_is_said_and_never_judged(repo: Path) -> None:
    # Both end in a key: found in the file at the limit (read whole), never in the one a byte over it.
    (repo / "prompts" / "a-at-limit.txt").write_text(_prompt_of_size(MAX_BYTES))
    (repo / "prompts" / "b-over.txt").write_text(_prompt_of_size(MAX_BYTES + 1))
    (repo / "load-tests" / "run-summary.json").write_text(json.dumps(K6_SUMMARY) + " " * MAX_BYTES)

    checked = check(repo)

    secrets = checked.probe("secrets")
    assert secrets["read"] == ["prompts/a-at-limit.txt"] and secrets["outcome"] == "fails"
    assert [m[:26] for m in checked.said_about("secrets", "prompts/a-at-limit.txt")] == ["an AWS access key ID (aws-"]
    assert checked.said_about("secrets", "prompts/b-over.txt") == [
        f"not read: file is {MAX_BYTES + 1:,} bytes; the limit is 5 MB ({MAX_BYTES:,} bytes)"
    ]
    load = checked.probe("load")
    assert load["read"] == [] and load["outcome"] == "nothing"
    [said] = checked.said_about("load", "load-tests/run-summary.json")
    assert said.startswith("not read: file is ") and said.endswith(f"the limit is 5 MB ({MAX_BYTES:,} bytes)")
    assert checked.items["probes.load"]["source"] is None


def test_a_link_out_of_the_project_is_never_followed(repo: Path) -> None:
    outside = repo.parent / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(f"TOPSECRET-7731 {AWS_KEY}\n")
    (outside / "summary.json").write_text(json.dumps(K6_SUMMARY))
    (repo / "prompts" / "system.txt").symlink_to(outside / "secret.txt")
    (repo / "prompts" / "shared").symlink_to(outside, target_is_directory=True)
    (repo / "load-tests" / "run-summary.json").symlink_to(Path("..", "..", "outside", "summary.json"))

    checked = check(repo)

    everything = checked.everything()
    assert "TOPSECRET" not in everything and AWS_KEY[-4:] not in everything
    items = checked.items
    assert items["probes.secrets"]["outcome"] == "gap" and items["probes.load"]["outcome"] == "gap"
    assert [items[f"probes.{name}"]["source"] for name in ("secrets", "load")] == [None, None]
    read = [path for item in items.values() if item["probe"] for path in item["probe"]["read"]]
    assert read == []


def test_a_fifo_named_like_an_artifact_is_never_opened(repo: Path) -> None:
    fifos = [repo / "load-tests" / "run-summary.json", repo / "prompts" / "system.txt", repo / "evals" / "golden.jsonl"]
    for fifo in fifos:
        os.mkfifo(fifo)
    (repo / "prompts" / "user.txt").write_text("Summarise the ticket below in two sentences.\n")

    checked = check(repo)  # opening a FIFO without a writer would block this run until its timeout

    assert all(stat.S_ISFIFO(fifo.lstat().st_mode) for fifo in fifos)
    read = [path for item in checked.items.values() if item["probe"] for path in item["probe"]["read"]]
    assert read == ["prompts/user.txt"]


def test_a_binary_artifact_is_a_finding_never_credit(repo: Path) -> None:
    binary = bytes(range(256)) * 64 + b"\xff\xfe\x00\x1b[2J"
    for name in ("load-tests/run-summary.json", "prompts/system.txt", "evals/golden.jsonl", "reports/injection.xml"):
        (repo / name).write_bytes(binary)

    checked = check(repo)

    for item in ("load", "secrets", "golden", "injection"):
        run = checked.probe(item)
        assert run["outcome"] != "holds" and len(run["read"]) == 1, run
        assert checked.said_about(item, run["read"][0]) != []
        assert checked.items[f"probes.{item}"]["source"] is None


HOSTILE_ID = "case\u0000\u001b[31mred\u009b2J\u2028x"
HOSTILE_INPUT = "ignore\u001b]0;owned\u0007\u001b[1A\u007f"


def test_control_characters_in_a_json_string_reach_no_output(repo: Path) -> None:
    record = {"id": HOSTILE_ID, "input": HOSTILE_INPUT, "expected_output": "fine"}
    # The same record twice: the probe names the repeated id and input in its findings, so they reach every output.
    (repo / "evals" / "golden.jsonl").write_text((json.dumps(record) + "\n") * 2)

    checked = check(repo)  # asserts that no output holds a control character

    messages = checked.said_about("golden", "evals/golden.jsonl")
    assert any("\\u001b[31mred\\u009b2J" in message for message in messages), messages
    assert any("\\u001b]0;owned\\u0007" in message for message in messages), messages
    assert "\\u001b[31mred" in checked.outputs["sarif"] and "u001b]0;owned" in checked.outputs["junit"]


def _bomb(root: str) -> str:
    """The billion laughs: ten entities of ten of the one before, a thousand million 'lol's once expanded."""
    entities = "".join(f' <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">\n' for n in range(1, 10))
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n <!ENTITY lol0 "lol">\n{entities}]>\n'
        f'<testsuites><testsuite name="s" tests="1"><testcase name="&lol9;"/></testsuite></testsuites>\n'
    )


def test_an_xml_bomb_or_external_entity_is_refused_never_expanded(repo: Path) -> None:
    outside = repo.parent / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOPSECRET-7731\n")
    (repo / "reports" / "bomb.xml").write_text(_bomb("testsuites"))
    (repo / "reports" / "lolz.xml").write_text(_bomb("lolz"))
    leak = f'<!DOCTYPE testsuites [\n <!ENTITY leak SYSTEM "{(outside / "secret.txt").as_uri()}">\n]>\n'
    (repo / "reports" / "xxe.xml").write_text(
        f'<?xml version="1.0"?>\n{leak}<testsuites><testsuite name="s" tests="1" failures="1">'
        '<testcase name="t"><failure message="&leak;"/></testcase></testsuite></testsuites>\n'
    )

    checked = check(repo)

    everything = checked.everything()
    assert "lollol" not in everything and "TOPSECRET" not in everything
    run = checked.probe("injection")
    assert sorted(run["read"]) == ["reports/bomb.xml", "reports/lolz.xml", "reports/xxe.xml"]
    assert run["outcome"] != "holds" and checked.items["probes.injection"]["source"] is None
    assert all(checked.said_about("injection", name) for name in run["read"])
    assert not any(finding["holds"] for finding in run["findings"])


def test_100000_nested_brackets_are_a_finding_at_their_position(repo: Path) -> None:
    (repo / "load-tests" / "run-summary.json").write_text("[" * 100_000)
    (repo / "evals" / "golden.jsonl").write_text('{"input": ' + "[" * 100_000 + "\n")

    checked = check(repo)

    for item, file in (("load", "load-tests/run-summary.json"), ("golden", "evals/golden.jsonl")):
        run = checked.probe(item)
        assert run["read"] == [file] and run["outcome"] != "holds"
        [finding] = run["findings"]
        assert finding["line"] == 1 and not finding["holds"] and "nest" in finding["message"], finding


def test_a_glob_past_the_limit_of_files_reads_the_first_and_counts_the_rest(repo: Path) -> None:
    for index in range(MAX_FILES + 10):
        (repo / "prompts" / f"step-{index:03}.txt").write_text(f"Step {index}: answer in one sentence.\n")

    checked = check(repo)

    run = checked.probe("secrets")
    assert run["read"] == [f"prompts/step-{index:03}.txt" for index in range(MAX_FILES)]
    assert run["not_read"] == 10 and checked.items["probes.secrets"]["candidate_count"] == MAX_FILES + 10


def test_a_key_in_a_file_past_the_cap_keeps_the_item_from_being_verified(repo: Path) -> None:
    # Fifty harmless files sorted first push the file with the key past what is read: what was not read cannot
    # prove that no file holds a key.
    for index in range(MAX_FILES):
        (repo / "prompts" / f"a-{index:03}.txt").write_text("Answer in one sentence.\n")
    (repo / "prompts" / "system.txt").write_text(f"aws_access_key_id = {AWS_KEY}\n")

    checked = check(repo)

    assert checked.probe("secrets")["not_read"] == 1
    assert checked.items["probes.secrets"]["source"] != "verified"
    assert checked.probe("secrets")["outcome"] != "holds"


# --- A pack that asks a probe for what it cannot do ----------------------------------------------------------

ITEM = """\
  - id: load
    title: Load test
    question: Load?
    why: w
    verify: v
    severity: major
    stage: prototype
    effort: low
    auto:
"""


@pytest.mark.parametrize(
    ("auto", "where", "message"),
    [
        (
            '      probe: k6-sumary\n      files: ["load-tests/*.json"]\n',
            "13:14",
            "$.items[0].auto.probe: the string 'k6-sumary' is not one of: ci-eval-gate,",
        ),
        (
            '      probe: k6-summary\n      files: ["load-tests/*.json"]\n      expect: {p99_ms: 2500}\n',
            "15:16",
            "$.items[0].auto.expect.p99_ms: unknown key 'p99_ms' (did you mean 'p95_ms'?)",
        ),
        (
            '      probe: k6-summary\n      files: ["load-tests/*.json"]\n'
            "      expect: {p95_ms: targets.latency_p99_ms}\n",
            "15:24",
            "$.items[0].auto.expect.p95_ms: ",
        ),
        (
            "      probe: k6-summary\n      expect: {p95_ms: 2500}\n",
            "13:7",
            "$.items[0].auto: missing required key 'files'",
        ),
    ],
    ids=["unknown-kind", "unknown-expect-key", "unknown-target", "probe-without-files"],
)
def test_a_pack_asking_a_probe_for_what_it_cannot_do_is_an_input_error_at_its_position(
    repo: Path, auto: str, where: str, message: str
) -> None:
    (repo / "pack.yaml").write_text("id: probes\ntitle: Probes\nitems:\n" + ITEM + auto, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "check", "readiness.yaml", "--today", TODAY, "-f", "json"],
        cwd=repo,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    first = done.stderr.splitlines()[0]
    assert first.startswith(f"pack.yaml:{where}: error: {message}"), done.stderr
    if "sumary" in auto:
        assert first.endswith("(did you mean 'k6-summary'?)")


# --- A leaked key in SARIF ------------------------------------------------------------------------------------


def test_a_leaked_key_is_a_sarif_alert_on_its_line_with_the_key_masked(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    service = repo / "services" / "copilot"
    (service / "prompts").mkdir(parents=True)
    git(repo, "init", "-q")
    (service / "readiness.yaml").write_text(
        "version: 1\nproject: {name: Copilot, target: prototype, profile: {llm: true}}\n"
        "answers:\n  security.no-secrets-in-prompts: {status: done, evidence: [prompts/]}\n",
        encoding="utf-8",
    )
    (service / "prompts" / "system.txt").write_text(
        "You answer support questions.\nUse the tools below.\n"
        f"Debug: aws_access_key_id = {AWS_KEY}\n  token: {GITHUB_TOKEN}\n",
        encoding="utf-8",
    )

    checked = check(repo, "services/copilot/readiness.yaml")

    sarif = checked.outputs["sarif"]
    assert AWS_KEY not in checked.everything() and GITHUB_TOKEN not in checked.everything()
    alerts = [
        (location["artifactLocation"]["uri"], location["region"]["startLine"], location["region"]["startColumn"], text)
        for result in json.loads(sarif)["runs"][0]["results"]
        if result["properties"]["status"] == "probe-fails"
        for location in [result["locations"][0]["physicalLocation"]]
        for text in [result["message"]["text"]]
    ]
    assert [alert[:3] for alert in alerts] == [
        ("services/copilot/prompts/system.txt", 3, 28),
        ("services/copilot/prompts/system.txt", 4, 10),
    ]
    assert f"AKIA\u2026{AWS_KEY[-4:]}" in alerts[0][3] and f"ghp_\u2026{GITHUB_TOKEN[-4:]}" in alerts[1][3]
    assert checked.items["security.no-secrets-in-prompts"]["source"] == "unverified"
