import django_filters
from django import forms

from jobsite.filters import FilterSet

from .forms import SkillGroupField, SkillsField
from .models import EscoSkillType, Skill, SkillKind


class SkillsFilter(django_filters.Filter):
    """Several skills, by slug or by name as typed (SkillsField), for filtering anything that
    needs skills; the FilterSet's method decides how."""

    field_class = SkillsField


class SkillGroupFilter(django_filters.Filter):
    """One ESCO skill group, by slug (SkillGroupField); the FilterSet's method decides how."""

    field_class = SkillGroupField


class SkillFilterSet(FilterSet):
    """The skills list's filters, kept in the query string so a filtered list can be
    bookmarked and shared: ?kind=<kind>&q=<text>&group=<skill group slug>."""

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
    # Reached from a group's links (SkillGroup.get_absolute_url), kept through the form.
    group = SkillGroupFilter(method="filter_group", label="Skill group")

    class Meta:
        model = Skill
        fields = ["kind", "q", "group"]

    def filter_text(self, skills, name, value):
        text = value.strip()
        if not text:
            return skills
        return skills.matching_text(text)

    def filter_group(self, skills, name, group):
        return skills.in_group(group)


class SkillApiFilterSet(SkillFilterSet):
    """The skills list's filters for the API (api.views), with ESCO's skill type, which the
    page's kinds already spell out for its readers."""

    type = django_filters.ChoiceFilter(
        field_name="esco_type", choices=EscoSkillType.choices, label="ESCO skill type"
    )

    class Meta(SkillFilterSet.Meta):
        fields = [*SkillFilterSet.Meta.fields, "type"]
