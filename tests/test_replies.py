"""Reply drafts: the right section per kind, the customer's own data for access, identity steps in order."""

from __future__ import annotations

import importlib
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from replies import CustomerFacts, OrderFacts, ReplyFacts, render, reply_subject

render_module = importlib.import_module("replies.render")  # `replies.render` the attribute is the function

JAN = CustomerFacts(
    customer_id="C001",
    email="jan.jansen@example.nl",
    name="Jan Jansen",
    street="Keizersgracht 212-2",
    postcode="1016 DZ",
    city="Amsterdam",
    country="NL",
    phone="+31 6 41278390",
    newsletter=True,
    orders=(
        OrderFacts("MOM-10231", date(2026, 11, 2), "129.00", "shipped"),
        OrderFacts("MOM-10239", date(2026, 11, 16), "89.95", "paid"),
    ),
)
FACTS = ReplyFacts(
    organisation="MOM Gemstone",
    privacy_contact="Linda de Boer",
    reference="PR-2026-0001",
    kinds=("access",),
    received=date(2026, 11, 3),
    deadline=date(2026, 12, 3),
    requester_name="Jan Jansen",
    customer=JAN,
)

HEADINGS = {
    "nl": {
        "access": "Inzage in uw gegevens",
        "rectification": "Aanpassen van uw gegevens",
        "erasure": "Verwijderen van uw gegevens (vergeetverzoek)",
        "restriction": "Beperking van de verwerking",
        "portability": "Overdracht van uw gegevens",
        "objection": "Bezwaar",
    },
    "en": {
        "access": "Access to your data",
        "rectification": "Correcting your data",
        "erasure": "Erasing your data (right to be forgotten)",
        "restriction": "Restriction of processing",
        "portability": "Transfer of your data",
        "objection": "Objection",
    },
}
KIND_LANGUAGE = [(kind, language) for language in ("nl", "en") for kind in HEADINGS[language]]


@pytest.mark.parametrize(("kind", "language"), KIND_LANGUAGE)
def test_an_answer_holds_the_section_of_its_kind_only(kind: str, language: str) -> None:
    reply = render("answer", language, replace(FACTS, kinds=(kind,)), "Mijn gegevens")
    lines = reply.body.splitlines()
    assert HEADINGS[language][kind] in lines
    for other, heading in HEADINGS[language].items():
        if other != kind:
            assert heading not in lines
    assert "PR-2026-0001" in reply.body
    assert "Linda de Boer" in reply.body
    assert "Autoriteit Persoonsgegevens" in reply.body  # the right to complain, in every answer
    assert reply.subject == "[PR-2026-0001] Re: Mijn gegevens"


@pytest.mark.parametrize(
    ("language", "greeting", "received", "lines"),
    [
        (
            "nl",
            "Beste Jan Jansen,",
            "3 november 2026",
            [
                "- Klantnummer: C001",
                "- Naam: Jan Jansen",
                "- E-mailadres: jan.jansen@example.nl",
                "- Adres: Keizersgracht 212-2, 1016 DZ, Amsterdam, NL",
                "- Telefoonnummer: +31 6 41278390",
                "- Nieuwsbrief: ja",
            ],
        ),
        (
            "en",
            "Dear Jan Jansen,",
            "3 November 2026",
            [
                "- Customer number: C001",
                "- Name: Jan Jansen",
                "- E-mail address: jan.jansen@example.nl",
                "- Address: Keizersgracht 212-2, 1016 DZ, Amsterdam, NL",
                "- Phone number: +31 6 41278390",
                "- Newsletter: yes",
            ],
        ),
    ],
)
def test_an_access_answer_shows_the_customers_data_and_orders(
    language: str, greeting: str, received: str, lines: list[str]
) -> None:
    body = render("answer", language, FACTS, "Inzage").body
    assert body.startswith(greeting)
    assert received in body
    for line in lines:
        assert line in body.splitlines()
    assert "MOM-10231" in body and "MOM-10239" in body
    assert body.index("MOM-10231") < body.index("MOM-10239")
    assert ("2 november 2026" if language == "nl" else "2 November 2026") in body  # when it was ordered


def test_an_access_answer_without_a_profile_says_so() -> None:
    body = render("answer", "nl", replace(FACTS, customer=None), "Inzage").body
    assert "Wij hebben geen klantprofiel, bestellingen of andere gegevens van u" in body
    assert body.startswith("Beste Jan Jansen,")  # the name from the mail itself
    assert "Klantnummer" not in body


def test_a_portability_answer_also_carries_the_data() -> None:
    body = render("answer", "en", replace(FACTS, kinds=("portability",)), "Data").body
    assert "- E-mail address: jan.jansen@example.nl" in body.splitlines()
    assert "MOM-10231" in body


def test_several_kinds_come_in_the_order_given() -> None:
    body = render("answer", "en", replace(FACTS, kinds=("access", "erasure")), "Copy, then delete").body
    assert body.index("Access to your data") < body.index("Erasing your data")


