"""Identify: who is asking, and how sure are we?

The policy: copies of data go only to the address we know; another address needs identification.
`establish` decides (pure: plain values in, a verdict with its reasons out); the lookups below it
only read the customer data. Nothing here changes the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from email.utils import parseaddr
from encodings import idna

import authres
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from helpdesk.models import Customer, KnownAddress, Order

# Requests that change or delete data: from an unauthenticated sender they are first confirmed
# at the known address, because a forged From could otherwise erase someone's account.
CHANGES_DATA = frozenset({"erasure", "rectification", "restriction", "objection"})

# How identity was established (PrivacyRequest.identity_method). The last three prove who the
# requester is whatever address they wrote from; the first three rest on the known address.
AUTHENTICATED_KNOWN_ADDRESS = "authenticated-known-address"
KNOWN_ADDRESS = "known-address"
CONFIRMED_BY_REPLY = "confirmed-by-reply"
ORDER_AND_POSTCODE = "order-number-and-postcode"
ID_DOCUMENT = "id-document"
AUTHORISATION = "authorisation"
PROVES_REQUESTER = frozenset({ORDER_AND_POSTCODE, ID_DOCUMENT, AUTHORISATION})
MANUAL_METHODS = (ID_DOCUMENT, AUTHORISATION, ORDER_AND_POSTCODE)  # `helpdesk requests verify --method`


def normalise_address(address: str) -> str:
    """The comparable form of an address: display name, brackets and space gone, lower case, and an
    internationalised domain in one form (its Unicode spelling, whether written so or as xn--)."""
    _, parsed = parseaddr(address.strip())
    local, at, domain = (parsed or address.strip().strip("<>").strip()).rpartition("@")
    if not at:
        return domain.lower()
    with suppress(UnicodeError):  # not a valid IDN: compare it as written
        domain = ".".join(idna.ToUnicode(label) for label in domain.split(".") if label)
    return f"{local}@{domain}".lower()


def without_plus_tag(address: str) -> str | None:
    """`jan@x` for `jan+shop@x`; None for an address without a tag."""
    local, _, domain = normalise_address(address).rpartition("@")
    base, plus, _ = local.partition("+")
    return f"{base}@{domain}" if plus and base else None


def domain_of(address: str) -> str:
    return normalise_address(address).rpartition("@")[2]


@dataclass(frozen=True)
class Authentication:
    """What our own receiving server said of the sender (RFC 8601), with the reason in words."""

    authenticated: bool | None  # None: no Authentication-Results from the trusted server
    reason: str


def authentication(results: Sequence[str], trusted_authserv_id: str, from_address: str) -> Authentication:
    """Read the topmost Authentication-Results header added by our own server.

    Headers from any other server, and any lower one claiming to be ours, are ignored: anyone can
    write such a header into a mail, only the topmost one of our server was written by it.
    dmarc=pass, or dkim=pass / spf=pass for a domain aligned with the From domain, authenticates.
    """
    trusted = trusted_authserv_id.strip().lower()
    if not trusted:
        return Authentication(None, "no trusted_authserv_id is configured: no sender is authenticated")
    for value in results:
        try:
            header = authres.all_features().parse_value(" ".join(value.split()))
        except authres.AuthResError:
            continue  # unreadable: it proves nothing either way
        if (header.authserv_id or "") != trusted:
            continue
        return _judge(header.results, domain_of(from_address), trusted)
    return Authentication(None, f"no Authentication-Results header from {trusted}")


def _judge(results: Iterable[authres.AuthenticationResult], from_domain: str, server: str) -> Authentication:
    passed = []
    for result in results:
        if result.result != "pass":
            continue
        domains = {_property_domain(p.value) for p in result.properties if p.value}
        if result.method == "dmarc" and (not domains or from_domain in domains):
            return Authentication(True, f"{server}: dmarc=pass for {from_domain}")
        if result.method in {"dkim", "spf"} and any(_aligned(d, from_domain) for d in domains):
            passed.append(f"{result.method}=pass aligned with {from_domain}")
    if passed:
        return Authentication(True, f"{server}: " + ", ".join(passed))
    said = ", ".join(f"{r.method}={r.result}" for r in results) or "none"
    return Authentication(False, f"{server}: {said}; nothing passed for {from_domain}")


def _property_domain(value: str) -> str:
    return domain_of(value.lstrip("@"))  # header.i=@example.nl, smtp.mailfrom=jan@example.nl


def _aligned(domain: str, from_domain: str) -> bool:
    # Relaxed alignment (DMARC): the same domain, or one a subdomain of the other.
    return bool(domain) and (
        domain == from_domain or from_domain.endswith("." + domain) or domain.endswith("." + from_domain)
    )


@dataclass(frozen=True)
class Claim:
    """Who asks, as intake saw it: never the Reply-To, never an address found in the text."""

    address: str
    authentication: Authentication
    forwarded_by: str | None = None  # the requester was read from a mail someone forwarded
    on_behalf: str | None = None  # the words that say the sender acts for someone else


@dataclass(frozen=True)
class IdentityVerdict:
    """The outcome of comparing a sender with what we know, with the reasons for the privacy contact."""

    verified: bool
    method: str | None  # one of the methods above; None while unverified
    customer_id: int | None  # primary key of the customer the sender is (or claims to be)
    next_step: str  # "answer", "confirm" (at the known address), "identify" or "authorise"
    reasons: tuple[str, ...] = ()
    likely_customer_id: int | None = None  # a near match (plus-address) shown to the privacy contact
    flags: tuple[str, ...] = field(default_factory=tuple)


def establish(
    claim: Claim, kinds: Iterable[str], known: Customer | None, likely: Customer | None = None
) -> IdentityVerdict:
    """Decide how far we trust the sender and what to ask next. Pure: no database, no mail."""
    auth = claim.authentication.reason
    if claim.on_behalf:
        return IdentityVerdict(
            False, None, None, "authorise",
            (f"asks on someone else's behalf ('{claim.on_behalf}'): a signed authorisation is needed",),
            flags=("on-behalf",),
        )  # fmt: skip
    if known is None:
        reasons = ["the sender's address belongs to no customer; identification is needed"]
        flags = []
        if likely is not None:
            reasons.append(
                f"the address is customer {likely.customer_id}'s known address with a +tag added; "
                "a tagged address is not the known address"
            )
            flags.append("plus-address")
        if claim.forwarded_by:
            reasons.append("taken from a forwarded mail: a forward proves nothing about identity")
            flags.append("forwarded")
        return IdentityVerdict(
            False, None, None, "identify", tuple(reasons),
            likely_customer_id=likely.id if likely else None, flags=tuple(flags),
        )  # fmt: skip
    who = f"customer {known.customer_id}'s known address"
    if claim.forwarded_by:
        return IdentityVerdict(
            False, None, known.id, "confirm",
            (f"a forwarded request from {who}: a forward proves nothing about identity; "
             "confirmation is asked at the known address",),
            flags=("forwarded",),
        )  # fmt: skip
    if claim.authentication.authenticated:
        return IdentityVerdict(
            True, AUTHENTICATED_KNOWN_ADDRESS, known.id, "answer",
            (f"the sender is {who}, authenticated ({auth})",),
        )  # fmt: skip
    changes = sorted(CHANGES_DATA & set(kinds))
    if changes:
        return IdentityVerdict(
            False, None, known.id, "confirm",
            (f"the sender is {who} but not authenticated ({auth}); {', '.join(changes)} changes data, "
             "so the known address is asked to confirm first",),
        )  # fmt: skip
    return IdentityVerdict(
        True, KNOWN_ADDRESS, known.id, "answer",
        (f"the sender is {who}, not authenticated ({auth}); the answer goes only to the known address, "
         "so a forged sender never receives data",),
    )  # fmt: skip


def is_known_address(customer: Customer, address: str) -> bool:
    """True when `address` is the customer's address or one of their earlier ones."""
    wanted = normalise_address(address)
    return wanted == normalise_address(customer.email) or any(
        wanted == known.address for known in customer.earlier_addresses
    )


