"""Published records are kept as published, whatever path reaches the database.

Triggers on PostgreSQL and SQLite refuse to change what a publication says, to delete or
erase a publication, and to change, delete or erase any of its history rows. The onward-copy
fields (Police Act 1996 s.55(6)) may be set once, from empty. Only `manage.py flush`, which
erases the whole database, lifts them for its duration (responses/management/commands/flush.py).
"""

from django.db import migrations

PUBLICATION = "responses_publication"
HISTORY = "responses_historicalpublication"
ONWARD = (
    "sent_to_hmicfrs_on",
    "sent_to_hmicfrs_by_id",
    "sent_to_home_secretary_on",
    "sent_to_home_secretary_by_id",
)
CHANGED = "A published record cannot be changed"
DELETED = "A published record cannot be deleted"
ONWARD_SET = "An onward copy, once recorded, cannot be changed"

POSTGRESQL = f"""
CREATE OR REPLACE FUNCTION responses_publication_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION '{DELETED} (%)', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF to_jsonb(NEW) - ARRAY[{", ".join(f"'{c}'" for c in ONWARD)}]
            IS DISTINCT FROM to_jsonb(OLD) - ARRAY[{", ".join(f"'{c}'" for c in ONWARD)}] THEN
        RAISE EXCEPTION '{CHANGED} (version % of response %)', OLD.version, OLD.response_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF {" OR ".join(f"(OLD.{c} IS NOT NULL AND NEW.{c} IS DISTINCT FROM OLD.{c})" for c in ONWARD)} THEN
        RAISE EXCEPTION '{ONWARD_SET} (version % of response %)', OLD.version, OLD.response_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION responses_history_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{CHANGED} (% of %)', lower(TG_OP), TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER responses_publication_kept BEFORE UPDATE OR DELETE ON {PUBLICATION}
    FOR EACH ROW EXECUTE FUNCTION responses_publication_kept();
CREATE TRIGGER responses_publication_not_erased BEFORE TRUNCATE ON {PUBLICATION}
    FOR EACH STATEMENT EXECUTE FUNCTION responses_publication_kept();
CREATE TRIGGER responses_history_kept BEFORE UPDATE OR DELETE ON {HISTORY}
    FOR EACH ROW EXECUTE FUNCTION responses_history_kept();
CREATE TRIGGER responses_history_not_erased BEFORE TRUNCATE ON {HISTORY}
    FOR EACH STATEMENT EXECUTE FUNCTION responses_history_kept();
"""

POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS responses_publication_kept ON {PUBLICATION};
DROP TRIGGER IF EXISTS responses_publication_not_erased ON {PUBLICATION};
DROP TRIGGER IF EXISTS responses_history_kept ON {HISTORY};
DROP TRIGGER IF EXISTS responses_history_not_erased ON {HISTORY};
DROP FUNCTION IF EXISTS responses_publication_kept();
DROP FUNCTION IF EXISTS responses_history_kept();
"""

SQLITE_TRIGGERS = (
    "responses_publication_kept_update",
    "responses_publication_onward_once",
    "responses_publication_kept_delete",
    "responses_publication_not_replaced",
    "responses_history_kept_update",
    "responses_history_kept_delete",
    "responses_history_not_replaced",
)


def _sqlite(columns: list[str]) -> list[str]:
    """SQLite has no generic row comparison: the trigger names every column of the record as
    it stands at this migration (a test checks that each column is guarded)."""
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns if c not in ONWARD)
    onward = " OR ".join(f"(OLD.{c} IS NOT NULL AND NEW.{c} IS NOT OLD.{c})" for c in ONWARD)
    # INSERT OR REPLACE deletes the row it replaces without firing delete triggers (unless
    # recursive triggers are on): refuse an insert over an existing row.
    return [
        f"CREATE TRIGGER responses_publication_kept_update BEFORE UPDATE ON {PUBLICATION} "
        f"WHEN {changed} BEGIN SELECT RAISE(ABORT, '{CHANGED}'); END",
        f"CREATE TRIGGER responses_publication_onward_once BEFORE UPDATE ON {PUBLICATION} "
        f"WHEN {onward} BEGIN SELECT RAISE(ABORT, '{ONWARD_SET}'); END",
        f"CREATE TRIGGER responses_publication_kept_delete BEFORE DELETE ON {PUBLICATION} "
        f"BEGIN SELECT RAISE(ABORT, '{DELETED}'); END",
        f"CREATE TRIGGER responses_publication_not_replaced BEFORE INSERT ON {PUBLICATION} "
        f"WHEN EXISTS (SELECT 1 FROM {PUBLICATION} WHERE id = NEW.id "
        "OR (response_id = NEW.response_id AND version = NEW.version)) "
        f"BEGIN SELECT RAISE(ABORT, '{CHANGED}'); END",
        f"CREATE TRIGGER responses_history_kept_update BEFORE UPDATE ON {HISTORY} "
        f"BEGIN SELECT RAISE(ABORT, '{CHANGED}'); END",
        f"CREATE TRIGGER responses_history_kept_delete BEFORE DELETE ON {HISTORY} "
        f"BEGIN SELECT RAISE(ABORT, '{DELETED}'); END",
        f"CREATE TRIGGER responses_history_not_replaced BEFORE INSERT ON {HISTORY} "
        f"WHEN EXISTS (SELECT 1 FROM {HISTORY} WHERE history_id = NEW.history_id) "
        f"BEGIN SELECT RAISE(ABORT, '{CHANGED}'); END",
    ]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # No parameters: the function bodies have their own % placeholders.
        schema_editor.execute(POSTGRESQL, params=None)
    elif vendor == "sqlite":
        model = apps.get_model("responses", "Publication")
        for statement in _sqlite([field.column for field in model._meta.concrete_fields]):
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No triggers keeping published records for {vendor}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REVERSE)
        return
    for name in SQLITE_TRIGGERS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("responses", "0008_history_versions_unique"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
