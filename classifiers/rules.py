"""Matcher rules: phrases that are evidence for a kind of request, per language.

Each rule is a spaCy Matcher token pattern. Strong rules name the right itself ("inzageverzoek",
"right to be forgotten"); weak rules are everyday phrasing ("verwijder mijn account"). Rules
say *why*; the trained text classifier decides together with them (classifiers/model.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from classifiers.kinds import RequestKind

STRONG = 0.9
WEAK = 0.6
PRIVACY = "privacy"  # a label for general privacy words: not a kind, but a hint of a possible request

Token = dict[str, Any]


@dataclass(frozen=True)
class Rule:
    label: str  # a RequestKind value, or PRIVACY
    weight: float
    pattern: list[Token]


def words(*forms: str) -> Token:
    """One token, any of these lower-case forms."""
    return {"LOWER": {"IN": list(forms)}}


def lemmas(*forms: str) -> Token:
    """One token whose lemma is one of these (from the lookup lemmatizer)."""
    return {"LEMMA": {"IN": list(forms)}}


def starts(*prefixes: str) -> Token:
    """One token starting with one of these (compound words: "klantgegevens", "bezorgadres")."""
    return {"LOWER": {"REGEX": "^(" + "|".join(prefixes) + ")"}}


def ends(*suffixes: str) -> Token:
    return {"LOWER": {"REGEX": "(" + "|".join(suffixes) + ")$"}}


def gap(at_most: int) -> Token:
    """Up to `at_most` tokens of anything but a sentence end or a blank line."""
    return {"TEXT": {"REGEX": r"^[^.!?\n]+$"}, "OP": f"{{,{at_most}}}"}


def phrase(text: str) -> list[Token]:
    return [{"LOWER": word} for word in text.lower().split()]


def rules(label: str, weight: float, *patterns: list[Token] | str) -> list[Rule]:
    return [Rule(label, weight, phrase(p) if isinstance(p, str) else p) for p in patterns]


MY_NL = words("mijn", "m'n", "mn", "onze", "ons")
MY_EN = words("my", "our")
DATA_NL = starts(
    "gegev", "persoonsgegev", "klantgegev", "account", "klantaccount", "profiel", "klantprofiel", "info"
)
DATA_EN = words("data", "information", "info", "details", "account", "profile", "record", "records")
DELETE_NL = starts("verwijder", "wis", "delete", "weghal", "schrap", "vernietig")
DELETE_EN = lemmas("delete", "erase", "remove", "wipe", "purge", "destroy")
CHANGE_NL = starts(
    "wijzig", "verander", "aanpas", "aangepast", "corrigeer", "corrigeren", "pas", "update", "verbeter"
)
CHANGE_EN = lemmas("update", "change", "correct", "amend", "fix")
PERSONAL_FIELD_NL = ends("adres", "naam", "telefoonnummer", "geboortedatum", "e-mailadres", "mailadres")
PERSONAL_FIELD_EN = words(
    "address", "name", "surname", "email", "e-mail", "phone", "number", "birth", "title"
)
NEWSLETTER = starts("nieuwsbrie", "newsletter", "mailing", "reclame", "marketing", "promoti", "aanbieding")

NL: list[Rule] = [
    *rules(
        RequestKind.ACCESS, STRONG,
        "inzageverzoek", "inzage", "inzagerecht", "recht op inzage", "artikel 15", "art. 15", "art 15",
        [words("welke"), gap(2), DATA_NL, gap(6), lemmas("hebben", "bewaren", "verwerken", "opslaan", "vastleggen")],
    ),
    *rules(
        RequestKind.ACCESS, WEAK,
        [words("kopie", "kopietje", "overzicht", "afschrift", "export"), gap(3), MY_NL, gap(1), DATA_NL],
        [words("wat"), gap(4), words("over", "van"), words("mij", "me"), gap(6), words("weten", "hebben", "bewaren", "opgeslagen", "staat", "vastgelegd")],
        [words("waar"), gap(4), MY_NL, gap(1), DATA_NL, gap(3), words("vandaan")],
    ),
    *rules(
        RequestKind.ERASURE, STRONG,
        "vergeetverzoek", "recht op vergetelheid", "recht om vergeten te worden", "artikel 17", "art. 17",
    ),
    *rules(
        RequestKind.ERASURE, WEAK,
        [DELETE_NL, gap(3), MY_NL, gap(1), DATA_NL],
        [MY_NL, gap(1), DATA_NL, gap(8), DELETE_NL],
        [MY_NL, gap(1), starts("account", "klantaccount", "profiel", "klantprofiel"), gap(4), words("opheffen", "opzeggen", "sluiten", "afsluiten", "weghalen")],
        [words("alles"), gap(6), DELETE_NL],
    ),
    *rules(
        RequestKind.RECTIFICATION, STRONG,
        "rectificatie", "recht op rectificatie", "artikel 16", "art. 16",
    ),
    *rules(
        RequestKind.RECTIFICATION, WEAK,
        [CHANGE_NL, gap(5), MY_NL, gap(2), PERSONAL_FIELD_NL],
        [MY_NL, gap(2), PERSONAL_FIELD_NL, gap(8), CHANGE_NL],
        [starts("adreswijziging", "naamswijziging", "adresswijziging")],
        [words("verhuisd")],
    ),
    *rules(
        RequestKind.RESTRICTION, STRONG,
        "beperking van de verwerking", "beperking van verwerking", "recht op beperking", "artikel 18", "art. 18",
    ),
    *rules(
        RequestKind.RESTRICTION, WEAK,
        [words("verwerking", "gebruik"), gap(6), words("beperken", "opschorten", "bevriezen", "pauzeren", "stopzetten")],
        [words("tijdelijk", "voorlopig", "even"), gap(8), words("niet"), gap(2), words("gebruiken", "verwerken")],
        [words("niet"), gap(3), starts("verwijder", "wis"), gap(8), words("niet"), gap(3), words("gebruiken", "verwerken")],
    ),
    *rules(
        RequestKind.PORTABILITY, STRONG,
        "overdraagbaarheid", "dataportabiliteit", "recht op overdraagbaarheid", "artikel 20", "art. 20",
    ),
    *rules(
        RequestKind.PORTABILITY, WEAK,
        [starts("machineleesba", "machine-leesba")],
        [words("machine"), words("leesbaar", "leesbare")],
        [words("csv", "json", "xml", "excel", "excelbestand", "csv-bestand", "json-bestand")],
        [words("overdragen", "overzetten", "meenemen", "overstappen"), gap(4), words("andere", "nieuwe")],
    ),
    *rules(
        RequestKind.OBJECTION, STRONG,
        [words("bezwaar"), gap(3), words("tegen", "maken", "aan")],
        [words("maak"), gap(2), words("bezwaar")],
        "artikel 21", "art. 21", "recht van bezwaar",
    ),
    *rules(
        RequestKind.OBJECTION, WEAK,
        [words("afmelden", "uitschrijven", "uitgeschreven", "afgemeld", "stop", "stoppen", "opzeggen"), gap(4), NEWSLETTER],
        [NEWSLETTER, gap(6), words("afmelden", "uitschrijven", "stoppen", "opzeggen", "meer")],
        [words("geen"), gap(2), NEWSLETTER],
        [words("niet"), gap(4), words("doorgeven", "delen", "verkopen"), gap(3), words("derden", "partners")],
    ),
    *rules(PRIVACY, 0.0, "avg", "persoonsgegevens", "privacy", "gdpr", "privacywet", "gegevensbescherming"),
]  # fmt: skip

EN: list[Rule] = [
    *rules(
        RequestKind.ACCESS, STRONG,
        "subject access request", "data subject access request", "dsar", "sar", "right of access",
        "article 15", "art. 15", "art 15", "auskunft", "auskunftsersuchen", "droit d'accès", "droit d' accès",
    ),
    *rules(
        RequestKind.ACCESS, WEAK,
        [words("copy", "overview", "export", "summary", "list"), gap(4), MY_EN, gap(1), words("personal", "data", "information", "info", "details")],
        [words("what"), gap(2), words("data", "information", "info", "details"), gap(5), lemmas("hold", "have", "store", "keep", "process", "collect")],
        [words("what"), gap(4), words("know", "have", "hold", "store"), gap(2), words("about", "on"), words("me")],
        [words("where"), gap(6), lemmas("get", "obtain"), gap(2), MY_EN, gap(1), PERSONAL_FIELD_EN],
    ),
    *rules(
        RequestKind.ERASURE, STRONG,
        "right to be forgotten", "right to erasure", "article 17", "art. 17", "löschung", "löschen", "droit à l'oubli",
        "supprimer mon compte", "supprimer mes données",
    ),
    *rules(
        RequestKind.ERASURE, WEAK,
        [DELETE_EN, gap(4), MY_EN, gap(1), DATA_EN],
        [DELETE_EN, gap(3), words("everything", "all"), gap(5), words("me")],
        [lemmas("close", "cancel", "terminate", "deactivate"), MY_EN, words("account")],
        [MY_EN, gap(1), DATA_EN, gap(6), lemmas("delete", "erase", "remove", "wipe")],
    ),
    *rules(
        RequestKind.RECTIFICATION, STRONG,
        "rectification", "rectify", "right to rectification", "article 16", "art. 16", "berichtigung",
    ),
    *rules(
        RequestKind.RECTIFICATION, WEAK,
        [CHANGE_EN, gap(4), MY_EN, gap(2), PERSONAL_FIELD_EN],
        [MY_EN, gap(2), PERSONAL_FIELD_EN, gap(6), words("is", "are", "was"), gap(2), words("wrong", "incorrect", "misspelled", "outdated", "old")],
        [words("update", "correct"), gap(2), words("your", "the"), words("records", "record", "details")],
        [words("moved", "relocated")],
    ),
    *rules(
        RequestKind.RESTRICTION, STRONG,
        "restriction of processing", "restrict processing", "restrict the processing", "right to restriction",
        "article 18", "art. 18", "einschränkung der verarbeitung",
    ),
    *rules(
        RequestKind.RESTRICTION, WEAK,
        [lemmas("stop", "suspend", "pause", "freeze", "halt"), gap(4), words("using", "use", "processing"), gap(3), MY_EN, gap(1), DATA_EN],
        [words("temporarily", "until", "meanwhile"), gap(8), lemmas("stop", "suspend", "not")],
        [words("don't", "do", "not"), gap(2), lemmas("delete", "erase"), gap(8), words("not", "stop"), gap(2), words("use", "using", "process")],
    ),
    *rules(
        RequestKind.PORTABILITY, STRONG,
        "data portability", "portability", "right to data portability", "article 20", "art. 20",
        "datenübertragbarkeit", "portabilité",
    ),
    *rules(
        RequestKind.PORTABILITY, WEAK,
        [words("machine"), words("readable", "-readable")], [words("machine-readable")],
        [words("csv", "json", "xml", "excel", "spreadsheet")],
        [words("structured"), words("format", ",")],
        [lemmas("transfer", "move", "send"), gap(3), MY_EN, gap(1), DATA_EN, gap(3), words("to"), gap(2), words("another", "new", "different", "other")],
    ),
    *rules(
        RequestKind.OBJECTION, STRONG,
        [words("i"), words("object")], [words("objection"), words("to")], "right to object", "article 21", "art. 21",
        "widerspruch", "je m'oppose",
    ),
    *rules(
        RequestKind.OBJECTION, WEAK,
        [lemmas("unsubscribe"), gap(4)],
        [lemmas("stop"), gap(2), words("sending", "emailing", "e-mailing", "mailing", "contacting", "calling", "texting"), words("me")],
        [words("no", "stop"), words("more"), gap(2), NEWSLETTER],
        [lemmas("take", "remove"), words("me"), words("off", "from"), gap(2), words("list", "mailing", "newsletter")],
        [words("don't", "not"), gap(2), lemmas("share", "sell", "pass"), gap(3), MY_EN, gap(1), DATA_EN],
        "ne plus recevoir", "désinscrire", "désabonner", "keine werbung", "abmelden",
    ),
    *rules(PRIVACY, 0.0, "gdpr", "personal data", "privacy", "data protection", "dsgvo", "rgpd", "avg"),
]  # fmt: skip

RULES: dict[str, list[Rule]] = {"nl": NL, "en": EN}


def lemmas_used(language: str) -> set[str]:
    """Every lemma a rule of `language` looks for: the lemma table needs no other entries."""
    found: set[str] = set()
    for rule in RULES[language]:
        for token in rule.pattern:
            found.update(token.get("LEMMA", {}).get("IN", []))
    return found
