"""CMP-7: the database itself refuses to delete a registration, and to change or delete a step
of a complaint's timeline, below the ORM (raw SQL, a database console).

- PostgreSQL: DELETE of a complaint, UPDATE or DELETE of a timeline step raise an error
  (TRUNCATE, which only a test run's flush or a deliberate wipe uses, is not covered).
- SQLite: UPDATE of a timeline step raises an error. DELETE is left alone, because Django's test
  flush on SQLite empties tables with DELETE; the model and queryset guards still refuse it.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION complaints_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'complaints: rows of % are kept for the record (void a registration instead)', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION, params=None)  # '%' is PL/pgSQL's own
        schema_editor.execute(
            "CREATE TRIGGER complaints_complaint_kept BEFORE DELETE ON complaints_complaint "
            "FOR EACH ROW EXECUTE FUNCTION complaints_refuse_change();"
        )
        schema_editor.execute(
            "CREATE TRIGGER complaints_complaintevent_kept BEFORE UPDATE OR DELETE ON complaints_complaintevent "
            "FOR EACH ROW EXECUTE FUNCTION complaints_refuse_change();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE TRIGGER complaints_complaintevent_kept BEFORE UPDATE ON complaints_complaintevent "
            "BEGIN SELECT RAISE(ABORT, 'complaints: timeline steps cannot be changed'); END;"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS complaints_complaint_kept ON complaints_complaint;")
        schema_editor.execute("DROP TRIGGER IF EXISTS complaints_complaintevent_kept ON complaints_complaintevent;")
        schema_editor.execute("DROP FUNCTION IF EXISTS complaints_refuse_change();")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS complaints_complaintevent_kept;")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_defaults")]

    operations = [migrations.RunPython(create, drop)]
