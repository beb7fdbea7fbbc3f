"""Load catalogue content from the versioned YAML files under ``catalogue/``, and export the
database back into such files.

Layout (see README.md, "Editing content"): ``families.yaml``, ``locations.yaml``,
``sources.yaml`` and ``skills.yaml`` hold shared records keyed by slug; ``roles/<slug>.yaml``
holds one role with its responsibilities, FAQs, skills, collaborators and salary data.

Records already in the database belong to the editors: they are left as they are unless
``update=True``, in which case they (and a role's whole content) are made to match the files.

``export_catalogue`` writes the same layout from the database, every field of every record,
so that loading an export with ``update=True`` makes a database match it again.
"""

import os
import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import reversion
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction

from roles.models import (
    Collaboration,
    FrequentlyAskedQuestion,
    Responsibility,
    Role,
    RoleFamily,
    Source,
)
from salaries.models import HigherPayingLocation, Location, SalaryBand, SalaryFigure
from skills.models import RoleSkill, Skill

from .search import refresh_role_search_vectors, refresh_skill_search_vectors

DEFAULT_DIRECTORY = settings.BASE_DIR / "catalogue"


class CatalogueError(Exception):
    """The catalogue files are malformed or break a rule of the models."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.kept))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.kept[name]} kept as they were"
            for name in names
        ]


def load_catalogue(*, directory: Path = DEFAULT_DIRECTORY, update: bool = False) -> LoadReport:
    """Create what the files hold and the database lacks; with ``update``, overwrite too.

    All or nothing: one bad record rolls back the whole load. Each record it changes (a role
    with its rows, or a shared record) gets a version in the catalogue's history."""
    loader = _Loader(Path(directory), update=update)
    with transaction.atomic():
        loader.load()
        loader.record_history(f"load_catalogue from {directory}{' --update' if update else ''}")
        # The files' skills and roles. With ``update`` a skill may have been renamed, which
        # changes every role listing it, including roles from elsewhere (demo data); without
        # it, existing skills are kept as they were and new ones are listed only by the
        # files' roles.
        role_ids = set(loader.role_ids)
        if update:
            role_ids.update(
                RoleSkill.objects.filter(skill__in=loader.skill_ids).values_list("role", flat=True)
            )
        refresh_skill_search_vectors(loader.skill_ids)
        refresh_role_search_vectors(role_ids)
    return loader.report


