import django_filters
from django.db.models import Exists, OuterRef

from jobsite.filters import FilterSet
from roles.models import Role

from .forms import YearsOfExperienceField
from .models import Location, SalaryBand


def roles_with_salary_bands():
    return (
        Role.objects.published()
        .filter(Exists(SalaryBand.objects.filter(role=OuterRef("pk"))))
        .order_by("title")
    )


class ExperienceFilter(django_filters.Filter):
    # Not NumberFilter: its extra 1e50 ceiling would repeat our own range message.
    field_class = YearsOfExperienceField


class SalaryBandFilter(FilterSet):
    """The salary explorer's filters, shared by the page and its CSV export.

    ``?role=<slug>&experience=<years>&location=<slug>``. Experience does not narrow the
    bands: it marks the ones that hold it (``matches_experience``), so a visitor sees where
    they stand on the role's whole pay ladder."""

    role = django_filters.ModelChoiceFilter(
        queryset=roles_with_salary_bands(),
        to_field_name="slug",
        label="Role",
        empty_label="All roles",
        error_messages={
            "invalid_choice": "We have no salary figures for that role. Choose one from the list."
        },
    )
    experience = ExperienceFilter(label="Years of experience", method="mark_experience")
    location = django_filters.ModelChoiceFilter(
        queryset=Location.objects.with_published_salary_bands(),
        to_field_name="slug",
        label="Location",
        empty_label="All locations",
        error_messages={
            "invalid_choice": "We have no salary figures for that place. Choose one from the list."
        },
    )

    class Meta:
        model = SalaryBand
        fields = ["role", "experience", "location"]

    def mark_experience(self, queryset, name, value):
        return queryset.mark_experience(value)
