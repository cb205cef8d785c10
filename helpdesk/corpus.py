"""The labelled mails in tests/fixtures/emails/ (manifest.csv): for training and for evaluation."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from classifiers.kinds import RequestKind
from classifiers.text import prepare
from classifiers.train import LabelledText
from helpdesk.intake import UnreadableMail, parse

EMAILS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "emails"
MANIFEST = EMAILS / "manifest.csv"


@dataclass(frozen=True)
class LabelledMail:
    file: str  # relative to the manifest's folder
    is_request: bool
    kinds: frozenset[RequestKind]
    language: str
    split: str
    notes: str


def split_of(file: str) -> str:
    """'dev' for about a quarter of the mails, fixed by the file name: adding mails moves none."""
    return "dev" if int(hashlib.sha256(file.encode()).hexdigest()[:8], 16) % 4 == 0 else "train"


def read_manifest(path: Path = MANIFEST) -> list[LabelledMail]:
    """Every row of manifest.csv."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            LabelledMail(
                file=row["file"],
                is_request=row["is_request"] == "true",
                kinds=frozenset(RequestKind(kind) for kind in row["kinds"].split()),
                language=row["language"],
                split=row["split"],
                notes=row["notes"],
            )
            for row in csv.DictReader(handle)
        ]


def subject_and_body(path: Path) -> tuple[str, str] | None:
    """The subject and text of a fixture mail as intake reads them; None when intake cannot."""
    try:
        inbound = parse(path.read_bytes(), own_domain="momgemstone.nl")
    except UnreadableMail:
        return None
    return inbound.subject, inbound.text


def read_split(split: str, path: Path = MANIFEST) -> list[tuple[LabelledMail, tuple[str, str]]]:
    """The labelled mails of one split with their subject and text (unreadable ones left out)."""
    rows = []
    for mail in read_manifest(path):
        if mail.split == split:
            read = subject_and_body(path.parent / mail.file)
            if read is not None:
                rows.append((mail, read))
    return rows


def labelled_texts(split: str, path: Path = MANIFEST) -> list[LabelledText]:
    """The prepared texts of one split. A text that also stands in the dev split is never trained on
    (the same mail delivered twice must not leak from one split into the other)."""
    texts = [
        LabelledText(prepare(*read), mail.language, mail.kinds) for mail, read in read_split(split, path)
    ]
    if split == "train":
        seen = {prepare(*read) for _, read in read_split("dev", path)}
        return [example for example in texts if example.text not in seen]
    return texts
