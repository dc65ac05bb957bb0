"""CI configuration that gates a pull request on the evaluation suite: GitHub Actions workflows
(`.github/workflows/*.yml`) and GitLab CI (`.gitlab-ci.yml`); tests/artifacts/ci-config/ABOUT.md.

An evaluation suite protects production only if it runs before a change merges and a failure stops the merge.
So the probe looks for a step (GitHub) or a job's script line (GitLab) that runs one of the pack's evaluation
commands, and judges, for that command:
- it runs on pull requests: GitHub `on` names `pull_request` or `pull_request_target` and no job or step `if`
  compares `github.event_name` to another event; GitLab puts the job in merge-request pipelines: its first rule
  that matches there (an `if` on `$CI_PIPELINE_SOURCE == "merge_request_event"` or `$CI_MERGE_REQUEST_IID`, or
  a rule without `if`) is not `when: never`, or it has `only: [merge_requests]` (a job with neither stays out of
  them, as GitLab's default `except: merge_requests` says);
- a failure fails the run: no `continue-on-error` (true or an expression) on its job or step, GitLab
  `allow_failure` false for the matching rule (the rule's value first, then the job's), and no `|| true` after
  the command.
A file where no command of the pack runs says nothing (a lint workflow is not evidence against the evals). An
action's `action.yml` has no trigger of its own, so it is nothing too.

GitLab's reuse is resolved within the file only: `extends` (several parents, 11 levels at most, as GitLab
allows), YAML anchors and aliases (the project's reader expands them) and `<<` merge keys (which the reader
refuses; yamlmerge resolves them from the text). `include:` files and `!reference` tags are not followed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from readiness.load.diagnostics import JsonPath
from readiness.load.textsafe import visible
from readiness.load.yamlsource import Document
from readiness.verify.probes.common import Artifact, Finding, Report, at, judged, nothing
from readiness.verify.probes.yamlmerge import Merged, read_merged

KIND = "ci-eval-gate"
# Coverage: one file that holds is enough (see run.py); the others' shortfalls stay findings.
COMBINE = "any"
EXPECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "command": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    },
    "required": ["command"],
    "additionalProperties": False,
}

_MAX_DEPTH = 11  # levels of `extends` (GitLab's own limit) and of nested script lists
_SHOWN = 80
_PR_EVENTS = ("pull_request", "pull_request_target")
_PR_TYPES = frozenset({"opened", "synchronize", "reopened"})  # the activity types that run on new commits
_EVENT_COMPARED = re.compile(r"github\.event_name\s{0,8}(==|!=)\s{0,8}['\"]([A-Za-z_]{1,40})['\"]")
_SWALLOWED = re.compile(r"\|\|\s{0,8}(?:true\b|:|exit\s{1,8}0\b|echo\b)")
_MR_CONDITION = re.compile(r"merge_request_event|CI_MERGE_REQUEST_I?ID")
_MR_EXCLUDED = re.compile(r"!=\s{0,8}['\"]?merge_request_event")
_GITLAB_GLOBALS = frozenset(
    {"default", "include", "stages", "variables", "workflow", "image", "services", "cache", "before_script"}
    | {"after_script", "spec", "types"}
)

Candidate = list[Finding]  # the findings about one place that runs an evaluation command


def probe(artifact: Artifact, expect: Mapping[str, Any]) -> Report:
    read = read_merged(artifact)
    if isinstance(read, Report):
        return read
    data = read.document.data
    commands = [_normal(command) for command in expect["command"]]
    if not isinstance(data, dict):
        return nothing(artifact, "not a CI configuration (no mapping of jobs)")
    if "on" in data and isinstance(data.get("jobs"), dict):
        candidates = list(_github(read.document, commands))
    elif "runs" in data or "jobs" in data:
        return nothing(artifact, "not a workflow: no 'on' trigger with 'jobs' (an action's metadata?)")
    else:
        jobs = _gitlab_jobs(read)
        if not jobs:
            return nothing(artifact, "neither a GitHub Actions workflow nor a GitLab CI configuration with a job")
        candidates = [found for name, members in jobs.items() if (found := _gitlab_job(read, name, members, commands))]
    if not candidates:
        wanted = ", ".join(f"'{_shown(command)}'" for command in commands)
        line, column = read.document.where(("jobs",))
        return nothing(artifact, f"no job runs the evaluation command ({wanted})", line, column)
    return _chosen(candidates)


def _chosen(candidates: list[Candidate]) -> Report:
    """The first place that holds in every respect, else every finding about every place, once each."""
    for findings in candidates:
        if all(finding.holds is not False for finding in findings):
            return judged(findings)
    unique = dict.fromkeys(finding for findings in candidates for finding in findings)
    return judged(unique)


def _shown(text: Any) -> str:
    shown = visible(str(text))
    return shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "…"


# --- commands -----------------------------------------------------------------------------------------------


def _normal(command: str) -> str:
    """A command line with its words one space apart and version pins dropped (`promptfoo@0.118.0`,
    `promptfoo==1.2`), so that a pack's 'promptfoo eval' finds `npx promptfoo@latest eval`."""
    words = []
    for word in command.split():
        pin = word.find("@", 1)  # not the @ of a scoped npm package, `@scope/name`
        word = word[:pin] if pin > 0 else word
        words.append(word.split("==", 1)[0])
    return " ".join(words)


