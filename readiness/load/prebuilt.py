"""What the build makes ahead of time so that a run need not: the schema validators as Python modules, the report
templates compiled to Python modules, and the built-in packs as read, in a module of plain Python literals.

They live in the package (`readiness/_generated/`, written by readiness/build.py when hatch_build.py builds the
wheel or the editable install), never in a folder that a user or a pull request can write; a run writes nothing.
Each one names, on its first line, the digest of everything it was made from: its source text, the version of
the library that made it, and the text of the code here and in the modules that shape it. A run uses it only
when that digest is the one of the sources it has now; otherwise (an edited template, a clone run without an
install, another jinja2) it makes the same thing in memory. Build and run make everything through the functions
of this module, so the two cannot differ.

Only the standard library is imported at the top: the build runs this module with nothing but its own
requirements, and `check` must not import jinja2.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

    from readiness.load.yamlsource import Document

PACKAGE = Path(__file__).resolve().parent.parent  # readiness/
FOLDER = PACKAGE / "_generated"
SCHEMA_KINDS = ("assessment", "checklist", "result")
_HEADER = "# readiness artifact "
PACKS = "packs.py"
# fastjsonschema names each nested value with `"….{var}".format(**locals())`: a copy of every local of a
# large function, once per answer. An f-string reads the one variable the name needs.
_FORMAT_LOCALS = re.compile(r'"((?:[^"\\{}]|\{\w+\})*)"\.format\(\*\*locals\(\)\)')


def _digest(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each prefixed with its length so that no two lists of parts run together."""
    total = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        total.update(len(data).to_bytes(8, "big"))
        total.update(data)
    return total.hexdigest()


@cache
def _code_text(*modules: str) -> bytes:
    """The text of our own modules that shape an artifact (paths inside the package): a change to them makes
    the artifact stale without anyone having to remember a version number."""
    return b"".join((PACKAGE / module).read_bytes() for module in ("load/prebuilt.py", *modules))


def header(digest: str) -> str:
    return f"{_HEADER}{digest}\n"


def _starts_with(digest_line: str, path: Path) -> bool:
    """Whether the file at `path` starts with `digest_line`: the only thing read before a module is imported."""
    try:
        with path.open(encoding="utf-8") as stream:
            return stream.readline() == digest_line
    except (OSError, UnicodeDecodeError):
        return False


# --- Validators ---------------------------------------------------------------------------------------------


def validator_digest(kind: str) -> str:
    from fastjsonschema import VERSION

    from readiness.load.schemas import schema_text

    return _digest("validator", kind, schema_text(kind), VERSION, _code_text())


def validator_source(kind: str) -> str:
    """fastjsonschema's code for our schema, as a module whose `entry` checks a whole document.

    Every keyword our schemas use means the same in draft 7 (fastjsonschema's latest) as in 2020-12, and
    tests/test_schema_fast_path.py holds the two to the same verdict on valid and broken documents.
    """
    import fastjsonschema

    from readiness.load.schemas import is_date, schema

    definition = {**schema(kind), "$schema": "http://json-schema.org/draft-07/schema#"}
    # References are all local ("#/$defs/..."); a handler that refuses any URL keeps it that way.
    refuse = {scheme: _no_remote_references for scheme in ("http", "https", "file", "ftp")}
    source = fastjsonschema.compile_to_code(definition, handlers=refuse, formats={"date": is_date})
    source = _FORMAT_LOCALS.sub(lambda match: f'f"{match.group(1)}"', source)
    # The generated module defines the root validator first, then the ones for `$defs`.
    root = next(line[4:].split("(")[0] for line in source.splitlines() if line.startswith("def validate"))
    return f"{source}\n\nentry = {root}\n"


def _no_remote_references(uri: str) -> Any:
    raise ValueError(f"the schema refers to {uri}; readiness never opens the network")


def validator(kind: str, folder: Path = FOLDER) -> Callable[..., Any]:
    """The check of one document against our schema `kind`: fastjsonschema's `entry`, taking the document and
    `custom_formats`. From the package's module when it matches the schema, else made in memory."""
    return validator_in_package(kind, folder) or validator_in_memory(kind)


def validator_in_package(kind: str, folder: Path = FOLDER) -> Callable[..., Any] | None:
    module = _module_in_package(folder / f"{kind}_schema.py", validator_digest(kind))
    if module is None:
        return None
    entry: Callable[..., Any] = module.entry
    return entry


