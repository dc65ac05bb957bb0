"""The frameworks the packs cite, as a reader of the coverage tables needs them: which family a reference
belongs to, what its id names, the same OWASP risk in the other edition, and from when an EU AI Act article
applies.

The packs store references as plain text ("OWASP LLM03:2026", "EU AI Act Art. 26(2)", "MITRE ATLAS AML.T0051");
this module is the one place that reads structure into them. It holds facts, never the packs' own judgement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NIST_AI_600_1 = (
    "CBRN information",
    "Confabulation",
    "Dangerous, violent or hateful content",
    "Data privacy",
    "Environmental impact",
    "Harmful bias and homogenization",
    "Human-AI configuration",
    "Information integrity",
    "Information security",
    "Intellectual property",
    "Obscene or abusive content",
    "Value chain and component integration",
)


@dataclass(frozen=True)
class Family:
    """A framework whose references items cite, and how its references are written."""

    name: str  # as a heading: "OWASP Top 10 for LLM Applications 2026"
    form: re.Pattern[str]  # a reference of this family, matched whole
    prefix: str  # the words its references start with: how a custom pack's looser reference is shelved


FAMILIES = (
    Family("NIST AI RMF 1.0", re.compile(r"NIST AI RMF (GOVERN|MAP|MEASURE|MANAGE) \d\.\d+"), "NIST AI RMF "),
    Family(
        "NIST AI 600-1 (Generative AI profile)",
        re.compile("NIST AI 600-1 (" + "|".join(re.escape(risk) for risk in NIST_AI_600_1) + ")"),
        "NIST AI 600-1 ",
    ),
    Family("EU AI Act (as amended in 2026)", re.compile(r"EU AI Act (Art\. \d+(\(\d+\))?|Annex [IVX]+)"), "EU AI Act "),
    Family("ISO/IEC 42001", re.compile(r"ISO/IEC 42001 A\.\d+\.\d+(\.\d+)?"), "ISO/IEC 42001 "),
    Family("ISO/IEC 42005", re.compile(r"ISO/IEC 42005"), "ISO/IEC 42005"),
    Family("OWASP Top 10 for LLM Applications 2026", re.compile(r"OWASP LLM(0[1-9]|10):2026"), "OWASP LLM"),
    Family("OWASP Top 10 for LLM Applications 2025", re.compile(r"OWASP LLM(0[1-9]|10):2025"), "OWASP LLM"),
    Family("OWASP Top 10 for Agentic Applications 2026", re.compile(r"OWASP ASI(0[1-9]|10):2026"), "OWASP ASI"),
    Family("MITRE ATLAS", re.compile(r"MITRE ATLAS AML\.T\d{4}(\.\d{3})?"), "MITRE ATLAS "),
    Family("GDPR", re.compile(r"GDPR Art\. \d+(\(\d+\))?"), "GDPR "),
    Family("Google ML Test Score", re.compile(r"ML Test Score (Data|Model|Infra|Monitor) [1-7]"), "ML Test Score "),
    Family(
        "AWS Well-Architected ML and Generative AI lenses",
        re.compile(r"(ML|GEN)[A-Z]+-\d+|GEN[A-Z]+\d\d-BP\d\d"),
        "",  # ids only: nothing to shelve a looser reference by
    ),
    Family("Google SRE", re.compile(r"Google SRE PRR"), "Google SRE "),
)

OWASP_LLM_2025 = {
    1: "Prompt Injection",
    2: "Sensitive Information Disclosure",
    3: "Supply Chain",
    4: "Data and Model Poisoning",
    5: "Improper Output Handling",
    6: "Excessive Agency",
    7: "System Prompt Leakage",
    8: "Vector and Embedding Weaknesses",
    9: "Misinformation",
    10: "Unbounded Consumption",
}
# The 2026 list renumbered the risks; the number of each one in the 2025 list.
OWASP_LLM_2026_FROM_2025 = {1: 1, 2: 2, 3: 6, 4: 3, 5: 4, 6: 10, 7: 9, 8: 7, 9: 8, 10: 5}
OWASP_LLM_2026 = {
    **{new: OWASP_LLM_2025[old] for new, old in OWASP_LLM_2026_FROM_2025.items()},
    8: "Hidden Context Exposure",  # the broader successor of System Prompt Leakage
}
OWASP_ASI_2026 = {
    1: "Agent Goal Hijack",
    2: "Tool Misuse and Exploitation",
    3: "Identity and Privilege Abuse",
    4: "Agentic Supply Chain Vulnerabilities",
    5: "Unexpected Code Execution",
    6: "Memory and Context Poisoning",
    7: "Insecure Inter-Agent Communication",
    8: "Cascading Failures",
    9: "Human-Agent Trust Exploitation",
    10: "Rogue Agents",
}
# The techniques the built-in packs defend against, by their ATLAS names (data release of 2026).
ATLAS = {
    "AML.T0010": "AI Supply Chain Compromise",
    "AML.T0011": "User Execution",
    "AML.T0018": "Manipulate AI Model",
    "AML.T0020": "Poison Training Data",
    "AML.T0024": "Exfiltration via AI Inference API",
    "AML.T0029": "Denial of AI Service",
    "AML.T0034": "Cost Harvesting",
    "AML.T0035": "AI Artifact Collection",
    "AML.T0050": "Command and Scripting Interpreter",
    "AML.T0051": "LLM Prompt Injection",
    "AML.T0053": "AI Agent Tool Invocation",
    "AML.T0054": "LLM Jailbreak",
    "AML.T0055": "Unsecured Credentials",
    "AML.T0056": "Extract LLM System Prompt",
    "AML.T0057": "LLM Data Leakage",
    "AML.T0061": "LLM Prompt Self-Replication",
    "AML.T0070": "RAG Poisoning",
    "AML.T0077": "LLM Response Rendering",
    "AML.T0080": "AI Agent Context Poisoning",
    "AML.T0083": "Credentials from AI Agent Configuration",
    "AML.T0085": "Data from AI Services",
    "AML.T0086": "Exfiltration via AI Agent Tool Invocation",
    "AML.T0091": "Use Alternate Authentication Material",
    "AML.T0101": "Data Destruction via AI Agent Tool Invocation",
    "AML.T0105": "Escape to Host",
    "AML.T0109": "AI Supply Chain Rug Pull",
}
ATLAS_SUB = {
    "AML.T0010.001": "AI Software",
    "AML.T0010.002": "Data",
    "AML.T0010.003": "Model",
    "AML.T0010.005": "AI Agent Tool",
    "AML.T0011.000": "Unsafe AI Artifacts",
    "AML.T0034.000": "Excessive Queries",
    "AML.T0034.001": "Resource-Intensive Queries",
    "AML.T0034.002": "Agentic Resource Consumption",
    "AML.T0051.000": "Direct",
    "AML.T0051.001": "Indirect",
    "AML.T0051.002": "Triggered",
    "AML.T0080.000": "Memory",
    "AML.T0080.001": "Thread",
    "AML.T0085.000": "RAG Databases",
    "AML.T0091.000": "Application Access Token",
}

# From when EU AI Act duties apply, as amended by the 2026 "digital omnibus"; the report says to check the text.
AI_ACT_SINCE_2025_02 = "2025-02-02"
AI_ACT_GPAI = "2025-08-02"
AI_ACT_TRANSPARENCY = "2026-08-02"
AI_ACT_MARKING_GRACE = "2026-12-02"  # Art. 50(2), for systems already on the market
AI_ACT_HIGH_RISK = "2027-12-02"  # Annex III systems
AI_ACT_PRODUCTS = "2028-08-02"  # Annex I (product-safety) systems
_HIGH_RISK_ARTICLES = {6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 26, 27, 43, 49, 72, 73, 86}


def family(ref: str) -> Family | None:
    """The family a reference belongs to, or None for a form no family knows."""
    return next((f for f in FAMILIES if f.form.fullmatch(ref)), None)


def shelf(ref: str) -> Family | None:
    """The family a reference is shown under: its own, or for a form no family knows (a custom pack's "EU AI Act
    Art. 13 recital"), the family whose words it starts with."""
    found = family(ref)
    if found is not None:
        return found
    return next((f for f in FAMILIES if f.prefix and ref.startswith(f.prefix)), None)


def owasp_twin(ref: str) -> str | None:
    """The same OWASP LLM risk in the other edition: 'OWASP LLM03:2026' -> 'OWASP LLM06:2025', and back."""
    match = re.fullmatch(r"OWASP LLM(\d\d):(2025|2026)", ref)
    if match is None:
        return None
    number = int(match.group(1))
    if match.group(2) == "2026":
        old = OWASP_LLM_2026_FROM_2025.get(number)
        return None if old is None else f"OWASP LLM{old:02d}:2025"
    new = next((n for n, o in OWASP_LLM_2026_FROM_2025.items() if o == number), None)
    return None if new is None else f"OWASP LLM{new:02d}:2026"


def ai_act_from(ref: str) -> str | None:
    """The date an EU AI Act reference applies from (for high-risk duties: Annex III systems), or None."""
    match = re.fullmatch(r"EU AI Act (?:Art\. (\d+)(\((\d+)\))?|Annex (III|I))", ref)
    if match is None:
        return None
    if match.group(4) is not None:
        return AI_ACT_HIGH_RISK if match.group(4) == "III" else AI_ACT_PRODUCTS
    article = int(match.group(1))
    if article in (4, 5):
        return AI_ACT_SINCE_2025_02
    if 51 <= article <= 56:
        return AI_ACT_GPAI
    if article == 50:
        return AI_ACT_TRANSPARENCY
    return AI_ACT_HIGH_RISK if article in _HIGH_RISK_ARTICLES else None


def ai_act_applies(ref: str, today: str) -> str:
    """When an EU AI Act reference applies, in words relative to `today` (ISO dates compare as text)."""
    start = ai_act_from(ref)
    if start is None:
        return ""
    words = f"applies since {start}" if start <= today else f"applies from {start}"
    if ref == "EU AI Act Art. 50(2)" and today < AI_ACT_MARKING_GRACE:
        words += f" ({AI_ACT_MARKING_GRACE} for systems on the market before)"
    if start == AI_ACT_HIGH_RISK:
        words += f" for Annex III systems ({AI_ACT_PRODUCTS} under Annex I)"
    return words


def meaning(ref: str) -> str:
    """What an id names, where the id alone says nothing: 'OWASP LLM03:2026' -> 'Excessive Agency (LLM06:2025)'."""
    match = re.fullmatch(r"OWASP (LLM|ASI)(\d\d):(2025|2026)", ref)
    if match is not None:
        kind, number, year = match.group(1), int(match.group(2)), match.group(3)
        if kind == "ASI":
            return OWASP_ASI_2026.get(number, "") if year == "2026" else ""
        name = (OWASP_LLM_2026 if year == "2026" else OWASP_LLM_2025).get(number, "")
        twin = owasp_twin(ref)
        return f"{name} ({twin.removeprefix('OWASP ')})" if name and twin else name
    match = re.fullmatch(r"MITRE ATLAS (AML\.T\d{4})(\.\d{3})?", ref)
    if match is not None:
        name = ATLAS.get(match.group(1), "")
        sub = ATLAS_SUB.get(match.group(1) + (match.group(2) or ""), "") if match.group(2) else ""
        return f"{name}: {sub}" if name and sub else name
    return ""
