"""Load catalogue content from the versioned YAML files under ``content/`` (the format:
catalogue.files.format).

Records already in the database belong to the editors: they are left as they are unless
``update=True``, in which case they (and a role's whole content) are made to match the files.
"""

from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import reversion
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, models, transaction

from roles.models import Role
from skills.models import RoleSkill, Skill

from ..esco.files import ESCO_URI_PREFIX
from ..parts import ROLE_PARTS, RolePart, part_of
from ..search import refresh_role_search_vectors
from .format import (
    DEFAULT_DIRECTORY,
    FILE_KEYS,
    ROLES_FOLDER,
    SHARED_FILES,
    CatalogueError,
    clipped,
    in_role_file,
    required_keys,
)
from .reading import read_yaml


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    not_linked: list[str] = field(default_factory=list)  # ESCO concepts named but absent

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.kept))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.kept[name]} kept as they were"
            for name in names
        ] + [f"Not linked to ESCO, which is not imported: {link}" for link in self.not_linked]


def load_catalogue(*, directory: Path = DEFAULT_DIRECTORY, update: bool = False) -> LoadReport:
    """Create what the files hold and the database lacks; with ``update``, overwrite too.

    All or nothing: one bad record rolls back the whole load. Each record it changes (a role
    with its rows, or a shared record) gets a version in the catalogue's history."""
    loader = _Loader(Path(directory), update=update)
    with transaction.atomic():
        loader.load()
        loader.record_history(f"load_catalogue from {directory}{' --update' if update else ''}")
        # The files' roles. With ``update`` a skill may have been renamed, which changes every
        # role listing it, including roles from elsewhere (demo data); without it, existing
        # skills are kept as they were and new ones are listed only by the files' roles.
        role_ids = set(loader.role_ids)
        if update:
            role_ids.update(
                RoleSkill.objects.filter(skill__in=loader.skill_ids).values_list("role", flat=True)
            )
        refresh_role_search_vectors(role_ids)
    return loader.report


# The keys of a role's file that hold its rows ("salary" holds several kinds).
_PART_KEYS = {in_role_file(part)[0] for part in ROLE_PARTS}