def _runs(script: str, commands: list[str]) -> tuple[str, bool] | None:
    """The command of `commands` that a line of `script` runs, and whether that line swallows its failure
    (`|| true`). Continued lines are joined; comment lines run nothing."""
    for line in script.replace("\\\n", " ").splitlines():
        if line.lstrip().startswith("#"):
            continue
        spoken = _normal(line)
        for command in commands:
            start = _word_start(spoken, command)
            if start is not None:
                return command, _SWALLOWED.search(spoken, start) is not None
    return None


def _word_start(line: str, command: str) -> int | None:
    """Where `command` starts in `line` at the start of a word (`uv run pytest evals`, not `mypytest evals`)."""
    start = line.find(command)
    while start >= 0:
        if start == 0 or not (line[start - 1].isalnum() or line[start - 1] in "_-"):
            return start
        start = line.find(command, start + 1)
    return None


def _command_finding(document: Document, path: JsonPath, job: str, ran: tuple[str, bool]) -> Finding:
    command, swallowed = ran
    if swallowed:
        message = f"job '{_shown(job)}' runs '{command}' but '||' after it turns a failure into a success"
        return at(document, path, message, False)
    return at(document, path, f"job '{_shown(job)}' runs '{command}'", True)


# --- GitHub Actions -----------------------------------------------------------------------------------------


def _github(document: Document, commands: list[str]) -> Iterator[Candidate]:
    trigger = _github_trigger(document)
    for job, settings in document.data["jobs"].items():
        if not isinstance(settings, dict) or not isinstance(settings.get("steps"), list):
            continue
        for index, step in enumerate(settings["steps"]):
            run = step.get("run") if isinstance(step, dict) else None
            ran = _runs(run, commands) if isinstance(run, str) else None
            if ran is None:
                continue
            step_path: JsonPath = ("jobs", job, "steps", index)
            findings = [trigger, _command_finding(document, (*step_path, "run"), job, ran)]
            findings += _skipped_on_pull_requests(document, [(("jobs", job), "job"), (step_path, "step")])
            findings += _github_failure_allowed(document, job, step_path)
            yield findings


def _github_trigger(document: Document) -> Finding:
    on = document.data["on"]
    events: list[tuple[str, JsonPath, bool]] = []  # event, path, whether the path is a key's
    if isinstance(on, str):
        events = [(on, ("on",), False)]
    elif isinstance(on, list):
        events = [(event, ("on", index), False) for index, event in enumerate(on) if isinstance(event, str)]
    elif isinstance(on, dict):
        events = [(event, ("on", event), True) for event in on]
    for event, path, is_key in events:
        if event in _PR_EVENTS and _runs_on_new_commits(on.get(event) if isinstance(on, dict) else None):
            line, column = document.where(path, key=is_key)
            return Finding(document.file, line, column, f"the workflow runs on pull requests ({event})", True)
    names = ", ".join(_shown(event) for event, _, _ in events) or "no event"
    return at(document, ("on",), f"the workflow never runs on a pull request (it runs on {names})", False)


