from django.contrib import admin
from django.db.models import Count
from django.template.defaultfilters import pluralize

from catalogue.admin import CatalogueAdmin, role_titles
from roles.models import Role

from .models import RoleSkill, Skill


class RoleSkillInline(admin.TabularInline):
    """A role's skills, edited on the role page."""

    model = RoleSkill
    fields = ["position", "skill", "importance", "explanation"]
    autocomplete_fields = ["skill"]
    extra = 0


class SkillRolesInline(admin.TabularInline):
    """The roles that need a skill, shown on the skill page."""

    model = RoleSkill
    fields = ["role", "importance", "explanation"]
    autocomplete_fields = ["role"]
    extra = 0
    verbose_name = "role needing this skill"
    verbose_name_plural = "roles needing this skill"


@admin.register(Skill)
class SkillAdmin(CatalogueAdmin):
    list_display = ["name", "kind", "role_count", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["name"]
    inlines = [SkillRolesInline]

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
        return super().get_queryset(request).annotate(role_count=Count("role_skills"))

    @admin.display(description="roles", ordering="role_count")
    def role_count(self, skill):
        return skill.role_count
