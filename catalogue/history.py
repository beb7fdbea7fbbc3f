"""What the catalogue's history records (django-reversion), for every model of the content
apps: who changed what and when, restorable from admin (catalogue.admin).

A role is recorded whole: each version holds the role with all of its rows (ROLE_PARTS), so
restoring one brings back rows deleted since and removes rows added since. The rows follow
their role in turn, so a change made on another page (a band edited on the salary bands
page) shows in the role's history too. Restoring reverts a whole revision, so a revision must
hold one role at most: see ROLE_PARTS (role skills), catalogue.admin and the loader.

Search vectors are left out: they are derived from the text, and rebuilt after a restore.
So are review steps (roles.ReviewEvent): they are the record of who asked and who approved,
which restoring an old version of a role must never rewrite."""

import reversion
from django.apps import apps
from django.contrib.postgres.search import SearchVectorField

from roles.models import ReviewEvent, Role

from .parts import ROLE_PARTS, part_of


def register_history(app_labels) -> None:
    """Register every model of the content apps with django-reversion. Run once, before the
    admin makes its pages (CatalogueConfig.ready)."""
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            if model is ReviewEvent:
                continue
            reversion.register(model, follow=_follows(model), exclude=_derived_fields(model))


def _follows(model) -> list[str]:
    if model is Role:
        return [part.name for part in ROLE_PARTS]
    part = part_of(model)
    return ["role"] if part and part.follows_role_in_history else []


def _derived_fields(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, SearchVectorField) or field.generated
    ]