def _runs_on_new_commits(settings: Any) -> bool:
    """A `pull_request` filter limited to `types` that new commits do not raise (`closed`, `labeled`) is not a
    gate; branches and paths filters are (they choose which pull requests, not whether)."""
    types = settings.get("types") if isinstance(settings, dict) else None
    return not isinstance(types, list) or any(kind in _PR_TYPES for kind in types)


def _skipped_on_pull_requests(document: Document, places: list[tuple[JsonPath, str]]) -> list[Finding]:
    """An `if:` on the job or the step that is false for pull_request events."""
    found = []
    for place, what in places:
        condition = document.data
        for part in place:
            condition = condition[part]
        condition = condition.get("if")
        if condition is False or (isinstance(condition, str) and _excludes_pull_requests(condition)):
            message = f"the {what}'s condition ({_shown(condition)}) skips it on pull requests; a skip blocks nothing"
            found.append(at(document, (*place, "if"), message, False))
    return found


def _excludes_pull_requests(condition: str) -> bool:
    compared = _EVENT_COMPARED.findall(condition)
    if any(operator == "==" and event in _PR_EVENTS for operator, event in compared):
        return False
    if any(operator == "!=" and event in _PR_EVENTS for operator, event in compared):
        return True
    return any(operator == "==" for operator, _ in compared)


def _github_failure_allowed(document: Document, job: str, step_path: JsonPath) -> list[Finding]:
    found = []
    for place, what in ((("jobs", job), "the job"), (step_path, "the step")):
        settings = document.data
        for part in place:
            settings = settings[part]
        allowed = settings.get("continue-on-error")
        if allowed is True or isinstance(allowed, str):
            message = f"continue-on-error on {what} lets the run pass when the evaluation fails"
            found.append(at(document, (*place, "continue-on-error"), message, False))
    if not found:
        line, column = document.where(("jobs", job), key=True)
        message = f"job '{_shown(job)}' fails the run when the evaluation fails"
        found.append(Finding(document.file, line, column, message, True))
    return found


# --- GitLab CI ----------------------------------------------------------------------------------------------


def _gitlab_jobs(read: Merged) -> dict[str, dict[str, JsonPath]]:
    """Every job that runs (not a global keyword, not a hidden `.template`), with its keys after `extends`."""
    jobs = {}
    resolved: dict[str, dict[str, JsonPath]] = {}
    for name in read.members(()):
        if name in _GITLAB_GLOBALS or name.startswith(".") or not isinstance(read.value((name,)), dict):
            continue
        members = _extended(read, name, 0, resolved)
        if "script" in members or "trigger" in members:
            jobs[name] = members
    return jobs


def _extended(read: Merged, name: str, depth: int, resolved: dict[str, dict[str, JsonPath]]) -> dict[str, JsonPath]:
    """A job's keys after `extends`: each parent's in order, then its own; a key's value replaces the one
    inherited (GitLab merges inherited hashes key by key; the keys judged here are lists and scalars). Each
    job is resolved once, and a cycle ends where it closes."""
    if name in resolved:
        return resolved[name]
    own = read.members((name,))
    found: dict[str, JsonPath] = {}
    resolved[name] = found  # met again before it is resolved: a cycle, which adds nothing
    parents = read.value(own["extends"]) if "extends" in own else None
    if depth < _MAX_DEPTH:
        for parent in [parents] if isinstance(parents, str) else parents if isinstance(parents, list) else []:
            if isinstance(parent, str) and isinstance(read.value((parent,)), dict):
                found.update(_extended(read, parent, depth + 1, resolved))
    found.update((key, path) for key, path in own.items() if key != "extends")
    return found


def _gitlab_job(read: Merged, job: str, members: dict[str, JsonPath], commands: list[str]) -> Candidate | None:
    document = read.document
    for key in ("before_script", "script"):
        for line, path in _script_lines(read, members.get(key), 0):
            ran = _runs(line, commands)
            if ran is None:
                continue
            trigger, rule = _merge_request_trigger(read, job, members)
            return [
                trigger,
                _command_finding(document, path, job, ran),
                _gitlab_failure_allowed(read, job, members, rule),
            ]
    return None


