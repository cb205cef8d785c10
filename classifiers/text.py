"""Text preparation: HTML to text, and the sender's own new text without quoted history."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK_TAGS = {
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section", "table", "td",
    "th", "tr", "ul",
}  # fmt: skip
_SKIPPED_TAGS = {"head", "script", "style", "title", "xml"}


class _TextCollector(HTMLParser):
    # HTMLParser is iterative, so a 2,000-level nested <div> costs nothing (Zammad #5826).
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable text from HTML mail: line breaks kept, styles and scripts dropped, never raises."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    text = "".join(collector.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# Where quoted history starts: everything from such a line on was written by someone else.
_QUOTE_HEADERS = re.compile(
    r"""^(
        (Op|On|Am|Le)\s.{0,200}?(schreef|wrote|schrieb|a\s+écrit)\s*.{0,120}:\s*$
      | -{2,}\s*(Oorspronkelijk\s+bericht|Original\s+Message|Ursprüngliche\s+Nachricht)\s*-{2,}
      | (Van|From):\s.+\n(Verzonden|Sent|Datum|Date):\s
    )""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_FORWARD_MARKERS = re.compile(
    r"^-{2,}\s*(Doorgestuurd\s+bericht|Forwarded\s+message|Weitergeleitete\s+Nachricht)\s*-{2,}"
    r"|^Begin\s+forwarded\s+message:",
    re.IGNORECASE | re.MULTILINE,
)


def own_text(text: str, forwarded: bool = False) -> str:
    """The sender's new text: quoted history, signature and disclaimers cut away.

    A forwarded mail keeps its forwarded part, because a forwarded request still counts; some
    programs mark a forward only by its subject ("Fwd:"), so the caller may say it is one.
    """
    forward = _FORWARD_MARKERS.search(text)
    quote = _QUOTE_HEADERS.search(text)
    if quote and not forwarded and not (forward and forward.start() < quote.start()):
        text = text[: quote.start()]
    signature = _SIGNATURE.search(text)
    if signature and not (forward and forward.start() > signature.start()):
        text = text[: signature.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    lines = [line for line in lines if not _MOBILE_FOOTER.match(line.strip())]
    paragraphs = re.split(r"\n\s*\n", "\n".join(lines))
    return "\n\n".join(p.strip() for p in paragraphs if p.strip() and not _is_disclaimer(p)).strip()


def prepare(subject: str, body: str) -> str:
    """What the classifier reads: the subject, then the sender's own new text.

    A reply's subject was written by whoever wrote the mail replied to (often us: "Re: Uw verzoek
    om inzage"), so, like the quoted history, it is left out.
    """
    own_subject = "" if _REPLY_SUBJECT.match(subject) else subject.strip()
    text = own_text(body, forwarded=bool(_FORWARD_SUBJECT.match(subject)))
    return f"{own_subject}\n\n{_unwrapped(_without_signature_block(text))}"


def from_a_mailing(text: str) -> bool:
    """Whether `text` (as `prepare` made it) has a mailing's footer outside any forwarded or quoted mail."""
    starts = [
        found.start() for found in (_FORWARD_MARKERS.search(text), _QUOTE_HEADERS.search(text)) if found
    ]
    own = text[: min(starts)] if starts else text
    return _MAILING_FOOTER.search(own.lower()) is not None  # lower-cased: twice as fast as IGNORECASE


# A mailing's footer tells its many readers why they get it: "You're receiving this email because
# you signed up", "Je ontvangt deze e-mail omdat je klant bent", "Unsubscribe | Privacy". A text
# written to many (a newsletter, a vendor's notice, a sales pitch) is nobody's own request, however
# full of GDPR words it is. Its reader is "you": a customer writing to us says "because I".
_MAILING_FOOTER = re.compile(
    r"""(
        (you('re|\s+are)|you\s+have\s+been)\s+receiving\s+th(is|ese)\b.{0,60}?\b(because\s+you|as\s+(a|an|part)\b)
      | you\s+(received|got)\s+this\s+(e-?mail|message|newsletter)\s+because\s+you
      | this\s+(e-?mail|message|newsletter)\s+was\s+sent\s+to\s+\S+@
      | (je|u)\s+ontvangt\s+(deze|dit)\b.{0,60}?\b(omdat\s+(je|u|jij|uw)|als)\b
      | (sie|du)\s+erh(alten|ältst)\s+diese[nrs]?\b.{0,60}?\bweil\s+(sie|du|ihre|deine)
      | vous\s+recevez\s+(cet|ce)\b.{0,60}?\b(car|parce\s+que)\s+vous
      | (unsubscribe|afmelden|uitschrijven|abmelden|se\s+désinscrire)[ \t]*(\||:[ \t]*https?://)
      | \|[ \t]*(unsubscribe|afmelden|uitschrijven|abmelden|se\s+désinscrire)
      | (not|n't)\s+(want\s+to\s+|to\s+)?hear\s+from\s+(me|us)\s+again
      | to\s+unsubscribe\s+from\s+(future|these|this|our|all)\b
      | just\s+reply\s+(with\s+)?["'\u201c\u2018]?(no\s+thanks|stop|unsubscribe|remove)\b
      | i\s+(won't|will\s+not)\s+(follow\s+up|reach\s+out\s+again|contact\s+you\s+again)
    )""",
    re.VERBOSE | re.DOTALL,
)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Where each sentence (or line) of `text` starts and ends; blank stretches left out."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    """Where each paragraph (lines up to a blank line) of `text` starts and ends."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")  # up to a blank line


