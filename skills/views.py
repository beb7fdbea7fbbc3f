from django.views.generic import DetailView
from django_filters.views import FilterView

from .filters import SkillFilter
from .models import Skill


class SkillListView(FilterView):
    queryset = Skill.objects.for_listing()
    filterset_class = SkillFilter
    context_object_name = "skills"
    template_name = "skills/skill_list.html"


class SkillDetailView(DetailView):
    queryset = Skill.objects.with_published_roles()
    context_object_name = "skill"
