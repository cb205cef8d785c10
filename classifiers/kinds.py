"""The six kinds of request, named as in DESIGN.md's vocabulary."""

from enum import StrEnum


class RequestKind(StrEnum):
    """A GDPR right a mail invokes; the value is the word used everywhere (JSON, database, CLI)."""

    ACCESS = "access"  # art. 15, inzage
    RECTIFICATION = "rectification"  # art. 16, rectificatie
    ERASURE = "erasure"  # art. 17, vergeetverzoek
    RESTRICTION = "restriction"  # art. 18, beperking
    PORTABILITY = "portability"  # art. 20, overdraagbaarheid
    OBJECTION = "objection"  # art. 21, bezwaar (includes "stop the newsletter")


# The classifier's seventh label, set on every request mail whatever its kinds: it has far more
# examples than any one kind, so "is this a request at all" is learnt from all of them.
ANY_REQUEST = "request"


def ordered(kinds: set[RequestKind] | list[RequestKind]) -> list[RequestKind]:
    """Kinds in the fixed order of the enum, so output never depends on set order."""
    return [kind for kind in RequestKind if kind in kinds]
