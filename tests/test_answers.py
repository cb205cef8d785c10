"""Answers that keep the policy's promises: what each kind of answer says, carries and does.

Each story runs the whole way on the Maildir helpdesk: mail in -> draft -> approval -> the sent
mail (the folder outbox) with its attachments -> the data as promised.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from helpdesk.cli import main
from helpdesk.config import load_config
from helpdesk.errors import ConfigError, ReviewError
from helpdesk.models import AuditEvent, Customer, Draft, InboundMail, Order, PrivacyRequest
from helpdesk.review import check_sendable
from helpdesk.workflow import change_data, extend, verify_by_hand
from tests.conftest import Helpdesk, write_config


def approve_and_send(helpdesk: Helpdesk) -> EmailMessage:
    """Approve the newest pending draft, send it, and return the mail that went out."""
    draft = [d for d in helpdesk.drafts() if d.state == "pending"][-1]
    helpdesk.approve(draft.id)
    helpdesk.run_once()
    [sent] = [mail for mail in helpdesk.sent() if mail["Message-ID"] == draft.message_id]
    return sent


def attachments(message: EmailMessage) -> dict[str, bytes]:
    found = {}
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found[str(part.get_filename())] = payload
    return found


OTHER_CUSTOMERS = [
    "sophie",
    "emma",
    "bakker",
    "fatima",
    "lucas",
    "visser",
    "tbrown",
    "MOM-10233",
    "MOM-10228",
]


def test_an_access_answer_carries_exactly_the_persons_data_as_json_and_csv(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.run_once()
    [request] = helpdesk.requests()
    sent = approve_and_send(helpdesk)
    files = attachments(sent)
    reference = request.reference
    assert sorted(files) == sorted(
        f"{reference}-{name}"
        for name in ("data.json", "profile.csv", "orders.csv", "requests.csv", "processors.csv")
    )

    data = json.loads(files[f"{reference}-data.json"])
    assert data["profile"]["customer_id"] == "C001" and data["profile"]["email"] == "jan.jansen@example.nl"
    assert data["newsletter"] == {"subscribed": True}
    assert [order["order_number"] for order in data["orders"]] == ["MOM-10231", "MOM-10239"]
    assert [r["reference"] for r in data["privacy_requests"]] == [reference]
    assert {p["name"] for p in data["processors"]} >= {"Mollie", "PostNL", "MailChimp", "E-boekhouden"}
    everything = b"".join(files.values()).decode("utf-8-sig").lower()
    for other in OTHER_CUSTOMERS:
        assert other.lower() not in everything, other

    orders = list(csv.DictReader(io.StringIO(files[f"{reference}-orders.csv"].decode("utf-8-sig"))))
    assert [(o["order_number"], o["total"]) for o in orders] == [
        ("MOM-10231", "129.00"),
        ("MOM-10239", "89.95"),
    ]
    profile = dict(csv.reader(io.StringIO(files[f"{reference}-profile.csv"].decode("utf-8-sig"))))
    assert profile["postcode"] == "1016 DZ" and profile["newsletter_subscribed"] == "true"

    body = sent.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Mollie (betalingen)" in text and "Bewaartermijn" in text  # the processors overview
    assert "Autoriteit Persoonsgegevens" in text
    assert f"{reference}-data.json" in text


def test_a_portability_answer_carries_the_data_as_json_with_the_policys_note(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("portability_en_known.eml")
    helpdesk.run_once()
    sent = approve_and_send(helpdesk)
    [(name, content)] = attachments(sent).items()
    assert name.endswith("-data.json")
    data = json.loads(content)
    assert data["profile"]["customer_id"] == "C008"
    assert [o["order_number"] for o in data["orders"]] == ["MOM-10229", "MOM-10236"]
    body = sent.get_body(("plain",))
    assert body is not None and "not be able to continue our service" in body.get_content()


def test_the_processors_register_comes_from_the_configuration(tmp_path: Path) -> None:
    path = tmp_path / "helpdesk.toml"
    path.write_text(
        '[[processors]]\nname = "Sendcloud"\nservice_nl = "verzendlabels"\ncategories = ["name", "address"]\n'
        'purpose_nl = "pakketten versturen"\ninformed_of = ["erasure"]\n',
        encoding="utf-8",
    )
    [processor] = load_config(path).processors
    assert (processor.name, processor.service_en, processor.categories) == (
        "Sendcloud",
        "verzendlabels",  # no English text given: the Dutch one stands in
        ("name", "address"),
    )
    assert processor.informed_of == ("erasure",)


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ('name = "X"\ncategories = ["shoe size"]\npurpose_nl = "y"', "categories"),
        ('name = "X"\ncategories = ["name"]\npurpose_nl = "y"\ninformed_of = ["access"]', "informed_of"),
        ('name = "X"\ncategories = ["name"]', "purpose_nl"),
        ('name = "X"\ncategories = ["name"]\npurpose_nl = "y"\ncolour = "red"', "colour"),
    ],
)
def test_a_bad_processor_entry_names_the_key(tmp_path: Path, entry: str, named: str) -> None:
    path = tmp_path / "helpdesk.toml"
    path.write_text(f"[[processors]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=named):
        load_config(path)


# --- each kind, in both languages, the whole way ---------------------------------------------

JAN = "jan.jansen@example.nl"
AUTHENTICATED = "Authentication-Results: mx.momgemstone.nl; dmarc=pass header.from=example.nl\n"
ASKS = {
    ("access", "nl"): ("Inzageverzoek", "Graag een kopie van al mijn persoonsgegevens (artikel 15 AVG)."),
    ("access", "en"): ("Access request", "Please send me a copy of all personal data you hold about me."),
    ("rectification", "nl"): (
        "Adreswijziging",
        "Ik ben verhuisd. Mijn nieuwe adres is Dorpsstraat 5, 1234 AB Utrecht.",
    ),
    ("rectification", "en"): (
        "Change of address",
        "I have moved. Please update my address to Dorpsstraat 5, 1234 AB Utrecht.",
    ),
    ("erasure", "nl"): (
        "Vergeetverzoek",
        "Verwijder al mijn gegevens en mijn account, ik wil geen klant meer zijn.",
    ),
    ("erasure", "en"): (
        "Delete my data",
        "Please delete my account and erase all my personal data (right to be forgotten).",
    ),
    ("restriction", "nl"): (
        "Beperking",
        "Ik beroep mij op mijn recht op beperking van de verwerking (artikel 18 AVG).",
    ),
    ("restriction", "en"): (
        "Restriction",
        "I ask you to restrict the processing of my personal data (Article 18 GDPR).",
    ),
    ("portability", "nl"): (
        "Gegevens overdragen",
        "Stuur mij mijn gegevens als machineleesbaar bestand (artikel 20 AVG).",
    ),
    ("portability", "en"): (
        "Data portability",
        "Please send me my data in a machine-readable format (Article 20 GDPR).",
    ),
    ("objection", "nl"): (
        "Bezwaar",
        "Ik maak bezwaar tegen het gebruik van mijn gegevens voor de nieuwsbrief.",
    ),
    ("objection", "en"): (
        "Objection",
        "I object to the use of my personal data for your newsletter. Unsubscribe me.",
    ),
}


def request_mail(kind: str, language: str) -> bytes:
    subject, text = ASKS[(kind, language)]
    return (
        f"{AUTHENTICATED}From: Jan Jansen <{JAN}>\nTo: info@momgemstone.nl\nSubject: {subject}\n"
        f"Date: Mon, 23 Nov 2026 10:00:00 +0100\nMessage-ID: <{kind}-{language}@mail.example.nl>\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{text}\n\nJan Jansen\n"
    ).encode()


def customer(helpdesk: Helpdesk, customer_id: str = "C001") -> Customer:
    with helpdesk.db.session() as session:
        found = session.scalar(
            select(Customer)
            .where(Customer.customer_id == customer_id)
            .options(selectinload(Customer.earlier_addresses))
        )
        assert found is not None
        return found


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "kind", ["access", "rectification", "erasure", "restriction", "portability", "objection"]
)
def test_each_kind_the_whole_way_in_both_languages(helpdesk: Helpdesk, kind: str, language: str) -> None:
    helpdesk.deliver(request_mail(kind, language))
    helpdesk.run_once()
    [request] = helpdesk.requests()
    assert kind in request.kinds and request.state == "in_progress"
    [draft] = helpdesk.drafts()
    assert (draft.purpose, draft.language, draft.to_address) == ("answer", language, JAN)
    if kind == "objection":  # before any approval: processing stops and the newsletter ends
        jan = customer(helpdesk)
        assert jan.processing_stopped_at is not None and jan.newsletter is False

    sent = approve_and_send(helpdesk)
    assert sent["To"] == JAN and request.reference in str(sent["Subject"])
    body = sent.get_body(("plain",))
    assert body is not None and "Autoriteit Persoonsgegevens" in body.get_content()
    files = attachments(sent)
    jan = customer(helpdesk)
    if kind == "access":
        assert len(files) == 5
    elif kind == "portability":
        assert [name.endswith(".json") for name in files] == [True]
    else:
        assert files == {}
    if kind == "rectification":
        assert (jan.street, jan.postcode, jan.city) == ("Dorpsstraat 5", "1234 AB", "Utrecht")
        assert "Keizersgracht 212-2 → Dorpsstraat 5" in body.get_content()
    if kind == "restriction":
        assert jan.restricted_at is not None
    if kind == "erasure":
        assert jan.anonymised_at is not None and jan.name is None and JAN not in jan.email
    [after] = helpdesk.requests()
    assert after.state == "answered"


def test_an_erasure_keeps_the_invoices_naming_no_one_and_the_register_anonymised(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("erasure_en_known.eml")
    helpdesk.run_once()
    approve_and_send(helpdesk)
    emma = customer(helpdesk, "C003")
    assert (emma.name, emma.street, emma.phone, emma.newsletter) == (None, None, None, False)
    with helpdesk.db.session() as session:
        orders = session.scalars(select(Order.order_number).where(Order.customer_pk == emma.id)).all()
    assert sorted(orders) == ["MOM-10228", "MOM-10235"]  # invoices kept (seven years)
    [request] = helpdesk.requests()
    assert request.requester == "(erased)" and request.anonymised_at is not None
    assert all(mail.raw is None and mail.text is None for mail in helpdesk.mails())
    history = json.dumps([event.details for event in events_of(helpdesk, "draft_created")])
    assert "emma" not in history.lower()
    register = CliRunner().invoke(
        main, ["register", "export"], env={"HELPDESK_CONFIG": str(write_config(helpdesk))}
    )
    assert register.exit_code == 0, register.output
    [row] = list(csv.DictReader(io.StringIO(register.output)))
    assert (row["reference"], row["outcome"]) == (request.reference, "answered") and "erasure" in row["kinds"]
    assert "emma" not in register.output.lower() and row["answered"]


def test_rectification_changes_can_be_corrected_and_an_old_address_stays_known(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("rectification_nl_known_variant.eml")
    helpdesk.run_once()
    [request] = helpdesk.requests()
    assert {c["field"]: c["new"] for c in request.changes} == {
        "street": "Kralingse Plaslaan 14",
        "postcode": "3061 BA",
        "city": "Rotterdam",
    }
    assert "Beukelsdijk 87B → Kralingse Plaslaan 14" in helpdesk.drafts()[0].body
    with helpdesk.db.session() as session:
        change_data(
            session, helpdesk.config, request.reference, "email", "pieter@bakker-thuis.example.nl", "Linda"
        )
    assert "p.bakker@example.nl → pieter@bakker-thuis.example.nl" in helpdesk.drafts()[0].body
    approve_and_send(helpdesk)
    pieter = customer(helpdesk, "C004")
    assert pieter.email == "pieter@bakker-thuis.example.nl" and pieter.street == "Kralingse Plaslaan 14"
    assert [known.address for known in pieter.earlier_addresses] == ["p.bakker@example.nl"]
    changed = [e for e in events_of(helpdesk, "data_changed") if e.details["effect"] == "profile rectified"]
    assert "PostNL" in changed[0].details["inform"] and "Google Analytics" not in changed[0].details["inform"]


def test_an_answer_for_someone_we_hold_nothing_about_says_so(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_unknown.eml")
    helpdesk.run_once()
    helpdesk.deliver("identity/identity_answer_id_document.eml")
    helpdesk.run_once()
    [request] = helpdesk.requests()
    with helpdesk.db.session() as session:
        verify_by_hand(session, helpdesk.config, request.reference, "id-document", "Linda", None, "")
    answer = helpdesk.drafts()[-1]
    assert answer.purpose == "answer" and not answer.carries_personal_data
    assert "Wij hebben geen klantprofiel, bestellingen of andere gegevens van u" in answer.body
    sent = approve_and_send(helpdesk)
    assert attachments(sent) == {}


def test_an_extension_moves_the_deadline_once_with_a_notice_due_in_the_first_period(
    helpdesk: Helpdesk,
) -> None:
    helpdesk.deliver("access_nl_known.eml", when=datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    helpdesk.run_once()
    [request] = helpdesk.requests()
    first = request.deadline
    with helpdesk.db.session() as session:
        extend(session, helpdesk.config, request.reference, "uw gegevens staan in drie systemen", 2, "Linda")
    [request] = helpdesk.requests()
    assert request.first_deadline == first and request.deadline == date(2027, 2, 22)  # 20 Feb is a Saturday
    notice = helpdesk.drafts()[-1]
    assert notice.purpose == "extension" and notice.to_address == "jan.jansen@example.nl"
    assert "uw gegevens staan in drie systemen" in notice.body and "22 februari 2027" in notice.body
    assert f"{first.day} " in notice.body  # names the first deadline too
    with helpdesk.db.session() as session, pytest.raises(ReviewError, match="once"):
        extend(session, helpdesk.config, request.reference, "nog meer tijd", 1, "Linda")
    with helpdesk.db.session() as session:
        stored = session.get_one(PrivacyRequest, request.id)
        stored.first_deadline = date(2026, 11, 1)  # as if the first period were over
        assert check_sendable(session.get_one(Draft, notice.id)) is not None


def test_drafts_edit_opens_the_editor_and_keeps_who_edited(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("access_nl_known.eml")
    helpdesk.run_once()
    [draft] = helpdesk.drafts()
    env = {"HELPDESK_CONFIG": str(write_config(helpdesk)), "EDITOR": "sed -i s/Beste/Hallo/"}
    result = CliRunner().invoke(main, ["drafts", "edit", str(draft.id), "--by", "Linda"], env=env)
    assert result.exit_code == 0, result.output
    assert helpdesk.drafts()[0].body.startswith("Hallo Jan Jansen,")
    [edited] = events_of(helpdesk, "draft_edited")
    assert edited.actor == "Linda"


def test_retention_lists_first_and_acts_only_when_told(helpdesk: Helpdesk) -> None:
    helpdesk.deliver("order_question_nl.eml")  # no request
    helpdesk.run_once()
    long_ago = datetime(2024, 1, 1, tzinfo=UTC)
    with helpdesk.db.session() as session:
        session.get_one(InboundMail, helpdesk.mails()[0].id).received_at = long_ago
        lucas = session.scalar(select(Customer).where(Customer.customer_id == "C006"))
        assert lucas is not None
        lucas.created_at = lucas.last_contact_at = long_ago  # Lucas ordered nothing since
    env = {"HELPDESK_CONFIG": str(write_config(helpdesk))}
    dry = CliRunner().invoke(main, ["retention", "run"], env=env)
    assert dry.exit_code == 0, dry.output
    assert "anonymise customer C006" in dry.output and "purge the stored text of 1 mails" in dry.output
    assert "dry run" in dry.output and customer(helpdesk, "C006").anonymised_at is None
    assert "C001" not in dry.output  # recent customers stay
    done = CliRunner().invoke(main, ["retention", "run", "--apply"], env=env)
    assert done.exit_code == 0, done.output
    assert customer(helpdesk, "C006").anonymised_at is not None
    assert helpdesk.mails()[0].raw is None and helpdesk.mails()[0].message_id  # the row stays
    again = CliRunner().invoke(main, ["retention", "run"], env=env)
    assert "nothing to do" in again.output


def events_of(helpdesk: Helpdesk, kind: str) -> list[AuditEvent]:
    with helpdesk.db.session() as session:
        return list(
            session.scalars(select(AuditEvent).where(AuditEvent.kind == kind).order_by(AuditEvent.id))
        )
