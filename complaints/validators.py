"""Validators of the driver's data that the complaint's fields carry (the phone's is the portal's
one ``tollservice.core.validators.validate_phone``).

A plate is stored as ``complaints.rules.normalise_plate`` leaves it (赣A12345: no spaces, capital
letters), so the field's validator checks that form: a value written past the services (the
admin, an import) is held to it too.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Mainland provinces' one-character abbreviations, the first character of a plate.
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# 赣A12345; new-energy plates have six characters after the letter; trailer, learner, police,
# Hong Kong and Macao plates end with their character.
PLATE_PATTERN = rf"^[{PROVINCES}][A-Z][A-Z0-9]{{4,6}}[挂学警港澳]?$"

validate_plate = RegexValidator(
    PLATE_PATTERN,
    message=_("Enter the plate number as it reads, for example 赣A12345."),
    code="invalid_plate",
)