def _module_in_package(path: Path, digest: str) -> Any:
    """The generated module at `path` when its first line names `digest`, else None (and it is not imported)."""
    if not _starts_with(header(digest), path):
        return None
    spec = importlib.util.spec_from_file_location(f"readiness._generated.{path.stem}", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    # Imported like any module of the package, from the package's own folder, Python's bytecode beside it.
    spec.loader.exec_module(module)
    return module


def validator_in_memory(kind: str) -> Callable[..., Any]:
    namespace: dict[str, Any] = {"__name__": f"readiness._generated.{kind}_schema"}
    # The one place the package runs code it made: fastjsonschema's code for our own schema, just generated
    # from the package's schema file. Nothing read from outside the package is ever compiled or run.
    exec(compile(validator_source(kind), f"<readiness {kind} schema>", "exec"), namespace)
    entry: Callable[..., Any] = namespace["entry"]
    return entry


# --- Templates ----------------------------------------------------------------------------------------------


def template_folder(html: bool, folder: Path = FOLDER) -> Path:
    """One folder per environment: the same template compiles to other code with autoescaping."""
    return folder / ("templates_html" if html else "templates_text")


def template_digest(name: str, source: str, html: bool) -> str:
    import jinja2

    code = _code_text("render/templating.py", "render/mdescape.py")
    return _digest("template", name, "html" if html else "text", source, jinja2.__version__, code)


def template_module(name: str) -> str:
    from jinja2 import ModuleLoader

    return ModuleLoader.get_module_filename(name)


def template_in_package(name: str, source: str, html: bool, folder: Path = FOLDER) -> bool:
    """Whether the package holds `name` compiled from `source` for this environment."""
    digest = template_digest(name, source, html)
    return _starts_with(header(digest), template_folder(html, folder) / template_module(name))


def template_code(environment: jinja2.Environment, name: str, html: bool) -> str:
    """The Python module Jinja makes of one template, as jinja2.ModuleLoader loads it."""
    assert environment.loader is not None
    source, filename, _ = environment.loader.get_source(environment, name)
    code = environment.compile(source, name, filename, raw=True, defer_init=True)
    return header(template_digest(name, source, html)) + code


# --- Built-in packs -----------------------------------------------------------------------------------------


def pack_display(path: Path) -> str:
    """How a built-in pack file is named in messages and sources."""
    return f"checklists/{path.name}"


def packs_digest(paths: Iterable[Path]) -> str:
    import yaml

    parts: list[str | bytes] = ["packs", yaml.__version__, _code_text("load/yamlsource.py", "load/yamltext.py")]
    for path in sorted(paths, key=lambda p: p.name):
        parts += [path.name, path.read_bytes()]
    return _digest(*parts)


def packs_source(paths: Sequence[Path]) -> str | None:
    """The built-in packs as read from YAML, as a module of Python literals: its bytecode loads in a third of the
    time json.loads takes, positions and all. None when one does not read, or holds what a literal cannot (a
    date): then every run reads the YAML, and reports what is wrong."""
    from readiness.load.diagnostics import InputError
    from readiness.load.yamlsource import read_document

    try:
        documents = [read_document(path, pack_display(path)) for path in paths]
    except InputError:
        return None
    stored = tuple((document.file, document.data, document.values, document.keys) for document in documents)
    text = repr(stored)
    try:  # only plain data is written: what reads back as literals, unchanged
        if ast.literal_eval(text) != stored:
            return None
    except (ValueError, SyntaxError, RecursionError):
        return None
    return f"{header(packs_digest(paths))}DOCUMENTS = {text}\n"


def packs_in_package(paths: Sequence[Path], folder: Path = FOLDER) -> list[Document] | None:
    """The documents of the built-in packs at `paths`, in that order, from the package's module when it was made
    from these very files; else None, and the caller reads the YAML."""
    module = _module_in_package(folder / PACKS, packs_digest(paths))
    if module is None:
        return None
    from readiness.load.yamlsource import Document

    by_file = {file: Document(file, data, values, keys) for file, data, values, keys in module.DOCUMENTS}
    try:
        return [by_file[pack_display(path)] for path in paths]
    except KeyError:
        return None