def _script_lines(read: Merged, path: JsonPath | None, depth: int) -> Iterator[tuple[str, JsonPath]]:
    """The lines of a script: a string, or a list of strings and of lists (anchors nest them; GitLab flattens)."""
    value = read.value(path) if path is not None else None
    if isinstance(value, str) and path is not None:
        yield value, path
    elif isinstance(value, list) and path is not None and depth < _MAX_DEPTH:
        for index in range(len(value)):
            yield from _script_lines(read, (*path, index), depth + 1)


def _merge_request_trigger(read: Merged, job: str, members: dict[str, JsonPath]) -> tuple[Finding, JsonPath | None]:
    """Whether the job runs in merge-request pipelines, and the path of the rule that puts it there."""
    document = read.document
    rules = read.value(members["rules"]) if "rules" in members else None
    if isinstance(rules, list):
        rules_path = members["rules"]
        for index in range(len(rules)):
            rule_path = (*rules_path, index)
            rule = read.members(rule_path)  # a rule may take its keys from an anchor: `- <<: *mr_rule`
            if not rule or not _matches_merge_requests(read.value(rule["if"]) if "if" in rule else True):
                continue
            if "when" in rule and read.value(rule["when"]) == "never":
                message = f"the rule keeps job '{_shown(job)}' out of merge request pipelines (when: never)"
                return at(document, rule["when"], message, False), None
            message = f"job '{_shown(job)}' runs in merge request pipelines"
            return at(document, rule.get("if", rule_path), message, True), rule_path
        message = f"no rule of job '{_shown(job)}' puts it in merge request pipelines"
        return at(document, rules_path, message, False), None
    only = read.value(members["only"]) if "only" in members else None
    refs = only.get("refs") if isinstance(only, dict) else only
    if isinstance(refs, list) and "merge_requests" in refs:
        path = members["only"] if isinstance(only, list) else (*members["only"], "refs")
        message = f"job '{_shown(job)}' runs in merge request pipelines (only: merge_requests)"
        return at(document, (*path, refs.index("merge_requests")), message, True), None
    line, column = document.where((job,), key=True)
    message = f"job '{_shown(job)}' has no rule or 'only' for merge requests, so it stays out of their pipelines"
    return Finding(document.file, line, column, message, False), None


def _matches_merge_requests(condition: Any) -> bool:
    """Whether a rule's `if` is true in a merge-request pipeline, as far as reading it tells: a rule without
    one matches every pipeline; a condition on other variables (`$CI_COMMIT_BRANCH`, unset in merge-request
    pipelines, `$CI_COMMIT_TAG`) is taken as false there."""
    if condition is True:
        return True
    if not isinstance(condition, str) or _MR_EXCLUDED.search(condition):
        return False
    return _MR_CONDITION.search(condition) is not None


def _gitlab_failure_allowed(read: Merged, job: str, members: dict[str, JsonPath], rule: JsonPath | None) -> Finding:
    """`allow_failure` of the rule that matched, else of the job (false by default, true for a manual job)."""
    document = read.document
    rule_members = read.members(rule) if rule is not None else {}
    path = rule_members.get("allow_failure") or members.get("allow_failure")
    allowed = read.value(path) if path is not None else None
    if path is None and rule is None and "when" in members and read.value(members["when"]) == "manual":
        message = f"job '{_shown(job)}' is manual, and a manual job may fail unless allow_failure: false"
        return at(document, members["when"], message, False)
    if path is not None and (allowed is True or isinstance(allowed, dict)):
        which = "of the merge request rule" if path in rule_members.values() else "of the job"
        message = f"allow_failure {which} turns a failed evaluation into a warning"
        return at(document, path, message, False)
    line, column = document.where((job,), key=True)
    return Finding(
        document.file, line, column, f"job '{_shown(job)}' fails the pipeline when the evaluation fails", True
    )
