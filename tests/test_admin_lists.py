"""The catalogue's admin lists stay quick at ESCO's size plus 10,000 demo roles (figures:
bench/admin_lists.py, docs/benchmarks.md "Admin lists"): a row's skills and bands are counted
for the rows of the page alone, never by joining every role's; a filtered or searched list
counts its records once, not every record again; and skill search (the role page's skill
picker too) goes through the search vector's index."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import RoleFactory, RoleSkillFactory, SalaryBandFactory, SkillFactory

pytestmark = pytest.mark.django_db

ROLES = reverse("admin:roles_role_changelist")
SKILLS = reverse("admin:skills_skill_changelist")


def list_page(client, url, params=None):
    """The page and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in queries]


def counts_of_records(sql):
    """The queries counting a list's records (not the subqueries counting a row's rows)."""
    return [query for query in sql if query.startswith("SELECT COUNT(*)")]


def joins(sql, table):
    return [query for query in sql if f'JOIN "{table}"' in query]


def test_roles_list_counts_each_shown_roles_skills_and_bands_without_joining_them(
    editor_client,
):
    role = RoleFactory(title="Data engineer")
    RoleSkillFactory.create_batch(3, role=role)
    SalaryBandFactory(role=role)
    RoleFactory(title="Data analyst")

    page, sql = list_page(editor_client, ROLES, {"q": "engineer", "status__exact": "published"})

    assert '<td class="field-skill_count">3</td>' in page
    assert '<td class="field-band_count">1</td>' in page
    assert "Data analyst" not in page
    assert joins(sql, "skills_roleskill") == [] and joins(sql, "salaries_salaryband") == []
    # The search's count only: no "(2 total)", which counted every role again.
    assert len(counts_of_records(sql)) == 1
    # Last changed is a filter, not a date hierarchy running the search twice more.
    assert not any("DATE_TRUNC" in query or 'MIN("roles_role"' in query for query in sql)
    assert "By updated at" in page


def test_roles_list_sorted_by_skill_count(editor_client):
    few, many = RoleFactory(title="Few skills"), RoleFactory(title="Many skills")
    RoleSkillFactory(role=few)
    RoleSkillFactory.create_batch(4, role=many)
    column = 1 + ["title", "family", "status", "featured", "skill_count"].index("skill_count")

    page, _ = list_page(editor_client, ROLES, {"o": f"-{column}"})

    assert page.index("Many skills") < page.index("Few skills")


def test_roles_list_runs_the_same_queries_for_two_roles_as_for_twenty(editor_client, page_queries):
    def roles_with_skills(count):
        for role in RoleFactory.create_batch(count):
            RoleSkillFactory.create_batch(2, role=role)
            SalaryBandFactory(role=role)

    roles_with_skills(2)
    few = page_queries(ROLES, as_client=editor_client)
    roles_with_skills(18)
    assert page_queries(ROLES, as_client=editor_client) == few


def test_skills_list_counts_each_shown_skills_roles_without_joining_them(editor_client):
    skill = SkillFactory(name="Rust")
    RoleSkillFactory.create_batch(2, skill=skill)

    page, sql = list_page(editor_client, SKILLS, {"kind__exact": skill.kind})

    assert '<td class="field-role_count">2</td>' in page
    assert joins(sql, "skills_roleskill") == []
    assert len(counts_of_records(sql)) == 1


def test_skill_search_finds_words_by_their_start_through_the_search_vector(editor_client):
    SkillFactory(name="PostgreSQL", alternative_names="Postgres")
    SkillFactory(name="Kubernetes", description="Runs containers on a cluster.")
    SkillFactory(name="MongoDB")

    page, sql = list_page(editor_client, SKILLS, {"q": "postg"})
    assert "PostgreSQL" in page and "MongoDB" not in page
    page, sql = list_page(editor_client, SKILLS, {"q": "contain"})  # in the description
    assert "Kubernetes" in page and "PostgreSQL" not in page

    searches = [query for query in sql if "WHERE" in query and "skills_skill" in query]
    assert searches and all('"search_vector" @@' in query for query in searches)
    assert not any(re.search(r"LIKE UPPER\('%contain%'\)", query) for query in sql)


def test_skill_picker_on_the_role_page_searches_the_same_way(editor_client):
    SkillFactory(name="PostgreSQL")
    SkillFactory(name="Kubernetes", description="Runs PostgreSQL in containers.")
    SkillFactory(name="MongoDB")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "skills", "model_name": "roleskill", "field_name": "skill", "term": "postg"},
    )

    names = [result["text"] for result in response.json()["results"]]
    assert names == ["Kubernetes", "PostgreSQL"]  # by name, as the list orders them
