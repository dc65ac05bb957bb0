"""What `scan` concludes about a repository's profile, on small repositories written for the purpose: each key
with the file and line that show it, and nothing guessed where the repository is silent."""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path

import pytest

from readiness.verify.scan import profile, tree
from readiness.verify.scan.model import Detection
from readiness.verify.scan.profile import detect

# pyproject.toml is read with the standard library's tomllib, which Python 3.10 does not have.
READS_TOML = sys.version_info >= (3, 11)
NO_TOML = "not read: reading pyproject.toml takes Python 3.11 or later"
TOO_DEEP = "not read: nested too deeply for the standard library's reader"


def repo(top: Path, files: Mapping[str, str | bytes]) -> Path:
    """A work tree (the project root the scan may not leave) holding these files: text dedented, bytes as given."""
    (top / ".git").mkdir(parents=True)
    for name, content in files.items():
        path = top / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return top


def reasons(found: Detection, key: str) -> list[str]:
    return [f"{clue.file}:{clue.line}:{clue.column} {clue.what}" for clue in found.clues.get(key, ())]


def test_an_llm_app_shows_llm_and_rag_from_its_dependencies_and_imports(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "copilot",
        {
            "requirements.txt": "fastapi>=0.110\nopenai>=1.30\nqdrant-client[fastembed]>=1.9  # retrieval\n",
            "app/answer.py": """\
                from openai import OpenAI

                client = OpenAI()
            """,
        },
    )
    found = detect(top)
    assert found.profile == {"llm": True, "rag": True}
    assert reasons(found, "llm") == ["app/answer.py:1:1 imports openai", "requirements.txt:2:1 depends on openai"]
    assert reasons(found, "rag") == ["requirements.txt:3:1 depends on qdrant-client"]


def test_pyproject_dependencies_extras_groups_and_poetry_tables_are_read(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "toml",
        {
            "pyproject.toml": """\
                [project]
                name = "copilot"
                dependencies = ["fastapi>=0.110", "openai>=1.30"]
                [project.optional-dependencies]
                search = ["qdrant-client[fastembed]>=1.9"]
                [dependency-groups]
                agents = ["langgraph"]
                [tool.poetry.group.dev.dependencies]
                presidio-analyzer = "^2.2"
            """,
        },
    )
    found = detect(top)
    if not READS_TOML:
        assert found.profile == {}
        assert [(u.file, u.why) for u in found.unread] == [("pyproject.toml", NO_TOML)]
        return
    assert {key: reasons(found, key) for key in found.profile} == {
        "llm": ["pyproject.toml:3:36 depends on openai", "pyproject.toml:7:12 depends on langgraph"],
        "agentic": ["pyproject.toml:7:12 depends on langgraph"],
        "rag": ["pyproject.toml:5:12 depends on qdrant-client"],
        "personal_data": ["pyproject.toml:9:1 depends on presidio-analyzer"],
    }


def test_a_classical_model_shows_no_key(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "churn",
        {
            "requirements.txt": "scikit-learn==1.5.0\npandas>=2\nxgboost  # the model\ntorch\ntransformers\n",
            "train.py": "import sklearn\nfrom xgboost import XGBClassifier\nimport transformers\n",
        },
    )
    found = detect(top)
    assert found.profile == {}
    assert found.unread == ()
    assert found.files_read == 2


def test_an_agent_with_mcp_tools_is_agentic_and_says_where_tools_reach_the_model(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "ops",
        {
            "requirements/base.txt": "anthropic==0.40.0\nmcp>=1.2\n",
            "agent/server.py": """\
                from mcp.server.fastmcp import FastMCP

                server = FastMCP("ops")
            """,
            "agent/loop.py": """\
                import anthropic

                def turn(client: anthropic.Anthropic, tools: list) -> object:
                    return client.messages.create(model="m", max_tokens=10, messages=[], tools=tools)
            """,
        },
    )
    found = detect(top)
    assert found.profile == {"llm": True, "agentic": True}
    assert reasons(found, "agentic") == [
        "agent/loop.py:4:12 hands tools to a model (create with tools)",
        "agent/server.py:1:1 imports mcp.server.fastmcp",
        "requirements/base.txt:2:1 depends on mcp",
    ]


