"""Read-only views of requests and drafts, as plain dicts: the CLI's tables and --json share them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from helpdesk.config import Config
from helpdesk.deadline import days_left
from helpdesk.models import (
    ENDED_STATES,
    AuditEvent,
    DaemonState,
    Draft,
    DraftState,
    InboundMail,
    MailboxState,
    MailStatus,
    PrivacyRequest,
    RequestState,
    utcnow,
)


def today(config: Config) -> date:
    return utcnow().astimezone(config.tz).date()


def request_summary(request: PrivacyRequest, config: Config) -> dict[str, Any]:
    """The fields DESIGN.md promises for `requests list --json`, plus days left."""
    return {
        "reference": request.reference,
        "state": request.state,
        "kinds": list(request.kinds),
        "requester": request.requester,
        "identity_verified": request.identity_verified,
        "identity_method": request.identity_method,
        "authenticated": request.authenticated,
        "flags": list(request.flags),
        "waiting_for_identity_days": waiting_for_identity_days(request),
        "received_at": request.received_at.isoformat(),
        "deadline": request.deadline.isoformat(),
        "days_left": days_left(request.deadline, today(config)),
        "language": request.language,
        "message_ids": [mail.message_id for mail in request.mails if mail.message_id],
    }


# A request that has waited this long for proof of identity is proposed for closure (digest, show).
CLOSE_AFTER_WAITING_DAYS = 30


def waiting_for_identity_days(request: PrivacyRequest) -> int | None:
    """Whole days the request has waited (or waited) for identity; None when it never had to."""
    if request.awaiting_identity_since is None:
        return None
    until = request.identity_verified_at if request.identity_verified else None
    return ((until or utcnow()) - request.awaiting_identity_since).days


def list_requests(session: Session, config: Config, state: str | None = None) -> list[dict[str, Any]]:
    """Requests, the most urgent first."""
    query = (
        select(PrivacyRequest)
        .options(selectinload(PrivacyRequest.mails))
        .order_by(PrivacyRequest.deadline, PrivacyRequest.reference)
    )
    if state:
        query = query.where(PrivacyRequest.state == state)
    return [request_summary(request, config) for request in session.scalars(query)]


def request_details(session: Session, config: Config, reference: str) -> dict[str, Any] | None:
    """One request with its reasons, mails, drafts and audit trail."""
    request = session.scalar(select(PrivacyRequest).where(PrivacyRequest.reference == reference))
    if request is None:
        return None
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.request_pk == request.id).order_by(AuditEvent.at, AuditEvent.id)
    )
    return {
        **request_summary(request, config),
        "requester_name": request.requester_name,
        "customer_id": request.customer.customer_id if request.customer else None,
        "likely_customer_id": request.likely_customer.customer_id if request.likely_customer else None,
        "related_request": request.related_request.reference if request.related_request else None,
        "proposed_for_closure": proposed_for_closure(request),
        "identity_reasons": list(request.identity_reasons),
        "mails": [
            {
                "id": mail.id,
                "message_id": mail.message_id,
                "subject": mail.subject,
                "received_at": mail.received_at.isoformat(),
                "flags": list(mail.flags),
                "evidence": (mail.classification or {}).get("evidence", []),
            }
            for mail in request.mails
        ],
        "drafts": [draft_summary(draft) for draft in request.drafts],
        "events": [
            {
                "at": event.at.isoformat(),
                "actor": event.actor,
                "kind": event.kind,
                "details": event.details,
            }
            for event in events
        ],
    }


def proposed_for_closure(request: PrivacyRequest) -> bool:
    """Waiting for proof of identity for 30 days or more: the privacy contact may close it."""
    waited = waiting_for_identity_days(request)
    return (
        request.state == RequestState.AWAITING_IDENTITY
        and waited is not None
        and waited >= CLOSE_AFTER_WAITING_DAYS
    )


def draft_summary(draft: Draft) -> dict[str, Any]:
    """The fields DESIGN.md promises for `drafts list --json`."""
    return {
        "id": draft.id,
        "request": draft.request.reference,
        "state": draft.state,
        "purpose": draft.purpose,
        "to": draft.to_address,
        "subject": draft.subject,
        "language": draft.language,
        "message_id": draft.message_id,
        "created_at": draft.created_at.isoformat(),
        "sent_at": draft.sent_at.isoformat() if draft.sent_at else None,
        "needs_attention": draft.needs_attention,
        "last_error": draft.last_error,
    }


def list_drafts(session: Session, state: str | None = None) -> list[dict[str, Any]]:
    query = select(Draft).options(selectinload(Draft.request)).order_by(Draft.id)
    if state:
        query = query.where(Draft.state == state)
    return [draft_summary(draft) for draft in session.scalars(query)]


def list_quarantine(session: Session) -> list[dict[str, Any]]:
    """Mails that could not be handled, with the error, for the operator."""
    query = select(InboundMail).where(InboundMail.status == MailStatus.QUARANTINED).order_by(InboundMail.id)
    return [
        {
            "id": mail.id,
            "received_at": mail.received_at.isoformat(),
            "size": mail.size,
            "message_id": mail.message_id,
            "error": mail.error,
            "attempts": mail.attempts,
        }
        for mail in session.scalars(query)
    ]


REGISTER_COLUMNS = (
    "reference",
    "kinds",
    "received",
    "deadline",
    "answered",
    "outcome",
    "identity",
    "requester",
)


def register_rows(session: Session, config: Config) -> list[dict[str, str]]:
    """The register of handled requests (the policy's "administratie van afgehandelde verzoeken"):
    every request that is answered or ended. For an erasure only anonymised data: no requester."""
    handled = [RequestState.ANSWERED, *ENDED_STATES]
    rows = []
    for request in session.scalars(
        select(PrivacyRequest).where(PrivacyRequest.state.in_(handled)).order_by(PrivacyRequest.reference)
    ):
        erased = "erasure" in request.kinds
        rows.append(
            {
                "reference": request.reference,
                "kinds": " ".join(request.kinds),
                "received": request.received_at.astimezone(config.tz).date().isoformat(),
                "deadline": request.deadline.isoformat(),
                "answered": request.answered_at.astimezone(config.tz).date().isoformat()
                if request.answered_at
                else "",
                "outcome": request.state,
                "identity": request.identity_method or "",
                "requester": "(anonymised: erasure)" if erased else request.requester,
            }
        )
    return rows


def status(session: Session, config: Config) -> dict[str, Any]:
    """How the helpdesk is doing, at a glance: the daemon, the mailbox, the backlog, the drafts."""
    daemon = session.get(DaemonState, 1)
    mailboxes = session.scalars(select(MailboxState).order_by(MailboxState.mailbox)).all()
    count = lambda query: session.scalar(select(func.count()).select_from(query.subquery())) or 0  # noqa: E731
    open_requests = select(PrivacyRequest).where(
        PrivacyRequest.state.not_in([RequestState.ANSWERED, *ENDED_STATES])
    )
    now_day = today(config)
    return {
        "daemon": {
            "holder": daemon.holder if daemon else None,
            "heartbeat_at": _iso(daemon.heartbeat_at if daemon else None),
            "last_pass_at": _iso(daemon.last_pass_at if daemon else None),
            "last_pass": daemon.last_pass if daemon else None,
            "last_error": daemon.last_error if daemon else None,
        },
        "mailboxes": [
            {
                "mailbox": state.mailbox,
                "last_contact_at": _iso(state.last_checked_at),
                "last_uid": state.last_uid,
                "last_error": state.last_error,
            }
            for state in mailboxes
        ],
        "backlog": {
            "waiting": count(select(InboundMail).where(InboundMail.status == MailStatus.RECEIVED)),
            "quarantined": count(select(InboundMail).where(InboundMail.status == MailStatus.QUARANTINED)),
        },
        "requests": {
            "open": count(open_requests),
            "overdue": count(open_requests.where(PrivacyRequest.deadline < now_day)),
            "awaiting_identity": count(
                open_requests.where(PrivacyRequest.state == RequestState.AWAITING_IDENTITY)
            ),
            "possible": count(open_requests.where(PrivacyRequest.state == RequestState.POSSIBLE)),
        },
        "drafts": {
            "waiting_for_approval": count(select(Draft).where(Draft.state == DraftState.PENDING)),
            "approved_not_sent": count(select(Draft).where(Draft.state == DraftState.APPROVED)),
            "need_attention": count(select(Draft).where(Draft.needs_attention.is_(True))),
        },
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
