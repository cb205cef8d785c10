"""What the classifier says about a mail: plain values, with the evidence for the privacy contact."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from classifiers.kinds import RequestKind


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
    """Kinds with a confidence each; `possible` when no kind is sure enough but one may be meant."""

    is_request: bool
    kinds: tuple[RequestKind, ...]
    language: str
    confidence: dict[RequestKind, float]
    evidence: tuple[Evidence, ...]
    possible: bool = False
    request_confidence: float = 0.0  # how sure that the mail is a rights request at all
    mailing: bool = False  # written to many, as its footer says: a possible request at most

    def to_json(self) -> dict[str, Any]:
        return {
            "is_request": self.is_request,
            "kinds": [str(kind) for kind in self.kinds],
            "language": self.language,
            "possible": self.possible,
            "request_confidence": round(self.request_confidence, 3),
            "mailing": self.mailing,
            "confidence": {str(kind): round(score, 3) for kind, score in self.confidence.items()},
            "evidence": [item.to_json() for item in self.evidence],
        }
