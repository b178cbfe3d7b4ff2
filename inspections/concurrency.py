"""Optimistic concurrency: edits never overwrite each other silently.

A tracked row has a `version`, bumped on every save. An edit form carries the version it was
loaded from, so saving is a three-way merge against what the person saw then: the fields they
changed are saved, the fields they left alone keep whatever others saved meanwhile, and when
someone else changed a field they changed too (to something else), nothing is saved and a
Conflict holds both values, so they can merge them and save against the version now seen.

Callers lock the row (select_for_update) inside their own transaction first, so that the
comparison and the save see the same row. Inspections, findings, responses and answers all
save through here.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from inspections.history import display_value
from inspections.richtext import NormalisedTextField


@dataclass(frozen=True)
class Conflict:
    """Someone changed the same fields since the form was loaded: both values, to merge."""

    yours: dict[str, Any]
    saved: dict[str, Any]
    version: int
    # What the form should hold now: the saved values with the person's own changes on top.
    merged: dict[str, Any] = field(default_factory=dict)


def save_version(obj: models.Model, *, actor, reason: str) -> None:
    """Saves a tracked row as a new version, with who and why in its history row (with no
    `actor`, the history records whoever made the request)."""
    obj.version += 1
    if actor is not None:
        obj._history_user = actor
    obj._change_reason = reason
    obj.save()


def _comparable(model_field: models.Field, value):
    """`value` as the database holds it, so that unchanged input compares equal."""
    if model_field.is_relation:
        return getattr(value, "pk", value)
    if isinstance(model_field, NormalisedTextField):
        return model_field.stored(value)
    return value


def _values_at(obj: models.Model, version: int | None, names) -> dict[str, Any] | None:
    """The stored values of `names` at `version` (0: the row did not exist yet; None if the
    version is unknown)."""
    fields = [obj._meta.get_field(name) for name in names]
    if version == 0:
        return {f.name: _comparable(f, f.get_default()) for f in fields}
    record = (
        type(obj)
        .history.filter(id=obj.pk, version=version)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        return None
    return {f.name: getattr(record, f.attname) for f in fields}


def _current(obj: models.Model, name: str):
    return getattr(obj, obj._meta.get_field(name).attname)


def changed_since(obj: models.Model, loaded_version: int | None, names) -> bool:
    """Whether any of the fields `names` of the (locked) `obj` changed after `loaded_version`."""
    if obj.version == loaded_version:
        return False
    loaded = _values_at(obj, loaded_version, names)
    return loaded is None or any(loaded[name] != _current(obj, name) for name in names)


def save_fields(
    obj: models.Model,
    *,
    values: Mapping[str, Any],
    loaded_version: int | None,
    actor,
    reason: str,
    also: Mapping[str, Any] | None = None,
) -> Conflict | None:
    """Saves the person's changes in `values` onto the locked `obj` as a new version, unless
    someone else changed one of the same fields since `loaded_version`: then nothing is saved
    and the Conflict is returned.

    Nothing is saved when nothing changed. `also` is set alongside a real change (for
    example, an edit sending an approved response back to draft).
    """
    yours = {name: _comparable(obj._meta.get_field(name), v) for name, v in values.items()}
    current = {name: _current(obj, name) for name in values}
    loaded = current if obj.version == loaded_version else _values_at(obj, loaded_version, values)
    if loaded is None:
        # What the person saw is unknown: whatever they would change may undo someone's work.
        changed = [name for name in values if yours[name] != current[name]]
        clashes = changed
    else:
        changed = [name for name in values if yours[name] != loaded[name]]
        clashes = [name for name in changed if current[name] not in (loaded[name], yours[name])]
    if clashes:
        return Conflict(
            yours={name: values[name] for name in clashes},
            saved={name: getattr(obj, name) for name in clashes},
            version=obj.version,
            merged={
                name: values[name] if name in changed else getattr(obj, name) for name in values
            },
        )
    changes = {name: values[name] for name in changed if yours[name] != current[name]}
    if not changes:
        return None
    for name, value in {**changes, **(also or {})}.items():
        setattr(obj, name, value)
    save_version(obj, actor=actor, reason=reason)
    return None


@transaction.atomic
def save_edit(
    obj: models.Model, *, values: Mapping[str, Any], loaded_version: int, actor, reason: str
) -> Conflict | None:
    """Locks `obj`'s row and saves `values` onto it through save_fields."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    return save_fields(
        locked, values=values, loaded_version=loaded_version, actor=actor, reason=reason
    )


# --- showing a conflict ----------------------------------------------------------------


def conflict_rows(conflict: Conflict, form, model: type[models.Model]) -> list[dict[str, str]]:
    """One row per field in conflict, for the side-by-side table: both values in words."""
    rows = []
    for name, saved in conflict.saved.items():
        field = model._meta.get_field(name)
        bound = form[name] if name in form.fields else None
        rows.append(
            {
                "label": bound.label if bound else str(field.verbose_name).capitalize(),
                "id": bound.id_for_label if bound else "",
                "yours": display_value(field, conflict.yours[name]),
                "saved": display_value(field, saved),
            }
        )
    return rows


def form_after_conflict(form, conflict: Conflict, **kwargs):
    """The form again, holding the saved values with the person's own changes on top and the
    version they have now seen, so that saving their merge goes through unless someone saves
    yet again. `kwargs` are what else the form is made with."""
    if hasattr(form, "instance"):
        kwargs["instance"] = form.instance
    return form.__class__(
        initial={**conflict.merged, "version": conflict.version},
        auto_id=form.auto_id,
        prefix=form.prefix,
        **kwargs,
    )
