"""The spaCy pipelines: blank Dutch and English, lookup lemmatizer, evidence rules, text classifier.

    text -> tokenizer -> lemmatizer (lookup) -> lemma_norms -> request_evidence (Matcher rules)
         -> request_detector, kind_classifier (two textcat_multilabel: bags of lemmas and lemma pairs)

Imported lazily (spaCy takes about a second to import), by classifiers.model and classifiers.train.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache, partial
from typing import Any, cast

import spacy
from spacy.attrs import NORM, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.ml.models.textcat import resize_and_set_ref, resize_linear_weighted
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain, resizable, with_cpu
from thinc.types import Floats2d, Ints1d

from classifiers.components import EVIDENCE, KIND_CLASSIFIER, REQUEST_DETECTOR, REQUEST_EVIDENCE
from classifiers.kinds import ANY_REQUEST, RequestKind
from classifiers.rules import NEGATIONS, PRIVACY, READER_RIGHTS, RULES, STRONG
from classifiers.text import sentence_bounds

LANGUAGES = ("nl", "en")


@registry.architectures("helpdesk.TextCatEvidenceBOW.v1")
def evidence_bow(
    exclusive_classes: bool, ngram_size: int, length: int, nO: int | None = None
) -> Model[list[Doc], Floats2d]:
    """spaCy's TextCatBOW.v3, on each word's norm (its lower-cased lemma) plus the rules' evidence.

    With a few hundred training mails, spaCy's default features (the exact word) split what
    little evidence there is: "Nieuwsbrieven" and "nieuwsbrief" should be one feature. The rules'
    findings are features too ("a strong access phrase"), so the model learns how far to trust
    them in context: "inzageverzoek" in a customer's letter, or in a GDPR consultant's sales pitch.
    Otherwise the same layers as spaCy's own.
    """
    sparse_linear = SparseLinear_v2(nO=nO, length=2 ** (length - 1).bit_length())
    resizable_layer: Model[Floats2d, Floats2d] = resizable(
        sparse_linear,
        resize_layer=partial(resize_linear_weighted, fill_defaults={"b": -5000, "W": 0}),
    )
    with Model.define_operators({">>": chain}):
        model = words_and_evidence(ngram_size) >> resizable_layer
        model = with_cpu(model, model.ops)
        output_layer = Logistic()
        model = model >> with_cpu(output_layer, output_layer.ops)
    if nO is not None:
        model.set_dim("nO", nO)
    model.set_ref("output_layer", sparse_linear)
    model.attrs["multi_label"] = not exclusive_classes
    model.attrs["resize_output"] = partial(resize_and_set_ref, resizable_layer=resizable_layer)
    return cast(Model[list[Doc], Floats2d], model)


def words_and_evidence(ngram_size: int) -> Model[list[Doc], Any]:
    """Feature keys and counts per doc: word norms and their n-grams, and one key per rule finding."""
    return Model("words_and_evidence", _words_and_evidence, attrs={"ngram_size": ngram_size})


@cache
def _evidence_key(label: str, weight: float) -> int:
    return get_string_id(f"evidence:{label}:{'strong' if weight >= STRONG else 'weak'}")


def _words_and_findings(part: Doc | Span) -> tuple[Ints1d, list[Span]]:
    """The word norms and rule findings of a mail (a Doc), or of a part of one (a Span) on its own."""
    doc = part if isinstance(part, Doc) else part.doc
    # The kind-evidence pass of classifiers.model skips the rules: no findings, words only.
    findings = doc.spans.get(EVIDENCE, [])
    norms = cast(Ints1d, doc.to_array([NORM]))  # on the CPU: the layer is wrapped in with_cpu
    if isinstance(part, Doc):
        return norms, list(findings)
    inside = [span for span in findings if part.start <= span.start and span.end <= part.end]
    return norms[part.start : part.end], inside


def _words_and_evidence(model: Model[list[Doc], Any], docs: list[Doc], is_train: bool) -> Any:
    ops, xp = model.ops, model.ops.xp
    batch_keys, batch_counts = [], []
    for doc in docs:
        unigrams, findings = _words_and_findings(doc)
        ngrams = [unigrams, *(ops.ngrams(n, unigrams) for n in range(2, model.attrs["ngram_size"] + 1))]
        evidence = [_evidence_key(span.label_, span._.weight) for span in findings]
        keys = xp.concatenate([*ngrams, xp.asarray(evidence, dtype="uint64")])
        keys, counts = xp.unique(keys, return_counts=True)
        batch_keys.append(keys)
        batch_counts.append(counts)
    lengths = ops.asarray([len(keys) for keys in batch_keys], dtype="int32")
    counts = ops.asarray(xp.concatenate(batch_counts), dtype="f")
    return (xp.concatenate(batch_keys), counts, lengths), lambda d_features: []


class RequestEvidence:
    """Marks the spans that the rules of classifiers/rules.py find, in doc.spans["evidence"]."""

    def __init__(self, nlp: Language, language: str) -> None:
        # The rules as written are validated by the tests; their rewrites use flag ids that
        # the Matcher's pattern schema does not know.
        self.matcher = Matcher(nlp.vocab, validate=False)
        self.weights: dict[str, float] = {}
        self.rules = RULES[language]
        flags = _Flags(nlp, self.rules)
        for number, rule in enumerate(self.rules):
            key = f"{rule.label}:{number}"
            patterns = _expand_first_token([flags.rewrite(token) for token in rule.pattern])
            self.matcher.add(key, patterns, greedy="LONGEST")
            self.weights[key] = rule.weight
        self.windows = SearchWindows(self.rules, {})

    def initialize(self, get_examples: Any, nlp: Language | None = None) -> None:
        """Choose each rule's rarest word test, counted in the training mails (see SearchWindows)."""
        counts = Counter(token.lower_ for example in get_examples() for token in example.reference)
        self.windows = SearchWindows(self.rules, choose_anchors(self.rules, counts))

    def to_disk(self, path: Any, exclude: Any = ()) -> None:
        path.mkdir(parents=True, exist_ok=True)
        (path / "anchors.json").write_text(json.dumps(self.windows.anchors, indent=0, sort_keys=True))

    def from_disk(self, path: Any, exclude: Any = ()) -> RequestEvidence:
        saved = path / "anchors.json"
        self.windows = SearchWindows(self.rules, json.loads(saved.read_text()) if saved.exists() else {})
        return self

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        matches = self._matches(doc)
        explained = _sentences_explaining_rights(doc.text) if matches else []
        for match_id, start, end in matches:
            key = doc.vocab.strings[match_id]
            label, weight = key.split(":")[0], self.weights[key]
            if label == RequestKind.ERASURE and weight < STRONG and _negated(doc, start, end):
                # "Please do NOT delete my account", "mijn gegevens niet verwijderen": the writer
                # opposes erasure, which is how a restriction is asked for (GDPR art. 18(1)(b)).
                label = RequestKind.RESTRICTION
            if any(begin <= doc[start].idx < finish for begin, finish in explained):
                label = PRIVACY
            span = Span(doc, start, end, label=label)
            span._.weight = weight
            spans.append(span)
        doc.spans[EVIDENCE] = spans
        return doc

    def _matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        found = []
        for window_start, window_end in self.windows.of(doc):
            for match_id, start, end in self.matcher(doc[window_start:window_end]):
                found.append((match_id, window_start + start, window_start + end))
        return found


