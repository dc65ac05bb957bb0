"""What a Python file shows, read by `ast` and never run: the modules it imports, tools it hands to a model,
embedding calls, and fields of its data classes named like personal data or a tenant's id."""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from collections.abc import Iterator

from readiness.verify.scan.model import Clue, Mention, Unread
from readiness.verify.scan.signals import TRAINING_MODULES, field_keys

# Before 3.11, ast.parse overflows the C stack, and the process dies, on one expression of about 100,000 terms
# (`1+1+…`, which a pull request can commit); no statement a person writes comes near this many tokens.
MAX_TOKENS = 50_000
# A call that hands tools to a model: the SDKs' completion calls with `tools=` (or the older `functions=`), and
# LangChain's `bind_tools`. Only looked for in a file that imports an LLM SDK.
_MODEL_CALLS = frozenset({"create", "acreate", "stream", "parse", "generate_content", "chat", "completion"})
_TOOL_KEYWORDS = frozenset({"tools", "functions"})
# A call that embeds text, whose common use is retrieval: `client.embeddings.create` (OpenAI, Azure OpenAI,
# Mistral), LangChain's `embed_query` / `embed_documents`, Google's `embed_content`. Only in a file that imports
# an LLM SDK, as for tools: a method of one of these names elsewhere may be anything.
_EMBEDDING_METHODS = frozenset({"embed_query", "embed_documents", "aembed_query", "aembed_documents", "embed_content"})


def read(text: str, path: str, llm_modules: frozenset[str]) -> tuple[list[Mention], list[Clue], list[Unread]]:
    """The imports of the file, its clues beyond imports, or why it could not be parsed. `llm_modules` are the
    top-level modules that make a file an LLM caller (for the tool-call clue)."""
    long = _long_statement(text) if sys.version_info < (3, 11) else None
    if long is not None:
        return [], [], [Unread(path, long, 1, f"not parsed as Python: a statement of over {MAX_TOKENS:,} tokens")]
    try:
        tree = ast.parse(text, path)
    except (SyntaxError, ValueError) as error:  # ValueError: a NUL byte in the source (before 3.12)
        line = getattr(error, "lineno", None) or 1
        column = getattr(error, "offset", None) or 1
        reason = getattr(error, "msg", None) or "not Python source"
        return [], [], [Unread(path, line, column, f"not parsed as Python: {reason}")]
    except (RecursionError, MemoryError):
        # CPython's parser gives up on expressions nested or chained deep enough (`1+1+…` a hundred thousand
        # times): a file written to stop the scan is said, and the scan goes on.
        return [], [], [Unread(path, 1, 1, "not parsed as Python: nested too deeply for the parser")]
    statements = list(_statements(tree))
    mentions = _imports([node for node in statements if isinstance(node, (ast.Import, ast.ImportFrom))], path)
    clues: list[Clue] = []
    if any(mention.name.split(".")[0] in llm_modules for mention in mentions):
        calls = _method_calls(tree)
        clues += _tool_calls(calls, path) + _embedding_calls(calls, path)
    trainers = _aliases(statements, TRAINING_MODULES)
    if trainers:
        clues += _training_calls(_method_calls(tree), trainers, path)
    clues += _fields([node for node in statements if isinstance(node, ast.ClassDef)], path)
    return mentions, clues, []


def _aliases(statements: list[ast.AST], modules: frozenset[str]) -> dict[str, str]:
    """The names a file gives these modules (`import lightgbm as lgb`: lgb -> lightgbm)."""
    found = {}
    for node in statements:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in modules:
                    found[alias.asname or alias.name] = alias.name
    return found


def _training_calls(calls: list[tuple[ast.Call, ast.Attribute]], aliases: dict[str, str], path: str) -> list[Clue]:
    """`lgb.train(…)`, `xgb.train(…)`: the file fits a model itself."""
    found = []
    for node, function in calls:
        owner = function.value
        if function.attr == "train" and isinstance(owner, ast.Name) and owner.id in aliases:
            what = f"trains a model ({owner.id}.train, {aliases[owner.id]})"
            found.append(Clue("trains_models", path, node.lineno, node.col_offset + 1, what))
    return found


# The fields of a node that hold statements (or handlers and match cases, which hold statements in turn).
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _statements(tree: ast.AST) -> Iterator[ast.AST]:
    """Every statement, at any depth, without the expressions inside them: imports and classes are statements,
    and a walk of every node took most of a scan's time on a repository of many parsed files."""
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        for name in _BLOCKS:
            block = getattr(node, name, None)
            if isinstance(block, list):
                pending += block


def _method_calls(tree: ast.AST) -> list[tuple[ast.Call, ast.Attribute]]:
    """Calls of a method (`client.messages.create(…)`), with the method."""
    return [
        (node, node.func)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    ]


def _long_statement(text: str) -> int | None:
    """The line where a statement of over MAX_TOKENS tokens starts, if the file has one (until the tokenizer
    stops: ast.parse then says where the file is not Python)."""
    count, start = 0, 1
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                count, start = 0, token.end[0] + 1
                continue
            count += 1
            if count > MAX_TOKENS:
                return start
    except (tokenize.TokenError, SyntaxError):
        return None
    return None


def _imports(statements: list[ast.Import | ast.ImportFrom], path: str) -> list[Mention]:
    found = []
    for node in statements:
        if isinstance(node, ast.Import):
            found += [Mention("import", alias.name, path, node.lineno, node.col_offset + 1) for alias in node.names]
        elif node.level == 0 and node.module:
            found.append(Mention("import", node.module, path, node.lineno, node.col_offset + 1))
            # `from google import genai` imports google.genai
            found += [
                Mention("import", f"{node.module}.{alias.name}", path, node.lineno, node.col_offset + 1)
                for alias in node.names
            ]
    return found


def _tool_calls(calls: list[tuple[ast.Call, ast.Attribute]], path: str) -> list[Clue]:
    found = []
    for node, function in calls:
        method = function.attr
        keywords = {keyword.arg for keyword in node.keywords}
        if method == "bind_tools" or (method in _MODEL_CALLS and keywords & _TOOL_KEYWORDS):
            what = "hands tools to a model" + (" (bind_tools)" if method == "bind_tools" else f" ({method} with tools)")
            found.append(Clue("agentic", path, node.lineno, node.col_offset + 1, what))
    return found


def _embedding_calls(calls: list[tuple[ast.Call, ast.Attribute]], path: str) -> list[Clue]:
    found = []
    for node, function in calls:
        method, owner = function.attr, function.value
        if method in _EMBEDDING_METHODS:
            what = f"calls an embedding model ({method})"
        elif method in ("create", "acreate") and isinstance(owner, ast.Attribute) and owner.attr == "embeddings":
            what = f"calls an embedding model (embeddings.{method})"
        else:
            continue
        found.append(Clue("rag", path, node.lineno, node.col_offset + 1, what))
    return found


def _fields(classes: list[ast.ClassDef], path: str) -> list[Clue]:
    """Fields declared in a class body (a dataclass, a Pydantic or ORM model) whose name shows a key: personal
    data (`email`), records that belong to tenants (`tenant_id`)."""
    found = []
    for node in classes:
        for statement in node.body:
            for name, where in _declared(statement):
                what = f"class {node.name} has a field '{name}'"
                found += [Clue(key, path, where.lineno, where.col_offset + 1, what) for key in field_keys(name)]
    return found


def _declared(statement: ast.stmt) -> list[tuple[str, ast.expr]]:
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [(statement.target.id, statement.target)]
    if isinstance(statement, ast.Assign):
        return [(target.id, target) for target in statement.targets if isinstance(target, ast.Name)]
    return []
