"""The install-time build: every artifact of readiness/load/prebuilt.py, written into the package.

Run by hatch_build.py, with the sources of the checkout or the sdist being built; never by a run of the tool.
It stands above the layers because it gathers from three of them: the schemas' validators (load), the built-in
packs as read (core's files, load's reader) and the report templates compiled in the renderers' environment
(render). Each artifact is made by the same function of prebuilt.py that a run uses when the artifact is stale,
so the two cannot differ.
"""

from __future__ import annotations

import os
from pathlib import Path

from readiness.load import prebuilt
from readiness.load.resources import data_dir


def build(folder: Path) -> list[Path]:
    """Write every artifact into `folder` (made if missing, emptied of what an earlier build left); the files
    written."""
    import jinja2

    from readiness.render.templating import for_html, make_environment

    folder.mkdir(parents=True, exist_ok=True)
    if folder.name != prebuilt.FOLDER.name and any(folder.iterdir()):
        raise ValueError(f"{folder} is neither empty nor a folder of artifacts; nothing in it was removed")
    for old in sorted(folder.rglob("*"), reverse=True):
        if old.is_dir():
            old.rmdir()
        else:
            old.unlink()
    written = [_write(folder / "__init__.py", '"""Made by the build (readiness/build.py); never edited."""\n')]
    for kind in prebuilt.SCHEMA_KINDS:
        source = prebuilt.header(prebuilt.validator_digest(kind)) + prebuilt.validator_source(kind)
        written.append(_write(folder / f"{kind}_schema.py", source))
    templates = data_dir("templates")
    for html in (True, False):
        environment = make_environment(html, jinja2.FileSystemLoader(str(templates)))
        for name in sorted(n for n in environment.list_templates(extensions=["j2"]) if for_html(n) == html):
            target = prebuilt.template_folder(html, folder) / prebuilt.template_module(name)
            written.append(_write(target, prebuilt.template_code(environment, name, html)))
    packs = sorted(data_dir("checklists").glob("*.yaml"))
    text = prebuilt.packs_source(packs)
    if text is not None:
        written.append(_write(folder / prebuilt.PACKS, text))
    return written


def _write(path: Path, text: str) -> Path:
    """Through a temporary file and a rename: a run importing the module while an editable install rebuilds it
    sees the old one or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)
    return path
