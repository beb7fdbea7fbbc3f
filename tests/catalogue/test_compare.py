"""The compare page, /compare/?role=a&role=b: up to four published roles side by side, in
the order given; their skills in a grid, shared first; their pay aligned by experience;
every wrong value answered in the form, never a server error."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from roles.models import Role
from skills.models import SkillKind
from tests.factories import (
    LocationFactory,
    RoleFactory,
    RoleFamilyFactory,
    RoleSkillFactory,
    SalaryBandFactory,
    SkillFactory,
)
from tests.html_checker import html_problems, needs_java

pytestmark = pytest.mark.django_db

COMPARE = reverse("catalogue:compare")
# The roles named (with family, broader occupation and pay span); their
# skills; their bands; the roles sharing most skills with the first, offered to add (not
# with four roles compared: there is no room). However many skills and bands they have.
QUERY_BUDGET = 4
FULL_QUERY_BUDGET = QUERY_BUDGET - 1


def compare(client, *slugs, **extra):
    response = client.get(COMPARE, {"role": list(slugs), **extra})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def section(html, anchor):
    return re.search(rf'<section id="{anchor}".*?</section>', html, re.S)[0]


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def column_titles(html):
    table = section(html, "compared-roles")
    return re.findall(r'<th scope="col"><a href="/roles/[^"]+/">([^<]+)</a>', table)


def errors(html):
    found = re.search(r'<div id="role-errors" role="alert">(.*?)</div>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", found[1]) if found else []


def grid(html):
    """{section heading: [(skill, [cell per role])]} of the skills grid."""
    sections = {}
    for heading, body in re.findall(
        r"<summary>(.*?) <span.*?</summary>(.*?)</details>", section(html, "compared-skills"), re.S
    ):
        rows = re.findall(r'<tr><th scope="row"><a href="[^"]+">([^<]+)</a></th>(.*?)</tr>', body)
        sections[heading] = [
            (name, [text(cell) for cell in re.findall(r"<td>(.*?)</td>", cells)])
            for name, cells in rows
        ]
    return sections


def pay_table(html):
    """[(experience, [cell text per role])] of the pay table."""
    body = section(html, "compared-pay")
    return [
        (label, [text(cell) for cell in re.findall(r"<td>(.*?)</td>", cells, re.S)])
        for label, cells in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', body, re.S)
    ]


@pytest.fixture
def roles(db):
    """A data analyst and a data engineer sharing SQL, each with skills of its own, and a
    designer sharing nothing; an ISCO-08 group, a broader occupation, pay for two."""
    group = RoleFamilyFactory(slug="analysts-2511", name="Systems analysts", code="2511")
    analyst = RoleFactory(
        title="Data Analyst",
        slug="data-analyst",
        family=group,
        qualifications="A degree in statistics.",
    )
    engineer = RoleFactory(title="Data Engineer", slug="data-engineer", broader=analyst)
    designer = RoleFactory(title="Web Designer", slug="web-designer")
    sql, python, excel, spark = (
        SkillFactory(name=name, slug=name.lower()) for name in ("SQL", "Python", "Excel", "Spark")
    )
    RoleSkillFactory(role=analyst, skill=sql, importance="required")
    RoleSkillFactory(role=engineer, skill=sql, importance="preferred")
    RoleSkillFactory(role=analyst, skill=excel, importance="preferred")
    RoleSkillFactory(role=engineer, skill=python, importance="required")
    RoleSkillFactory(role=engineer, skill=spark, importance="required")
    RoleSkillFactory(role=designer, skill=SkillFactory(name="Figma", slug="figma"))
    for low, high, minimum in [(0, 2, 300_000), (2, 5, 500_000), (5, None, 900_000)]:
        SalaryBandFactory(
            role=analyst,
            experience_min_years=low,
            experience_max_years=high,
            minimum=minimum,
            maximum=None if high is None else minimum * 2,
        )
    for low, high, minimum in [(0, 3, 400_000), (3, None, 800_000)]:
        SalaryBandFactory(
            role=engineer,
            experience_min_years=low,
            experience_max_years=high,
            minimum=minimum,
            maximum=None if high is None else minimum * 2,
        )
    return analyst, engineer, designer


# What the page shows ----------------------------------------------------------------------


def test_roles_are_shown_side_by_side_in_the_order_given(client, roles):
    assert column_titles(compare(client, "data-analyst", "data-engineer")) == [
        "Data Analyst",
        "Data Engineer",
    ]
    html = compare(client, "web-designer", "data-engineer", "data-analyst")
    assert column_titles(html) == ["Web Designer", "Data Engineer", "Data Analyst"]
    assert "<title>Compare Web Designer, Data Engineer and Data Analyst · Jobsite</title>" in html


def test_the_roles_table_shows_family_broader_occupation_pay_and_qualifications(client, roles):
    table = text(section(compare(client, "data-analyst", "data-engineer"), "compared-roles"))
    assert "Family ISCO-08 unit group 2511: Systems analysts Family " in table
    assert "Broader occupation None Data Analyst" in table
    assert "Pay ₹3,00,000 – ₹10,00,000+ a year ₹4,00,000 – ₹8,00,000+ a year" in table
    assert "Skills 1 required, 1 preferred 2 required, 1 preferred" in table
    assert "Qualifications A degree in statistics. None given" in table


def test_the_skills_grid_puts_shared_skills_first_then_what_each_role_adds(client, roles):
    assert list(grid(compare(client, "data-analyst", "data-engineer")).items()) == [
        ("Needed by both", [("SQL", ["Required", "Preferred"])]),
        ("Only Data Analyst", [("Excel", ["Preferred", "— Not needed"])]),
        # Required by more roles first, then by name.
        (
            "Only Data Engineer",
            [("Python", ["— Not needed", "Required"]), ("Spark", ["— Not needed", "Required"])],
        ),
    ]


def test_with_three_roles_skills_some_need_come_last(client, roles):
    analyst, engineer, designer = roles
    RoleSkillFactory(role=designer, skill=engineer.role_skills.get(skill__slug="python").skill)
    sections = grid(compare(client, "data-analyst", "data-engineer", "web-designer"))
    assert list(sections) == [
        "Only Data Analyst",  # nothing is needed by all three
        "Only Data Engineer",
        "Only Web Designer",
        "Needed by some",
    ]
    # Python is required by two roles, SQL by one.
    assert sections["Needed by some"] == [
        ("Python", ["— Not needed", "Required", "Required"]),
        ("SQL", ["Required", "Preferred", "— Not needed"]),
    ]


def test_a_long_section_of_the_grid_starts_folded_and_the_shared_one_open(client, roles):
    analyst, engineer, _ = roles
    for _ in range(25):
        RoleSkillFactory(role=engineer, skill=SkillFactory(kind=SkillKind.KNOWLEDGE))
    html = compare(client, "data-analyst", "data-engineer")
    assert '<details id="skills-shared" class="compare-skills" open>' in html
    assert '<details id="skills-only-data-analyst" class="compare-skills" open>' in html
    assert '<details id="skills-only-data-engineer" class="compare-skills">' in html
    assert 'Only Data Engineer <span class="count">(27 skills)</span>' in html


def test_pay_is_aligned_by_experience(client, roles):
    rows = pay_table(compare(client, "data-analyst", "data-engineer"))
    assert [label for label, _ in rows] == [
        band_label(0, 2),
        band_label(2, 3),
        band_label(3, 5),
        band_label(5, None),
    ]
    cells = dict(rows)
    # A band spanning several rows fills each, naming its own range.
    assert cells[band_label(2, 3)][0].startswith("₹5,00,000 – ₹10,00,000 per year")
    assert f"the {band_label(2, 5)} band" in cells[band_label(2, 3)][0]
    assert f"the {band_label(2, 5)} band" in cells[band_label(3, 5)][0]
    assert cells[band_label(0, 2)][1].startswith("₹4,00,000 – ₹8,00,000 per year")
    assert cells[band_label(5, None)][1].startswith("₹8,00,000+ per year")
    assert "band" not in cells[band_label(0, 2)][0]  # its own range is the row's


def band_label(low, high):
    """A band's range as the page words it, wherever that wording is decided."""
    from salaries.models import SalaryBand

    return SalaryBand(
        experience_min_years=Decimal(low),
        experience_max_years=None if high is None else Decimal(high),
    ).experience_label


