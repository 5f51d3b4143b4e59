"""Issue 9: the ledger's lists and reconciliation read their pages through indexes.

``Penalty.owed_fen`` is the ledger-derived balance the outstanding list filters on (kept by
``penalties.services.ledger`` with every entry); it is filled here from the ledger as it stands.
"""

from django.db import migrations, models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce


def fill_owed(apps, schema_editor):
    Penalty = apps.get_model("penalties", "Penalty")
    LedgerEntry = apps.get_model("penalties", "LedgerEntry")
    big = models.BigIntegerField()
    negative = F("amount_fen") * Value(-1, output_field=big)
    settles = Q(kind__in=("collected", "waived")) | Q(kind="reversal", reversed_kind="assessed")
    owed = (
        LedgerEntry.objects.filter(penalty=OuterRef("pk"))
        .order_by()
        .values("penalty")
        .annotate(owed=Sum(Case(When(settles, then=negative), default=F("amount_fen"), output_field=big)))
        .values("owed")
    )
    Penalty.objects.filter(Q(pk__in=LedgerEntry.objects.values("penalty"))).update(owed_fen=Coalesce(Subquery(owed), 0, output_field=big))


class Migration(migrations.Migration):
    dependencies = [
        ("penalties", "0008_refuse_truncate"),
    ]

    operations = [
        migrations.AddField(
            model_name="penalty",
            name="owed_fen",
            field=models.BigIntegerField(default=0, editable=False, verbose_name="outstanding (fen), from the ledger"),
        ),
        migrations.RunPython(fill_owed, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(fields=["booked_on", "created_at", "id"], name="ledger_booking_order"),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(
                condition=models.Q(("kind", "collected")),
                fields=["booked_on", "created_at", "id"],
                name="ledger_receipt_order",
            ),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(fields=["booked_on", "kind", "reversed_kind", "amount_fen"], name="ledger_sums_by_date"),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(
                fields=["penalty", "booked_on", "kind", "reversed_kind", "amount_fen"], name="ledger_sums_by_penalty"
            ),
        ),
        migrations.AddIndex(
            model_name="penalty",
            index=models.Index(
                condition=models.Q(("owed_fen__gt", 0)), fields=["in_force_from", "id"], name="penalty_owed_in_force"
            ),
        ),
        migrations.AddIndex(
            model_name="penalty",
            index=models.Index(condition=models.Q(("owed_fen__lt", 0)), fields=["owed_fen"], name="penalty_overpaid"),
        ),
    ]
