"""Rectification: which stored values does a mail ask to change, and to what? Pure text in.

Only what can be read with certainty: a new e-mail address, a new phone number, a new Dutch
address (street and number, postcode, town). Anything else (a name after marriage, a date of
birth) the privacy contact adds with `helpdesk requests change`. A proposal is never applied
before she approves the answer.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \-]{7,14}\d(?!\w)")
# "Molenstraat 71, 5211 JD 's-Hertogenbosch", "Van Baerlestraat 5 1071 AB Amsterdam": a street
# name (capitalised words, short lower-case ones between), a number, a postcode, a town.
_ADDRESS = re.compile(
    r"\b(?P<street>[A-Z][\w'\u2019.-]+(?: (?:[a-z]{1,4}|[A-Z][\w'\u2019.-]+))*? \d+[\w-]*)[,]?\s+"
    r"(?P<postcode>\d{4} ?[A-Za-z]{2})\b[,]?\s+(?P<city>['\u2019A-Z][\w'\u2019-]*(?: [A-Z][\w'\u2019-]*)*)"
)


def proposed_changes(text: str, current: dict[str, str | None], own_addresses: set[str]) -> dict[str, str]:
    """{field: new value} for what `text` states differently from `current`."""
    found: dict[str, str] = {}
    emails = [e.lower() for e in _EMAIL.findall(text) if e.lower() not in own_addresses]
    new_emails = [e for e in emails if e != (current.get("email") or "").lower()]
    if new_emails:
        found["email"] = new_emails[-1]
    phones = [p.strip() for p in _PHONE.findall(text)]
    new_phones = [
        p for p in phones if _digits(p) != _digits(current.get("phone") or "") and len(_digits(p)) >= 9
    ]
    if new_phones:
        found["phone"] = new_phones[-1]  # "my old number is X, the new one Y": the last one said
    for match in _ADDRESS.finditer(text):
        street, postcode, city = match.group("street"), match.group("postcode").upper(), match.group("city")
        if _squash(postcode) != _squash(current.get("postcode") or "") or street != current.get("street"):
            found.update(street=street, postcode=f"{postcode[:4]} {postcode[-2:]}", city=city)
    return found


def _digits(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[-9:]  # +31 6 12345678 and 06-12345678 are one number


def _squash(value: str) -> str:
    return re.sub(r"\s", "", value).upper()
