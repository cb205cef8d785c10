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


def own_text(text: str) -> str:
    """The sender's new text: quoted history ("> " lines, "Op ... schreef:") cut away.

    A forwarded mail keeps its forwarded part, because a forwarded request still counts.
    """
    forward = _FORWARD_MARKERS.search(text)
    quote = _QUOTE_HEADERS.search(text)
    if quote and not (forward and forward.start() < quote.start()):
        text = text[: quote.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()