# Speed: the Matcher tries every rule at every word, and most words of a mail are about an order,
# not about anybody's data. So it reads only the stretches of a mail around each rule's *anchor*,
# the word test of that rule which training mails satisfy least often ("verwijder…", "csv",
# "bezwaar"): a match must hold its anchor, and can reach no further before and after it than the
# rule's words and gaps allow. Anchors decide where to look, never what is found; a rule without
# a saved anchor (a rule added since training) makes the whole mail be read.


def choose_anchors(rules: list[Any], counts: Counter[str]) -> dict[str, int]:
    """For each rule (by its pattern), the position of its least frequent required word test."""
    anchors = {}
    for rule in rules:
        required = [(i, test) for i, token in enumerate(rule.pattern) if (test := _word_test(token))]
        if required and _reach(rule.pattern) is not None:
            position, _ = min(
                required, key=lambda item: sum(n for word, n in counts.items() if item[1](word))
            )
            anchors[_fingerprint(rule)] = position
    return anchors


class SearchWindows:
    """Where in a doc the rules can match: the stretches around their anchor words."""

    def __init__(self, rules: list[Any], anchors: dict[str, int]) -> None:
        self.anchors = anchors
        self.tests: list[tuple[Any, int, int]] = []  # (word test, words before, words after)
        self.whole_doc = False
        for rule in rules:
            position = anchors.get(_fingerprint(rule))
            test = _word_test(rule.pattern[position]) if position is not None else None
            if position is None or test is None or _reach(rule.pattern) is None:
                self.whole_doc = True
                break
            before, after = _reach(rule.pattern[:position]), _reach(rule.pattern[position + 1 :])
            self.tests.append((test, cast(int, before), cast(int, after)))
        self.reach_of: dict[int, tuple[int, int] | None] = {}  # per word of the vocabulary, once

    def of(self, doc: Doc) -> list[tuple[int, int]]:
        """The stretches of `doc` to search, in order, not overlapping."""
        if self.whole_doc:
            return [(0, len(doc))]
        around = []
        reach_of, strings = self.reach_of, doc.vocab.strings
        for i, orth in enumerate(doc.to_array(ORTH).tolist()):  # integers: no Token objects, for speed
            if orth not in reach_of:
                reach_of[orth] = self._reach_of_word(strings[orth])
            reach = reach_of[orth]
            if reach is not None:
                around.append((max(0, i - reach[0]), min(len(doc), i + reach[1] + 1)))
        merged: list[tuple[int, int]] = []
        for start, end in sorted(around):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def _reach_of_word(self, word: str) -> tuple[int, int] | None:
        reaches = [(before, after) for test, before, after in self.tests if test(word)]
        if not reaches:
            return None
        return max(before for before, _ in reaches), max(after for _, after in reaches)


