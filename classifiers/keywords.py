"""A Dutch/English keyword rule set: each rule that matches is evidence for one kind of request.

Strong rules name the right itself ("inzageverzoek", "right to be forgotten"); weak rules
are everyday phrasing ("verwijder mijn account"). The spaCy classifier replaces this set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from classifiers.kinds import RequestKind

STRONG = 0.95
WEAK = 0.75


@dataclass(frozen=True)
class Rule:
    kind: RequestKind
    pattern: re.Pattern[str]
    weight: float


def _rules(kind: RequestKind, weight: float, *patterns: str) -> list[Rule]:
    return [Rule(kind, re.compile(p, re.IGNORECASE), weight) for p in patterns]


_MY = r"(?:mijn|m'n|my)"
_DATA_NL = r"(?:persoons)?gegevens|account|klantprofiel|profiel|klantgegevens"

RULES: list[Rule] = [
    *_rules(
        RequestKind.ACCESS, STRONG,
        r"\binzage(?:verzoek)?\b", r"\binzagerecht\b", r"\bart(?:ikel|\.)?\s*15\b",
        r"\bsubject access request\b", r"\bDSAR\b", r"\bright of access\b", r"\bAuskunft\b",
    ),
    *_rules(
        RequestKind.ACCESS, WEAK,
        # "gegev\w*" and friends: customers misspell the word they mean most ("gegevns").
        r"\bwelke\b.{0,30}\bg\w{2,4}v\w{0,2}ns\b.{0,60}\b(?:hebben|heeft|hebt|bewaren|bewaart|verwerken|opgeslagen|staan)\b",
        r"\bwat\b.{0,20}\b(?:jullie|u)\b.{0,20}\b(?:van|over)\s+mij\b.{0,30}\b(?:hebben|weten|bewaren|opgeslagen|vastgelegd)\b",
        rf"\b(?:kopie|overzicht|afschrift)\b.{{0,30}}\b{_MY}\s+(?:persoons)?gegevens\b",
        r"\b(?:copy|overview)\b.{0,30}\b(?:my|personal)\s+(?:personal\s+)?(?:data|information)\b",
        r"\bwhat (?:personal )?(?:data|information)\b.{0,30}\b(?:hold|have|store|keep|process)\b",
    ),
    *_rules(
        RequestKind.ERASURE, STRONG,
        r"\bvergeetverzoek\b", r"\brecht op (?:vergetelheid|verwijdering)\b",
        r"\bright to (?:be forgotten|erasure)\b", r"\bart(?:icle|ikel|\.)?\s*17\b",
    ),
    *_rules(
        RequestKind.ERASURE, WEAK,
        rf"\b(?:verwijder|wis|delete)\w*\b.{{0,25}}\b{_MY}\s+(?:{_DATA_NL})\b",
        rf"\b{_MY}\s+(?:{_DATA_NL})\b.{{0,60}}\b(?:verwijderen|verwijderd|deleten|wissen|gewist|opheffen|opzeggen)\b",
        r"\b(?:delete|erase|remove)\b.{0,25}\bmy\s+(?:account|data|personal data|info|information|details|profile)\b",
        r"\b(?:delete|erase|remove)\b.{0,20}\beverything\b.{0,30}\b(?:on|about)\s+me\b",
        r"\b(?:close|cancel)\s+my\s+account\b",
        r"\bgegevens\b.{0,30}\bverwijderen\b",
    ),
    *_rules(
        RequestKind.RECTIFICATION, STRONG,
        r"\brectificatie\w*\b", r"\brectif(?:y|ication)\b", r"\bart(?:icle|ikel|\.)?\s*16\b",
    ),
    *_rules(
        RequestKind.RECTIFICATION, WEAK,
        # Whose name or address: "mijn adres aanpassen" is rectification, "de naam op de gravering" is not.
        rf"\b(?:wijzig|verander|aanpass|corrigeer|pas)\w*\b.{{0,40}}\b(?:{_MY}|onze?)\s+(?:\w+\s+)?\w*(?:adres|naam|telefoonnummer)\b",
        rf"\b(?:{_MY}|onze?)\s+(?:\w+\s+)?\w*(?:adres|naam|telefoonnummer)\b.{{0,40}}\b(?:wijzigen|aanpassen|veranderen|corrigeren|gewijzigd|aangepast)\b",
        r"\b\w*(?:adres|naams|gegevens)wijziging\b",
        r"\b(?:update|change|correct)\b.{0,20}\bmy\s+(?:address|name|details|e-?mail address|phone number)\b",
    ),
    *_rules(
        RequestKind.RESTRICTION, STRONG,
        r"\bbeperking van (?:de )?verwerking\b", r"\brestrict(?:ion of)? (?:the )?processing\b",
        r"\bart(?:icle|ikel|\.)?\s*18\b",
    ),
    *_rules(
        RequestKind.RESTRICTION, WEAK,
        r"\b(?:verwerking|gebruik)\b.{0,30}\b(?:beperken|opschorten)\b",
        r"\b(?:tijdelijk|voorlopig)\b.{0,50}\b(?:niet (?:meer )?(?:gebruiken|verwerken)|stoppen|stopt)\b",
        r"\b(?:temporarily|for now)\b.{0,50}\b(?:stop|suspend|not use)\b",
    ),
    *_rules(
        RequestKind.PORTABILITY, STRONG,
        r"\b(?:data)?overdraagbaarheid\b", r"\bdataportabiliteit\b", r"\b(?:data )?portability\b",
        r"\bart(?:icle|ikel|\.)?\s*20\b",
    ),
    *_rules(
        RequestKind.PORTABILITY, WEAK,
        r"\bmachine[- ]?(?:leesbaar|readable)\w*\b",
        r"\b(?:overdragen|meenemen|overzetten)\b.{0,30}\b(?:andere|nieuwe)\b",
        r"\b(?:transfer|move|take)\b.{0,20}\b(?:data|information)\b.{0,20}\b(?:another|new|different)\b",
    ),
    *_rules(
        RequestKind.OBJECTION, STRONG,
        r"\bbezwaar\b.{0,20}\b(?:tegen|maken|aan)\b", r"\bmaak\w*\s+(?:ik\s+)?bezwaar\b",
        r"\bI\s+object\b", r"\bobjection\s+to\b", r"\bart(?:icle|ikel|\.)?\s*21\b",
    ),
    *_rules(
        RequestKind.OBJECTION, WEAK,
        r"\b(?:afmelden|uitschrijven|stop\w*)\b.{0,30}\bnieuwsbrie\w*\b",
        r"\bnieuwsbrie\w*\b.{0,40}\b(?:afmelden|uitschrijven|stoppen|niet meer|opzeggen)\b",
        r"\bgeen\s+(?:nieuwsbrie\w*|reclame|marketing)\w*\s+meer\b",
        r"\b(?:unsubscribe|stop (?:sending|emailing))\b.{0,30}\b(?:newsletters?|marketing|e-?mails?)\b",
        r"\bno more\b.{0,20}\b(?:newsletters?|marketing)\b",
    ),
]  # fmt: skip
