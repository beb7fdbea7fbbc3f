"""Roles side by side (the compare page), and the roles a role's skills lead to (the "next
steps" on its page): reads across roles, skills and pay, each in a fixed number of queries
however many roles and skills there are (ESCO gives an occupation up to 340 skills, and a
skill up to 350 occupations)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, JSONObject
from django.urls import reverse
from django.utils.http import urlencode

from roles.models import Role
from salaries.models import SalaryBand, pay_summary
from skills.models import RoleSkill, Skill, SkillImportance

MAX_ROLES_COMPARED = 4


def compare_url(roles: Sequence[Role]) -> str:
    """The compare page for ``roles``, in their order: ``/compare/?role=a&role=b``."""
    url = reverse("catalogue:compare")
    return f"{url}?{urlencode([('role', role.slug) for role in roles])}" if roles else url


def roles_for_comparison() -> models.QuerySet[Role]:
    """Published roles with what a column of the compare page shows of the role itself: its
    family (its ISCO-08 group), its broader occupation and its pay span. One query."""
    return (
        Role.objects.published()
        .select_related("family", "broader")
        .defer("search_vector", "broader__search_vector", "broader__overview")
        .annotate(**pay_summary())
    )


# The skills grid --------------------------------------------------------------------------


@dataclass
class GridRow:
    """One skill across the compared roles: ``needs`` holds, role by role in the page's
    order, its importance in that role ("required", "preferred") or "" (not needed)."""

    skill: Skill
    needs: list[str]

    @property
    def needed_by(self) -> int:
        return sum(1 for need in self.needs if need)

    @property
    def required_by(self) -> int:
        return sum(1 for need in self.needs if need == SkillImportance.REQUIRED)


@dataclass
class GridSection:
    """Skills the compared roles need in the same pattern: all of them, one of them only,
    or some. ``key`` names it on the page (an id)."""

    heading: str
    key: str
    rows: list[GridRow] = field(default_factory=list)


def grid_sections(roles: Sequence[Role], role_skills: Sequence[RoleSkill]) -> list[GridSection]:
    """``role_skills`` (of ``roles``, each with its skill) as the grid's groups: the skills
    every role needs first, then what each role alone adds, then (for three roles or more)
    those some need; within a group, the skills most roles require first, then by name.
    Empty groups are left out. Python, no query."""
    column = {role.pk: index for index, role in enumerate(roles)}
    rows: dict[int, GridRow] = {}
    for role_skill in role_skills:
        row = rows.setdefault(role_skill.skill_id, GridRow(role_skill.skill, [""] * len(roles)))
        row.needs[column[role_skill.role_id]] = role_skill.importance

    everyone = "both" if len(roles) == 2 else f"all {len(roles)}"
    shared = GridSection(f"Needed by {everyone}", "shared")
    alone = [GridSection(f"Only {role.title}", f"only-{role.slug}") for role in roles]
    some = GridSection("Needed by some", "some")
    for row in sorted(rows.values(), key=lambda row: (-row.required_by, row.skill.name.lower())):
        if row.needed_by == len(roles):
            shared.rows.append(row)
        elif row.needed_by == 1:
            alone[next(index for index, need in enumerate(row.needs) if need)].rows.append(row)
        else:
            some.rows.append(row)
    return [group for group in (shared, *alone, some) if group.rows]


# Pay by experience, aligned ---------------------------------------------------------------


@dataclass
class PayRow:
    """A stretch of experience no band edge of any compared role falls inside, and for each
    role (in the page's order) the bands that cover it, each with whether it is wider than
    the row: none, one, or one per place or source; None for a role with no bands at all."""

    experience_min_years: Decimal
    experience_max_years: Decimal | None
    bands: list[list[tuple[SalaryBand, bool]] | None]

    @property
    def label(self) -> str:
        # Worded as a band's own range is, wherever that wording is decided.
        return SalaryBand(
            experience_min_years=self.experience_min_years,
            experience_max_years=self.experience_max_years,
        ).experience_label


def covers(band: SalaryBand, low: Decimal, high: Decimal | None) -> bool:
    """Whether ``band`` holds the whole stretch from ``low`` to ``high`` (None: no end)."""
    if band.experience_min_years > low:
        return False
    if band.experience_max_years is None:
        return True
    return high is not None and band.experience_max_years >= high


def pay_rows(roles: Sequence[Role], bands: Sequence[SalaryBand]) -> list[PayRow]:
    """The compared roles' ``bands`` aligned by experience: every band edge of every role
    starts a row, so a row reads "with this much experience, each role pays this". A band
    wider than a row fills each row it covers. Rows no band covers are left out."""
    edges = sorted(
        {band.experience_min_years for band in bands}
        | {band.experience_max_years for band in bands if band.experience_max_years is not None}
    )
    stretches: list[tuple[Decimal, Decimal | None]] = list(zip(edges, edges[1:], strict=False))
    if any(band.experience_max_years is None for band in bands):
        stretches.append((edges[-1], None))
    by_role: dict[int, list[SalaryBand]] = {role.pk: [] for role in roles}
    for band in bands:
        by_role[band.role_id].append(band)
    rows = []
    for low, high in stretches:
        cells = [
            [
                (band, (band.experience_min_years, band.experience_max_years) != (low, high))
                for band in by_role[role.pk]
                if covers(band, low, high)
            ]
            if by_role[role.pk]
            else None
            for role in roles
        ]
        if any(cells):
            rows.append(PayRow(low, high, cells))
    return rows


# The comparison ---------------------------------------------------------------------------


@dataclass
class RoleColumn:
    """A compared role, with how many of its skills are required and preferred, and the
    compare page's address without it."""

    role: Role
    required_skills: int
    preferred_skills: int
    has_pay: bool
    without_url: str


@dataclass
class Comparison:
    columns: list[RoleColumn]
    grid_sections: list[GridSection]
    pay_rows: list[PayRow]

    @property
    def any_pay(self) -> bool:
        return any(column.has_pay for column in self.columns)


def compare(roles: Sequence[Role]) -> Comparison:
    """``roles`` (from roles_for_comparison) side by side: their skills in a grid and their
    pay aligned by experience. Two queries, however many skills the roles have."""
    role_skills = list(
        RoleSkill.objects.filter(role__in=roles)
        .select_related("skill")
        .only("role", "importance", "skill__name", "skill__slug", "skill__kind")
    )
    bands = list(
        SalaryBand.objects.filter(role__in=roles)
        .select_related("location", "source")
        .order_by("experience_min_years", "location__name", "pk")
    )
    columns = []
    for role in roles:
        own = [role_skill for role_skill in role_skills if role_skill.role_id == role.pk]
        required = sum(1 for role_skill in own if role_skill.importance == SkillImportance.REQUIRED)
        others = [other for other in roles if other.pk != role.pk]
        columns.append(
            RoleColumn(
                role=role,
                required_skills=required,
                preferred_skills=len(own) - required,
                has_pay=any(band.role_id == role.pk for band in bands),
                without_url=compare_url(others),
            )
        )
    return Comparison(columns, grid_sections(roles, role_skills), pay_rows(roles, bands))


# Next steps -------------------------------------------------------------------------------

NEXT_STEPS_SHOWN = 6
SKILLS_ADDED_SHOWN = 3
# The roles sharing most skills, by count, that the closest are chosen from: enough that a
# small role close to this one is among them, few enough that working out each one's
# closeness costs nothing.
NEXT_STEP_CANDIDATES = 30


def next_steps(
    role: Role,
    *,
    compared: Sequence[Role] = (),
    count: int = NEXT_STEPS_SHOWN,
    skills_shown: int = SKILLS_ADDED_SHOWN,
) -> list[Role]:
    """The published roles whose skills overlap most with ``role``'s, leaving out those
    ``compared`` with it already: closest first, ESCO's broader and narrower occupations of
    ``role`` first among equals. Each comes with ``shared_skills`` (how many),
    ``skills_added`` (how many it needs that ``role`` does not), ``skills_added_shown`` (the
    first ``skills_shown`` of those, required first, as dicts of name, slug and importance),
    ``more_skills_added`` (the rest, counted), ``is_broader``, ``is_narrower``, and
    ``compare_url``: ``role``, the roles compared and this one.

    Overlap is the skills two roles share over all the skills either needs (Jaccard's
    measure), so a role with 400 skills, sharing many of them by sheer number, does not
    crowd out one that needs little beyond this role's skills.

    One query, in two steps. The candidates: roles by how many skills they share, starting
    from the role's own links (340 at most) and following each skill to the roles needing
    it (350 at most), so reading those links and no others. Then, for the candidates only,
    the skills each adds, which rank them and are shown."""
    own_skills = RoleSkill.objects.filter(role=role).values("skill")
    candidates = (
        Role.objects.published()
        .filter(role_skills__skill__role_skills__role=role)
        .exclude(pk__in=[role.pk, *(other.pk for other in compared)])
        .annotate(shared=Count("pk"))
        .order_by("-shared", "pk")
        .values("pk")[:NEXT_STEP_CANDIDATES]
    )

    def counted(links):
        return Subquery(
            links.order_by().values("role").annotate(count=Count("pk")).values("count"),
            output_field=models.IntegerField(),
        )

    linked = RoleSkill.objects.filter(role=OuterRef("pk"))
    added = linked.exclude(skill__in=own_skills)
    first_added = (
        added.order_by(RoleSkill.required_first(), "skill__name")
        .annotate(shown=JSONObject(name="skill__name", slug="skill__slug", importance="importance"))
        .values("shown")[:skills_shown]
    )
    shared = Coalesce(counted(linked.filter(skill__in=own_skills)), 0)
    added_count = Coalesce(counted(added), 0)
    # The union of the two roles' skills: the role's own (worked out once) and those added.
    union = counted(RoleSkill.objects.filter(role=role)) + F("skills_added")
    related = models.Case(
        models.When(Q(pk=role.broader_id) | Q(broader_id=role.pk), then=0), default=1
    )
    suggestions = list(
        Role.objects.filter(pk__in=Subquery(candidates))
        .only("title", "slug", "broader", "summary")
        .annotate(
            shared_skills=shared,
            skills_added=added_count,
            skills_added_shown=ArraySubquery(first_added),
        )
        .order_by(
            (Cast("shared_skills", models.FloatField()) / union).desc(),
            related,
            "title",
        )[:count]
    )
    for suggestion in suggestions:
        suggestion.is_broader = suggestion.pk == role.broader_id
        suggestion.is_narrower = suggestion.broader_id == role.pk
        suggestion.more_skills_added = suggestion.skills_added - len(suggestion.skills_added_shown)
        suggestion.compare_url = compare_url([role, *compared, suggestion])
    return suggestions
