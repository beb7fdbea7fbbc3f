"""Load catalogue content from the versioned YAML files under ``catalogue/``.

Layout (see README.md, "Editing content"): ``families.yaml``, ``locations.yaml``,
``sources.yaml`` and ``skills.yaml`` hold shared records keyed by slug; ``roles/<slug>.yaml``
holds one role with its responsibilities, FAQs, skills, collaborators and salary data.

Records already in the database belong to the editors: they are left as they are unless
``update=True``, in which case they (and a role's whole content) are made to match the files.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

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

    All or nothing: one bad record rolls back the whole load."""
    loader = _Loader(Path(directory), update=update)
    with transaction.atomic():
        loader.load()
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

    def load(self) -> None:
        for entry in self._entries("families.yaml"):
            self._upsert(RoleFamily, entry, required={"name"}, optional={"description"})
        for entry in sorted(self._entries("locations.yaml"), key=lambda e: "parent" in e):
            if "parent" in entry:
                entry["parent"] = self._find(Location, entry["parent"])
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
        role.sources.set([self._find(Source, slug) for slug in document.get("sources", [])])
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
