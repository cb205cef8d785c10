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
    return _leading(_scores(text))


def languages(text: str) -> tuple[str, str | None]:
    """The language of `text` as detect_language has it, and the other of Dutch and English when
    a fair part of `text` is in it too (see also_written_in): the words are counted once."""
    scores = _scores(text)
    language = _leading(scores)
    return language, _mixed_with(scores, language)


# "Please send me a copy of my data, en daarna graag mijn account verwijderen": Dutch customers
# write English and the other way round. When the other of our two languages has at least this
# share of the function words, its rules read the mail too.
MIXED_SHARE = 0.3
MIXED_AT_LEAST = 3  # function words: "is", "die" or "me" alone do not make a sentence


def also_written_in(text: str, language: str) -> str | None:
    """The other of Dutch and English when a fair part of `text` is in it, else None."""
    return _mixed_with(_scores(text), language)


def _leading(scores: dict[str, int]) -> str:
    best = max(scores, key=lambda lang: scores[lang])
    if scores[best] == 0:
        return "other"
    return best if best in {"nl", "en"} else "other"


def _mixed_with(scores: dict[str, int], language: str) -> str | None:
    if language not in {"nl", "en"}:
        return None  # German and French share "de", "en", "je" with Dutch: no mix to look for
    other = "en" if language == "nl" else "nl"
    if scores[other] >= MIXED_AT_LEAST and scores[other] >= MIXED_SHARE * max(scores.values()):
        return other
    return None


def _scores(text: str) -> dict[str, int]:
    tokens = _TOKEN.findall(text.lower())
    return {lang: sum(token in words for token in tokens) for lang, words in _WORDS.items()}


def dutch_or_english(language: str) -> str:
    """Dutch for Dutch mail, English for the rest: the language of the reply and of the pipeline."""
    return "nl" if language == "nl" else "en"