@pytest.mark.parametrize(
    ("language", "stopped", "newsletter"),
    [
        ("nl", "direct stopgezet toen uw bericht binnenkwam", "nieuwsbrief niet meer"),
        ("en", "stopped processing your data as soon as your message arrived", "newsletter either"),
    ],
)
def test_an_objection_answer_says_processing_stopped_on_arrival(
    language: str, stopped: str, newsletter: str
) -> None:
    # By the time the answer is drafted the newsletter was already cancelled (helpdesk/effects.py).
    body = render(
        "answer", language, replace(FACTS, kinds=("objection",), customer=replace(JAN, newsletter=False)), "x"
    ).body
    assert stopped in body and newsletter in body


@pytest.mark.parametrize(
    ("language", "known_address", "order_and_postcode", "mask", "deadline"),
    [
        (
            "nl",
            "vanaf het e-mailadres waarmee u bij ons heeft besteld",
            "het nummer van een bestelling en de postcode",
            ["pasfoto", "burgerservicenummer (BSN)", "onleesbaar"],
            "uiterlijk op 3 december 2026",
        ),
        (
            "en",
            "from the e-mail address you used to order from us",
            "the number of one of your orders and the postcode",
            ["photo", "citizen service number (BSN)", "unreadable"],
            "no later than 3 December 2026",
        ),
    ],
)
def test_the_identity_draft_asks_for_the_least_first(
    language: str, known_address: str, order_and_postcode: str, mask: list[str], deadline: str
) -> None:
    # The sender claims to be Jan but wrote from another address.
    body = render("identity", language, FACTS, "vraagje over mijn gegevens").body
    id_copy = body.index("identiteitsbewijs" if language == "nl" else "identity document")
    assert body.index(known_address) < body.index(order_and_postcode) < id_copy
    for word in mask:
        assert word in body[id_copy:]
    assert deadline in body
    # Nothing of what we hold may go to an address we cannot yet tie to the customer.
    for held in (JAN.email, JAN.street, JAN.postcode, JAN.phone, "MOM-10231"):
        assert held is not None and held not in body


@pytest.mark.parametrize(
    ("original", "subject"),
    [
        ("Verzoek om inzage", "[PR-2026-0001] Re: Verzoek om inzage"),
        ("Re: Verzoek om inzage", "[PR-2026-0001] Re: Verzoek om inzage"),
        ("RE: Verzoek om inzage", "[PR-2026-0001] RE: Verzoek om inzage"),
        ("Antw: Verzoek om inzage", "[PR-2026-0001] Antw: Verzoek om inzage"),
        ("[PR-2026-0001] Re: Verzoek om inzage", "[PR-2026-0001] Re: Verzoek om inzage"),
        ("Re: [PR-2026-0001] Verzoek om inzage", "[PR-2026-0001] Re: Verzoek om inzage"),
        ("", "[PR-2026-0001] Re: uw verzoek / your request"),
    ],
)
def test_reply_subject_carries_the_reference_once(original: str, subject: str) -> None:
    assert reply_subject("PR-2026-0001", original) == subject


def test_reply_subject_of_a_subject_already_replied_to_twice() -> None:
    once = reply_subject("PR-2026-0001", "Inzage")
    assert reply_subject("PR-2026-0001", once) == once == "[PR-2026-0001] Re: Inzage"


def test_replies_are_written_in_dutch_or_english_only() -> None:
    with pytest.raises(ValueError, match="'de'"):
        render("answer", "de", FACTS, "Auskunft")


def test_the_shipped_templates_are_fine() -> None:
    assert render_module.check_templates() == []


@pytest.fixture
def template_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the templates folder that render() and check_templates() use instead of the real one."""
    folder = tmp_path / "templates"
    shutil.copytree(render_module.TEMPLATES, folder)
    monkeypatch.setattr(render_module, "TEMPLATES", folder)
    render_module.environment.cache_clear()
    yield folder
    render_module.environment.cache_clear()  # monkeypatch restores TEMPLATES; the cached one must go too


def test_a_misspelt_field_is_reported(template_copy: Path) -> None:
    misspelt = "Dear {{ facts.requester_nmae }},\n"
    (template_copy / "en" / "identity.txt.j2").write_text(misspelt, encoding="utf-8")
    problems = render_module.check_templates()
    assert len(problems) == 1
    assert "en/identity.txt.j2" in problems[0]
    assert "requester_nmae" in problems[0]


def test_a_broken_kind_template_is_reported_by_its_own_name(template_copy: Path) -> None:
    (template_copy / "nl" / "kinds" / "erasure.txt.j2").write_text(
        "Verwijderen\n{% if facts.customer %}\nnooit afgesloten\n", encoding="utf-8"
    )
    problems = render_module.check_templates()
    assert problems, "a template that cannot render must be reported"
    assert all("en/" not in problem for problem in problems)  # the English ones are fine
    assert any("nl/kinds/erasure.txt.j2" in problem for problem in problems), problems
