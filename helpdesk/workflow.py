"""Workflow: decide what a mail means for the requests, then apply that decision.

`decide` is pure: from what intake, the classifier and the identity check found, it returns a
Decision with its reasons. `apply` is the only place that opens requests and queues drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from classifiers import Classification
from helpdesk.config import Config
from helpdesk.deadline import deadline
from helpdesk.drafting import create_draft
from helpdesk.events import EventKind, change_state, record
from helpdesk.identity import IdentityVerdict
from helpdesk.intake import Inbound
from helpdesk.models import (
    DraftPurpose,
    InboundMail,
    MailStatus,
    PrivacyRequest,
    RequestState,
    utcnow,
)


@dataclass(frozen=True)
class Decision:
    """What to do with one mail, and why."""

    mail_status: MailStatus
    open_request: bool
    reasons: tuple[str, ...]


def decide(inbound: Inbound, classification: Classification) -> Decision:
    """Open a request for anything that reads as a rights request; label everything else."""
    if classification.is_request:
        reasons = [f"classified as {', '.join(classification.kinds)}"]
        if inbound.flags & {"auto-reply", "bulk"}:
            # Headers decide whether we answer automatically, never whether we read (FreeScout #2833).
            reasons.append("carries automatic/bulk headers; opened anyway, a person approves every reply")
        return Decision(MailStatus.PROCESSED, open_request=True, reasons=tuple(reasons))
    status = MailStatus.AUTOMATIC if inbound.is_automatic else MailStatus.PROCESSED
    return Decision(status, open_request=False, reasons=("not a rights request",))


def next_reference(session: Session, year: int) -> str:
    """The next free reference of `year`, like PR-2026-0001."""
    prefix = f"PR-{year}-"
    last = session.scalar(
        select(func.max(PrivacyRequest.reference)).where(PrivacyRequest.reference.like(f"{prefix}%"))
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def open_request(
    session: Session,
    config: Config,
    mail: InboundMail,
    inbound: Inbound,
    classification: Classification,
    verdict: IdentityVerdict,
) -> PrivacyRequest:
    """Open a request for `mail`, check identity, and queue the first draft."""
    received_at: datetime = mail.received_at
    request = PrivacyRequest(
        reference=next_reference(session, received_at.astimezone(config.tz).year),
        state=RequestState.NEW,
        kinds=[str(kind) for kind in classification.kinds],
        language=classification.language,
        requester=inbound.from_address,
        requester_name=inbound.from_name or None,
        customer_pk=verdict.customer_id,
        received_at=received_at,
        deadline=deadline(received_at, config.tz),
    )
    session.add(request)
    session.flush()
    mail.request = request
    record(
        session,
        EventKind.REQUEST_OPENED,
        request=request,
        mail=mail,
        kinds=request.kinds,
        language=request.language,
        evidence=[item.to_json() for item in classification.evidence],
        deadline=request.deadline.isoformat(),
    )
    request.identity_verified = verdict.verified
    request.identity_method = verdict.method
    request.identity_reasons = list(verdict.reasons)
    if verdict.verified:
        request.identity_verified_at = utcnow()
    record(
        session,
        EventKind.IDENTITY_CHECKED,
        request=request,
        verified=verdict.verified,
        method=verdict.method,
        reasons=list(verdict.reasons),
    )
    session.refresh(request, ["customer"])
    if verdict.verified:
        change_state(
            session,
            request,
            RequestState.IN_PROGRESS,
            "identity established: " + verdict.reasons[0],
        )
        create_draft(session, config, request, DraftPurpose.ANSWER, mail)
    else:
        change_state(
            session,
            request,
            RequestState.AWAITING_IDENTITY,
            "sender not known; asking for identification",
        )
        create_draft(session, config, request, DraftPurpose.IDENTITY, mail)
    return request
