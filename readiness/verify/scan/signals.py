"""Which names show which profile key: a fixed table of packages, modules and images whose only common use is
the key's. A name that many projects use for other things (a tokenizer, a general ML library, an HTTP client)
is not here: a key is shown by clear evidence or left to the team, never guessed.

A name ending in '*' stands for every name with that prefix (a family of integrations).
"""

from __future__ import annotations

import re

# Python distributions (as in pyproject.toml, requirements, lock files), compared normalised as PEP 503 does.
PYTHON: dict[str, tuple[str, ...]] = {
    "llm": (
        "openai", "anthropic", "google-generativeai", "google-genai", "cohere", "mistralai", "groq", "litellm",
        "langchain", "langchain-*", "llama-index", "llama-index-*", "ollama", "dspy", "dspy-ai", "instructor",
        "vllm", "sglang", "openai-agents", "langgraph", "crewai", "pydantic-ai", "smolagents", "autogen-agentchat",
        "pyautogen",
    ),
    "agentic": (
        "langgraph", "langgraph-*", "crewai", "pyautogen", "autogen-agentchat", "openai-agents", "smolagents",
        "pydantic-ai", "mcp", "fastmcp", "letta", "agno",
    ),
    "rag": (
        "chromadb", "faiss-cpu", "faiss-gpu", "pinecone", "pinecone-client", "qdrant-client", "weaviate-client",
        "pymilvus", "lancedb", "pgvector", "redisvl", "langchain-chroma", "langchain-pinecone", "langchain-qdrant",
        "langchain-milvus", "llama-index-vector-stores-*",
    ),
    "self_hosted": ("vllm", "sglang", "tritonclient"),
    "personal_data": ("presidio-analyzer", "presidio-anonymizer", "scrubadub"),
    # Libraries whose one use is fitting or running a model: a repository that depends on them has a model at
    # work (an AI system) even with no LLM; they are no profile key.
    "model": (
        "scikit-learn", "lightgbm", "xgboost", "catboost", "torch", "tensorflow", "keras", "transformers",
        "sentence-transformers", "onnxruntime", "onnxruntime-gpu", "mlflow",
    ),
    # Libraries whose one use is training or fine-tuning.
    "trains_models": ("peft", "trl", "unsloth", "axolotl"),
}  # fmt: skip

# Python modules as imported: the module or any module below it (`from m import C` also names `m.C`).
IMPORTS: dict[str, tuple[str, ...]] = {
    "llm": (
        "openai", "anthropic", "google.generativeai", "google.genai", "cohere", "mistralai", "groq", "litellm",
        "langchain", "langchain_core", "langchain_openai", "langchain_anthropic", "langchain_community",
        "llama_index", "ollama", "dspy", "instructor", "vllm", "langgraph", "crewai", "pydantic_ai", "smolagents",
        "autogen_agentchat",
    ),
    "agentic": ("langgraph", "crewai", "autogen", "autogen_agentchat", "smolagents", "pydantic_ai", "mcp", "fastmcp"),
    "rag": (
        "chromadb", "faiss", "pinecone", "qdrant_client", "weaviate", "pymilvus", "lancedb", "pgvector", "redisvl",
        "langchain_chroma", "langchain_pinecone", "langchain_qdrant", "llama_index.vector_stores",
        # Azure AI Search also serves plain keyword search: only its vector queries show retrieval by embedding.
        "azure.search.documents.models.VectorizedQuery", "azure.search.documents.models.VectorizableTextQuery",
    ),
    "self_hosted": ("vllm", "sglang", "tritonclient"),
    "personal_data": ("presidio_analyzer", "presidio_anonymizer", "scrubadub"),
    "model": (
        "sklearn", "lightgbm", "xgboost", "catboost", "torch", "tensorflow", "keras", "transformers",
        "sentence_transformers", "onnxruntime", "mlflow",
    ),
    "trains_models": ("peft", "trl", "unsloth", "axolotl", "transformers.Trainer", "transformers.Seq2SeqTrainer"),
}  # fmt: skip

# The modules whose `train(…)` fits a model (`lgb.train(params, data)`): a file that calls it trains one.
TRAINING_MODULES = frozenset({"lightgbm", "xgboost", "catboost"})

NPM: dict[str, tuple[str, ...]] = {
    "llm": (
        "openai", "@anthropic-ai/sdk", "@google/generative-ai", "@google/genai", "cohere-ai", "@mistralai/mistralai",
        "groq-sdk", "langchain", "@langchain/*", "llamaindex", "@ai-sdk/*", "ollama", "@openai/agents",
    ),
    "agentic": ("@modelcontextprotocol/sdk", "@langchain/langgraph", "@openai/agents", "@mastra/core"),
    "rag": (
        "@pinecone-database/pinecone", "chromadb", "@qdrant/js-client-rest", "weaviate-client", "weaviate-ts-client",
        "@zilliz/milvus2-sdk-node", "@lancedb/lancedb", "vectordb",
    ),
}  # fmt: skip

GO: dict[str, tuple[str, ...]] = {
    "llm": (
        "github.com/sashabaranov/go-openai", "github.com/openai/openai-go*", "github.com/anthropics/anthropic-sdk-go",
        "github.com/tmc/langchaingo", "google.golang.org/genai", "github.com/google/generative-ai-go",
        "github.com/ollama/ollama",
    ),
    "agentic": ("github.com/mark3labs/mcp-go", "github.com/modelcontextprotocol/go-sdk"),
    "rag": (
        "github.com/qdrant/go-client", "github.com/pinecone-io/go-pinecone*", "github.com/weaviate/weaviate-go-client*",
        "github.com/milvus-io/milvus-sdk-go*", "github.com/pgvector/pgvector-go",
    ),
}  # fmt: skip

