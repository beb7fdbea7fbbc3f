import django_filters
from django.db.models import F

from jobsite.filters import FilterSet
from jobsite.text_search import MAX_QUERY_LENGTH, matching, require_words
from skills.filters import SkillsFilter
from skills.models import needs_skill

from .models import Role, RoleFamily

# Salary orders need the pay_minimum of salaries.models.pay_summary(), which the roles list
# reads (catalogue.selectors.roles_for_listing).
SORT_ORDERS = {
    "title": [F("title").asc()],
    "-title": [F("title").desc()],
    "salary": [F("pay_minimum").asc(nulls_last=True), F("title").asc()],
    "-salary": [F("pay_minimum").desc(nulls_last=True), F("title").asc()],
}


class RoleFilterSet(FilterSet):
    """The roles list's filters; every value lives in the query string, so results can be
    bookmarked and shared: ?family=<slug>&skill=<slug>&skill=<slug>&q=<text>&sort=<order>."""

    q = django_filters.CharFilter(
        method="filter_text",
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        validators=[require_words],
    )
    family = django_filters.ModelChoiceFilter(
        # Editors' families (no code) first, then ISCO-08 groups by code, each under the
        # group above it: 2 Professionals, 25 …, 251 …, 2512 Software developers.
        queryset=RoleFamily.objects.order_by("code", "name"),
        to_field_name="slug",
        empty_label="All families",
        method="filter_family",
    )
    skill = SkillsFilter(method="filter_skills", label="Needs all of these skills")
    sort = django_filters.ChoiceFilter(
        choices=[
            ("title", "Title (A–Z)"),
            ("-title", "Title (Z–A)"),
            ("salary", "Starting pay (lowest first)"),
            ("-salary", "Starting pay (highest first)"),
        ],
        method="sort_roles",
        empty_label="Title (A–Z)",
        label="Sort by",
    )

    class Meta:
        model = Role
        fields = ["q", "family", "skill", "sort"]

    def filter_text(self, roles, name, value):
        """Full-text search, as on the search page (prefixes of every word), but the list
        keeps its chosen order rather than ranking."""
        return matching(roles, value) if value.strip() else roles

    def filter_family(self, roles, name, family):
        """Roles of ``family`` and, for an ISCO-08 group, of every group below it."""
        return roles.filter(family__in=RoleFamily.objects.at_or_below(family))

    def filter_skills(self, roles, name, skills):
        """Roles that list every one of ``skills``."""
        return roles.filter(*(needs_skill(skill) for skill in skills))

    def sort_roles(self, roles, name, value):
        return roles.order_by(*SORT_ORDERS[value])
