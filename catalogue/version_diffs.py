"""Two versions of a record compared field by field, for admin's Compare on a History page
(CatalogueAdmin.compare_view): what an editor needs to decide which version to restore.

A role's version holds its rows too (catalogue.history), so a role's comparison goes on
section by section through ROLE_PARTS: rows added, removed and changed, matched by their key.
Long texts are compared word by word. The versions are read as stored (catalogue.history's
readers, shared with the public change log); a kind of row whose digest is the same in both
versions is never read, and the records the changed values point at (a skill, a source) are
read once per model, so the query count does not grow with the number of rows.
"""

import dataclasses
import difflib
import re
from dataclasses import dataclass

from django.db import models
from django.utils.text import capfirst

from roles.models import Role

from .changes import SECTION_OF_PART
from .history import derived_fields, part_digests, part_rows, recorded_fields, versions_of
from .parts import ROLE_PARTS

EMPTY = "—"
# Words and the spaces between them, kept, so that the text reads back as it was typed.
WORDS = re.compile(r"(\s+)")


class Words(models.TextChoices):
    """What a run of words of a long text did between the two versions."""

    KEPT = "kept"
    REMOVED = "removed"
    ADDED = "added"


@dataclass
class ValueChange:
    """A field whose value differs between the two versions."""

    label: str
    before: str
    after: str
    # For long texts: (Words, text) runs, in reading order, removed before added.
    words: list[tuple[str, str]] | None = None


@dataclass
class RowChange:
    """A row in both versions whose fields differ."""

    label: str
    changes: list[ValueChange]


@dataclass
class SectionDiff:
    """One kind of row a role owns (responsibilities, skills …), compared."""

    title: str
    added: list[str] = dataclasses.field(default_factory=list)
    removed: list[str] = dataclasses.field(default_factory=list)
    changed: list[RowChange] = dataclasses.field(default_factory=list)
    unchanged: int = 0


@dataclass
class VersionDiff:
    fields: list[ValueChange]
    unchanged_fields: int
    sections: list[SectionDiff]  # the kinds of row that differ, in ROLE_PARTS' order
    unchanged_sections: list[str]


def chosen_versions(record: models.Model, from_id, to_id):
    """The two versions of ``record`` named by their keys (as sent: strings), with their
    revisions and who saved them; None if either is not a number or not ``record``'s."""
    try:
        wanted = [int(from_id), int(to_id)]
    except (TypeError, ValueError):
        return None
    versions = versions_of(record).filter(pk__in=wanted).select_related("revision__user").in_bulk()
    if any(pk not in versions for pk in wanted):
        return None
    return versions[wanted[0]], versions[wanted[1]]


def compare_versions(record: models.Model, before, after) -> VersionDiff:
    """What differs from version ``before`` to version ``after`` of ``record``: its fields,
    and, for a role, each kind of row it owns."""
    model = type(record)
    parts = ROLE_PARTS if model is Role else ()
    references = _References()
    fields, unchanged = _compare_fields(
        _compared_fields(model), recorded_fields(before), recorded_fields(after), references
    )
    revisions = [before.revision_id, after.revision_id]
    digests = part_digests(revisions, parts)
    differing = [
        part
        for part in parts
        if digests.get((before.revision_id, part.model._meta.label_lower))
        != digests.get((after.revision_id, part.model._meta.label_lower))
    ]
    rows = part_rows(revisions, differing)
    sections = [
        _compare_rows(
            part,
            rows.get((before.revision_id, part.model._meta.label_lower), {}),
            rows.get((after.revision_id, part.model._meta.label_lower), {}),
            references,
        )
        for part in differing
    ]
    references.read()
    return VersionDiff(
        fields=[change.finish(references) for change in fields],
        unchanged_fields=unchanged,
        sections=[section.finish(references) for section in sections],
        unchanged_sections=[section_title(part) for part in parts if part not in differing],
    )


def section_title(part) -> str:
    """A kind of row named as the role's page names its section ("Skills", "Related roles"),
    or by its own name where a section holds several kinds (salary bands and figures)."""
    section = SECTION_OF_PART[part.name]
    if list(SECTION_OF_PART.values()).count(section) > 1:
        return capfirst(part.model._meta.verbose_name_plural)
    return section


