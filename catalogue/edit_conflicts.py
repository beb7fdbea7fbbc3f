"""Two editors never silently overwrite each other.

Each admin change form of catalogue content carries, in a signed hidden field, a snapshot of
what it was made from: the record's fields (values of the ones the form edits, digests of the
rest) and a digest of every row its inlines show (a role's bands, skills, FAQs …). Saving
reads the record and those rows again, locked (SELECT … FOR UPDATE, in the transaction of the
save), so a save that started later waits and then sees this one's result, in any process. If
anything differs from the snapshot, the save is refused (EditConflict) and the form comes back
with the editor's input, a table of what differs, and who changed it and when. Fields only the
other editor changed are taken into the form; a fresh snapshot lets the editor save again once
they have looked.

A restore from History renders reversion's own form, without a snapshot: restoring is a
deliberate overwrite, so it is not checked.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from django import forms
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.formats import localize
from django.utils.text import Truncator, capfirst, get_text_list

from .models import ImportRun

SIGNING_SALT = "catalogue.edit_conflicts"
# A digest tells two versions of a row apart; it is no secret (the snapshot is signed).
DIGEST_LENGTH = 16
SHOWN_LENGTH = 300  # characters of a long text shown in the table of differences


def checked_fields(model) -> list[models.Field]:
    """The fields whose change makes an open form stale: all stored ones except those the
    database or Django derive (timestamps, search vectors, generated fields)."""
    return [
        field
        for field in model._meta.concrete_fields
        if not field.generated
        and not isinstance(field, SearchVectorField)
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ]


def value_text(model_field, value) -> str:
    """One value of ``model_field`` as text, the same whether it comes from a record or from a
    form's cleaned data: a related record by its primary key, several sorted."""
    if model_field.many_to_many:
        return ",".join(sorted(str(getattr(item, "pk", item)) for item in value or ()))
    if model_field.is_relation:
        value = getattr(value, "pk", value)
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=DIGEST_LENGTH // 2).hexdigest()


def row_digest(row) -> str:
    values = [
        value_text(field, field.value_from_object(row)) for field in checked_fields(type(row))
    ]
    return _digest(json.dumps(values))


@dataclass
class Snapshot:
    """What a change form was made from. ``values``: the text of each field the form edits;
    ``digests``: a digest of every checked field and edited many-to-many field; ``rows``: by
    inline (``rows_key``), the digest of each row by primary key."""

    opened_at: datetime
    values: dict[str, str]
    digests: dict[str, str]
    rows: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, record, edited: dict, rows: dict[str, list]) -> "Snapshot":
        """``edited``: the form's fields of the record and their values there (the many-to-many
        ones included); ``rows``: the rows each inline shows, by ``rows_key``."""
        values = {
            name: value_text(record._meta.get_field(name), value) for name, value in edited.items()
        }
        texts = {
            field.name: value_text(field, field.value_from_object(record))
            for field in checked_fields(type(record))
        } | values
        return cls(
            opened_at=timezone.now(),
            values=values,
            digests={name: _digest(text) for name, text in texts.items()},
            rows={
                key: {str(row.pk): row_digest(row) for row in found} for key, found in rows.items()
            },
        )

    def sign(self) -> str:
        return signing.dumps(
            {
                "at": self.opened_at.isoformat(),
                "values": self.values,
                "digests": self.digests,
                "rows": self.rows,
            },
            salt=SIGNING_SALT,
            compress=True,
        )

    @classmethod
    def unsign(cls, token: str) -> "Snapshot | None":
        try:
            data = signing.loads(token, salt=SIGNING_SALT)
        except signing.BadSignature:
            return None
        return cls(
            opened_at=datetime.fromisoformat(data["at"]),
            values=data["values"],
            digests=data["digests"],
            rows=data["rows"],
        )


def rows_key(formset_class) -> str:
    """Which inline rows are: their model and the foreign key to the record."""
    return f"{formset_class.model._meta.label_lower}.{formset_class.fk.name}"


