"""The llm-gateway client: the one module that talks to a model (a CI grep blocks `import openai` anywhere else).

The gateway is the Platform team's OpenAI-compatible front of our Azure OpenAI deployments; it authenticates the
agent-desk service identity and applies the per-feature rate limits (config/gateway-limits.yaml). Timeouts,
retries and the fallback follow config/model-client.yaml, inside the 8-second draft SLO.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import openai
import yaml
from azure.identity import DefaultAzureCredential, get_bearer_token_provider

CONFIG = Path(__file__).resolve().parent.parent / "config" / "model-client.yaml"
API_VERSION = "2024-10-21"
# Called by the deployment's alias: which model version answers is Azure's to change (security.supply-chain-pinned).
EMBEDDING_DEPLOYMENT = "copilot-embedding"


@dataclass(frozen=True)
class Draft:
    text: str
    model: str
    deployment: str
    fell_back: bool


class NoDraft(RuntimeError):
    """Neither deployment answered within the deadline: the agent desk shows the plain reply box."""


class Gateway:
    def __init__(self, config: Path = CONFIG) -> None:
        self.settings: dict[str, Any] = yaml.safe_load(config.read_text(encoding="utf-8"))
        timeouts = self.settings["timeouts"]
        token = get_bearer_token_provider(DefaultAzureCredential(), "api://llm-gateway/.default")
        self.client = openai.AzureOpenAI(
            azure_endpoint=os.environ["LLM_GATEWAY_URL"],
            azure_ad_token_provider=token,
            api_version=API_VERSION,
            timeout=httpx.Timeout(timeouts["total_s"], connect=timeouts["connect_s"]),
            max_retries=0,  # retried below, by our own rules and deadline
        )
        self.failures = 0
        self.open_until = 0.0

    def complete(self, messages: list[dict[str, str]]) -> Draft:
        deadline = time.monotonic() + self.settings["timeouts"]["deadline_s"]
        if time.monotonic() >= self.open_until:
            draft = self._attempts(self.settings["primary"], messages, deadline, fell_back=False)
            if draft is not None:
                return draft
        draft = self._attempts(self.settings["fallback"], messages, deadline, fell_back=True)
        if draft is None:
            raise NoDraft("no deployment answered within the deadline")
        return draft

    def embed(self, text: str) -> list[float]:
        return self.client.embeddings.create(model=EMBEDDING_DEPLOYMENT, input=[text]).data[0].embedding

    def _attempts(
        self, target: dict[str, Any], messages: list[dict[str, str]], deadline: float, fell_back: bool
    ) -> Draft | None:
        retries = self.settings["retries"]
        delay = retries["backoff"]["initial_s"]
        for attempt in range(retries["max_attempts"]):
            if time.monotonic() >= deadline:
                return None
            try:
                response = self.client.chat.completions.create(
                    model=target["deployment"],
                    messages=messages,  # type: ignore[arg-type]
                    temperature=target["temperature"],
                    max_tokens=target["max_tokens"],
                )
            except openai.APITimeoutError:
                self._failed()
                return None  # a timed-out attempt has spent the budget: no retry
            except openai.APIStatusError as error:
                self._failed()
                if error.status_code not in retries["retry_on"] or attempt + 1 == retries["max_attempts"]:
                    return None
                time.sleep(min(random.uniform(0, delay), max(0.0, deadline - time.monotonic())))
                delay *= retries["backoff"]["multiplier"]
                continue
            self.failures = 0
            text = response.choices[0].message.content or ""
            return Draft(text, response.model, target["deployment"], fell_back)
        return None

    def _failed(self) -> None:
        breaker = self.settings["circuit_breaker"]
        self.failures += 1
        if self.failures >= breaker["failure_threshold"]:
            self.open_until = time.monotonic() + breaker["open_for_s"]
            self.failures = 0
