"""Scores of a classifier against labels: precision, recall, F1 per kind, and the confusions. Pure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from classifiers.classification import Classification
from classifiers.kinds import RequestKind

NONE = "none"


@dataclass(frozen=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def support(self) -> int:
        return self.true_positives + self.false_negatives


@dataclass
class Evaluation:
    mails: int
    is_request: Scores
    caught: Scores  # counting "possible request" as caught: it reaches a person either way
    kinds: dict[RequestKind, Scores]
    confusion: dict[str, Counter[str]] = field(default_factory=dict)  # gold kind -> predicted kinds
    language_errors: list[tuple[str, str, str]] = field(default_factory=list)  # (name, gold, predicted)
    misses: list[str] = field(default_factory=list)  # names of requests not caught at all
    false_alarms: list[str] = field(default_factory=list)  # names of non-requests called requests

    @property
    def macro_f1(self) -> float:
        return sum(score.f1 for score in self.kinds.values()) / len(self.kinds)


def _scores(pairs: Sequence[tuple[bool, bool]]) -> Scores:
    return Scores(
        true_positives=sum(gold and guess for gold, guess in pairs),
        false_positives=sum(guess and not gold for gold, guess in pairs),
        false_negatives=sum(gold and not guess for gold, guess in pairs),
    )


def evaluate(
    names: Sequence[str],
    gold_kinds: Sequence[frozenset[RequestKind]],
    gold_languages: Sequence[str],
    predictions: Sequence[Classification],
) -> Evaluation:
    """Compare predictions with the labels, mail by mail."""
    rows = list(zip(names, gold_kinds, gold_languages, predictions, strict=True))
    confusion: dict[str, Counter[str]] = {}
    for _name, gold, _language, guess in rows:
        predicted = [str(kind) for kind in guess.kinds] or [NONE]
        for kind in [str(kind) for kind in gold] or [NONE]:
            confusion.setdefault(kind, Counter()).update(predicted)
    return Evaluation(
        mails=len(rows),
        is_request=_scores([(bool(gold), guess.is_request) for _, gold, _, guess in rows]),
        caught=_scores([(bool(gold), guess.is_request or guess.possible) for _, gold, _, guess in rows]),
        kinds={
            kind: _scores([(kind in gold, kind in guess.kinds) for _, gold, _, guess in rows])
            for kind in RequestKind
        },
        confusion=confusion,
        language_errors=[
            (name, language, guess.language)
            for name, _, language, guess in rows
            if guess.language != (language if language in {"nl", "en"} else "other")
        ],
        misses=[name for name, gold, _, guess in rows if gold and not (guess.is_request or guess.possible)],
        false_alarms=[name for name, gold, _, guess in rows if not gold and guess.is_request],
    )
