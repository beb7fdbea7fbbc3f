import re
from decimal import Decimal

import pytest
from django.urls import reverse

from roles.models import Role
from skills.models import Skill, SkillKind
from skills.views import SkillDetailView, SkillListView
from tests.factories import (
    RoleFactory,
    RoleSkillFactory,
    SalaryBandFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db

SKILLS_URL = reverse("skills:list")
SKILLS_PER_PAGE = SkillListView.paginate_by
ROLES_PER_PAGE = SkillDetailView.paginate_by
# The count of skills, the page with role counts.
LIST_QUERY_BUDGET = 2
# The skill, its skill groups, broader skills and narrower skills, the count
# of its published roles, a page of links, their roles with pay.
DETAIL_QUERY_BUDGET = 7


def kind_headings(page):
    """The kind values of the group headings on the skills list, in page order."""
    return re.findall(r'<h3 id="kind-([a-z_]+)">', page)


def skill_names(page):
    """The skill names linked from the skills list, in page order."""
    return re.findall(r'<h4><a href="/skills/[^"]+/">([^<]+)</a></h4>', page)


def skill_card(page, name):
    """The text of the card for the skill called ``name`` on the skills list."""
    start = page.index(f">{name}</a></h4>")
    return page[start : page.index("</li>", start)]


def test_skills_are_grouped_by_kind_in_declaration_order(client, catalogue):
    page = client.get(SKILLS_URL).content.decode()
    headings = kind_headings(page)
    kinds_in_use = set(Skill.objects.values_list("kind", flat=True))
    assert headings == [kind for kind in SkillKind.values if kind in kinds_in_use]
    assert headings[-1] == SkillKind.SOFT_SKILL
    assert headings[0] == SkillKind.PROGRAMMING_LANGUAGE
    expected = [
        skill.name
        for kind in headings
        for skill in Skill.objects.filter(kind=kind).order_by("name")
    ]
    assert skill_names(page) == expected
    assert f"{len(expected)} skills" in page


def test_each_skill_links_to_its_page_with_kind_and_description(client, catalogue):
    skill = Skill.objects.get(slug="python")
    page = client.get(SKILLS_URL).content.decode()
    assert f'<a href="{skill.get_absolute_url()}">{skill.name}</a>' in page
    card = skill_card(page, skill.name)
    assert skill.get_kind_display() in card
    assert skill.description[:40] in card


def test_counts_only_published_roles_split_by_importance(client, db):
    skill = SkillFactory(name="Rust")
    RoleSkillFactory.create_batch(2, skill=skill, importance="required")
    RoleSkillFactory(skill=skill, importance="preferred")
    RoleSkillFactory(skill=skill, importance="required", role=RoleFactory(status="draft"))
    RoleSkillFactory(skill=skill, importance="required", role=RoleFactory(status="archived"))
    SkillFactory(name="Unused")
    page = client.get(SKILLS_URL).content.decode()
    card = skill_card(page, "Rust")
    assert "Needed by 3 roles" in card
    assert "2 required" in card
    assert "1 preferred" in card
    assert "No published role needs it yet." in skill_card(page, "Unused")


def test_the_shipped_draft_roles_do_not_count(client, catalogue):
    page = client.get(SKILLS_URL).content.decode()
    # Only the Backend Developer is published, so no skill can be needed by two roles.
    assert "Needed by 2 roles" not in page
    assert "Needed by 1 role:" in skill_card(page, "Backend programming")


def test_kind_filter(client, catalogue):
    page = client.get(SKILLS_URL, {"kind": "database"}).content.decode()
    assert kind_headings(page) == ["database"]
    database_skills = list(Skill.objects.filter(kind="database").order_by("name"))
    assert skill_names(page) == [skill.name for skill in database_skills]
    assert f"{len(database_skills)} skills" in page
    assert '<option value="database" selected>' in page


def test_text_filter_matches_name_or_description_ignoring_case(client, db):
    SkillFactory(name="PostgreSQL", kind="database", description="A relational database.")
    SkillFactory(name="Redis", kind="database", description="An in-memory key-value store.")
    SkillFactory(name="Negotiation", kind="soft_skill", description="Reaching agreements.")
    assert skill_names(client.get(SKILLS_URL, {"q": "postgres"}).content.decode()) == ["PostgreSQL"]
    page = client.get(SKILLS_URL, {"q": "  IN-MEMORY "}).content.decode()
    assert skill_names(page) == ["Redis"]
    assert "1 skill<" in page


def test_kind_and_text_filters_combine(client, db):
    SkillFactory(name="SQL", kind="programming_language", description="Querying data.")
    SkillFactory(name="SQL Server", kind="database", description="A database server.")
    SkillFactory(name="Oracle", kind="database", description="Another database.")
    page = client.get(SKILLS_URL, {"kind": "database", "q": "sql"}).content.decode()
    assert skill_names(page) == ["SQL Server"]


def test_no_match_shows_an_empty_state(client, catalogue):
    page = client.get(SKILLS_URL, {"q": "basket weaving"}).content.decode()
    assert "0 skills" in page
    assert "No skill matches these filters." in page
    assert skill_names(page) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "telepathy"}, "Choose a kind from the list; “telepathy” is not one."),
        ({"kind": "database", "q": "x" * 201}, "at most 200 characters (it has 201)"),
        ({"q": "null\x00byte"}, "Null characters are not allowed."),
    ],
)
def test_invalid_filters_show_a_form_error(client, catalogue, params, message):
    response = client.get(SKILLS_URL, params)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'class="errorlist' in page
    assert "Please correct the filters" in page
    assert skill_names(page) == []


