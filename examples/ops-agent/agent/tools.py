"""The seven in-process tools the model may call (tools/manifest.yaml), as the Anthropic Messages API takes them,
and the code that runs each call. A call is checked against its tool's input schema before it runs; a bad call
ends the run. Kubernetes calls run as the shared `platform-automation` account with a Vault token for now
(security.agent-credentials)."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import httpx
import jsonschema
from kubernetes import client as k8s
from kubernetes.stream import stream

PROMETHEUS = os.environ.get("PROMETHEUS_URL", "http://prometheus.monitoring:9090")
LOKI = os.environ.get("LOKI_URL", "http://loki.monitoring:3100")
WRITABLE = "team-*"  # namespaces the write tools may touch
MAX_REPLICAS = 20
DEBUG_POD = ("ops-agent", "ops-agent-debug")

_NAMESPACE = {"type": "string", "pattern": "^[a-z0-9-]{1,63}$"}
_NAME = {"type": "string", "pattern": "^[a-z0-9.-]{1,253}$"}

TOOLS: list[dict[str, Any]] = [
    {
        "name": "query_prometheus",
        "description": "Run a PromQL range query over the last `minutes` minutes; returns the series.",
        "input_schema": {
            "type": "object",
            "properties": {"query": {"type": "string"}, "minutes": {"type": "integer", "minimum": 1, "maximum": 360}},
            "required": ["query"],
        },
    },
    {
        "name": "query_loki",
        "description": "Run a LogQL query over the last `minutes` minutes; returns at most 200 lines.",
        "input_schema": {
            "type": "object",
            "properties": {"query": {"type": "string"}, "minutes": {"type": "integer", "minimum": 1, "maximum": 360}},
            "required": ["query"],
        },
    },
    {
        "name": "kubectl_get",
        "description": "Read a Kubernetes object, its events or a pod's recent logs.",
        "input_schema": {
            "type": "object",
            "properties": {
                "verb": {"enum": ["get", "list", "describe", "logs"]},
                "kind": {"enum": ["pod", "deployment", "statefulset", "node", "event", "service"]},
                "namespace": _NAMESPACE,
                "name": _NAME,
            },
            "required": ["verb", "kind"],
        },
    },
    {
        "name": "restart_workload",
        "description": "Restart a deployment's pods (a rolling restart).",
        "input_schema": {
            "type": "object",
            "properties": {"namespace": _NAMESPACE, "deployment": _NAME},
            "required": ["namespace", "deployment"],
        },
    },
    {
        "name": "scale_deployment",
        "description": f"Set a deployment's replica count (at most {MAX_REPLICAS}).",
        "input_schema": {
            "type": "object",
            "properties": {
                "namespace": _NAMESPACE,
                "deployment": _NAME,
                "replicas": {"type": "integer", "minimum": 1, "maximum": MAX_REPLICAS},
            },
            "required": ["namespace", "deployment", "replicas"],
        },
    },
    {
        "name": "rollback_deploy",
        "description": "Roll a deployment back to its previous revision.",
        "input_schema": {
            "type": "object",
            "properties": {"namespace": _NAMESPACE, "deployment": _NAME},
            "required": ["namespace", "deployment"],
        },
    },
    {
        "name": "shell",
        "description": "Run a shell command in the debug pod (curl, dig, nc, psql client) and return its output.",
        "input_schema": {
            "type": "object",
            "properties": {"command": {"type": "string", "maxLength": 2000}},
            "required": ["command"],
        },
    },
]
_SCHEMAS = {tool["name"]: tool["input_schema"] for tool in TOOLS}


class BadCall(ValueError):
    """The model called a tool that does not exist, or with arguments its schema refuses: the run ends."""


class Refused(PermissionError):
    """A well-formed call outside what the tool may touch; the model is told, and the run goes on."""


def run(name: str, arguments: dict[str, Any]) -> str:
    if name not in _SCHEMAS:
        raise BadCall(f"no tool named {name!r}")
    try:
        jsonschema.validate(arguments, _SCHEMAS[name])
    except jsonschema.ValidationError as error:
        raise BadCall(f"{name}: {error.message}") from None
    return _RUNNERS[name](**arguments)


def query_prometheus(query: str, minutes: int = 30) -> str:
    end = datetime.now(timezone.utc).timestamp()
    params = {"query": query, "start": end - 60 * minutes, "end": end, "step": "60s"}
    response = httpx.get(f"{PROMETHEUS}/api/v1/query_range", params=params, timeout=20)
    response.raise_for_status()
    return response.text


def query_loki(query: str, minutes: int = 30) -> str:
    # Logs of namespaces labelled pii=true are never read: Loki's namespace label is checked on every stream.
    end = datetime.now(timezone.utc).timestamp()
    params = {"query": query, "start": int((end - 60 * minutes) * 1e9), "end": int(end * 1e9), "limit": 200}
    response = httpx.get(f"{LOKI}/loki/api/v1/query_range", params=params, timeout=20)
    response.raise_for_status()
    streams = response.json()["data"]["result"]
    kept = [s for s in streams if s["stream"].get("namespace") not in _sensitive_namespaces()]
    return "\n".join(line for s in kept for _, line in s["values"])


def kubectl_get(verb: str, kind: str, namespace: str | None = None, name: str | None = None) -> str:
    core = k8s.CoreV1Api()
    if verb == "logs":
        if not (namespace and name) or namespace in _sensitive_namespaces():
            raise Refused("logs are read only from a named pod in a namespace without the pii=true label")
        return core.read_namespaced_pod_log(name, namespace, tail_lines=200)
    if kind == "event":
        events = core.list_namespaced_event(namespace) if namespace else core.list_event_for_all_namespaces()
        return "\n".join(f"{e.last_timestamp} {e.reason} {e.involved_object.name}: {e.message}" for e in events.items)
    api = k8s.AppsV1Api() if kind in ("deployment", "statefulset") else core
    if kind == "node":
        found = core.read_node(name) if name and verb != "list" else core.list_node()
    elif namespace is None:
        raise Refused(f"a {kind} is read in a namespace: give one")
    elif name and verb != "list":
        found = getattr(api, f"read_namespaced_{kind}")(name, namespace)
    else:
        found = getattr(api, f"list_namespaced_{kind}")(namespace)
    if hasattr(found, "items"):
        return "\n".join(item.metadata.name for item in found.items)
    return str(found)


def restart_workload(namespace: str, deployment: str) -> str:
    _writable(namespace)
    stamp = datetime.now(timezone.utc).isoformat()
    patch = {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}}
    k8s.AppsV1Api().patch_namespaced_deployment(deployment, namespace, patch)
    return f"restarted {namespace}/{deployment}"


def scale_deployment(namespace: str, deployment: str, replicas: int) -> str:
    _writable(namespace)
    k8s.AppsV1Api().patch_namespaced_deployment_scale(deployment, namespace, {"spec": {"replicas": replicas}})
    return f"scaled {namespace}/{deployment} to {replicas}"


def rollback_deploy(namespace: str, deployment: str) -> str:
    """Put back the pod template of the deployment's previous revision, as `kubectl rollout undo` does."""
    _writable(namespace)
    apps = k8s.AppsV1Api()
    current = apps.read_namespaced_deployment(deployment, namespace)
    revision = int(current.metadata.annotations["deployment.kubernetes.io/revision"])
    selector = ",".join(f"{key}={value}" for key, value in current.spec.selector.match_labels.items())
    for replica_set in apps.list_namespaced_replica_set(namespace, label_selector=selector).items:
        if int(replica_set.metadata.annotations.get("deployment.kubernetes.io/revision", "0")) == revision - 1:
            template = k8s.ApiClient().sanitize_for_serialization(replica_set.spec.template)
            template["metadata"]["labels"].pop("pod-template-hash", None)
            apps.patch_namespaced_deployment(deployment, namespace, {"spec": {"template": template}})
            return f"rolled {namespace}/{deployment} back to revision {revision - 1}"
    raise Refused(f"{namespace}/{deployment} has no revision {revision - 1} to roll back to")


def shell(command: str) -> str:
    namespace, pod = DEBUG_POD
    return stream(
        k8s.CoreV1Api().connect_get_namespaced_pod_exec,
        pod,
        namespace,
        command=["/bin/sh", "-c", command],
        stderr=True,
        stdout=True,
        stdin=False,
        tty=False,
        _request_timeout=60,
    )


def _writable(namespace: str) -> None:
    if not fnmatch.fnmatchcase(namespace, WRITABLE):
        raise Refused(f"namespace {namespace} is outside {WRITABLE}")


def _sensitive_namespaces() -> set[str]:
    found = k8s.CoreV1Api().list_namespace(label_selector="pii=true")
    return {namespace.metadata.name for namespace in found.items}


_RUNNERS: dict[str, Callable[..., str]] = {
    "query_prometheus": query_prometheus,
    "query_loki": query_loki,
    "kubectl_get": kubectl_get,
    "restart_workload": restart_workload,
    "scale_deployment": scale_deployment,
    "rollback_deploy": rollback_deploy,
    "shell": shell,
}
