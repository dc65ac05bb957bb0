"""The packages JavaScript, TypeScript and Go source imports, read from its import lines by pattern (no parser
for these languages in the standard library). Only what a line imports is taken; nothing is evaluated."""

from __future__ import annotations

import re

from readiness.verify.scan.model import Mention, Unread

SCRIPT_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
# `import x from "p"`, `export … from "p"`, `import "p"`, `require("p")`, `import("p")`: the quoted specifier.
_SCRIPT = re.compile(r"""(?:\bfrom[ \t]*|\bimport[ \t]*\(?[ \t]*|\brequire[ \t]*\([ \t]*)["']([^"'\n]{1,200})["']""")
# An import spec of Go: a quoted path alone on its line, after `import` and an optional name.
_GO = re.compile(r"""^[ \t]*(?:import[ \t]+)?(?:[\w.]+[ \t]+)?"([\w.~/-]{1,300})"[ \t]*(?://.*)?$""", re.MULTILINE)


def script_imports(text: str, path: str) -> tuple[list[Mention], list[Unread]]:
    found = []
    for match in _SCRIPT.finditer(text):
        package = npm_package(match.group(1))
        if package is not None:
            found.append(Mention("npm-import", package, path, *line_col(text, match.start(1))))
    return found, []


def go_imports(text: str, path: str) -> tuple[list[Mention], list[Unread]]:
    found = [Mention("go-import", m.group(1), path, *line_col(text, m.start(1))) for m in _GO.finditer(text)]
    return found, []


def npm_package(specifier: str) -> str | None:
    """The package a specifier names (`@scope/name/sub` -> `@scope/name`); None for a relative or absolute path
    or a URL, which name no package."""
    if specifier.startswith((".", "/")) or ":" in specifier:
        return None
    parts = specifier.split("/")
    return "/".join(parts[:2]) if specifier.startswith("@") else parts[0]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1
