"""Joining translated pieces of text the way the active language writes them.

Chinese lists items with 、 and runs sentences on without a space; English uses ", " and a space.
Pieces are translated one by one, so the joints must follow the language too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language, pgettext


def join_list(items: Iterable[str]) -> str:
    """``["待岗", "处分"]`` → ``待岗、处分`` in Chinese, ``suspension, disciplinary action`` in English."""
    return pgettext("separator between the items of a list", ", ").join(str(item) for item in items)


def join_sentences(sentences: Iterable[str]) -> str:
    """Whole translated sentences, each ending in its own full stop, as one paragraph."""
    separator = "" if (get_language() or "").startswith("zh") else " "
    return separator.join(str(sentence) for sentence in sentences if sentence)
