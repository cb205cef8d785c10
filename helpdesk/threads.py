"""Follow-ups: which open request does a mail answer? Finds; changes nothing.

In order of trust: a Message-ID of one of our own drafts in In-Reply-To/References (random, so
only someone who received our mail knows it), a Message-ID of one of the request's mails, and
the reference in the subject ("[PR-2026-0001]"). A match joins the request only when the sender
is that request's requester: a stranger quoting someone else's reference must never see into
their request (Zammad #5064), so such a mail opens a request of its own, flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.identity import find_customer, is_known_address, normalise_address
from helpdesk.intake import Inbound
from helpdesk.models import Draft, DraftPurpose, InboundMail, PrivacyRequest

REFERENCE = re.compile(r"\bPR-\d{4}-\d{4,}\b")


@dataclass(frozen=True)
class ThreadMatch:
    request: PrivacyRequest
    via: str  # "our-draft", "request-mail" or "subject-reference"
    draft: Draft | None  # our draft the mail replies to, when it names one
    same_sender: bool  # the sender is the request's requester (or one of its customer's known addresses)
    # Our identity question answered from a customer's known address: "send it again from the
    # address we know", as the question asks. A new request of its own, linked, not a stranger's.
    resent_from_known_address: bool = False


def find_thread(session: Session, inbound: Inbound) -> ThreadMatch | None:
    """The request `inbound` follows up on, and how we know; None for a mail that starts something new."""
    ids = [*inbound.references, *([inbound.in_reply_to] if inbound.in_reply_to else [])]
    if ids:
        draft = session.scalars(
            select(Draft).where(Draft.message_id.in_(ids)).order_by(Draft.id.desc())
        ).first()
        if draft is not None:
            return _match(session, draft.request, "our-draft", draft, inbound)
        earlier = session.scalars(
            select(InboundMail)
            .where(InboundMail.message_id.in_(ids), InboundMail.request_pk.is_not(None))
            .order_by(InboundMail.id.desc())
        ).first()
        if earlier is not None and earlier.request is not None:
            return _match(session, earlier.request, "request-mail", None, inbound)
    found = REFERENCE.search(inbound.subject)
    if found:
        request = session.scalar(select(PrivacyRequest).where(PrivacyRequest.reference == found.group()))
        if request is not None:
            return _match(session, request, "subject-reference", None, inbound)
    return None


def _match(
    session: Session, request: PrivacyRequest, via: str, draft: Draft | None, inbound: Inbound
) -> ThreadMatch:
    same = is_requester(request, inbound.from_address)
    resent = (
        not same
        and draft is not None
        and draft.purpose == DraftPurpose.IDENTITY
        and find_customer(session, inbound.from_address) is not None
    )
    return ThreadMatch(request, via, draft, same, resent)


def is_requester(request: PrivacyRequest, address: str) -> bool:
    """True when `address` is the request's requester, or a known address of its verified customer."""
    if normalise_address(address) == normalise_address(request.requester):
        return True
    customer = request.customer if request.identity_verified else None
    return customer is not None and is_known_address(customer, address)
