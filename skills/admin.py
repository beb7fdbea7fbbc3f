from django.contrib import admin
from django.db.models import Count
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html

from catalogue.admin import (
    ESCO_BOOKKEEPING,
    CatalogueAdmin,
    FromEscoFilter,
    LinkInline,
    OrderedInline,
    role_titles,
    row_count,
)
from jobsite.text_search import matching
from roles.models import Role

from .models import RoleSkill, Skill, SkillGroup


class RoleSkillInline(OrderedInline, LinkInline):
    """A role's skills, edited on the role page."""

    model = RoleSkill
    fields = ["position", "skill", "importance", "explanation"]
    autocomplete_fields = ["skill"]


class SkillRolesInline(LinkInline):
    """The roles that need a skill, shown on the skill page, those requiring it first."""

    model = RoleSkill
    fields = ["role", "importance", "explanation"]
    autocomplete_fields = ["role"]
    ordering = [RoleSkill.required_first(), "role__title"]
    verbose_name = "role needing this skill"
    verbose_name_plural = "roles needing this skill"


@admin.register(Skill)
class SkillAdmin(CatalogueAdmin):
    list_display = ["name", "kind", "esco_type", "reuse_level", "role_count", "updated_at"]
    list_filter = ["kind", "esco_type", "reuse_level", FromEscoFilter]
    # What the search vector holds (get_search_results), which the role page's skill
    # autocomplete searches too.
    search_fields = ["name", "alternative_names", "description"]
    search_help_text = (
        "Finds skills by the start of each word of their name, other names or description "
        "(“jav” finds Java and JavaScript), as the site’s search does."
    )
    # Not "20 results (15,912 total)": that counts every skill again on each search.
    show_full_result_count = False
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]
    # ESCO has 14,000 skills and 640 groups: never a <select> of all of them.
    autocomplete_fields = ["groups", "broader_skills"]
    esco_owned_fields = ["groups", "broader_skills"]
    readonly_fields = [*ESCO_BOOKKEEPING, "esco_type", "reuse_level", "esco_modified_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "alternative_names", "description"]}),
        (
            "ESCO",
            {
                "fields": [
                    "esco_uri",
                    "esco_type",
                    "reuse_level",
                    "groups",
                    "broader_skills",
                    "esco_version",
                    "esco_retired_in",
                    "esco_modified_at",
                    "created_by_import",
                ],
                "description": "ESCO’s groups and broader skills of a skill it holds are "
                "rewritten by every import, so they are shown, not edited, here.",
            },
        ),
    ]
    inlines = [SkillRolesInline]

    class Media:
        # Fits the table of the roles needing the skill in the window.
        css = {"all": ["css/admin-inlines.css"]}

    def deletion_refusals(self, skills):
        refusals = []
        for skill in skills:
            count, titles = role_titles(Role.objects.filter(role_skills__skill=skill))
            if count:
                refusals.append(
                    f"“{skill}” is a skill of {count} role{pluralize(count)} "
                    f"({titles}). Remove it from "
                    f"{'those roles' if count > 1 else 'that role'} first, in the "
                    "“Roles needing this skill” section of this skill’s page."
                )
        return refusals

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("search_vector")
            .annotate(role_count=row_count(Skill, "role_skills"))
        )

    def get_search_results(self, request, queryset, search_term):
        # Through the GIN index on the search vector: Django's icontains on each search
        # field reads all 15,900 skills, 250 ms for each letter typed in the autocomplete.
        if not search_term.strip():
            return queryset, False
        return matching(queryset, search_term), False

    @admin.display(description="roles", ordering="role_count")
    def role_count(self, skill):
        return skill.role_count


@admin.register(SkillGroup)
class SkillGroupAdmin(CatalogueAdmin):
    """ESCO's skill groups: the import rewrites all of a group it holds, so those are read
    here; editors may add groups of their own."""

    list_display = ["name", "code", "skill_list", "esco_version"]
    list_filter = [FromEscoFilter]
    search_fields = ["name", "code", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["broader"]
    esco_owned_fields = ["name", "code", "description", "broader"]
    readonly_fields = [*ESCO_BOOKKEEPING]
    fields = [
        "name",
        "slug",
        "code",
        "description",
        "broader",
        "esco_uri",
        *ESCO_BOOKKEEPING,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(skill_count=Count("skills"))

    def get_prepopulated_fields(self, request, obj=None):
        # A slug can follow a name only where the name is edited.
        return (
            {}
            if obj is not None and obj.is_from_esco
            else super().get_prepopulated_fields(request, obj)
        )

    @admin.display(description="skills", ordering="skill_count")
    def skill_list(self, group):
        url = reverse("admin:skills_skill_changelist") + f"?groups__id__exact={group.pk}"
        return format_html('<a href="{}">{}</a>', url, group.skill_count)
