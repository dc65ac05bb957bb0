"""Credentials in prompts and templates: any text file a team keeps its prompts in (plain text, Markdown, Jinja,
YAML or JSON prompt configurations), read as text, never parsed (tests/artifacts/credentials/ABOUT.md).

A prompt is sent to a model provider, logged, cached and shown in traces, so a key pasted into one has leaked.
The probe looks for the key formats that their issuers document or that the major secret scanners encode
(AWS access key IDs, OpenAI, Anthropic, GitHub, Slack and Google API keys, PEM private keys): a token of that
exact shape, standing alone, not a word that starts like one (`sk-learn`) nor a placeholder (`sk-...`,
`${OPENAI_API_KEY}`). AWS's documented example key is a placeholder too. Every hit is shown masked: its prefix
and its last four characters, never the key.

Every pattern is a literal prefix followed by bounded character runs, so each place in the text costs a bounded
amount of work whatever an attacker writes: the scan is linear in the size of the file.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from readiness.load.yamltext import position_of
from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, judged, nothing, structured

KIND = "credentials"
EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {},
    "additionalProperties": False,
}

# A token ends where a character that no key format uses follows. That it also starts after one is checked in
# code: a look-behind at the start of a pattern costs re its fast search for the literal prefix (30 times slower).
_END = r"(?![A-Za-z0-9_-])"
_TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class _Rule:
    """One kind of credential: how it is written and how much of a hit a message may show."""

    kind: str
    what: str  # in a message: "an OpenAI API key"
    pattern: re.Pattern[str]
    shown_prefix: re.Pattern[str]  # the part of a hit a message may show


def _rule(kind: str, what: str, body: str, prefix: str) -> _Rule:
    return _Rule(kind, what, re.compile(body + _END), re.compile(prefix))


_RULES = (
    _rule("aws-access-key-id", "an AWS access key ID", r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}", r"A[A-Z]{3}"),
    _rule(
        "openai-api-key",
        "an OpenAI API key",
        r"sk-(?:(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ"
        r"(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})",
        r"sk-(?:proj-|svcacct-|admin-)?",
    ),
    _rule(
        "anthropic-api-key",
        "an Anthropic API key",
        r"sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA",
        r"sk-ant-(?:api03|admin01)-",
    ),
    _rule("github-pat", "a GitHub token", r"gh[pousr]_[A-Za-z0-9]{36}", r"gh[pousr]_"),
    _rule("github-fine-grained-pat", "a GitHub fine-grained token", r"github_pat_[A-Za-z0-9_]{82}", r"github_pat_"),
    _rule(
        "slack-token",
        "a Slack token",
        r"(?:xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{1,64}|xox[pe]-[0-9]{10,13}-[0-9]{10,13}-[0-9]{10,13}-"
        r"[A-Za-z0-9]{28,34})",
        r"xox[bpe]-",
    ),
    _rule("google-api-key", "a Google API key", r"AIza[A-Za-z0-9_-]{35}", r"AIza"),
)
# The BEGIN line of a PEM private key (RFC 7468 labels: PRIVATE KEY, RSA/EC/DSA/OPENSSH/ENCRYPTED PRIVATE KEY).
_PEM = re.compile(r"-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----")
_PEM_BODY_LINE = re.compile(r"[A-Za-z0-9+/=]{16,}")
_PEM_HEADER = re.compile(r"[A-Za-z-]{1,40}:")  # Proc-Type:, DEK-Info: of encrypted PKCS#1 keys
# Documented placeholders that match a format (gitleaks allowlists AWS IDs ending in EXAMPLE).
_PLACEHOLDER_ENDINGS = ("EXAMPLE",)
_LINE_BREAK = re.compile("\r\n|\r|\n")
_MAX_SHOWN = 50  # hits told one by one; past that, one finding says how many more
_SURROGATE = re.compile("[\ud800-\udfff]")
# Front matter of a Markdown prompt: a YAML block between '---' lines at the very top.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*$", re.MULTILINE | re.DOTALL)


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    text = artifact.text
    undecodable = _SURROGATE.search(text)
    if undecodable is not None:
        # A caller that decoded with errors="surrogateescape" leaves the bad bytes as lone surrogates.
        line, column = position_of(text[: undecodable.start()])
        message = f"not valid UTF-8: byte 0x{ord(undecodable.group()) - 0xDC00:02x} cannot be decoded"
        return Report(Outcome.FAILS, (Finding(artifact.path, line, column, message, False),))
    hits = _hits(artifact)
    if hits:
        return judged(hits)
    if not _has_text(artifact):
        return nothing(artifact, "no prompt or template text to scan")
    # A scan that finds nothing proves nothing: keys come in more shapes than any list, so the probe can
    # contradict a claim but never verify one (a comment-only template must not earn credit).
    return nothing(
        artifact, "no credential of a known format in the text (a scan can find keys, not prove there are none)"
    )


def mask(token: str, prefix: str) -> str:
    """The token as a message may show it: its issuer's prefix and its last four characters."""
    return f"{prefix}…{token[-4:]}"