def test_repeated_parameters_use_the_last_value(client, catalogue):
    response = client.get(f"{SKILLS_URL}?kind=telepathy&kind=database")
    assert response.status_code == 200
    assert kind_headings(response.content.decode()) == ["database"]


def test_filter_form_is_labelled(client, catalogue):
    page = client.get(SKILLS_URL).content.decode()
    assert '<label for="id_kind">Kind</label>' in page
    assert '<label for="id_q">Name or description contains</label>' in page
    assert 'type="search" name="q"' in page


def test_skill_page_lists_published_roles_required_first(client, catalogue, page_queries):
    skill = Skill.objects.get(slug="python")
    preferred_by = RoleSkillFactory(skill=skill, importance="preferred").role
    required_by = RoleSkillFactory(
        skill=skill, importance="required", role=RoleFactory(title="Data Engineer")
    ).role
    RoleSkillFactory(skill=skill, role=RoleFactory(title="Secret draft", status="draft"))
    assert page_queries(skill.get_absolute_url()) == DETAIL_QUERY_BUDGET
    response = client.get(skill.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Secret draft" not in page
    assert page.index(required_by.title) < page.index("Backend Developer")
    assert page.index(required_by.title) < page.index(preferred_by.title)


def test_skill_page_shows_what_it_is_and_each_role_with_family_explanation_and_pay(
    client, catalogue
):
    skill = Skill.objects.get(slug="python")
    data_engineer = RoleFactory(title="Data Engineer", family__name="Data and analytics")
    RoleSkillFactory(skill=skill, role=data_engineer, explanation="Writes the data pipelines.")
    SalaryBandFactory(role=data_engineer, minimum=400_000, maximum=900_000)
    SalaryBandFactory(
        role=data_engineer,
        experience_min_years=Decimal(2),
        experience_max_years=Decimal(6),
        minimum=700_000,
        maximum=1_200_000,
    )
    # Pay in another currency or per month is not mixed into an Indian yearly range.
    SalaryBandFactory(role=data_engineer, currency="USD", minimum=1_000, maximum=4_900_000)
    SalaryBandFactory(role=data_engineer, period="month", minimum=500, maximum=9_800_000)
    unpaid = RoleSkillFactory(skill=skill, role=RoleFactory(title="Volunteer Mentor")).role

    page = client.get(skill.get_absolute_url()).content.decode()
    assert "<h1>Python</h1>" in page
    assert skill.get_kind_display() in page
    assert skill.description[:40] in page
    data_engineer_card = page[page.index(data_engineer.title) :]
    assert "Data and analytics" in data_engineer_card
    assert "Writes the data pipelines." in data_engineer_card
    assert "₹4,00,000 – ₹12,00,000" in data_engineer_card
    # The Backend Developer's top band (10 years or more) has no maximum.
    backend_card = page[page.index(">Backend Developer</a>") :]
    assert "₹3,00,000 – ₹25,00,000+" in backend_card
    assert "Not yet known" in page[page.index(unpaid.title) :]


def test_skill_page_has_breadcrumbs_back_to_the_list(client, catalogue):
    page = client.get(reverse("skills:detail", kwargs={"slug": "python"})).content.decode()
    start = page.index('class="breadcrumbs"')
    breadcrumbs = page[start : page.index("</nav>", start)]
    assert f'<a href="{SKILLS_URL}">Skills</a>' in breadcrumbs
    assert '<li aria-current="page">Python</li>' in breadcrumbs


def test_both_pages_load_their_stylesheet_and_describe_themselves(client, catalogue):
    for url in (SKILLS_URL, reverse("skills:detail", kwargs={"slug": "python"})):
        page = client.get(url).content.decode()
        assert "/static/css/skills.css" in page
        assert re.search(r'<meta name="description" content="[^"]{20,}">', page)
    assert (
        "<title>Python: programming language · Jobsite</title>"
        in client.get(reverse("skills:detail", kwargs={"slug": "python"})).content.decode()
    )


def test_unknown_skill_is_not_found(client, db):
    assert client.get(reverse("skills:detail", kwargs={"slug": "cobol"})).status_code == 404


def test_skill_names_are_escaped(client, db):
    skill = SkillFactory(name="<script>alert(1)</script>", slug="xss")
    RoleSkillFactory(skill=skill, role=RoleFactory(title="<b>Bold</b> role"))
    for url in (SKILLS_URL, skill.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Bold</b>" not in client.get(skill.get_absolute_url()).content.decode()


def linked_titles(page):
    """The role titles linked from a skill page's cards, in page order."""
    return re.findall(r'<h3>\s*<a href="/roles/[^"]+/">([^<]+)</a>', page)


def test_a_skill_needed_by_many_roles_lists_them_a_page_at_a_time(client, db):
    skill = SkillFactory(name="SQL", slug="sql")
    for number in range(ROLES_PER_PAGE + 15):
        RoleSkillFactory(
            skill=skill,
            role=RoleFactory(title=f"Role {number:03}"),
            importance="required" if number % 2 else "preferred",
        )
    RoleSkillFactory(skill=skill, role=RoleFactory(title="Hidden draft", status="draft"))
    first = client.get(skill.get_absolute_url()).content.decode()
    total = ROLES_PER_PAGE + 15
    assert f"{total} published roles need SQL" in " ".join(first.split())
    assert "showing 1–50" in first
    required = [f"Role {number:03}" for number in range(total) if number % 2]
    preferred = [f"Role {number:03}" for number in range(total) if not number % 2]
    assert linked_titles(first) == (required + preferred)[:ROLES_PER_PAGE]
    assert 'href="?page=2"' in first and "Page 1 of 2" in first
    second = client.get(skill.get_absolute_url(), {"page": "2"}).content.decode()
    assert linked_titles(second) == (required + preferred)[ROLES_PER_PAGE:]
    assert "Hidden draft" not in first + second
    # A bad page number shows the nearest page.
    for page in ("abc", "0", "-1", "999", "1" * 400):
        response = client.get(skill.get_absolute_url(), {"page": page})
        assert response.status_code == 200
        assert len(linked_titles(response.content.decode())) in (ROLES_PER_PAGE, 15)


def test_a_skill_needed_by_one_role_says_so_without_pages(client, catalogue):
    page = client.get(reverse("skills:detail", kwargs={"slug": "python"})).content.decode()
    assert "1 published role needs Python;" in " ".join(page.split())
    assert 'class="pagination"' not in page and "showing" not in page


def test_many_skills_are_paginated_and_grouped_by_kind_within_each_page(client, db):
    kinds = [SkillKind.SOFT_SKILL, SkillKind.DATABASE, SkillKind.PROGRAMMING_LANGUAGE]
    for number in range(SKILLS_PER_PAGE + 20):
        SkillFactory(name=f"Skill {number:03}", kind=kinds[number % 3])
    expected = [
        f"Skill {number:03}"
        for kind in (SkillKind.PROGRAMMING_LANGUAGE, SkillKind.DATABASE, SkillKind.SOFT_SKILL)
        for number in range(SKILLS_PER_PAGE + 20)
        if kinds[number % 3] == kind
    ]
    first = client.get(SKILLS_URL).content.decode()
    assert f"{SKILLS_PER_PAGE + 20} skills" in first
    assert skill_names(first) == expected[:SKILLS_PER_PAGE]
    assert kind_headings(first) == ["programming_language", "database", "soft_skill"]
    assert "Page 1 of 2" in first
    second = client.get(SKILLS_URL, {"page": "2"}).content.decode()
    assert skill_names(second) == expected[SKILLS_PER_PAGE:]
    assert kind_headings(second) == ["soft_skill"]
    # Filters and pages combine; a page past the end shows the last one.
    soft = client.get(SKILLS_URL, {"kind": "soft_skill", "page": "9"}).content.decode()
    assert skill_names(soft) == expected[-40:]
    assert "Page 1 of 2" not in soft


def test_role_counts_on_a_later_page_are_right(client, db):
    for number in range(SKILLS_PER_PAGE):
        SkillFactory(name=f"Skill {number:03}")
    last = SkillFactory(name="Zed", kind=SkillKind.SOFT_SKILL)
    RoleSkillFactory.create_batch(2, skill=last, importance="required")
    RoleSkillFactory(skill=last, importance="preferred")
    RoleSkillFactory(skill=last, role=RoleFactory(status="draft"))
    page = client.get(SKILLS_URL, {"page": "2"}).content.decode()
    assert skill_names(page) == ["Zed"]
    card = skill_card(page, "Zed")
    assert "Needed by 3 roles" in card and "2 required" in card and "1 preferred" in card


def add_twenty_times_more(*, skills, roles, also_needing):
    """Twenty times ``skills`` skills of every kind and ``roles`` roles (a third of them drafts),
    each role needing five skills plus ``also_needing`` and paid in two bands."""
    kinds = SkillKind.values
    new_skills = [
        SkillFactory(kind=kinds[index % len(kinds)], description=f"Skill number {index}.")
        for index in range(skills * 20)
    ]
    for index in range(roles * 20):
        role = RoleFactory(status="published" if index % 3 else "draft")
        RoleSkillFactory(role=role, skill=also_needing, importance="preferred")
        for offset in range(5):
            RoleSkillFactory(
                role=role,
                skill=new_skills[(index * 5 + offset) % len(new_skills)],
                importance="required" if offset % 2 else "preferred",
            )
        SalaryBandFactory(role=role)
        SalaryBandFactory(
            role=role,
            experience_min_years=Decimal(2),
            experience_max_years=None,
            minimum=900_000,
            maximum=None,
        )


def test_query_counts_do_not_grow_with_the_catalogue(catalogue, page_queries):
    python = Skill.objects.get(slug="python")
    urls = [
        SKILLS_URL,
        f"{SKILLS_URL}?page=3",  # the only page at first, a real third page later
        f"{SKILLS_URL}?kind=database&q=data",
        f"{SKILLS_URL}?kind=telepathy",
        python.get_absolute_url(),
        f"{python.get_absolute_url()}?page=2",
    ]
    before = [page_queries(url) for url in urls]
    # An invalid filter shows the form error without querying for skills.
    assert before == [
        LIST_QUERY_BUDGET,
        LIST_QUERY_BUDGET,
        LIST_QUERY_BUDGET,
        0,
        DETAIL_QUERY_BUDGET,
        DETAIL_QUERY_BUDGET,
    ]

    add_twenty_times_more(
        skills=Skill.objects.count(), roles=Role.objects.count(), also_needing=python
    )
    # Real later pages now: a third page of skills, a second of Python's roles.
    assert Skill.objects.count() > 2 * SKILLS_PER_PAGE
    assert python.role_skills.filter(role__status="published").count() > ROLES_PER_PAGE

    after = [page_queries(url) for url in urls]
    assert after == before