def test_a_role_without_pay_says_no_figures(client, roles):
    rows = pay_table(compare(client, "data-analyst", "web-designer"))
    assert {cells[1] for _, cells in rows} == {"No figures"}
    both_without = compare(client, "web-designer", RoleFactory(slug="tester").slug)
    assert "No pay figures yet for any of these roles." in both_without


def test_bands_in_different_places_are_named(client, roles):
    analyst, engineer, _ = roles
    SalaryBandFactory(
        role=engineer,
        location=LocationFactory(name="Bengaluru"),
        experience_min_years=0,
        experience_max_years=3,
        minimum=600_000,
        maximum=1_000_000,
    )
    cells = dict(pay_table(compare(client, "data-analyst", "data-engineer")))
    engineer_cell = cells[band_label(0, 2)][1]
    assert "₹4,00,000 – ₹8,00,000" in engineer_cell
    assert (
        f"₹6,00,000 – ₹10,00,000 per year (₹6 – 10 LPA) (Bengaluru, the {band_label(0, 3)} band)"
        in engineer_cell
    )


def test_each_role_has_a_remove_link_keeping_the_others_in_order(client, roles):
    html = compare(client, "data-analyst", "data-engineer", "web-designer")
    removes = re.findall(r'<a class="remove" href="([^"]+)">', html)
    assert [link.replace("&amp;", "&") for link in removes] == [
        f"{COMPARE}?role=data-engineer&role=web-designer",
        f"{COMPARE}?role=data-analyst&role=web-designer",
        f"{COMPARE}?role=data-analyst&role=data-engineer",
    ]


