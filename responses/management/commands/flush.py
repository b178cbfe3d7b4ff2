"""Django's flush, with the guards on published records lifted while it erases everything.

Migrations 0007 and 0008 put triggers on the tables of published records: rows cannot be
deleted, nor tables erased. Flushing empties the whole database: the test runner does it
after every transactional (browser) test, and an operator with `manage.py flush`. SQLite
flushes with DELETE, which the row triggers refuse; PostgreSQL with TRUNCATE, which the
statement triggers refuse. Emptying the whole database is not editing the record (dropping
it is the same act), so this command, and only it, lifts the triggers for the flush and
puts them back as they were: SQLite re-creates exactly the definitions it stored,
PostgreSQL disables and re-enables them. If the flush fails, they are put back all the same.
"""

from contextlib import contextmanager

from django.core.management.commands import flush
from django.db import connections


@contextmanager
def triggers_lifted(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
            )
            stored = cursor.fetchall()
            for name, _ in stored:
                cursor.execute(f'DROP TRIGGER "{name}"')
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"
            )
            stored = [table for (table,) in cursor.fetchall()]
            for table in stored:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            stored = []
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for item in stored:
                if connection.vendor == "sqlite":
                    cursor.execute(item[1])
                else:
                    cursor.execute(f"ALTER TABLE {item} ENABLE TRIGGER USER")


class Command(flush.Command):
    def handle(self, **options):
        with triggers_lifted(connections[options["database"]]):
            super().handle(**options)
