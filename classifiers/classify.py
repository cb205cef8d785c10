"""classify: mail text in, a Classification out (kinds, language, confidence, evidence). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from classifiers.keywords import RULES
from classifiers.kinds import RequestKind, ordered
from classifiers.language import detect_language
from classifiers.text import own_text

THRESHOLD = 0.5


@dataclass(frozen=True)
class Evidence:
    """A span of the mail that made a rule fire: what the privacy contact sees as the reason."""

    kind: RequestKind
    text: str
    start: int
    end: int
    weight: float

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Classification:
    is_request: bool
    kinds: tuple[RequestKind, ...]
    language: str
    confidence: dict[RequestKind, float]
    evidence: tuple[Evidence, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "is_request": self.is_request,
            "kinds": [str(kind) for kind in self.kinds],
            "language": self.language,
            "confidence": {str(kind): round(score, 3) for kind, score in self.confidence.items()},
            "evidence": [item.to_json() for item in self.evidence],
        }


def classify(subject: str, body: str) -> Classification:
    """Recognise rights requests in the sender's own text (the subject counts too)."""
    text = f"{subject}\n\n{own_text(body)}"
    evidence = tuple(
        Evidence(rule.kind, match.group(0), match.start(), match.end(), rule.weight)
        for rule in RULES
        for match in rule.pattern.finditer(text)
    )
    confidence: dict[RequestKind, float] = {}
    for item in evidence:
        confidence[item.kind] = max(confidence.get(item.kind, 0.0), item.weight)
    kinds = tuple(ordered([kind for kind, score in confidence.items() if score >= THRESHOLD]))
    return Classification(
        is_request=bool(kinds),
        kinds=kinds,
        language=detect_language(text),
        confidence={kind: confidence[kind] for kind in ordered(list(confidence))},
        evidence=tuple(sorted(evidence, key=lambda item: item.start)),
    )
