"""Review: the privacy contact approves or rejects drafts. Identity is checked on every path."""

from __future__ import annotations

from sqlalchemy.orm import Session

from helpdesk.config import Config
from helpdesk.effects import on_approval
from helpdesk.errors import ReviewError
from helpdesk.events import EventKind, record
from helpdesk.identity import PROVES_REQUESTER, is_known_address, normalise_address
from helpdesk.models import ENDED_STATES, Draft, DraftPurpose, DraftState, utcnow


def check_sendable(draft: Draft) -> str | None:
    """Why this draft must not go out, or None. Asked at approval and again just before sending."""
    request = draft.request
    if request.state in ENDED_STATES:
        return f"request {request.reference} is {request.state}"
    if normalise_address(draft.to_address) != normalise_address(request.requester):
        return "a reply goes only to the requester's own address, never to a Reply-To or another address"
    first = request.first_deadline
    if draft.purpose == DraftPurpose.EXTENSION and first is not None and utcnow().date() > first:
        return f"an extension must reach the requester by {first}, the end of the first period"
    if any(attachment.content is None for attachment in draft.attachments):
        return "an attachment of this draft was purged by retention; draft the answer again"
    if draft.purpose == DraftPurpose.ANSWER or draft.carries_personal_data:
        # No answer and no data without established identity (GHSA-qx5f-ghc2-7g5c).
        if not request.identity_verified:
            return f"the identity of the requester of {request.reference} is not established"
        customer = request.customer
        rests_on_address = (
            customer is not None
            and customer.anonymised_at is None  # erased on approval: the confirmation still goes out
            and request.identity_method not in PROVES_REQUESTER
        )
        if rests_on_address and not is_known_address(customer, draft.to_address):  # type: ignore[arg-type]
            return "an answer may only go to the customer's known address"
    return None


def get_draft(session: Session, draft_id: int) -> Draft:
    draft = session.get(Draft, draft_id)
    if draft is None:
        raise ReviewError(f"there is no draft {draft_id}")
    return draft


def pending_draft(session: Session, draft_id: int) -> Draft:
    """A draft that may still be edited or approved."""
    draft = get_draft(session, draft_id)
    if draft.state != DraftState.PENDING:
        raise ReviewError(f"draft {draft_id} is {draft.state}; only a pending draft can be edited")
    return draft


def edit_body(session: Session, draft_id: int, body: str, by: str) -> None:
    """Replace a pending draft's text; an audit event keeps who did."""
    draft = pending_draft(session, draft_id)
    if body.strip() and body != draft.body:
        draft.body = body
        record(
            session,
            EventKind.DRAFT_EDITED,
            actor=by,
            request=draft.request,
            draft=draft,
            how="edited by hand",
        )


def approve(session: Session, draft_id: int, by: str, config: Config) -> Draft:
    """Approve a pending draft; the next outbox pass sends it. Approving an answer carries out
    what it says was done (helpdesk/effects.py)."""
    draft = get_draft(session, draft_id)
    if draft.state != DraftState.PENDING:
        raise ReviewError(f"draft {draft_id} is {draft.state}; only a pending draft can be approved")
    problem = check_sendable(draft)
    if problem:
        raise ReviewError(f"draft {draft_id} cannot be approved: {problem}")
    draft.state = DraftState.APPROVED
    draft.reviewed_by, draft.reviewed_at = by, utcnow()
    record(session, EventKind.DRAFT_APPROVED, actor=by, request=draft.request, draft=draft)
    if draft.purpose == DraftPurpose.ANSWER:
        on_approval(session, config, draft.request, by)
    return draft


def reject(session: Session, draft_id: int, by: str, reason: str) -> Draft:
    """Reject a pending or approved (not yet sent) draft, with the reason."""
    draft = get_draft(session, draft_id)
    if draft.state not in {DraftState.PENDING, DraftState.APPROVED}:
        raise ReviewError(f"draft {draft_id} is {draft.state}; it can no longer be rejected")
    if draft.send_started_at is not None:
        raise ReviewError(f"draft {draft_id} is being sent right now")
    if not reason.strip():
        raise ReviewError("a rejection needs a reason")
    draft.state = DraftState.REJECTED
    draft.reviewed_by, draft.reviewed_at, draft.reject_reason = by, utcnow(), reason
    record(
        session,
        EventKind.DRAFT_REJECTED,
        actor=by,
        request=draft.request,
        draft=draft,
        reason=reason,
    )
    return draft
