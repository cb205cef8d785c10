"""Reply drafting: templates per right and situation, in Dutch and English. Pure."""

from replies.render import (
    CustomerFacts,
    OrderFacts,
    RenderedReply,
    ReplyFacts,
    render,
    reply_subject,
)

__all__ = ["CustomerFacts", "OrderFacts", "RenderedReply", "ReplyFacts", "render", "reply_subject"]
