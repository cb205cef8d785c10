"""Recognising rights requests in mail text. Pure: plain text in, plain values out."""

from classifiers.classify import Classification, Evidence, classify
from classifiers.kinds import RequestKind
from classifiers.language import detect_language, reply_language

__all__ = [
    "Classification",
    "Evidence",
    "RequestKind",
    "classify",
    "detect_language",
    "reply_language",
]