def test_the_add_form_keeps_the_roles_compared(client, roles):
    form = section(compare(client, "data-analyst", "data-engineer"), "add-role")
    assert '<form class="compare-form" method="get" action="/compare/">' in form
    assert re.findall(r'<input type="hidden" name="role" value="([^"]+)">', form) == [
        "data-analyst",
        "data-engineer",
    ]
    assert '<input type="text" name="role" id="id_role" value=""' in form


def test_with_four_roles_there_is_no_room_to_add(client, roles):
    html = compare(client, "data-analyst", "data-engineer", "web-designer", RoleFactory().slug)
    assert len(column_titles(html)) == 4
    assert '<form class="compare-form"' not in html
    assert "Four roles is the most this page compares at a time" in html


def test_without_roles_the_page_asks_for_one(client, roles):
    html = compare(client)
    assert '<input type="text" name="role" id="id_role"' in html
    assert 'id="compared-roles"' not in html
    assert '<meta name="robots" content="noindex">' in html


def test_with_one_role_the_page_offers_roles_sharing_its_skills(client, roles):
    html = compare(client, "data-analyst")
    assert 'id="compared-roles"' not in html
    assert '<input type="hidden" name="role" value="data-analyst">' in html
    offered = re.findall(r'<li><a href="([^"]+)">Add ([^<]+)</a>', section(html, "add-role"))
    assert offered == [(f"{COMPARE}?role=data-analyst&amp;role=data-engineer", "Data Engineer")]


def test_a_typed_title_leads_to_the_address_naming_roles_by_slug(client, roles):
    response = client.get(COMPARE, {"role": ["data-analyst", "  data ENGINEER "]})
    assert response.status_code == 302
    assert response["Location"] == f"{COMPARE}?role=data-analyst&role=data-engineer"
    empty_box = client.get(COMPARE, {"role": ["data-analyst", ""]})
    assert empty_box.status_code == 200  # an empty box adds nothing; the address is fine


# Wrong values: a message in the form, the good roles still compared ---------------------


def test_an_unknown_role_is_named_and_given_back_to_correct(client, roles):
    html = compare(client, "data-analyst", "data-enginer", "data-engineer")
    assert errors(html) == [
        "We have no published role called “data-enginer”. Type a role’s title, such as "
        "Backend Developer."
    ]
    assert column_titles(html) == ["Data Analyst", "Data Engineer"]
    assert 'name="role" id="id_role" value="data-enginer"' in html


def test_a_draft_is_as_unknown_as_a_role_that_does_not_exist(client, roles):
    RoleFactory(slug="secret-draft", title="Secret Draft", status=Role.Status.DRAFT)
    html = compare(client, "data-analyst", "secret-draft")
    assert errors(html) == [
        "We have no published role called “secret-draft”. Type a role’s title, such as "
        "Backend Developer."
    ]
    assert "Secret Draft" not in html