def word_changes(before: str, after: str) -> list[tuple[str, str]]:
    """``before`` and ``after`` as runs of words kept, removed and added (difflib on words)."""
    old, new = WORDS.split(before), WORDS.split(after)
    runs = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            runs.append((Words.KEPT, "".join(old[old_start:old_end])))
            continue
        if old_end > old_start:
            runs.append((Words.REMOVED, "".join(old[old_start:old_end])))
        if new_end > new_start:
            runs.append((Words.ADDED, "".join(new[new_start:new_end])))
    return runs


# Reading values as editors know them ------------------------------------------------------


def _compared_fields(model) -> list[models.Field]:
    """The fields an editor sets: not the key, the bookkeeping dates, the derived fields,
    nor a row's link to its role (the same on both sides)."""
    skipped = {model._meta.pk.name, "role", *derived_fields(model)}
    return [
        field
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if field.name not in skipped
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ]


class _References:
    """The records that compared values point at, read once per model when every value
    has been seen: a label for each key."""

    def __init__(self):
        self._wanted: dict[type[models.Model], set] = {}
        self._labels: dict[tuple[type[models.Model], str], str] = {}

    def want(self, model, keys) -> None:
        self._wanted.setdefault(model, set()).update(str(key) for key in keys)

    def read(self) -> None:
        for model, keys in self._wanted.items():
            records = model._base_manager.defer(*derived_fields(model)).in_bulk(keys)
            for key, record in records.items():
                self._labels[(model, str(key))] = str(record)

    def label(self, model, key) -> str:
        return self._labels.get((model, str(key)), f"{model._meta.verbose_name} {key} (deleted)")


class _Pending:
    """A value shown once the references are read: a field and its recorded value."""

    def __init__(self, field, value, references):
        self.field, self.value = field, value
        if field.is_relation and value not in (None, "", []):
            keys = value if field.many_to_many else [value]
            references.want(field.related_model, keys)

    def text(self, references) -> str:
        field, value = self.field, self.value
        if value in (None, "", []):
            return EMPTY
        if field.many_to_many:
            return "; ".join(sorted(references.label(field.related_model, key) for key in value))
        if field.is_relation:
            return references.label(field.related_model, value)
        if field.flatchoices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return str(value)


@dataclass
class _PendingChange:
    field: models.Field
    before: _Pending
    after: _Pending

    def finish(self, references) -> ValueChange:
        before, after = self.before.text(references), self.after.text(references)
        words = None
        if isinstance(self.field, models.TextField):
            words = word_changes(self.before.value or "", self.after.value or "")
        return ValueChange(capfirst(self.field.verbose_name), before, after, words)


def _compare_fields(fields, before: dict, after: dict, references):
    changes, unchanged = [], 0
    for field in fields:
        old, new = before.get(field.name), after.get(field.name)
        if field.many_to_many:
            old, new = sorted(old or []), sorted(new or [])
        if old == new:
            unchanged += 1
            continue
        pending = _PendingChange(
            field, _Pending(field, old, references), _Pending(field, new, references)
        )
        changes.append(pending)
    return changes, unchanged


@dataclass
class _PendingSection:
    part: object
    added: list
    removed: list
    changed: list  # (label, changes)
    unchanged: int

    def finish(self, references) -> SectionDiff:
        def label(values):
            return ", ".join(value.text(references) for value in values)

        return SectionDiff(
            title=section_title(self.part),
            added=[label(row) for row in self.added],
            removed=[label(row) for row in self.removed],
            changed=[
                RowChange(label(row), [change.finish(references) for change in changes])
                for row, changes in self.changed
            ],
            unchanged=self.unchanged,
        )


def _compare_rows(part, before: dict, after: dict, references) -> _PendingSection:
    """Rows by key: a key on one side only is a row added or removed."""
    fields = _compared_fields(part.model)
    naming = [part.model._meta.get_field(name) for name in part.natural_key]

    def name(row):  # what tells the row apart from its role's others
        return [_Pending(field, row.get(field.name), references) for field in naming]

    section = _PendingSection(part, added=[], removed=[], changed=[], unchanged=0)
    for key in sorted(after.keys() - before.keys(), key=int):
        section.added.append(name(after[key]))
    for key in sorted(before.keys() - after.keys(), key=int):
        section.removed.append(name(before[key]))
    for key in sorted(before.keys() & after.keys(), key=int):
        changes, _ = _compare_fields(fields, before[key], after[key], references)
        if changes:
            section.changed.append((name(after[key]), changes))
        else:
            section.unchanged += 1
    return section
