from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import ListView
from django_filters.views import FilterView

from catalogue.selectors import role_links_for_skill_page
from catalogue.spelling import SpellingSuggestionMixin
from jobsite.cache import page_depends_on, role_tag
from jobsite.views import ForgivingPaginationMixin

from .filters import SkillFilterSet
from .forms import SkillSuggestionForm
from .models import Skill

# ESCO puts hundreds of skills under its broadest ones ("advise others" has 271): a page
# names the first ones and counts the rest.
NARROWER_SKILLS_SHOWN = 30
# The skill picker's suggestions (SkillSuggestionsView): how many, and from how many letters.
SUGGESTIONS = 10
SHORTEST_SUGGESTED = 2


class SkillListView(SpellingSuggestionMixin, ForgivingPaginationMixin, FilterView):
    """Skills grouped by kind, a page at a time: grouping is within the page, as the
    skills come in kind order. Words that find nothing get a "Did you mean …?"."""

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
        context = super().get_context_data(skill=self.skill, **kwargs)
        # The skill itself is part of the structure; the roles listed show their pay.
        page_depends_on(self.request, *(role_tag(link.role_id) for link in context["role_skills"]))
        return context


class SkillSuggestionsView(View):
    """Up to ten skills from the whole catalogue for the skill picker's box, as JSON:
    ``{"skills": [{"name", "slug", "also_called"}]}``, ``also_called`` being the other name
    that matched when the name does not hold what was typed. Fewer than two letters suggest
    nothing; text too long or with a null character is answered 400 with the reason.
    One query (Skill.objects.suggested_for); cached like the pages (catalogue_page)."""

    def get(self, request):
        form = SkillSuggestionForm(request.GET)
        if not form.is_valid():
            errors = [message for messages in form.errors.values() for message in messages]
            return JsonResponse({"errors": errors}, status=400)
        text = form.cleaned_data["q"]
        if len(text) < SHORTEST_SUGGESTED:
            return JsonResponse({"skills": []})
        suggestions = [
            {"name": skill.name, "slug": skill.slug, "also_called": _also_called(skill, text)}
            for skill in Skill.objects.suggested_for(text)[:SUGGESTIONS]
        ]
        return JsonResponse({"skills": suggestions})


def _also_called(skill: Skill, text: str) -> str:
    """The other name of ``skill`` that holds ``text`` when its name does not: a browser
    shows a suggestion only if it holds what was typed ("nodejs" for Node.js)."""
    typed = text.lower()
    if typed in skill.name.lower():
        return ""
    return next((name for name in skill.also_called if typed in name.lower()), "")
