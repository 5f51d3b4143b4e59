"""The default time limits and figure definitions (the office edits them in the portal).

Urgency limits: normal — first contact within 24 hours, answer within 5 working days; urgent —
12 hours, 3 working days; very urgent — 2 hours, 1 working day. Accepted within 24 hours of
arrival, return visit within 3 days of the answer, review within 3 working days, drivers'
personal data kept 365 days after closing.
"""

from django.db import migrations

LIMITS = {"normal": (24, 5), "urgent": (12, 3), "very_urgent": (2, 1)}


def seed(apps, schema_editor):
    ComplaintSettings = apps.get_model("complaints", "ComplaintSettings")
    UrgencyLimit = apps.get_model("complaints", "UrgencyLimit")
    ComplaintSettings.objects.get_or_create(pk=1)
    for urgency, (hours, days) in LIMITS.items():
        UrgencyLimit.objects.get_or_create(
            urgency=urgency, defaults={"first_contact_hours": hours, "answer_working_days": days}
        )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
