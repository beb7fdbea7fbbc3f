import django_filters
from django import forms
from django.db.models import Q

from jobsite.filters import FilterSet

from .forms import SkillsField
from .models import Skill, SkillKind


class SkillsFilter(django_filters.Filter):
    """Several skills, by slug or by name as typed (SkillsField), for filtering anything that
    needs skills; the FilterSet's method decides how."""

    field_class = SkillsField


class SkillFilterSet(FilterSet):
    """The skills list's filters, kept in the query string so a filtered list can be
    bookmarked and shared: ?kind=<kind>&q=<text>."""

    kind = django_filters.ChoiceFilter(
        choices=SkillKind.choices,
        label="Kind",
        empty_label="All kinds",
        error_messages={"invalid_choice": "Choose a kind from the list; “%(value)s” is not one."},
    )
    q = django_filters.CharFilter(
        method="filter_text",
        label="Name or description contains",
        max_length=200,
        widget=forms.SearchInput,
    )

    class Meta:
        model = Skill
        fields = ["kind", "q"]

    def filter_text(self, skills, name, value):
        text = value.strip()
        if not text:
            return skills
        return skills.filter(Q(name__icontains=text) | Q(description__icontains=text))
