import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from catalogue.search import refresh_role_search_vectors
from roles.models import Role
from skills.models import SkillKind
from tests.factories import (
    RoleFactory,
    RoleFamilyFactory,
    RoleSkillFactory,
    SalaryBandFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db

# The families with their counts, the broadest of them, the featured roles, their top skills.
HOME_QUERY_BUDGET = 4
LIST_QUERY_BUDGET = 7
# A role page: the role with its family, broader occupation and pay span; its
# sources; its published narrower occupations; the eight kinds of rows it owns (technical and
# soft skills read apart, however many: ESCO gives some occupations 340); the other roles of
# its family. One more, the ISCO-08 path of its breadcrumbs, when its family is an ISCO-08
# group, as an ESCO occupation's is. The Markdown leaves out the family's other roles.
# Its next steps (catalogue.comparing.next_steps: the roles sharing most skills, with what
# each adds) are one query more, which the Markdown leaves out too.
DETAIL_QUERY_BUDGET = 13
ISCO_DETAIL_QUERY_BUDGET = DETAIL_QUERY_BUDGET + 1
MARKDOWN_QUERY_BUDGET = DETAIL_QUERY_BUDGET - 2


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def listed_titles(client, **params):
    html = page(client, reverse("roles:list"), **params)
    return re.findall(r'<h3><a href="/roles/[^"]+/">([^<]+)</a></h3>', html)


# Home -------------------------------------------------------------------------------------


def test_home_explains_the_catalogue_and_lists_families_and_featured_roles(client, catalogue):
    html = page(client, reverse("catalogue:home"))
    assert "What does the job really involve?" in html
    assert 'role="search"' in html
    assert "Software engineering" in html and "1 role<" in html
    assert "Quality assurance" not in html  # only drafts in that family
    assert ">Backend Developer</a>" in html  # featured


# Roles list ------------------------------------------------------------------------------


def test_role_cards_show_family_summary_top_skills_and_pay(client, catalogue):
    html = page(client, reverse("roles:list"))
    assert listed_titles(client) == ["Backend Developer"]
    assert "Software engineering" in html
    assert "Backend programming" in html  # a top skill
    assert "₹3,00,000 – ₹25,00,000+" in html
    assert "Quality Assurance Analyst" not in html  # a draft


@pytest.fixture
def three_roles(db):
    engineering, design = RoleFamilyFactory(slug="engineering"), RoleFamilyFactory(slug="design")
    python, sql = SkillFactory(slug="python", name="Python"), SkillFactory(slug="sql", name="SQL")
    analyst = RoleFactory(title="Data Analyst", family=engineering)
    engineer = RoleFactory(title="Data Engineer", family=engineering)
    designer = RoleFactory(title="Web Designer", family=design, summary="Draws interfaces.")
    RoleSkillFactory(role=analyst, skill=sql)
    RoleSkillFactory(role=engineer, skill=sql)
    RoleSkillFactory(role=engineer, skill=python)
    SalaryBandFactory(role=analyst, minimum=400_000, maximum=900_000)
    SalaryBandFactory(role=engineer, minimum=600_000, maximum=1_200_000)
    SalaryBandFactory(role=designer, minimum=300_000, maximum=700_000)
    refresh_role_search_vectors()  # factories write no search vectors; the text filter needs them
    return analyst, engineer, designer


def test_filters_by_family_skills_and_text(client, three_roles):
    assert listed_titles(client, family="engineering") == ["Data Analyst", "Data Engineer"]
    assert listed_titles(client, skill="sql") == ["Data Analyst", "Data Engineer"]
    assert listed_titles(client, skill=["sql", "python"]) == ["Data Engineer"]
    assert listed_titles(client, q="interfaces") == ["Web Designer"]
    assert listed_titles(client, q="python") == ["Data Engineer"]  # through its skills
    assert listed_titles(client, q="data", family="design") == []


def test_skills_can_be_named_as_people_type_them(client, three_roles):
    assert listed_titles(client, skill=["SQL", "python"]) == ["Data Engineer"]
    html = page(client, reverse("roles:list"), skill=["sql", "Python"])
    # Chosen skills come back as ticked boxes with their slugs, ready to untick.
    assert '<input type="checkbox" name="skill" value="sql" checked> SQL' in html
    assert '<input type="checkbox" name="skill" value="python" checked> Python' in html
    # An empty "add a skill" box is not a skill.
    assert listed_titles(client, skill=["sql", ""]) == ["Data Analyst", "Data Engineer"]


def test_unknown_and_too_many_skills_are_explained(client, three_roles):
    html = page(client, reverse("roles:list"), skill=["sql", "Telepathy"])
    assert "We know no skill called “Telepathy”" in html
    html = page(client, reverse("roles:list"), skill=[f"skill-{n}" for n in range(11)])
    assert "Choose at most 10 skills." in html


@pytest.mark.parametrize("typed", ["\x00", "python\x00"])
def test_a_null_character_in_a_skill_is_a_form_error_not_a_500(client, three_roles, typed):
    """PostgreSQL text cannot hold one: asked of the database, it answered 500."""
    response = client.get(reverse("roles:list"), {"skill": typed})
    assert response.status_code == 200
    assert "cannot contain a null character" in response.content.decode()


def test_the_roles_page_never_lists_every_skill(client, three_roles):
    from tests.factories import SkillFactory

    SkillFactory.create_batch(100)
    html = page(client, reverse("roles:list"))
    # Suggestions come from the roles on the page, not from the whole skills table.
    assert html.count("<option value=") <= 3 * 20 + 6  # top skills + the sort choices


def test_sorts_by_title_and_salary(client, three_roles):
    assert listed_titles(client, sort="-title") == ["Web Designer", "Data Engineer", "Data Analyst"]
    assert listed_titles(client, sort="salary") == ["Web Designer", "Data Analyst", "Data Engineer"]
    assert listed_titles(client, sort="-salary") == [
        "Data Engineer",
        "Data Analyst",
        "Web Designer",
    ]


@pytest.mark.parametrize(
    "params",
    [
        {"family": "no-such-family"},
        {"skill": "telepathy"},
        {"skill": ["sql", "telepathy"]},
        {"sort": "salary; DROP TABLE roles_role"},
        {"q": "x" * 201},
    ],
)
def test_invalid_filters_explain_themselves(client, three_roles, params):
    html = page(client, reverse("roles:list"), **params)
    assert "Please correct the filters" in html
    assert 'class="errorlist' in html
    assert listed_titles(client, **params) == []


def test_pagination_keeps_the_filters_and_forgives_bad_page_numbers(client, db):
    family = RoleFamilyFactory(slug="many")
    for index in range(25):
        RoleFactory(title=f"Role {index:02}", family=family)
    html = page(client, reverse("roles:list"), family="many")
    assert "Page 1 of 2" in html
    assert "?family=many&amp;page=2" in html
    assert len(listed_titles(client, family="many", page="2")) == 5
    for bad_page in ["abc", "0", "999", "-1"]:
        assert len(listed_titles(client, family="many", page=bad_page)) in (5, 20)


# Role page -------------------------------------------------------------------------------


def test_role_page_shows_every_section_of_the_job_description(client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    # The roles it works with are drafts, which a page never names: one is published here.
    Role.objects.filter(slug="front-end-developer").update(status=Role.Status.PUBLISHED)
    html = page(client, role.get_absolute_url())
    assert '<a href="/roles/front-end-developer/">Front-end Developer</a>' in html
    for heading in [
        "Overview",
        "Responsibilities",
        "Technical skills",
        "Soft skills",
        "Qualifications and education",
        "Salary",
        "Frequently asked questions",
        "Related roles",
        "Sources",
    ]:
        assert f">{heading}</h2>" in html, heading
    for responsibility in role.responsibilities.all():
        assert escape(responsibility.text) in html
    for faq in role.faqs.all():
        assert f"<summary>{escape(faq.question)}</summary>" in html
    for name in ["Java", "Python", "Node.js", "MySQL", "MongoDB", "Microsoft Azure", "C#"]:
        assert f">{name}</a>" in html, name
    for text in [
        "₹3,00,000 – ₹8,00,000",
        "₹5,00,000 – ₹15,00,000",
        "₹10,00,000 – ₹25,00,000",
        "₹25,00,000+",
        "0 to under 2 years",
        "10 years or more",
        "₹6,40,000",
        "Bangalore",
        "Mumbai",
        "Delhi",
        "Glassdoor",
        "Tap Academy",
        "0 years or more",
        "Last reviewed",
    ]:
        assert text in html, text
    assert '<link rel="canonical" href="http://testserver/roles/backend-developer/">' in html


@pytest.mark.parametrize(
    ("experience", "band"),
    [
        ("3", "2 to under 5 years"),
        ("2.5", "2 to under 5 years"),
        ("12", "10 years or more"),
        ("0", "0 to under 2 years"),
    ],
)
def test_entering_experience_marks_the_matching_band(client, catalogue, experience, band):
    html = page(
        client, reverse("roles:detail", kwargs={"slug": "backend-developer"}), experience=experience
    )
    assert f"you are in the <strong>{band}</strong> band" in html
    marked = re.findall(r'<tr class="is-match">\s*<th scope="row">([^<]+)', html)
    assert [label.strip() for label in marked] == [band]


@pytest.mark.parametrize("experience", ["-1", "abc", "1e9", "NaN", "inf", "61", "2.555"])
def test_bad_experience_gets_a_message_not_an_error(client, catalogue, experience):
    html = page(
        client, reverse("roles:detail", kwargs={"slug": "backend-developer"}), experience=experience
    )
    assert 'class="errorlist' in html
    assert "is-match" not in html


def test_role_page_carries_occupation_structured_data(client, catalogue):
    html = page(client, reverse("roles:detail", kwargs={"slug": "backend-developer"}))
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    occupations = [data for data in map(json.loads, blocks) if data["@type"] == "Occupation"]
    assert len(occupations) == 1
    data = occupations[0]
    assert data["@context"] == "https://schema.org"
    assert data["name"] == "Backend Developer"
    assert len(data["responsibilities"]) == 10
    assert {"Java", "Python", "Communication"} <= set(data["skills"])
    assert data["qualifications"] and data["educationRequirements"]
    assert data["experienceRequirements"] == "0 years or more"
    assert {
        "@type": "CategoryCode",
        "codeValue": "2512",
        "inCodeSet": {"@type": "CategoryCodeSet", "name": "ISCO-08"},
    } in data["occupationalCategory"]
    salaries = data["estimatedSalary"]
    # Bare ranges, no median or percentiles: MonetaryAmounts (a distribution has no ends).
    assert [s["@type"] for s in salaries] == ["MonetaryAmount"] * 4
    assert {s["currency"] for s in salaries} == {"INR"}
    assert salaries[0] | {} == {
        "@type": "MonetaryAmount",
        # schema.org gives an amount no place: its name says where, and whose it is.
        "name": "0 to under 2 years of experience, in India (Tap Academy, 2023)",
        "currency": "INR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 300000,
            "maxValue": 800000,
            "unitText": "YEAR",
        },
    }
    assert "maxValue" not in salaries[3]["value"]


def test_structured_data_cannot_break_out_of_its_script(client, catalogue):
    Role.objects.filter(slug="backend-developer").update(title="</script><script>alert(1)//")
    html = page(client, reverse("roles:detail", kwargs={"slug": "backend-developer"}))
    assert "<script>alert(1)" not in html


def test_markdown_download_holds_the_job_description(client, catalogue):
    response = client.get(reverse("roles:markdown", kwargs={"slug": "backend-developer"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert 'filename="backend-developer.md"' in response["Content-Disposition"]
    text = response.content.decode()
    assert text.startswith("# Backend Developer\n")
    assert "## Responsibilities" in text and "## Technical skills" in text
    assert "| 10 years or more | ₹25,00,000+ per year | India |" in text
    assert "&amp;" not in text and "&#x27;" not in text  # plain text, not HTML-escaped


def test_unknown_and_draft_roles_are_not_found_for_visitors(client, catalogue):
    assert client.get(reverse("roles:detail", kwargs={"slug": "no-such-role"})).status_code == 404
    draft = Role.objects.get(slug="qa-analyst")
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert client.get(reverse("roles:markdown", kwargs={"slug": "qa-analyst"})).status_code == 404


def test_editors_can_preview_a_draft(editor_client, catalogue):
    response = editor_client.get(Role.objects.get(slug="qa-analyst").get_absolute_url())
    assert response.status_code == 200
    assert "only editors can see this page" in response.content.decode()


def test_draft_collaborators_are_not_named_on_a_published_page(client, catalogue):
    """Every role the backend developer works with is a draft: its "Related roles" go."""
    html = page(client, reverse("roles:detail", kwargs={"slug": "backend-developer"}))
    assert "Front-end Developer" not in html and "QA Analyst" not in html
    assert "Related roles" not in html and 'id="works-with"' not in html


@pytest.mark.parametrize("status", [Role.Status.DRAFT, Role.Status.ARCHIVED])
def test_a_role_visitors_cannot_see_is_named_on_no_page_however_it_is_linked(client, db, status):
    """A hidden role linked to a published one every way there is: it works with it and the
    other way round, narrows it and is narrowed by it, shares its family, needs its skill,
    and has pay in its city. No public page, download or count names it."""
    from tests.factories import CollaborationFactory, LocationFactory

    family = RoleFamilyFactory(slug="engineering", name="Engineering")
    skill = SkillFactory(slug="python", name="Python")
    city = LocationFactory(slug="pune", name="Pune")
    broadest = RoleFactory(title="Software Engineer", slug="software-engineer", family=family)
    hidden = RoleFactory(
        title="Hidden Mole Catcher", slug="hidden-mole-catcher", family=family, status=status
    )
    shown = RoleFactory(title="Data Engineer", slug="data-engineer", family=family, broader=hidden)
    hidden.broader = broadest
    hidden.save()
    CollaborationFactory(role=shown, collaborator=hidden, note="Hands over data.")
    CollaborationFactory(role=hidden, collaborator=shown)
    CollaborationFactory(role=broadest, collaborator=hidden)
    for role in [shown, hidden]:
        RoleSkillFactory(role=role, skill=skill, importance="required")
        SalaryBandFactory(role=role, location=city)
    refresh_role_search_vectors()

    urls = [
        reverse("catalogue:home"),
        reverse("catalogue:search") + "?q=mole",
        reverse("catalogue:search") + "?q=engineer",
        reverse("catalogue:families"),
        reverse("catalogue:family", kwargs={"slug": "engineering"}),
        reverse("roles:list"),
        reverse("roles:list") + "?q=mole",
        reverse("roles:list") + "?family=engineering&skill=python",
        shown.get_absolute_url(),
        broadest.get_absolute_url(),
        reverse("roles:markdown", kwargs={"slug": "data-engineer"}),
        reverse("skills:list"),
        reverse("skills:detail", kwargs={"slug": "python"}),
        reverse("salaries:explorer"),
        reverse("salaries:explorer") + "?location=pune",
        reverse("salaries:export"),
        reverse("salaries:export") + "?location=pune",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response) if response.streaming else response.content
        assert "Mole" not in content.decode() and "mole-catcher" not in content.decode(), url
    # Counted nowhere either: the family's three roles are two, the skill's two are one.
    assert "2 roles" in page(client, reverse("catalogue:families"))
    assert listed_titles(client, family="engineering") == ["Data Engineer", "Software Engineer"]
    assert "Needed by 1 role:" in page(client, reverse("skills:list"))


# Query budgets ---------------------------------------------------------------------------


def grow_catalogue(role, factor):
    """Add ``factor`` times more skills, bands and roles around ``role``."""
    for index in range(factor):
        RoleSkillFactory(role=role, skill=SkillFactory())
        RoleSkillFactory(role=role, skill=SkillFactory(kind="soft_skill"))
        SalaryBandFactory(
            role=role,
            experience_min_years=Decimal(20 + index),
            experience_max_years=Decimal(21 + index),
        )
        # The role's neighbours: in its family (the page links twelve) and narrowing it.
        other = RoleFactory(family=role.family, featured=True, broader=role)
        RoleSkillFactory(role=other, importance="required")
        SalaryBandFactory(role=other)


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        (reverse("catalogue:home"), HOME_QUERY_BUDGET),
        (reverse("roles:list"), LIST_QUERY_BUDGET),
        (
            reverse("roles:list")
            + "?family=software-engineering&skill=python&skill=java&sort=-salary",
            LIST_QUERY_BUDGET,
        ),
        (
            reverse("roles:detail", kwargs={"slug": "backend-developer"}) + "?experience=3",
            DETAIL_QUERY_BUDGET,
        ),
        (reverse("roles:markdown", kwargs={"slug": "backend-developer"}), MARKDOWN_QUERY_BUDGET),
    ],
)
def test_pages_run_a_fixed_number_of_queries(page_queries, catalogue, url, budget):
    small = page_queries(url)
    grow_catalogue(Role.objects.get(slug="backend-developer"), factor=20)
    large = page_queries(url)
    assert small == large <= budget


def test_an_occupation_page_runs_as_many_queries_with_340_skills_as_with_3(
    client, page_queries, db
):
    """An ESCO occupation, built as the import builds one: in an ISCO-08 unit group (so
    with its breadcrumbs' query), with a broader occupation and narrower ones."""
    major = RoleFamilyFactory(slug="professionals-2", name="Professionals", code="2")
    sub_major = RoleFamilyFactory(slug="ict-25", name="ICT professionals", code="25", parent=major)
    minor = RoleFamilyFactory(
        slug="developers-251", name="Developers", code="251", parent=sub_major
    )
    unit = RoleFamilyFactory(slug="software-2512", name="Software", code="2512", parent=minor)
    broader = RoleFactory(family=unit, title="software developer")
    role = RoleFactory(
        family=unit,
        title="web developer",
        broader=broader,
        esco_uri="http://data.europa.eu/esco/occupation/test-web-developer",
        esco_version="1.1.1",
        esco_code="2512.4.1",
        alternative_titles="site builder\nwebsite programmer",
    )
    kinds = [SkillKind.KNOWLEDGE, SkillKind.COMPETENCE, SkillKind.TRANSVERSAL]
    for kind in kinds:
        RoleSkillFactory(role=role, skill=SkillFactory(kind=kind))
    url = role.get_absolute_url()
    few = page_queries(url)
    for index in range(337):
        importance = "required" if index % 3 == 0 else "preferred"
        skill = SkillFactory(kind=kinds[index % 3])
        RoleSkillFactory(role=role, skill=skill, importance=importance)
    for _ in range(20):
        RoleFactory(family=unit, broader=role)
    many = page_queries(url)
    assert few == many == ISCO_DETAIL_QUERY_BUDGET
    assert page(client, url).count('<span class="badge badge-') == 340