class _Loader:
    def __init__(self, directory: Path, *, update: bool):
        if not directory.is_dir():
            raise CatalogueError(f"{directory} is not a directory.")
        self.directory = directory
        self.update = update
        self.report = LoadReport()
        # Where the loader is, for messages: a file (as under the directory), and an entry
        # of it ("skill 'python'", "role 'qa-analyst': faqs item 2").
        self.file = ""
        self.entry = ""
        self.skill_ids: list[int] = []  # what the files hold, for the search vectors
        self.role_ids: list[int] = []
        self.changed: dict[tuple, models.Model] = {}  # history records, see record_history
        self.aliases: dict[tuple, models.Model] = {}  # (model, file slug) -> record, see _upsert

    def record_history(self, comment: str) -> None:
        """Give each record the load changed a version in the history, one revision each: an
        editor who restores one role from admin restores that role, not everything loaded
        with it (restoring reverts a whole revision)."""
        for record in self.changed.values():
            with reversion.create_revision():
                reversion.set_comment(comment)
                reversion.add_to_revision(record)

    def _changed(self, instance: models.Model) -> None:
        # A role's rows are recorded with their role (its history follows them).
        record = instance.role if part_of(type(instance)) else instance
        self.changed[(record._meta.label, record.pk)] = record

    def load(self) -> None:
        # Every file is read, and checked for slugs given twice, before anything is written.
        shared = {filename: self._entries(filename) for filename in SHARED_FILES}
        role_files = self._role_files()

        for filename, model in SHARED_FILES.items():
            self.file = filename
            for position, entry in _parents_first(model, shared[filename]):
                self.entry = _entry_name(model, entry, position)
                record, _, _ = self._upsert(model, entry)
                if model is Skill:
                    self.skill_ids.append(record.pk)

        # Roles first, so that a role may name any other as a collaborator.
        roles_to_fill = []
        for name, document in role_files:
            self.file, self.entry = name, _entry_name(Role, document)
            own = {key: value for key, value in document.items() if key not in _PART_KEYS}
            role, is_editable, lists = self._upsert(Role, own)
            self.role_ids.append(role.pk)
            if is_editable:
                roles_to_fill.append((name, role, document, lists))
        for name, role, document, lists in roles_to_fill:
            self.file, self.entry = name, _entry_name(Role, document)
            self._fill_role(role, document, lists)

    # Reading ----------------------------------------------------------------------------

    def _error(self, problem: str, *, key: str = "") -> CatalogueError:
        """An error naming the file, entry and key being read. However large the file's
        values, the message stays a line or two."""
        where = [part for part in (self.file, self.entry, key) if part]
        return CatalogueError(f"{': '.join(where)}: {clipped(problem, limit=300)}")

    def _entries(self, filename: str) -> list[tuple[int, dict]]:
        """A shared file's entries, each with its position in the file; refuses a slug given
        twice (the second would silently overwrite the first)."""
        entries = read_yaml(self.directory / filename, name=filename) or []
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise CatalogueError(f"{filename}: expected a list of mappings.")
        model = SHARED_FILES[filename]
        position_of = {}
        for position, entry in enumerate(entries, start=1):
            if (slug := _slug_of(entry)) is None:
                continue  # reported when the entry is loaded
            if slug in position_of:
                raise CatalogueError(
                    f"{filename}: {_entry_name(model, entry)} is entry {position_of[slug]} and "
                    f"entry {position}: keep one."
                )
            position_of[slug] = position
        return [(position, dict(entry)) for position, entry in enumerate(entries, start=1)]

    def _role_files(self) -> list[tuple[str, dict]]:
        """Each role file's name (as under the directory) and content; refuses two files of
        one role (the second would silently overwrite the first)."""
        role_files, file_of = [], {}
        for path in sorted((self.directory / ROLES_FOLDER).glob("*.yaml")):
            name = f"{ROLES_FOLDER}/{path.name}"
            document = read_yaml(path, name=name)
            if not isinstance(document, dict):
                raise CatalogueError(f"{name}: expected a mapping of role fields.")
            if (slug := _slug_of(document)) is not None:
                if slug in file_of:
                    raise CatalogueError(
                        f"{file_of[slug]} and {name} both hold the "
                        f"{_entry_name(Role, document)}: keep one."
                    )
                file_of[slug] = name
            role_files.append((name, document))
        return role_files

    def _check_keys(
        self, entry: dict, *, allowed: set[str], required: set[str], key: str = ""
    ) -> None:
        unknown = sorted(clipped(str(key), limit=40) for key in entry if key not in allowed)
        missing = sorted(required - set(entry))
        if unknown or missing:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(missing)}")
            if unknown:
                problems.append(f"unknown {', '.join(unknown)}")
            raise self._error(f"{'; '.join(problems)}.", key=key)

    def _values(self, model: type[models.Model], entry: dict) -> tuple[dict, dict]:
        """The field values of an entry of ``model``'s file keys (FILE_KEYS), and its
        many-to-many lists apart (set once the record is saved). Slugs become records."""
        keys = FILE_KEYS[model]
        self._check_keys(entry, allowed=set(keys), required=required_keys(model))
        values, lists = {}, {}
        for key, value in entry.items():
            names = keys[key]
            if isinstance(names, tuple):
                values.update(self._pair(names, value, key=key))
                continue
            model_field = model._meta.get_field(names)
            if model_field.many_to_many:
                if not isinstance(value, list | None):
                    raise self._error(
                        f"expected a list of slugs, not {clipped(repr(value))}.", key=key
                    )
                related = model_field.related_model
                lists[names] = [self._find(related, slug, key=key) for slug in value or []]
            elif model_field.is_relation:
                empty = value is None or value == ""
                values[names] = (
                    None
                    if empty
                    else self._find(
                        model_field.related_model, value, key=key, optional=model_field.null
                    )
                )
            elif isinstance(value, list | dict):
                raise self._error(f"expected a single value, not {clipped(repr(value))}.", key=key)
            else:
                values[names] = value
        return _blank_text(model, values), lists

    def _pair(self, names: tuple[str, str], value, *, key: str) -> dict:
        """A [from, to] pair's two fields; null means open."""
        if not (isinstance(value, list) and len(value) == len(names)):
            raise self._error(f"must be [from, to], not {clipped(repr(value))}.", key=key)
        try:
            return {
                name: None if item is None else _decimal(item)
                for name, item in zip(names, value, strict=True)
            }
        except InvalidOperation as error:
            raise self._error(
                f"must be two numbers, not {clipped(repr(value))}.", key=key
            ) from error

    def _find(
        self, model: type[models.Model], slug, *, key: str, optional=False
    ) -> models.Model | None:
        """The record named by ``slug``, or by its ESCO concept URI (catalogue.esco).

        An optional link to an ESCO concept not imported yet is left empty and reported: the
        catalogue loads without ESCO (`make run` imports ESCO first when ESCO_DIR is set)."""
        if not isinstance(slug, str):
            raise self._error(f"expected a slug, not {clipped(repr(slug))}.", key=key)
        by_uri = slug.startswith(ESCO_URI_PREFIX)
        if (model, slug) in self.aliases:
            return self.aliases[(model, slug)]
        try:
            return model.objects.get(**{"esco_uri" if by_uri else "slug": slug})
        except model.DoesNotExist as error:
            if by_uri and optional:
                self.report.not_linked.append(f"{self.file}: {clipped(slug)} (not imported)")
                return None
            if by_uri:
                raise self._error(
                    f"no {model._meta.verbose_name} has the ESCO URI {clipped(repr(slug))}: "
                    f"import ESCO first (manage.py import_esco PATH).",
                    key=key,
                ) from error
            raise self._error(
                f"no {model._meta.verbose_name} with slug {clipped(repr(slug))}.", key=key
            ) from error

    # Writing ----------------------------------------------------------------------------

    def _save(self, instance: models.Model) -> None:
        try:
            instance.full_clean()
        except ValidationError as error:
            raise self._error(_problems(type(instance), error)) from error
        try:
            instance.save()
        except (DataError, IntegrityError) as error:  # what full_clean cannot see
            # The first line: the details repeat the whole row.
            raise self._error(f"the database refused it: {str(error).splitlines()[0]}") from error
        self._changed(instance)  # after saving: a new record has no primary key before

    def _upsert(self, model, entry: dict):
        """Create the record named by ``entry['slug']``; with ``update``, also overwrite it.

        Returns the record, whether its content came from the file, and its many-to-many
        lists from the file (for the caller to set when the content came from the file)."""
        fields, lists = self._values(model, entry)
        slug = fields.pop("slug")
        name = model._meta.verbose_name_plural
        instance = model.objects.filter(slug=slug).first()
        if instance is None and fields.get("esco_uri"):
            # An ESCO import made this concept first: the file's record is that one, and
            # the file's slug names it in the other files.
            instance = model.objects.filter(esco_uri=fields["esco_uri"]).first()
            if instance is not None:
                self.aliases[(model, slug)] = instance
        if instance is None:
            instance = model(slug=slug, **fields)
            self._save(instance)
            self.report.created[name] += 1
            return instance, True, lists
        if not self.update:
            self.report.kept[name] += 1
            return instance, False, lists
        if _assign(instance, fields):
            self._save(instance)
            self.report.updated[name] += 1
        else:
            self.report.kept[name] += 1
        return instance, True, lists

    def _fill_role(self, role: Role, document: dict, lists: dict) -> None:
        for name, records in lists.items():
            related = getattr(role, name)
            if {record.pk for record in records} != set(related.values_list("pk", flat=True)):
                related.set(records)
                self._changed(role)
        salary = document.get("salary") or {}
        if not isinstance(salary, dict):
            raise self._error(f"expected a mapping, not {clipped(repr(salary))}.", key="salary")
        salary_keys = {
            in_role_file(part)[1] for part in ROLE_PARTS if in_role_file(part)[0] == "salary"
        }
        self._check_keys(salary, allowed=salary_keys, required=set(), key="salary")
        for part in ROLE_PARTS:
            *mapping, key = in_role_file(part)
            held = (salary if mapping else document).get(key) or []
            if not isinstance(held, list):
                raise self._error(f"expected a list, not {clipped(repr(held))}.", key=part.file_key)
            rows = []
            for item, entry in enumerate(held, start=1):
                with self._at_item(part, item):
                    rows.append(self._row(part, entry))
            self._sync(role, part, rows)

    @contextmanager
    def _at_item(self, part: RolePart, item: int):
        """Name a role's row in messages: "role 'qa-analyst': faqs item 2"."""
        role_entry = self.entry
        self.entry = f"{role_entry}: {part.file_key} item {item}"
        try:
            yield
        finally:
            self.entry = role_entry

    def _row(self, part: RolePart, entry) -> dict:
        """One of a role's rows from its file: a mapping of the part's keys, or for a part of
        one key (responsibilities) the plain value."""
        if len(part.file_keys) == 1:
            entry = {next(iter(part.file_keys)): entry}
        elif not isinstance(entry, dict):
            raise self._error(f"expected a mapping, not {clipped(repr(entry))}.")
        values, _ = self._values(part.model, entry)
        return values

    def _sync(self, role: Role, part: RolePart, rows: list[dict]) -> None:
        """Make ``role``'s rows of ``part`` exactly ``rows``, in their order, matched on the
        part's natural key.

        Stale rows go first and new ones last, so that a row moving into a range another
        row is leaving does not collide with it."""
        model = part.model
        model_name = model._meta.verbose_name_plural
        key = part.natural_key
        existing = getattr(role, part.name).all()
        by_key = {tuple(getattr(obj, name) for name in key): obj for obj in existing}
        wanted, item_of = {}, {}  # a row's natural key -> the row, and its item in the file
        for item, row in enumerate(rows, start=1):
            if hasattr(model, "position"):
                row["position"] = item
            row_key = tuple(row.get(name, _default(model, name)) for name in key)
            if row_key in wanted:  # the second would silently overwrite the first
                raise self._error(
                    f"{part.file_key} items {item_of[row_key]} and {item} are the same "
                    f"{model._meta.verbose_name} (the same "
                    f"{', '.join(dict.fromkeys(_file_key(model, name) for name in key))}): "
                    f"keep one."
                )
            wanted[row_key], item_of[row_key] = row, item
        for row_key, obj in by_key.items():
            if row_key not in wanted:
                obj.delete()
                self._changed(obj)
        new_rows = []
        for row_key, row in wanted.items():
            obj = by_key.get(row_key)
            if obj is None:
                new_rows.append((row_key, row))
            elif _assign(obj, row):
                with self._at_item(part, item_of[row_key]):
                    self._save(obj)
                self.report.updated[model_name] += 1
        for row_key, row in new_rows:
            with self._at_item(part, item_of[row_key]):
                self._save(model(role=role, **row))
            self.report.created[model_name] += 1


