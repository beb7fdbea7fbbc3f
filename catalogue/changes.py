"""A role's public change log, read from what is already kept: the role's history
(catalogue.history: a version of the role with all of its rows for each change saved in admin
or by load_catalogue) and the record of ESCO imports (ImportRun).

Each change says when, which sections of the role's page it changed (found by comparing the
role's version with the one before it, section by section) and what the editor chose to tell
readers (PublicChangeNote). Nothing else of a revision leaves admin: not who saved it, unless
they signed it, nor Django's change message, nor any field the page does not show.

Role–skill links edited on a skill's page are recorded in the skill's history, not the
role's (catalogue.parts): they show with the role's next change, as its next version holds
them. The record of an ESCO import does not say which records it changed, so a role linked
to ESCO lists the run that brought in each ESCO version after the role was made, which
rewrote at least the role's ESCO version, and no sections.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models, router
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Greatest, Lag
from django.utils.text import get_text_list
from reversion.models import Version

from roles.models import Role

from .history import part_digests, recorded_fields, versions_of
from .models import ImportRun
from .parts import ROLE_PARTS

CHANGES_PER_PAGE = 50

# The sections of a role's page, in the page's order and named as its contents name them.
# Facts: the header's "key facts" (family, last reviewed, codes, the ESCO link).
SECTIONS = [
    "Title",
    "Summary",
    "Also called",
    "Key facts",
    "Overview",
    "Responsibilities",
    "Skills",
    "Qualifications",
    "Salary",
    "FAQs",
    "Related roles",
    "Broader and narrower occupations",
    "Sources",
    "Web address",
    "Status",
    "Featured on the home page",
]

# Which section each field of a role shows in. tests/catalogue/test_changes.py checks that
# every field of a role is here or in NOT_SHOWN, so a new field cannot be left out.
SECTION_OF_FIELD = {
    "title": "Title",
    "summary": "Summary",
    "alternative_titles": "Also called",
    "family": "Key facts",
    "reviewed_on": "Key facts",
    "isco_08": "Key facts",
    "onet_soc": "Key facts",
    "esco_code": "Key facts",
    "esco_uri": "Key facts",
    "esco_modified_at": "Key facts",
    "overview": "Overview",
    "qualifications": "Qualifications",
    "education": "Qualifications",
    "salary_note": "Salary",
    "outlook": "Salary",
    "broader": "Broader and narrower occupations",
    "sources": "Sources",
    "slug": "Web address",
    "status": "Status",
    "featured": "Featured on the home page",
}
NOT_SHOWN = {
    "id": "the key",
    "created_at": "bookkeeping, set by every save",
    "updated_at": "bookkeeping, set by every save",
    "search_vector": "derived from the text; not in the history",
    "title_vector": "derived from the titles; not in the history",
    "esco_version": "the import's bookkeeping",
    "esco_retired_in": "the import's bookkeeping (the role is archived with it: Status)",
    "esco_imported": "the import's bookkeeping",
    "created_by_import": "the import's bookkeeping",
    "is_demo": "demo data has no history",
    "works_with": "the collaborations, a part of their own (Related roles)",
}
# Which section each kind of row a role owns (catalogue.parts) shows in, by its name.
SECTION_OF_PART = {
    "responsibilities": "Responsibilities",
    "role_skills": "Skills",
    "faqs": "FAQs",
    "collaborations": "Related roles",
    "salary_bands": "Salary",
    "salary_figures": "Salary",
    "higher_paying_locations": "Salary",
}


# A row of role_changes: an edit (the role's version and the one before it) or an import.
ROW = ("kind", "date", "version_id", "previous_id", "esco", "started")


class Kind(models.TextChoices):
    EDIT = "edit"
    ESCO = "esco"


@dataclass
class PublicChange:
    """One entry of a role's change log, as readers see it."""

    date: datetime
    headline: str
    sections: list[str] = field(default_factory=list)
    summary: str = ""
    signed_as: str = ""

    @property
    def sections_sentence(self) -> str:
        return get_text_list(self.sections, "and")


