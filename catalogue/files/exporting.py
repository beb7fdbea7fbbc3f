"""Write the database back out as catalogue files (the format: catalogue.files.format), every
field of every record, so that loading an export with ``update=True`` makes a database match
it again."""

import os
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import connection, models, transaction

from roles.models import Role, Source
from salaries.models import Location

from ..parts import ROLE_PARTS, prefetch_parts
from .format import (
    EXPORT_HEADER,
    FILE_KEYS,
    ROLE_HEADLINE,
    ROLES_FOLDER,
    SHARED_FILES,
    SLUG_AS_FILE_NAME,
    CatalogueError,
    in_role_file,
)


@dataclass
class ExportReport:
    written: Counter = field(default_factory=Counter)  # file (or roles/) -> records
    removed: list[str] = field(default_factory=list)  # stale role files

    def lines(self) -> list[str]:
        files = {**SHARED_FILES, f"{ROLES_FOLDER}/": Role}
        return [
            *(
                f"{name}: {self.written[name]} {model._meta.verbose_name_plural}"
                for name, model in files.items()
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
    roles_directory = directory / ROLES_FOLDER
    try:
        roles_directory.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            _replace(directory / name, text)
        for path in sorted(roles_directory.glob("*.yaml")):
            name = f"{ROLES_FOLDER}/{path.name}"
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
        files = {}
        for name, model in SHARED_FILES.items():
            records = model.objects.filter(is_demo=False)
            if hasattr(model, "created_by_import"):
                records = records.filter(created_by_import=False)
            if model is Location:
                files[name] = self._shared(records.select_related("parent"), order=_parents_first)
            elif model is Source:
                # By slug: the loader reads a source after the one it is cited in.
                files[name] = self._shared(records.select_related("cited_in"))
            else:
                files[name] = self._shared(records)
        self.counts[f"{ROLES_FOLDER}/"] = 0
        for role in _roles_to_export():
            if not SLUG_AS_FILE_NAME.fullmatch(role.slug):
                raise CatalogueError(f"{_name(role)}: the slug cannot name a file.")
            files[f"{ROLES_FOLDER}/{role.slug}.yaml"] = self._role_file(role)
            self.counts[f"{ROLES_FOLDER}/"] += 1
        return files

    def _shared(self, records: models.QuerySet, *, order=list) -> str:
        """A file of shared records, by slug unless ``order`` says otherwise."""
        name = next(name for name, model in SHARED_FILES.items() if model is records.model)
        records = list(records.order_by("slug"))
        # Every record is checked (for links to demo data) before ``order`` sees them.
        entries = {record.pk: self._record(record, owner=_name(record)) for record in records}
        self.counts[name] = len(records)
        # A blank line between records, as in the hand-written files.
        chunks = [_dump([entries[record.pk]]) for record in order(records)]
        return EXPORT_HEADER + "\n" + ("\n".join(chunks) if chunks else "[]\n")

    def _role_file(self, role: Role) -> str:
        document = self._role(role)
        headline = {key: document.pop(key) for key in ROLE_HEADLINE}
        chunks = [headline] + [{key: value} for key, value in document.items()]
        return EXPORT_HEADER + "\n" + "\n".join(_dump(chunk) for chunk in chunks)

    def _role(self, role: Role) -> dict:
        owner = _name(role)
        document = self._record(role, owner=owner)
        for part in ROLE_PARTS:
            rows = [
                self._record(row, owner=owner, where=_plural(row))
                for row in _in_file_order(part, getattr(role, part.name).all())
            ]
            if len(part.file_keys) == 1:  # a list of plain values (responsibilities)
                (key,) = part.file_keys
                rows = [row[key] for row in rows]
            *mapping, key = in_role_file(part)
            held = document.setdefault(mapping[0], {}) if mapping else document
            held[key] = rows
        return document

    def _record(self, instance: models.Model, *, owner: str, where: str = "") -> dict:
        def value(name):
            value = getattr(instance, name)
            if isinstance(value, models.Manager):  # many-to-many: prefetched, by slug
                return [self._slug(related, owner=owner, where=name) for related in value.all()]
            if isinstance(value, models.Model):
                return self._slug(value, owner=owner, where=where or name)
            if isinstance(value, Decimal):
                return _number(value)
            return value

        return {
            key: _Pair(value(name) for name in names) if isinstance(names, tuple) else value(names)
            for key, names in FILE_KEYS[type(instance)].items()
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
        if getattr(record, "created_by_import", False):
            return record.esco_uri  # left out of the files: the loader finds it by its URI
        return record.slug


def _roles_to_export():
    return (
        Role.objects.filter(is_demo=False, created_by_import=False)
        .select_related("family")
        .prefetch_related(
            models.Prefetch("sources", Source.objects.order_by("slug")), *prefetch_parts()
        )
        .order_by("slug")
    )


def _in_file_order(part, rows) -> list:
    """A role's ordered rows (responsibilities, FAQs …) by position; the others by their
    natural key, as the loader matches them, with a foreign key by its slug and "no place"
    first."""
    rows = list(rows)
    if hasattr(part.model, "position"):
        return sorted(rows, key=lambda row: (row.position, row.pk))

    def key(row):
        values = []
        for name in part.natural_key:
            value = getattr(row, name)
            if part.model._meta.get_field(name).is_relation:
                value = value.slug if value is not None else ""
            values.append(value)
        return tuple(values)

    return sorted(rows, key=key)


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

    def ignore_aliases(self, data):
        # The loader refuses anchors and aliases (catalogue.files.reading): write repeats out.
        return True


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