def _fingerprint(rule: Any) -> str:
    return json.dumps([rule.label, rule.pattern], sort_keys=True, ensure_ascii=False)


def _word_test(token: dict[str, Any]) -> Any:
    """A test on a word's text that every word matching `token` passes; None if there is none."""
    if "OP" in token:
        return None  # optional or repeated: a match need not hold it
    for attribute in ("LOWER", "ORTH"):
        test = token.get(attribute)
        if isinstance(test, str):
            return partial(_equals, test, attribute == "LOWER")
        if isinstance(test, dict) and set(test) == {"IN"}:
            return _getter(attribute, test)
        if attribute == "LOWER" and isinstance(test, dict) and set(test) == {"REGEX"}:
            return _getter(attribute, test)  # on the lower-cased word, as the Matcher does
    return None


def _equals(expected: str, lower: bool, text: str) -> bool:
    return (text.lower() if lower else text) == expected


def _reach(tokens: list[dict[str, Any]]) -> int | None:
    """How many words these pattern tokens can cover at most; None when unbounded ("*", "+")."""
    total = 0
    for token in tokens:
        operator = token.get("OP")
        if operator in {None, "?", "!"}:
            total += 1  # "!" reads a word that fails the test: at most one, like the others
        elif operator.startswith("{") and operator.rstrip("}").split(",")[-1].strip():
            total += int(operator.strip("{}").split(",")[-1])
        else:
            return None
    return total


def _sentences_explaining_rights(text: str) -> list[tuple[int, int]]:
    """Where the sentences start and end that explain rights to their reader (see READER_RIGHTS)."""
    explained = [match.start() for match in READER_RIGHTS.finditer(text)]
    if not explained:
        return []
    return [
        (start, end) for start, end in sentence_bounds(text) if any(start <= at < end for at in explained)
    ]


_CURLY_APOSTROPHE = "\N{RIGHT SINGLE QUOTATION MARK}"
_CLAUSE_ENDS = frozenset({".", ",", ";", ":", "!", "?", "…"})


def _negated(doc: Doc, start: int, end: int, before: int = 4) -> bool:
    """A negation inside the span, or at most `before` words ahead of it within the same clause."""
    for i in range(end - 1, max(start - before, 0) - 1, -1):
        token = doc[i]
        if i < start and (token.text in _CLAUSE_ENDS or "\n" in token.text):
            return False
        # "don't" is split in two, "DON'T" is not
        word = token.lower_.replace(_CURLY_APOSTROPHE, "'")
        if word in NEGATIONS or word.endswith("n't"):
            return True
    return False


# Speed: the Matcher evaluates a set or a regular expression as a Python call on every token, once
# per distinct test, for ~90 rules. Two rewrites keep the rules as written but the tests in C:
# a word-prefix test becomes a lexeme flag (computed once per word in the vocabulary), and a word
# list at the start of a rule becomes one rule per word (plain equality).


