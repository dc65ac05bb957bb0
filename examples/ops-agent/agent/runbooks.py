"""Runbook pages for an alert: the wiki's OPS space, chunked and embedded nightly into a LanceDB table on the
agent's volume, searched with the alert's name and summary. Pages go into the prompt as they are (no length cap
yet: cost.token-caps) and unfiltered (security.injection-guardrails)."""

from __future__ import annotations

from collections.abc import Iterable

import lancedb
import voyageai

TABLE = "runbooks"
MODEL = "voyage-3"
TOP = 3


class Runbooks:
    def __init__(self, path: str = "/data/runbooks.lance") -> None:
        self.db = lancedb.connect(path)
        self.voyage = voyageai.Client()  # VOYAGE_API_KEY from Vault, set by the pod's init container

    def rebuild(self, pages: Iterable[tuple[str, str, str]]) -> int:
        """Replace the index with these (url, title, text) pages, one row per chunk."""
        rows = [
            {"url": url, "title": title, "text": chunk}
            for url, title, text in pages
            for chunk in _chunks(text)
        ]
        vectors = []
        for start in range(0, len(rows), 128):
            batch = [row["text"] for row in rows[start : start + 128]]
            vectors += self.voyage.embed(batch, model=MODEL, input_type="document").embeddings
        for row, vector in zip(rows, vectors, strict=True):
            row["vector"] = vector
        self.db.create_table(TABLE, data=rows, mode="overwrite")
        return len(rows)

    def search(self, alert_text: str) -> list[dict[str, str]]:
        query = self.voyage.embed([alert_text], model=MODEL, input_type="query").embeddings[0]
        hits = self.db.open_table(TABLE).search(query).limit(TOP).select(["url", "title", "text"]).to_list()
        return [{"url": hit["url"], "title": hit["title"], "text": hit["text"]} for hit in hits]


def _chunks(text: str, size: int = 4000) -> list[str]:
    # By paragraph, so that a command stays with the step that explains it.
    chunks, current = [], ""
    for paragraph in text.split("\n\n"):
        if current and len(current) + len(paragraph) > size:
            chunks.append(current)
            current = ""
        current = f"{current}\n\n{paragraph}" if current else paragraph
    return chunks + ([current] if current else [])
