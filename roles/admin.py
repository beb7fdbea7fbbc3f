from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.template.defaultfilters import pluralize

from catalogue.admin import CatalogueAdmin, role_titles
from catalogue.parts import role_part_inlines
from salaries.admin import HigherPayingLocationInline, SalaryBandInline, SalaryFigureInline
from skills.admin import RoleSkillInline

from .models import Collaboration, FrequentlyAskedQuestion, Responsibility, Role, RoleFamily, Source


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    fields = ["position", "text"]
    extra = 0


class FrequentlyAskedQuestionInline(admin.StackedInline):
    model = FrequentlyAskedQuestion
    fields = ["position", "question", "answer"]
    extra = 0


class CollaborationInline(admin.TabularInline):
    model = Collaboration
    fk_name = "role"
    fields = ["position", "collaborator", "note"]
    autocomplete_fields = ["collaborator"]
    extra = 0
    verbose_name = "role it works with"
    verbose_name_plural = "roles it works with"


@admin.register(Role)
class RoleAdmin(CatalogueAdmin):
    list_display = [
        "title",
        "family",
        "status",
        "featured",
        "skill_count",
        "band_count",
        "reviewed_on",
    ]
    list_filter = ["status", "featured", "family", "reviewed_on"]
    list_select_related = ["family"]
    search_fields = ["title", "slug", "summary", "isco_08", "onet_soc"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["family"]
    filter_horizontal = ["sources"]
    date_hierarchy = "updated_at"
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "family", "status", "featured", "reviewed_on", "summary"]},
        ),
        ("Description", {"fields": ["overview", "qualifications", "education"]}),
        ("Pay and market", {"fields": ["outlook", "salary_note"]}),
        ("Occupation codes", {"fields": ["isco_08", "onet_soc"], "classes": ["collapse"]}),
        ("Sources", {"fields": ["sources"]}),
    ]
    # One inline for each kind of row a role owns (catalogue.parts), in the page's order.
    inlines = role_part_inlines(
        ResponsibilityInline,
        RoleSkillInline,
        FrequentlyAskedQuestionInline,
        CollaborationInline,
        SalaryBandInline,
        SalaryFigureInline,
        HigherPayingLocationInline,
    )

    def deletion_refusals(self, roles):
        refusals = []
        for role in roles:
            bands, figures = role.salary_bands.count(), role.salary_figures.count()
            if bands or figures:
                refusals.append(
                    f"“{role}” has salary data ({bands} salary band{pluralize(bands)} and "
                    f"{figures} salary figure{pluralize(figures)}) that deleting it would lose. "
                    "To take it off the site, set its status to Archived or Draft instead; to "
                    "delete it, remove its salary bands and figures on its page first."
                )
            count, titles = role_titles(Role.objects.filter(collaborations__collaborator=role))
            if count:
                refusals.append(
                    f"“{role}” is listed as a role that {titles} "
                    f"{'works' if count == 1 else 'work'} with. Remove it from "
                    f"{'that role' if count == 1 else 'those roles'} first."
                )
        return refusals

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                skill_count=Count("role_skills", distinct=True),
                band_count=Count("salary_bands", distinct=True),
            )
        )

    @admin.display(description="skills", ordering="skill_count")
    def skill_count(self, role):
        return role.skill_count

    @admin.display(description="salary bands", ordering="band_count")
    def band_count(self, role):
        return role.band_count


@admin.register(RoleFamily)
class RoleFamilyAdmin(CatalogueAdmin):
    list_display = ["name", "slug", "role_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(role_count=Count("roles"))

    @admin.display(description="roles", ordering="role_count")
    def role_count(self, family):
        return family.role_count


@admin.register(Source)
class SourceAdmin(CatalogueAdmin):
    list_display = ["title", "publisher", "year", "url"]
    list_filter = ["publisher", "year"]
    search_fields = ["title", "publisher", "slug", "note"]
    prepopulated_fields = {"slug": ["title"]}
    # Links typed without a scheme are taken as https (Django 6.0's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