def test_a_plain_web_service_shows_no_ai_key_and_personal_data_only_from_its_fields(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "shop",
        {
            "package.json": '{"name": "shop", "dependencies": {"express": "^4.19.0", "pg": "^8"}}\n',
            "go.mod": "module example.com/shop\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n)\n",
            "api/models.py": """\
                from dataclasses import dataclass

                @dataclass
                class Customer:
                    id: int
                    email: str
            """,
            "Dockerfile": "FROM python:3.12-slim\n",
        },
    )
    found = detect(top)
    assert found.profile == {"personal_data": True}
    assert reasons(found, "personal_data") == ["api/models.py:6:5 class Customer has a field 'email'"]


def test_javascript_go_and_images_show_their_keys(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "mixed",
        {
            "web/package.json": '{\n  "dependencies": {\n    "@anthropic-ai/sdk": "^0.30.0",\n'
            '    "@modelcontextprotocol/sdk": "^1.0.0"\n  }\n}\n',
            "svc/go.mod": "module example.com/svc\n\nrequire github.com/qdrant/go-client v1.11.0\n",
            "deploy/compose.yaml": "services:\n  model:\n    image: vllm/vllm-openai:v0.6.3\n",
        },
    )
    found = detect(top)
    assert found.profile == {"llm": True, "agentic": True, "rag": True, "self_hosted": True}
    assert reasons(found, "self_hosted") == ["deploy/compose.yaml:3:12 runs the image vllm/vllm-openai"]
    assert reasons(found, "agentic") == ["web/package.json:4:6 depends on @modelcontextprotocol/sdk"]
    assert reasons(found, "rag") == ["svc/go.mod:3:9 requires github.com/qdrant/go-client"]


def test_lock_files_and_poetry_tables_are_read(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "locked",
        {
            "uv.lock": 'version = 1\n\n[[package]]\nname = "chromadb"\nversion = "0.5.0"\n',
            "poetry.lock": '[[package]]\nname = "langchain-openai"\nversion = "0.2.0"\n',
        },
    )
    found = detect(top)
    assert reasons(found, "rag") == ["uv.lock:4:9 depends on chromadb"]
    assert reasons(found, "llm") == ["poetry.lock:2:9 depends on langchain-openai"]


def test_a_python_file_that_does_not_parse_is_said_and_the_rest_still_read(tmp_path: Path) -> None:
    top = repo(tmp_path / "broken", {"bad.py": "import openai\ndef (:\n", "good.py": "import anthropic\n"})
    found = detect(top)
    assert found.profile == {"llm": True}
    assert [(u.file, u.line) for u in found.unread] == [("bad.py", 2)]
    assert found.unread[0].why.startswith("not parsed as Python: ")


@pytest.mark.parametrize(
    "source",
    [
        "import openai\nx = " + "+".join(["1"] * 200_000) + "\n",
        "import openai\nx = " + "-" * 500_000 + "1\n",
        "import openai\0\n",
    ],
    ids=["long-chain", "deep-unary", "nul-byte"],
)
def test_a_python_file_written_to_break_the_parser_is_said(tmp_path: Path, source: str) -> None:
    found = detect(repo(tmp_path / "bomb", {"bomb.py": source, "ok.py": "import anthropic\n"}))
    assert found.profile == {"llm": True}
    assert [u.file for u in found.unread] == ["bomb.py"]
    assert found.unread[0].why.startswith("not parsed as Python: ")


def test_a_package_json_that_is_not_json_is_said_at_its_line(tmp_path: Path) -> None:
    top = repo(tmp_path / "js", {"package.json": '{\n  "dependencies": {"openai": "^4"\n'})
    found = detect(top)
    assert found.profile == {}
    assert [(u.file, u.line, u.why.split(":")[0]) for u in found.unread] == [("package.json", 3, "not JSON")]