class _Loader:
    def __init__(self, directory: Path, *, update: bool):
        if not directory.is_dir():
            raise CatalogueError(f"{directory} is not a directory.")
        self.directory = directory
        self.update = update
        self.report = LoadReport()
        self.where = ""  # the file and entry being read, for error messages
        self.skill_ids: list[int] = []  # what the files hold, for the search vectors
        self.role_ids: list[int] = []
        self.changed: dict[tuple, models.Model] = {}  # history records, see record_history

    def record_history(self, comment: str) -> None:
        """Give each record the load changed a version in the history, one revision each: an
        editor who restores one role from admin restores that role, not everything loaded
        with it (restoring reverts a whole revision)."""
        for record in self.changed.values():
            with reversion.create_revision():
                reversion.set_comment(comment)
                reversion.add_to_revision(record)

    def _changed(self, instance: models.Model) -> None:
        # A role's rows are recorded with their role (Role's history follows them).
        record = instance.role if hasattr(type(instance), "role") else instance
        self.changed[(record._meta.label, record.pk)] = record

    def load(self) -> None:
        for entry in self._entries("families.yaml"):
            self._upsert(RoleFamily, entry, required={"name"}, optional={"description"})
        # A null or empty parent means a top-level place (export_catalogue writes
        # ``parent: null``, so that --update also clears a parent an editor set).
        for entry in sorted(self._entries("locations.yaml"), key=lambda e: bool(e.get("parent"))):
            if "parent" in entry:
                entry["parent"] = self._find(Location, entry["parent"]) if entry["parent"] else None
            self._upsert(Location, entry, required={"name", "country_code"}, optional={"parent"})
        for entry in self._entries("sources.yaml"):
            self._upsert(
                Source, entry, required={"title", "publisher"}, optional={"url", "year", "note"}
            )
        for entry in self._entries("skills.yaml"):
            skill, _ = self._upsert(
                Skill, entry, required={"name", "kind"}, optional={"description"}
            )
            self.skill_ids.append(skill.pk)

        role_files = sorted((self.directory / "roles").glob("*.yaml"))
        # Roles first, so that a role may name any other as a collaborator.
        roles_to_fill = []
        for path in role_files:
            document = self._read(path)
            self.where = f"{path.name}"
            if not isinstance(document, dict):
                raise CatalogueError(f"{path.name}: expected a mapping of role fields.")
            role, is_editable = self._upsert_role(document)
            self.role_ids.append(role.pk)
            if is_editable:
                roles_to_fill.append((path, role, document))
        for path, role, document in roles_to_fill:
            self.where = path.name
            self._fill_role(role, document)

    # Reading ----------------------------------------------------------------------------

    def _read(self, path: Path) -> Any:
        try:
            return yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise CatalogueError(f"{path} is missing.") from error
        except yaml.YAMLError as error:
            raise CatalogueError(f"{path.name} is not valid YAML: {error}") from error

    def _entries(self, filename: str) -> list[dict]:
        entries = self._read(self.directory / filename) or []
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise CatalogueError(f"{filename}: expected a list of mappings.")
        self.where = filename
        return [dict(entry) for entry in entries]

    def _fields(self, entry: dict, *, required: set[str], optional: set[str]) -> dict:
        unknown = set(entry) - required - optional
        missing = required - set(entry)
        if unknown or missing:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(sorted(missing))}")
            if unknown:
                problems.append(f"unknown {', '.join(sorted(unknown))}")
            raise CatalogueError(f"{self.where}: {entry!r}: {'; '.join(problems)}.")
        return dict(entry)

    def _find(self, model: type[models.Model], slug: str) -> models.Model:
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist as error:
            raise CatalogueError(
                f"{self.where}: no {model._meta.verbose_name} with slug {slug!r}."
            ) from error

    # Writing ----------------------------------------------------------------------------

    @staticmethod
    def _blank_text(model: type[models.Model], row: dict) -> dict:
        """YAML's null means "empty" for text fields, which Django stores as ''."""
        text_fields = {
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.null
        }
        return {k: "" if v is None and k in text_fields else v for k, v in row.items()}

    def _save(self, instance: models.Model) -> None:
        try:
            instance.full_clean()
        except ValidationError as error:
            raise CatalogueError(f"{self.where}: {instance!r}: {error.messages}") from error
        instance.save()
        self._changed(instance)  # after saving: a new record has no primary key before

    def _upsert(self, model, entry: dict, *, required: set[str], optional: set[str]):
        """Create the record named by ``entry['slug']``; with ``update``, also overwrite it.

        Returns the record and whether its content came from the file."""
        fields = self._fields(entry, required=required | {"slug"}, optional=optional)
        fields = self._blank_text(model, fields)
        slug = fields.pop("slug")
        name = model._meta.verbose_name_plural
        instance = model.objects.filter(slug=slug).first()
        if instance is None:
            instance = model(slug=slug, **fields)
            self._save(instance)
            self.report.created[name] += 1
            return instance, True
        if not self.update:
            self.report.kept[name] += 1
            return instance, False
        if self._assign(instance, fields):
            self._save(instance)
            self.report.updated[name] += 1
        else:
            self.report.kept[name] += 1
        return instance, True

    @staticmethod
    def _assign(instance: models.Model, fields: dict) -> bool:
        """Set ``fields`` on ``instance``; return whether anything changed."""
        changed = False
        for name, value in fields.items():
            if getattr(instance, name) != value:
                setattr(instance, name, value)
                changed = True
        return changed

    def _upsert_role(self, document: dict) -> tuple[Role, bool]:
        core = {key: value for key, value in document.items() if key not in ROLE_CONTENT_KEYS}
        if "family" in core:
            core["family"] = self._find(RoleFamily, core["family"])
        return self._upsert(
            Role, core, required={"title", "family", "summary"}, optional=ROLE_OPTIONAL_FIELDS
        )

    def _fill_role(self, role: Role, document: dict) -> None:
        sources = [self._find(Source, slug) for slug in document.get("sources", [])]
        if {source.pk for source in sources} != set(role.sources.values_list("pk", flat=True)):
            role.sources.set(sources)
            self._changed(role)
        self._sync(
            role.responsibilities.all(),
            [{"text": text} for text in document.get("responsibilities", [])],
            key=("text",),
            make=lambda row: Responsibility(role=role, **row),
        )
        self._sync(
            role.faqs.all(),
            [
                self._fields(row, required={"question", "answer"}, optional=set())
                for row in document.get("faqs", [])
            ],
            key=("question",),
            make=lambda row: FrequentlyAskedQuestion(role=role, **row),
        )
        self._sync(
            role.role_skills.all(),
            [self._role_skill(row) for row in document.get("skills", [])],
            key=("skill",),
            make=lambda row: RoleSkill(role=role, **row),
        )
        self._sync(
            role.collaborations.all(),
            [self._collaboration(row) for row in document.get("works_with", [])],
            key=("collaborator",),
            make=lambda row: Collaboration(role=role, **row),
        )
        salary = document.get("salary") or {}
        self._fields(
            salary, required=set(), optional={"bands", "figures", "higher_paying_locations"}
        )
        self._sync(
            role.salary_bands.all(),
            [self._salary_band(row) for row in salary.get("bands", [])],
            key=("location", "currency", "period", "experience_min_years"),
            make=lambda row: SalaryBand(role=role, **row),
        )
        self._sync(
            role.salary_figures.all(),
            [self._salary_figure(row) for row in salary.get("figures", [])],
            key=("measure", "level", "location", "currency", "period"),
            make=lambda row: SalaryFigure(role=role, **row),
        )
        self._sync(
            role.higher_paying_locations.all(),
            [
                self._with_references(
                    self._fields(row, required={"location", "source"}, optional={"note"})
                )
                for row in salary.get("higher_paying_locations", [])
            ],
            key=("location",),
            make=lambda row: HigherPayingLocation(role=role, **row),
        )

    def _sync(self, existing: models.QuerySet, rows: list[dict], *, key: tuple, make) -> None:
        """Make ``existing`` hold exactly ``rows``, in their order, matched on ``key``.

        Stale rows go first and new ones last, so that a row moving into a range another
        row is leaving does not collide with it."""
        model_name = existing.model._meta.verbose_name_plural
        by_key = {tuple(getattr(obj, name) for name in key): obj for obj in existing}
        wanted = {}
        for position, row in enumerate(rows, start=1):
            row = self._blank_text(existing.model, row)
            if hasattr(existing.model, "position"):
                row["position"] = position
            wanted[tuple(row.get(name, _default(existing.model, name)) for name in key)] = row
        for row_key, obj in by_key.items():
            if row_key not in wanted:
                obj.delete()
                self._changed(obj)
        new_rows = []
        for row_key, row in wanted.items():
            obj = by_key.get(row_key)
            if obj is None:
                new_rows.append(row)
            elif self._assign(obj, row):
                self._save(obj)
                self.report.updated[model_name] += 1
        for row in new_rows:
            self._save(make(row))
            self.report.created[model_name] += 1

    def _with_references(self, row: dict) -> dict:
        """Turn slugs in ``location`` and ``source`` into records."""
        if row.get("location"):
            row["location"] = self._find(Location, row["location"])
        else:
            row["location"] = None
        if "source" in row:
            row["source"] = self._find(Source, row["source"])
        return row

    def _role_skill(self, row: dict) -> dict:
        row = self._fields(row, required={"skill"}, optional={"importance", "explanation"})
        row["skill"] = self._find(Skill, row["skill"])
        return row

    def _collaboration(self, row: dict) -> dict:
        row = self._fields(row, required={"role"}, optional={"note"})
        row["collaborator"] = self._find(Role, row.pop("role"))
        return row

    def _salary_band(self, row: dict) -> dict:
        row = self._fields(
            row,
            required={"years", "minimum", "source", "year"},
            optional={"maximum", "currency", "period", "location"},
        )
        years = row.pop("years")
        if not (isinstance(years, list) and len(years) == 2):
            raise CatalogueError(f"{self.where}: band years must be [from, to], not {years!r}.")
        row["experience_min_years"] = _decimal(years[0])
        row["experience_max_years"] = None if years[1] is None else _decimal(years[1])
        return self._with_references(row)

    def _salary_figure(self, row: dict) -> dict:
        row = self._fields(
            row,
            required={"measure", "amount", "source", "year"},
            optional={"level", "currency", "period", "location", "note"},
        )
        return self._with_references(row)


