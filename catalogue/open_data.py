"""The published catalogue as open data: one JSON Lines file and one CSV file per table
(roles, skills, the links between them, salary bands), with a NOTICE naming ESCO and the
sources, for `manage.py export_open_data`.

Published content only, as the pages and the API show it. Each table is read a chunk at a
time (``iterator``) as plain values and written as it is read, so the whole catalogue is never
held in memory, whatever its size."""

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.db.models.query import QuerySet

from jobsite.csv_exports import text_cell
from roles.models import Role, Source, citation
from salaries.models import SalaryBand
from skills.models import RoleSkill, Skill

from .esco.attribution import ATTRIBUTION

# Rows read from the database at a time.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]

    def rows(self) -> Iterator[dict]:
        raise NotImplementedError


def _published_or_empty(relation: str):
    """The slug of the role at ``relation`` when it is published, else "": visitors see
    nothing of a draft, not even its slug."""
    return Case(
        When(**{f"{relation}__status": Role.Status.PUBLISHED}, then=F(f"{relation}__slug")),
        default=Value(""),
    )


def _values(queryset: QuerySet, columns: tuple[str, ...], **expressions) -> Iterator[dict]:
    """``columns`` of ``queryset`` as dicts, a chunk at a time: model fields by name, and
    ``expressions`` (which may be named as a field, "role" for the role's slug)."""
    fields = [column for column in columns if column not in expressions]
    # Annotations may not take a field's name: read under another, then renamed.
    aliases = {f"exported_{name}": expression for name, expression in expressions.items()}
    rows = queryset.annotate(**aliases).values(*fields, *aliases)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        row = {name.removeprefix("exported_"): value for name, value in row.items()}
        yield {column: row[column] for column in (*columns, *expressions)}


class RolesTable(Table):
    def rows(self):
        roles = Role.objects.published().order_by("slug")
        for row in _values(
            roles,
            self.columns,
            family_slug=F("family__slug"),
            family_name=F("family__name"),
            broader_role=Coalesce(_published_or_empty("broader"), Value("")),
        ):
            row["alternative_titles"] = [
                line.strip() for line in row["alternative_titles"].splitlines() if line.strip()
            ]
            yield row


class SkillsTable(Table):
    def rows(self):
        for row in _values(Skill.objects.order_by("slug"), self.columns):
            row["alternative_names"] = [
                line.strip() for line in row["alternative_names"].splitlines() if line.strip()
            ]
            yield row


class RoleSkillsTable(Table):
    def rows(self):
        links = RoleSkill.objects.filter(role__status=Role.Status.PUBLISHED).order_by(
            "role__slug", RoleSkill.required_first(), "skill__slug"
        )
        return _values(links, self.columns, role=F("role__slug"), skill=F("skill__slug"))


class SalaryBandsTable(Table):
    def rows(self):
        bands = SalaryBand.objects.for_explorer().order_by("role__slug", "pk")
        for row in _values(
            bands,
            self.columns,
            role=F("role__slug"),
            location=Coalesce(F("location__slug"), Value("")),
            source_title=F("source__title"),
            source_url=F("source__url"),
            source_publisher=F("source__publisher"),
            source_year=F("source__year"),
            cited_in_publisher=Coalesce(F("source__cited_in__publisher"), Value("")),
            cited_in_year=F("source__cited_in__year"),
        ):
            row["source"] = citation(
                row.pop("source_publisher"),
                row.pop("source_year"),
                cited_by=row.pop("cited_in_publisher"),
                cited_by_year=row.pop("cited_in_year"),
            )
            yield row


TABLES = (
    RolesTable(
        "roles",
        (
            "slug",
            "title",
            "alternative_titles",
            "family_slug",
            "family_name",
            "summary",
            "overview",
            "qualifications",
            "education",
            "outlook",
            "isco_08",
            "esco_code",
            "onet_soc",
            "esco_uri",
            "esco_version",
            "broader_role",
            "reviewed_on",
            "updated_at",
        ),
    ),
    SkillsTable(
        "skills",
        (
            "slug",
            "name",
            "kind",
            "esco_type",
            "reuse_level",
            "alternative_names",
            "description",
            "esco_uri",
            "esco_version",
        ),
    ),
    RoleSkillsTable("role_skills", ("role", "skill", "importance", "explanation")),
    SalaryBandsTable(
        "salary_bands",
        (
            "role",
            "experience_min_years",
            "experience_max_years",
            "minimum",
            "maximum",
            "percentile_25",
            "median",
            "percentile_75",
            "sample_size",
            "currency",
            "period",
            "location",
            "year",
            "source",
            "source_title",
            "source_url",
        ),
    ),
)


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        value = "\n".join(value)
    if isinstance(value, str):
        return text_cell(value)
    return _json_value(value)


def export_open_data(directory: Path) -> dict[str, int]:
    """Write every table to ``directory`` as <table>.jsonl and <table>.csv, and NOTICE.txt;
    returns the rows written per table."""
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in TABLES:
        with (
            open(directory / f"{table.name}.jsonl", "w", encoding="utf-8") as lines,
            open(directory / f"{table.name}.csv", "w", encoding="utf-8", newline="") as sheet,
        ):
            writer = csv.writer(sheet)
            writer.writerow(table.columns)
            count = 0
            for count, row in enumerate(table.rows(), start=1):  # noqa: B007 - counted
                record = {column: _json_value(row[column]) for column in table.columns}
                lines.write(json.dumps(record, ensure_ascii=False) + "\n")
                writer.writerow([_csv_cell(row[column]) for column in table.columns])
            counts[table.name] = count
    (directory / "NOTICE.txt").write_text(notice(), encoding="utf-8")
    return counts


def notice() -> str:
    """What the files are, whose content they hold, and the sources of their figures."""
    sources = "\n".join(
        f"- {source.citation}: {source.title}" + (f" <{source.url}>" if source.url else "")
        for source in Source.objects.select_related("cited_in").order_by("publisher", "title")
    )
    return (
        "Jobsite's published catalogue as open data: roles, skills, the skills each role "
        "needs (role_skills), and salary bands, each as JSON Lines (.jsonl) and CSV.\n\n"
        f"{ATTRIBUTION} Records with an esco_uri (and esco_version) hold ESCO's content; "
        "Jobsite's editors may have changed or filtered it. https://esco.ec.europa.eu/\n\n"
        "Every salary band names its source (source, source_title, source_url) and the year "
        f"it describes. The sources cited:\n{sources}\n"
    )
