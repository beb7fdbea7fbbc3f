"""The rows a role owns, declared once.

A role is more than its own row: its responsibilities, FAQs, skills, the roles it works with
and its pay live in rows that point at it, in three apps. Everything that handles "a role
and its rows" derives them from ``ROLE_PARTS``: the role's history (catalogue.history), its
page's reads (catalogue.selectors), the catalogue files (catalogue.files), the demo data and
its clearing (catalogue.demo), the search index (catalogue.search) and the admin's inlines
(roles.admin, checked against this at start-up). ``tests/catalogue/test_parts.py`` compares
the declaration with ``Role._meta.related_objects``, so a new kind of row cannot be left out.

A part's rows point at their role through a foreign key named ``role``, and a unique
constraint over ``role`` and other fields tells two rows of one role apart: that is how the
loader matches a file's rows with the database's.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from roles.models import Collaboration, FrequentlyAskedQuestion, Responsibility
from salaries.models import HigherPayingLocation, SalaryBand, SalaryFigure
from skills.models import RoleSkill


@dataclass(frozen=True)
class RolePart:
    """One kind of row a role owns."""

    model: type[models.Model]
    # Where a role's file holds these rows: a key of the file, or "salary.bands" for a key
    # of the mapping under "salary"; and what a row holds there (catalogue.files.format).
    file_key: str
    file_keys: dict[str, str | tuple[str, str]]
    # Text the role's search vector takes from these rows (fields, or "skill__name" through
    # a foreign key), and its weight there.
    searched: tuple[str, ...] = ()
    search_weight: str = ""
    # Whether a change to one of these rows goes into its role's history as well as its own.
    follows_role_in_history: bool = True

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The rows' related name on a role: ``role.<name>.all()``."""
        return self.model._meta.get_field("role").remote_field.get_accessor_name()

    @property
    def references(self) -> list[str]:
        """The row's other foreign keys (a skill, a place, a source): what reading a row
        should bring with it."""
        return [
            field.name
            for field in self.model._meta.concrete_fields
            if field.is_relation and field.name != "role"
        ]

    @property
    def natural_key(self) -> tuple[str, ...]:
        """The fields that tell two rows of one role apart: its unique constraint with
        ``role``, less the role."""
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint) and "role" in constraint.fields:
                return tuple(name for name in constraint.fields if name != "role")
        raise ImproperlyConfigured(f"{self.model.__name__} needs a unique constraint with role.")

    def rows(self) -> models.QuerySet:
        """Every row of this kind, each with the records it refers to."""
        # select_related() with no names follows every foreign key, the role's too: a row
        # that refers to nothing else (a responsibility) would bring its whole role along.
        references = self.references
        return (
            self.model.objects.select_related(*references)
            if references
            else self.model.objects.all()
        )


def as_is(*names: str) -> dict[str, str]:
    """File keys named as their fields: as_is("question", "answer")."""
    return {name: name for name in names}


ROLE_PARTS = (
    RolePart(
        Responsibility,
        file_key="responsibilities",
        file_keys=as_is("text"),  # one key: a list of plain texts
        searched=("text",),
        search_weight="C",
    ),
    RolePart(
        FrequentlyAskedQuestion,
        file_key="faqs",
        file_keys=as_is("question", "answer"),
        searched=("question", "answer"),
        search_weight="C",
    ),
    RolePart(
        RoleSkill,
        file_key="skills",
        file_keys=as_is("skill", "importance", "explanation"),
        searched=("skill__name",),
        search_weight="B",
        # A skill's page edits its links to many roles at once: restoring that skill must not
        # restore every one of those roles too (a revert restores a whole revision).
        follows_role_in_history=False,
    ),
    RolePart(
        Collaboration, file_key="works_with", file_keys={"role": "collaborator", "note": "note"}
    ),
    RolePart(
        SalaryBand,
        file_key="salary.bands",
        file_keys={
            "years": ("experience_min_years", "experience_max_years"),
            **as_is("minimum", "maximum", "currency", "period", "location", "source", "year"),
            # Optional: only when the source gives them.
            **as_is("percentile_25", "median", "percentile_75", "sample_size"),
        },
    ),
    RolePart(
        SalaryFigure,
        file_key="salary.figures",
        file_keys=as_is(
            "measure", "level", "amount", "currency", "period", "location", "source", "year", "note"
        ),
    ),
    RolePart(
        HigherPayingLocation,
        file_key="salary.higher_paying_locations",
        file_keys=as_is("location", "note", "source"),
    ),
)

# Rows that point at a role without belonging to it, and why.
NOT_ROLE_PARTS = {
    "collaborations_as_collaborator": "other roles' collaborations that name this role; they "
    "belong to those roles (and PROTECT this one from deletion)",
    "worked_with_by": "the same collaborations, seen through Role.works_with",
    "narrower": "roles naming this one as their broader occupation; each is a role of its own",
    "pay_spans": "the span of the role's salary bands, derived from them by the database "
    "(salaries.models.PaySpan): never edited, filed or restored on its own",
    "review_events": "the record of who submitted, sent back and published the role "
    "(roles.ReviewEvent): kept out of its content, so a restore never rewrites it",
}


def part_of(model: type[models.Model]) -> RolePart | None:
    """The part whose rows are ``model``'s, if any."""
    return next((part for part in ROLE_PARTS if part.model is model), None)


def prefetch_parts(**instead: list[models.Prefetch]) -> list[models.Prefetch]:
    """Prefetches for roles of every row they own, with what each row refers to. ``instead``
    replaces a part's prefetch, by name (the role page splits its skills in two)."""
    prefetches = []
    for part in ROLE_PARTS:
        prefetches.extend(instead.get(part.name) or [models.Prefetch(part.name, part.rows())])
    return prefetches


def role_part_inlines(*inlines):
    """The admin's inlines for a role's page, given in the page's order: refuses to start
    when a part has no inline, so that none can be forgotten."""
    missing = [part.name for part in ROLE_PARTS if part.model not in {i.model for i in inlines}]
    if missing:
        raise ImproperlyConfigured(f"Role admin has no inline for {', '.join(missing)}.")
    return list(inlines)