ROLE_CONTENT_KEYS = {"sources", "responsibilities", "faqs", "skills", "works_with", "salary"}
ROLE_OPTIONAL_FIELDS = {
    "status",
    "featured",
    "overview",
    "qualifications",
    "education",
    "outlook",
    "salary_note",
    "isco_08",
    "onet_soc",
    "reviewed_on",
}


def _decimal(value) -> Decimal:
    return Decimal(str(value))


def _default(model: type[models.Model], name: str):
    return model._meta.get_field(name).get_default()


# Exporting ------------------------------------------------------------------------------

EXPORT_HEADER = (
    "# Written by manage.py export_catalogue; "
    "load it with: manage.py load_catalogue --directory DIRECTORY --update\n"
)


def _as_is(*names: str) -> dict[str, str]:
    return {name: name for name in names}


# A role file's opening lines; each longer field after them gets a paragraph of its own.
_ROLE_HEADLINE = _as_is(
    "slug", "title", "family", "status", "featured", "reviewed_on", "isco_08", "onet_soc"
)
# What each catalogue model writes, in the shipped files' order: file key -> model field.
# Foreign keys are written as slugs; a pair of fields as a [from, to] list.
EXPORT_KEYS: dict[type[models.Model], dict[str, str | tuple[str, str]]] = {
    RoleFamily: _as_is("slug", "name", "description"),
    Location: _as_is("slug", "name", "country_code", "parent"),
    Source: _as_is("slug", "title", "publisher", "url", "year", "note"),
    Skill: _as_is("slug", "name", "kind", "description"),
    Role: {
        **_ROLE_HEADLINE,
        **_as_is("summary", "overview", "qualifications", "education", "outlook", "salary_note"),
    },
    Responsibility: _as_is("text"),
    FrequentlyAskedQuestion: _as_is("question", "answer"),
    RoleSkill: _as_is("skill", "importance", "explanation"),
    Collaboration: {"role": "collaborator", "note": "note"},
    SalaryBand: {
        "years": ("experience_min_years", "experience_max_years"),
        **_as_is("minimum", "maximum", "currency", "period", "location", "source", "year"),
    },
    SalaryFigure: _as_is(
        "measure", "level", "amount", "currency", "period", "location", "source", "year", "note"
    ),
    HigherPayingLocation: _as_is("location", "note", "source"),
}
# A role's many-to-many fields, written as its ``sources`` and ``works_with`` lists (the
# latter from its Collaboration rows).
ROLE_LISTS = {"sources", "works_with"}

