"""The `targets` `scan` proposes from what a repository states: OpenSLO and Sloth objectives, k6 thresholds and
virtual users (in the script, never run, and in its end-of-test summary), each with its place; what two files
state differently is said at both places and not proposed; what cannot be used is said, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.load.containment import Root
from readiness.load.textsafe import first_control
from readiness.verify.scan import k6options
from readiness.verify.scan.model import Clue, Unread
from readiness.verify.scan.targets import stated_targets
from readiness.verify.scan.tree import list_files
from tests.test_scan_profile import repo

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
SUMMARIES = HERE / "artifacts" / "k6-summary"
Found = tuple[dict[str, tuple[float | int, Clue]], list[Unread]]


def scanned(top: Path, files: list[str] | None = None) -> Found:
    real = os.path.realpath(top)
    listed = list_files(real).files if files is None else files
    return stated_targets(real, listed, Root.of(top / "."))


def values(found: Found) -> dict[str, tuple[float | int, str]]:
    return {key: (value, f"{clue.file}:{clue.line}:{clue.column}") for key, (value, clue) in found[0].items()}


def notes(found: Found) -> list[str]:
    return [f"{u.file}:{u.line}:{u.column} {u.why}" for u in found[1]]


K6_RAMP = """\
    import http from 'k6/http';
    import { sleep } from 'k6';

    // A ramp to the projected peak. The smoke test's options, kept for the record:
    // export const options = { vus: 1, thresholds: { http_req_duration: ['p(95)<1'] } };
    /*
    export const options = { vus: 9999 };
    */
    export const options = {
      stages: [
        { duration: '5m', target: 100 },
        { duration: '10m', target: 450 }, // the peak
        { duration: "2m", target: 0 },
      ],
      thresholds: {
        http_req_failed: ['rate<0.005'],
        http_req_duration: [
          'p(90)<4000',
          { threshold: 'p(95) < 6000', abortOnFail: true, delayAbortEval: '10s' },
          'max<20000',
        ],
        checks: ['rate>0.99'],
      },
    };

    export default function () {
      http.get('https://copilot.test/draft');
      sleep(1);
    }
