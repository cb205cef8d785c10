"""The keyword rules: each fixture mail as tests/fixtures/emails/manifest.csv says, and short phrasings.

Mails are read as the pipeline reads them: helpdesk.intake.parse, then classify(subject, text).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import pytest

from classifiers import Classification, classify
from helpdesk.intake import Inbound, parse
from tests.conftest import EMAILS, fixture_mail

UNREADABLE = {"broken_from.eml"}  # intake raises UnreadableMail; it goes to quarantine, not the classifier


@dataclass(frozen=True)
class ManifestRow:
    file: str
    is_request: bool
    kinds: tuple[str, ...]
    language: str
    notes: str


def manifest() -> list[ManifestRow]:
    with (EMAILS / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return [
            ManifestRow(
                file=row["file"],
                is_request=row["is_request"] == "true",
                kinds=tuple(row["kinds"].split()),
                language=row["language"],
                notes=row["notes"],
            )
            for row in csv.DictReader(handle)
            if row["file"] not in UNREADABLE
        ]


ROWS = manifest()


def read_and_classify(name: str) -> tuple[Inbound, Classification]:
    inbound = parse(fixture_mail(name), "momgemstone.nl")
    return inbound, classify(inbound.subject, inbound.text)


def test_the_manifest_covers_every_fixture_mail() -> None:
    listed = {row.file for row in ROWS} | UNREADABLE
    assert listed == {path.name for path in EMAILS.glob("*.eml")}


@pytest.mark.parametrize("row", ROWS, ids=[row.file for row in ROWS])
def test_request_and_kinds_as_in_the_manifest(row: ManifestRow) -> None:
    _, classification = read_and_classify(row.file)
    assert classification.is_request == row.is_request, row.notes
    assert tuple(str(kind) for kind in classification.kinds) == row.kinds, row.notes


@pytest.mark.parametrize("row", ROWS, ids=[row.file for row in ROWS])
def test_language_as_in_the_manifest(row: ManifestRow) -> None:
    _, classification = read_and_classify(row.file)
    expected = row.language if row.language in {"nl", "en"} else "other"
    assert classification.language == expected, row.notes


@pytest.mark.parametrize("row", [row for row in ROWS if row.is_request], ids=lambda row: row.file)
def test_every_kind_found_has_evidence_from_the_mail(row: ManifestRow) -> None:
    inbound, classification = read_and_classify(row.file)
    for kind in classification.kinds:
        spans = [item.text for item in classification.evidence if item.kind == kind]
        assert spans, f"{kind} without evidence"
        assert any(span in inbound.text or span in inbound.subject for span in spans), spans


def test_evidence_is_ordered_and_serialisable() -> None:
    _, classification = read_and_classify("multi_kind_en_known.eml")
    starts = [item.start for item in classification.evidence]
    assert starts == sorted(starts)
    as_json = classification.to_json()
    assert as_json["kinds"] == ["access", "erasure"]
    assert {item["kind"] for item in as_json["evidence"]} >= {"access", "erasure"}


def test_privacy_words_in_a_quoted_footer_do_not_make_a_request() -> None:
    inbound, classification = read_and_classify("quoted_thread_nl.eml")
    assert "inzage, rectificatie" in inbound.text  # the footer is there, in the quote
    assert not classification.is_request
    assert classification.evidence == ()


# Short sentences as customers write them. (text, kinds, language); kinds "" means: not a request.
SENTENCES = [
    # Dutch, access
    ("Ik wil graag inzage in mijn persoonsgegevens.", "access", "nl"),
    ("Welke gegevens hebben jullie van mij opgeslagen?", "access", "nl"),
    ("welke gegevns hebben jullie eigenlijk van mij??", "access", "nl"),
    ("Kunnen jullie mij een kopie van mijn gegevens sturen?", "access", "nl"),
    ("Ik wil weten wat jullie allemaal van mij weten", "access", "nl"),
    # Dutch, erasure
    ("Verwijder al mijn gegevens alsjeblieft", "erasure", "nl"),
    ("Ik wil dat mijn account wordt verwijderd.", "erasure", "nl"),
    ("hoi, kunnen jullie m'n account verwijderen? thx", "erasure", "nl"),
    ("verwijdert mijn gegevens aub", "erasure", "nl"),
    ("Graag mijn account opheffen", "erasure", "nl"),
    ("Kunnen jullie mijn account deleten?", "erasure", "nl"),  # everyday Dutch loanword
    # Dutch, the other rights
    ("Mijn adres is gewijzigd, kunnen jullie dat aanpassen?", "rectification", "nl"),
    ("Mijn achternaam is fout gespeld, graag corrigeren.", "rectification", "nl"),
    ("Ik wil me afmelden voor de nieuwsbrief", "objection", "nl"),
    ("Stuur me geen nieuwsbrief meer aub", "objection", "nl"),
    ("Ik maak bezwaar tegen het gebruik van mijn gegevens voor marketing.", "objection", "nl"),
    ("Kunnen jullie mijn gegevens tijdelijk niet meer gebruiken?", "restriction", "nl"),
    ("Ik wil mijn gegevens meenemen naar een andere webwinkel.", "portability", "nl"),
    # English
    ("Please send me a copy of my personal data.", "access", "en"),
    ("What data do you hold about me?", "access", "en"),
    ("I want to exercise my right of access.", "access", "en"),
    ("Please delete my account.", "erasure", "en"),
    ("pls remove my details from your system", "erasure", "en"),
    ("hey can u delete all my info", "erasure", "en"),
    ("Please erase everything you have on me.", "erasure", "en"),
    ("Can you update my address? I moved.", "rectification", "en"),
    ("Please stop sending me newsletters", "objection", "en"),
    ("Unsubscribe me from your marketing emails", "objection", "en"),
    ("I object to you using my data for marketing.", "objection", "en"),
    ("Please temporarily stop using my data while we sort out the refund.", "restriction", "en"),
    ("I'd like to transfer my data to another shop.", "portability", "en"),
    ("Can I get my data in a machine-readable format?", "portability", "en"),
    # Mixed
    ("Hi, kunnen jullie my account verwijderen? Thanks!", "erasure", "nl"),
    ("Please send me a copy of my data, en daarna graag mijn account verwijderen.", "access erasure", "en"),
    # Not requests: orders, returns, payments, questions
    ("Waar blijft mijn bestelling MOM-10231?", "", "nl"),
    ("Ik wil mijn bestelling retourneren, de ring past niet.", "", "nl"),
    ("Wijzig mijn bestelling alsjeblieft: ik wil de ring in maat 54 in plaats van 56.", "", "nl"),
    ("Kan ik mijn bestelling nog wijzigen?", "", "nl"),
    ("Ik wil mijn bestelling annuleren.", "", "nl"),
    ("Hoe verwijder ik een artikel uit mijn winkelwagen?", "", "nl"),
    ("Stuur mij een kopie van mijn factuur.", "", "nl"),
    ("Ik ben mijn wachtwoord vergeten.", "", "nl"),
    ("Kunnen jullie de naam op de gravering aanpassen?", "", "nl"),  # a product question, not rectification
    ("Hoi! Is de ring ook in zilver verkrijgbaar? Thanks!", "", "nl"),
    ("Where is my order? It has been two weeks.", "", "en"),
    ("I'd like to return the earrings, they are too heavy.", "", "en"),
    ("Can I change my order to a smaller size?", "", "en"),
    ("Please cancel my order.", "", "en"),
    ("Please remove the engraving from my order.", "", "en"),
    ("Do you ship to Belgium?", "", "en"),
]


@pytest.mark.parametrize(("text", "kinds", "language"), SENTENCES, ids=[row[0][:50] for row in SENTENCES])
def test_short_sentence_kinds(text: str, kinds: str, language: str) -> None:
    classification = classify("", text)
    assert [str(kind) for kind in classification.kinds] == kinds.split()
    assert classification.is_request == bool(kinds)


@pytest.mark.parametrize(("text", "kinds", "language"), SENTENCES, ids=[row[0][:50] for row in SENTENCES])
def test_short_sentence_language(text: str, kinds: str, language: str) -> None:
    assert classify("", text).language == language


@pytest.mark.parametrize(
    ("subject", "body", "kinds"),
    [
        ("Inzageverzoek", "Zie onderwerp.\n\nGroet, Jan", "access"),
        ("Right to be forgotten", "Thanks.", "erasure"),
        ("Vraagje", "Graag een overzicht van mijn persoonsgegevens.", "access"),
        ("Re: Uw bestelling", "Top, dank!\n\n> Heeft u vragen over uw inzagerecht? Mail ons.", ""),
    ],
)
def test_the_subject_counts_and_quotes_do_not(subject: str, body: str, kinds: str) -> None:
    assert [str(kind) for kind in classify(subject, body).kinds] == kinds.split()
