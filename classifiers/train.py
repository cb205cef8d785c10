"""Training: labelled texts in, the two trained pipelines written to disk. Reproducible by seed.

helpdesk train    (reads tests/fixtures/emails/manifest.csv, trains on the train split)
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from classifiers.components import KIND_CLASSIFIER, REQUEST_DETECTOR
from classifiers.kinds import ANY_REQUEST, RequestKind
from classifiers.language import dutch_or_english
from classifiers.model import MAX_CHARS

if TYPE_CHECKING:
    from spacy.language import Language

SEED = 20261125
# More epochs or word-pair features alone overfit a corpus this small; high dropout and the shared
# "request" label generalise. 4-fold cross-validation on the 1,298 training mails (recall /
# precision of "is a request"): 10 epochs 0.985 / 0.957, 12 0.987 / 0.951, 15 0.990 / 0.950,
# 20 0.990 / 0.948; dropout 0.3 and 0.65 gave the same as 0.5.
EPOCHS = 10
DROPOUT = 0.5


@dataclass(frozen=True)
class LabelledText:
    """One training or evaluation example: prepared text, its language and its kinds."""

    text: str
    language: str  # nl, en, or other
    kinds: frozenset[RequestKind]


def train(
    examples: Sequence[LabelledText], output: Path, seed: int = SEED, epochs: int = EPOCHS
) -> dict[str, int]:
    """Train both pipelines on `examples` and write them under `output`/{nl,en}. Returns counts."""
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    from classifiers.pipeline import blank_pipeline

    counts = {}
    for language in ("nl", "en"):
        fix_random_seed(seed)
        shuffle = random.Random(seed)
        nlp = blank_pipeline(language)
        own = [e for e in examples if dutch_or_english(e.language) == language]
        # The other language's mails teach what a request looks like in general.
        ordered_examples = [*own, *(e for e in examples if dutch_or_english(e.language) != language)]
        texts = [e.text[:MAX_CHARS] for e in ordered_examples]
        # Without cats here: initialize() would otherwise give both classifiers all seven labels.
        blanks = [Example.from_dict(nlp.make_doc(text), {}) for text in texts]
        optimizer = nlp.initialize(lambda blanks=blanks: blanks)  # type: ignore[misc]
        _prune_lemmas(
            nlp,
            {word for text in texts for token in nlp.make_doc(text) for word in (token.text, token.lower_)},
        )
        # nlp.update runs only what it trains: give it docs that the other components
        # (lemmatizer, lemma norms, rules) have seen, exactly as at classification time.
        with nlp.select_pipes(disable=[REQUEST_DETECTOR, KIND_CLASSIFIER]):
            docs = list(nlp.pipe(texts))
        every_mail = [
            Example.from_dict(doc, {"cats": _cats(e)}) for doc, e in zip(docs, ordered_examples, strict=True)
        ]
        requests_only = [example for example, e in zip(every_mail, ordered_examples, strict=True) if e.kinds]
        for _ in range(epochs):
            for component, train_set in ((REQUEST_DETECTOR, every_mail), (KIND_CLASSIFIER, requests_only)):
                shuffle.shuffle(train_set)
                others = [name for name in (REQUEST_DETECTOR, KIND_CLASSIFIER) if name != component]
                for batch in minibatch(train_set, size=16):
                    nlp.update(batch, sgd=optimizer, drop=DROPOUT, exclude=others)
        target = output / language
        shutil.rmtree(target, ignore_errors=True)  # to_disk leaves files of an older pipeline behind
        target.mkdir(parents=True)
        nlp.to_disk(target)
        counts[language] = len(own)
    return counts


def _cats(example: LabelledText) -> dict[str, float]:
    return {
        **{str(kind): float(kind in example.kinds) for kind in RequestKind},
        ANY_REQUEST: float(bool(example.kinds)),
    }


def _prune_lemmas(nlp: Language, words: set[str]) -> None:
    """Keep only the lemma-table entries for words the training mails contain.

    A word the model never saw in training gives it no feature either way, so its lemma is not
    needed; and loading the full Dutch table from spacy-lookups-data costs about 0.8 s per start.
    """
    from spacy.lookups import Lookups
    from spacy.strings import get_string_id

    lemmatizer = nlp.get_pipe("lemmatizer")
    full = lemmatizer.lookups.get_table("lemma_lookup")  # type: ignore[attr-defined]
    wanted = {get_string_id(word) for word in words}
    pruned = Lookups()
    table = pruned.add_table("lemma_lookup")
    for key, lemma in full.items():
        if key in wanted:
            table.set(key, lemma)
    lemmatizer.lookups = pruned  # type: ignore[attr-defined]