"""


def test_a_k6_ramp_states_p95_error_rate_and_its_peak_of_vus(tmp_path: Path) -> None:
    found = scanned(repo(tmp_path / "ramp", {"load/draft.k6.js": K6_RAMP}))
    assert values(found) == {
        "latency_p95_ms": (6000, "load/draft.k6.js:19:20"),
        "error_rate": (0.005, "load/draft.k6.js:16:23"),
        "peak_concurrency": (450, "load/draft.k6.js:12:32"),
    }
    assert found[0]["latency_p95_ms"][1].what == "k6 threshold 'p(95) < 6000' on http_req_duration"
    assert found[0]["peak_concurrency"][1].what == "k6 stages ramp to 450 VUs"
    assert notes(found) == []


def test_typescript_options_with_plain_vus_and_lte_bounds(tmp_path: Path) -> None:
    script = """\
        import { Options } from 'k6/options';
        export const options: Options = { vus: 25, duration: '1m',
          thresholds: { "http_req_duration": ["p(95)<=250.5"], "http_req_failed": ["rate<=0"] } };
        export default () => {};
    """
    found = scanned(repo(tmp_path / "ts", {"perf/smoke.ts": script}))
    assert values(found) == {
        "latency_p95_ms": (250.5, "perf/smoke.ts:3:39"),
        "error_rate": (0, "perf/smoke.ts:3:76"),
        "peak_concurrency": (25, "perf/smoke.ts:2:40"),
    }


def test_thresholds_that_state_no_target_are_left_or_said(tmp_path: Path) -> None:
    script = """\
        import http from 'k6/http';
        export const options = {
          thresholds: {
            'http_req_duration{name:login}': ['p(95)<300'],
            http_req_duration: ['p(99)<900', 'avg<200', 'p(95)>10'],
            http_req_failed: ['rate<1.5', 'count<10', 'rate<0.01\x1b[2J'],
            'http_req_duration{expected_response:true}': LIMITS,
            http_reqs: COUNTS,
          },
        };
    """
    found = scanned(repo(tmp_path / "odd", {"k6/odd.js": script}))
    assert values(found) == {}
    assert notes(found) == [
        "k6/odd.js:4:39 k6 threshold 'p(95)<300' on http_req_duration{name:login}: on a sub-metric, part of the "
        "traffic: no latency_p95_ms",
        "k6/odd.js:6:23 k6 threshold 'rate<1.5' on http_req_failed: a rate outside [0, 1] is no error rate",
        "k6/odd.js:6:47 k6 threshold 'rate<0.01\\u001b[2J' on http_req_failed is no k6 threshold expression: no target",
        "k6/odd.js:7:50 thresholds of http_req_duration{expected_response:true} are not literal: not read",
    ]


def test_options_read_from_elsewhere_are_said_and_nothing_is_run(tmp_path: Path) -> None:
    script = """\
        import http from 'k6/http';
        import { THRESHOLDS } from './shared.js';
        export const options = {
          vus: __ENV.VUS || 10,
          thresholds: THRESHOLDS,
        };
    """
    files = {
        "load/test.js": script,
        "load/spread.js": "import http from 'k6/http';\nexport const options = { ...base, vus: 10 };\n",
        "load/plain.js": "export const options = {vus: 5};\n",  # imports no k6 module: another tool's options
    }
    found = scanned(repo(tmp_path / "shared", files))
    assert values(found) == {}
    assert notes(found) == [
        "load/spread.js:2:26 options spread another object: no peak_concurrency",
        "load/test.js:4:8 a number of VUs not written as a whole number: no peak_concurrency",
        "load/test.js:5:15 thresholds are not written as an object literal: not read",
    ]


@pytest.mark.parametrize(
    ("scenarios", "peak", "said"),
    [
        (
            "{ ramp: { executor: 'ramping-vus', startVUs: 5, stages: [{ duration: '1m', target: 60 }] } }",
            (60, "load/s.js:2:120"),
            [],
        ),
        (
            "{ peak: { executor: 'constant-arrival-rate', rate: 300, timeUnit: '1s', maxVUs: 200 } }",
            None,
            [
                "load/s.js:2:45 scenario 'peak' (constant-arrival-rate) states a rate of iterations; its VUs are a "
                "pool: no peak_concurrency"
            ],
        ),
        (
            "{ soak: { ...common, executor: 'constant-vus', vus: 10 } }",
            None,
            ["load/s.js:2:45 scenario 'soak' spreads another object: no peak_concurrency"],
        ),
        (
            "{ a: { executor: 'constant-vus', vus: 10 }, b: { executor: 'constant-vus', vus: 20 } }",
            None,
            ["load/s.js:2:37 2 scenarios, which may run at once or one after another: no peak_concurrency"],
        ),
    ],
)
def test_scenarios_give_a_peak_only_when_it_is_plain(
    tmp_path: Path, scenarios: str, peak: tuple[int, str] | None, said: list[str]
) -> None:
    script = f"import http from 'k6/http';\nexport const options = {{ scenarios: {scenarios} }};\n"
    found = scanned(repo(tmp_path / "scenarios", {"load/s.js": script}))
    assert values(found) == ({"peak_concurrency": peak} if peak else {})
    assert notes(found) == said


OPENSLO_V1 = """\
    apiVersion: openslo/v1
    kind: Service
    metadata: {name: helpdesk}
    spec: {description: Helpdesk assistant}
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata:
      name: answers-availability
    spec:
      service: helpdesk
      indicatorRef: answers-success-ratio
      budgetingMethod: Occurrences
      objectives:
        - displayName: Answers succeed
          targetPercent: 99.5
    ---
    apiVersion: openslo/v1
    kind: SLO
    metadata:
      name: answers-latency
    spec:
      service: helpdesk
      indicator:
        metadata: {name: answer-latency}
        spec:
          thresholdMetric:
            metricSource: {type: Prometheus, spec: {query: answer_seconds}}
      budgetingMethod: Timeslices
      objectives:
        - displayName: p95 under 2.5 s
          op: lte
          value: 2.5
          target: 0.95
"""

OPENSLO_V1ALPHA = """\
    # openslo/v1alpha: ratio metrics inside each objective, `target` only.
    apiVersion: openslo/v1alpha
    kind: SLO
    metadata:
      name: summarizer
    spec:
      service: helpdesk
      budgetingMethod: Occurrences
      objectives:
        - displayName: Summaries succeed
          target: 0.995
          ratioMetrics:
            good: {source: prometheus, queryType: promql, query: good}
            total: {source: prometheus, queryType: promql, query: total}
        - displayName: Summaries written as a percent
          target: 99.5
      timeWindows:
        - {count: 30, unit: Day, isRolling: true}
