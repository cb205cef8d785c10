"""Audit events: every step that changes a request writes one. They are never updated or deleted."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from helpdesk.models import AuditEvent, Draft, InboundMail, PrivacyRequest

DAEMON = "helpdesk"  # the actor for what the daemon does by itself


class EventKind(StrEnum):
    MAIL_STORED = "mail_stored"  # raw bytes committed; details: mailbox key
    MAIL_QUARANTINED = "mail_quarantined"  # a step failed; details: error
    MAIL_REQUEUED = "mail_requeued"  # the operator sent a quarantined mail through again
    MAIL_LINKED = "mail_linked"  # a mail joined an existing request (duplicate copy, bounce)
    MAILBOX_RESET = "mailbox_reset"  # UIDVALIDITY changed; the folder is read again by date
    REQUEST_OPENED = "request_opened"  # details: kinds, evidence, language, deadline
    REQUEST_CONFIRMED = "request_confirmed"  # a possible request confirmed by a person; details: kinds
    REQUEST_DISMISSED = "request_dismissed"  # a possible request dismissed by a person; details: reason
    IDENTITY_CHECKED = "identity_checked"  # details: verified, method, authenticated, reasons
    IDENTITY_VERIFIED = "identity_verified"  # later proof: confirmation, order + postcode, ID, authorisation
    IDENTITY_DENIED = "identity_denied"  # the known address answered "I did not send this"
    ID_DOCUMENT_ERASED = "id_document_erased"  # attachment contents removed; only the fact is kept
    FOLLOW_UP_RECEIVED = "follow_up_received"  # a mail joined its request; details: via
    REQUEST_FLAGGED = "request_flagged"  # something for the privacy contact to look at; details: flag, why
    DATA_CHANGED = "data_changed"  # what a request did to the data; details: effect, processors to inform
    REQUEST_EXTENDED = "request_extended"  # details: reason, from, to
    DRAFT_EDITED = "draft_edited"  # the privacy contact changed a draft's text
    DIGEST_SENT = "digest_sent"  # details: message_id, counts
    STATE_CHANGED = "state_changed"  # details: from_state, to_state, why
    DRAFT_CREATED = "draft_created"  # details: purpose, to
    DRAFT_APPROVED = "draft_approved"
    DRAFT_REJECTED = "draft_rejected"  # details: reason
    DRAFT_SENT = "draft_sent"  # details: message_id
    SEND_FAILED = "send_failed"  # details: error, permanent
    DELIVERY_FAILED = "delivery_failed"  # a bounce came back for one of our sent drafts
    CUSTOMERS_IMPORTED = "customers_imported"  # details: counts


def record(
    session: Session,
    kind: EventKind,
    *,
    actor: str = DAEMON,
    request: PrivacyRequest | None = None,
    draft: Draft | None = None,
    mail: InboundMail | None = None,
    **details: object,
) -> AuditEvent:
    """Add one audit event to the session's transaction."""
    event = AuditEvent(
        actor=actor,
        kind=str(kind),
        request_pk=request.id if request is not None else None,
        draft_pk=draft.id if draft is not None else None,
        mail_pk=mail.id if mail is not None else None,
        details=details,
    )
    session.add(event)
    return event


def change_state(session: Session, request: PrivacyRequest, to: str, why: str, actor: str = DAEMON) -> None:
    """Move a request to another state and write the event that says why."""
    before = request.state
    request.state = to
    record(
        session,
        EventKind.STATE_CHANGED,
        actor=actor,
        request=request,
        from_state=before,
        to_state=to,
        why=why,
    )
