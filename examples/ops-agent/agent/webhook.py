"""The Alertmanager webhook: a payload that schemas/alert.schema.json refuses is dropped before the agent sees it,
and each firing alert is queued for one of the four workers."""

from __future__ import annotations

import json
import queue
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "schemas" / "alert.schema.json").read_text("utf-8"))
MAX_BODY = 256 * 1024
runs: queue.Queue[dict] = queue.Queue(maxsize=100)


class Webhook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        if length > MAX_BODY:
            self.send_error(413)
            return
        try:
            payload = json.loads(self.rfile.read(length))
            jsonschema.validate(payload, SCHEMA)
        except (ValueError, jsonschema.ValidationError):
            self.send_error(400)
            return
        if payload["status"] == "firing":
            for alert in payload["alerts"]:
                runs.put_nowait(alert)
        self.send_response(202)
        self.end_headers()


def serve(port: int = 8080) -> None:
    # Reached only from Alertmanager inside the cluster (a ClusterIP service, no ingress).
    ThreadingHTTPServer(("0.0.0.0", port), Webhook).serve_forever()
