"""The weekly digest for the privacy contact: what is due when, at a glance. Pure.

Plain text and HTML from the same facts (templates digest.txt.j2 and digest.html.j2 per
language). Requesters are masked (j***@example.nl): the digest may be read on a phone in a shop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from replies.render import TEMPLATES, long_date


@dataclass(frozen=True)
class OpenRequestLine:
    reference: str
    kinds: tuple[str, ...]
    requester: str  # masked
    state: str
    deadline: date
    days_left: int


@dataclass(frozen=True)
class DraftLine:
    id: int
    reference: str
    purpose: str
    to: str  # masked


@dataclass(frozen=True)
class IdentityWaitLine:
    reference: str
    requester: str  # masked
    days_waited: int
    propose_closure: bool


@dataclass(frozen=True)
class HandledLine:
    reference: str
    kinds: tuple[str, ...]
    outcome: str


@dataclass(frozen=True)
class DigestFacts:
    organisation: str
    made_on: date
    open_requests: tuple[OpenRequestLine, ...]  # sorted by days left, overdue first
    drafts_waiting: tuple[DraftLine, ...]
    identity_waits: tuple[IdentityWaitLine, ...]
    handled_this_week: tuple[HandledLine, ...]


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str


def mask(address: str) -> str:
    """j***@example.nl: enough to recognise, not enough to copy."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}" if at else "***"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html.j2"]),  # a requester's words must never become markup
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["longdate"] = long_date
    return env


SUBJECTS = {
    "nl": "Privacyverzoeken: {open} open, {overdue} te laat, {drafts} concepten wachten ({day})",
    "en": "Privacy requests: {open} open, {overdue} overdue, {drafts} drafts waiting ({day})",
}


def render_digest(language: str, facts: DigestFacts) -> RenderedDigest:
    """The digest in `language` ('nl' or 'en'), as text and HTML."""
    overdue = sum(1 for line in facts.open_requests if line.days_left < 0)
    subject = SUBJECTS[language].format(
        open=len(facts.open_requests),
        overdue=overdue,
        drafts=len(facts.drafts_waiting),
        day=long_date(facts.made_on, language),
    )
    values = {"facts": facts, "language": language, "overdue": overdue}
    env = _environment()
    return RenderedDigest(
        subject=subject,
        text=env.get_template(f"{language}/digest.txt.j2").render(values),
        html=env.get_template(f"{language}/digest.html.j2").render(values),
    )


REMINDER_SUBJECTS = {
    "nl": {
        "overdue": "TE LAAT: privacyverzoek",
        "due": "Herinnering: privacyverzoek",
        "drafts": "Nieuw concept wacht",
    },
    "en": {
        "overdue": "OVERDUE: privacy request",
        "due": "Reminder: privacy request",
        "drafts": "New draft waiting",
    },
}


def render_reminder(
    language: str, lines: tuple[OpenRequestLine, ...], drafts: tuple[DraftLine, ...]
) -> tuple[str, str]:
    """(subject, text) of a reminder about these requests and/or a notice of new drafts."""
    subjects = REMINDER_SUBJECTS[language]
    if any(line.days_left < 0 for line in lines):
        subject = subjects["overdue"]
    elif lines:
        subject = subjects["due"]
    else:
        subject = subjects["drafts"]
    references = ", ".join([line.reference for line in lines] or [draft.reference for draft in drafts])
    text = (
        _environment()
        .get_template(f"{language}/reminder.txt.j2")
        .render(lines=lines, drafts=drafts, language=language)
    )
    return f"{subject} {references}", text
