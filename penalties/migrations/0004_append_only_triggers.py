"""The database itself refuses to change append-only rows (PEN-5: no 小金库).

The models and querysets already refuse, but raw SQL, a database console or a future bug in
Django code would not pass through them. These triggers make the ledger, the penalty steps, the
waiver approvals, the accountability records and the policy history unchangeable below the ORM:

- PostgreSQL: UPDATE and DELETE of a row raise an error (TRUNCATE, which only a test run's flush
  or a deliberate wipe uses, is a statement-level operation and not covered).
- SQLite: UPDATE raises an error. DELETE is left alone, because Django's test flush on SQLite
  empties tables with DELETE; the ORM guards still refuse deletion.

SQLite drops a table's triggers when a migration rebuilds the table; the test
``test_database_refuses_to_change_append_only_rows`` fails if that ever happens unnoticed.
"""

from django.db import migrations

APPEND_ONLY_TABLES = [
    "penalties_ledgerentry",
    "penalties_penaltyevent",
    "penalties_waiverapproval",
    "penalties_accountabilityrecord",
    "penalties_penaltypolicy",
]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION penalties_refuse_append_only_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only: rows of % cannot be changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)  # no parameters: '%' is PL/pgSQL's own
        for table in APPEND_ONLY_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION penalties_refuse_append_only_change();"
            )
    elif vendor == "sqlite":
        for table in APPEND_ONLY_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'append-only: rows of {table} cannot be changed'); END;"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in APPEND_ONLY_TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only;")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS penalties_refuse_append_only_change();")


class Migration(migrations.Migration):
    dependencies = [
        ("penalties", "0003_circular_withdrawal_waiver_reversal"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
