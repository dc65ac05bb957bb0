"""The review report on paper: each example's brief and full report printed to PDF by a real headless Chromium
(Debian's `chromium`), the pages counted and read back with PDFium.

The brief is what a board reads: at most six A4 pages. Every page carries the project and its page number in
the foot; no heading is left alone at the foot of a page; no page but the last is nearly empty. The full
report's folded parts (remediation plan, evidence, appendix) are open on paper.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]
import pytest

from tests.conftest import REPO, TODAY, Project, Run
from tests.test_report import headless

CliRunner = Callable[..., Run]
EXAMPLES = ["support-copilot", "fraud-scoring", "ops-agent"]
BRIEF_PAGES = 6  # the most a board is asked to read
NEARLY_EMPTY = 500  # characters of text: fewer on a page that is not the last, and the page is mostly blank


def _print(page: Path, pdf: Path, profile: Path) -> list[str]:
    """The text of each printed page. The browser's own header and footer are off, as they are when the user
    unticks them in the print dialog: the footer on paper is the report's own."""
    command = [
        *headless(profile),
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    return _pages(pdf)


def _pages(pdf: Path) -> list[str]:
    """The text of each page, a line of print to a line of text. PDFium reads it in a fiftieth of the time a pure
    Python reader takes over the thousands of small strokes a full report's tables and charts draw on each page.
    It gives a word broken at its hyphen at the end of a line as one word with U+FFFE for the hyphen: put back as
    printed, so that the last line of a page is the one on paper."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [
            page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\ufffe", "-\n") for page in document
        ]
    finally:
        document.close()


def _report(cli: CliRunner, source: Path, out: Path, *extra: str) -> str:
    run = cli("report", source, "-o", out, "--today", TODAY, *extra)
    assert run.code == 0, run.err
    return out.read_text(encoding="utf-8")


def _body(text: str, footer: str) -> list[str]:
    """A page's lines without its footer (page-margin text comes out first or last, depending on the reader)."""
    return [line for line in text.splitlines() if line.strip() and footer not in line and not _PAGE.search(line)]


_PAGE = re.compile(r"page \d+ of \d+")


def _headings(html: str) -> set[str]:
    """Section headings and table heads, without spaces: none may be the last line of a page."""
    found = re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html, re.S) + re.findall(r"<thead>(.*?)</thead>", html, re.S)
    return {_squeezed(re.sub(r"<[^>]+>", "", text)) for text in found}


@pytest.fixture(scope="module")
def brief_pages() -> dict[str, int]:
    """How many pages each example's brief printed on, kept by the test that printed it: the full report's test
    compares with it rather than printing the brief again, unless it runs first or on another worker."""
    return {}


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_example_prints_a_brief_of_at_most_six_pages_with_numbered_footers(
    cli: CliRunner, tmp_path: Path, name: str, brief_pages: dict[str, int]
) -> None:
    source = REPO / "examples" / name / "readiness.yaml"
    html = _report(cli, source, tmp_path / "brief.html")
    pages = _print(tmp_path / "brief.html", tmp_path / "brief.pdf", tmp_path / "profile")
    brief_pages[name] = len(pages)
    assert 1 < len(pages) <= BRIEF_PAGES, f"{name}: the brief prints on {len(pages)} pages"
    project = re.search(r"<h1[^>]*><bdi>(.*?)</bdi></h1>", html)
    assert project is not None
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in text, f"{name}: page {number} has no page number"
        assert project.group(1) in text and "readiness brief" in text, f"{name}: page {number} names no project"
    headings = _headings(html)
    for number, text in enumerate(pages[:-1], start=1):
        body = _body(text, "readiness brief")
        assert _squeezed(body[-1]) not in headings, f"{name}: '{body[-1]}' is stranded at the foot of page {number}"
        assert len("".join(body)) >= NEARLY_EMPTY, f"{name}: page {number} is nearly empty"


@pytest.mark.parametrize("name", EXAMPLES)
def test_each_full_report_prints_its_folded_parts_open(
    cli: CliRunner, tmp_path: Path, name: str, brief_pages: dict[str, int]
) -> None:
    source = REPO / "examples" / name / "readiness.yaml"
    if name not in brief_pages:
        _report(cli, source, tmp_path / "brief.html")
        brief_pages[name] = len(_print(tmp_path / "brief.html", tmp_path / "brief.pdf", tmp_path / "profile"))
    html = _report(cli, source, tmp_path / "full.html", "--full")
    full = _print(tmp_path / "full.html", tmp_path / "full.pdf", tmp_path / "profile")
    assert len(full) > brief_pages[name]
    text = "\n".join(full)
    for number in range(1, len(full) + 1):
        assert f"page {number} of {len(full)}" in full[number - 1] and "readiness report" in full[number - 1]
    # The last remediation card and the last appendix row are on paper, though folded on screen.
    cards = re.findall(r'<li class="card card-\w+">\s*<h3><bdi>(.*?)</bdi></h3>', html)
    assert cards and _squeezed(cards[-1]) in _squeezed(text)
    appendix = re.findall(r'<th scope="row" class="item"><code>(.*?)</code>', html)
    assert appendix and appendix[-1] in text
    assert "Show every item and its answer" not in text  # the fold's handle is for the screen only
    headings = _headings(html)
    for number, page in enumerate(full[:-1], start=1):
        body = _body(page, "readiness report")
        assert _squeezed(body[-1]) not in headings, f"{name}: '{body[-1]}' is stranded at the foot of page {number}"


def _squeezed(text: str) -> str:
    """Text without its spaces: a PDF's lines wrap where the HTML's did not."""
    return re.sub(r"\s+", "", text.replace("&#39;", "'").replace("&amp;", "&"))


def test_a_hostile_project_name_stays_text_in_the_print_footer(
    cli: CliRunner, tmp_path: Path, project: Callable[..., Project]
) -> None:
    made = project("answers: {}\n")
    name = 'Evil"; } body { display: none } </style><script>x</script>\u202e Zoë'
    text = made.file.read_text(encoding="utf-8").replace("{name: P,", "{name: " + _yaml_string(name) + ",", 1)
    made.file.write_text(text, encoding="utf-8")
    html = _report(cli, made.file, tmp_path / "r.html")
    style = html.split("<style>")[1].split("</style>")[0]
    assert "<" not in style and "\u202e" not in style
    pages = _print(tmp_path / "r.html", tmp_path / "r.pdf", tmp_path / "profile")
    shown = "".join(pages[0].split())
    # The name is printed as text, its right-to-left override dropped; the body is not hidden.
    assert 'Evil";}body{display:none}</style><script>x</script>Zoë' in shown
    assert "AIPRODUCTIONREADINESSREVIEW" in shown.upper()


def _yaml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\u202e", "\\u202e")
    return f'"{escaped}"'
