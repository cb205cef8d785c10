"""Our own Message-IDs: recognisable, so our mail looping back into info@ is never taken as a request."""

from __future__ import annotations

import re
import secrets

_PREFIX = "helpdesk."


def new_message_id(domain: str) -> str:
    """A fresh Message-ID for a draft: random (not guessable from the reference) and ours."""
    return f"<{_PREFIX}{secrets.token_hex(8)}@{domain}>"


def is_own_message_id(message_id: str | None, domain: str) -> bool:
    """True for a Message-ID that `new_message_id` made for this domain."""
    if not message_id:
        return False
    return (
        re.fullmatch(rf"<{re.escape(_PREFIX)}[0-9a-f]{{16}}@{re.escape(domain)}>", message_id, re.I)
        is not None
    )
