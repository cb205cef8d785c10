"""Recognising rights requests in mail text. Pure: plain text in, plain values out."""

from classifiers.classification import Classification, Evidence
from classifiers.kinds import RequestKind
from classifiers.language import detect_language, dutch_or_english
from classifiers.model import classify

__all__ = ["Classification", "Evidence", "RequestKind", "classify", "detect_language", "dutch_or_english"]
