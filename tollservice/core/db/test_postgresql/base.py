"""PostgreSQL for the test suite only (``tollservice.settings.test``): the flush between
transactional tests may empty the append-only tables.

Those tables refuse TRUNCATE (``penalties`` migration 0008) unless the session setting
``tollservice.allow_truncate`` is on. This backend's flush turns it on with ``SET LOCAL``, that
is for the flush's own transaction only; nothing else in a test run, and nothing in the portal,
lifts the guard.
"""

from django.db.backends.postgresql import base, operations

ALLOW_TRUNCATE = "SET LOCAL tollservice.allow_truncate = 'on'"


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [ALLOW_TRUNCATE, *statements] if statements else statements


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