"""

SLOTH = """\
    version: "prometheus/v1"
    service: "helpdesk"
    slos:
      - name: "requests-availability"
        objective: 99.5
        sli:
          events:
            error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))
            total_query: sum(rate(http_requests_total[{{.window}}]))
        alerting: {name: HelpdeskAvailability, page_alert: {labels: {severity: page}}}
      - name: "requests-latency"
        objective: 99
        sli:
          raw:
            error_ratio_query: slow_ratio
        alerting: {name: HelpdeskLatency}
      - name: "written-as-a-fraction"
        objective: 0.999
        sli: {raw: {error_ratio_query: x}}
"""


def test_openslo_v1_v1alpha_and_sloth_agree_on_one_availability(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "slo",
        {"slo/v1.yaml": OPENSLO_V1, "slo/v1alpha.yml": OPENSLO_V1ALPHA, "sloth/helpdesk.yml": SLOTH},
    )
    found = scanned(top)
    assert values(found) == {"availability": (0.995, "slo/v1.yaml:16:22")}
    assert found[0]["availability"][1].what == "OpenSLO SLO 'answers-availability' targetPercent 99.5"
    assert notes(found) == [
        "slo/v1.yaml:31:7 SLO 'answers-latency': a threshold objective (op and value on a metric of unstated unit): "
        "no target",
        "slo/v1alpha.yml:16:15 target 99.5 of SLO 'summarizer' is not a share in (0, 1): no target",
        "sloth/helpdesk.yml:18:16 objective 0.999 of Sloth SLO 'written-as-a-fraction' is not a percent in (1, 100]: "
        "no target",
    ]


def test_two_files_stating_different_values_propose_none_and_say_both(tmp_path: Path) -> None:
    k6 = "import http from 'k6/http';\nexport const options = { thresholds: { http_req_failed: ['rate<0.01'] } };\n"
    top = repo(
        tmp_path / "conflict",
        {
            "slo/v1alpha.yml": OPENSLO_V1ALPHA.replace("target: 0.995", "target: 0.999"),
            "sloth/helpdesk.yml": SLOTH,
            "load/a.js": k6,
            "load/b.js": k6.replace("0.01", "0.02"),
        },
    )
    found = scanned(top)
    assert values(found) == {}
    assert [note for note in notes(found) if "none proposed" in note] == [
        "load/a.js:2:58 states error_rate 0.01, but load/b.js:2:58 states 0.02: none proposed, for the team to settle",
        "load/b.js:2:58 states error_rate 0.02, but load/a.js:2:58 states 0.01: none proposed, for the team to settle",
        "slo/v1alpha.yml:11:15 states availability 0.999, but sloth/helpdesk.yml:5:16 states 0.995: none proposed, "
        "for the team to settle",
        "sloth/helpdesk.yml:5:16 states availability 0.995, but slo/v1alpha.yml:11:15 states 0.999: none proposed, "
        "for the team to settle",
    ]


@pytest.mark.parametrize(
    ("artifact", "expected"),
    [
        (
            "pass-export-with-thresholds.json",
            {
                "latency_p95_ms": (500, "load-tests/summary.json:68:17"),
                "error_rate": (0.01, "load-tests/summary.json:88:17"),
            },
        ),
        (
            "pass-handlesummary-with-thresholds.json",
            {
                "latency_p95_ms": (300, "load-tests/summary.json:47:9"),
                "error_rate": (0.001, "load-tests/summary.json:76:9"),
            },
        ),
    ],
)
def test_a_k6_summary_in_either_shape_states_its_thresholds(
    tmp_path: Path, artifact: str, expected: dict[str, tuple[float | int, str]]
) -> None:
    top = repo(tmp_path / "summary", {"load-tests/summary.json": (SUMMARIES / artifact).read_bytes()})
    found = scanned(top)
    assert values(found) == expected
    assert notes(found) == []


def test_a_script_and_its_summary_that_agree_give_the_first_place(tmp_path: Path) -> None:
    script = "import http from 'k6/http';\nexport const options = { thresholds: { http_req_failed: ['rate<0.01'] } };\n"
    summary = (SUMMARIES / "pass-export-with-thresholds.json").read_bytes()
    found = scanned(repo(tmp_path / "agree", {"load-tests/run.js": script, "load-tests/summary.json": summary}))
    assert values(found)["error_rate"] == (0.01, "load-tests/run.js:2:58")


def test_hostile_files_are_said_and_never_break_the_reading(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("apiVersion: openslo/v1\nkind: SLO\nspec: {objectives: [{target: 0.5}]}\n", encoding="utf-8")
    deep = "import http from 'k6/http';\nexport const options = " + "{a: " * 200 + "1" + "}" * 200 + ";\n"
    top = repo(
        tmp_path / "hostile",
        {
            "slo/broken.yaml": "apiVersion: openslo/v1\nkind: SLO\nspec: {objectives: [\n",
            "slo/escape.yaml": 'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: "a\\e[2Jb"}\n',
            "load/deep.js": deep,
            "load/slow.js": "import http from 'k6/http';\nexport const options = { vus: [" + "," * 200_000 + "] };\n",
            "load/summary.json": '{"root_group": {}, "metrics": [',
            "load/not-k6.js": "export const options = { thresholds: { http_req_failed: ['rate<0.01'] } };\n",
        },
    )
    (top / "slo" / "linked.yaml").symlink_to(outside)
    with open(top / "slo" / "huge.yaml", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    found = scanned(top)
    assert values(found) == {}
    said = notes(found)
    assert said[0] == "load/deep.js:2:24 options not read: nested over 32 levels"
    assert said[1] == "load/slow.js:2:24 options not read: over 100,000 steps to read"
    assert said[2].startswith("load/summary.json:1:") and " not read: " in said[2]
    assert said[3].startswith("slo/broken.yaml:") and " not read: " in said[3]
    assert said[4].startswith("slo/escape.yaml:3:") and " not read: " in said[4]
    assert said[5] == "slo/huge.yaml:1:1 not read: file is 52,428,800 bytes; the limit is 5,242,880 bytes"
    assert len(said) == 6  # the link out of the project is never read, and a script without k6 states nothing
    assert all(first_control(note) is None for note in said)


def test_fraud_scoring_states_its_error_rate_and_says_what_it_does_not_propose() -> None:
    found = scanned(EXAMPLES / "fraud-scoring")
    # The load test holds itself to 1 % errors; the team's assessment targets 0.05 %: the scan proposes what the
    # repository states, and an existing answer is never overwritten. Its latency threshold is a p(99) on a
    # sub-metric, which states no p95.
    assert values(found) == {"error_rate": (0.01, "load-tests/2026-09-peak/summary.json:43:17")}
    assert notes(found) == [
        "load-tests/score.k6.js:11:11 scenario 'peak' (constant-arrival-rate) states a rate of iterations; its VUs "
        "are a pool: no peak_concurrency",
    ]


@pytest.mark.parametrize("example", ["support-copilot", "ops-agent"])
def test_examples_whose_slos_are_only_alert_rules_state_no_target(example: str) -> None:
    # Their monitoring/ folders hold Prometheus alert rules: the objective sits in a comment and a burn-rate
    # expression, neither of which is a specification of it.
    assert scanned(EXAMPLES / example) == ({}, [])


_JS_PIECES = st.sampled_from(
    ["{", "}", "[", "]", "(", ")", ",", ":", "'", '"', "`", "${", "//", "/*", "*/", "\n", "...", "=>", "\\",
     "vus", "stages", "target", "thresholds", "http_req_duration", "'p(95)<500'", "1e3", "0x1F", "-", " "]
)  # fmt: skip


@settings(derandomize=True, deadline=None, max_examples=300)
@given(st.lists(_JS_PIECES, max_size=60))
def test_any_options_text_is_read_or_said_never_a_crash(pieces: list[str]) -> None:
    text = "import http from 'k6/http';\nexport const options = " + "".join(pieces)
    stated, said = k6options.script(text, "load/t.js")
    assert all(statement.clue.line >= 1 and statement.clue.column >= 1 for statement in stated)
    assert all(note.line >= 1 and note.column >= 1 for note in said)


def test_a_file_whose_name_holds_an_escape_sequence_is_never_read(tmp_path: Path) -> None:
    script = "import http from 'k6/http';\nexport const options = { vus: 7 };\n"
    top = repo(tmp_path / "named", {"load/\x1b[2Jrun.js": script})
    assert scanned(top) == ({}, [])