class _Flags:
    """Word tests turned into lexeme flags: computed once per word of the vocabulary, checked in C.

    spaCy has 64 flag bits and uses a dozen; the tests used most often get the rest. A one-word
    list becomes plain equality, which needs no flag at all.
    """

    def __init__(self, nlp: Language, rules: list[Any]) -> None:
        self.nlp = nlp
        self.ids: dict[tuple[str, str], int] = {}
        uses = Counter(_spec(token) for rule in rules for token in rule.pattern if not _one_word(token))
        for spec, _ in uses.most_common():
            if spec is not None and spec not in self.ids:
                attribute, test = spec
                try:
                    self.ids[spec] = nlp.vocab.add_flag(_getter(attribute, json.loads(test)))
                except ValueError:
                    break  # out of flag bits: the rest stay as the Matcher's own (slower) tests

    def rewrite(self, token: dict[str, Any]) -> dict[Any, Any]:
        rewritten: dict[Any, Any] = dict(token)
        spec = _spec(token)
        if spec is None:
            return rewritten
        attribute, _ = spec
        if _one_word(token):
            rewritten[attribute] = token[attribute]["IN"][0]
        elif spec in self.ids:
            del rewritten[attribute]
            rewritten[self.ids[spec]] = True
        return rewritten


def _one_word(token: dict[str, Any]) -> bool:
    spec = _spec(token)
    if spec is None:
        return False
    test = token[spec[0]]
    return set(test) == {"IN"} and len(test["IN"]) == 1


def _spec(token: dict[str, Any]) -> tuple[str, str] | None:
    for attribute in ("LOWER", "ORTH"):
        test = token.get(attribute)
        if isinstance(test, dict) and len(test) == 1 and next(iter(test)) in {"IN", "NOT_IN", "REGEX"}:
            return attribute, json.dumps(test, sort_keys=True)
    return None


def _getter(attribute: str, test: dict[str, Any]) -> Any:
    lower = attribute == "LOWER"
    if "REGEX" in test:
        return partial(_matches, re.compile(test["REGEX"]))
    if "IN" in test:
        return partial(_member, frozenset(test["IN"]), lower, True)
    return partial(_member, frozenset(test["NOT_IN"]), lower, False)


def _matches(compiled: re.Pattern[str], text: str) -> bool:
    return compiled.search(text.lower()) is not None


def _member(words: frozenset[str], lower: bool, inside: bool, text: str) -> bool:
    return ((text.lower() if lower else text) in words) is inside


def _expand_first_token(pattern: list[dict[Any, Any]]) -> list[list[dict[Any, Any]]]:
    first = pattern[0]
    test = first.get("LOWER")
    if isinstance(test, dict) and set(test) == {"IN"}:
        return [[{**first, "LOWER": word}, *pattern[1:]] for word in test["IN"]]
    return [pattern]


Span.set_extension("weight", default=0.0, force=True)


@Language.factory(REQUEST_EVIDENCE, default_config={"language": "nl"})
def make_request_evidence(nlp: Language, name: str, language: str) -> RequestEvidence:
    return RequestEvidence(nlp, language)


@Language.component("lemma_norms")
def lemma_norms(doc: Doc) -> Doc:
    """Set each word's norm to its lemma where the lemma table knows one (the norm is otherwise
    the lower-cased word): the feature the text classifier reads. Integer ids, for speed."""
    for token in doc:
        if token.lemma != token.orth and token.lemma:
            token.norm_ = token.lemma_
    return doc


TEXTCAT_CONFIG: dict[str, Any] = {
    "threshold": 0.5,
    "model": {
        "@architectures": "helpdesk.TextCatEvidenceBOW.v1",
        "exclusive_classes": False,
        "ngram_size": 2,
        "length": 2**16,
    },
}


def blank_pipeline(language: str) -> Language:
    """A new, untrained pipeline for `language` ('nl' or 'en')."""
    nlp = spacy.blank(language)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("lemma_norms")
    nlp.add_pipe(REQUEST_EVIDENCE, config={"language": language})
    detector = nlp.add_pipe("textcat_multilabel", name=REQUEST_DETECTOR, config=TEXTCAT_CONFIG)
    detector.add_label(ANY_REQUEST)  # type: ignore[attr-defined]
    # Kinds are learnt only from requests: words every request shares ("my data", "please") then
    # tell no kind apart, and the words that do ("delete", "copy", "address") carry the weight.
    kinds = nlp.add_pipe("textcat_multilabel", name=KIND_CLASSIFIER, config=TEXTCAT_CONFIG)
    for kind in RequestKind:
        kinds.add_label(str(kind))  # type: ignore[attr-defined]
    return nlp
