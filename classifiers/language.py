"""Which language a mail is written in: nl, en or other, from common function words."""

from __future__ import annotations

import re

_WORDS = {
    "nl": set("""
        de het een en van ik je jij u uw mijn niet dat die is zijn wil graag met voor op naar ook
        maar wat hoe kunnen kunt jullie mij heb heeft bij dank groet groeten hallo beste bestelling
        gegevens alstublieft alsjeblieft verzoek geen meer aub svp stuur nog om te dit deze wel
    """.split()),
    "en": set("""
        the a an and of i you your my not that this is are want would like with for on to also but
        what how can could please me have has at thanks thank regards hello dear order data request
    """.split()),
    "de": set("""
        der die das den dem und ich sie ihr mein meine nicht ist mit für bitte daten ihre ein eine
        sehr geehrte zu von auch haben wir uns freundlichen grüßen hallo danke
    """.split()),
    "fr": set("""
        le la les et je vous votre vos mon ma mes pas est avec pour merci données des du à une un
        ne plus nous sur par au aux bonjour cordialement
    """.split()),
}  # fmt: skip
_TOKEN = re.compile(r"[a-zà-ÿ']+")


def detect_language(text: str) -> str:
    """'nl', 'en' or 'other'; short or mixed text falls to the language with most function words."""
    tokens = _TOKEN.findall(text.lower())
    scores = {lang: sum(token in words for token in tokens) for lang, words in _WORDS.items()}
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] == 0:
        return "other"
    return best if best in {"nl", "en"} else "other"


def dutch_or_english(language: str) -> str:
    """Dutch for Dutch mail, English for the rest: the language of the reply and of the pipeline."""
    return "nl" if language == "nl" else "en"
