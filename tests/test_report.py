"""`readiness report` and `readiness demo`: golden files, escaping of everything a user typed, and the HTML
in a real headless Chromium (Debian's `chromium`): no script runs, no request leaves, nothing logs an error.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import EXAMPLE, REPO, TODAY, Project, Run

GOLDEN = Path(__file__).parent / "golden"
CliRunner = Callable[..., Run]

HOSTILE = [
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "{{ 7 * 7 }} {% raw %}",
    "| pipe | **bold** [link](https://evil.example) `code`",
    "\u202eRTL override ✓ 漢字 🙂",
]


def _hostile_assessment(folder: Path) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "<b>runbook.md").write_text("x\n")
    payload = [json.dumps(text, ensure_ascii=False) for text in HOSTILE]
    text = f"""\
version: 1
project:
  name: {payload[0]}
  description: {payload[2]}
  target: pilot
  profile: {{llm: true}}
team:
  eve: {{name: {payload[1]}, role: {payload[3]}}}
raci:
  incident-response: {{R: [eve], A: eve}}
answers:
  ownership.accountable-owner:
    status: done
    evidence: ["docs/<b>runbook.md", "https://example.com/a?q=<script>x</script>"]
    note: {payload[1]}
  ownership.raci-complete:
    status: partial
    note: {payload[2]}
    owner: eve
  reliability.call-timeouts:
    status: na
    reason: {payload[4]}
  evaluation.golden-set:
    status: todo
    note: {payload[3]}
waivers:
  - item: data.source-licence
    reason: {payload[0]}
    approved_by: eve
    expires: 2026-12-01
