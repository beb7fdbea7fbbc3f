import django_filters
from django.db.models import Exists, OuterRef

from catalogue.search import named_like
from jobsite.filters import FilterSet
from roles.models import Role

from .forms import PayPeriodField, RolePickerField, SalaryExplorerForm, YearsOfExperienceField
from .models import Location, PayPeriod, SalaryBand, currency_validator

ROLE_TITLE_SUGGESTIONS = 50
SIMILAR_ROLES = 5


def roles_with_salary_bands():
    return (
        Role.objects.published()
        .filter(Exists(SalaryBand.objects.filter(role=OuterRef("pk"))))
        .order_by("title")
    )


def role_title_suggestions(limit: int = ROLE_TITLE_SUGGESTIONS) -> list[str]:
    """Titles for the role box's suggestion list: featured roles first, then the first
    titles alphabetically, ``limit`` in all, in one query.

    Two short index-ordered lists joined, rather than every role sorted by (featured, title):
    the list stays this cheap at any size. Typing any other title works as well."""
    roles = roles_with_salary_bands().values_list("title", "featured")
    featured = roles.filter(featured=True).order_by("title")[:limit]
    first = roles.order_by("title")[:limit]
    return [title for title, _ in featured.union(first).order_by("-featured", "title")[:limit]]


class RoleFilter(django_filters.Filter):
    field_class = RolePickerField


class ExperienceFilter(django_filters.Filter):
    # Not NumberFilter: its extra 1e50 ceiling would repeat our own range message.
    field_class = YearsOfExperienceField


class PayPeriodFilter(django_filters.Filter):
    field_class = PayPeriodField


class SalaryBandFilterSet(FilterSet):
    """The salary explorer's filters, shared by the page and its CSV export.

    ``?role=<slug or title>&experience=<years>&location=<slug>&pay=<year or month>``.
    Experience does not narrow the bands: it marks the ones that hold it
    (``matches_experience``), so a visitor sees where they stand on the role's whole pay
    ladder. Nor does ``pay``: it is the period the page shows pay in (the CSV keeps each
    source's own)."""

    role = RoleFilter(label="Role", queryset=roles_with_salary_bands())
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
    pay = PayPeriodFilter(label="Show pay", method="shown_per")

    class Meta:
        model = SalaryBand
        form = SalaryExplorerForm
        fields = ["role", "experience", "location", "pay"]

    def mark_experience(self, queryset, name, value):
        return queryset.mark_experience(value)

    def shown_per(self, queryset, name, value):
        return queryset  # how pay is shown, not which bands

    def similar_roles(self, limit: int = SIMILAR_ROLES) -> list[Role]:
        """Up to ``limit`` roles like the one typed, when no role has that slug or title."""
        if not (self.is_bound and self.form.has_error("role", code="unknown_role")):
            return []
        return list(named_like(roles_with_salary_bands(), self.data.get("role", ""))[:limit])


class SalaryBandApiFilterSet(SalaryBandFilterSet):
    """The explorer's filters for the API (api.views): the same role, experience and place,
    with the same validation, and two more the page has no box for, since it shows every
    band of a role: ``currency`` (ISO 4217) and ``period`` (the one a source gave pay in).
    Nor does the API convert pay, so the page's ``pay`` is left out."""

    currency = django_filters.CharFilter(
        label="Currency", validators=[currency_validator], help_text="ISO 4217, e.g. INR."
    )
    period = django_filters.ChoiceFilter(label="Pay period", choices=PayPeriod.choices)
    pay = None

    class Meta(SalaryBandFilterSet.Meta):
        fields = ["role", "experience", "location", "currency", "period"]
