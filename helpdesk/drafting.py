"""Draft: turn a request into a reply waiting for approval, using the pure `replies` package."""

from __future__ import annotations

from dataclasses import replace
from email.utils import parseaddr
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from classifiers import dutch_or_english
from helpdesk.config import Config
from helpdesk.events import EventKind, record
from helpdesk.models import (
    Customer,
    Draft,
    DraftAttachment,
    DraftPurpose,
    DraftState,
    InboundMail,
    PrivacyRequest,
    utcnow,
)
from helpdesk.own_mail import new_message_id
from replies import CustomerFacts, OrderFacts, RenderedReply, ReplyFacts, render
from replies.export import ExportFile, access_files, export_data, json_file
from replies.render import ChangeFacts, EarlierRequestFacts, ProcessorFacts

# Answers to these kinds show the person's data, so they may only ever go to the known address.
DATA_BEARING_KINDS = {"access", "portability"}


def customer_facts(customer: Customer, config: Config) -> CustomerFacts:
    """What we hold about a customer, as plain values a template may show."""
    return CustomerFacts(
        customer_id=customer.customer_id,
        email=customer.email,
        name=customer.name,
        street=customer.street,
        postcode=customer.postcode,
        city=customer.city,
        country=customer.country,
        phone=customer.phone,
        newsletter=customer.newsletter,
        orders=tuple(
            OrderFacts(
                order_number=order.order_number,
                ordered_on=order.ordered_at.astimezone(config.tz).date() if order.ordered_at else None,
                total=order.total,
                status=order.status,
            )
            for order in customer.orders
        ),
        earlier_emails=tuple(known.address for known in customer.earlier_addresses),
    )


def processor_facts(config: Config, language: str) -> tuple[ProcessorFacts, ...]:
    """The processors register, in the reply's language."""
    return tuple(
        ProcessorFacts(
            name=p.name,
            service=p.service_nl if language == "nl" else p.service_en,
            categories=p.categories,
            purpose=p.purpose_nl if language == "nl" else p.purpose_en,
            retention=p.retention_nl if language == "nl" else p.retention_en,
            informed_of=p.informed_of,
        )
        for p in config.processors
    )


def earlier_request_facts(
    session: Session, customer: Customer, config: Config
) -> tuple[EarlierRequestFacts, ...]:
    """Every privacy request of this customer, this one included."""
    requests = session.scalars(
        select(PrivacyRequest)
        .where(PrivacyRequest.customer_pk == customer.id)
        .order_by(PrivacyRequest.received_at)
    )
    return tuple(
        EarlierRequestFacts(r.reference, tuple(r.kinds), r.received_at.astimezone(config.tz).date(), r.state)
        for r in requests
    )


def reply_facts(
    session: Session, config: Config, request: PrivacyRequest, purpose: DraftPurpose, **more: Any
) -> ReplyFacts:
    """What the templates may use for this request: the customer's data only in an answer."""
    language = dutch_or_english(request.language)
    customer = request.customer if purpose == DraftPurpose.ANSWER else None
    return ReplyFacts(
        organisation=config.organisation.name,
        privacy_contact=parseaddr(config.organisation.privacy_contact)[0] or config.organisation.name,
        reference=request.reference,
        kinds=tuple(request.kinds),
        received=request.received_at.astimezone(config.tz).date(),
        deadline=request.deadline,
        requester_name=request.requester_name,
        customer=customer_facts(customer, config) if customer is not None else None,
        processors=processor_facts(config, language),
        earlier_requests=earlier_request_facts(session, customer, config) if customer is not None else (),
        changes=tuple(ChangeFacts(c["field"], c["old"], c["new"]) for c in request.changes),
        **more,
    )


def export_files(facts: ReplyFacts, config: Config) -> tuple[ExportFile, ...]:
    """The machine-readable copy an answer carries: JSON + CSV for access, JSON for portability."""
    if facts.customer is None or not DATA_BEARING_KINDS & set(facts.kinds):
        return ()
    data = export_data(
        facts.customer,
        facts.earlier_requests,
        facts.processors,
        facts.organisation,
        utcnow().astimezone(config.tz).date(),
    )
    if "access" in facts.kinds:
        return access_files(data, facts.reference)
    return (json_file(data, facts.reference),)


def _compose(
    session: Session,
    config: Config,
    request: PrivacyRequest,
    purpose: DraftPurpose,
    subject: str,
    **more: Any,
) -> tuple[RenderedReply, list[DraftAttachment]]:
    """The text of a draft and the files it carries (the data export of an answer)."""
    facts = reply_facts(session, config, request, purpose, **more)
    files = export_files(facts, config) if purpose == DraftPurpose.ANSWER else ()
    facts = replace(facts, attachments=tuple(file.filename for file in files))
    rendered = render(str(purpose), dutch_or_english(request.language), facts, subject)
    attachments = [
        DraftAttachment(
            filename=f.filename, content_type=f.content_type, content=f.content, size=len(f.content)
        )
        for f in files
    ]
    return rendered, attachments


def create_draft(
    session: Session,
    config: Config,
    request: PrivacyRequest,
    purpose: DraftPurpose,
    mail: InboundMail,
    **more: Any,
) -> Draft:
    """Render and store a pending draft replying to `mail`; its Message-ID is fixed now."""
    language = dutch_or_english(request.language)
    rendered, attachments = _compose(session, config, request, purpose, mail.subject or "", **more)
    # Always the requester's own address (a known one, or one identity was proven for): never a
    # Reply-To, never an address from the text. review.check_sendable checks it again.
    to_address = request.requester
    draft = Draft(
        request=request,
        purpose=str(purpose),
        state=DraftState.PENDING,
        language=language,
        to_address=to_address,
        subject=rendered.subject,
        body=rendered.body,
        carries_personal_data=bool(attachments),
        message_id=new_message_id(config.message_id_domain),
        in_reply_to=mail.message_id,
        references=[*mail.references, mail.message_id] if mail.message_id else list(mail.references),
        attachments=attachments,
    )
    session.add(draft)
    session.flush()
    record(
        session,
        EventKind.DRAFT_CREATED,
        request=request,
        draft=draft,
        purpose=str(purpose),
        to=to_address,
        attachments=[attachment.filename for attachment in attachments],
    )
    return draft


def rerender(session: Session, config: Config, draft: Draft, by: str) -> None:
    """Render a pending draft again from the request as it is now (after `requests change`)."""
    request = draft.request
    rendered, draft.attachments = _compose(
        session, config, request, DraftPurpose(draft.purpose), request.mails[0].subject or ""
    )
    draft.body = rendered.body
    record(session, EventKind.DRAFT_EDITED, actor=by, request=request, draft=draft, how="rendered again")