# Fields the export leaves out, and why. tests/roles/test_export.py checks that every other
# field of every catalogue model is exported, so that a new field cannot be forgotten.
NOT_EXPORTED = {
    "id": "records are named by slug; one database's ids mean nothing in another",
    "created_at": "bookkeeping, set when the record is loaded",
    "updated_at": "bookkeeping, set whenever the record is saved",
    "is_demo": "demo data is synthetic and regenerable: it is left out altogether",
    "search_vector": "derived from the text; load_catalogue rebuilds it",
    "position": "implied by the order of a role's rows in its file",
    "role": "a role's rows are written in the role's own file",
}


def exported_fields(model: type[models.Model]) -> set[str]:
    """The fields of ``model`` that the export writes."""
    names = set()
    for fields in EXPORT_KEYS[model].values():
        names.update(fields if isinstance(fields, tuple) else [fields])
    return names | (ROLE_LISTS if model is Role else set())


# Role files are named by slug: nothing else may reach the file name.
SLUG_AS_FILE_NAME = re.compile(r"[-a-zA-Z0-9_]+")

# The files the export writes, and what each holds.
_EXPORTED_FILES = {
    "families.yaml": RoleFamily,
    "locations.yaml": Location,
    "sources.yaml": Source,
    "skills.yaml": Skill,
    "roles/": Role,
}


@dataclass
class ExportReport:
    written: Counter = field(default_factory=Counter)  # file (or roles/) -> records
    removed: list[str] = field(default_factory=list)  # stale role files

    def lines(self) -> list[str]:
        return [
            *(
                f"{name}: {self.written[name]} {model._meta.verbose_name_plural}"
                for name, model in _EXPORTED_FILES.items()
            ),
            *(f"{name}: removed, no such role in the database" for name in self.removed),
        ]


