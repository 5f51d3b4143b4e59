"""Validators every app's models and forms share, written once.

Phone numbers: ``validate_phone`` on every phone or hotline field (model fields carry it, so
their forms and the roster import check it too). Text lengths: a model ``TextField`` has no
limit of its own, so every form that takes one sets ``max_length`` from here; Django then refuses
a longer text with a message in the user's language (no field is ever cut short silently: the
widgets carry no ``maxlength`` that would let a browser truncate a paste, see
``templates/django/forms/widgets/attrs.html``); a service checks again with ``text_required`` /
``text_optional`` / ``text_within``, which refuse a text too long rather than cut it.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tollservice.core.errors import DomainError

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


def text_within(value: str, *, field: str, limit: int = TEXT_MAX_LENGTH) -> str:
    """A service's own check of a text's length (a form may be skipped): refused, never cut."""
    if len(value) > limit:
        raise DomainError(
            _("Keep this under %(limit)s characters (it has %(length)s)."),
            field=field,
            code="too_long",
            params={"limit": limit, "length": len(value)},
        )
    return value


def text_required(value: str | None, *, field: str, message=None, limit: int = TEXT_MAX_LENGTH) -> str:
    """``value`` stripped, refused with ``message`` when empty and when longer than ``limit``."""
    value = (value or "").strip()
    if not value:
        raise DomainError(message or _("Give the reasons."), field=field, code="required")
    return text_within(value, field=field, limit=limit)


def text_optional(value: str | None, *, field: str, limit: int = TEXT_MAX_LENGTH) -> str:
    """``value`` stripped (``""`` for none), refused when longer than ``limit``."""
    return text_within((value or "").strip(), field=field, limit=limit)