def test_a_pyproject_that_is_not_toml_is_said_at_its_line(tmp_path: Path) -> None:
    top = repo(tmp_path / "toml", {"pyproject.toml": '[project]\ndependencies = ["openai"\n'})
    found = detect(top)
    assert found.profile == {}
    if READS_TOML:
        assert [(u.file, u.line, u.why.split(":")[0]) for u in found.unread] == [("pyproject.toml", 3, "not TOML")]
    else:
        assert [(u.file, u.why) for u in found.unread] == [("pyproject.toml", NO_TOML)]


def test_a_huge_requirements_file_is_said_not_read(tmp_path: Path) -> None:
    top = repo(tmp_path / "huge", {"requirements.txt": "openai\n" + "# padding\n" * 600_000})
    found = detect(top)
    assert found.profile == {}
    assert [u.file for u in found.unread] == ["requirements.txt"]
    assert found.unread[0].why == "not read: file is 6,000,007 bytes; the limit is 5,242,880 bytes"


def test_a_generated_python_file_over_a_megabyte_is_said_not_parsed(tmp_path: Path) -> None:
    top = repo(tmp_path / "generated", {"big_pb2.py": "import openai\n" + "X = 1\n" * 200_000})
    found = detect(top)
    assert found.profile == {}
    assert [(u.file, u.why) for u in found.unread] == [
        ("big_pb2.py", "not read: file is 1,200,014 bytes; the limit is 1,048,576 bytes")
    ]


def test_a_long_requirements_file_under_the_limit_is_read_in_full(tmp_path: Path) -> None:
    lines = [f"package-{n}==1.0" for n in range(100_000)] + ["litellm"]
    top = repo(tmp_path / "long", {"requirements.txt": "\n".join(lines) + "\n"})
    found = detect(top)
    assert reasons(found, "llm") == ["requirements.txt:100001:1 depends on litellm"]


def test_nothing_is_read_through_a_symlink_out_of_the_project(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "requirements.txt").write_text("openai\n", encoding="utf-8")
    (outside / "agent.py").write_text("import langgraph\n", encoding="utf-8")
    top = repo(tmp_path / "project", {"main.py": "print('hello')\n"})
    os.symlink(outside / "requirements.txt", top / "requirements.txt")
    os.symlink(outside, top / "vendor")
    found = detect(top)
    assert found.profile == {}
    assert found.unread == ()


def test_no_code_of_the_repository_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    top = repo(
        tmp_path / "hostile",
        {
            "setup.py": f"open({str(marker)!r}, 'w').close()\nimport openai\n",
            "conftest.py": f"open({str(marker)!r}, 'w').close()\n",
        },
    )
    found = detect(top)
    assert found.profile == {"llm": True}
    assert not marker.exists()


@pytest.mark.parametrize("name", ["node_modules/x/package.json", ".venv/lib/site.py"])
def test_vendored_folders_are_not_evidence(tmp_path: Path, name: str) -> None:
    text = '{"dependencies": {"openai": "1"}}' if name.endswith(".json") else "import openai\n"
    found = detect(repo(tmp_path / "v", {name: text}))
    assert found.profile == {}


def test_fields_named_like_personal_data_in_a_json_schema_or_a_model_show_personal_data(tmp_path: Path) -> None:
    schema = (
        '{\n  "type": "object",\n  "properties": {\n    "ticket_id": {"type": "string"},\n'
        '    "customer": {"properties": {"billingEmail": {"type": "string"}}}\n  }\n}\n'
    )
    top = repo(
        tmp_path / "pd",
        {
            "schemas/ticket.json": schema,
            "app/models.py": "class Order:\n    shipping_address: str\n    product_name: str\n"
            "    customer_phone_number: str\n",
        },
    )
    found = detect(top)
    assert reasons(found, "personal_data") == [
        "app/models.py:4:5 class Order has a field 'customer_phone_number'",
        "schemas/ticket.json:5:34 declares the field billingEmail",
    ]


def test_names_that_only_look_personal_are_not(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "np",
        {
            "schemas/server.schema.json": '{"properties": {"address": {}, "name": {}, "email_enabled": {}}}',
            "cfg.py": "class Server:\n    address: str\n    name: str\n    emails_sent: int\n",
        },
    )
    assert detect(top).profile == {}