def _hits(artifact: Artifact) -> list[Finding]:
    text = artifact.text
    where = _Lines(text)
    found: list[tuple[int, Finding]] = []
    for rule in _RULES:
        for match in rule.pattern.finditer(text):
            token = match.group()
            if token.endswith(_PLACEHOLDER_ENDINGS) or text[match.start() - 1 : match.start()] in _TOKEN_CHARACTERS:
                continue
            prefix = rule.shown_prefix.match(token)
            shown = mask(token, prefix.group() if prefix else "")
            line, column = where.of(match.start())
            message = f"{rule.what} ({rule.kind}) in the text: {shown}; remove it and revoke it"
            found.append((match.start(), Finding(artifact.path, line, column, message, False)))
    for match in _PEM.finditer(text):
        if _pem_body_follows(text, match.end()):
            line, column = where.of(match.start())
            label = match.group()[len("-----BEGIN ") : -len("-----")]
            message = f"a private key (private-key) in the text: a PEM block {label}; remove it and replace the key"
            found.append((match.start(), Finding(artifact.path, line, column, message, False)))
    ordered = [finding for _, finding in sorted(found, key=lambda pair: pair[0])]
    if len(ordered) > _MAX_SHOWN:
        rest = len(ordered) - _MAX_SHOWN
        last = ordered[_MAX_SHOWN]
        summary = Finding(artifact.path, last.line, last.column, f"{rest:,} more credentials from here on", False)
        ordered = [*ordered[:_MAX_SHOWN], summary]
    return ordered


class _Lines:
    """1-based line and column of an offset, as the YAML reader counts them (CR LF, CR and LF end a line),
    found by bisection so that many hits in a large file cost no more than one pass over it."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(found.end() for found in _LINE_BREAK.finditer(text))]

    def of(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1


def _pem_body_follows(text: str, end: int) -> bool:
    """A key's base64 body follows its BEGIN line (after encryption headers): a BEGIN line quoted alone in
    documentation is not a key."""
    lines = text[end : end + 400].splitlines()[1:6]
    for line in lines:
        stripped = line.strip()
        if not stripped or _PEM_HEADER.match(stripped):
            continue
        return _PEM_BODY_LINE.match(stripped) is not None
    return False


def _has_text(artifact: Artifact) -> bool:
    """Whether the file holds prompt text at all: not blank, not Markdown front matter with empty fields only,
    not a JSON Schema (a document about prompts, not a prompt)."""
    text = artifact.text.lstrip("\ufeff")
    if not text.strip():
        return False
    front = _FRONT_MATTER.match(text)
    if front is not None:
        body = text[front.end() :]
        values = [line.partition(":")[2].strip() for line in front.group(1).splitlines()]
        return bool(body.strip()) or any(values)
    if text.lstrip().startswith("{"):
        document = structured(artifact)
        if not isinstance(document, Report) and isinstance(document.data, dict):
            schema = document.data.get("$schema")
            return not (isinstance(schema, str) and "json-schema.org" in schema)
    return True
