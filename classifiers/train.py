"""Training: labelled texts in, the two trained pipelines written to disk. Reproducible by seed.

helpdesk train    (reads tests/fixtures/emails/manifest.csv, trains on the train split)
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from classifiers.kinds import RequestKind
from classifiers.model import MAX_CHARS
from classifiers.rules import lemmas_used

if TYPE_CHECKING:
    from spacy.language import Language

SEED = 20261125
EPOCHS = 30
DROPOUT = 0.2


@dataclass(frozen=True)
class LabelledText:
    """One training or evaluation example: prepared text, its language and its kinds."""

    text: str
    language: str  # nl, en, or other
    kinds: frozenset[RequestKind]


def pipeline_language(language: str) -> str:
    """Dutch mail goes to the Dutch pipeline, everything else to the English one."""
    return "nl" if language == "nl" else "en"


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
        own = [e for e in examples if pipeline_language(e.language) == language]
        # The other language's mails teach what a request looks like in general; they count less
        # only by being fewer, never by being left out.
        train_set = [
            Example.from_dict(
                nlp.make_doc(e.text[:MAX_CHARS]),
                {"cats": {str(kind): float(kind in e.kinds) for kind in RequestKind}},
            )
            for e in [*own, *(e for e in examples if pipeline_language(e.language) != language)]
        ]
        optimizer = nlp.initialize(lambda train_set=train_set: train_set)  # type: ignore[misc]
        _prune_lemmas(nlp, language)
        for _ in range(epochs):
            shuffle.shuffle(train_set)
            for batch in minibatch(train_set, size=16):
                nlp.update(batch, sgd=optimizer, drop=DROPOUT)
        target = output / language
        target.mkdir(parents=True, exist_ok=True)
        nlp.to_disk(target)
        counts[language] = len(own)
    return counts


def _prune_lemmas(nlp: Language, language: str) -> None:
    """Keep only the lemma-table entries the rules can use.

    The rules are the only reader of lemmas (the text classifier reads lower-cased words), and
    loading the full Dutch table from spacy-lookups-data costs about 0.8 s at every start.
    """
    from spacy.lookups import Lookups

    lemmatizer = nlp.get_pipe("lemmatizer")
    wanted = lemmas_used(language)
    full = lemmatizer.lookups.get_table("lemma_lookup")  # type: ignore[attr-defined]
    pruned = Lookups()
    table = pruned.add_table("lemma_lookup")
    for key, lemma in full.items():
        if lemma in wanted:
            table.set(key, lemma)
    lemmatizer.lookups = pruned  # type: ignore[attr-defined]
