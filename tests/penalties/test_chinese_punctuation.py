"""Chinese pages show Chinese punctuation: no translation in the Simplified Chinese catalogue puts
an English comma, colon, semicolon, question or exclamation mark, full stop or bracket next to
Chinese text (the penalties' messages were the first checked; the rule holds for every app)."""

import re
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
HAN = r"[\u4e00-\u9fff]"
# Placeholders, template variables, addresses and numbers may keep their ASCII characters.
NOT_TEXT = re.compile(r"%\([a-z_]+\)[sd]|\{\{[^}]*\}\}|\{[a-z_]*\}|https?://\S+|\S+@\S+|\d[\d.,:/-]*\d")
ENGLISH_MARK = re.compile(rf"(?:{HAN}|^)\s*[,;:!?.()]|[,;:!?()]\s*(?:{HAN}|$)")


def test_chinese_translations_use_chinese_punctuation():
    offending = []
    for entry in polib.pofile(str(CATALOGUE)):
        if entry.obsolete:
            continue
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            if ENGLISH_MARK.search(NOT_TEXT.sub("", text)):
                offending.append((entry.msgid, text))
    assert offending == []
