"""Answers that keep the policy's promises: what each kind of answer says, carries and does.

Each story runs the whole way on the Maildir helpdesk: mail in -> draft -> approval -> the sent
mail (the folder outbox) with its attachments -> the data as promised.
"""

from __future__ import annotations

import csv
import io
import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from helpdesk.config import load_config
from helpdesk.errors import ConfigError
from tests.conftest import Helpdesk


def approve_and_send(helpdesk: Helpdesk) -> EmailMessage:
    [draft] = [d for d in helpdesk.drafts() if d.state == "pending"]
    helpdesk.approve(draft.id)
    helpdesk.run_once()
    [sent] = helpdesk.sent()
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
