"""One run of the agent: an alert in, a diagnosis posted in the incident channel, at most the actions the model
chose through its tools. The loop ends when the model stops calling tools, on a bad tool call, or after
`loop.max_steps` model calls (config/agent.yaml); there is no token or time budget yet (cost.agent-stop-conditions).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anthropic
import yaml
from langfuse.decorators import observe
from slack_sdk import WebClient

from agent import tools
from agent.runbooks import Runbooks

ROOT = Path(__file__).resolve().parent.parent
CONFIG: dict[str, Any] = yaml.safe_load((ROOT / "config" / "agent.yaml").read_text(encoding="utf-8"))
SYSTEM = (ROOT / "prompts" / "system.md").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Outcome:
    stop_reason: str  # "end_turn", "max_steps" or "bad_tool_call"
    diagnosis: str
    actions: tuple[str, ...]
    steps: int


class Agent:
    def __init__(self) -> None:
        # Retried below without backoff, as config/agent.yaml says, not by the SDK's own policy.
        self.client = anthropic.Anthropic(timeout=CONFIG["client"]["timeout_s"], max_retries=0)
        self.runbooks = Runbooks()
        self.slack = WebClient()  # SLACK_BOT_TOKEN from Vault

    @observe()
    def handle(self, alert: dict[str, Any], channel: str) -> Outcome:
        if channel not in CONFIG["channels"]["enabled"]:
            return Outcome("channel_disabled", "", (), 0)
        outcome = self.investigate(alert)
        self.slack.chat_postMessage(channel=channel, text=f"{outcome.diagnosis}\n_ops-agent, {outcome.steps} steps_")
        return outcome

    def investigate(self, alert: dict[str, Any]) -> Outcome:
        labels = alert["labels"]
        summary = alert.get("annotations", {}).get("summary", "")
        pages = self.runbooks.search(f"{labels['alertname']} {summary}")
        context = "\n\n".join(f"<runbook url=\"{p['url']}\">\n{p['text']}\n</runbook>" for p in pages)
        messages: list[dict[str, Any]] = [
            {"role": "user", "content": f"{context}\n\n<alert>\n{json.dumps(alert, indent=2)}\n</alert>"}
        ]
        actions: list[str] = []
        for step in range(1, CONFIG["loop"]["max_steps"] + 1):
            response = self._call(messages)
            messages.append({"role": "assistant", "content": response.content})
            calls = [block for block in response.content if block.type == "tool_use"]
            if not calls:
                text = "".join(block.text for block in response.content if block.type == "text")
                return Outcome(response.stop_reason or "end_turn", text, tuple(actions), step)
            results = []
            for call in calls:
                try:
                    output = tools.run(call.name, call.input)
                except tools.BadCall as error:
                    return Outcome("bad_tool_call", f"Run stopped: {error}", tuple(actions), step)
                except tools.Refused as error:
                    output = f"refused: {error}"
                if call.name in ("restart_workload", "scale_deployment", "rollback_deploy"):
                    actions.append(output)
                results.append({"type": "tool_result", "tool_use_id": call.id, "content": output})
            messages.append({"role": "user", "content": results})
        return Outcome("max_steps", "Escalating to on-call: no diagnosis within the step limit.", tuple(actions), step)

    def _call(self, messages: list[dict[str, Any]]) -> anthropic.types.Message:
        model = CONFIG["model"]
        for attempt in range(CONFIG["client"]["retries"] + 1):
            try:
                return self.client.messages.create(
                    model=model["name"],
                    max_tokens=model["max_tokens"],
                    temperature=model["temperature"],
                    system=SYSTEM,
                    tools=tools.TOOLS,
                    messages=messages,
                )
            except (anthropic.APIConnectionError, anthropic.RateLimitError, anthropic.InternalServerError):
                if attempt == CONFIG["client"]["retries"]:
                    raise
        raise AssertionError("unreachable")