def role_changes(role: Role) -> models.QuerySet:
    """The role's changes, newest first, as rows of ``ROW``: cheap to count and to cut into
    pages, whatever the history's length. ``describe_changes`` makes a page readable."""
    versions = (
        versions_of(role)
        .order_by()
        .annotate(
            kind=Value(Kind.EDIT),
            date=F("revision__date_created"),
            version_id=F("pk"),
            previous_id=models.Window(
                Lag("pk"), order_by=[F("revision__date_created").asc(), F("pk").asc()]
            ),
            esco=Value(""),
            started=F("revision__date_created"),
        )
        .values_list(*ROW)
    )
    if not role.esco_uri:
        return versions.order_by("-date", "-version_id")
    imports = (
        _imports_since(role.created_at)
        .order_by()
        .annotate(
            kind=Value(Kind.ESCO),
            date=F("finished_at"),
            version_id=Value(None, models.IntegerField()),
            previous_id=Value(None, models.IntegerField()),
            esco=F("esco_version"),
            started=F("started_at"),
        )
        .values_list(*ROW)
    )
    return versions.union(imports, all=True).order_by("-date", "-version_id")


def last_public_change() -> models.Expression:
    """When a role last changed, as its change log says: an annotation for roles."""
    latest_version = (
        Version.objects.filter(
            content_type__app_label=Role._meta.app_label,
            content_type__model=Role._meta.model_name,
            db=router.db_for_write(Role),
            object_id=Cast(OuterRef("pk"), models.CharField()),
        )
        .order_by("-revision__date_created")
        .values("revision__date_created")[:1]
    )
    latest_import = (
        _imports_since(OuterRef("created_at")).order_by("-finished_at").values("finished_at")[:1]
    )
    return Greatest(
        Subquery(latest_version),
        models.Case(
            models.When(esco_uri="", then=Value(None)),
            default=Subquery(latest_import),
            output_field=models.DateTimeField(),
        ),
        output_field=models.DateTimeField(),
    )


def describe_changes(role: Role, rows) -> list[PublicChange]:
    """A page of ``role_changes`` rows as readers see them: two queries, however many rows
    and however many skills the role has (its rows are compared by digest, in PostgreSQL)."""
    rows = list(rows)
    wanted = {pk for row in rows for pk in row[2:4] if pk is not None}
    versions = (
        Version.objects.filter(pk__in=wanted)
        .select_related("revision", "revision__public_change_note")
        .in_bulk()
        if wanted
        else {}
    )
    digests = part_digests({version.revision_id for version in versions.values()})
    changes = []
    for kind, date, version_id, previous_id, esco_version, started in rows:
        if kind == Kind.ESCO:
            made_it = role.created_by_import and started <= role.created_at <= date
            verb = "Added" if made_it else "Updated"
            changes.append(PublicChange(date=date, headline=f"{verb} from ESCO {esco_version}"))
            continue
        version, previous = versions[version_id], versions.get(previous_id)
        changes.append(_edit(role, version, previous, digests))
    return changes


def _imports_since(created_at) -> models.QuerySet:
    return ImportRun.objects.first_of_each_version().filter(finished_at__gte=created_at)


def _edit(role: Role, version, previous, digests) -> PublicChange:
    revision = version.revision
    note = getattr(revision, "public_change_note", None)
    comment = revision.comment
    from_files = revision.user_id is None and comment.startswith("load_catalogue")
    if previous is None:
        sections = []
        if from_files:
            headline = "Added from the catalogue files"
        elif role.created_by_import:  # the first version saved of an imported role
            headline = "Edited"
        else:
            headline = "Added to the catalogue"
    else:
        sections = _sections_changed(version, previous, digests)
        if from_files:
            headline = "Updated from the catalogue files"
        elif comment.startswith("Reverted to previous version"):
            headline = "An earlier version restored"
        else:
            headline = "Edited"
        deleted = _deleted_row_section(comment)
        if deleted and deleted not in sections:
            sections = [name for name in SECTIONS if name in {*sections, deleted}]
    return PublicChange(
        date=revision.date_created,
        headline=headline,
        sections=sections,
        summary=note.summary if note else "",
        signed_as=note.signed_as if note else "",
    )


def _sections_changed(version, previous, digests) -> list[str]:
    now, before = recorded_fields(version), recorded_fields(previous)
    changed = {
        section for name, section in SECTION_OF_FIELD.items() if now.get(name) != before.get(name)
    }
    for part in ROLE_PARTS:
        label = part.model._meta.label_lower
        if digests.get((version.revision_id, label)) != digests.get((previous.revision_id, label)):
            changed.add(SECTION_OF_PART[part.name])
    return [name for name in SECTIONS if name in changed]


def _deleted_row_section(comment: str) -> str:
    """The section of a row deleted on its own page: its revision (CatalogueAdmin's
    "Deleted salary band “…”.") holds the role as it was just before."""
    if not comment.startswith("Deleted "):
        return ""
    for part in ROLE_PARTS:
        if comment.startswith(f"Deleted {part.model._meta.verbose_name} "):
            return SECTION_OF_PART[part.name]
    return ""
