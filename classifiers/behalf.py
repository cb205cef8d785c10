"""Does the writer ask on someone else's behalf (a lawyer, a parent, a partner)? Pure text in."""

from __future__ import annotations

import re

_RELATIVE_NL = r"(moeder|vader|zoon|dochter|man|vrouw|partner|echtgeno(o|te)|broer|zus|oma|opa|overleden \w+)"
_RELATIVE_EN = r"(mother|father|mum|mom|dad|son|daughter|husband|wife|partner|brother|sister|late \w+)"

# Phrases that say the writer is not the person the data is about. Kept narrow on purpose: "een ring
# voor mijn moeder" is an order, not a mandate, so a relative counts only with their data or account.
_ON_BEHALF = re.compile(
    "|".join(
        [
            r"\bnamens (mijn|onze|mevrouw|meneer|de heer|mw|dhr|cliënt|client)\b",
            r"\bin naam van\b",
            r"\bop verzoek van (mijn|onze) (cliënt|client)",
            r"\bmijn (cliënt|client)(e|en)?\b",
            r"\bgemachtigde\b",
            r"\b(volmacht|machtiging) van\b",
            r"\bals (zijn|haar|hun) (advocaat|curator|bewindvoerder|mentor|voogd|wettelijk)",
            rf"\b(gegevens|account|klantaccount|profiel) van mijn {_RELATIVE_NL}\b",
            r"\bon behalf of\b",
            r"\bmy client('s)?\b",
            r"\b(power of attorney|authori[sz]ed to act)\b",
            r"\bas (his|her|their) (lawyer|solicitor|attorney|guardian|representative)\b",
            rf"\bmy {_RELATIVE_EN}'s (data|account|details|information|personal)\b",
            rf"\b(data|account|details|information) of my {_RELATIVE_EN}\b",
        ]
    ),
    re.IGNORECASE,
)


def acts_for_someone_else(text: str) -> str | None:
    """The words that say the writer asks for another person, or None."""
    found = _ON_BEHALF.search(text)
    return found.group() if found else None
