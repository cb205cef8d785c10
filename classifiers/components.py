"""The names of the pipeline's parts, shared by the pipeline, the classifier and training.

Kept apart from classifiers/pipeline.py, which imports spaCy (about a second): the classifier
needs the names on every mail, spaCy only once it loads the model.
"""

EVIDENCE = "evidence"  # doc.spans key of the rules' findings
REQUEST_EVIDENCE = "request_evidence"  # the Matcher rules
REQUEST_DETECTOR = "request_detector"  # is this a rights request at all: trained on every mail
KIND_CLASSIFIER = "kind_classifier"  # which right(s), given that it is one: trained on requests only
