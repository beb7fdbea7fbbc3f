from django.contrib import admin

from catalogue.admin import CatalogueAdmin

from .models import HigherPayingLocation, Location, SalaryBand, SalaryFigure


class SalaryBandInline(admin.TabularInline):
    """A role's experience bands, edited on the role page."""

    model = SalaryBand
    fields = [
        "experience_min_years",
        "experience_max_years",
        "minimum",
        "maximum",
        "currency",
        "period",
        "location",
        "source",
        "year",
    ]
    autocomplete_fields = ["location", "source"]
    extra = 0


class SalaryFigureInline(admin.TabularInline):
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


class HigherPayingLocationInline(admin.TabularInline):
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


@admin.register(SalaryBand)
class SalaryBandAdmin(CatalogueAdmin):
    list_display = [
        "role",
        "experience",
        "minimum",
        "maximum",
        "currency",
        "period",
        "location",
        "year",
        "source",
    ]
    list_filter = ["currency", "period", "location", "year", "source"]
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
    list_filter = ["measure", "currency", "location", "year", "source"]
    list_select_related = ["role", "location"]
    search_fields = ["role__title", "level", "note"]
    autocomplete_fields = ["role", "location", "source"]
    name_record_in_history = True