class EditTokenField(forms.CharField):
    """The signed snapshot. Never a change of the record: left out of "Changed …" messages."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


@dataclass
class Difference:
    label: str
    opened: str  # what the form showed when it was opened ("" when unknown)
    saved: str  # what is saved now
    yours: str  # what the form holds ("" when the form does not edit it)
    taken: bool = False  # the saved value was put into the form: only the other side changed it


@dataclass
class RowChange:
    label: str  # the kind of row: "salary band"
    row: str  # the row as it is now, or as it was
    change: str  # "changed", "added" or "removed"


@dataclass
class EditConflict:
    """What changed between opening a form and saving it, and who changed it."""

    changed_by: str
    changed_at: datetime | None
    differences: list[Difference]
    row_changes: list[RowChange]
    fresh_token: str

    @property
    def message(self) -> str:
        when = f" at {localize(timezone.localtime(self.changed_at))}" if self.changed_at else ""
        taken = [d.label for d in self.differences if d.taken]
        kept = [d.label for d in self.differences if not d.taken and d.yours]
        parts = [
            f"Not saved: {self.changed_by} changed this record{when}, after you opened this "
            "page. Saving would have undone their change, so nothing was saved; what you typed "
            "is still in the form, and what differs is listed below."
        ]
        if taken:
            parts.append(
                f"Their change to {get_text_list(taken, 'and')} is now in the form, "
                "since you had not changed it."
            )
        if kept:
            parts.append(
                f"You both changed {get_text_list(kept, 'and')}: "
                "the form holds yours, check theirs."
            )
        if self.row_changes:
            parts.append(
                "Rows they changed are listed below; the form still holds your version of "
                "every row, which saving again will keep."
            )
        parts.append("Save again to keep what the form now holds.")
        return " ".join(parts)


def find_conflict(
    form, opened: Snapshot, current: Snapshot, record, rows: dict
) -> EditConflict | None:
    """Compare the snapshot a form was opened with (``opened``) with the record and rows as
    they are now (``current``, read locked, with the ``record`` and its ``rows`` by key).
    Takes the other editor's change to fields this editor left alone into ``form.data``."""
    model = type(record)
    differences = []
    for name, digest in current.digests.items():
        if opened.digests.get(name) == digest:
            continue
        model_field = model._meta.get_field(name)
        saved = current.values.get(name)
        if saved is None:
            saved = value_text(model_field, model_field.value_from_object(record))
        difference = Difference(
            label=str(capfirst(model_field.verbose_name)),
            opened=(
                _shown(model_field, opened.values[name])
                if name in opened.values
                else "Not shown in this form"
            ),
            saved=_shown(model_field, saved),
            yours="",
        )
        if name in form.fields and name in opened.values:
            yours = value_text(model_field, form.cleaned_data.get(name))
            difference.yours = _shown(model_field, yours)
            if yours == opened.values[name] and _take_into_form(form, name, model_field, record):
                difference.taken = True
        differences.append(difference)
    row_changes = []
    for key, digests in current.rows.items():
        before = opened.rows.get(key, {})
        if before == digests:
            continue
        by_pk = {str(row.pk): row for row in rows[key]}
        label = str(apps.get_model(key.rsplit(".", 1)[0])._meta.verbose_name)
        for pk, digest in digests.items():
            if pk not in before:
                row_changes.append(RowChange(label, str(by_pk[pk]), "added"))
            elif before[pk] != digest:
                row_changes.append(RowChange(label, str(by_pk[pk]), "changed"))
        removed = len(before.keys() - digests.keys())
        if removed:
            row_changes.append(RowChange(label, f"{removed} no longer there", "removed"))
    if not differences and not row_changes:
        return None
    changed_by, changed_at = _who_changed(record, opened.opened_at, rows)
    return EditConflict(
        changed_by=changed_by,
        changed_at=changed_at,
        differences=differences,
        row_changes=row_changes,
        fresh_token=current.sign(),
    )


def _shown(model_field, text: str) -> str:
    """A field's value as an editor reads it: a choice by its label, related records by
    their names."""
    if not text:
        return "(empty)"
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk__in=text.split(","))
        text = ", ".join(sorted(str(record) for record in related)) or text
    elif model_field.choices:
        text = str(dict(model_field.flatchoices).get(_typed(model_field, text), text))
    return Truncator(text).chars(SHOWN_LENGTH)


def _typed(model_field, text):
    try:
        return model_field.to_python(text)
    except Exception:  # noqa: BLE001 - only for display
        return text


def _take_into_form(form, name, model_field, record) -> bool:
    """Put the saved value of ``name`` into the form's data, as a browser would send it.
    Only for the kinds of field whose form value is plain text; False for the others."""
    form_field = form.fields[name]
    value = model_field.value_from_object(record)
    data = form.data.copy()  # a QueryDict from the request is immutable
    key = form.add_prefix(name)
    if model_field.many_to_many:
        data.setlist(key, [str(item.pk) for item in value])
    elif isinstance(form_field, forms.BooleanField):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(form_field, forms.MultiValueField) or isinstance(value, dict | list):
        return False
    else:
        data[key] = "" if value is None else str(value)
    form.data = data
    return True


def _who_changed(record, since: datetime, rows: dict) -> tuple[str, datetime | None]:
    """Who made the latest change to ``record`` or its ``rows`` after ``since``, from admin's
    log or the record of ESCO imports; "someone outside admin" if neither knows."""
    content_types = ContentType.objects.get_for_models(
        type(record), *{type(row) for found in rows.values() for row in found}
    )
    matches = models.Q(content_type=content_types[type(record)], object_id=str(record.pk))
    for found in rows.values():
        for row in found:
            matches |= models.Q(content_type=content_types[type(row)], object_id=str(row.pk))
    entry = (
        LogEntry.objects.filter(matches, action_time__gt=since)
        .select_related("user")
        .order_by("-action_time")
        .first()
    )
    if entry is not None:
        return _name(entry.user), entry.action_time
    run = ImportRun.objects.filter(finished_at__gt=since).first()
    if run is not None:
        return f"the ESCO import run by {run.run_by}", run.finished_at
    return "someone outside admin (a catalogue file load or a script)", getattr(
        record, "updated_at", None
    )


def _name(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()