# Container images that serve a model (in a Dockerfile's FROM or an `image:` line), without registry tag.
IMAGES: dict[str, tuple[str, ...]] = {
    "self_hosted": (
        "vllm/vllm-openai", "ghcr.io/huggingface/text-generation-inference", "nvcr.io/nvidia/tritonserver",
        "ollama/ollama", "lmsysorg/sglang",
    ),
}  # fmt: skip
IMAGES["llm"] = IMAGES["self_hosted"]

# Load balancers their provider documents as reachable from the internet, in deploy files: the AWS Load Balancer
# Controller's scheme annotations set to internet-facing (its default is internal), and GKE's external gateway
# classes. An Ingress, or a Service of type LoadBalancer, alone says nothing: what it exposes, and to whom,
# depends on the cloud, the controller and its defaults.
PUBLIC_ANNOTATIONS = frozenset(
    {"service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing",
     "alb.ingress.kubernetes.io/scheme: internet-facing"}
)  # fmt: skip
EXTERNAL_GATEWAY_CLASSES = frozenset(
    {"gke-l7-global-external-managed", "gke-l7-global-external-managed-mc", "gke-l7-regional-external-managed",
     "gke-l7-regional-external-managed-mc", "gke-l7-gxlb", "gke-l7-gxlb-mc"}
)  # fmt: skip

# Fields that say a record belongs to a tenant. Names such as `org_id`, `account_id` or `tenant_name` are left
# out: an organisation or an account is not always a tenant, and a tenant's name may be shown by a system that
# serves one.
TENANT_FIELDS = frozenset({"tenant", "tenant_id"})

TABLES: dict[str, dict[str, tuple[str, ...]]] = {"python": PYTHON, "npm": NPM, "go": GO, "image": IMAGES}
SAYS = {
    "python": "depends on",
    "npm": "depends on",
    "go": "requires",
    "image": "runs the image",
    "import": "imports",
    "field": "declares the field",
    "npm-import": "imports",
    "go-import": "imports",
    "annotation": "sets",
    "gateway-class": "uses the external gateway class",
}
_TABLE_OF = {"npm-import": "npm", "go-import": "go"}

# Field names that hold personal data whatever the domain; names such as `name` or `address` alone are too often
# something else (a product's name, a server's address).
PERSONAL_FIELDS = frozenset(
    {"email", "email_address", "phone", "phone_number", "mobile_number", "date_of_birth", "birth_date", "dob",
     "ssn", "social_security_number", "national_id", "passport_number", "home_address", "postal_address",
     "first_name", "last_name", "full_name", "ip_address"}
)  # fmt: skip
# These also at the end of a longer name (`customer_email`, `billingPhoneNumber`); the short ones would match
# too much (`is_dob_check`), so they count alone only.
_PERSONAL_SUFFIXES = tuple("_" + name for name in PERSONAL_FIELDS if "_" in name or name in ("email", "phone", "ssn"))


def personal(field: str) -> bool:
    """Whether a field of this name holds personal data: `email`, `customer_first_name`, `phoneNumber`."""
    snake = _snake(field)
    return snake in PERSONAL_FIELDS or snake.endswith(_PERSONAL_SUFFIXES)


def field_keys(field: str) -> tuple[str, ...]:
    """The keys a field of this name shows, in a schema or a class: personal data, records of a tenant."""
    tenant = _snake(field) in TENANT_FIELDS
    return (("personal_data",) if personal(field) else ()) + (("multi_tenant",) if tenant else ())


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower().replace("-", "_")


def python_name(name: str) -> str:
    """A distribution's name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def keys_of(kind: str, name: str) -> tuple[str, ...]:
    """The keys a mention of `name` (of `kind`) shows, in the table's order."""
    if kind == "field":
        return field_keys(name)
    if kind == "annotation":
        return ("public_facing",) if name in PUBLIC_ANNOTATIONS else ()
    if kind == "gateway-class":
        return ("public_facing",) if name in EXTERNAL_GATEWAY_CLASSES else ()
    if kind == "import":
        # The module and each package above it (`a.b.c`: `a`, `a.b`, `a.b.c`), looked up: a repository's files
        # import thousands of modules, and comparing each with every module of the table took most of a scan.
        parts = name.split(".")
        found = {key for depth in range(1, len(parts) + 1) for key in _IMPORT_KEYS.get(".".join(parts[:depth]), ())}
        return tuple(key for key in IMPORTS if key in found)
    table = TABLES[_TABLE_OF.get(kind, kind)]
    wanted = python_name(name) if kind == "python" else name.lower()
    return tuple(key for key, names in table.items() if any(_named(wanted, pattern) for pattern in names))


def _named(name: str, pattern: str) -> bool:
    # `github.com/tmc/langchaingo/llms` is a package of the module `github.com/tmc/langchaingo`
    return name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern or name.startswith(pattern + "/")


_IMPORT_KEYS: dict[str, tuple[str, ...]] = {
    module: tuple(key for key, modules in IMPORTS.items() if module in modules)
    for module in {module for modules in IMPORTS.values() for module in modules}
}
# Every top-level module of the import table: a Python file that names none of them is not parsed at all.
TOP_MODULES = frozenset(module.split(".")[0] for modules in IMPORTS.values() for module in modules)