def export_catalogue(*, directory: Path) -> ExportReport:
    """Write the catalogue, all but the demo data, to ``directory`` as load_catalogue reads it.

    The same database gives byte-identical files. Everything is read from one snapshot and
    checked before any file is written: a record that refers to demo data raises
    CatalogueError and writes nothing. Files in ``roles/`` that name no exported role are
    removed, or loading the folder would bring deleted roles back."""
    directory = Path(directory)
    exporter = _Exporter()
    with _consistent_snapshot():
        files = exporter.files()
    report = ExportReport(written=exporter.counts)
    roles_directory = directory / "roles"
    try:
        roles_directory.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            _replace(directory / name, text)
        for path in sorted(roles_directory.glob("*.yaml")):
            name = f"roles/{path.name}"
            if name not in files:
                path.unlink()
                report.removed.append(name)
    except OSError as error:
        raise CatalogueError(f"Could not write the catalogue to {directory}: {error}") from error
    return report


@contextmanager
def _consistent_snapshot() -> Iterator[None]:
    """Read from one snapshot, as pg_dump does. Under PostgreSQL's default READ COMMITTED each
    query sees what was committed before it ran: an editor's save between two of them could
    make a role name a skill that skills.yaml lacks.

    Inside a transaction already (a caller's or a test's), its isolation level stands: it can
    only be set before the transaction's first query."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


class _Exporter:
    """Turns the database into the files' text; writes nothing."""

    def __init__(self):
        self.counts = Counter()

    def files(self) -> dict[str, str]:
        """File name (relative to the catalogue folder) -> content, in a fixed number of
        queries however many roles there are."""
        real = {"is_demo": False}
        files = {
            "families.yaml": self._shared(RoleFamily.objects.filter(**real)),
            "locations.yaml": self._shared(
                Location.objects.filter(**real).select_related("parent"), order=_parents_first
            ),
            "sources.yaml": self._shared(Source.objects.filter(**real)),
            "skills.yaml": self._shared(Skill.objects.filter(**real)),
        }
        self.counts["roles/"] = 0
        for role in _roles_to_export():
            if not SLUG_AS_FILE_NAME.fullmatch(role.slug):
                raise CatalogueError(f"{_name(role)}: the slug cannot name a file.")
            files[f"roles/{role.slug}.yaml"] = self._role_file(role)
            self.counts["roles/"] += 1
        return files

    def _shared(self, records: models.QuerySet, *, order=list) -> str:
        """A file of shared records, by slug unless ``order`` says otherwise."""
        name = next(name for name, model in _EXPORTED_FILES.items() if model is records.model)
        records = list(records.order_by("slug"))
        # Every record is checked (for links to demo data) before ``order`` sees them.
        entries = {record.pk: self._record(record, owner=_name(record)) for record in records}
        self.counts[name] = len(records)
        # A blank line between records, as in the hand-written files.
        chunks = [_dump([entries[record.pk]]) for record in order(records)]
        return EXPORT_HEADER + "\n" + ("\n".join(chunks) if chunks else "[]\n")

    def _role_file(self, role: Role) -> str:
        document = self._role(role)
        headline = {key: document.pop(key) for key in _ROLE_HEADLINE}
        chunks = [headline] + [{key: value} for key, value in document.items()]
        return EXPORT_HEADER + "\n" + "\n".join(_dump(chunk) for chunk in chunks)

    def _role(self, role: Role) -> dict:
        owner = _name(role)

        def rows(related, key=None):
            found = related.all() if key is None else sorted(related.all(), key=key)
            return [self._record(row, owner=owner, where=_plural(row)) for row in found]

        document = self._record(role, owner=owner)
        document["sources"] = [
            self._slug(source, owner=owner, where="sources") for source in role.sources.all()
        ]
        document["responsibilities"] = [row["text"] for row in rows(role.responsibilities)]
        document["faqs"] = rows(role.faqs)
        document["skills"] = rows(role.role_skills)
        document["works_with"] = rows(role.collaborations)
        document["salary"] = {
            "bands": rows(role.salary_bands, key=_band_order),
            "figures": rows(role.salary_figures, key=_figure_order),
            "higher_paying_locations": rows(role.higher_paying_locations),
        }
        return document

    def _record(self, instance: models.Model, *, owner: str, where: str = "") -> dict:
        def value(name):
            value = getattr(instance, name)
            if isinstance(value, models.Model):
                return self._slug(value, owner=owner, where=where or name)
            if isinstance(value, Decimal):
                return _number(value)
            return value

        return {
            key: _Pair(value(name) for name in names) if isinstance(names, tuple) else value(names)
            for key, names in EXPORT_KEYS[type(instance)].items()
        }

    @staticmethod
    def _slug(record: models.Model, *, owner: str, where: str) -> str:
        if getattr(record, "is_demo", False):
            kind = record._meta.verbose_name
            raise CatalogueError(
                f"{owner} refers to the demo {kind} {record.slug!r} (in {where}). Demo data "
                f"is not exported, so the link would be lost: point it at a real {kind} or "
                f"remove it, then export again."
            )
        return record.slug