def forwarded_from(subject: str, body: str) -> str | None:
    """The From line of the mail forwarded inline in `body` ("Van: Sophie <s@x.nl>"), or None."""
    start = _FORWARD_MARKERS.search(body)
    if start is None and _FORWARD_SUBJECT.match(subject):
        start = _QUOTE_HEADERS.search(body)  # Outlook forwards look like its quoted replies
    if start is None:
        return None
    found = _FROM_LINE.search(body, start.start(), start.start() + 600)
    return found.group(2).strip() if found else None


def _unwrapped(text: str) -> str:
    """Hard-wrapped lines joined into the sentences they were typed as.

    Mail programs break plain text at about 72 columns, so "het gebruik van mijn\npersoonsgegevens
    beperken" reaches us on two lines, and the rules, which never read across a line break (a list
    item or an address line is not part of the sentence before it), would not see it. A line of
    WRAPPED_LINE characters or more that runs on into the next line was wrapped, not ended.
    """
    return _WRAPPED.sub(" ", text)


WRAPPED_LINE = 50
_WRAPPED = re.compile(rf"(?<=[^\n]{{{WRAPPED_LINE}}})[ \t]*\n(?=[ \t]*[^\s\-*•>\d])")

# Reply prefixes of common mail programs in our languages (forwards, "Fwd:", keep their subject).
_REPLY_SUBJECT = re.compile(r"^\s*(re|antw|aw|sv|vs|réf)\s*(\[\d+\])?\s*:", re.IGNORECASE)
_FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|doorst|wg|tr|doorgestuurd)\s*:", re.IGNORECASE)
_FROM_LINE = re.compile(r"^[ \t*]*(Van|From|Von|De)[ \t*]*:[ \t*]*(.+)$", re.IGNORECASE | re.MULTILINE)


def _without_signature_block(text: str) -> str:
    """The text up to its last closing line ("Met vriendelijke groet,", "Kind regards, Emma"), and
    any P.S. after it: what follows a closing is a name, a job title and, in company signatures,
    taglines and notices full of privacy words ("Data Protection Officer", "subject access request")
    that nobody is asking of us. For the classifier only: a name and address under the closing
    may be just what an identity check or a correction needs."""
    closings = list(_CLOSING.finditer(text))
    closing = closings[-1] if closings else None
    if closing is None or not text[: closing.start()].strip():
        return text
    forward = _FORWARD_MARKERS.search(text, closing.start())
    if forward or _QUOTE_HEADERS.search(text, closing.start()):
        return text  # a forwarded request below the forwarder's greeting still counts
    after = re.split(r"\n\s*\n", text[closing.end() :])
    postscripts = [part.strip() for part in after if _POSTSCRIPT.match(part.strip())]
    return "\n\n".join([text[: closing.end()], *postscripts])


# A closing on a line of its own, perhaps with a name after it. Thanks-words are left out on
# purpose: "Thanks!" often ends a paragraph with more to come.
_CLOSING = re.compile(
    r"""^[ \t]*(
        (met\s+)?((vriendelijke|hartelijke|beste|lieve|warme)\s+)?groet(en|jes)?|mvg|hoogachtend
      | ((kind|best|warm|warmest|many)\s+)?regards|best\s+wishes|all\s+the\s+best|cheers
      | yours\s+(sincerely|faithfully|truly)|sincerely
      | (mit\s+)?(freundlichen|viele|liebe|beste|herzliche)\s+grüße|(viele\s+)?grüße|gruß|mfg
      | (bien\s+)?cordialement|bien\s+à\s+vous|(sincères\s+)?salutations(\s+distinguées)?
    )[ \t]*[,.!]?([ \t]+[^\s,.!?]+){0,3}[ \t]*$""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_POSTSCRIPT = re.compile(r"^(p\.?\s?s\.?|n\.?b\.?)[\s:,]", re.IGNORECASE)

# "-- " on its own line is the standard signature separator (RFC 3676 §4.3).
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)
_MOBILE_FOOTER = re.compile(
    r"^(Verstuurd vanaf|Verzonden vanaf|Verzonden met|Sent from|Get Outlook for|Von meinem|Envoyé de)"
    r"\b.{0,60}$",
    re.IGNORECASE,
)
# A confidentiality notice talks about who the message is for and what to do if it is not you.
_DISCLAIMER_MARKERS = (
    ("vertrouwelijk", "geadresseerde"),
    ("uitsluitend bestemd", ""),
    ("onterecht", "ontvangen"),
    ("confidential", "intended"),
    ("intended recipient", ""),
    ("received this", "in error"),
    ("disclaimer", ""),
    ("vertraulich", "empfänger"),
    ("vertraulich", "adressat"),
    ("irrtümlich", "erhalten"),
    ("confidentiel", "destinataire"),
    ("par erreur", ""),
)


def _is_disclaimer(paragraph: str) -> bool:
    # Strict on purpose: "ik heb dit onterecht ontvangen, meld me af" is a request, not a notice.
    lowered = paragraph.lower()
    hits = sum(first in lowered and second in lowered for first, second in _DISCLAIMER_MARKERS)
    return hits >= 2 or (hits == 1 and len(paragraph) >= 250)
