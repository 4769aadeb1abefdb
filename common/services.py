"""Helpers every app's services share: changing a row's fields (`model_update`)."""

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def _current(instance: models.Model, field: Any, new: Any) -> tuple[Any, Any]:
    """(old, new) in comparable form: a relation is compared by key, without loading the related row."""
    if field.is_relation and field.many_to_one:
        new_key = new.pk if isinstance(new, models.Model) else new
        return getattr(instance, field.attname), new_key
    return getattr(instance, field.attname), new


def model_update(
    *, instance: M, fields: Iterable[str], data: Mapping[str, Any], save: bool = True
) -> tuple[M, dict[str, list[Any]]]:
    """Set those of `fields` that `data` carries with a different value, and save only those columns.

    Returns the instance and what changed, `{field: [old, new]}` (relations by key; empty when nothing was
    written). An `auto_now` field (`updated_at`) is saved along with a real change, never on its own.
    With `save=False` the caller saves the changed fields itself, in the same write as its own (a state
    machine's move). Validation is the caller's job (serializers and the service's own rules).
    """
    changes: dict[str, list[Any]] = {}
    for name in fields:
        if name not in data:
            continue
        field = instance._meta.get_field(name)
        old, new = _current(instance, field, data[name])
        if old == new:
            continue
        changes[name] = [old, new]
        setattr(instance, name, data[name])
    if changes and save:
        auto_now = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
        instance.save(update_fields=[*changes, *(name for name in auto_now if name not in changes)])
    return instance, changes
