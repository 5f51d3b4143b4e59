"""Every text a penalties form takes has a limit, refused with a message in the user's language;
nothing is cut short on the way (no maxlength for a browser to truncate a paste to)."""

import pytest
from django.utils import translation

from penalties.forms import CircularForm, PenaltyProposalForm, YuanField

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_a_20000_character_description_is_refused_in_chinese():
    form = PenaltyProposalForm({"description": "长" * 20000})
    assert form.errors["description"] == ["最多只能填写2000个字（现在有20000个）。"]


def test_a_too_long_source_reference_is_refused_not_cut():
    reference = "JC-" + "9" * 250
    form = PenaltyProposalForm({"source_reference": reference})
    assert form.errors["source_reference"] == ["最多只能填写200个字（现在有253个）。"]
    html = str(form["source_reference"])
    assert "maxlength" not in html.replace("data-maxlength", "")  # the browser cuts nothing
    assert 'data-maxlength="200"' in html
    assert reference in html  # what was typed comes back


def test_every_text_field_of_the_penalties_forms_has_a_limit():
    from django import forms

    import penalties.forms as module

    unlimited = []
    for name in dir(module):
        form_class = getattr(module, name)
        if not (isinstance(form_class, type) and issubclass(form_class, forms.BaseForm)):
            continue
        for field_name, field in form_class.base_fields.items():
            if type(field) is forms.CharField and field.max_length is None:
                unlimited.append(f"{name}.{field_name}")
    assert not unlimited, unlimited


def test_a_circulars_text_takes_ten_thousand_characters():
    form = CircularForm({"title": "通报", "body": "文" * 10001})
    assert form.errors["body"] == ["最多只能填写10000个字（现在有10001个）。"]


def test_djangos_own_number_messages_read_as_chinese():
    field = YuanField(max_digits=12, decimal_places=2)
    with pytest.raises(Exception) as error:
        field.clean("12345678901234")
    assert error.value.messages == ["总共不能超过12位数字。"]
    with pytest.raises(Exception) as error:
        field.clean("1.234")
    assert error.value.messages == ["小数不能超过2位。"]
