"""Every result belongs to an inspection (CASCADE, not null), and every inspection has a team and
a moment (both required): the copies are required too, and a team's part of the findings list
gets the list's index led by the team. ``occurred_at`` must be NOT NULL for the list to be read
in branches (``tollservice.core.pagination.in_branches`` pages only by fields never NULL)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0011_finding_inspection_team_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="itemresult",
            name="inspection_team",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="roster.team",
                verbose_name="inspection's team",
            ),
        ),
        migrations.AlterField(
            model_name="itemresult",
            name="occurred_at",
            field=models.DateTimeField(editable=False),
        ),
        migrations.AddIndex(
            model_name="itemresult",
            index=models.Index(
                fields=["inspection_team", "verdict", "-occurred_at", "-inspection", "position", "id"],
                name="finding_inspection_team_order",
            ),
        ),
    ]