def _roles_to_export():
    by_position = ("position", "pk")
    return (
        Role.objects.filter(is_demo=False)
        .select_related("family")
        .prefetch_related(
            models.Prefetch("sources", Source.objects.order_by("slug")),
            models.Prefetch("responsibilities", Responsibility.objects.order_by(*by_position)),
            models.Prefetch("faqs", FrequentlyAskedQuestion.objects.order_by(*by_position)),
            models.Prefetch(
                "role_skills", RoleSkill.objects.select_related("skill").order_by(*by_position)
            ),
            models.Prefetch(
                "collaborations",
                Collaboration.objects.select_related("collaborator").order_by(*by_position),
            ),
            models.Prefetch(
                "salary_bands", SalaryBand.objects.select_related("location", "source")
            ),
            models.Prefetch(
                "salary_figures", SalaryFigure.objects.select_related("location", "source")
            ),
            models.Prefetch(
                "higher_paying_locations",
                HigherPayingLocation.objects.select_related("location", "source").order_by(
                    *by_position
                ),
            ),
        )
        .order_by("slug")
    )


def _parents_first(locations) -> list[Location]:
    """Each country before its regions and each region before its cities (siblings by slug),
    so that the loader, which keeps the order of places with a parent, finds every parent."""
    children = defaultdict(list)
    for location in locations:  # by slug
        children[location.parent_id].append(location)
    ordered = []
    waiting = list(reversed(children[None]))
    while waiting:
        location = waiting.pop()
        ordered.append(location)
        waiting.extend(reversed(children[location.pk]))
    if len(ordered) != len(locations):  # the rest lie inside one another in a loop
        looped = sorted({location.slug for location in locations} - {o.slug for o in ordered})
        raise CatalogueError(
            f"Locations {', '.join(looped)} lie inside one another in a loop: give one of them "
            f"no parent (or a parent outside the loop) and export again."
        )
    return ordered


def _band_order(band: SalaryBand) -> tuple:
    # The loader's key for a band (its unique constraint); bands for no one place first.
    place = band.location.slug if band.location else ""
    return (place, band.currency, band.period, band.experience_min_years)


def _figure_order(figure: SalaryFigure) -> tuple:
    place = figure.location.slug if figure.location else ""
    return (figure.measure, figure.level, place, figure.currency, figure.period)


def _name(record: models.Model) -> str:
    return f"{record._meta.verbose_name.capitalize()} {record.slug!r}"


def _plural(row: models.Model) -> str:
    return str(row._meta.verbose_name_plural)


def _number(value: Decimal) -> int | float:
    """2.0 -> 2, 2.5 -> 2.5: years as an editor writes them. Both read back exactly: the loader
    turns a number into a Decimal through its shortest text (``_decimal``)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _replace(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a crash half-way leaves the old file, not half a new
    one. The temporary name does not end in .yaml, so the loader never reads it."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        # Created like any new file (the umask applies), not private as mkstemp's would be.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with open(descriptor, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class _Pair(list):
    """Written inline, like the hand-written files' ``years: [2, 5]``."""


class _CatalogueDumper(yaml.SafeDumper):
    """YAML laid out like the hand-written files: lists indented under their key."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Multi-line text as a literal block, which reads (and diffs) like the text itself. Where
    # a block cannot hold the text exactly (trailing spaces, carriage returns), PyYAML falls
    # back to a quoted string. A NEL (U+0085) it would write raw, and read back as a line
    # break: escape it in double quotes.
    style = '"' if "\x85" in text else "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_CatalogueDumper.add_representer(str, _represent_text)
_CatalogueDumper.add_representer(
    _Pair, lambda dumper, pair: dumper.represent_sequence("tag:yaml.org,2002:seq", pair, True)
)


def _dump(data) -> str:
    return yaml.dump(
        data,
        Dumper=_CatalogueDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
    )
