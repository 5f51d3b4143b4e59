"""Validators every app's models and forms share, written once.

Phone numbers: ``validate_phone`` on every phone or hotline field (model fields carry it, so
their forms and the roster import check it too). Text lengths: a model ``TextField`` has no
limit of its own, so every form that takes one sets ``max_length`` from here; Django then refuses
a longer text with a message in the user's language (no field is ever cut short silently: the
widgets carry no ``maxlength`` that would let a browser truncate a paste, see
``templates/django/forms/widgets/attrs.html``).
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Long enough for "+86 0791-8375 1234 转 8001".
PHONE_MAX_LENGTH = 40

# Digits with an optional leading +, groups separated by single spaces or hyphens (or a pair of
# parentheses around an area code), then an optional extension after 转, ext or x.
PHONE_PATTERN = (
    r"^\+?(?:\(\d{1,5}\)[ -]?)?\d(?:[ -]?\d){4,19}"  # the number: 5 to 20 digits
    r"(?:\s*(?:转|分机|ext\.?|x|#)\s*\d{1,6})?$"  # an extension
)

validate_phone = RegexValidator(
    PHONE_PATTERN,
    message=_(
        "Enter a phone number: digits, optionally a + in front, spaces or hyphens between groups, and an "
        "extension after “转” or “ext”, e.g. 0791-83751234 转 8001."
    ),
    code="invalid_phone",
    flags=0,
)

# The longest texts a form takes (model TextFields have no limit of their own).
SHORT_TEXT_MAX_LENGTH = 500  # a note, a reason for a rejection
TEXT_MAX_LENGTH = 2000  # what happened, reasons, measures, what was said
LONG_TEXT_MAX_LENGTH = 10000  # a circular's text
SEARCH_MAX_LENGTH = 100  # a list's search box