"""
    path = folder / "readiness.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _report(cli: CliRunner, source: Path, fmt: str, out: Path, *extra: str) -> str:
    run = cli("report", source, "-f", fmt, "-o", out, "--today", TODAY, *extra)
    assert run.code == 0, run.err
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("fmt", "suffix"), [("html", "html"), ("markdown", "md")])
@pytest.mark.parametrize("extent", ["brief", "full"])
def test_golden_report_of_the_example(
    cli: CliRunner, tmp_path: Path, request: pytest.FixtureRequest, fmt: str, suffix: str, extent: str
) -> None:
    extra = ("--full",) if extent == "full" else ()
    text = _report(cli, EXAMPLE, fmt, tmp_path / f"report.{suffix}", *extra)
    golden = GOLDEN / (f"support-copilot.{suffix}" if extent == "brief" else f"support-copilot-full.{suffix}")
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), "no golden file yet: run pytest --update-golden and review the diff"
    assert text == golden.read_text(encoding="utf-8"), "the report changed: review it, then pytest --update-golden"
    again = _report(cli, EXAMPLE, fmt, tmp_path / f"again.{suffix}", *extra)
    assert again.encode() == text.encode(), "the same input and --today must give byte-identical output"


@pytest.mark.parametrize("name", ["fraud-scoring", "ops-agent"])
def test_every_example_renders_in_both_formats(cli: CliRunner, tmp_path: Path, name: str) -> None:
    source = REPO / "examples" / name / "readiness.yaml"
    html = _report(cli, source, "html", tmp_path / "r.html")
    markdown = _report(cli, source, "markdown", tmp_path / "r.md")
    assert html.startswith("<!DOCTYPE html>") and markdown.startswith("# ")


BRIEF_SECTIONS = [
    "Executive summary",
    "Scores by category",
    "Verified evidence",
    "Ownership",
    "Cost",
    "Accepted risks",
    "Framework coverage",
]
FULL_SECTIONS = ["Remediation plan", "Evidence index", "Appendix"]


@pytest.mark.parametrize(("fmt", "pattern"), [("html", r"<h2[^>]*>(.*?)</h2>"), ("markdown", r"(?m)^## (.*)$")])
def test_the_brief_has_its_sections_in_order_and_full_adds_the_rest(
    cli: CliRunner, tmp_path: Path, fmt: str, pattern: str
) -> None:
    brief = re.findall(pattern, _report(cli, EXAMPLE, fmt, tmp_path / "brief"))
    full = re.findall(pattern, _report(cli, EXAMPLE, fmt, tmp_path / "full", "--full"))
    assert [h for h in brief if any(h.startswith(name) for name in BRIEF_SECTIONS + FULL_SECTIONS)] == BRIEF_SECTIONS
    wanted = BRIEF_SECTIONS + FULL_SECTIONS
    assert [
        next(h for h in wanted if found.startswith(h)) for found in full if any(found.startswith(h) for h in wanted)
    ] == wanted


def test_full_report_folds_its_long_parts_on_screen_and_opens_them_on_paper(cli: CliRunner, tmp_path: Path) -> None:
    html = _report(cli, EXAMPLE, "html", tmp_path / "r.html", "--full")
    for section in ("remediation", "evidence", "appendix"):
        part = html.split(f'<section id="{section}">')[1].split("</section>")[0]
        assert '<details class="more">' in part and '<details class="more" open' not in part
    assert "details.more::details-content { content-visibility: visible; display: contents; }" in html
    brief = _report(cli, EXAMPLE, "html", tmp_path / "b.html")
    assert 'id="remediation"' not in brief and 'id="appendix"' not in brief and 'id="evidence"' not in brief


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_user_text_is_escaped_in_html(cli: CliRunner, tmp_path: Path) -> None:
    html = _report(cli, _hostile_assessment(tmp_path / "p"), "html", tmp_path / "r.html", "--full")
    page = _Collect()
    page.feed(html)
    assert [tag for tag, _ in page.tags if tag in ("script", "iframe", "object", "embed")] == []
    assert not [attrs for _, attrs in page.tags if any(name.startswith("on") for name in attrs)]
    text = "".join(page.text)
    for payload in HOSTILE:
        assert payload.split()[0] in text
    assert "{{ 7 * 7 }} {% raw %}" in text  # template syntax in user text stays literal
    links = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    assert all(str(href).startswith(("https://", "http://", "#")) for href in links)
    assert "https://example.com/a?q=<script>x</script>" in [str(h) for h in links]


def test_user_text_is_escaped_in_markdown(cli: CliRunner, tmp_path: Path) -> None:
    markdown = _report(cli, _hostile_assessment(tmp_path / "p"), "markdown", tmp_path / "r.md", "--full")
    assert "<script>" not in markdown and "<img" not in markdown and "<b>" not in markdown
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in markdown
    assert "\\{\\{ 7 \\* 7 \\}\\}" in markdown
    assert "[link](https://evil.example)" not in markdown


def test_report_refuses_to_overwrite_its_input_and_demo_writes_here(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "readiness.yaml"
    shutil.copy(EXAMPLE, copy)
    refused = cli("report", copy, "-o", copy, "--root", tmp_path)
    assert refused.code == 2 and "refusing to write the output over its own input" in refused.err
    monkeypatch.chdir(tmp_path)
    run = cli("demo", "--today", TODAY)
    assert run.code == 0
    assert run.out.splitlines()[1] == "readiness: not-ready · score 75.9 (min 70) · stage prototype of production"
    written = tmp_path / "readiness-demo.html"
    assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    # Readable by others like any file the user creates, not private like a temporary file.
    umask = os.umask(0)
    os.umask(umask)
    assert written.stat().st_mode & 0o777 == 0o666 & ~umask


# --- a real browser -----------------------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("READINESS_REQUIRE_BROWSER"):
        pytest.fail("READINESS_REQUIRE_BROWSER is set but no chromium is installed", pytrace=False)
    pytest.skip("no chromium on this machine (CI installs it and sets READINESS_REQUIRE_BROWSER)")


def headless(profile: Path) -> list[str]:
    """A headless Chromium with its own profile, quiet, that can reach nothing off the machine."""
    return [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        # Nothing may leave the machine during the tests, whoever asks.
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]


def _browse(page: Path, tmp_path: Path, *extra: str) -> tuple[str, str, Path]:
    """Load a page headless; returns the DOM after load, the browser's log, and its network log."""
    netlog = tmp_path / "netlog.json"
    command = [
        *headless(tmp_path / "profile"),
        "--enable-logging=stderr",
        "--v=0",
        f"--log-net-log={netlog}",
        "--virtual-time-budget=2000",
        *extra,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, done.stderr, netlog


def _requested_urls(netlog: Path) -> set[str]:
    log = json.loads(netlog.read_text(encoding="utf-8") or "{}") if netlog.exists() else {}
    urls: set[str] = set()
    for event in log.get("events", []):
        params = event.get("params") or {}
        for key in ("url", "original_url"):
            if isinstance(params.get(key), str):
                urls.add(params[key])
    return urls


def test_no_script_runs_and_payloads_show_as_text_in_chromium(cli: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    _report(cli, _hostile_assessment(tmp_path / "p"), "html", page)
    dom, _, _ = _browse(page, tmp_path, "--dump-dom")
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    # Had the project name's script run, the title would be just 'pwned'.
    assert title is not None and title.group(1).strip() != "pwned" and "readiness report" in title.group(1)
    assert "<script" not in dom.lower()
    parsed = _Collect()
    parsed.feed(dom)
    shown = "".join(parsed.text)
    assert "<script>document.title='pwned'</script>" in shown
    assert "{{ 7 * 7 }}" in shown


def test_demo_report_loads_without_errors_or_requests_and_is_screenshotted(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli("demo", "--today", TODAY).code == 0
    page = tmp_path / "readiness-demo.html"
    _, log, netlog = _browse(page, tmp_path, "--dump-dom")
    console = [line for line in log.splitlines() if "CONSOLE" in line or "Refused to" in line]
    assert console == []
    # The browser phones home on its own (time, updates, accounts); a blank page shows what that is.
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    _, _, blank_log = _browse(blank, tmp_path / "blank")
    browser_own = {urlsplit(url).netloc for url in _requested_urls(blank_log)}
    local = ("file:", "data:", "about:", "chrome:")
    outside = sorted(
        url for url in _requested_urls(netlog) if not url.startswith(local) and urlsplit(url).netloc not in browser_own
    )
    assert outside == []
    shots = Path(os.environ.get("READINESS_ARTIFACTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    shot = shots / "demo-report.png"
    _browse(page, tmp_path / "shot", f"--screenshot={shot}", "--window-size=1366,2000", "--hide-scrollbars")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_overdue_gaps_and_round_cost_axis(cli: CliRunner, tmp_path: Path, project: Callable[..., Project]) -> None:
    made = project(
        """\
        team: {ana: {name: Ana}}
        raci:
          on-call: {R: [ana], A: ana}
          switch-off: {R: [ana], A: ana}
        answers:
          ops.kill-switch: {status: todo, owner: ana, due: 2026-11-01}
          ops.runbook: {status: partial, owner: ana, due: 2027-01-15}
        cost:
          requests_per_day: 1000
          tokens: {input: 1000, output: 200}
          price_per_million: {input: 3, output: 15}
          fixed_monthly: 1000
          budget_monthly: 1500
        """
    )
    html = _report(cli, made.file, "html", tmp_path / "r.html", "--full")
    cards = {card.split("<code>")[1].split("</code>")[0]: card for card in html.split('<li class="card')[1:]}
    assert '2026-11-01 <span class="tag st-gap">overdue</span>' in cards["ops.kill-switch"]
    assert "overdue" not in cards["ops.runbook"]
    markdown = _report(cli, made.file, "markdown", tmp_path / "r.md", "--full")
    plan = markdown.split("## Remediation plan")[1].split("</details>")[0]
    rows = {line.split(" | ")[2].split(" ")[0]: line for line in plan.splitlines() if line.startswith("| ")}
    assert "2026-11-01 **overdue**" in rows["ops.kill-switch"] and "overdue" not in rows["ops.runbook"]
    # Expected 1,182.50 a month, worst case 1,547.50: the axis rounds up to 2,000 in steps of 500.
    chart = html.split('id="cost-chart-title"')[1].split("</svg>")[0]
    assert re.findall(r'text-anchor="end">([\d,]+)</text>', chart) == ["0", "500", "1,000", "1,500", "2,000"]


def test_fixed_costs_only_say_so_instead_of_a_zero_unit_cost(cli: CliRunner, tmp_path: Path) -> None:
    source = REPO / "examples" / "fraud-scoring" / "readiness.yaml"
    html = _report(cli, source, "html", tmp_path / "r.html")
    markdown = _report(cli, source, "markdown", tmp_path / "r.md")
    assert "none in tokens: the cost is fixed" in html and "0.000000" not in html
    assert "Requests cost nothing in tokens; the cost is fixed" in markdown
