"""`helpdesk classify --eval`: the classifier's figures on the dev split, for people to read."""

from __future__ import annotations

import time

from rich.console import Console
from rich.table import Table

from classifiers.evaluation import NONE, evaluate
from classifiers.kinds import RequestKind
from classifiers.model import RequestClassifier
from helpdesk.corpus import read_split

SPEED_SECONDS = 2.0


def print_evaluation(console: Console) -> None:
    """Load the shipped model, classify the dev split, print scores, confusion, speed and load time."""
    started = time.perf_counter()
    classifier = RequestClassifier()
    load_seconds = time.perf_counter() - started

    rows = read_split("dev")
    predictions = [classifier.classify(*read) for _, read in rows]
    result = evaluate(
        [mail.file for mail, _ in rows],
        [mail.kinds for mail, _ in rows],
        [mail.language for mail, _ in rows],
        predictions,
    )

    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < SPEED_SECONDS:
        for _, read in rows:
            classifier.classify(*read)
        done += len(rows)
    rate = done / (time.perf_counter() - started)

    requests = sum(1 for mail, _ in rows if mail.kinds)
    console.print(f"dev split: {result.mails} mails, {requests} of them rights requests")
    table = Table("", "precision", "recall", "F1", "support", title="scores on the dev split")
    for label, scores in [
        ("is a rights request", result.is_request),
        ("caught (request or possible)", result.caught),
        *((str(kind), score) for kind, score in result.kinds.items()),
    ]:
        table.add_row(
            label, f"{scores.precision:.3f}", f"{scores.recall:.3f}", f"{scores.f1:.3f}", str(scores.support)
        )
    console.print(table)
    console.print(f"macro F1 over the six kinds: {result.macro_f1:.3f}")

    labels = [str(kind) for kind in RequestKind] + [NONE]
    confusion = Table("labelled → predicted", *labels, title="confusion between kinds (mail counts)")
    for gold in labels:
        counts = result.confusion.get(gold)
        if counts:
            confusion.add_row(gold, *(str(counts.get(guess, "")) for guess in labels))
    console.print(confusion)

    languages_right = result.mails - len(result.language_errors)
    console.print(f"language right for {languages_right} of {result.mails} mails")
    console.print(f"speed: {rate:.0f} mails/s on one process after load")
    console.print(f"model load: {load_seconds:.2f} s (spaCy import and both pipelines)")
    if result.misses:
        console.print("requests missed entirely: " + ", ".join(result.misses))
    if result.false_alarms:
        console.print("non-requests taken for requests: " + ", ".join(result.false_alarms))
