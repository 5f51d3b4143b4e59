import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0008_order_inspection_team"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rectificationorder",
            name="inspection_team",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="roster.team",
                verbose_name="inspection's team",
            ),
        ),
        migrations.AddIndex(
            model_name="rectificationorder",
            index=models.Index(fields=["inspection_team", "deadline", "id"], name="order_inspection_team_order"),
        ),
        migrations.AddIndex(
            model_name="rectificationorder",
            index=models.Index(fields=["assignee", "deadline", "id"], name="order_assignee_order"),
        ),
        migrations.AddIndex(
            model_name="rectificationorder",
            index=models.Index(fields=["status", "answered_at", "id"], name="order_verify_queue"),
        ),
    ]
