"""The built-in packs: the tool trusts them at run time, so the suite checks them."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness import schemas
from readiness.catalog import builtin_files, load_catalog, read_pack
from readiness.yamlsource import read_document

PACKS = builtin_files()


def test_there_are_built_in_packs() -> None:
    assert [path.stem for path in PACKS][:2] == ["ownership", "observability"]


@pytest.mark.parametrize("path", PACKS, ids=[p.stem for p in PACKS])
def test_pack_is_valid_against_the_checklist_schema(path: Path) -> None:
    document = read_document(path)
    assert [d.format() for d in schemas.validate(document, "checklist")] == []
    pack_file, problems = read_pack(path)
    assert pack_file is not None and problems == []
    assert pack_file.pack.id == path.stem, "a built-in pack's file is named after its id"


def test_item_ids_and_questions_are_unique() -> None:
    items = load_catalog().items
    ids = [item.id for item in items]
    questions = [item.question for item in items]
    assert len(set(ids)) == len(ids)
    assert len(set(questions)) == len(questions)
