"""Issue 9: the outstanding fines' count and totals without reading every fine owed.

``OutstandingTotal`` holds, per year, team and department, how many fines are owed and the sums
of their kept balances (kept by ``penalties.services.ledger`` with every entry); filled here from
the penalties' balances as they stand.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Sum


def fill_from_balances(apps, schema_editor):
    Penalty = apps.get_model("penalties", "Penalty")
    OutstandingTotal = apps.get_model("penalties", "OutstandingTotal")
    rows = (
        Penalty.objects.filter(owed_fen__gt=0)
        .order_by()
        .values("eligibility_year", "team_id", "department_id")
        .annotate(
            fines=Count("pk"),
            owed=Sum("owed_fen"),
            collected=Sum("ledger_collected_fen"),
            waived=Sum("ledger_waived_fen"),
        )
    )
    OutstandingTotal.objects.bulk_create(
        OutstandingTotal(
            eligibility_year=row["eligibility_year"],
            team_id=row["team_id"],
            department_id=row["department_id"],
            fines=row["fines"],
            owed_fen=int(row["owed"]),
            collected_fen=int(row["collected"]),
            waived_fen=int(row["waived"]),
        )
        for row in rows
    )


class Migration(migrations.Migration):

    dependencies = [
        ('penalties', '0012_ledger_balances_per_person'),
        ('roster', '0005_list_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='OutstandingTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('eligibility_year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('fines', models.IntegerField(default=0, verbose_name='fines owed')),
                ('owed_fen', models.BigIntegerField(default=0, verbose_name='outstanding (fen)')),
                ('collected_fen', models.BigIntegerField(default=0, verbose_name='collected (fen)')),
                ('waived_fen', models.BigIntegerField(default=0, verbose_name='waived (fen)')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='roster.department', verbose_name='department')),
                ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='roster.team', verbose_name='team')),
            ],
            options={
                'verbose_name': 'total of the outstanding fines',
                'verbose_name_plural': 'totals of the outstanding fines',
                'ordering': ['eligibility_year', 'team', 'department'],
                'constraints': [models.UniqueConstraint(fields=('eligibility_year', 'team', 'department'), name='outstanding_total_once')],
            },
        ),
        migrations.RunPython(fill_from_balances, migrations.RunPython.noop, elidable=True),
    ]