def _parents_first(
    model: type[models.Model], entries: list[tuple[int, dict]]
) -> list[tuple[int, dict]]:
    """Entries (with their positions) naming a parent of their own kind (a city's country, or
    the source a source is cited in) after the entry they name, keeping the file's order
    otherwise: those naming none first, then those whose parents are placed, and so on down
    a chain (a city's region's country). A null or empty parent means a top-level record
    (export_catalogue writes ``parent: null``, so that --update also clears a parent an
    editor set); a parent the file does not hold is the database's, or an error of _find."""
    parents = [
        key
        for key, name in FILE_KEYS[model].items()
        if isinstance(name, str) and model._meta.get_field(name).related_model is model
    ]
    in_file = {_slug_of(entry) for _, entry in entries} - {None}

    def waits_for(entry: dict) -> set[str]:
        named = [entry.get(key) for key in parents]
        return {slug for slug in named if isinstance(slug, str) and slug in in_file}

    ordered, placed, waiting = [], set(), list(entries)
    while waiting:
        ready = [numbered for numbered in waiting if waits_for(numbered[1]) <= placed]
        if not ready:  # they name one another in a loop: saving them says so
            return ordered + waiting
        ordered += ready
        placed |= {_slug_of(entry) for _, entry in ready}
        waiting = [numbered for numbered in waiting if numbered not in ready]
    return ordered


