"""Seed a default checklist from typical toll-window norms, marked for the station to review.

The version is published from 2023-01-01 (the plan's year) and flagged ``is_default``; the office
replaces it by drafting a new version in the portal. Points of the scored items add up to 100;
the veto item weighs nothing and fails the inspection when breached. The data is frozen here so
that later edits in code cannot change what a database was seeded with.
"""

import datetime
from decimal import Decimal

from django.db import migrations

EFFECTIVE_FROM = datetime.date(2023, 1, 1)
NOTE = "默认检查表：依据常见收费窗口规范拟定，请本所审核后修订并发布新版本。"

# code, title, category, provision, prohibition, points, deduction, unit, cap, grave,
# team leader also loses, shift leader also loses, veto, violation (PEN-1)
ITEMS = [
    ("JC-01", "着装统一、仪容整洁、佩戴工号牌", "dress", "DRS-01", None, "4", "2", "lapse", None, None, "0", "0", False, False),
    ("JC-02", "微笑服务、普通话、文明用语及规范手势", "language", "LNG-01", None, "6", "0.5", "vehicle", None, None, "0", "0", False, False),
    ("JC-03", "唱收唱付，票款当面点清", "service", "SRV-02", None, "6", "1", "vehicle", None, None, "0", "0", False, False),
    ("JC-04", "列队上下岗及班前会", "culture", "CUL-03", None, "8", "2", "lapse", None, None, "2", "0", False, False),
    ("JC-05", "收费操作时限（抽查车辆）", "service", "SRV-03", None, "10", "1", "vehicle", None, None, "0", "0", False, False),
    ("JC-06", "排队五辆车以上及时开启备用车道", "service", "SRV-03", None, "8", "2", "lapse", None, "4", "0", "2", False, False),
    ("JC-07", "亭内吸烟、吃东西、看书报", "service", "SRV-05", 6, "10", "5", "lapse", None, None, "2", "0", False, True),
    ("JC-08", "擅离岗位、串亭", "service", "SRV-05", 6, "10", "5", "lapse", None, None, "2", "2", False, True),
    ("JC-09", "在岗使用手机", "service", "SRV-05", 6, "10", "5", "lapse", None, None, "2", "0", False, True),
    ("JC-10", "当班睡岗", "service", "SRV-05", 6, "12", "6", "lapse", None, None, "2", "2", False, True),
    ("JC-11", "收费亭整洁，标识标牌齐全规范", "environment", "ENV-01", None, "8", "2", "lapse", None, None, "0", "0", False, False),
    ("JC-12", "耐心解释，不与司乘人员顶撞争吵", "language", "LNG-03", 1, "8", "4", "lapse", None, None, "2", "0", False, True),
    ("JC-99", "私放人情车（一票否决）", "service", "SRV-02", 3, "0", "0", "vehicle", None, None, "0", "0", True, True),
]


def _points(text):
    # The historical model uses PointsField itself, which stores the Decimal as hundredths.
    return Decimal(text)


def seed(apps, schema_editor):
    ChecklistVersion = apps.get_model("inspections", "ChecklistVersion")
    ChecklistItem = apps.get_model("inspections", "ChecklistItem")
    ServiceCategory = apps.get_model("inspections", "ServiceCategory")
    ServiceProvision = apps.get_model("inspections", "ServiceProvision")
    Prohibition = apps.get_model("inspections", "Prohibition")
    if ChecklistVersion.objects.exists():
        return
    from django.utils import timezone

    version = ChecklistVersion.objects.create(
        effective_from=EFFECTIVE_FROM, status="published", note=NOTE, is_default=True, published_at=timezone.now()
    )
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    provisions = {p.code: p for p in ServiceProvision.objects.all()}
    prohibitions = {p.number: p for p in Prohibition.objects.all()}
    for order, row in enumerate(ITEMS, start=1):
        code, title, category, provision, prohibition, points, deduction, unit, cap, grave, leader, shift, veto, violation = row
        ChecklistItem.objects.create(
            version=version,
            code=code,
            title=title,
            category=categories.get(category),
            provision=provisions.get(provision),
            prohibition=prohibitions.get(prohibition) if prohibition else None,
            points=_points(points),
            deduction=_points(deduction),
            unit=unit,
            cap=_points(cap) if cap else None,
            grave_deduction=_points(grave) if grave else None,
            team_leader_deduction=_points(leader),
            shift_leader_deduction=_points(shift),
            is_veto=veto,
            # PEN-1 needs the provision it cites; a station that removed it gets a plain item.
            is_violation=violation and provision in provisions,
            order=order,
        )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_checklist_and_inspections")]

    # Reversing keeps the rows: inspections are scored against them.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
