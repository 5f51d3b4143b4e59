"""Issue 9: the balances per person and the outstanding fines' totals without summing every entry.

``LedgerStaffMonthTotal`` holds the ledger's sums per month and person penalized (kept by
``penalties.services.ledger`` with every entry, like ``LedgerMonthTotal``);
``Penalty.ledger_collected_fen`` and ``ledger_waived_fen`` are what a penalty's entries collected
and waived, beside ``owed_fen``; the index of outstanding fines holds them. All are filled here
from the ledger as it stands.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce


def fill_from_ledger(apps, schema_editor):
    Penalty = apps.get_model("penalties", "Penalty")
    LedgerEntry = apps.get_model("penalties", "LedgerEntry")
    LedgerStaffMonthTotal = apps.get_model("penalties", "LedgerStaffMonthTotal")
    big = models.BigIntegerField()

    def net(kind):
        signed = Case(
            When(kind=kind, then=F("amount_fen")),
            When(kind="reversal", reversed_kind=kind, then=F("amount_fen") * Value(-1, output_field=big)),
            default=Value(0, output_field=big),
            output_field=big,
        )
        sums = LedgerEntry.objects.filter(penalty=OuterRef("pk")).order_by().values("penalty")
        return Coalesce(Subquery(sums.annotate(net=Sum(signed)).values("net")), 0, output_field=big)

    Penalty.objects.filter(Q(pk__in=LedgerEntry.objects.values("penalty"))).update(
        ledger_collected_fen=net("collected"), ledger_waived_fen=net("waived")
    )
    sums = (
        LedgerEntry.objects.order_by()
        .values_list("booked_on", "penalty__staff_id", "kind", "reversed_kind")
        .annotate(total=Sum("amount_fen"), count=Count("pk"))
    )
    rows: dict = {}
    for booked_on, staff_id, kind, reversed_kind, total, count in sums:
        key = (booked_on.replace(day=1), staff_id)
        row = rows.setdefault(key, {"entries": 0, "assessed_fen": 0, "collected_fen": 0, "waived_fen": 0})
        row["entries"] += count
        if kind == "reversal":
            row[f"{reversed_kind}_fen"] -= int(total)
        else:
            row[f"{kind}_fen"] += int(total)
    LedgerStaffMonthTotal.objects.bulk_create(
        LedgerStaffMonthTotal(month=month, staff_id=staff_id, **row) for (month, staff_id), row in rows.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("penalties", "0011_ledger_month_totals"),
        ("roster", "0005_list_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="LedgerStaffMonthTotal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField(help_text="The first day of the month.", verbose_name="month")),
                ("entries", models.PositiveIntegerField(default=0, verbose_name="entries")),
                ("assessed_fen", models.BigIntegerField(default=0, verbose_name="assessed (fen)")),
                ("collected_fen", models.BigIntegerField(default=0, verbose_name="collected (fen)")),
                ("waived_fen", models.BigIntegerField(default=0, verbose_name="waived (fen)")),
                (
                    "staff",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="roster.staff",
                        verbose_name="person penalized",
                    ),
                ),
            ],
            options={
                "verbose_name": "ledger total of a person's month",
                "verbose_name_plural": "ledger totals of persons' months",
                "ordering": ["staff", "month"],
                "constraints": [
                    models.UniqueConstraint(fields=("staff", "month"), name="ledger_staff_month_total_once")
                ],
            },
        ),
        migrations.RemoveIndex(model_name="penalty", name="penalty_owed_in_force"),
        migrations.AddField(
            model_name="penalty",
            name="ledger_collected_fen",
            field=models.BigIntegerField(default=0, editable=False, verbose_name="collected (fen), from the ledger"),
        ),
        migrations.AddField(
            model_name="penalty",
            name="ledger_waived_fen",
            field=models.BigIntegerField(default=0, editable=False, verbose_name="waived (fen), from the ledger"),
        ),
        migrations.RunPython(fill_from_ledger, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="penalty",
            index=models.Index(
                condition=models.Q(("owed_fen__gt", 0)),
                fields=["in_force_from", "id", "status", "owed_fen", "ledger_collected_fen", "ledger_waived_fen"],
                name="penalty_owed_in_force",
            ),
        ),
    ]
