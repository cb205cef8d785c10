"""The database tables, SQLAlchemy 2.0 style. Alembic migrations in helpdesk/migrations own the schema.

Times are stored as UTC without a zone (SQLite drops zones) and come back as aware UTC datetimes;
convert to the organisation's time zone only where a person reads them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.ext.mutable import MutableDict, MutableList
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, naive UTC in the column."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime, date: Date}


class RequestState(StrEnum):
    POSSIBLE = "possible"
    NEW = "new"
    AWAITING_IDENTITY = "awaiting_identity"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CLOSED = "closed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DISMISSED = "dismissed"


# A request in one of these states is over: nothing more is drafted or sent for it.
ENDED_STATES = frozenset(
    {RequestState.CLOSED, RequestState.REJECTED, RequestState.WITHDRAWN, RequestState.DISMISSED}
)


class DraftState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SENT = "sent"
    REJECTED = "rejected"


class DraftPurpose(StrEnum):
    ANSWER = "answer"
    IDENTITY = "identity"
    CONFIRMATION = "confirmation"  # "did you send this?", to the known address, before any change
    AUTHORISATION = "authorisation"  # someone asks on another's behalf: ask for a signed authorisation
    EXTENSION = "extension"


class MailStatus(StrEnum):
    """What intake made of a stored mail."""

    RECEIVED = "received"  # stored, not yet through the pipeline
    PROCESSED = "processed"  # went through every step
    QUARANTINED = "quarantined"  # a step failed; kept with its error for the operator
    DUPLICATE = "duplicate"  # the same mail was already stored (Message-ID and content)
    AUTOMATIC = "automatic"  # auto-reply: read, never answered, never opens a request
    BOUNCE = "bounce"  # delivery failure report
    OWN = "own"  # mail we sent ourselves, looped back
    FOLLOW_UP = "follow_up"  # joined the request it answers (thread or subject reference)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320), index=True)  # the known address, normalised
    name: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(20))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(50))
    newsletter: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime | None]
    last_contact_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The policy's promises, as marks every system that uses the profile must respect:
    processing_stopped_at: Mapped[datetime | None]  # objection: stopped at once, pending handling
    restricted_at: Mapped[datetime | None]  # restriction: from the approval on
    anonymised_at: Mapped[datetime | None]  # erasure or retention: only invoices remain (orders)

    orders: Mapped[list[Order]] = relationship(back_populates="customer", order_by="Order.ordered_at")
    earlier_addresses: Mapped[list[KnownAddress]] = relationship(
        back_populates="customer", order_by="KnownAddress.added_at"
    )


class KnownAddress(Base):
    """An earlier address of a customer (import, or a past rectification): it still counts as known."""

    __tablename__ = "known_addresses"
    __table_args__ = (UniqueConstraint("customer_pk", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_pk: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    address: Mapped[str] = mapped_column(String(320), index=True)  # normalised
    source: Mapped[str] = mapped_column(String(30))  # "import" or "rectification"
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    customer: Mapped[Customer] = relationship(back_populates="earlier_addresses")


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(String(64), unique=True)
    customer_pk: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    ordered_at: Mapped[datetime | None]
    total: Mapped[str | None] = mapped_column(String(32))  # as the shop wrote it; never rounded
    status: Mapped[str | None] = mapped_column(String(32))

    customer: Mapped[Customer] = relationship(back_populates="orders")


class InboundMail(Base):
    """A mail as it arrived: raw bytes first, then what intake read from it."""

    __tablename__ = "inbound_mails"
    __table_args__ = (UniqueConstraint("mailbox", "uidvalidity", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(500))
    uidvalidity: Mapped[int] = mapped_column(Integer)
    source_key: Mapped[str] = mapped_column(String(255))  # IMAP UID or Maildir key
    received_at: Mapped[datetime]  # INTERNALDATE: the legal clock starts here
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20), default=MailStatus.RECEIVED, index=True)
    flags: Mapped[list[str]] = mapped_column(MutableList.as_mutable(JSON), default=list)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)

    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    from_address: Mapped[str | None] = mapped_column(String(320))
    from_name: Mapped[str | None] = mapped_column(String(200))
    reply_to: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    date_header: Mapped[datetime | None]
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[list[str]] = mapped_column(MutableList.as_mutable(JSON), default=list)
    text: Mapped[str | None] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(MutableList.as_mutable(JSON), default=list)
    classification: Mapped[dict[str, Any] | None] = mapped_column(MutableDict.as_mutable(JSON))
    request_pk: Mapped[int | None] = mapped_column(ForeignKey("privacy_requests.id"), index=True)

    request: Mapped[PrivacyRequest | None] = relationship(back_populates="mails")


class PrivacyRequest(Base):
    __tablename__ = "privacy_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    state: Mapped[str] = mapped_column(String(20), index=True)
    kinds: Mapped[list[str]] = mapped_column(MutableList.as_mutable(JSON), default=list)
    language: Mapped[str] = mapped_column(String(8))
    requester: Mapped[str] = mapped_column(String(320))  # the sender's address, never Reply-To
    requester_name: Mapped[str | None] = mapped_column(String(200))
    customer_pk: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    identity_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    identity_method: Mapped[str | None] = mapped_column(String(50))
    identity_reasons: Mapped[list[str]] = mapped_column(MutableList.as_mutable(JSON), default=list)
    identity_verified_at: Mapped[datetime | None]
    # None: no Authentication-Results from our own server; else whether the sender was authenticated.
    authenticated: Mapped[bool | None] = mapped_column(Boolean)
    awaiting_identity_since: Mapped[datetime | None]  # shown beside the deadline, never instead of it
    # For the privacy contact: "on-behalf", "forwarded", "plus-address", "foreign-reference", ...
    flags: Mapped[list[str]] = mapped_column(MutableList.as_mutable(JSON), default=list)
    likely_customer_pk: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
    related_request_pk: Mapped[int | None] = mapped_column(ForeignKey("privacy_requests.id"))
    # Rectification: [{"field", "old", "new"}], proposed from the mail, edited by the privacy contact.
    changes: Mapped[list[dict[str, str]]] = mapped_column(MutableList.as_mutable(JSON), default=list)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    first_deadline: Mapped[date | None]  # the deadline before an extension
    anonymised_at: Mapped[datetime | None]  # erasure done: the request keeps no personal data
    received_at: Mapped[datetime]
    deadline: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    answered_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    customer: Mapped[Customer | None] = relationship(foreign_keys=[customer_pk])
    likely_customer: Mapped[Customer | None] = relationship(foreign_keys=[likely_customer_pk])
    related_request: Mapped[PrivacyRequest | None] = relationship(remote_side=[id])
    mails: Mapped[list[InboundMail]] = relationship(
        back_populates="request", order_by="InboundMail.received_at"
    )
    drafts: Mapped[list[Draft]] = relationship(back_populates="request", order_by="Draft.id")


class Draft(Base):
    """A reply waiting for, or past, the privacy contact's approval."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_pk: Mapped[int] = mapped_column(ForeignKey("privacy_requests.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=DraftState.PENDING, index=True)
    language: Mapped[str] = mapped_column(String(8))
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    carries_personal_data: Mapped[bool] = mapped_column(Boolean, default=False)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)  # fixed at creation: never sent twice
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references: Mapped[list[str]] = mapped_column(MutableList.as_mutable(JSON), default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None]
    reject_reason: Mapped[str | None] = mapped_column(Text)
    send_started_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    needs_attention: Mapped[bool] = mapped_column(Boolean, default=False)

    request: Mapped[PrivacyRequest] = relationship(back_populates="drafts")
    attachments: Mapped[list[DraftAttachment]] = relationship(
        back_populates="draft", order_by="DraftAttachment.id", cascade="all, delete-orphan"
    )


