"""The plan's defaults as the first policy version: 200 yuan per provision (PEN-1), complaint
fines of 200–500 yuan (PEN-3, PEN-4), the calendar year. In force from the plan's year, 2023."""

import datetime
import zoneinfo

from django.db import migrations


def seed(apps, schema_editor):
    PenaltyPolicy = apps.get_model("penalties", "PenaltyPolicy")
    if PenaltyPolicy.objects.exists():
        return
    PenaltyPolicy.objects.create(
        effective_from=datetime.datetime(2023, 1, 1, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")),
        base_fine_fen=20000,
        complaint_fine_min_fen=20000,
        complaint_fine_max_fen=50000,
        repeat_fine_max_fen=100000,
        year_start_month=1,
        note="规范化服务实施方案（2023）默认标准",
    )


class Migration(migrations.Migration):
    dependencies = [("penalties", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
