"""What the catalogue's history records (django-reversion), for every model of the content
apps: who changed what and when, restorable from admin (catalogue.admin).

A role is recorded whole: each version holds the role with all of its rows (ROLE_PARTS), so
restoring one brings back rows deleted since and removes rows added since. The rows follow
their role in turn, so a change made on another page (a band edited on the salary bands
page) shows in the role's history too. Restoring reverts a whole revision, so a revision must
hold one role at most: see ROLE_PARTS (role skills), catalogue.admin and the loader.

The readers of that history live here too, for everything that compares versions: the role's
public change log (catalogue.changes) and admin's comparison of two versions
(catalogue.version_diffs). Both read a version's fields from its stored JSON and a revision's
rows by the names of their content types, so their query counts are the same in every process.

Search vectors are left out: they are derived from the text, and rebuilt after a restore.
So are review steps (roles.ReviewEvent): they are the record of who asked and who approved,
which restoring an old version of a role must never rewrite."""

import json

import reversion
from django.apps import apps
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVectorField
from django.db import models, router
from django.db.models import Value
from django.db.models.functions import MD5, Concat
from reversion.models import Version

from roles.models import ReviewEvent, Role

from .parts import ROLE_PARTS, part_of


def register_history(app_labels) -> None:
    """Register every model of the content apps with django-reversion. Run once, before the
    admin makes its pages (CatalogueConfig.ready)."""
    for label in app_labels:
        for model in apps.get_app_config(label).get_models():
            if model is ReviewEvent:
                continue
            reversion.register(model, follow=_follows(model), exclude=derived_fields(model))


def _follows(model) -> list[str]:
    if model is Role:
        return [part.name for part in ROLE_PARTS]
    part = part_of(model)
    return ["role"] if part and part.follows_role_in_history else []


def derived_fields(model) -> list[str]:
    """Fields worked out from others (search vectors): kilobytes a record, never recorded."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, SearchVectorField) or field.generated
    ]


# Reading the history ----------------------------------------------------------------------


def versions_of(record: models.Model) -> models.QuerySet:
    """The versions of ``record``, in no particular order."""
    # By the content type's names, not its key: no lookup of ContentType's own, so a page's
    # query count is the same in every process.
    return Version.objects.filter(
        content_type__app_label=record._meta.app_label,
        content_type__model=record._meta.model_name,
        db=router.db_for_write(type(record)),
        object_id=str(record.pk),
    )


def recorded_fields(version) -> dict:
    """The fields of the record as ``version`` holds it, by name (a foreign key's value is
    the key, a many-to-many's a list of keys)."""
    return _fields(version.serialized_data)


def _fields(serialized_data: str) -> dict:
    # reversion stores one object a version, in Django's JSON serialization.
    return json.loads(serialized_data)[0]["fields"]


def _of_models(model_list) -> models.Q:
    return models.Q.create(
        [
            models.Q(content_type__app_label=meta.app_label, content_type__model=meta.model_name)
            for meta in (model._meta for model in model_list)
        ],
        connector=models.Q.OR,
    )


def part_digests(revision_ids, parts=ROLE_PARTS) -> dict[tuple[int, str], str]:
    """A digest of each kind of row in each revision, by revision and the model's
    ``label_lower``: of every row's key and content, so that a row added, removed or edited
    changes it. Worked out in PostgreSQL, so a role's 340 skills never leave the database."""
    if not revision_ids or not parts:
        return {}
    rows = (
        Version.objects.filter(_of_models(part.model for part in parts), revision__in=revision_ids)
        .values("revision_id", "content_type__app_label", "content_type__model")
        .annotate(
            digest=MD5(
                StringAgg(
                    Concat(
                        "object_id",
                        Value(":"),
                        MD5("serialized_data"),
                        output_field=models.TextField(),
                    ),
                    delimiter=",",
                    order_by="object_id",
                )
            )
        )
        .order_by()
    )
    return {
        (row["revision_id"], f"{row['content_type__app_label']}.{row['content_type__model']}"): row[
            "digest"
        ]
        for row in rows
    }


def part_rows(revision_ids, parts) -> dict[tuple[int, str], dict[str, dict]]:
    """The rows of ``parts`` each revision holds, by revision and the model's
    ``label_lower``, then by the row's key: each row's recorded fields. One query."""
    if not revision_ids or not parts:
        return {}
    versions = Version.objects.filter(
        _of_models(part.model for part in parts), revision__in=revision_ids
    ).values_list(
        "revision_id",
        "content_type__app_label",
        "content_type__model",
        "object_id",
        "serialized_data",
    )
    rows = {}
    for revision_id, app_label, model_name, object_id, serialized in versions:
        rows.setdefault((revision_id, f"{app_label}.{model_name}"), {})[object_id] = _fields(
            serialized
        )
    return rows
