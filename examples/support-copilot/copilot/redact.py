"""Redaction before the model call, the draft event log and the golden-set export (docs/data/pii-redaction.md):
Presidio's recognisers in the four ticket languages, plus Helio's account-number pattern."""

from __future__ import annotations

from presidio_analyzer import AnalyzerEngine, Pattern, PatternRecognizer
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig

LANGUAGES = {"en": "en_core_web_lg", "de": "de_core_news_lg", "pt": "pt_core_news_lg", "es": "es_core_news_lg"}
MASKS = {
    "EMAIL_ADDRESS": "<EMAIL>",
    "PHONE_NUMBER": "<PHONE>",
    "LOCATION": "<ADDRESS>",
    "IBAN_CODE": "<IBAN>",
    "CREDIT_CARD": "<CARD>",
    "HELIO_ACCOUNT": "<ACCOUNT>",
}
# Helio account numbers: "HB" and nine digits, often written with a space or a dash after the letters.
_ACCOUNT = Pattern("helio-account", r"\bHB[ -]?\d{9}\b", 0.9)


def _analyzer() -> AnalyzerEngine:
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": code, "model_name": model} for code, model in LANGUAGES.items()],
        }
    )
    analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=list(LANGUAGES))
    for code in LANGUAGES:
        analyzer.registry.add_recognizer(
            PatternRecognizer(supported_entity="HELIO_ACCOUNT", patterns=[_ACCOUNT], supported_language=code)
        )
    return analyzer


_ANALYZER = _analyzer()
_ANONYMIZER = AnonymizerEngine()
_OPERATORS = {entity: OperatorConfig("replace", {"new_value": mask}) for entity, mask in MASKS.items()}


def redact(text: str, language: str) -> str:
    found = _ANALYZER.analyze(text=text, language=language, entities=list(MASKS))
    return _ANONYMIZER.anonymize(text=text, analyzer_results=found, operators=_OPERATORS).text
