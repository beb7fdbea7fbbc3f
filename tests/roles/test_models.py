import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from roles.models import Collaboration, FrequentlyAskedQuestion, Responsibility, Role
from tests.factories import RoleFactory, RoleFamilyFactory

pytestmark = pytest.mark.django_db


def integrity_error():
    return pytest.raises(IntegrityError)


def test_slug_is_unique():
    RoleFactory(slug="backend-developer")
    with integrity_error(), transaction.atomic():
        RoleFactory(slug="backend-developer")


@pytest.mark.parametrize(
    "fields",
    [{"isco_08": "25"}, {"isco_08": "ABCD"}, {"onet_soc": "15-1252"}, {"status": "secret"}],
)
def test_database_refuses_malformed_codes_and_statuses(fields):
    with integrity_error(), transaction.atomic():
        RoleFactory(**fields)


def test_faq_question_and_responsibility_are_unique_per_role():
    role = RoleFactory()
    FrequentlyAskedQuestion.objects.create(role=role, question="Why?", answer="Because.")
    Responsibility.objects.create(role=role, text="Write code.")
    with integrity_error(), transaction.atomic():
        FrequentlyAskedQuestion.objects.create(role=role, question="Why?", answer="Again.")
    with integrity_error(), transaction.atomic():
        Responsibility.objects.create(role=role, text="Write code.")
    # Another role may ask the same question.
    FrequentlyAskedQuestion.objects.create(role=RoleFactory(), question="Why?", answer="Because.")


def test_a_role_cannot_work_with_itself_or_twice_with_another():
    role, other = RoleFactory(), RoleFactory()
    Collaboration.objects.create(role=role, collaborator=other)
    with integrity_error(), transaction.atomic():
        Collaboration.objects.create(role=role, collaborator=role)
    with integrity_error(), transaction.atomic():
        Collaboration.objects.create(role=role, collaborator=other)


def test_family_in_use_and_collaborator_cannot_be_deleted():
    role, other = RoleFactory(), RoleFactory()
    Collaboration.objects.create(role=role, collaborator=other)
    with pytest.raises(ProtectedError):
        role.family.delete()
    with pytest.raises(ProtectedError):
        other.delete()
    role.delete()  # the owning side may go; its links go with it
    assert not Collaboration.objects.exists()


def test_children_come_back_in_editor_order():
    role = RoleFactory()
    for position, text in [(3, "third"), (1, "first"), (2, "second")]:
        Responsibility.objects.create(role=role, text=text, position=position)
    assert [r.text for r in role.responsibilities.all()] == ["first", "second", "third"]


def test_published_hides_drafts_and_archived_roles():
    family = RoleFamilyFactory()
    published = RoleFactory(family=family)
    RoleFactory(family=family, status=Role.Status.DRAFT)
    RoleFactory(family=family, status=Role.Status.ARCHIVED)
    assert list(Role.objects.published()) == [published]
