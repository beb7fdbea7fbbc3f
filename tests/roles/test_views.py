from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from roles.models import Role
from tests.factories import RoleFactory, RoleSkillFactory, SalaryBandFactory, SkillFactory

pytestmark = pytest.mark.django_db

LIST_QUERY_BUDGET = 1
DETAIL_QUERY_BUDGET = 10


def test_role_list_shows_published_roles_by_family(client, catalogue):
    response = client.get(reverse("roles:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Backend Developer" in content
    assert "Software engineering" in content
    assert "Quality Assurance Analyst" not in content  # a draft


def test_role_page_shows_every_section_of_the_job_description(client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    response = client.get(role.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for heading in [
        "Overview",
        "Responsibilities",
        "Technical skills",
        "Soft skills",
        "Qualifications and education",
        "Salary",
        "Frequently asked questions",
        "Works with",
        "Sources",
    ]:
        assert f">{heading}</h2>" in page, heading
    for responsibility in role.responsibilities.all():
        assert escape(responsibility.text) in page
    for faq in role.faqs.all():
        assert escape(faq.question) in page
    for name in ["Java", "Python", "Node.js", "MySQL", "MongoDB", "Microsoft Azure", "C#"]:
        assert f">{name}</a>" in page, name
    # Indian digit grouping, open ranges, role-level figures, cities and sources.
    for text in [
        "₹3,00,000 – ₹8,00,000",
        "₹5,00,000 – ₹15,00,000",
        "₹10,00,000 – ₹25,00,000",
        "₹25,00,000+",
        "0–2 years",
        "10+ years",
        "₹6,40,000",
        "Bangalore",
        "Mumbai",
        "Delhi",
        "Glassdoor",
        "Tap Academy",
    ]:
        assert text in page, text


def test_unknown_and_draft_roles_are_not_found_for_visitors(client, catalogue):
    assert client.get(reverse("roles:detail", kwargs={"slug": "no-such-role"})).status_code == 404
    draft = Role.objects.get(slug="qa-analyst")
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_editors_can_preview_a_draft(editor_client, catalogue):
    response = editor_client.get(Role.objects.get(slug="qa-analyst").get_absolute_url())
    assert response.status_code == 200
    assert "only editors can see this page" in response.content.decode()


def test_draft_collaborators_are_named_but_not_linked(client, catalogue):
    page = client.get(
        reverse("roles:detail", kwargs={"slug": "backend-developer"})
    ).content.decode()
    assert "Front-end Developer" in page
    assert reverse("roles:detail", kwargs={"slug": "front-end-developer"}) not in page


def grow_role(role, extra):
    """Give ``role`` ``extra`` more skills and salary bands, and the catalogue more roles."""
    for index in range(extra):
        RoleSkillFactory(role=role, skill=SkillFactory())
        RoleSkillFactory(role=role, skill=SkillFactory(kind="soft_skill"))
        SalaryBandFactory(
            role=role,
            experience_min_years=Decimal(20 + index),
            experience_max_years=Decimal(21 + index),
        )
        RoleFactory(family=role.family)


@pytest.mark.parametrize("url_name", ["roles:list", "roles:detail"])
def test_pages_run_a_fixed_number_of_queries(page_queries, catalogue, url_name):
    role = Role.objects.get(slug="backend-developer")
    kwargs = {"slug": role.slug} if url_name == "roles:detail" else {}
    url = reverse(url_name, kwargs=kwargs)
    budget = DETAIL_QUERY_BUDGET if url_name == "roles:detail" else LIST_QUERY_BUDGET
    small = page_queries(url)
    grow_role(role, extra=20)
    large = page_queries(url)
    assert small == large <= budget
