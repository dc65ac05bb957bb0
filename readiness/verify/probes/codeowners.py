"""CODEOWNERS: who must review changes to which paths, on GitHub and on GitLab (Premium and up).

One rule per line: a pattern, then owners (`@user`, `@org/team`, an e-mail; on GitLab also `@group/subgroup` and
`@@maintainer`-style roles). GitHub: the last matching line wins, a line without owners un-owns what it matches,
a line with an invalid owner is skipped, inline `#` comments are allowed, files over 3 MB are ignored. GitLab adds
`[Section]` headings (`^[Section]` optional, `[Section][2]` two approvals) with default owners for the section's
owner-less entries, evaluates each section on its own (every section's owners apply), merges sections of the same
name, reads `!pattern` as an exclusion from its section, ignores malformed owners and has no inline comments.
Patterns are matched as each forge does (ownerglob). A file with a valid `[Section]` heading is read as GitLab's
unless `platform` says otherwise.

Each forge reads one file: the first of its LOCATIONS that exists. A probe sees one file, so the caller picks it
(`read_by`); a shadowed file decides nothing and should not be probed.

Ownership is what makes a review of prompts, evaluations and models someone's job, so the probe judges that each
named path has an owner: every sample file of it (given, or a new file in the directory) is owned by its
decisive rule, and no owner-less rule or exclusion takes part of the directory away (a file such a rule names is
judged too). An owner GitHub rejects is reported at its column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from readiness.verify.probes.common import Artifact, Finding, Outcome, Report, judged, nothing
from readiness.verify.probes.ownerglob import Budget, OverBudget, Pattern, github, gitlab, instance
from readiness.verify.probes.plaintext import quoted, undecodable

KIND = "codeowners"

# Where each forge looks for the file, in its order; it reads the first one that exists and no other.
LOCATIONS: dict[str, tuple[str, ...]] = {
    "github": (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"),
    "gitlab": ("CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"),
}
ROLES = ("developer", "maintainer", "owner")  # GitLab's `@@role` owners (17.9+); plurals are accepted too
GITHUB_MAX_BYTES = 3 * 1024 * 1024  # GitHub ignores a larger file
MAX_PATTERN = 1_000  # characters; a longer "pattern" is no path
MAX_RULES = 20_000  # GitHub's own examples have a dozen; a large monorepo's a few thousand
MAX_WORDS = 200  # a pattern and its owners, read per line
BUDGET_STEPS = 500_000  # matching steps for one file (about a second): enough for thousands of rules
_ANY_FILE = "<any new file>"
_SYNTHESISED = 10  # files named by un-owning rules, judged per directory
_SHOWN = 10
_WORD = re.compile(r"(?:\\.?|[^ \t\\])+")  # the two alternatives never start alike: no backtracking

EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "paths": {
            "oneOf": [
                {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}},
                },
            ],
        },
        "platform": {"enum": ["auto", *LOCATIONS]},
    },
    "required": ["paths"],
    "additionalProperties": False,
}


def select(paths: Sequence[str], expect: Mapping[str, Any]) -> list[str]:
    """The one file the forge reads, of the candidates (relative to the assessment's folder, taken as the
    repository's root); none when no candidate stands where a forge looks."""
    platform = expect.get("platform", "auto")
    forges = list(LOCATIONS) if platform == "auto" else [platform]
    chosen = next((found for forge in forges if (found := read_by(paths, forge)) is not None), None)
    return [] if chosen is None else [chosen]


def read_by(paths: Iterable[str], platform: str) -> str | None:
    """Of a repository's files ('/'-separated, relative to its root), the CODEOWNERS file `platform` reads."""
    present = set(paths)
    return next((location for location in LOCATIONS[platform] if location in present), None)


@dataclass(frozen=True)
class _Rule:
    """One line of a CODEOWNERS file: a pattern and its owners."""

    line: int
    column: int  # of the pattern
    pattern: str  # as written, '!' of an exclusion dropped
    owners: tuple[str, ...]  # on GitLab, the section's default owners when the line names none
    bad_owners: tuple[tuple[str, int], ...]  # with their columns
    section: str  # case-folded name; '' before the first section
    exclusion: bool
    skipped: str  # why GitHub skips the line; '' when it does not


@dataclass(frozen=True)
class _Sections:
    """GitLab's sections of a CODEOWNERS file, by name."""

    names: dict[str, str]  # case-folded -> as first written
    optional: dict[str, bool]  # a name is optional only when every heading of it is


@dataclass(frozen=True)
class _Verdict:
    """Who owns a path, by the rule that decides it, or why nobody does."""

    rule: _Rule | None  # the decisive rule
    owners: tuple[str, ...]
    optional: bool  # owned only in optional sections
    reason: str  # why there is no owner


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    broken = undecodable(artifact)
    if broken is not None:
        return broken
    text = artifact.text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return nothing(artifact, "the file is empty")
    platform = expect.get("platform", "auto")
    if platform == "auto":
        platform = "gitlab" if any(section_heading(line.strip()) for line in text.split("\n")) else "github"
    if platform == "github" and len(artifact.text.encode("utf-8", "surrogateescape")) > GITHUB_MAX_BYTES:
        message = "over 3 MB: GitHub ignores the whole file, so it gives nobody ownership"
        return Report(Outcome.FAILS, (Finding(artifact.path, 1, 1, message, False),))
    rules, sections, notes = _parse(artifact, text, platform)
    if len(rules) > MAX_RULES:
        return nothing(artifact, f"more than {MAX_RULES:,} rules: not judged")
    if not any(rule.owners and not rule.skipped for rule in rules):
        return nothing(artifact, "no line names an owner: not a CODEOWNERS file, or every rule is commented out")
    try:
        findings = notes + _judge_paths(artifact, expect["paths"], rules, sections, _Matching(platform))
    except OverBudget:
        return nothing(artifact, "too many or too intricate patterns to judge in the time allowed")
    return judged(findings)


# --- reading ---------------------------------------------------------------------------------------------------


def _parse(artifact: Artifact, text: str, platform: str) -> tuple[list[_Rule], _Sections, list[Finding]]:
    rules: list[_Rule] = []
    notes: list[Finding] = []
    names: dict[str, str] = {"": ""}
    optional: dict[str, bool] = {"": False}
    section = ""
    defaults: tuple[str, ...] = ()
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if platform == "gitlab" and stripped.startswith(("[", "^[")):
            heading = section_heading(stripped)
            if heading is not None:
                name, is_optional, rest = heading
                section = name.casefold()
                names.setdefault(section, name)
                optional[section] = optional.get(section, True) and is_optional
                defaults = tuple(owner for owner, _ in owner_tokens(rest, 0) if names_owner(owner, platform))
                continue
            message = f"'{quoted(stripped, 60)}' is no section heading (no closing ']'): GitLab reads it as a rule"
            notes.append(Finding(artifact.path, number, 1, message, None))
        rule = _rule(number, line, platform, section, defaults)
        if rule is not None:
            rules.append(rule)
            if len(rules) > MAX_RULES:
                break  # the caller reports it; reading on would only cost time
            if platform == "gitlab" and rule.bad_owners and len(notes) < _SHOWN:
                owner, column = rule.bad_owners[0]
                message = f"'{quoted(owner, 60)}' is not an owner GitLab knows the form of: ignored"
                notes.append(Finding(artifact.path, number, column, message, None))
    return rules, _Sections(names, optional), notes


def section_heading(text: str) -> tuple[str, bool, str] | None:
    """A GitLab section heading: name, optional, and what follows (default owners)."""
    is_optional = text.startswith("^")
    body = text[1:] if is_optional else text
    close = body.find("]")
    if not body.startswith("[") or close < 2:
        return None
    name, rest = body[1:close], body[close + 1 :]
    if rest.startswith("["):  # required approvals, `[2]`
        end = rest.find("]")
        if end < 2 or not rest[1:end].isdigit():
            return None
        rest = rest[end + 1 :]
    if rest and not rest[0].isspace():
        return None  # `[abc]*.rb`: a pattern with a character class
    return name, is_optional, rest


def _rule(number: int, line: str, platform: str, section: str, defaults: tuple[str, ...]) -> _Rule | None:
    tokens = owner_tokens(line, 0)
    if not tokens:
        return None
    (pattern, column), rest = tokens[0], tokens[1:]
    if platform == "github":
        comment = next((i for i, (token, _) in enumerate(rest) if token.startswith("#")), len(rest))
        rest = rest[:comment]  # GitHub allows a comment after the owners
    owners = tuple(token for token, _ in rest if names_owner(token, platform))
    bad = tuple((token, at) for token, at in rest if not names_owner(token, platform))
    exclusion = platform == "gitlab" and pattern.startswith("!")
    pattern = pattern[1:] if exclusion else pattern
    skipped = ""
    if len(pattern) > MAX_PATTERN:
        skipped = f"a pattern of over {MAX_PATTERN:,} characters"
    elif platform == "github" and bad:
        skipped = f"invalid owner '{quoted(bad[0][0], 60)}'"
    elif platform == "github" and pattern.startswith("!"):
        skipped = "GitHub does not support '!' patterns"
    if platform == "gitlab" and not owners and not exclusion:
        owners = defaults
    return _Rule(number, column, pattern, owners, bad, section, exclusion, skipped)


def owner_tokens(line: str, offset: int) -> list[tuple[str, int]]:
    """Words split at blanks not escaped with a backslash (`docs/Eval\\ Reports/`), each with its 1-based column;
    the first MAX_WORDS only (a pattern and its owners: no review names hundreds of people on one line)."""
    words = islice(_WORD.finditer(line), MAX_WORDS)
    return [(word.group(), offset + word.start() + 1) for word in words]


def names_owner(token: str, platform: str) -> bool:
    """Whether `token` has the form of an owner on `platform` (whether the account exists is the forge's to say)."""
    if token.startswith("@@"):
        return platform == "gitlab" and token[2:].casefold().removesuffix("s") in ROLES
    if token.startswith("@"):
        parts = token[1:].split("/")
        if platform == "github":  # @user or @org/team-slug
            return len(parts) <= 2 and _name(parts[0], "-") and all(_name(part, "-_.") for part in parts[1:])
        return all(_name(part, "-_.") for part in parts)  # @user, @group/subgroup/...
    local, at, domain = token.partition("@")
    return bool(local and at) and "@" not in domain and "." in domain.strip(".") and not domain.startswith(".")


def _name(part: str, also: str) -> bool:
    return bool(part) and part[0].isalnum() and all((c.isascii() and c.isalnum()) or c in also for c in part)


# --- judging ---------------------------------------------------------------------------------------------------


def _judge_paths(
    artifact: Artifact, paths: Any, rules: list[_Rule], sections: _Sections, matching: _Matching
) -> list[Finding]:
    named: dict[str, list[str]] = (
        {str(path): list(samples) for path, samples in paths.items()}
        if isinstance(paths, Mapping)
        else {str(path): [] for path in paths}
    )
    by_section: dict[str, list[_Rule]] = {}
    for rule in rules:
        by_section.setdefault(rule.section, []).append(rule)
    findings: list[Finding] = []
    all_samples: list[str] = []
    for path, given in named.items():
        samples = _samples(path, given, rules, matching.platform)
        all_samples += samples
        verdicts = [(sample, _verdict(rules, by_section, sections, sample, matching)) for sample in samples]
        findings.append(_path_finding(artifact, path, verdicts))
    return findings + _skipped_lines(artifact, rules, all_samples, matching)


def _samples(path: str, given: list[str], rules: list[_Rule], platform: str) -> list[str]:
    """The files that stand for a named path: those given, or a new file in the directory; and for a directory, a
    file each un-owning rule under it names (so that `/evals/**/*.jsonl` with no owner is caught)."""
    path = path.lstrip("/")
    samples = [s.lstrip("/") for s in given] or [path + _ANY_FILE if path.endswith("/") else path]
    if not path.endswith("/"):
        return samples
    for rule in rules:
        unowns = rule.exclusion or (not rule.owners and not rule.skipped)
        if not unowns or len(rule.pattern) > MAX_PATTERN:
            continue
        written = rule.pattern
        anchored = "/" in written.rstrip("/") if platform == "github" else written.startswith("/")
        concrete = instance(written)
        candidate = concrete if anchored else path + concrete
        if candidate.startswith(path) and candidate not in samples and len(samples) < len(given) + _SYNTHESISED:
            samples.append(candidate)
    return samples


def _verdict(
    rules: list[_Rule],
    by_section: dict[str, list[_Rule]],
    sections: _Sections,
    sample: str,
    matching: _Matching,
) -> _Verdict:
    if matching.platform == "github":
        return _github_verdict(rules, sample, matching)
    decided: list[tuple[_Rule, bool]] = []  # per section: the decisive rule, and whether it excludes the file
    for inside in by_section.values():
        last = next((rule for rule in reversed(inside) if matching.hits(rule, sample)), None)
        if last is None:
            continue
        # Once a file is excluded in a section, no later rule of the section takes it back.
        exclusion = next((r for r in inside if r.exclusion and r.line <= last.line and matching.hits(r, sample)), None)
        decided.append((exclusion, True) if exclusion is not None else (last, False))
    owning = [rule for rule, excluded in decided if not excluded and rule.owners]
    if owning:
        rule = max(owning, key=lambda r: r.line)
        return _Verdict(rule, rule.owners, all(sections.optional[r.section] for r in owning), "")
    if not decided:
        return _Verdict(None, (), False, "no rule matches it")
    last, excluded = max(decided, key=lambda pair: pair[0].line)
    if excluded:
        return _Verdict(last, (), False, f"line {last.line} ('!{quoted(last.pattern)}') excludes it from approval")
    where = f"section [{quoted(sections.names[last.section])}]" if last.section else "the file"
    reason = f"line {last.line} ('{quoted(last.pattern)}') names no owner and {where} has no default owners"
    return _Verdict(last, (), False, reason)


def _github_verdict(rules: list[_Rule], sample: str, matching: _Matching) -> _Verdict:
    skipped: _Rule | None = None
    for rule in reversed(rules):
        if not matching.hits(rule, sample):
            continue
        if rule.skipped:
            skipped = skipped or rule
            continue
        if rule.owners:
            return _Verdict(rule, rule.owners, False, "")
        reason = f"the last rule matching it, line {rule.line} ('{quoted(rule.pattern)}'), names no owner"
        return _Verdict(rule, (), False, reason)
    if skipped is not None:
        reason = f"the only rule for it, line {skipped.line}, is skipped by GitHub ({skipped.skipped})"
        return _Verdict(skipped, (), False, reason)
    return _Verdict(None, (), False, "no rule matches it")


class _Matching:
    """Each rule's pattern compiled when a sample first meets it, and matched, all charged to one budget (a file
    of many rules costs only the rules a sample reaches)."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.budget = Budget(BUDGET_STEPS)
        self.compiled: dict[int, Pattern | None] = {}

    def hits(self, rule: _Rule, sample: str) -> bool:
        if rule.line not in self.compiled:
            self.budget.spend(len(rule.pattern))
            compile_ = github if self.platform == "github" else gitlab
            self.compiled[rule.line] = None if len(rule.pattern) > MAX_PATTERN else compile_(rule.pattern)
        pattern = self.compiled[rule.line]
        return pattern is not None and pattern.matches(sample, self.budget)


def _path_finding(artifact: Artifact, path: str, verdicts: list[tuple[str, _Verdict]]) -> Finding:
    for sample, verdict in verdicts:
        if not verdict.owners:
            shown = f"a new file in {path}" if sample.endswith(_ANY_FILE) else quoted(sample)
            line, column = (verdict.rule.line, verdict.rule.column) if verdict.rule else (1, 1)
            return Finding(artifact.path, line, column, f"{path} has no owner for {shown}: {verdict.reason}", False)
    sample, verdict = verdicts[0]
    assert verdict.rule is not None
    owners = ", ".join(quoted(owner, 60) for owner in verdict.owners[:5])
    message = f"{path} is owned by {owners} (line {verdict.rule.line}: '{quoted(verdict.rule.pattern)}')"
    if verdict.optional:
        message += ", but only in an optional section: their approval is not required"
    return Finding(artifact.path, verdict.rule.line, verdict.rule.column, message, True)


def _skipped_lines(artifact: Artifact, rules: list[_Rule], samples: list[str], matching: _Matching) -> list[Finding]:
    """GitHub's skipped lines: failing where the line would decide a named path's owner, else said for information."""
    found: list[Finding] = []
    for rule in rules:
        if not rule.skipped or len(found) >= _SHOWN:
            continue
        column = rule.bad_owners[0][1] if rule.bad_owners else rule.column
        matters = any(matching.hits(rule, sample) for sample in samples)
        message = f"GitHub skips line {rule.line}: {rule.skipped}"
        found.append(Finding(artifact.path, rule.line, column, message, False if matters else None))
    return found
