"""Where a real run took its validators, templates and built-in packs from: the package's prebuilt artifacts,
or made in memory. Shared by the tests of the checkout (test_no_code_from_disk.py) and of the installed wheel
(test_packaging.py).

The probe runs `readiness` commands in a new interpreter, then asks the objects the run used where they came
from: a validator's code names its file, a template its file, and a built-in pack read from YAML went
through the YAML reader.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

_PROBE = r"""
import json, sys
import readiness.load.yamlsource as source

parsed = []
reader = source.parse_document


def spy(text, file, **options):
    parsed.append(file)
    return reader(text, file, **options)


source.parse_document = spy
import readiness
from readiness.load import schemas
from readiness.cli.app import main
from readiness.render import templating

report, runs = sys.argv[1], json.loads(sys.argv[2])
codes = [main(args) for args in runs]
validators = {kind: schemas._fast_check(kind).func.__code__.co_filename for kind in schemas.KINDS}
templates = {
    name: templating.environment(html).get_template(name).filename
    for name, html in (("report.html.j2", True), ("portfolio.html.j2", True), ("report.md.j2", False))
}
with open(report, "w", encoding="utf-8") as handle:
    json.dump(
        {"package": readiness.__file__, "codes": codes, "parsed": parsed, "validators": validators,
         "templates": templates},
        handle,
    )
"""


@dataclass(frozen=True)
class Origins:
    package: Path  # the readiness/ folder the run imported
    codes: list[int]
    parsed: list[str]  # every file the YAML reader read
    validators: dict[str, str]  # kind -> file of the validator's code
    templates: dict[str, str]  # name -> file the template was loaded from

    @property
    def packs_from_yaml(self) -> list[str]:
        return [name for name in self.parsed if name.startswith("checklists/")]

    def prebuilt(self) -> list[str]:
        """What came from the package's generated folder."""
        generated = (self.package / "_generated").resolve()

        def inside(file: str) -> bool:
            return Path(file).resolve().is_relative_to(generated)

        found = [f"validator {kind}" for kind, file in self.validators.items() if inside(file)]
        found += [f"template {name}" for name, file in self.templates.items() if inside(file)]
        return found + ([] if self.packs_from_yaml else ["packs"])

    def in_memory(self) -> list[str]:
        """What was made in memory: validators compiled from fastjsonschema's code, templates compiled from their
        source, packs read from their YAML."""
        found = [f"validator {kind}" for kind, file in self.validators.items() if file == f"<readiness {kind} schema>"]
        found += [f"template {name}" for name, file in self.templates.items() if file.endswith(".j2")]
        return found + (["packs"] if self.packs_from_yaml else [])


EVERYTHING = [
    *(f"validator {kind}" for kind in ("assessment", "checklist", "result")),
    *(f"template {name}" for name in ("report.html.j2", "portfolio.html.j2", "report.md.j2")),
    "packs",
]


def probe(python: str | Path, runs: list[list[str]], cwd: Path, env: dict[str, str]) -> Origins:
    report = cwd / "origins.json"
    done = subprocess.run(
        [str(python), "-W", "error", "-c", _PROBE, str(report), json.dumps(runs)],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"the probe failed:\n{done.stdout}\n{done.stderr}"
    data = json.loads(report.read_text(encoding="utf-8"))
    report.unlink()
    return Origins(Path(data["package"]).parent, data["codes"], data["parsed"], data["validators"], data["templates"])
