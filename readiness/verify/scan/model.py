"""What a scan finds: clues (a key and where the repository shows it) and the files it could not use."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Clue:
    """One place that shows a profile key: `what` says what stands there, as in "depends on openai"."""

    key: str
    file: str  # relative to the scanned folder, '/'-separated
    line: int
    column: int
    what: str


@dataclass(frozen=True)
class Unread:
    """A file the scan looked at and could not use, and why: said, never a reason for a key."""

    file: str
    line: int
    column: int
    why: str


@dataclass(frozen=True)
class Mention:
    """A name a file gives: a package or module (in a dependency file, an import or an image line), a field of a
    schema, or how a deploy file exposes a load balancer."""

    kind: str  # "python" (a distribution), "import" (a Python module), "npm", "go", "image", "field", "annotation"
    # (`key: value`), "gateway-class"
    name: str
    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Detection:
    """The profile keys the repository shows (each with its clues, in file order), what could not be used, and
    how many files were looked at and left over the limits."""

    clues: dict[str, tuple[Clue, ...]]
    unread: tuple[Unread, ...]
    files_read: int
    files_left: int
    files: tuple[str, ...] = ()  # every file the walk listed, for the readers of team and targets

    @property
    def profile(self) -> dict[str, bool]:
        """Only the keys shown true: a key the repository says nothing about is the team's to answer."""
        return {key: True for key in self.clues if key in PROFILE_KEYS}

    @property
    def ai_system(self) -> bool:
        """Whether anything shows a model at work: personal data alone is no AI system."""
        return any(key in self.clues for key in AI_KEYS)


# The profile keys a scan can show, in the schema's order of importance for the packs.
PROFILE_KEYS = (
    "llm", "agentic", "rag", "self_hosted", "trains_models", "personal_data", "multi_tenant", "public_facing",
)  # fmt: skip
# What shows a model at work: the keys, and `model` (a library whose one use is a model: LightGBM, PyTorch),
# which is no profile key; personal data and the rest describe a system, AI or not.
AI_KEYS = ("llm", "agentic", "rag", "self_hosted", "trains_models", "model")
