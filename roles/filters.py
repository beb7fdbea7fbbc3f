from functools import cached_property

import django_filters
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from jobsite.cache import structure_fragment
from jobsite.filters import FilterSet
from jobsite.text_search import MAX_QUERY_LENGTH, matching, require_words
from salaries.models import SalaryBand, SalaryFigure
from skills.filters import SkillsFilter
from skills.models import needs_skill

from .forms import IscoGroupField, YesCheckboxInput
from .models import Role, RoleFamily

# Salary orders need the pay_minimum of salaries.models.pay_summary(), which the roles list
# reads (catalogue.selectors.roles_for_listing).
SORT_ORDERS = {
    "title": [F("title").asc()],
    "-title": [F("title").desc()],
    "salary": [F("pay_minimum").asc(nulls_last=True), F("title").asc()],
    "-salary": [F("pay_minimum").desc(nulls_last=True), F("title").asc()],
    # The top of the span a card shows: its highest maximum, or its lowest minimum when every
    # band is open-topped ("₹20,00,000+"). Roles without pay come last, as above.
    "-top-salary": [
        Coalesce("pay_maximum", "pay_minimum").desc(nulls_last=True),
        F("title").asc(),
    ],
}
# The family list offers editors' families and ISCO-08's major and sub-major groups (about
# 50 of its 619); narrower groups are reached with the ISCO-08 code box, or from their page.
OFFERED_ISCO_CODE = r"^[0-9]{1,2}$"


def offered_families(*, also: RoleFamily | None = None) -> list[RoleFamily]:
    """The families the roles list offers (RoleFilterSet.offered_families), and ``also``."""
    offered = Q(code="") | Q(code__regex=OFFERED_ISCO_CODE)
    if also:
        offered |= Q(pk=also.pk)
    families = RoleFamily.objects.for_listing().with_published_roles().filter(offered)
    return list(families.order_by("code", "name"))


class IscoGroupFilter(django_filters.ModelChoiceFilter):
    """One ISCO-08 group by its code (IscoGroupField); the FilterSet's method decides how."""

    field_class = IscoGroupField


class RoleFilterSet(FilterSet):
    """The roles list's filters, and its CSV's; every value lives in the query string, so
    results can be bookmarked and shared: ?family=<slug>&isco=<code>&skill=<slug>&skill=<slug>
    &has_pay=yes&q=<text>&sort=<order>."""

    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        validators=[require_words],
    )
    # Any family with published roles at or below it is accepted (a family's page links
    # here with its slug); the list offers fewer (family_choices).
    family = django_filters.ModelChoiceFilter(
        queryset=RoleFamily.objects.with_published_roles(),
        to_field_name="slug",
        method="filter_family",
        error_messages={"invalid_choice": "No published role is in a family “%(value)s”."},
    )
    isco = IscoGroupFilter(
        queryset=RoleFamily.objects.isco_groups(),
        method="filter_family",
        label="ISCO-08 group code",
        help_text="e.g. 25 or 2512; a group includes the groups below it.",
    )
    has_pay = django_filters.BooleanFilter(
        method="filter_has_pay", label="Only roles with pay figures", widget=YesCheckboxInput
    )
    skill = SkillsFilter(method="filter_skills", label="Needs all of these skills")
    sort = django_filters.ChoiceFilter(
        choices=[
            ("title", "Title (A–Z)"),
            ("-title", "Title (Z–A)"),
            ("salary", "Starting pay (lowest first)"),
            ("-salary", "Starting pay (highest first)"),
            ("-top-salary", "Highest pay (top of range)"),
        ],
        method="sort_roles",
        empty_label="Title (A–Z)",
        label="Sort by",
    )

    class Meta:
        model = Role
        fields = ["q", "family", "isco", "skill", "has_pay", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the select is drawn, after validation has found the chosen family; the
        # field still validates against its whole queryset.
        self.form.fields["family"].widget.choices = lambda: self.family_choices

    @cached_property
    def offered_families(self) -> list[RoleFamily]:
        """Editors' families and ISCO-08 major and sub-major groups with published roles at
        or below them, plus the chosen family wherever it sits, so the select shows what is
        filtered: by code (editors' families, which have none, first), then name."""
        chosen = getattr(self.form, "cleaned_data", {}).get("family")
        # The same for every page of the list until the structure changes (9 ms of SQL at
        # ESCO's scale), so kept for the next page; a chosen family outside it is rare.
        families = structure_fragment(self.request, "offered-families", offered_families)
        if chosen and chosen.pk not in {family.pk for family in families}:
            families = offered_families(also=chosen)
        return families

    @property
    def family_choices(self) -> list:
        """The family select's options: editors' families, then each ISCO-08 major group
        with the groups under it."""
        editorial, by_major_group = [], {}
        for family in self.offered_families:
            if family.code:
                by_major_group.setdefault(family.code[0], []).append(family)
            else:
                editorial.append((family.slug, family.name))
        choices = [("", "All families")]
        if editorial:
            choices.append(("Our editors' families", editorial))
        for major_code, groups in by_major_group.items():
            label = str(groups[0]) if groups[0].code == major_code else f"ISCO-08 {major_code}"
            choices.append((label, [(group.slug, str(group)) for group in groups]))
        return choices

    @property
    def offers_isco_groups(self) -> bool:
        """Whether any ISCO-08 group has published roles (none before an ESCO import): the
        code box is shown only then, or when a code was sent."""
        return "isco" in self.data or any(family.code for family in self.offered_families)

    def filter_text(self, roles, name, value):
        """Full-text search, as on the search page (prefixes of every word), but the list
        keeps its chosen order rather than ranking."""
        return matching(roles, value) if value.strip() else roles

    def filter_family(self, roles, name, family):
        """Roles of ``family`` and, for an ISCO-08 group, of every group below it."""
        return roles.filter(family__in=RoleFamily.objects.at_or_below(family))

    def filter_has_pay(self, roles, name, wanted):
        """Roles with a salary band or a pay figure, when ``wanted``: EXISTS, so a role with
        twelve bands is still listed once."""
        if not wanted:
            return roles
        return roles.filter(
            Exists(SalaryBand.objects.filter(role=OuterRef("pk")))
            | Exists(SalaryFigure.objects.filter(role=OuterRef("pk")))
        )

    def filter_skills(self, roles, name, skills):
        """Roles that list every one of ``skills``."""
        return roles.filter(*(needs_skill(skill) for skill in skills))

    def sort_roles(self, roles, name, value):
        return roles.order_by(*SORT_ORDERS[value])
