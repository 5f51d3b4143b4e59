"""PostgreSQL: the append-only tables refuse TRUNCATE, as they refuse UPDATE and DELETE (0004).

TRUNCATE is a statement, not a row operation, so the row triggers of 0004 and 0006 never saw
it: ``TRUNCATE roster_staff CASCADE`` (or of any table a penalty points at) emptied the ledger.
A statement-level ``BEFORE TRUNCATE`` trigger on each append-only table now raises instead —
for a cascade too, since PostgreSQL fires the triggers of every table a cascade reaches.

The one caller that must empty them is the test runner's flush between transactional tests:
the test settings' database backend (``tollservice.core.db.test_postgresql``) runs
``SET LOCAL tollservice.allow_truncate = 'on'`` inside the flush's own transaction, which the
trigger accepts. This guards against accidents (a console, a script, a cascade); a deployment
that wants the database to refuse even a deliberate wipe runs the portal as a role that does
not own the tables (README, "Running on PostgreSQL").

SQLite has no TRUNCATE (the test flush there uses DELETE, which the ORM guards refuse).
"""

from django.db import migrations

TABLES = [
    "penalties_penalty",
    "penalties_penaltyprovision",
    "penalties_penaltyprohibition",
    "penalties_penaltyevent",
    "penalties_ledgerentry",
    "penalties_ledgerperiodclose",
    "penalties_waiverapproval",
    "penalties_accountabilityrecord",
    "penalties_penaltypolicy",
]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION penalties_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('tollservice.allow_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'append-only: % cannot be truncated', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PG_FUNCTION, params=None)  # no parameters: '%' is PL/pgSQL's own
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION penalties_refuse_truncate();"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS penalties_refuse_truncate();")


class Migration(migrations.Migration):
    dependencies = [
        ("penalties", "0007_penaltyevent_not_notified"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
