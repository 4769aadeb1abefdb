"""Shared admin building blocks: read-only audit tables, links between related objects, readable JSON."""

import json
from typing import Any

from django.db import models
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.http import urlencode

EMPTY = "—"


class ReadOnlyAdminMixin:
    """An audit or outbox table: rows are written by the services only and never added, changed or removed here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def change_url(obj: models.Model) -> str | None:
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


def changelist_url(model: type[models.Model], **filters: Any) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def link(obj: models.Model | None, text: Any = None) -> str:
    """A link to the object's admin page, labelled with `text` (its `str` by default); a dash for None."""
    if obj is None:
        return EMPTY
    url = change_url(obj)
    label = obj if text is None else text
    return format_html('<a href="{}">{}</a>', url, label) if url else str(label)


def user_link(user_id: int | str | None, label: Any = None) -> str:
    """A link to a user's admin page by id (for columns that hold a user id without a foreign key)."""
    if user_id is None:
        return EMPTY
    url = reverse("admin:accounts_user_change", args=[user_id])
    return format_html('<a href="{}">{}</a>', url, label if label is not None else f"user {user_id}")


def pretty_json(value: Any) -> str:
    """JSON as staff read it: indented, keys in order, non-ASCII kept."""
    if value in (None, "", [], {}):
        return EMPTY
    return format_html(
        '<pre style="white-space: pre-wrap; margin: 0">{}</pre>', json.dumps(value, indent=2, ensure_ascii=False)
    )


def yes_no_unset(value: bool | None, *, yes: str = "yes", no: str = "no", unset: str = "not set") -> str:
    """A nullable boolean in words (the admin draws None as a question mark otherwise)."""
    if value is None:
        return unset
    return yes if value else no
