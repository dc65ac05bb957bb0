"""The packages a dependency file names, each at its line: pyproject.toml, requirements*.txt, uv.lock, poetry.lock,
package.json, go.mod and the image lines of Dockerfiles and compose or Kubernetes files.

Each reader takes the file's text and gives mentions, or an Unread saying where the file stops being readable;
none of them runs anything the file holds.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import Any

from readiness.verify.scan import sourcelines
from readiness.verify.scan.model import Mention, Unread
from readiness.verify.scan.sourcelines import line_col

if sys.version_info >= (3, 11):
    import tomllib

_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_LOCK_NAME = re.compile(r'^name = "([^"]+)"', re.MULTILINE)
# Blanks at a line's start are [ \t], never \s: \s also takes line breaks, and a file of a million empty lines
# would make every line's match run to the end of the file.
_GO_REQUIRE = re.compile(r"^[ \t]*(?:require[ \t]+)?([A-Za-z0-9][\w.~/-]*\.[\w.~/-]+)[ \t]+v\S+", re.MULTILINE)
_IMAGE = re.compile(
    r"^[ \t]*(?:FROM(?:[ \t]+--\S+)*[ \t]+|-?[ \t]*image:[ \t]*[\"']?)([\w.:/-]+)", re.MULTILINE | re.IGNORECASE
)
# A load balancer's exposure in a deploy file (Kubernetes manifests, Helm values): the scheme annotations of the
# AWS Load Balancer Controller and a Gateway's class, each as `key: value` on one line, quoted or not.
_EXPOSURE = re.compile(
    r"""^[ \t]*(?:-[ \t]+)?(["']?)"""
    r"""(service\.beta\.kubernetes\.io/aws-load-balancer-scheme|alb\.ingress\.kubernetes\.io/scheme|gatewayClassName)\1"""
    r"""[ \t]*:[ \t]*["']?([\w.-]+)["']?[ \t]*(?:#.*)?$""",
    re.MULTILINE,
)
_TOO_DEEP = "not read: nested too deeply for the standard library's reader"
_WORD = re.compile(r"[A-Za-z0-9][\w.-]*")
_QUOTED = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_TOML_WHERE = re.compile(r"at line (\d+), column (\d+)")
# A TOML string (whose '#' is no comment) or a comment: a package named in a comment above its requirement
# (`# reached through openai`) is not where the requirement stands.
_TOML_COMMENT = re.compile(r"\"(?:[^\"\\\n]|\\.)*\"|'[^'\n]*'|#[^\n]*")

Reader = Callable[[str, str], tuple[list[Mention], list[Unread]]]


def reader_for(path: str) -> Reader | None:
    """The reader of the file at `path` ('/'-separated), or None when it is no dependency file we read."""
    name = PurePosixPath(path).name
    lower = name.lower()
    if name == "pyproject.toml":
        return pyproject
    if name in ("uv.lock", "poetry.lock"):
        return lock
    if name == "package.json":
        return package_json
    if name == "go.mod":
        return go_mod
    if lower.endswith(sourcelines.SCRIPT_SUFFIXES) and not lower.endswith((".d.ts", ".min.js")):
        return sourcelines.script_imports
    if lower.endswith(".go"):
        return sourcelines.go_imports
    if lower.endswith(".schema.json") or (lower.endswith(".json") and "/schemas/" in f"/{path.lower()}"):
        return json_schema
    if lower.endswith(".txt") and (lower.startswith("requirements") or "/requirements/" in f"/{path.lower()}"):
        return requirements
    if lower.startswith("dockerfile") or lower.endswith((".dockerfile", ".containerfile")) or lower == "containerfile":
        return images
    if lower.endswith((".yaml", ".yml")):
        return deploy_yaml
    return None


def rank(reader: Reader) -> int:
    """The order of reading: dependency files, then images and schemas, then source lines."""
    if reader in (pyproject, lock, package_json, go_mod, requirements):
        return 0
    return 2 if reader in (sourcelines.script_imports, sourcelines.go_imports) else 1


def requirements(text: str, path: str) -> tuple[list[Mention], list[Unread]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        content = line.split("#", 1)[0]
        if not content.strip() or content.lstrip().startswith("-"):
            continue  # options (-r, -e, --index-url) name files and places, not packages
        match = _REQUIREMENT.match(content)
        if match:
            found.append(Mention("python", match.group(1), path, number, match.start(1) + 1))
    return found, []


def lock(text: str, path: str) -> tuple[list[Mention], list[Unread]]:
    """uv.lock and poetry.lock: every `[[package]]` starts with its name; read by line, as a lock file may hold
    thousands of packages and only the names matter."""
    return [Mention("python", m.group(1), path, *line_col(text, m.start(1))) for m in _LOCK_NAME.finditer(text)], []


def pyproject(text: str, path: str) -> tuple[list[Mention], list[Unread]]:
    data = _toml(text, path)
    if isinstance(data, Unread):
        return [], [data]
    names = [name for spec in _pyproject_specs(data) if (name := _spec_name(spec))]
    plain = _TOML_COMMENT.sub(_blank_comment, text)
    # A requirement string ("lightgbm>=4.5") is where a name stands, before a word in a description; Poetry's
    # tables name a package as a bare key, found as a word.
    quoted = _first_places(plain, _QUOTED, lambda found: (_spec_name(found) or "").lower())
    words = _first_places(plain, _WORD, str.lower)
    places = {**words, **quoted}
    return [Mention("python", name, path, *places.get(name.lower(), (1, 1))) for name in dict.fromkeys(names)], []


if sys.version_info >= (3, 11):

    def _toml(text: str, path: str) -> dict[str, Any] | Unread:
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            where = _TOML_WHERE.search(str(error))
            line, column = (int(where.group(1)), int(where.group(2))) if where else line_col(text, len(text))
            return Unread(path, line, column, f"not TOML: {str(error).split(' (at ')[0]}")
        except RecursionError:
            return Unread(path, 1, 1, _TOO_DEEP)

else:

    def _toml(text: str, path: str) -> dict[str, Any] | Unread:
        # No TOML reader in the standard library before 3.11, and guessing at TOML by lines would misread it.
        return Unread(path, 1, 1, "not read: reading pyproject.toml takes Python 3.11 or later")


def _pyproject_specs(data: dict[str, Any]) -> Iterator[str]:
    """The requirement strings (PEP 621, dependency groups) and Poetry's dependency names."""
    project = _table(data.get("project"))
    yield from _strings(project.get("dependencies"))
    for extra in _table(project.get("optional-dependencies")).values():
        yield from _strings(extra)
    for group in _table(data.get("dependency-groups")).values():
        yield from _strings(group)
    poetry = _table(_table(data.get("tool")).get("poetry"))
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    tables += [_table(group).get("dependencies") for group in _table(poetry.get("group")).values()]
    for table in tables:
        yield from (name for name in _table(table) if name != "python")


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _blank_comment(match: re.Match[str]) -> str:
    # Spaces of the same length: every place after it keeps its line and column.
    found = match.group(0)
    return " " * len(found) if found.startswith("#") else found


def _spec_name(spec: str) -> str | None:
    match = _REQUIREMENT.match(spec)
    return match.group(1) if match else None


def package_json(text: str, path: str) -> tuple[list[Mention], list[Unread]]:
    data = _json(text, path)
    if isinstance(data, Unread):
        return [], [data]
    if not isinstance(data, dict):
        return [], [Unread(path, 1, 1, "not a package.json: the file holds no object")]
    names: list[str] = []
    for section in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        names += [name for name in _table(data.get(section)) if isinstance(name, str)]
    places = _first_places(text, _QUOTED, lambda found: found)
    return [Mention("npm", name, path, *places.get(name, (1, 1))) for name in dict.fromkeys(names)], []


def json_schema(text: str, path: str) -> tuple[list[Mention], list[Unread]]:
    """The property names a JSON Schema declares, at any depth: a field named like personal data shows that the
    system handles it."""
    data = _json(text, path)
    if isinstance(data, Unread):
        return [], [data]
    names: list[str] = []
    pending: list[object] = [data]
    while pending:  # a loop, not recursion: the schema's nesting is the file author's to choose
        node = pending.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names += [name for name in properties if isinstance(name, str)]
            pending += node.values()
        elif isinstance(node, list):
            pending += node
    places = _first_places(text, _QUOTED, lambda found: found)
    return [Mention("field", name, path, *places.get(name, (1, 1))) for name in sorted(set(names))], []


def _json(text: str, path: str) -> Any:
    """The file's data, or an Unread saying where it stops being JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        return Unread(path, error.lineno, error.colno, f"not JSON: {error.msg}")
    except RecursionError:
        return Unread(path, 1, 1, _TOO_DEEP)


def go_mod(text: str, path: str) -> tuple[list[Mention], list[Unread]]:
    return [Mention("go", m.group(1), path, *line_col(text, m.start(1))) for m in _GO_REQUIRE.finditer(text)], []


def images(text: str, path: str) -> tuple[list[Mention], list[Unread]]:
    found = []
    for match in _IMAGE.finditer(text):
        image = match.group(1).rsplit("@", 1)[0]
        name = re.sub(r":[\w.-]+$", "", image)  # the tag, not a registry's port (which a '/' follows)
        found.append(Mention("image", name, path, *line_col(text, match.start(1))))
    return found, []


def deploy_yaml(text: str, path: str) -> tuple[list[Mention], list[Unread]]:
    """A YAML file's images, and how its load balancers are exposed."""
    found, _ = images(text, path)
    for match in _EXPOSURE.finditer(text):
        key, value = match.group(2), match.group(3)
        kind, name = ("gateway-class", value) if key == "gatewayClassName" else ("annotation", f"{key}: {value}")
        found.append(Mention(kind, name, path, *line_col(text, match.start(2))))
    return found, []


def _first_places(text: str, pattern: re.Pattern[str], key: Callable[[str], str]) -> dict[str, tuple[int, int]]:
    """Where each name (a word, or a quoted string's content) first stands, in one pass over the text: the
    parsers that give the names do not give places, and searching the text once per name would take minutes
    on a large file with thousands of names."""
    places: dict[str, tuple[int, int]] = {}
    line, line_start, scanned = 1, 0, 0
    for match in pattern.finditer(text):
        name = key(match.group(match.lastindex or 0))
        if name in places:
            continue
        offset = match.start(match.lastindex or 0)
        breaks = text.count("\n", scanned, offset)
        if breaks:
            line += breaks
            line_start = text.rfind("\n", scanned, offset) + 1
        scanned = offset
        places[name] = (line, offset - line_start + 1)
    return places
