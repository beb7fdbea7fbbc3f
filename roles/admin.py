from django import forms
from django.contrib import admin
from django.db.models.functions import Length
from django.forms.formsets import DEFAULT_MAX_NUM
from django.template.defaultfilters import pluralize
from django.utils.text import get_text_list

from catalogue.admin import (
    ESCO_BOOKKEEPING,
    CatalogueAdmin,
    CatalogueInline,
    FromEscoFilter,
    LinkInline,
    OrderedInline,
    role_titles,
    row_count,
)
from catalogue.attention import ROLE_PROBLEMS, roles_with
from catalogue.parts import part_of, role_part_inlines
from salaries.admin import HigherPayingLocationInline, SalaryBandInline, SalaryFigureInline
from skills.admin import RoleSkillInline
from skills.models import RoleSkill

from .models import Collaboration, FrequentlyAskedQuestion, Responsibility, Role, RoleFamily, Source


class ResponsibilityInline(OrderedInline, CatalogueInline, admin.TabularInline):
    model = Responsibility
    fields = ["position", "text"]
    extra = 0


class FrequentlyAskedQuestionInline(OrderedInline, CatalogueInline, admin.StackedInline):
    model = FrequentlyAskedQuestion
    fields = ["position", "question", "answer"]
    extra = 0


class CollaborationInline(OrderedInline, LinkInline):
    model = Collaboration
    fk_name = "role"
    fields = ["position", "collaborator", "note"]
    autocomplete_fields = ["collaborator"]
    verbose_name = "role it works with"
    verbose_name_plural = "roles it works with"


class NeedsAttentionFilter(admin.SimpleListFilter):
    """The roles an editors' dashboard list links to (catalogue.attention)."""

    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return list(ROLE_PROBLEMS.items())

    def queryset(self, request, queryset):
        if self.value() in ROLE_PROBLEMS:
            return queryset.filter(pk__in=roles_with(self.value()).values("pk"))
        return queryset


# Formsets take no more rows than this by default (their absolute_max).
MAX_ROWS = 2 * DEFAULT_MAX_NUM


class RoleAdminForm(forms.ModelForm):
    """Refuses to publish a role whose page would be a stub, counting the responsibilities and
    skills as the page's inlines submit them (they are saved after this form)."""

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("status") != Role.Status.PUBLISHED:
            return cleaned_data
        # The role as it would be saved: the submitted text, or its own where not edited here.
        role = Role(
            **{
                name: cleaned_data.get(name, getattr(self.instance, name))
                for name in ("summary", "overview")
            }
        )
        missing = role.missing_for_publishing(
            responsibilities=_rows_submitted(self.data, part_of(Responsibility).name, "text"),
            skills=_rows_submitted(self.data, part_of(RoleSkill).name, "skill"),
        )
        if missing:
            raise forms.ValidationError(
                f"To publish this role, its page needs {get_text_list(missing, 'and')}. Add "
                f"{'them' if len(missing) > 1 else 'it'}, or keep the role as a draft.",
                code="stub",
            )
        return cleaned_data


def _rows_submitted(data, prefix: str, field: str) -> int:
    """How many rows of the inline ``prefix`` the form submits with ``field`` filled in and
    not marked for deletion."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS)
    except ValueError:
        return 0  # the inline's own management form reports this
    return sum(
        1
        for index in range(total)
        if str(data.get(f"{prefix}-{index}-{field}", "")).strip()
        and not data.get(f"{prefix}-{index}-DELETE")
    )


@admin.register(Role)
class RoleAdmin(CatalogueAdmin):
    form = RoleAdminForm
    list_display = [
        "title",
        "family",
        "status",
        "featured",
        "skill_count",
        "band_count",
        "reviewed_on",
    ]
    # Last changed as a filter, not a date hierarchy: that runs the search twice more, for
    # the first and last dates and for the days between.
    list_filter = [
        "status",
        NeedsAttentionFilter,
        "featured",
        FromEscoFilter,
        "family",
        "reviewed_on",
        "updated_at",
    ]
    list_select_related = ["family"]
    search_fields = [
        "title",
        "alternative_titles",
        "slug",
        "summary",
        "isco_08",
        "esco_code",
        "onet_soc",
    ]
    # Not "13 results (13,014 total)": that counts every role again on each searched page.
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    # ESCO has 3,007 occupations: never a <select> of all of them.
    autocomplete_fields = ["family", "broader"]
    esco_owned_fields = ["isco_08", "esco_code", "broader"]
    readonly_fields = [*ESCO_BOOKKEEPING, "esco_modified_at"]
    filter_horizontal = ["sources"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "alternative_titles",
                    "slug",
                    "family",
                    "status",
                    "featured",
                    "reviewed_on",
                    "summary",
                ]
            },
        ),
        ("Description", {"fields": ["overview", "qualifications", "education"]}),
        ("Pay and market", {"fields": ["outlook", "salary_note"]}),
        (
            "Occupation codes and ESCO",
            {
                "fields": [
                    "isco_08",
                    "onet_soc",
                    "esco_code",
                    "broader",
                    "esco_uri",
                    *ESCO_BOOKKEEPING,
                    "esco_modified_at",
                ],
                "classes": ["collapse"],
                "description": "The ISCO-08 group, ESCO code and broader occupation of an "
                "occupation ESCO holds are rewritten by every import, so they are shown, not "
                "edited, here.",
            },
        ),
        ("Sources", {"fields": ["sources"], "classes": ["collapse"]}),
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

    class Media:
        # Fits the tables of skills, salary bands and figures in the window.
        css = {"all": ["css/admin-inlines.css"]}

    def get_inline_instances(self, request, obj=None):
        # Each kind of row folds under its heading, so the page opens short (a role of ESCO's
        # has hundreds of skills); Django opens a section by itself when it holds an error.
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            inline.classes = [*(inline.classes or []), "collapse"]
        return inlines

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
            .defer("search_vector")
            .annotate(
                skill_count=row_count(Role, "role_skills"),
                band_count=row_count(Role, "salary_bands"),
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
    list_display = ["code", "name", "level", "role_count"]
    list_filter = [FromEscoFilter]
    search_fields = ["code", "name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # ISCO-08 has 619 groups.
    autocomplete_fields = ["parent"]
    esco_owned_fields = ["code", "parent"]
    readonly_fields = [*ESCO_BOOKKEEPING]
    fields = ["name", "slug", "code", "parent", "description", "esco_uri", *ESCO_BOOKKEEPING]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(role_count=row_count(RoleFamily, "roles"))

    @admin.display(description="ISCO-08 level", ordering=Length("code"))
    def level(self, family):
        return family.isco_level

    @admin.display(description="roles", ordering="role_count")
    def role_count(self, family):
        return family.role_count


@admin.register(Source)
class SourceAdmin(CatalogueAdmin):
    list_display = ["title", "publisher", "year", "cited_in", "url"]
    list_filter = ["publisher", "year"]
    list_select_related = ["cited_in"]
    # What an editor types to find a source: who published it, its title, the year.
    search_fields = ["publisher", "title", "year__exact", "slug", "note"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["cited_in"]

    def get_search_results(self, request, queryset, search_term):
        # The list's own column sorting wins on the change list; pickers keep this order.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.best_matches_first(search_term), may_have_duplicates
