"""The public JSON API (api/): the pages' filters and validation, published content only,
problem details for every error, and the pages' caching."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue.esco import ATTRIBUTION
from catalogue.search import refresh_role_search_vectors
from roles.models import Role
from skills.models import EscoSkillType, SkillKind
from tests.catalogue.esco_miniature import PYTHON_URI, SOFTWARE_DEVELOPER_URI
from tests.factories import (
    CollaborationFactory,
    FrequentlyAskedQuestionFactory,
    LocationFactory,
    ResponsibilityFactory,
    RoleFactory,
    RoleFamilyFactory,
    RoleSkillFactory,
    SalaryBandFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db

ROLES = reverse("api:roles")
SKILLS = reverse("api:skills")
BANDS = reverse("api:salary-bands")
FAMILIES = reverse("api:families")
SEARCH = reverse("api:search")
PROBLEM = "application/problem+json"


def role_url(slug):
    return reverse("api:role", kwargs={"slug": slug})


def skill_url(slug):
    return reverse("api:skill", kwargs={"slug": slug})


def data(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content
    return response.json()


def slugs(answer, key="slug"):
    return [row[key] for row in answer["results"]]


@pytest.fixture
def draft():
    return RoleFactory(title="Secret Draft", slug="secret-draft", status=Role.Status.DRAFT)


# Roles ---------------------------------------------------------------------------------------


def test_the_index_lists_every_endpoint(client):
    answer = data(client, reverse("api:index"))
    assert answer["roles"] == f"http://testserver{ROLES}"
    assert {"skills", "salary_bands", "families", "search", "schema", "docs"} <= set(answer)


def test_api_and_a_roles_json_address_redirect_to_the_api(client):
    assert client.get("/api/").url == reverse("api:index")
    assert client.get("/roles/backend-developer.json").url == role_url("backend-developer")


def test_role_list_filters_as_the_roles_page_does(client):
    python, sql = SkillFactory(name="Python", slug="python"), SkillFactory(name="SQL", slug="sql")
    data_family = RoleFamilyFactory(slug="data")
    analyst = RoleFactory(title="Data Analyst", slug="analyst", family=data_family)
    engineer = RoleFactory(title="Data Engineer", slug="engineer", family=data_family)
    RoleFactory(title="Chef", slug="chef")
    RoleSkillFactory(role=analyst, skill=sql)
    RoleSkillFactory(role=engineer, skill=sql)
    RoleSkillFactory(role=engineer, skill=python)
    SalaryBandFactory(role=analyst, minimum=900_000, maximum=1_200_000)
    SalaryBandFactory(role=engineer, minimum=400_000)
    refresh_role_search_vectors()

    assert slugs(data(client, ROLES)) == ["chef", "analyst", "engineer"]
    assert slugs(data(client, ROLES, {"family": "data"})) == ["analyst", "engineer"]
    assert slugs(data(client, ROLES, {"skill": ["sql", "Python"]})) == ["engineer"]
    assert slugs(data(client, ROLES, {"q": "analyst"})) == ["analyst"]
    assert slugs(data(client, ROLES, {"sort": "-salary"})) == ["analyst", "engineer", "chef"]
    assert slugs(data(client, ROLES, {"has_pay": "true"})) == ["analyst", "engineer"]
    pay = data(client, ROLES, {"q": "analyst"})["results"][0]["pay"]
    assert pay == {
        "minimum": 900_000,
        "maximum": 1_200_000,
        "open_topped": False,
        "currency": "INR",
        "period": "year",
    }


def test_each_role_of_a_list_has_its_own_top_skills_and_pay_with_full_addresses(client):
    analyst, engineer = RoleFactory(slug="analyst"), RoleFactory(slug="engineer")
    RoleSkillFactory(role=analyst, skill=SkillFactory(name="SQL", slug="sql"))
    RoleSkillFactory(role=engineer, skill=SkillFactory(name="Spark", slug="spark"))
    SalaryBandFactory(role=engineer, minimum=700_000, maximum=900_000)
    results = {role["slug"]: role for role in data(client, ROLES)["results"]}
    assert [skill["slug"] for skill in results["analyst"]["top_skills"]] == ["sql"]
    assert results["engineer"]["top_skills"][0]["url"] == (
        "http://testserver" + reverse("api:skill", kwargs={"slug": "spark"})
    )
    assert results["analyst"]["pay"] is None
    assert results["engineer"]["pay"]["minimum"] == 700_000
    detail = data(client, role_url("engineer"))
    assert [skill["slug"] for skill in detail["top_skills"]] == ["spark"]


def test_an_invalid_filter_is_a_problem_naming_the_field(client):
    response = client.get(ROLES, {"family": "no-such-family", "sort": "sideways"})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "about:blank"
    assert problem["title"] == "Bad Request"
    assert problem["status"] == 400
    assert set(problem["errors"]) == {"family", "sort"}
    assert "no-such-family" in problem["errors"]["family"][0]


def test_the_isco_filter_refuses_what_is_not_a_code(client):
    problem = data(client, ROLES, {"isco": "twenty"}, status=400)
    assert "ISCO-08 code" in problem["errors"]["isco"][0]


def test_pages_are_bounded_and_counted(client):
    RoleFactory.create_batch(7)
    first = data(client, ROLES, {"page_size": 3})
    assert first["count"] == 7 and len(first["results"]) == 3
    assert "page=2" in first["next"] and first["previous"] is None
    assert len(data(client, ROLES, {"page_size": 1000})["results"]) == 7  # at most 100
    last = data(client, ROLES, {"page_size": 3, "page": 3})
    assert len(last["results"]) == 1 and last["next"] is None
    problem = data(client, ROLES, {"page": 9}, status=404)
    assert problem["status"] == 404
    # A page size or number that is no number is refused, not quietly read as the default.
    assert data(client, ROLES, {"page_size": "ten"}, status=400)["errors"]["page_size"]
    assert data(client, ROLES, {"page": ""}, status=400)["errors"]["page"]


def test_role_detail_holds_what_the_page_shows(client):
    role = RoleFactory(
        title="Backend Developer",
        slug="backend",
        isco_08="2512",
        onet_soc="15-1252.00",
        alternative_titles="Server-side developer\nAPI developer",
        qualifications="A degree.",
    )
    ResponsibilityFactory(role=role, text="Build APIs.")
    FrequentlyAskedQuestionFactory(role=role, question="Is it fun?", answer="Yes.")
    RoleSkillFactory(role=role, skill=SkillFactory(slug="python"), importance="required")
    RoleSkillFactory(
        role=role,
        skill=SkillFactory(slug="teamwork", kind=SkillKind.SOFT_SKILL),
        importance="preferred",
    )
    CollaborationFactory(role=role, collaborator=RoleFactory(slug="frontend"), note="Daily.")
    band = SalaryBandFactory(role=role, location=LocationFactory(slug="pune", name="Pune"))
    role.sources.add(band.source)

    answer = data(client, role_url("backend"))
    assert answer["title"] == "Backend Developer"
    assert answer["alternative_titles"] == ["Server-side developer", "API developer"]
    assert answer["responsibilities"] == ["Build APIs."]
    assert answer["faqs"] == [{"question": "Is it fun?", "answer": "Yes."}]
    assert [(link["skill"]["slug"], link["importance"]) for link in answer["skills"]] == [
        ("python", "required"),
        ("teamwork", "preferred"),
    ]
    assert answer["works_with"][0]["role"]["slug"] == "frontend"
    assert (answer["isco_08"], answer["onet_soc"]) == ("2512", "15-1252.00")
    [shown_band] = answer["salary_bands"]
    assert shown_band["location"] == {"slug": "pune", "name": "Pune"}
    assert shown_band["source"]["citation"] == "Test Publisher, 2024"
    assert answer["sources"][0]["publisher"] == "Test Publisher"
    assert answer["attribution"] is None  # nothing here came from ESCO
    assert answer["page_url"] == "http://testserver/roles/backend/"


def test_drafts_appear_nowhere(client, draft):
    skill = SkillFactory(name="Secret skill", slug="secret-skill")
    RoleSkillFactory(role=draft, skill=skill)
    SalaryBandFactory(role=draft)
    public = RoleFactory(slug="public", broader=draft)
    CollaborationFactory(role=public, collaborator=draft)
    RoleFactory(slug="narrower-draft", broader=public, status=Role.Status.DRAFT)
    refresh_role_search_vectors()

    assert slugs(data(client, ROLES)) == ["public"]
    problem = data(client, role_url("secret-draft"), status=404)
    assert problem["title"] == "Not Found"
    shown = data(client, role_url("public"))
    assert shown["broader"] is None and shown["works_with"] == [] and shown["narrower"] == []
    assert data(client, skill_url("secret-skill"))["roles"] == []
    assert data(client, skill_url("secret-skill"))["role_count"] == 0
    assert data(client, BANDS)["count"] == 0
    assert "secret" not in str(data(client, SEARCH, {"q": "secret draft"})["roles"])
    assert draft.family.slug not in slugs(data(client, FAMILIES))
    problem = data(client, BANDS, {"role": "secret-draft"}, status=400)
    assert "role" in problem["errors"]


# Skills --------------------------------------------------------------------------------------


def test_skill_list_filters_by_kind_type_and_words(client):
    SkillFactory(name="Python", slug="python")
    SkillFactory(name="Teamwork", slug="teamwork", kind=SkillKind.SOFT_SKILL)
    SkillFactory(
        name="Databases",
        slug="databases",
        kind=SkillKind.KNOWLEDGE,
        esco_type=EscoSkillType.KNOWLEDGE,
    )
    assert slugs(data(client, SKILLS, {"kind": "soft_skill"})) == ["teamwork"]
    assert slugs(data(client, SKILLS, {"type": "knowledge"})) == ["databases"]
    assert slugs(data(client, SKILLS, {"q": "pyth"})) == ["python"]
    problem = data(client, SKILLS, {"kind": "magic"}, status=400)
    assert "magic" in problem["errors"]["kind"][0]


def test_skill_detail_lists_the_published_roles_that_need_it_required_first(client, draft):
    python = SkillFactory(name="Python", slug="python")
    RoleSkillFactory(
        role=RoleFactory(title="B role", slug="b"), skill=python, importance="preferred"
    )
    RoleSkillFactory(
        role=RoleFactory(title="A role", slug="a"), skill=python, importance="preferred"
    )
    RoleSkillFactory(role=RoleFactory(title="C role", slug="c"), skill=python)
    RoleSkillFactory(role=draft, skill=python)
    answer = data(client, skill_url("python"))
    assert [link["role"]["slug"] for link in answer["roles"]] == ["c", "a", "b"]
    assert answer["role_count"] == 3
    assert answer["roles_url"] == f"http://testserver{ROLES}?skill=python"
    listed = data(client, SKILLS)["results"][0]
    assert (listed["role_count"], listed["required_role_count"]) == (3, 1)


# Salary bands --------------------------------------------------------------------------------


def test_salary_bands_filter_as_the_explorer_does(client):
    role = RoleFactory(title="Backend Developer", slug="backend")
    other = RoleFactory(title="Chef", slug="chef")
    pune = LocationFactory(slug="pune")
    SalaryBandFactory(role=role, location=pune)
    SalaryBandFactory(role=role, experience_min_years=2, experience_max_years=5)
    SalaryBandFactory(role=role, currency="USD", minimum=50_000, maximum=90_000)
    SalaryBandFactory(role=other, period="month", minimum=30_000, maximum=60_000)

    assert data(client, BANDS)["count"] == 4
    assert data(client, BANDS, {"role": "Backend Developer"})["count"] == 3
    assert data(client, BANDS, {"location": "pune"})["count"] == 1
    assert data(client, BANDS, {"currency": "USD"})["count"] == 1
    assert data(client, BANDS, {"period": "month"})["count"] == 1
    marked = data(client, BANDS, {"role": "backend", "experience": "3", "currency": "INR"})
    # Bands without a place first (the explorer's reading order).
    assert [band["matches_experience"] for band in marked["results"]] == [True, False]
    assert marked["results"][0]["experience_from_years"] == Decimal(2)
    assert data(client, BANDS)["results"][0]["matches_experience"] is None


def test_salary_band_filters_are_validated_as_on_the_explorer(client):
    problem = data(client, BANDS, {"experience": "lots", "currency": "rupees"}, status=400)
    assert set(problem["errors"]) == {"experience", "currency"}
    assert "years of experience" in problem["errors"]["experience"][0]


# Families and search -------------------------------------------------------------------------


def test_families_are_those_with_published_roles(client, draft):
    RoleFactory(family=RoleFamilyFactory(slug="kitchen", name="Kitchen"))
    answer = data(client, FAMILIES)
    assert slugs(answer) == ["kitchen"]
    assert answer["results"][0]["roles_url"].endswith(f"{ROLES}?family=kitchen")


def test_search_finds_roles_and_skills_and_forgives_typos(client):
    RoleFactory(title="Backend Developer", slug="backend")
    SkillFactory(name="Python", slug="python")
    refresh_role_search_vectors()
    answer = data(client, SEARCH, {"q": "backend"})
    assert [role["slug"] for role in answer["roles"]] == ["backend"]
    corrected = data(client, SEARCH, {"q": "pyhton"})
    assert (corrected["query"], corrected["typed"]) == ("python", "pyhton")
    assert [skill["slug"] for skill in corrected["skills"]] == ["python"]
    assert data(client, SEARCH)["roles"] == []  # no words search nothing, as on the page
    assert data(client, SEARCH, {"q": "!!!"}, status=400)["errors"]["q"]


# ESCO ----------------------------------------------------------------------------------------


def test_esco_content_carries_its_attribution(client, esco_miniature):
    developer = Role.objects.get(esco_uri=SOFTWARE_DEVELOPER_URI)
    answer = data(client, role_url(developer.slug))
    assert answer["attribution"]["text"] == ATTRIBUTION
    assert answer["attribution"]["esco_versions"] == ["1.1.1"]
    assert answer["esco_uri"] == SOFTWARE_DEVELOPER_URI
    assert data(client, ROLES)["attribution"]["text"] == ATTRIBUTION
    python = data(client, SKILLS, {"q": "python"})
    assert python["attribution"]["text"] == ATTRIBUTION
    skill = [row for row in python["results"] if row["esco_uri"] == PYTHON_URI][0]
    assert data(client, skill["url"])["attribution"]["text"] == ATTRIBUTION
    assert data(client, SEARCH, {"q": "developer"})["attribution"]["text"] == ATTRIBUTION


# Errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/v1/nothing-here/", "/api/v1/roles/no-such-role/"])
def test_not_found_is_a_problem_not_a_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_refused_as_problems_with_what_is_allowed(client, method):
    response = getattr(client, method)(ROLES)
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["title"] == "Method Not Allowed"


def test_a_percent_sign_in_a_refused_value_is_quoted_not_formatted(client):
    problem = data(client, ROLES, {"skill": "50%"}, status=400)
    assert "50%" in problem["errors"]["skill"][0]


def test_any_accept_header_gets_json(client):
    response = client.get(ROLES, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


# Caching, CORS and throttling ----------------------------------------------------------------


def test_answers_revalidate_without_sql(client, django_assert_num_queries):
    RoleFactory(slug="backend")
    first = client.get(role_url("backend"))
    assert "public" in first["Cache-Control"]
    with django_assert_num_queries(0):
        again = client.get(role_url("backend"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get(ROLES)["ETag"] != first["ETag"]  # each address has its own
    RoleFactory(slug="another")  # a change to the catalogue
    changed = client.get(role_url("backend"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_any_origin_may_read_but_not_write(client):
    assert (
        client.get(ROLES, HTTP_ORIGIN="https://jobs.example")["Access-Control-Allow-Origin"] == "*"
    )
    preflight = client.options(
        ROLES, HTTP_ORIGIN="https://jobs.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "DELETE" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Credentials" not in preflight
    page = client.get(reverse("roles:list"), HTTP_ORIGIN="https://jobs.example")
    assert "Access-Control-Allow-Origin" not in page  # the site's pages stay same-origin


def test_a_client_over_its_rate_is_told_when_to_come_back(client, settings):
    settings.API_THROTTLE_RATE = "3/min"
    for _ in range(3):
        assert client.get(ROLES).status_code == 200  # cached answers count too
    response = client.get(ROLES)
    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["title"] == "Too Many Requests"
    other = client.get(ROLES, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 200  # counted per client


def test_throttling_can_be_switched_off(client, settings):
    settings.API_THROTTLE_RATE = "off"
    assert all(client.get(FAMILIES).status_code == 200 for _ in range(5))
