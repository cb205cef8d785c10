"""Render reply drafts from the Jinja2 templates in replies/templates/{nl,en}/. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("nl", "en")
PURPOSES = ("answer", "identity", "confirmation", "authorisation", "extension")

_MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}


@dataclass(frozen=True)
class OrderFacts:
    order_number: str
    ordered_on: date | None
    total: str | None
    status: str | None


@dataclass(frozen=True)
class CustomerFacts:
    """What we hold about the requester, as it may be shown to them."""

    customer_id: str
    email: str
    name: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    phone: str | None = None
    newsletter: bool = False
    orders: tuple[OrderFacts, ...] = ()
    earlier_emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class EarlierRequestFacts:
    """A privacy request the person made before (or this one), as it may be shown to them."""

    reference: str
    kinds: tuple[str, ...]
    received: date
    state: str


@dataclass(frozen=True)
class ProcessorFacts:
    """A processor from the register, in the reply's language."""

    name: str
    service: str
    categories: tuple[str, ...]  # data categories: name, address, email, phone, orders, payment, ...
    purpose: str
    retention: str
    informed_of: tuple[str, ...] = ()  # kinds it must be told of (GDPR art. 19)


@dataclass(frozen=True)
class ChangeFacts:
    """One requested change to stored data: old -> new (rectification)."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ReplyFacts:
    """Everything a template may use; a template naming anything else fails to render."""

    organisation: str
    privacy_contact: str
    reference: str
    kinds: tuple[str, ...]
    received: date
    deadline: date
    requester_name: str | None = None
    customer: CustomerFacts | None = None
    processors: tuple[ProcessorFacts, ...] = ()
    earlier_requests: tuple[EarlierRequestFacts, ...] = ()
    changes: tuple[ChangeFacts, ...] = ()
    new_deadline: date | None = None  # extension: the deadline after it
    reason: str = ""  # extension: why more time is needed
    attachments: tuple[str, ...] = ()  # file names of what the reply carries
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderedReply:
    subject: str
    body: str


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,  # a misspelt field is an error, never an empty gap in a letter
        autoescape=False,  # plain-text mail; nothing here is ever served as HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["longdate"] = long_date
    env.filters["amount"] = amount
    return env


def long_date(value: date, language: str) -> str:
    """'25 december 2026' / '25 December 2026'."""
    month = _MONTHS[language].split()[value.month - 1]
    return f"{value.day} {month} {value.year}"


def amount(value: str, language: str) -> str:
    """An amount as the shop wrote it ("89.95"), with a decimal comma for Dutch readers."""
    return value.replace(".", ",") if language == "nl" else value


def render(purpose: str, language: str, facts: ReplyFacts, original_subject: str) -> RenderedReply:
    """The subject and body of a draft for `purpose` (one of PURPOSES) in `language`."""
    if language not in LANGUAGES:
        raise ValueError(f"replies are written in {LANGUAGES}, not {language!r}")
    template = environment().get_template(f"{language}/{purpose}.txt.j2")
    body = template.render(facts=facts, language=language)
    return RenderedReply(subject=reply_subject(facts.reference, original_subject), body=body)


def reply_subject(reference: str, original_subject: str) -> str:
    """'[PR-2026-0001] Re: <original subject>', with the reference only once."""
    subject = " ".join(original_subject.replace(f"[{reference}]", "").split())
    if not subject.lower().startswith(("re:", "antw:", "aw:")):
        subject = f"Re: {subject}" if subject else "Re: uw verzoek / your request"
    return f"[{reference}] {subject}"


def sample_facts() -> ReplyFacts:
    """Facts with every field filled, to try each template against."""
    return ReplyFacts(
        organisation="MOM Gemstone",
        privacy_contact="Linda de Boer",
        reference="PR-2026-0001",
        kinds=("access", "rectification", "erasure", "restriction", "portability", "objection"),
        received=date(2026, 11, 2),
        deadline=date(2026, 12, 2),
        requester_name="Jan Jansen",
        customer=CustomerFacts(
            customer_id="C001",
            email="jan.jansen@example.nl",
            name="Jan Jansen",
            street="Kerkstraat 1",
            postcode="1234 AB",
            city="Amsterdam",
            country="NL",
            phone="+31 6 12345678",
            newsletter=True,
            orders=(OrderFacts("MOM-10231", date(2026, 10, 1), "89.95", "shipped"),),
            earlier_emails=("j.jansen@example.org",),
        ),
        processors=(
            ProcessorFacts(
                "Mollie", "betalingen", ("name", "payment"), "betalingen afhandelen", "7 jaar", ("erasure",)
            ),
        ),
        earlier_requests=(
            EarlierRequestFacts("PR-2026-0001", ("access",), date(2026, 11, 2), "in_progress"),
        ),
        changes=(ChangeFacts("street", "Kerkstraat 1", "Dorpsstraat 2"),),
        new_deadline=date(2027, 2, 2),
        reason="de gegevens staan in drie systemen",
        attachments=("PR-2026-0001-data.json",),
    )


def check_templates() -> list[str]:
    """Render every template with sample facts; one line per template that fails."""
    problems = []
    for language in LANGUAGES:
        for purpose in PURPOSES:
            for customer in (sample_facts().customer, None):
                facts = replace(sample_facts(), customer=customer)
                try:
                    render(purpose, language, facts, "Vraag")
                except TemplateError as error:
                    # A syntax error knows its own file (an included kind template, say).
                    name = getattr(error, "name", None) or f"{language}/{purpose}.txt.j2"
                    problems.append(f"replies/templates/{name}: {error}")
    return sorted(set(problems))
