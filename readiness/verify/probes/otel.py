"""OpenTelemetry Collector configuration: the YAML file `otelcol --config=FILE` reads (core and contrib builds,
v0.85 to current; tests/artifacts/otel-collector/ABOUT.md).

Components are configured in `receivers`, `processors`, `exporters` and `connectors`, but only those a pipeline
of `service.pipelines` lists ever run ("configuring an exporter does not enable it"), so everything here is
read from the pipelines. A component ID is `type[/name]` and a pipeline ID `traces[/name]`: the type decides.

Two properties, as an AI system in production needs them:
- traces leave the process: a traces pipeline ends in an exporter that sends spans somewhere, not `debug` (or
  its pre-v0.86 name `logging`, or `nop`), which only write to the collector's own log, and not a connector
  such as `spanmetrics`, which turns spans into metrics and drops them;
- when the profile has personal data, each traces pipeline redacts before export: a `redaction` processor, an
  `attributes` processor with a `delete` or `hash` action, or a `transform` processor whose trace statements
  call a deleting, hashing or pattern-replacing OTTL function. A processor's name proves nothing: its
  settings are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from readiness.load.diagnostics import JsonPath
from readiness.load.textsafe import visible
from readiness.load.yamlsource import Document
from readiness.verify.probes.common import Artifact, Finding, Report, at, judged, nothing, structured

KIND = "otel-collector"
# Coverage: one file that holds is enough (see run.py); the others' shortfalls stay findings.
COMBINE = "any"
EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "traces_exported": {"const": True},
        "redaction": {"type": "boolean"},
    },
    "required": ["traces_exported"],
    "additionalProperties": False,
}

# Exporters that keep spans inside the collector: its own log, or nowhere.
_LOCAL_EXPORTERS = frozenset({"debug", "logging", "nop"})
# OTTL functions that remove, hash or mask a value (contrib pkg/ottl/ottlfuncs).
_REDACTING_CALLS = (
    "delete_key(",
    "delete_matching_keys(",
    "keep_keys(",
    "keep_matching_keys(",
    "replace_pattern(",
    "replace_all_patterns(",
    "replace_match(",
    "replace_all_matches(",
    "SHA256(",
    "SHA512(",
    "SHA1(",
    "MD5(",
    "FNV(",
    "Murmur3Hash(",
    "Murmur3Hash128(",
)
_SHOWN = 80  # characters of an ID from the file shown in a message


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    document = structured(artifact)
    if isinstance(document, Report):
        return document
    data = document.data
    service = data.get("service") if isinstance(data, dict) else None
    pipelines = service.get("pipelines") if isinstance(service, dict) else None
    if not isinstance(pipelines, dict):
        return nothing(artifact, "not an OpenTelemetry Collector configuration (no 'service.pipelines' mapping)")
    traces = [pid for pid in pipelines if _type_of(pid) == "traces"]
    if not traces:
        line, column = document.where(("service", "pipelines"))
        return nothing(artifact, "the collector configuration has no traces pipeline to judge", line, column)
    findings = [_exported(document, traces), *_unused_exporters(document)]
    if expect.get("redaction"):
        findings += [_redacted(document, pid) for pid in traces]
    return judged(findings)


def _type_of(component_id: Any) -> str | None:
    return component_id.split("/", 1)[0] if isinstance(component_id, str) else None


def _shown(component_id: Any) -> str:
    text = visible(str(component_id))
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    section = data.get(name)
    return section if isinstance(section, dict) else {}


def _listed(document: Document, pid: str, role: str) -> list[tuple[Any, JsonPath]]:
    """The IDs a pipeline lists under `role` (receivers, processors, exporters), each with its path."""
    pipeline = document.data["service"]["pipelines"][pid]
    items = pipeline.get(role) if isinstance(pipeline, dict) else None
    if not isinstance(items, list):
        return []
    return [(item, ("service", "pipelines", pid, role, index)) for index, item in enumerate(items)]


def _exported(document: Document, traces: list[str]) -> Finding:
    """Holds at the first exporter that sends spans out of the collector; fails at the first exporter of the
    first traces pipeline (or at that pipeline) when none does, saying where the spans go instead."""
    exporters, connectors = _section(document.data, "exporters"), _section(document.data, "connectors")
    # `exporters: ${file:exporters.yaml}` takes the section from another file, which this probe does not read.
    included = isinstance(document.data.get("exporters"), str)
    seen: list[str] = []
    for pid in traces:
        for component, path in _listed(document, pid, "exporters"):
            if not isinstance(component, str):
                return at(
                    document, path, "an exporter entry that is not a component ID: the collector will not start", False
                )
            if component in connectors:
                seen.append(f"'{_shown(component)}' is a connector (spans become its input, not an export)")
            elif _type_of(component) in _LOCAL_EXPORTERS:
                seen.append(f"'{_shown(component)}' writes only to the collector's own log")
            elif component not in exporters and not included:
                message = (
                    f"'{_shown(component)}' is listed but not defined under 'exporters': the collector won't start"
                )
                return at(document, path, message, False)
            else:
                message = f"traces pipeline '{_shown(pid)}' exports spans through '{_shown(component)}'"
                return at(document, path, message, True)
    first = _listed(document, traces[0], "exporters")
    reason = "; ".join(seen) if seen else "the traces pipeline lists no exporter"
    message = f"no traces pipeline sends spans out of the collector: {reason}"
    return at(document, first[0][1], message, False) if first else _at_pipeline(document, traces[0], message)


def _unused_exporters(document: Document) -> list[Finding]:
    """Outbound exporters configured but listed by no pipeline: said, as they explain a missing export."""
    listed: set[str] = set()
    for pid in document.data["service"]["pipelines"]:
        listed.update(str(component) for component, _ in _listed(document, pid, "exporters"))
    found = []
    for component in _section(document.data, "exporters"):
        if component not in listed and _type_of(component) not in _LOCAL_EXPORTERS:
            line, column = document.where(("exporters", component), key=True)
            message = f"exporter '{_shown(component)}' is configured but no pipeline lists it, so it never runs"
            found.append(Finding(document.file, line, column, message, None))
    return found


def _redacted(document: Document, pid: str) -> Finding:
    processors = _section(document.data, "processors")
    listed = _listed(document, pid, "processors")
    for component, path in listed:
        settings = processors.get(component) if isinstance(component, str) else None
        how = _redacts(_type_of(component), settings)
        if how:
            return at(
                document, path, f"traces pipeline '{_shown(pid)}' redacts with '{_shown(component)}' ({how})", True
            )
    names = ", ".join(_shown(component) for component, _ in listed) or "none"
    message = (
        f"traces pipeline '{_shown(pid)}' has no processor that deletes, hashes or masks attributes "
        f"(processors: {names}); the profile has personal data"
    )
    return at(document, listed[0][1], message, False) if listed else _at_pipeline(document, pid, message)


def _at_pipeline(document: Document, pid: str, message: str) -> Finding:
    """A failing finding at the pipeline's ID, for what the pipeline lacks."""
    line, column = document.where(("service", "pipelines", pid), key=True)
    return Finding(document.file, line, column, message, False)


