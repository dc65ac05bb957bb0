"""The draft service the agent desk calls (only the agent-desk service identity passes the gateway in front of
it). A request is schemas/draft-request.schema.json; the answer is a rendered draft the agent edits and sends."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from azure.core.exceptions import AzureError
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from copilot.llm import Gateway, NoDraft
from copilot.redact import redact
from copilot.render import render_draft
from copilot.retrieve import Retriever

PROMPT = Path(__file__).resolve().parent.parent / "prompts" / "draft-reply.prompt"
_VARIABLE = re.compile(r"\{\{(\w+)\}\}")


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    sender: Literal["customer", "agent"] = Field(alias="from")
    text: str = Field(min_length=1, max_length=8000)


class DraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ticket_id: str = Field(pattern=r"^[0-9]{6,10}$")
    language: Literal["en", "de", "pt", "es"]
    category: Literal["billing", "outage", "moving", "router", "other"]
    plan: str | None = Field(default=None, max_length=40)
    customer_first_name: str | None = Field(default=None, max_length=40)
    messages: list[Message] = Field(min_length=1, max_length=6)


class DraftResponse(BaseModel):
    html: str
    article_ids: list[str]
    model: str
    prompt_version: int


app = FastAPI(title="support-copilot")
gateway = Gateway()
retriever = Retriever(gateway)
front_matter, _, template = PROMPT.read_text(encoding="utf-8").removeprefix("---\n").partition("\n---\n")
prompt_version = int(re.search(r"^version: (\d+)$", front_matter, re.MULTILINE).group(1))  # type: ignore[union-attr]


@app.post("/v1/drafts")
def draft(request: DraftRequest) -> DraftResponse:
    messages = [(m.sender, redact(m.text, request.language)) for m in request.messages]
    question = next((text for sender, text in reversed(messages) if sender == "customer"), messages[-1][1])
    try:
        articles = retriever.articles(question, request.language)
    except AzureError:
        # No sources, no draft: an empty box until the "no sources found" state ships (reliability.partial-failures).
        return DraftResponse(html="", article_ids=[], model="", prompt_version=prompt_version)
    values = {
        "language": request.language,
        "customer_first_name": request.customer_first_name or "",
        "category": request.category,
        "plan": request.plan or "",
        "articles": "\n\n".join(f"[{a.title}]({a.url})\n{a.content}" for a in articles),
        "messages": "\n".join(f"{sender}: {text}" for sender, text in messages),
    }
    prompt = _VARIABLE.sub(lambda name: values[name.group(1)], template)
    try:
        reply = gateway.complete([{"role": "system", "content": prompt}])
    except NoDraft as error:
        raise HTTPException(status_code=503, detail=str(error)) from None
    return DraftResponse(
        html=render_draft(reply.text),
        article_ids=[a.id for a in articles],
        model=reply.model,
        prompt_version=prompt_version,
    )