def find_customer(session: Session, address: str) -> Customer | None:
    """The customer whose known address (current or earlier) is `address`."""
    wanted = normalise_address(address)
    earlier = select(KnownAddress.customer_pk).where(KnownAddress.address == wanted)
    return session.scalar(
        select(Customer).where(or_(Customer.email == wanted, Customer.id.in_(earlier))).limit(1)
    )


def find_likely_customer(session: Session, address: str) -> Customer | None:
    """For `jan+shop@x`: the customer known as `jan@x`, to show, never to trust."""
    base = without_plus_tag(address)
    return find_customer(session, base) if base else None


_ORDER_LIKE = re.compile(r"\b[A-Za-z]{0,6}-?\d{3,12}\b")


def order_and_postcode(session: Session, text: str) -> tuple[Customer | None, str]:
    """The customer whose order number and delivery postcode both stand in `text`, and why (not)."""
    candidates = {match.group().upper() for match in _ORDER_LIKE.finditer(text)}
    if not candidates:
        return None, "no order number in the reply"
    orders = session.scalars(select(Order).where(Order.order_number.in_(candidates))).all()
    if not orders:
        return None, "no order number in the reply matches an order"
    for order in orders:
        postcode = order.customer.postcode or ""
        if postcode and _postcode_pattern(postcode).search(text):
            return order.customer, f"order {order.order_number} and the postcode of its customer match"
    return None, "an order number matches, but the postcode of its customer is not in the reply"


def _postcode_pattern(postcode: str) -> re.Pattern[str]:
    # "1016 DZ", "1016DZ" and "1016 dz" are one postcode; it must stand alone, not inside a number.
    groups = re.findall(r"\d+|[^\W\d_]+", postcode)
    return re.compile(r"(?<!\w)" + r"[\s-]?".join(map(re.escape, groups)) + r"(?!\w)", re.IGNORECASE)


_DENIAL = re.compile(
    r"\b(nee\b|niet (door|van) mij|(heb|had) ik niet (verstuurd|gestuurd|geschreven)|was ik niet|"
    r"not me\b|didn'?t (send|write)|did not (send|write)|wasn'?t me|was not me|never sent)",
    re.IGNORECASE,
)


def denies_sending(own_text: str) -> bool:
    """True when an answer to "did you send this?" says no."""
    return _DENIAL.search(own_text) is not None
