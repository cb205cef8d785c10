"""Identify: who is asking, and how sure are we? Decides only; changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.models import Customer


def normalise_address(address: str) -> str:
    """The comparable form of an e-mail address: no surrounding space or brackets, lower case."""
    return address.strip().strip("<>").strip().lower()


@dataclass(frozen=True)
class IdentityVerdict:
    """The outcome of comparing a sender with what we know, with the reasons for the privacy contact."""

    verified: bool
    method: str | None  # e.g. "known-address"; None while unverified
    customer_id: int | None  # primary key of the customer the sender is (or claims to be)
    reasons: tuple[str, ...] = field(default_factory=tuple)


def verify(sender: str, customer: Customer | None) -> IdentityVerdict:
    """A sender equal to a customer's known address (case-insensitive) is verified; anyone else is not."""
    if customer is None:
        return IdentityVerdict(
            verified=False,
            method=None,
            customer_id=None,
            reasons=("the sender's address belongs to no customer; identification is needed",),
        )
    return IdentityVerdict(
        verified=True,
        method="known-address",
        customer_id=customer.id,
        reasons=(f"the sender's address equals the known address of customer {customer.customer_id}",),
    )


def find_customer(session: Session, address: str) -> Customer | None:
    """The customer whose known address is `address`, compared case-insensitively."""
    return session.scalar(
        select(Customer).where(func.lower(Customer.email) == normalise_address(address)).limit(1)
    )