class DraftAttachment(Base):
    """A file a draft carries (the data export of an access or portability answer)."""

    __tablename__ = "draft_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_pk: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # None once retention purged it
    size: Mapped[int] = mapped_column(Integer)

    draft: Mapped[Draft] = relationship(back_populates="attachments")


class AuditEvent(Base):
    """Who did what when; never updated or deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(50), index=True)
    request_pk: Mapped[int | None] = mapped_column(ForeignKey("privacy_requests.id"), index=True)
    draft_pk: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"))
    mail_pk: Mapped[int | None] = mapped_column(ForeignKey("inbound_mails.id"))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MailboxState(Base):
    """Where we are in one mailbox folder: UIDVALIDITY and the highest UID handled."""

    __tablename__ = "mailbox_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(500), unique=True)
    uidvalidity: Mapped[int | None] = mapped_column(Integer)  # None until the first pass completes
    last_uid: Mapped[int] = mapped_column(Integer, default=0)
    first_seen_at: Mapped[datetime] = mapped_column(
        default=utcnow
    )  # the first-run window counts back from here
    last_checked_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class DaemonState(Base):
    """One row: which daemon holds this database (the lock) and its heartbeat, for `helpdesk status`."""

    __tablename__ = "daemon_state"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    holder: Mapped[str | None] = mapped_column(String(200))  # "host:pid" while a daemon runs
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    last_pass_at: Mapped[datetime | None]
    last_pass: Mapped[str | None] = mapped_column(Text)  # the last pass's report, counts only
    last_error: Mapped[str | None] = mapped_column(Text)


class NoticeSent(Base):
    """A scheduled mail to the privacy contact that went out (digest of a week, one reminder of a
    request): the key makes a restart never send it twice."""

    __tablename__ = "notices_sent"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)  # e.g. "digest:2026-W48"
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
