"""Rectification orders keep their inspection's team (who sees an order is decided on the
inspection; the column gives a team's part of the order list its index): added empty, filled
from each order's inspection, then required (0009)."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    RectificationOrder = apps.get_model("inspections", "RectificationOrder")
    Inspection = apps.get_model("inspections", "Inspection")
    RectificationOrder.objects.update(
        inspection_team_id=models.Subquery(
            Inspection.objects.filter(pk=models.OuterRef("inspection_id")).values("team_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0007_reader_part_indexes"),
        ("roster", "0005_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="rectificationorder",
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
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
