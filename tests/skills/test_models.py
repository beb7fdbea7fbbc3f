import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from skills.models import RoleSkill, Skill
from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db


def test_skill_in_use_cannot_be_deleted():
    link = RoleSkillFactory()
    with pytest.raises(ProtectedError):
        link.skill.delete()
    link.delete()
    link.skill.delete()
    assert not Skill.objects.exists()


def test_a_role_lists_a_skill_once():
    link = RoleSkillFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleSkillFactory(role=link.role, skill=link.skill)


def test_database_refuses_unknown_kind_and_importance():
    with pytest.raises(IntegrityError), transaction.atomic():
        SkillFactory(kind="telepathy")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleSkillFactory(importance="optional")


def test_slugs_and_names_are_unique():
    SkillFactory(name="Python", slug="python")
    with pytest.raises(IntegrityError), transaction.atomic():
        SkillFactory(name="Python 3", slug="python")
    with pytest.raises(IntegrityError), transaction.atomic():
        SkillFactory(name="Python", slug="python-3")


def test_deleting_a_role_removes_its_skill_links_but_not_the_skills():
    role = RoleFactory()
    skill = SkillFactory()
    RoleSkillFactory(role=role, skill=skill)
    role.delete()
    assert not RoleSkill.objects.exists()
    assert Skill.objects.filter(pk=skill.pk).exists()
