"""The request classifier: the trained pipelines plus their evidence rules, as one pure function.

Plain text in, a Classification out. The trained pipelines ship inside the package
(classifiers/model/{nl,en}/) and load without network. `helpdesk train` makes them.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from classifiers.classification import Classification, Evidence
from classifiers.kinds import RequestKind, ordered
from classifiers.language import detect_language
from classifiers.rules import PRIVACY
from classifiers.text import prepare

if TYPE_CHECKING:
    from spacy.language import Language

MODEL_DIR = Path(__file__).parent / "model"
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
MAX_CHARS = 5000  # a request is in the first screen of text; attachments and long threads are not read

# A kind counts when its combined score reaches THRESHOLD. Below that, a mail whose best score
# reaches POSSIBLE (or that speaks of privacy at all) is a possible request for a person to look at:
# a missed request breaks the law, a false alarm costs one click.
THRESHOLD = 0.5
POSSIBLE = 0.2


class ModelMissing(Exception):
    """The trained pipelines are not in the package: run `helpdesk train`."""


@dataclass
class RequestClassifier:
    """Both pipelines, loaded once; `classify` is safe to call for every mail."""

    model_dir: Path = MODEL_DIR
    pipelines: dict[str, Language] = field(default_factory=dict)
    load_seconds: float = 0.0

    def __post_init__(self) -> None:
        started = time.perf_counter()
        import spacy

        import classifiers.pipeline  # noqa: F401  (registers our architecture and component)

        for language in ("nl", "en"):
            path = self.model_dir / language
            if not (path / "config.cfg").exists():
                raise ModelMissing(f"no trained pipeline at {path}; run `helpdesk train`")
            self.pipelines[language] = spacy.load(path)
        self.load_seconds = time.perf_counter() - started

    def classify(self, subject: str, body: str) -> Classification:
        text = prepare(subject, body)[:MAX_CHARS]
        language = detect_language(text)
        nlp = self.pipelines["nl" if language == "nl" else "en"]
        doc = nlp(text)
        result = combine(doc.cats, doc.spans["evidence"], language)
        unexplained = [kind for kind in result.kinds if not any(e.kind == kind for e in result.evidence)]
        if not unexplained:
            return result
        # The model alone found these kinds: show the sentence that says it most clearly.
        sentences = [(m.start(), m.group()) for m in _SENTENCE.finditer(text) if m.group().strip()]
        scored = list(zip(sentences, nlp.pipe(sentence for _, sentence in sentences), strict=True))
        extra = []
        for kind in unexplained:
            (start, sentence), best = max(scored, key=lambda item: item[1].cats.get(str(kind), 0.0))
            extra.append(Evidence(kind, sentence.strip(), start, start + len(sentence), best.cats[str(kind)]))
        evidence = tuple(sorted([*result.evidence, *extra], key=lambda item: item.start))
        return replace(result, evidence=evidence)


def combine(cats: dict[str, float], spans: object, language: str) -> Classification:
    """Model scores and rule evidence into one confidence per kind (noisy-or of the two)."""
    evidence: list[Evidence] = []
    rule_weight: dict[str, float] = {}
    speaks_of_privacy = False
    for span in spans:  # type: ignore[attr-defined]
        if span.label_ == PRIVACY:
            speaks_of_privacy = True
            continue
        weight = span._.weight
        rule_weight[span.label_] = max(rule_weight.get(span.label_, 0.0), weight)
        evidence.append(Evidence(RequestKind(span.label_), span.text, span.start_char, span.end_char, weight))
    confidence = {
        kind: 1 - (1 - cats.get(str(kind), 0.0)) * (1 - rule_weight.get(str(kind), 0.0))
        for kind in RequestKind
    }
    kinds = tuple(ordered([kind for kind, score in confidence.items() if score >= THRESHOLD]))
    best = max(confidence.values())
    return Classification(
        is_request=bool(kinds),
        kinds=kinds,
        language=language,
        confidence=confidence,
        evidence=tuple(sorted(evidence, key=lambda item: item.start)),
        possible=not kinds and (best >= POSSIBLE or speaks_of_privacy),
    )


@cache
def default_classifier() -> RequestClassifier:
    """The shipped classifier, loaded on first use."""
    return RequestClassifier()


def classify(subject: str, body: str) -> Classification:
    """Recognise rights requests in a mail's subject and text."""
    return default_classifier().classify(subject, body)