@pytest.mark.parametrize(
    ("name", "text", "why"),
    [
        ("package.json", "[" * 100_000 + "]" * 100_000, TOO_DEEP),
        ("schemas/a.json", '{"a":' * 100_000 + "1" + "}" * 100_000, TOO_DEEP),
        ("pyproject.toml", "x = " + "[" * 100_000 + "]" * 100_000, TOO_DEEP if READS_TOML else NO_TOML),
        ("package.json", '["openai"]', "not a package.json: the file holds no object"),
    ],
)
def test_a_dependency_file_built_to_break_its_reader_is_said(tmp_path: Path, name: str, text: str, why: str) -> None:
    found = detect(repo(tmp_path / "deep", {name: text, "requirements.txt": "openai\n"}))
    assert found.profile == {"llm": True}
    assert [(u.file, u.why) for u in found.unread] == [(name, why)]


def test_javascript_typescript_and_go_import_lines_show_their_keys(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "polyglot",
        {
            "web/src/chat.ts": 'import Anthropic from "@anthropic-ai/sdk";\nimport { x } from "./local";\n',
            "web/src/tools.mjs": "const { Server } = require('@modelcontextprotocol/sdk/server/index.js');\n",
            "web/src/types.d.ts": 'import type { Index } from "@pinecone-database/pinecone";\n',
            "svc/store.go": 'package svc\n\nimport (\n\t"fmt"\n\tqdrant "github.com/qdrant/go-client/qdrant"\n)\n',
        },
    )
    found = detect(top)
    assert found.profile == {"llm": True, "agentic": True, "rag": True}
    assert reasons(found, "llm") == ["web/src/chat.ts:1:24 imports @anthropic-ai/sdk"]
    assert reasons(found, "agentic") == ["web/src/tools.mjs:1:29 imports @modelcontextprotocol/sdk"]
    assert reasons(found, "rag") == ["svc/store.go:5:10 imports github.com/qdrant/go-client/qdrant"]


def test_a_package_json_is_read_before_more_scripts_than_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profile, "MAX_OTHER_FILES", 50)
    files = {f"src/m{n:03}.js": "export const n = 1;\n" for n in range(60)}
    files["zz/package.json"] = '{"dependencies": {"openai": "^4"}}'
    found = detect(repo(tmp_path / "many", files))
    assert reasons(found, "llm") == ["zz/package.json:1:20 depends on openai"]
    assert found.files_left == 11


def test_a_repository_larger_than_the_walk_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tree, "MAX_LISTED", 20)
    monkeypatch.setattr(profile, "MAX_LISTED", 20)
    files = {f"docs/page{n:02}.md": "# page\n" for n in range(30)}
    found = detect(repo(tmp_path / "large", files))
    assert [(u.file, u.why) for u in found.unread] == [(".", "over 20 files and folders: the rest were not read")]


def test_embedding_calls_and_vector_queries_show_rag(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "grounded",
        {
            "app/llm.py": """\
                import openai

                def embed(client: openai.OpenAI, text: str) -> list[float]:
                    return client.embeddings.create(model="e", input=[text]).data[0].embedding
            """,
            "app/search.py": "from azure.search.documents.models import VectorizedQuery\n",
            "app/keyword.py": "from azure.search.documents import SearchClient\n",
            # Not an LLM caller: a method called embeddings.create here may be anything.
            "app/other.py": "def f(db):\n    return db.embeddings.create(1)\n",
        },
    )
    found = detect(top)
    assert reasons(found, "rag") == [
        "app/llm.py:4:12 calls an embedding model (embeddings.create)",
        "app/search.py:1:1 imports azure.search.documents.models.VectorizedQuery",
    ]


def test_a_package_named_in_a_pyproject_comment_is_placed_at_its_requirement(tmp_path: Path) -> None:
    text = '[project]\ndependencies = [\n    # models through openai, "#" quoted\n    "openai>=1.54",\n]\n'
    found = detect(repo(tmp_path / "commented", {"pyproject.toml": text}))
    if READS_TOML:
        assert reasons(found, "llm") == ["pyproject.toml:4:6 depends on openai"]
    else:
        assert found.profile == {}


