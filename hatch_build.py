"""Build hook: put the schema validators, the compiled report templates and the read built-in packs into the
package, so that no run has to make them and none keeps them anywhere a user or a pull request can write.

The work is readiness/build.py's, through readiness/load/prebuilt.py, the module every run uses to check that an
artifact still matches its sources; this hook only decides where the files go:

- a wheel (`pip install .`, also from the sdist): into a temporary folder, added to the wheel as
  readiness/_generated/;
- an editable install (`pip install -e .`, which puts the checkout itself on sys.path): into
  readiness/_generated/ in the checkout, which git ignores.

It imports only what [build-system] requires (hatchling, fastjsonschema, jinja2, pyyaml) and readiness's own
modules that need no more.
"""

from __future__ import annotations

import importlib.util
import py_compile
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

GENERATED = "readiness/_generated"


class PrebuiltArtifacts(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return  # the sdist carries the sources; the wheel built from it makes the artifacts
        root = Path(self.root)
        if version == "editable":
            for module in generate(root, root / GENERATED):
                if module.suffix == ".py":
                    _byte_compile(module)
            return
        self._temporary = Path(tempfile.mkdtemp(prefix="readiness-prebuilt-"))
        generate(root, self._temporary)
        build_data["force_include"][str(self._temporary)] = GENERATED

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        temporary = getattr(self, "_temporary", None)
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _byte_compile(module: Path) -> None:
    """Python's own bytecode for a generated module, beside it as for any module: a wheel gets it from pip at
    install time, an editable install from here, so that even its first run (or every run, where
    PYTHONDONTWRITEBYTECODE is set) does not compile a validator of 200 kB. Checked against the source's hash
    when imported, so an edited module is compiled again, in memory."""
    cached = importlib.util.cache_from_source(str(module))
    py_compile.compile(
        str(module), cfile=cached, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH
    )


def generate(root: Path, folder: Path) -> list[Path]:
    """Make every artifact of the sources under `root` into `folder`, with the readiness of `root` (never
    another one the build environment may have installed)."""
    sys.path.insert(0, str(root))
    try:
        import readiness.build as build

        package = Path(build.__file__).resolve().parent
        if package != (root / "readiness").resolve():
            raise RuntimeError(f"the build imported readiness from {package}, not from {root}")
        return build.build(folder)
    finally:
        sys.path.remove(str(root))
