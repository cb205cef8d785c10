"""Review: the privacy contact approves or rejects drafts. Identity is checked on every path."""

from __future__ import annotations

from sqlalchemy.orm import Session

from helpdesk.errors import ReviewError
from helpdesk.events import EventKind, record
from helpdesk.identity import normalise_address
from helpdesk.models import Draft, DraftPurpose, DraftState, RequestState, utcnow

_ENDED = {
    RequestState.CLOSED,
    RequestState.REJECTED,
    RequestState.WITHDRAWN,
    RequestState.DISMISSED,
}


def check_sendable(draft: Draft) -> str | None:
    """Why this draft must not go out, or None. Asked at approval and again just before sending."""
    request = draft.request
    if request.state in _ENDED:
        return f"request {request.reference} is {request.state}"
    if draft.purpose == DraftPurpose.ANSWER or draft.carries_personal_data:
        # No answer and no data without established identity (GHSA-qx5f-ghc2-7g5c).
        if not request.identity_verified or request.customer is None:
            return f"the identity of the requester of {request.reference} is not established"
        if normalise_address(draft.to_address) != normalise_address(request.customer.email):
            return "an answer may only go to the customer's known address"
    return None


def get_draft(session: Session, draft_id: int) -> Draft:
    draft = session.get(Draft, draft_id)
    if draft is None:
        raise ReviewError(f"there is no draft {draft_id}")
    return draft


def approve(session: Session, draft_id: int, by: str) -> Draft:
    """Approve a pending draft; the next outbox pass sends it."""
    draft = get_draft(session, draft_id)
    if draft.state != DraftState.PENDING:
        raise ReviewError(f"draft {draft_id} is {draft.state}; only a pending draft can be approved")
    problem = check_sendable(draft)
    if problem:
        raise ReviewError(f"draft {draft_id} cannot be approved: {problem}")
    draft.state = DraftState.APPROVED
    draft.reviewed_by, draft.reviewed_at = by, utcnow()
    record(session, EventKind.DRAFT_APPROVED, actor=by, request=draft.request, draft=draft)
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