def _redacts(kind: str | None, settings: Any) -> str | None:
    """How a processor of this type and settings removes personal data, or None when it does not."""
    config = settings if isinstance(settings, dict) else {}
    if kind == "redaction":
        # allow_all_keys defaults to false: every key not allowed is removed. With it true, only blocked
        # values and key patterns are masked, and without them the processor changes nothing.
        if config.get("allow_all_keys") is not True:
            return "keys not allowed are removed"
        if config.get("blocked_values") or config.get("blocked_key_patterns"):
            return "blocked values are masked"
        return None
    if kind == "attributes":
        actions = config.get("actions")
        removing: list[str] = [
            str(action["action"])
            for action in (actions if isinstance(actions, list) else [])
            if isinstance(action, dict) and action.get("action") in ("delete", "hash")
        ]
        return f"{' and '.join(sorted(set(removing)))} actions" if removing else None
    if kind == "transform":
        statements = _statements(config.get("trace_statements"))
        return "OTTL statements delete, hash or replace values" if any(_redacting(s) for s in statements) else None
    return None


def _statements(value: Any) -> list[str]:
    """The OTTL statements of `trace_statements`: plain strings (v0.120+) or `{context, statements}` groups."""
    found: list[str] = []
    for entry in value if isinstance(value, list) else []:
        if isinstance(entry, str):
            found.append(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("statements"), list):
            found += [s for s in entry["statements"] if isinstance(s, str)]
    return found


def _redacting(statement: str) -> bool:
    return any(call in statement for call in _REDACTING_CALLS)
