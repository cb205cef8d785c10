"""Matcher rules: phrases that are evidence for a kind of request, per language.

Each rule is a spaCy Matcher token pattern. Strong rules name the right itself ("inzageverzoek",
"right to be forgotten"); weak rules are everyday phrasing ("verwijder mijn account"). Rules
say *why*; the trained text classifier decides together with them (classifiers/model.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from classifiers.kinds import RequestKind

# Chosen by 4-fold cross-validation on the train split (never on the dev split): a weak rule alone
# does not make a request, it needs the model's support.
STRONG = 0.9
WEAK = 0.4
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


def starts(*prefixes: str) -> Token:
    """One token starting with one of these (compound words: "klantgegevens", "bezorgadres")."""
    return {"LOWER": {"REGEX": "^(" + "|".join(prefixes) + ")"}}


def ends(*suffixes: str) -> Token:
    return {"LOWER": {"REGEX": "(" + "|".join(suffixes) + ")$"}}


def gap(at_most: int) -> Token:
    """Up to `at_most` tokens within one sentence: commas yes, sentence ends and line breaks no."""
    return {"IS_SPACE": False, "ORTH": {"NOT_IN": [".", "!", "?", ";", "…"]}, "OP": f"{{,{at_most}}}"}


def phrase(text: str) -> list[Token]:
    return [{"LOWER": word} for word in text.lower().split()]


def rules(label: str, weight: float, *patterns: list[Token] | str) -> list[Rule]:
    return [Rule(label, weight, phrase(p) if isinstance(p, str) else p) for p in patterns]


MY_NL = words("mijn", "m'n", "mn", "onze", "ons", "haar", "zijn", "z'n")  # also for whom one acts
MY_EN = words("my", "our", "her", "his")
DATA_NL = starts(
    "gegev",
    "persoonsgegev",
    "klantgegev",
    "account",
    "klantaccount",
    "profiel",
    "klantprofiel",
    "info",
    "bestelgeschiedenis",
)
DATA_EN = words(
    "data", "datas", "information", "info", "details", "account", "profile", "record", "records", "personal"
)
RECORD_NL = starts(
    "gegev",
    "klantgegev",
    "account",
    "klantaccount",
    "profiel",
    "klantprofiel",
    "systeem",
    "administratie",
    "bestand",
    "klantenbestand",
)
RECORD_EN = words("account", "profile", "records", "record", "details", "system", "database", "file", "files")
DELETE_NL = starts("verwijder", "wis", "delete", "weghal", "schrap", "vernietig")
DELETE_EN = words(
    "delete",
    "deleted",
    "deleting",
    "erase",
    "erased",
    "remove",
    "removed",
    "wipe",
    "wiped",
    "purge",
    "destroy",
)
CHANGE_NL = starts(
    "wijzig",
    "verander",
    "aanpas",
    "aangepast",
    "corrigeer",
    "corrigeren",
    "pas",
    "update",
    "verbeter",
    "vervang",
)
CHANGE_EN = words(
    "update", "updated", "change", "changed", "correct", "corrected", "amend", "fix", "fixed", "replace"
)
FIELD_NL = ends(
    "adres", "naam", "telefoonnummer", "nummer", "geboortedatum", "aanhef", "huisnummer", "postcode"
)
FIELD_EN = words(
    "address",
    "name",
    "surname",
    "email",
    "e-mail",
    "phone",
    "number",
    "birth",
    "birthday",
    "title",
    "postcode",
)
WRONG_NL = words(
    "verkeerd", "verkeerde", "fout", "foute", "onjuist", "onjuiste"
)  # not "oude": context, not a fault
WRONG_EN = words("wrong", "incorrect", "misspelled", "misspelt", "outdated", "typo", "inaccurate")
NEWSLETTER = starts(
    "nieuwsbrie",
    "newsletter",
    "mailing",
    "reclame",
    "marketing",
    "promo",
    "aanbieding",
    "advert",
    "ads",
    "sms",
    "werb",
    "publicit",
    "prospection",
)
USE_NL = words(
    "gebruiken",
    "verwerken",
    "gebruikt",
    "verwerkt",
    "doen",
    "ondernemen",
    "onderneemt",
    "doorgeven",
    "doorgeeft",
)
USE_EN = words("use", "using", "used", "process", "processing", "processed")
NOT_NL = words("niet", "nergens", "niets")
NOT_EN = words("not", "n't", "never")  # the tokenizer splits "don't" into "do" and "n't"
# Rights explained to the reader ("U heeft het recht op inzage", "you may object", "vous disposez
# d'un droit d'accès"): the voice of a privacy statement, a vendor's notice or a phishing mail, not
# of someone asking. Rule findings in such a sentence are privacy words, not evidence of a kind.
READER_RIGHTS = re.compile(
    r"""\b(
        you\s+(have|retain)\s+(the|a)\s+right\s+(of\s+access|to\s+(access|request|obtain|object|lodge|withdraw))
      | you\s+(can|may)\s+(exercise|object\s+to|ask\s+us\s+for)
      | (u|je|jij)\s+(heeft|hebt)\s+(het\s+)?recht\s+op\s+(inzage|correctie|rectificatie|verwijdering|beperking)
      | (u|je)\s+kunt\s+(bezwaar\s+maken|een\s+verzoek\s+(om|tot)|verzoeken\s+om)
      | (sie|du)\s+(haben|hast)\s+(das|ein)\s+recht\s+auf | haben\s+sie\s+das\s+recht\s+auf
      | vous\s+(disposez|bénéficiez)\s+d'un\s+droit | vous\s+avez\s+(le|un)\s+droit\s+d'(accès|opposition)
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Every word that negates what follows, in the four languages we read ("dont" becomes "do" + "nt").
NEGATIONS = frozenset(
    {*NOT_NL["LOWER"]["IN"], *NOT_EN["LOWER"]["IN"], "nooit", "nt", "nicht", "niemals", "ne", "n'", "pas"}
)
WHILE_NL = words("zolang", "tot", "totdat", "tussentijd", "voorlopig", "tijdelijk", "even", "afwachting")
WHILE_EN = words("while", "until", "meanwhile", "temporarily", "pending", "for now")
STOP_EN = words("stop", "stopping", "quit")
CONTACT_EN = words(
    "sending",
    "emailing",
    "e-mailing",
    "mailing",
    "contacting",
    "calling",
    "texting",
    "messaging",
    "tracking",
    "targeting",
)

CONTACT_DETAILS_EN = words("details", "data", "info", "information", "email", "e-mail", "address", "number")

NL: list[Rule] = [
    *rules(
        RequestKind.ACCESS, STRONG,
        "inzageverzoek", "inzage", "inzagerecht", "recht op inzage", "artikel 15", "art. 15", "art 15",
    ),
    *rules(
        RequestKind.ACCESS, WEAK,
        [words("welke", "wat"), gap(3), DATA_NL, gap(8), words("hebben", "heeft", "hebt", "bewaren", "bewaart", "verwerken", "verwerkt", "opgeslagen", "staan", "staat", "vastgelegd")],
        [words("kopie", "kopietje", "overzicht", "afschrift", "export"), gap(3), MY_NL, gap(1), DATA_NL],
        [words("kopie", "overzicht", "afschrift"), gap(8), words("over", "van"), words("mij", "me")],
        [words("wat"), gap(5), words("over", "van"), words("mij", "me"), gap(6), words("weten", "hebben", "bewaren", "opgeslagen", "staat", "vastgelegd")],
        [words("waar", "vanwaar"), gap(6), MY_NL, gap(2), FIELD_NL],
        [words("vanwaar")], [words("waar"), gap(8), words("vandaan")],
        [words("welke", "wie"), gap(2), words("bedrijven", "partijen", "derden", "partners", "instanties"), gap(8), words("gegevens", "doorgeven", "delen", "gedeeld", "doorgegeven", "verstrekt")],
        [starts("opvra", "opgevraagd"), gap(3), DATA_NL], [DATA_NL, gap(3), starts("opvra")],
        [words("hoe"), words("lang"), gap(8), words("bewaren", "bewaart", "bewaard", "houden", "opgeslagen")],
        [words("bewaren", "bewaart", "slaan", "slaat"), words("jullie", "u"), gap(10), words("systeem", "systemen", "database", "bestand", "klantenbestand", "computer")],
        [words("hoe"), gap(4), words("aan"), MY_NL, gap(4), words("gekomen", "komen", "gekregen")],
        [words("hoe"), words("komen", "komt", "kwamen", "kwam", "zijn", "bent"), gap(3), words("aan"), MY_NL],
        [words("welke", "wat"), gap(3), DATA_NL, words("over"), words("mij", "me")],
        [MY_NL, gap(1), DATA_NL, gap(3), words("inzien", "inkijken", "inzage")],
        [words("inzicht"), gap(2), words("in"), gap(1), MY_NL, gap(1), DATA_NL],
    ),
    *rules(
        RequestKind.ERASURE, STRONG,
        "vergeetverzoek", "recht op vergetelheid", "recht om vergeten te worden", "artikel 17", "art. 17",
    ),
    *rules(
        RequestKind.ERASURE, WEAK,
        [DELETE_NL, gap(3), MY_NL, gap(1), DATA_NL],
        [MY_NL, gap(1), DATA_NL, gap(8), DELETE_NL],
        [words("dat", "het", "dit", "mijn", "m'n", "haar", "zijn"), starts("account", "klantaccount", "profiel"), gap(6), DELETE_NL],
        [starts("account", "klantaccount"), DELETE_NL],
        [MY_NL, gap(1), starts("account", "klantaccount", "profiel", "gegev"), gap(3), words("mag", "mogen", "kan", "kunnen", "moet", "moeten"), gap(2), words("weg", "verwijderd", "gewist", "opgeheven")],
        [words("mag", "mogen", "kan", "moet", "moeten"), MY_NL, gap(1), starts("account", "klantaccount", "profiel", "gegev"), gap(2), words("weg", "verwijderd", "gewist", "opgeheven")],
        [starts("account", "klantaccount", "profiel", "lidmaatschap"), gap(4), words("opheffen", "opzeggen", "sluiten", "afsluiten", "weghalen")],
        [starts("account", "klantaccount", "profiel", "lidmaatschap"), gap(4), words("op", "af"), words("te"), words("heffen", "zeggen", "sluiten")],
        [words("zeg", "zegt"), gap(3), starts("account", "klantaccount", "lidmaatschap"), words("op")],  # not "account op slot"
        [words("alles"), gap(6), DELETE_NL], [words("alles"), gap(3), words("weg")], [DELETE_NL, gap(2), words("alles")],
        [words("gooi", "gooit", "haal", "haalt"), gap(4), words("weg")],  # "haal me uit de verzendlijst" is objection
        [words("geen"), words("klant"), words("meer")],
        [words("kunnen", "kan", "kunt", "willen", "wil", "wilt"), words("jullie", "u", "je"), words("het", "dat", "dit", "die", "deze"), DELETE_NL],
        [words("uit"), gap(1), words("jullie", "het", "uw", "je"), gap(1), words("bestand", "systeem", "systemen", "administratie", "klantenbestand", "database", "adressenbestand")],
    ),
    *rules(
        RequestKind.RECTIFICATION, STRONG,
        "rectificatie", "recht op rectificatie", "artikel 16", "art. 16",
    ),
    *rules(
        RequestKind.RECTIFICATION, WEAK,
        [words("goed", "juist"), words("zetten", "zet")],
        [CHANGE_NL, gap(5), MY_NL, gap(2), FIELD_NL],
        [MY_NL, gap(2), FIELD_NL, gap(8), CHANGE_NL],
        [CHANGE_NL, gap(6), words("in", "bij", "op"), gap(1), RECORD_NL],
        [words("in", "bij"), MY_NL, gap(1), RECORD_NL, gap(12), CHANGE_NL],
        [words("in", "op", "bij"), MY_NL, RECORD_NL, gap(8), words("zetten", "neerzetten", "invullen", "vermelden")],
        [words("in", "op", "bij"), MY_NL, gap(1), RECORD_NL, words("staat", "staan"), gap(6), words("maar", "terwijl")],
        [WRONG_NL, gap(2), FIELD_NL], [FIELD_NL, gap(3), WRONG_NL],
        [MY_NL, gap(1), FIELD_NL, gap(10), words("klopt", "kloppen", "klopte"), gap(2), words("niet")],
        [words("moet"), words("zijn")], [words("juiste", "correcte"), FIELD_NL],
        [starts("adreswijziging", "naamswijziging", "adresswijziging")],
        [words("verhuisd")],
    ),
    *rules(
        RequestKind.RESTRICTION, STRONG,
        "beperking van de verwerking", "beperking van verwerking", "recht op beperking", "artikel 18", "art. 18",
    ),
    *rules(
        RequestKind.RESTRICTION, WEAK,
        [words("verwerking", "gebruik"), gap(6), starts("beperk", "opschort", "bevries", "pauzeer", "pauzeren", "stopzet", "blokkeer", "blokkeren")],
        [words("verwijderen", "wissen", "weggooien"), words("hoeft", "hoef", "hoeven"), words("niet")],
        [WHILE_NL, gap(10), NOT_NL, gap(3), USE_NL],
        [NOT_NL, gap(3), USE_NL, gap(8), WHILE_NL],
        [words("niet"), gap(3), starts("verwijder", "wis"), gap(10), words("niet", "niets"), gap(4), USE_NL],
        [words("bewaren", "bewaar", "houden"), gap(8), words("niet", "niets"), gap(5), USE_NL],
        # Keep it, but do nothing with it: "bevriezen", "op slot zetten", "alleen bewaren", "gebruik ze
        # nergens voor", "niks met mijn gegevens doen", "zolang ... wil ik niet dat jullie ... gebruiken".
        [starts("bevries", "bevriez")], [words("op"), words("slot"), words("zetten", "zet", "gezet", "doen")],
        [words("zet", "zetten"), gap(5), words("op"), words("slot")],
        [words("alleen", "wel", "enkel"), words("bewaren")],
        [starts("gebruik", "verwerk"), gap(4), words("nergens"), gap(2), words("voor")],
        [words("nergens"), gap(3), words("voor"), gap(1), starts("gebruik", "verwerk")],
        [words("niks", "niets"), words("met"), gap(3), words("doen", "gebeuren")],
        [WHILE_NL, gap(10), words("niet"), words("dat"), gap(8), USE_NL],
    ),
    *rules(
        RequestKind.PORTABILITY, STRONG,
        "overdraagbaarheid", "dataportabiliteit", "recht op overdraagbaarheid", "artikel 20", "art. 20",
    ),
    *rules(
        RequestKind.PORTABILITY, WEAK,
        [starts("machineleesba", "machine-leesba")], [words("machine"), words("leesbaar", "leesbare")],
        [words("csv", "json", "xml", "excel", "excelbestand", "csv-bestand", "json-bestand", "spreadsheet")],
        [words("als", "in", "een"), gap(1), words("bestand", "bestandje", "export")],
        [starts("overdra", "overzet", "meenemen", "meegenomen"), gap(6), words("andere", "nieuwe")],
        [starts("overstap", "stap"), gap(2), words("over"), gap(4), words("andere", "nieuwe")],
        [DATA_NL, gap(4), starts("overzet", "overdra")],
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
        [words("geen"), gap(2), NEWSLETTER], [words("geen"), gap(3), starts("mail", "e-mail", "bericht", "telefoontje", "review", "uitnodiging", "verzoek"), gap(1), words("meer")],
        [words("geen"), gap(2), starts("folder", "reclame", "sms", "aanbieding", "flyer", "post"), gap(4), words("meer")],
        [words("stuur", "stuurt", "sturen", "mail", "mailen", "bel", "bellen"), words("niks", "niets"), words("meer")],
        [words("haal", "haalt"), words("me", "mij"), gap(2), words("af")], [words("uitschrijven")],
        [words("mag", "kan", "kunnen"), words("dat", "dit", "het"), words("stoppen", "ophouden")],
        [words("wil", "wilt", "willen", "kunt"), gap(2), words("dat", "dit", "daarmee", "ermee"), words("stoppen", "ophouden", "stopzetten")],
        [words("eraf", "vanaf"), words("halen", "haalt", "haal")],
        [words("niet"), words("meer"), gap(2), words("gebeld", "gemaild", "benaderd", "lastiggevallen", "ontvangen", "bellen", "mailen")],
        [words("niet"), gap(4), words("doorgeven", "delen", "verkopen", "doorverkopen"), gap(3), words("derden", "partners", "anderen", "bedrijven")],
        [words("geef", "deel", "verkoop"), gap(3), DATA_NL, gap(4), words("niet", "nooit")],
        [words("volgen", "tracken", "tracking", "profilering", "profiel"), gap(6), words("niet", "stoppen", "stop")],
        [words("haal", "haalt", "halen", "verwijder", "verwijderen"), gap(4), words("van", "uit"), gap(3), starts("lijst", "mailinglijst", "verzendlijst", "adressenlijst")],
        [words("van", "uit"), gap(3), starts("lijst", "mailinglijst", "verzendlijst", "adressenlijst"), gap(2), words("halen", "afhalen", "verwijderen", "schrappen", "af")],
        [words("hoef", "hoeft", "wil"), gap(4), NEWSLETTER, gap(3), words("niet")], [NEWSLETTER, gap(4), words("hoef", "hoeft", "wil"), gap(3), words("niet")],
        [words("niet"), words("meer"), gap(2), words("voor"), gap(3), USE_NL],
        [NOT_NL, words("voor"), gap(1), NEWSLETTER],
        [words("afmelden", "uitschrijven"), words("voor", "van"), words("alles", "alle", "al")],
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
        [words("copy", "overview", "export", "summary", "list"), gap(6), words("personal", "data", "datas", "information", "info", "details")],
        [words("which", "what"), gap(3), words("personal", "data", "datas", "information", "info", "details"), gap(8), words("store", "stores", "stored", "storing", "hold", "holds", "held", "holding", "have", "has", "keep", "kept", "keeping", "process", "processed", "processing", "collect", "collected")],
        [words("what"), gap(4), words("know", "have", "hold", "store", "keep"), gap(2), words("about", "on"), words("me")],
        [words("where"), gap(6), words("get", "got", "obtain", "obtained", "find", "found", "source"), gap(2), MY_EN, gap(1), FIELD_EN],
        [words("whom", "who"), gap(5), words("shared", "share", "sold", "passed", "disclosed", "sharing")],
        [words("who"), gap(4), words("give", "gave", "sell", "sold", "pass", "passed"), gap(2), MY_EN, gap(1), CONTACT_DETAILS_EN],
        [words("how"), words("long"), gap(5), words("keep", "store", "retain", "hold"), gap(2), MY_EN],
    ),
    *rules(
        RequestKind.ERASURE, STRONG,
        "right to be forgotten", "right to erasure", "article 17", "art. 17", "löschung", "droit à l'oubli",
        "supprimer mon compte", "supprimer mes données",
    ),
    *rules(
        RequestKind.ERASURE, WEAK,
        [DELETE_EN, gap(4), MY_EN, gap(1), DATA_EN],
        [DELETE_EN, gap(3), words("everything", "all"), gap(5), words("me")],
        [words("close", "closing", "cancel", "terminate", "deactivate"), gap(1), MY_EN, gap(1), words("account")],
        [MY_EN, gap(1), DATA_EN, gap(6), DELETE_EN],
        [words("get"), words("rid"), words("of"), MY_EN],
        [words("no"), words("longer"), gap(4), words("customer", "client")],
        [words("wipe", "erase", "delete", "remove", "destroy"), gap(2), words("everything")],
        [words("remove", "delete", "take", "erase"), words("me"), words("from", "off"), gap(2), RECORD_EN],
        [words("forget"), words("me")],
        [MY_EN, words("account"), words("closed", "deleted", "removed", "cancelled", "canceled", "deactivated")],
        [words("want", "like", "need"), words("it", "them", "everything", "all", "this", "that"), gap(2), words("deleted", "erased", "wiped", "removed")],
        [words("out"), words("of"), words("your"), gap(1), RECORD_EN],
    ),
    *rules(
        RequestKind.RECTIFICATION, STRONG,
        "rectification", "rectify", "right to rectification", "article 16", "art. 16", "berichtigung",
    ),
    *rules(
        RequestKind.RECTIFICATION, WEAK,
        [CHANGE_EN, gap(4), MY_EN, gap(2), FIELD_EN],
        [MY_EN, gap(2), FIELD_EN, gap(6), words("is", "are", "was", "has", "have"), gap(3), WRONG_EN],
        [CHANGE_EN, gap(6), words("on", "in"), gap(2), RECORD_EN],
        [words("on", "in"), MY_EN, words("account", "profile"), gap(10), words("not"), words("correct", "right")],
        [WRONG_EN, gap(2), FIELD_EN], [FIELD_EN, gap(3), WRONG_EN],
        [FIELD_EN, gap(4), words("is", "was"), words("not"), words("correct", "right")],
        [words("correct", "right"), FIELD_EN, gap(3), words("is")],
        [words("your", "the"), words("system", "records", "database", "account"), gap(3), words("has", "have", "shows", "says", "lists"), words("me")],
        [words("recorded", "spelled", "spelt", "written"), gap(2), words("as", "wrong", "wrongly", "incorrectly")],
        [words("update", "correct"), gap(2), words("your", "the"), words("records", "record", "details")],
        [words("moved", "relocated")],
    ),
    *rules(
        RequestKind.RESTRICTION, STRONG,
        "restriction of processing", "restrict processing", "restrict the processing", "right to restriction",
        "article 18", "art. 18", "einschränkung der verarbeitung", "einschränkung", "sperrung", "limitation du traitement",
    ),
    *rules(
        RequestKind.RESTRICTION, WEAK,
        [words("stop", "suspend", "pause", "freeze", "halt", "block"), gap(4), USE_EN, gap(3), MY_EN, gap(1), DATA_EN],
        [words("freeze", "suspend", "pause", "hold", "block", "lock"), gap(3), MY_EN, gap(1), DATA_EN],
        [WHILE_EN, gap(10), words("not", "n't", "stop"), gap(3), USE_EN],
        [words("not", "n't", "stop"), gap(3), USE_EN, gap(8), WHILE_EN],
        [words("keep", "leave"), gap(4), DATA_EN, gap(6), NOT_EN, gap(2), USE_EN],
        [NOT_EN, gap(2), words("delete", "erase"), gap(10), words("not", "n't", "stop"), gap(3), USE_EN],
        [NOT_EN, gap(1), words("delete", "erase", "remove"), gap(3), words("either")],
        [words("limit", "limiting", "restrict", "restricting"), gap(5), MY_EN, gap(2), DATA_EN],
        [words("freeze"), words("it", "them", "everything", "this", "that")],
        [NOT_EN, gap(1), words("do"), words("anything"), words("with")],
        [NOT_EN, words("want"), MY_EN, gap(1), DATA_EN, words("used", "processed", "touched")],
    ),
    *rules(
        RequestKind.PORTABILITY, STRONG,
        "data portability", "portability", "right to data portability", "article 20", "art. 20",
        "datenübertragbarkeit", "portabilité", "portabilität",
    ),
    *rules(
        RequestKind.PORTABILITY, WEAK,
        [words("machine"), words("-"), words("readable")], [words("machine"), words("readable")], [words("machine-readable")],
        [words("csv", "json", "xml", "excel", "spreadsheet")],
        [words("structured"), gap(2), words("format")],
        [words("transfer", "move", "send", "port"), gap(3), MY_EN, gap(1), DATA_EN, gap(3), words("to"), gap(2), words("another", "new", "different", "other")],
        [words("transfer", "transferred"), gap(4), words("directly")],
    ),
    *rules(
        RequestKind.OBJECTION, STRONG,
        [words("i"), words("object")], [words("objection"), words("to")], "right to object", "article 21", "art. 21",
        "widerspruch", "je m'oppose", "opposition",
    ),
    *rules(
        RequestKind.OBJECTION, WEAK,
        [words("opt-out", "désinscrire", "désabonner", "abmelden")], [words("opt"), words("out")],
        # "unsubscribe" as people type it: unsubcribe, unsuscribe, unsubscibe ("unsubscribed" reports, it does not ask)
        [{"LOWER": {"REGEX": "^un-?su[bs]{1,2}c?r?i?b(e|ing)?$"}}],
        [STOP_EN, gap(2), CONTACT_EN], [NOT_EN, words("want"), gap(4), NEWSLETTER],
        [words("no", "stop"), words("more"), gap(2), NEWSLETTER], [words("stop"), gap(2), NEWSLETTER],
        [words("stop"), gap(3), words("emails", "e-mails", "mails", "texts", "messages", "calls", "sms")],
        [words("take", "remove", "get"), gap(3), words("off", "from"), gap(3), words("list", "mailing", "newsletter", "lists", "emails", "e-mails", "mails", "texts", "marketing", "offers", "messages", "sms", "promotions")],
        [NOT_EN, words("for"), gap(1), NEWSLETTER],
        [NOT_EN, gap(3), words("share", "sell", "pass", "shared", "sold", "passed", "give"), gap(6), words("third", "partners", "partner", "others", "companies", "company", "courier", "advertisers")],
        [words("stop"), gap(3), words("profiling", "tracking", "personalised", "personalized", "retargeting")],
        [words("switch", "turn"), words("off"), gap(4), words("profiling", "tracking", "personalisation", "personalization")],
        [STOP_EN, words("sharing", "selling", "passing", "giving"), gap(2), MY_EN, gap(1), CONTACT_DETAILS_EN],
        [words("marketing", "emails", "e-mails", "newsletters", "mailings", "texts", "messages", "calls", "spam"), gap(4), words("to"), words("stop")],
        "keine werbung",
    ),
    # German and French mail is read by the English pipeline: the commonest phrasings of each right.
    *rules(
        RequestKind.ACCESS, WEAK,
        [words("welche"), gap(2), words("daten"), gap(6), words("gespeichert", "speichern", "haben", "verarbeiten")],
        [words("quelles"), gap(1), words("données", "informations"), gap(6), words("avez", "conservez", "détenez")],
        [words("woher"), gap(6), words("daten", "adresse", "e-mail-adresse", "namen", "nummer", "telefonnummer")],
        [words("was"), gap(6), words("über"), words("mich")],
        [words("d'où"), gap(6), words("données", "adresse", "coordonnées", "nom", "numéro")],
        [words("comment"), gap(4), words("obtenu", "eu", "trouvé"), gap(2), words("mon", "ma", "mes")],
        [words("copie"), gap(3), words("de"), words("mes"), words("données")],
    ),
    *rules(
        RequestKind.ERASURE, WEAK,
        [words("konto", "daten", "kundenkonto"), gap(3), words("löschen", "entfernen")],
        [words("löschen", "entfernen"), gap(3), words("meine", "mein"), gap(1), words("daten", "konto", "kundenkonto")],
        [words("löschen")],
        [words("supprimer", "effacer"), gap(3), words("mon", "mes"), gap(1), words("compte", "données", "informations")],
    ),
    *rules(
        RequestKind.RECTIFICATION, WEAK,
        [words("ändern", "korrigieren", "aktualisieren", "berichtigen"), gap(4), words("adresse", "anschrift", "telefonnummer", "name", "namen", "nachname", "e-mail-adresse")],
        [words("im", "in"), gap(1), words("kundenkonto", "kundenprofil", "konto", "profil"), gap(3), words("ändern", "korrigieren", "aktualisieren", "anpassen", "berichtigen")],
        [words("umgezogen", "déménagé", "déménagée")],
        [words("meine", "mein", "meinen"), gap(1), words("adresse", "anschrift", "telefonnummer", "name", "namen", "nachname", "e-mail-adresse"), gap(6), words("ändern", "korrigieren", "aktualisieren", "falsch")],
        [words("changer", "modifier", "corriger", "mettre"), gap(3), words("mon", "ma", "mes"), gap(1), words("adresse", "numéro", "nom", "coordonnées", "téléphone")],
        [words("changement"), gap(2), words("d'adresse", "adresse", "numéro", "nom")],
        [words("mal"), words("orthographié", "orthographiée", "écrit", "écrite", "noté", "notée")],
        [words("remplacer", "changer", "modifier", "corriger", "actualiser"), gap(8), words("compte", "dossier", "fiche", "profil")],
    ),
    *rules(
        RequestKind.RESTRICTION, WEAK,
        [words("limiter", "suspendre", "geler"), gap(4), words("traitement", "utilisation", "données")],
        [words("vorübergehend", "vorerst"), gap(6), words("nicht"), gap(2), words("verwenden", "nutzen", "verarbeiten")],
        [words("nur"), words("speichern", "aufbewahren")], [words("speichern", "aufbewahren"), gap(4), words("nur")],
        [words("sperren", "sperrt"), gap(3), words("mein", "meine", "meinen"), words("konto", "kundenkonto", "daten")],
        [words("mein", "meine"), words("konto", "kundenkonto", "daten"), gap(3), words("sperren")],
    ),
    *rules(
        RequestKind.PORTABILITY, WEAK,
        [words("format"), gap(2), words("lisible", "structuré")], [words("maschinenlesbar", "maschinenlesbaren", "maschinenlesbarem")],
    ),
    *rules(
        RequestKind.OBJECTION, WEAK,
        [words("ne"), words("souhaite", "veux", "désire"), words("pas"), gap(4), words("données", "informations", "coordonnées"), gap(4), starts("transmi", "partag", "communiqu", "vend", "cédé")],
        [words("plus"), words("de"), NEWSLETTER], [words("sans"), words("pub", "publicité", "publicités", "promotions")],
        [words("arrêter", "arrêtez", "stopper", "stoppez"), gap(4), words("sms", "mails", "e-mails", "courriels", "newsletter", "publicités", "promotions", "appels")], [words("ne", "n'"), gap(2), words("plus"), gap(2), words("recevoir", "envoyer", "m'envoyer", "contacter")],
        [words("retirer", "enlever", "désinscrire", "supprimer"), gap(4), words("liste", "listes", "newsletter", "fichier")],
        [words("keine"), gap(2), NEWSLETTER], [words("newsletter", "werbung"), gap(4), words("abbestellen", "abmelden")],
        [words("nicht"), words("mehr"), gap(3), words("bekommen", "erhalten", "zusenden", "schicken", "senden", "kontaktieren", "nutzen", "verwenden")],
        [NEWSLETTER, gap(6), words("nicht"), words("mehr")],
    ),
    *rules(PRIVACY, 0.0, "gdpr", "personal data", "privacy", "data protection", "dsgvo", "rgpd", "avg"),
]  # fmt: skip

RULES: dict[str, list[Rule]] = {"nl": NL, "en": EN}