def test_a_tenant_id_in_a_schema_or_a_model_shows_multi_tenant(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "saas",
        {
            "schemas/document.schema.json": '{\n  "properties": {\n    "tenantId": {"type": "string"}\n  }\n}\n',
            "app/records.py": "class Conversation:\n    id: str\n    tenant_id: str\n",
            "app/orm.py": "class Invoice(Base):\n    tenant = relationship('Tenant')\n",
        },
    )
    found = detect(top)
    assert found.profile == {"multi_tenant": True}
    assert reasons(found, "multi_tenant") == [
        "app/orm.py:2:5 class Invoice has a field 'tenant'",
        "app/records.py:3:5 class Conversation has a field 'tenant_id'",
        "schemas/document.schema.json:3:6 declares the field tenantId",
    ]


def test_names_near_a_tenant_field_are_not_one(tmp_path: Path) -> None:
    top = repo(
        tmp_path / "single",
        {
            "schemas/site.schema.json": '{"properties": {"tenant_name": {}, "tenants": {}, "org_id": {}}}',
            "app/settings.py": "class Settings:\n    tenant_name: str\n    is_tenant_admin: bool\n\n"
            "TENANT_ID = 'helio'\n",
        },
    )
    assert detect(top).profile == {}


def test_an_internet_facing_load_balancer_shows_public_facing(tmp_path: Path) -> None:
    service = """\
        apiVersion: v1
        kind: Service
        metadata:
          name: api
          annotations:
            service.beta.kubernetes.io/aws-load-balancer-type: external
            service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing
        spec:
          type: LoadBalancer
    """
    top = repo(
        tmp_path / "web",
        {
            "deploy/service.yaml": service,
            "deploy/ingress.yml": "metadata:\n  annotations:\n"
            "    'alb.ingress.kubernetes.io/scheme': \"internet-facing\"\n",
            "deploy/gateway.yaml": "kind: Gateway\nspec:\n  gatewayClassName: gke-l7-global-external-managed  # web\n",
        },
    )
    found = detect(top)
    assert found.profile == {"public_facing": True}
    assert reasons(found, "public_facing") == [
        "deploy/gateway.yaml:3:3 uses the external gateway class gke-l7-global-external-managed",
        "deploy/ingress.yml:3:6 sets alb.ingress.kubernetes.io/scheme: internet-facing",
        "deploy/service.yaml:7:5 sets service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing",
    ]


def test_an_ingress_an_internal_scheme_or_a_load_balancer_alone_is_not_public_facing(tmp_path: Path) -> None:
    ingress = """\
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          annotations:
            kubernetes.io/ingress.class: alb
            alb.ingress.kubernetes.io/scheme: internal
        spec:
          rules: [{host: web.example.com}]
    """
    top = repo(
        tmp_path / "private",
        {
            "deploy/ingress.yaml": ingress,
            "deploy/plain-ingress.yaml": "kind: Ingress\nspec:\n  ingressClassName: nginx\n",
            "deploy/lb.yaml": "kind: Service\nspec:\n  type: LoadBalancer\n",
            "deploy/gateway.yaml": "kind: Gateway\nspec:\n  gatewayClassName: gke-l7-rilb\n",
            "deploy/params.yaml": "kind: IngressClassParams\nspec:\n  scheme: internal\n",
            "docs/notes.md": "alb.ingress.kubernetes.io/scheme: internet-facing\n",
        },
    )
    assert detect(top).profile == {}


def test_imports_and_classes_nested_in_blocks_are_found(tmp_path: Path) -> None:
    source = """\
        try:
            import openai
        except ImportError:
            from anthropic import Anthropic

        def build(kind):
            match kind:
                case "index":
                    import chromadb
            with open("x") as f:
                for line in f:
                    while line:
                        if line:
                            class Row:
                                tenant_id: str
                        else:
                            pass
    """
    found = detect(repo(tmp_path / "nested", {"app.py": source}))
    assert {key: reasons(found, key) for key in found.profile} == {
        "llm": ["app.py:2:5 imports openai", "app.py:4:5 imports anthropic"],
        "rag": ["app.py:9:13 imports chromadb"],
        "multi_tenant": ["app.py:15:25 class Row has a field 'tenant_id'"],
    }
