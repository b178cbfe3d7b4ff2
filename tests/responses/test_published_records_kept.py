"""Published records are kept by the database itself (migration 0008), on SQLite and PostgreSQL:
each way round the model's own guards that the issue found is refused."""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet

from responses.models import Publication
from tests.factories import make_inspection, make_publication, make_response

REFUSED = "published record cannot be|onward copy, once recorded"
ONWARD = {
    "sent_to_hmicfrs_on",
    "sent_to_hmicfrs_by",
    "sent_to_home_secretary_on",
    "sent_to_home_secretary_by",
}


@pytest.fixture
def published(db, publisher):
    return make_publication(make_response(make_inspection(title="As published")), publisher)


def refused():
    return pytest.raises(IntegrityError, match=REFUSED)


def _unchanged(publication):
    stored = Publication.objects.get(pk=publication.pk)
    assert stored.title == "As published"
    assert stored.history.count() == 1


def _sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_base_manager_cannot_update_it(published):
    with refused(), transaction.atomic():
        Publication._base_manager.filter(pk=published.pk).update(title="Rewritten")
    _unchanged(published)


def test_a_plain_queryset_cannot_update_it(published):
    with refused(), transaction.atomic():
        QuerySet(Publication).filter(pk=published.pk).update(title="Rewritten")
    _unchanged(published)


def test_a_raw_delete_cannot_remove_it(published):
    with refused(), transaction.atomic():
        QuerySet(Publication).filter(pk=published.pk)._raw_delete(connection.alias)
    _unchanged(published)


def test_an_upsert_cannot_overwrite_it(published):
    copy = Publication.objects.get(pk=published.pk)
    copy.title = "Rewritten"
    with refused(), transaction.atomic():
        QuerySet(Publication).bulk_create(
            [copy],
            update_conflicts=True,
            unique_fields=["id"],
            update_fields=["title"],
        )
    _unchanged(published)


def test_raw_sql_cannot_update_or_delete_it(published):
    with refused():
        _sql("UPDATE responses_publication SET title = 'Rewritten' WHERE id = %s", [published.pk])
    with refused():
        _sql("DELETE FROM responses_publication WHERE id = %s", [published.pk])
    _unchanged(published)


def test_its_history_cannot_be_deleted_or_rewritten(published):
    with refused(), transaction.atomic():
        Publication.history.all().delete()
    with refused(), transaction.atomic():
        Publication.history.filter(id=published.pk).update(title="Rewritten")
    with refused():
        _sql("DELETE FROM responses_historicalpublication")
    _unchanged(published)


def test_no_table_of_the_record_can_be_erased(published):
    if connection.vendor == "postgresql":
        # The test's own inserts leave deferred foreign key checks, which TRUNCATE would meet
        # before the trigger.
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
        for table in ("responses_publication", "responses_historicalpublication"):
            with refused():
                _sql(f"TRUNCATE {table}")
    else:
        # SQLite's way to overwrite a row: delete it and insert another, firing no delete trigger.
        with refused():
            _sql(
                "INSERT OR REPLACE INTO responses_publication SELECT * FROM responses_publication "
                "WHERE id = %s",
                [published.pk],
            )
    _unchanged(published)


def _other_value(field, value):
    if field.is_relation:
        return None if value is not None else field.related_model.objects.first().pk
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, datetime.datetime):
        return value + datetime.timedelta(seconds=1)
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=1)
    if value is None:
        return 1
    return value[:-1] + ("0" if value[-1:] != "0" else "1")


@pytest.mark.parametrize(
    "name",
    [f.name for f in Publication._meta.concrete_fields if f.name not in ONWARD],
)
def test_every_published_fact_is_guarded(published, name):
    field = Publication._meta.get_field(name)
    value = _other_value(
        field, field.get_db_prep_value(field.value_from_object(published), connection)
    )
    with refused():
        _sql(
            f"UPDATE responses_publication SET {field.column} = %s WHERE id = %s",
            [value, published.pk],
        )


def test_an_onward_copy_is_set_once_from_empty(published, publisher):
    columns = "sent_to_hmicfrs_on = %s, sent_to_hmicfrs_by_id = %s"
    _sql(
        f"UPDATE responses_publication SET {columns} WHERE id = %s",
        ["2025-07-01", publisher.pk, published.pk],
    )
    with refused():
        _sql(
            f"UPDATE responses_publication SET {columns} WHERE id = %s",
            ["2025-07-02", publisher.pk, published.pk],
        )
    with refused():
        _sql(
            f"UPDATE responses_publication SET {columns} WHERE id = %s", [None, None, published.pk]
        )
    published.refresh_from_db()
    assert published.sent_to_hmicfrs_on == datetime.date(2025, 7, 1)


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_empties_it_and_keeps_the_guards(make_user):
    """Transactional (browser) tests flush the database after each test: flush lifts the
    triggers while it empties every table, and they stand again afterwards."""
    publisher = make_user("pat")
    make_publication(make_response(make_inspection()), publisher)
    call_command("flush", interactive=False, verbosity=0)
    assert not Publication.objects.exists()
    publisher = make_user("pat")
    publication = make_publication(make_response(make_inspection()), publisher)
    with refused():
        _sql("DELETE FROM responses_publication WHERE id = %s", [publication.pk])


def test_the_latest_version_flag_moves_to_a_new_version_and_only_to_the_truth(published, publisher):
    second = make_publication(published.response, publisher, version=2)
    published.refresh_from_db()
    assert second.is_latest and not published.is_latest
    assert list(Publication.objects.latest_versions()) == [second]
    # Version 1 is not the newest: the database refuses to flag it, or to unflag version 2.
    for pk, value in ((published.pk, True), (second.pk, False)):
        with refused():
            _sql("UPDATE responses_publication SET is_latest = %s WHERE id = %s", [value, pk])


# The triggers the migrations make, by database. SQLite drops a table's triggers when a later
# migration remakes the table (as it does to add or alter most columns), so a migration that
# does must make them again.
TRIGGERS = {
    "sqlite": {
        "responses_historicalfindingresponse_version_follows",
        "responses_historicalresponse_version_follows",
        "responses_history_kept_delete",
        "responses_history_kept_update",
        "responses_history_not_replaced",
        "responses_publication_kept_delete",
        "responses_publication_kept_update",
        "responses_publication_not_replaced",
        "responses_publication_onward_once",
        "responses_publication_flag_true",
        "responses_publication_flag_update",
        "responses_response_answered_insert",
        "responses_response_answered_update",
        "responses_response_answered_delete",
    },
    "postgresql": {
        "responses_historicalfindingresponse_version_follows",
        "responses_historicalresponse_version_follows",
        "responses_history_kept",
        "responses_history_not_erased",
        "responses_publication_kept",
        "responses_publication_not_erased",
        "responses_publication_flag_true",
        "responses_response_answered",
    },
}
LIST_TRIGGERS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
    "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal",
}


def test_every_trigger_outlives_the_migrations_after_it(db):
    with connection.cursor() as cursor:
        cursor.execute(LIST_TRIGGERS[connection.vendor])
        found = {name for (name,) in cursor.fetchall()}
    assert found == TRIGGERS[connection.vendor]
