"""Each endpoint runs a fixed number of queries, whatever the page size and the catalogue's
size: ESCO's shapes (a role with 340 skills, a skill 350 roles need) and demo data cost what
the shipped catalogue costs."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from catalogue.demo import generate_demo_data
from catalogue.search import refresh_role_search_vectors
from roles.models import Role
from skills.models import Skill, SkillKind
from tests.catalogue.esco_miniature import PYTHON_URI, SOFTWARE_DEVELOPER_URI
from tests.catalogue.test_search import SEARCH_QUERY_BUDGET
from tests.factories import RoleSkillFactory, SkillFactory
from tests.skills.test_esco_pages import add_published_roles_needing

pytestmark = pytest.mark.django_db

# Each endpoint's own reads: whether a cached answer is current costs no SQL.
BUDGETS = {
    # The count, the page's keys, its rows, their top skills.
    reverse("api:roles"): 4,
    reverse("api:roles") + "?skill=python&sort=-salary": 5,  # and the skill named
    # The role with its family, pay and broader role; then one query per prefetch.
    reverse("api:role", kwargs={"slug": "backend-developer"}): 11,
    reverse("api:skills"): 3,
    # The skill, its groups, broader and first narrower skills, its roles (and their
    # rows), and how many there are.
    reverse("api:skill", kwargs={"slug": "python"}): 7,
    reverse("api:salary-bands"): 2,
    reverse("api:salary-bands") + "?role=backend-developer&experience=3": 3,
    reverse("api:families"): 2,
    reverse("api:search") + "?q=developer": SEARCH_QUERY_BUDGET,
}


def cold(page_queries, url):
    cache.clear()  # bulk writes send no signal: never count a cached answer
    return page_queries(url)


def test_each_endpoint_keeps_to_its_budget_as_the_catalogue_grows(page_queries, catalogue):
    assert {url: cold(page_queries, url) for url in BUDGETS} == BUDGETS
    generate_demo_data(roles=60, seed=1)
    refresh_role_search_vectors()
    assert {url: cold(page_queries, url) for url in BUDGETS} == BUDGETS
    for size in (1, 100):
        for url in (reverse("api:roles"), reverse("api:skills"), reverse("api:salary-bands")):
            assert cold(page_queries, f"{url}?page_size={size}") == BUDGETS[url]


def test_an_occupation_with_340_skills_costs_what_one_with_3_costs(page_queries, esco_miniature):
    role = Role.objects.get(esco_uri=SOFTWARE_DEVELOPER_URI)
    url = reverse("api:role", kwargs={"slug": role.slug})
    few = cold(page_queries, url)
    kinds = [SkillKind.KNOWLEDGE, SkillKind.COMPETENCE, SkillKind.TRANSVERSAL]
    for index in range(340 - role.role_skills.count()):
        importance = "required" if index % 3 == 0 else "preferred"
        RoleSkillFactory(
            role=role, skill=SkillFactory(kind=kinds[index % 3]), importance=importance
        )
    assert role.role_skills.count() == 340
    assert cold(page_queries, url) == few


def test_a_skill_350_occupations_need_costs_what_one_3_need_costs(page_queries, esco_miniature):
    python = Skill.objects.get(esco_uri=PYTHON_URI)
    url = reverse("api:skill", kwargs={"slug": python.slug})
    roles = f"{reverse('api:roles')}?skill={python.slug}&page_size=100"
    few = [cold(page_queries, url), cold(page_queries, roles)]
    add_published_roles_needing(python, 350)
    assert [cold(page_queries, url), cold(page_queries, roles)] == few
