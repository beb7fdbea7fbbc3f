from django.views.generic import DetailView

from .models import Skill


class SkillDetailView(DetailView):
    queryset = Skill.objects.with_published_roles()
    context_object_name = "skill"
