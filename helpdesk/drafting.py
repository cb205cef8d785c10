"""Draft: turn a request into a reply waiting for approval, using the pure `replies` package."""

from __future__ import annotations

from email.utils import parseaddr

from sqlalchemy.orm import Session

from classifiers import dutch_or_english
from helpdesk.config import Config
from helpdesk.events import EventKind, record
from helpdesk.models import Customer, Draft, DraftPurpose, DraftState, InboundMail, PrivacyRequest
from helpdesk.own_mail import new_message_id
from replies import CustomerFacts, OrderFacts, ReplyFacts, render

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
    )


def create_draft(
    session: Session,
    config: Config,
    request: PrivacyRequest,
    purpose: DraftPurpose,
    mail: InboundMail,
) -> Draft:
    """Render and store a pending draft replying to `mail`; its Message-ID is fixed now."""
    language = dutch_or_english(request.language)
    customer = request.customer if purpose == DraftPurpose.ANSWER else None
    facts = ReplyFacts(
        organisation=config.organisation.name,
        privacy_contact=parseaddr(config.organisation.privacy_contact)[0] or config.organisation.name,
        reference=request.reference,
        kinds=tuple(request.kinds),
        received=request.received_at.astimezone(config.tz).date(),
        deadline=request.deadline,
        requester_name=request.requester_name,
        customer=customer_facts(customer, config) if customer is not None else None,
    )
    rendered = render(str(purpose), language, facts, mail.subject or "")
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
        carries_personal_data=customer is not None and bool(DATA_BEARING_KINDS & set(request.kinds)),
        message_id=new_message_id(config.message_id_domain),
        in_reply_to=mail.message_id,
        references=[*mail.references, mail.message_id] if mail.message_id else list(mail.references),
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
    )
    return draft