def test_a_role_given_twice_is_compared_once(client, roles):
    html = compare(client, "data-analyst", "data-engineer", "Data Analyst")
    assert errors(html) == ["Data Analyst is already in the comparison."]
    assert column_titles(html) == ["Data Analyst", "Data Engineer"]


def test_a_fifth_role_is_refused_and_the_first_four_compared(client, roles):
    extra = [RoleFactory(title=f"Extra {index}").slug for index in range(2)]
    html = compare(client, "data-analyst", "data-engineer", "web-designer", *extra)
    assert errors(html) == ["Compare up to 4 roles at a time: remove one to add Extra 1."]
    assert column_titles(html) == ["Data Analyst", "Data Engineer", "Web Designer", "Extra 0"]


def test_hundreds_of_values_are_not_looked_up(client, roles, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERY_BUDGET):
        html = compare(client, *(["data-analyst", "data-engineer"] + ["nope"] * 500))
    assert "Compare up to 4 roles at a time." in errors(html)
    assert column_titles(html) == ["Data Analyst", "Data Engineer"]


@pytest.mark.parametrize("value", ["data\x00analyst", "\x00", "x" * 151])
def test_values_no_role_could_have_are_refused_with_a_message(client, roles, value):
    html = compare(client, "data-analyst", value, "data-engineer")
    assert len(errors(html)) == 1
    assert column_titles(html) == ["Data Analyst", "Data Engineer"]


def test_markup_in_a_value_comes_back_escaped(client, roles):
    html = compare(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# Entry points -----------------------------------------------------------------------------


def test_role_cards_and_role_pages_link_to_compare(client, roles):
    cards = client.get(reverse("roles:list")).content.decode()
    hidden = '<span class="visually-hidden"> Data Analyst</span>'
    assert f'<a href="{COMPARE}?role=data-analyst">Compare{hidden} with another role</a>' in cards
    page = client.get(roles[0].get_absolute_url()).content.decode()
    assert f'href="{COMPARE}?role=data-analyst">Compare with another role</a>' in page


# Query budget ----------------------------------------------------------------------------


def test_the_page_runs_a_fixed_number_of_queries_with_esco_shaped_roles(page_queries, roles):
    """Two roles of three skills, then of 340 (as ESCO's largest occupation) sharing a skill
    that 350 occupations need (as ESCO's most needed skill does), with more bands."""
    analyst, engineer, designer = roles
    two, three, four = (
        f"{COMPARE}?role=data-analyst&role=data-engineer",
        f"{COMPARE}?role=data-analyst&role=data-engineer&role=web-designer",
        f"{COMPARE}?role=data-analyst&role=data-engineer&role=web-designer&role="
        + RoleFactory(slug="fourth").slug,
    )
    few = [page_queries(url) for url in (two, three, four)]

    kinds = [SkillKind.KNOWLEDGE, SkillKind.COMPETENCE, SkillKind.TRANSVERSAL]
    for role in (analyst, engineer):
        for index in range(339 - role.role_skills.count()):  # and teamwork, below
            RoleSkillFactory(
                role=role,
                skill=SkillFactory(kind=kinds[index % 3]),
                importance="required" if index % 3 == 0 else "preferred",
            )
    teamwork = SkillFactory(name="cooperate within a team", kind=SkillKind.TRANSVERSAL)
    for role in [analyst, engineer, *RoleFactory.create_batch(348)]:
        RoleSkillFactory(role=role, skill=teamwork)
    for index in range(10):
        SalaryBandFactory(
            role=designer,
            experience_min_years=Decimal(index),
            experience_max_years=Decimal(index + 1),
        )
    many = [page_queries(url) for url in (two, three, four)]
    assert few == many == [QUERY_BUDGET, QUERY_BUDGET, FULL_QUERY_BUDGET]


@needs_java
def test_the_compared_roles_are_valid_html(client, roles, tmp_path):
    urls = {
        "two": ["data-analyst", "data-engineer"],
        "three-with-errors": ["data-analyst", "data-engineer", "web-designer", "nope", "x\x00"],
        "one": ["data-analyst"],
    }
    for name, slugs in urls.items():
        (tmp_path / f"{name}.html").write_text(compare(client, *slugs))
    problems = html_problems(tmp_path)
    assert problems == [], "\n".join(problems)