def _slug_of(entry: dict) -> str | None:
    slug = entry.get("slug")
    return slug if isinstance(slug, str) else None


def _entry_name(model: type[models.Model], entry: dict, position: int | None = None) -> str:
    """How messages name an entry: by its slug ("skill 'python'"), else by its position."""
    if (slug := _slug_of(entry)) is not None:
        return f"{model._meta.verbose_name} {clipped(repr(slug))}"
    return f"entry {position}" if position else ""


def _file_key(model: type[models.Model], field_name: str) -> str:
    """The file key holding ``field_name``: ``years`` for a band's experience_min_years."""
    for key, names in FILE_KEYS[model].items():
        if field_name in (names if isinstance(names, tuple) else (names,)):
            return key
    return field_name


def _problems(model: type[models.Model], error: ValidationError) -> str:
    """A ValidationError's messages, each under the file key it concerns. Each is clipped:
    Django's messages may quote the whole value."""
    if not hasattr(error, "error_dict"):
        return "; ".join(clipped(message) for message in error.messages)
    return "; ".join(
        clipped(message)
        if name == NON_FIELD_ERRORS
        else f"{_file_key(model, name)}: {clipped(message)}"
        for name, messages in error.message_dict.items()
        for message in messages
    )


def _blank_text(model: type[models.Model], row: dict) -> dict:
    """YAML's null means "empty" for text fields, which Django stores as ''."""
    text_fields = {
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.null
    }
    return {k: "" if v is None and k in text_fields else v for k, v in row.items()}


def _assign(instance: models.Model, fields: dict) -> bool:
    """Set ``fields`` on ``instance``; return whether anything changed."""
    changed = False
    for name, value in fields.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _decimal(value) -> Decimal:
    return Decimal(str(value))


def _default(model: type[models.Model], name: str):
    return model._meta.get_field(name).get_default()
