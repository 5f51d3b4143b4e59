"""The provisions a penalty cites (PEN-1) and the prohibitions it is handled under (PEN-2) are
append-only like the ledger: the model layer refuses to change or delete them, and, as in 0004,
so does the database (UPDATE on SQLite; UPDATE and DELETE on PostgreSQL)."""

from django.db import migrations

TABLES = ["penalties_penaltyprovision", "penalties_penaltyprohibition"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION penalties_refuse_append_only_change();"
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only: rows of {table} cannot be changed'); END;"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only;")


class Migration(migrations.Migration):
    dependencies = [
        ("penalties", "0005_ledger_period_close"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="penaltyprohibition",
            options={
                "base_manager_name": "objects",
                "ordering": ["number"],
                "verbose_name": "prohibition concerned",
                "verbose_name_plural": "prohibitions concerned",
            },
        ),
        migrations.AlterModelOptions(
            name="penaltyprovision",
            options={
                "base_manager_name": "objects",
                "ordering": ["code"],
                "verbose_name": "provision breached",
                "verbose_name_plural": "provisions breached",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
