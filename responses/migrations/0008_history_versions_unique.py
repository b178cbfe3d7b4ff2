"""One history row per version of a response and of each answer, numbered without gaps.

The unique constraints say no two saves share a version; the triggers say each save's version
follows the last one (a deletion's row repeats it), on PostgreSQL and on SQLite alike.
"""

from django.conf import settings
from django.db import migrations, models

HISTORY_TABLES = ("responses_historicalresponse", "responses_historicalfindingresponse")
REFUSAL = "A history version must follow the last version of the same row"

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION responses_history_version_follows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    last_version integer;
BEGIN
    IF NEW.history_type = '-' THEN
        RETURN NEW;
    END IF;
    EXECUTE format('SELECT max(version) FROM %I.%I WHERE id = $1', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO last_version USING NEW.id;
    IF NEW.version <> coalesce(last_version, 0) + 1 THEN
        RAISE EXCEPTION '{REFUSAL} (% %: version % after %)',
            TG_TABLE_NAME, NEW.id, NEW.version, coalesce(last_version, 0)
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
"""


def _trigger(table: str) -> str:
    return f"{table}_version_follows"


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No parameters: the function body has its own % placeholders.
        schema_editor.execute(POSTGRESQL_FUNCTION, params=None)
        for table in HISTORY_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {_trigger(table)} BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION responses_history_version_follows()"
            )
    elif vendor == "sqlite":
        for table in HISTORY_TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {_trigger(table)} BEFORE INSERT ON {table} "
                "WHEN NEW.history_type <> '-' AND NEW.version <> "
                f"coalesce((SELECT max(version) FROM {table} WHERE id = NEW.id), 0) + 1 "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            )
    else:
        raise NotImplementedError(f"No history version triggers for {vendor}")


def drop_triggers(apps, schema_editor):
    on_table = schema_editor.connection.vendor == "postgresql"
    for table in HISTORY_TABLES:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {_trigger(table)}" + (f" ON {table}" if on_table else "")
        )
    if on_table:
        schema_editor.execute("DROP FUNCTION IF EXISTS responses_history_version_follows()")


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0003_concurrency_versions'),
        ('responses', '0007_history_reasons_unlimited'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='historicalfindingresponse',
            constraint=models.UniqueConstraint(condition=models.Q(('history_type', '-'), _negated=True), fields=('id', 'version'), name='findingresponse_history_version_unique'),
        ),
        migrations.AddConstraint(
            model_name='historicalresponse',
            constraint=models.UniqueConstraint(condition=models.Q(('history_type', '-'), _negated=True), fields=('id', 'version'), name='response_history_version_unique'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
