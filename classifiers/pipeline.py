"""The spaCy pipelines: blank Dutch and English, lookup lemmatizer, evidence rules, text classifier.

    text -> tokenizer -> lemmatizer (lookup) -> request_evidence (Matcher rules) -> textcat_multilabel

Imported lazily (spaCy takes about a second to import), by classifiers.model and classifiers.train.
"""

from __future__ import annotations

from functools import partial
from typing import Any, cast

import spacy
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.ml import extract_ngrams
from spacy.ml.models.textcat import resize_and_set_ref, resize_linear_weighted
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, with_cpu
from thinc.types import Floats2d

from classifiers.kinds import RequestKind
from classifiers.rules import RULES

EVIDENCE = "evidence"
LANGUAGES = ("nl", "en")


@registry.architectures("helpdesk.TextCatLowerBOW.v1")
def lower_bow(
    exclusive_classes: bool, ngram_size: int, length: int, nO: int | None = None
) -> Model[list[Doc], Floats2d]:
    """spaCy's TextCatBOW.v3, but on lower-cased words: "Verwijder" and "verwijder" are one feature.

    With a few hundred training mails, case-sensitive features (spaCy's default ORTH) split
    what little evidence there is. Otherwise the same layers as spaCy's own.
    """
    sparse_linear = SparseLinear_v2(nO=nO, length=2 ** (length - 1).bit_length())
    resizable_layer: Model[Floats2d, Floats2d] = resizable(
        sparse_linear,
        resize_layer=partial(resize_linear_weighted, fill_defaults={"b": -5000, "W": 0}),
    )
    with Model.define_operators({">>": chain}):
        model = extract_ngrams(ngram_size, attr=LOWER) >> resizable_layer
        model = with_cpu(model, model.ops)
        output_layer = Logistic()
        model = model >> with_cpu(output_layer, output_layer.ops)
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return cast(Model[list[Doc], Floats2d], model)


class RequestEvidence:
    """Marks the spans that the rules of classifiers/rules.py find, in doc.spans["evidence"]."""

    def __init__(self, nlp: Language, language: str) -> None:
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.weights: dict[str, float] = {}
        for number, rule in enumerate(RULES[language]):
            key = f"{rule.label}:{number}"
            self.matcher.add(key, [rule.pattern], greedy="LONGEST")
            self.weights[key] = rule.weight

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            label = key.split(":")[0]
            span = Span(doc, start, end, label=label)
            span._.weight = self.weights[key]
            spans.append(span)
        doc.spans[EVIDENCE] = spans
        return doc


Span.set_extension("weight", default=0.0, force=True)


@Language.factory("request_evidence", default_config={"language": "nl"})
def make_request_evidence(nlp: Language, name: str, language: str) -> RequestEvidence:
    return RequestEvidence(nlp, language)


TEXTCAT_CONFIG: dict[str, Any] = {
    "threshold": 0.5,
    "model": {
        "@architectures": "helpdesk.TextCatLowerBOW.v1",
        "exclusive_classes": False,
        "ngram_size": 2,
        "length": 2**16,
    },
}


def blank_pipeline(language: str) -> Language:
    """A new, untrained pipeline for `language` ('nl' or 'en')."""
    nlp = spacy.blank(language)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("request_evidence", config={"language": language})
    textcat = nlp.add_pipe("textcat_multilabel", config=TEXTCAT_CONFIG)
    for kind in RequestKind:
        textcat.add_label(str(kind))  # type: ignore[attr-defined]
    return nlp
