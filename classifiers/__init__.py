"""Recognising rights requests in mail text. Pure: plain text in, plain values out."""

from classifiers.classification import Classification, Evidence
from classifiers.kinds import RequestKind
from classifiers.language import detect_language, reply_language
from classifiers.model import classify

__all__ = ["Classification", "Evidence", "RequestKind", "classify", "detect_language", "reply_language"]
