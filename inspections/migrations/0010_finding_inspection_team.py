"""Findings keep their inspection's team (who sees a finding is decided on the inspection; the
column gives a team's part of the findings list its index): added empty here, filled from each
finding's inspection (0011), then required with its index (0012)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0009_order_inspection_team_required"),
        ("roster", "0005_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="itemresult",
            name="inspection_team",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="roster.team",
                verbose_name="inspection's team",
            ),
        ),
    ]
