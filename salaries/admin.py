from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from catalogue.admin import CatalogueAdmin, CatalogueInline, OrderedInline

from .formatting import STALE_LABEL
from .forms import SalaryBandForm, SalaryBandPageForm
from .models import HigherPayingLocation, Location, SalaryBand, SalaryFigure


class SalaryBandFormSet(BaseInlineFormSet):
    """A role's bands on its page, compared with each other as submitted: a new or changed
    band far out of line with the rest is saved once the editor confirms it."""

    asks_to_check_pay = False

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if not self._should_delete_form(form)
            and (form.instance.pk is not None or form.has_changed())
        ]
        for form in kept:
            if form.is_valid():
                others = [other.instance for other in kept if other is not form]
                if form.confirm_if_out_of_line(others) is not None:
                    self.asks_to_check_pay = True
        if self.asks_to_check_pay:
            # The box's column appears in the table; rows that need no tick leave it empty.
            for form in self.forms:
                if form.fields["pay_checked"].widget.is_hidden:
                    form.leave_pay_check_empty()

    @property
    def empty_form(self):
        # The table's header comes from the empty form: it shows the box's column too.
        form = super().empty_form
        if self.asks_to_check_pay:
            form.show_pay_check()
        return form


BAND_PAGE_ONLY = {"role", "percentile_25", "median", "percentile_75", "sample_size"}


class SalaryBandInline(CatalogueInline, admin.TabularInline):
    """A role's experience bands, edited on the role page."""

    model = SalaryBand
    form = SalaryBandForm
    formset = SalaryBandFormSet
    # The form's fields but the role, which the page is, and a source's statistics, which
    # the band's own page edits (thirteen columns do not fit at 1280 px); and the box.
    fields = [
        *(name for name in SalaryBandForm.Meta.fields if name not in BAND_PAGE_ONLY),
        "pay_checked",
    ]
    autocomplete_fields = ["location", "source"]
    extra = 0


class SalaryFigureInline(CatalogueInline, admin.TabularInline):
    model = SalaryFigure
    fields = [
        "measure",
        "level",
        "amount",
        "currency",
        "period",
        "location",
        "source",
        "year",
        "note",
    ]
    autocomplete_fields = ["location", "source"]
    extra = 0


class HigherPayingLocationInline(OrderedInline, CatalogueInline, admin.TabularInline):
    model = HigherPayingLocation
    fields = ["position", "location", "note", "source"]
    autocomplete_fields = ["location", "source"]
    extra = 0


@admin.register(Location)
class LocationAdmin(CatalogueAdmin):
    list_display = ["name", "country_code", "parent"]
    list_filter = ["country_code"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


class AgeFilter(admin.SimpleListFilter):
    """Bands or figures whose pages flag them as old (the editors' dashboard links here)."""

    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return [("stale", STALE_LABEL.capitalize())]

    def queryset(self, request, queryset):
        return queryset.stale() if self.value() == "stale" else queryset


@admin.register(SalaryBand)
class SalaryBandAdmin(CatalogueAdmin):
    form = SalaryBandPageForm
    list_display = [
        "role",
        "experience",
        "minimum",
        "maximum",
        "median",
        "currency",
        "period",
        "location",
        "year",
        "source",
    ]
    list_filter = [AgeFilter, "currency", "period", "location", "year", "source"]
    list_select_related = ["role", "location", "source"]
    search_fields = ["role__title"]
    autocomplete_fields = ["role", "location", "source"]
    ordering = ["role__title", "location__name", "experience_min_years"]
    name_record_in_history = True

    @admin.display(description="experience", ordering="experience_min_years")
    def experience(self, band):
        return band.experience_label


@admin.register(SalaryFigure)
class SalaryFigureAdmin(CatalogueAdmin):
    list_display = ["role", "measure", "level", "amount", "currency", "period", "location", "year"]
    list_filter = ["measure", AgeFilter, "currency", "location", "year", "source"]
    list_select_related = ["role", "location"]
    search_fields = ["role__title", "level", "note"]
    autocomplete_fields = ["role", "location", "source"]
    name_record_in_history = True
