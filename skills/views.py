from django.shortcuts import get_object_or_404
from django.views.generic import ListView
from django_filters.views import FilterView

from catalogue.selectors import role_links_for_skill_page
from jobsite.views import ForgivingPaginationMixin

from .filters import SkillFilterSet
from .models import Skill

# ESCO puts hundreds of skills under its broadest ones ("advise others" has 271): a page
# names the first ones and counts the rest.
NARROWER_SKILLS_SHOWN = 30


class SkillListView(ForgivingPaginationMixin, FilterView):
    """Skills grouped by kind, a page at a time: grouping is within the page, as the
    skills come in kind order."""

    queryset = Skill.objects.in_kind_order()
    filterset_class = SkillFilterSet
    context_object_name = "skills"
    template_name = "skills/skill_list.html"
    paginate_by = 100

    def get_row_queryset(self):
        # Role counts for this page's skills only: counted in the paginated query itself,
        # they would be worked out for every skill (the GROUP BY comes before the LIMIT).
        return Skill.objects.for_listing()

    def get_context_data(self, **kwargs):
        # The group filtered by, read with its broader and narrower groups by its field.
        form = self.filterset.form
        skill_group = form.cleaned_data.get("group") if self.filterset.is_valid() else None
        return super().get_context_data(skill_group=skill_group, **kwargs)


class SkillDetailView(ForgivingPaginationMixin, ListView):
    """A skill, where ESCO places it, and the published roles that need it, required first,
    a page at a time: a skill most roles need would otherwise list thousands."""

    context_object_name = "role_skills"
    template_name = "skills/skill_detail.html"
    paginate_by = 50

    def get(self, request, *args, **kwargs):
        skills = Skill.objects.for_detail_page(narrower_shown=NARROWER_SKILLS_SHOWN)
        self.skill = get_object_or_404(skills, slug=kwargs["slug"])
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return role_links_for_skill_page(self.skill)

    def get_context_data(self, **kwargs):
        return super().get_context_data(skill=self.skill, **kwargs)
