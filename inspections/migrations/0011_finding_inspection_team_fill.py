"""Fill ``ItemResult.inspection_team`` (and any ``occurred_at`` still empty) from each result's
inspection, a range of keys at a time: every inspection has a dozen results or more, so one
UPDATE of the whole table would hold its locks (and its undo) for all of them. Not atomic: each
batch commits, and a run stopped halfway is taken up again where rows are still empty."""

from django.db import migrations, models

BATCH = 5_000


def fill(apps, schema_editor):
    ItemResult = apps.get_model("inspections", "ItemResult")
    Inspection = apps.get_model("inspections", "Inspection")
    inspection = Inspection.objects.filter(pk=models.OuterRef("inspection_id"))
    empty = models.Q(inspection_team__isnull=True) | models.Q(occurred_at__isnull=True)
    bounds = ItemResult.objects.filter(empty).aggregate(first=models.Min("pk"), last=models.Max("pk"))
    if bounds["first"] is None:
        return
    for start in range(bounds["first"], bounds["last"] + 1, BATCH):
        ItemResult.objects.filter(empty, pk__gte=start, pk__lt=start + BATCH).update(
            inspection_team_id=models.Subquery(inspection.values("team_id")[:1]),
            occurred_at=models.Subquery(inspection.values("occurred_at")[:1]),
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("inspections", "0010_finding_inspection_team"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
