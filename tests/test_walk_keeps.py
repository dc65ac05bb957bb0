"""A sitting that keeps every default changes nothing: not a byte of the file, not a line of the summary."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.walkpty import assess, ended, keep_everything

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

EXAMPLES = sorted(p.name for p in (REPO / "examples").iterdir() if (p / "readiness.yaml").is_file())


@pytest.mark.parametrize("example", EXAMPLES)
def test_keeping_every_default_through_items_raci_and_cost_leaves_the_file_byte_identical(
    tmp_path: Path, example: str
) -> None:
    folder = tmp_path / example
    shutil.copytree(REPO / "examples" / example, folder)
    file = folder / "readiness.yaml"
    before = file.read_bytes()
    child = assess(file, "--all")
    seen = keep_everything(child)
    child.expect_exact("Nothing changed in this session.")
    assert ended(child) == 0
    assert seen > 10  # the walk went through the items, not only the RACI and cost questions
    assert file.read_bytes() == before
