"""The committed catalogues are complete and compiled.

- Each committed ``.mo`` holds exactly what compiling its ``.po`` gives (a stale ``.mo`` is the
  "older than its .po" problem; file times mean nothing in a fresh clone, so content is compared).
- Extracting the strings from the code now (``makemessages``, into a copy) leaves nothing
  untranslated or fuzzy in zh_Hans: every new string in code or templates needs its Chinese.

To fix a failure: ``make messages``, translate the new entries in locale/zh_Hans/LC_MESSAGES/django.po,
then ``make messages`` again to compile.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.services import require_binary

BASE_DIR = Path(settings.BASE_DIR)
LOCALE_DIR = BASE_DIR / "locale"
CATALOGUE_LANGUAGES = ["zh_Hans", "en"]
# What is never scanned for strings (the Makefile's `messages` target ignores the same).
NOT_SCANNED = [".venv", "var", "tests", "bench", "static", "node_modules", ".git", "*cache*", "__pycache__"]


def _key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _value(entry):
    if entry.msgid_plural:
        return tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items()))
    return entry.msgstr


def compiled_from_po(po: polib.POFile) -> dict:
    """What msgfmt puts in the .mo: translated entries, neither fuzzy nor obsolete."""
    return {_key(e): _value(e) for e in po if e.msgid and e.translated()}


def compiled_in_mo(mo: polib.MOFile) -> dict:
    return {_key(e): _value(e) for e in mo if e.msgid}


# Our specification's rule IDs (PEN-1, INS-4, AWD-2, ...): for code comments and tests, never for users.
RULE_ID = re.compile(r"\b(PEN|INS|AWD|ORG|CMP|RECT|SUP|RPT)-\d")


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_no_user_visible_string_names_a_rule_id(language):
    po = polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))
    texts = [
        text
        for e in po
        if not e.obsolete
        for text in (e.msgid, e.msgid_plural, e.msgstr, *e.msgstr_plural.values())
        if text and RULE_ID.search(text)
    ]
    assert not texts, f"user-visible strings name internal rule IDs: {texts[:20]}"


@pytest.mark.parametrize("language", CATALOGUE_LANGUAGES)
def test_committed_mo_matches_its_po(language):
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    assert po_path.exists(), f"{po_path.relative_to(BASE_DIR)} is missing: run `make messages`"
    assert mo_path.exists(), f"{mo_path.relative_to(BASE_DIR)} is missing: run `make messages` to compile it"

    po, mo = polib.pofile(str(po_path)), polib.mofile(str(mo_path))
    expected, actual = compiled_from_po(po), compiled_in_mo(mo)

    stale = sorted(k[1] for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    if stale:
        pytest.fail(
            f"{mo_path.relative_to(BASE_DIR)} is out of date with its .po for {len(stale)} strings "
            f"(recompile with `make messages`): " + "; ".join(stale[:20]),
            pytrace=False,
        )
    assert po.metadata.get("Plural-Forms") == mo.metadata.get("Plural-Forms")


def test_every_string_in_code_and_templates_is_translated_in_chinese(tmp_path, monkeypatch, settings):
    for program in ("xgettext", "msgmerge", "msguniq"):
        require_binary(program)
    # makemessages writes next to the files it scans, so it runs on a copy of the project.
    copy = tmp_path / "project"
    shutil.copytree(BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SCANNED), symlinks=True)
    monkeypatch.chdir(copy)
    settings.LOCALE_PATHS = [copy / "locale"]

    call_command("makemessages", locale=["zh_Hans"], ignore_patterns=NOT_SCANNED, verbosity=0)

    po = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [e for e in po if e.msgid and not e.obsolete and not e.translated()]
    listing = "\n".join(
        f"  {'fuzzy' if e.fuzzy else 'untranslated'}: {e.msgid!r}  ({e.occurrences[0][0] if e.occurrences else '?'})"
        for e in missing
    )
    if missing:
        pytest.fail(
            f"{len(missing)} strings have no Chinese translation in locale/zh_Hans "
            f"(run `make messages`, translate, run it again):\n{listing}",
            pytrace=False,
        )


def test_one_english_word_two_chinese_words_closed():
    # "Closed": a complaint is settled (已办结), a department dissolved (已撤销), a lane out of use (已停用).
    from django.utils import translation
    from django.utils.translation import pgettext

    from complaints.models import Complaint, ComplaintEvent

    with translation.override("zh-hans"):
        assert str(Complaint.Status.CLOSED.label) == str(ComplaintEvent.Kind.CLOSED.label) == "已办结"
        assert pgettext("department", "Closed") == "已撤销"
        assert pgettext("lane", "Closed") == "已停用"


def test_a_button_says_what_it_does_where_one_english_word_is_also_a_state():
    # "Draft" is a state (草稿) and a button that makes one; "Close" settles a case (办结), and
    # "Open" is a state (未结) and a link to a page (查看).
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    from inspections.views.catalog import VersionDraftView
    from inspections.views.circulars import CircularDraftView
    from inspections.views.orders import VerifyView

    with translation.override("zh-hans"):
        assert gettext("Draft") == "草稿"
        assert str(CircularDraftView.submit_label) == str(VersionDraftView.submit_label) == "生成草稿"
        assert str(VerifyView.submit_label) == "确认整改到位"
        assert pgettext("case", "Close") == "办结"
        assert pgettext("link", "Open") == "查看"
