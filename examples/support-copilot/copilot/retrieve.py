"""Retrieval: the help-centre articles that ground a draft, from the Azure AI Search index the hourly indexer
fills (published articles only). Hybrid: the question's words and its embedding, in the ticket's language."""

from __future__ import annotations

import os
from dataclasses import dataclass

from azure.identity import DefaultAzureCredential
from azure.search.documents import SearchClient
from azure.search.documents.models import VectorizedQuery

from copilot.llm import Gateway

INDEX = "help-centre-articles"
TOP = 5
TIMEOUT_S = 1.0  # config/model-client.yaml, retrieval.timeout_s


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    url: str
    content: str


class Retriever:
    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway
        self.client = SearchClient(os.environ["SEARCH_ENDPOINT"], INDEX, DefaultAzureCredential())

    def articles(self, question: str, language: str) -> list[Article]:
        # `language` is one of the schema's four codes (validated in copilot/app.py), never free text.
        vector = VectorizedQuery(vector=self.gateway.embed(question), k_nearest_neighbors=TOP, fields="content_vector")
        results = self.client.search(
            search_text=question,
            vector_queries=[vector],
            filter=f"language eq '{language}' and published eq true",
            select=["id", "title", "url", "content"],
            top=TOP,
            timeout=TIMEOUT_S,
        )
        return [Article(r["id"], r["title"], r["url"], r["content"]) for r in results]
