import pytest
from django.urls import reverse

from skills.models import Skill
from tests.factories import RoleFactory, RoleSkillFactory

pytestmark = pytest.mark.django_db


def test_skill_page_lists_published_roles_required_first(client, catalogue, page_queries):
    skill = Skill.objects.get(slug="python")
    preferred_by = RoleSkillFactory(skill=skill, importance="preferred").role
    required_by = RoleSkillFactory(
        skill=skill, importance="required", role=RoleFactory(title="Data Engineer")
    ).role
    RoleSkillFactory(skill=skill, role=RoleFactory(title="Secret draft", status="draft"))
    assert page_queries(skill.get_absolute_url()) == 2
    response = client.get(skill.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Secret draft" not in page
    assert page.index(required_by.title) < page.index("Backend Developer")
    assert page.index(required_by.title) < page.index(preferred_by.title)


def test_unknown_skill_is_not_found(client, db):
    assert client.get(reverse("skills:detail", kwargs={"slug": "cobol"})).status_code == 404
