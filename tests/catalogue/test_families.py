"""Browsing roles by family: the ISCO-08 tree at /families/, a family's page with the roles of
its whole branch, and the roles list's family filter, on a miniature ESCO import
(tests/catalogue/esco_miniature.py: groups 2 › 25 › 251 › 2512, 2514 and 3 › 35 › 351 › 3512,
with two published occupations in each of 2512, 2514 and 3512)."""

import re

import pytest
from django.urls import resolve, reverse

from catalogue.esco import ATTRIBUTION
from catalogue.views import FamilyDetailView
from roles.models import Role, RoleFamily
from tests.catalogue import esco_miniature as mini
from tests.factories import (
    RoleFactory,
    RoleFamilyFactory,
    RoleSkillFactory,
    SalaryBandFactory,
)
from tests.html_checker import html_problems, needs_java

FAMILIES_URL = reverse("catalogue:families")
ROLES_PER_PAGE = FamilyDetailView.paginate_by
# The ISCO-08 groups with their own published
# roles counted, the editors' families the same way. Totals up the tree are summed in Python.
FAMILIES_QUERY_BUDGET = 2
# The family, its broader groups (none for a major group or an editor's
# family: no query), its branch with counts, the count of its roles, a page of cards with
# pay, their top skills.
FAMILY_QUERY_BUDGET = 6


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def group(code) -> RoleFamily:
    return RoleFamily.objects.get(code=code)


def listed_groups(html) -> dict[str, str]:
    """Each ISCO-08 group listed on the page, code -> its count's words, in page order."""
    return dict(
        re.findall(
            r'<span class="isco-code">(\d+)</span> <a href="/families/[^"]+/">[^<]+</a> '
            r'<span class="count">([^<]+)</span>',
            html,
        )
    )


def listed_titles(html) -> list[str]:
    return re.findall(r'<h3><a href="/roles/[^"]+/">([^<]+)</a></h3>', html)


def breadcrumbs(html) -> list[str]:
    trail = re.search(r'<nav aria-label="Breadcrumb".*?</nav>', html, re.DOTALL).group()
    return re.findall(r"<li(?: aria-current=\"page\")?>(?:<a [^>]+>)?([^<]+)", trail)


@pytest.fixture
def miniature(esco_miniature):
    """The miniature with one of 3512's two roles made a draft, a draft in 2514, and 2513,
    a unit group with no role: drafts and empty groups count nothing."""
    Role.objects.filter(esco_uri=mini.HELP_DESK_OPERATOR_URI).update(status=Role.Status.DRAFT)
    RoleFactory(title="Draft programmer", family=group("2514"), status=Role.Status.DRAFT)
    RoleFamilyFactory(
        code="2513", name="Web and multimedia developers", slug="web-2513", parent=group("251")
    )


# The tree ----------------------------------------------------------------------------------


def test_the_tree_lists_every_level_in_order_with_published_roles_at_or_below(client, miniature):
    html = page(client, FAMILIES_URL)
    assert listed_groups(html) == {
        "2": "4 roles",
        "25": "4 roles",
        "251": "4 roles",
        "2512": "2 roles",
        "2513": "no published roles",
        "2514": "2 roles",
        "3": "1 role",
        "35": "1 role",
        "351": "1 role",
        "3512": "1 role",
    }
    # Major groups head the tree; minor and unit groups wait behind a sub-major's <details>.
    assert re.search(r'<h3><span class="isco-code">2</span> <a href="/families/[^"]+/">Prof', html)
    details = re.search(r"<details.*?</details>", html, re.DOTALL).group()
    assert "1 minor group" in details and ">251<" in details and ">2512<" in details
    assert ">25<" not in details
    assert '<li class="is-empty"><span class="isco-code">2513</span>' in html
    assert f'href="{group("2512").get_absolute_url()}"' in html


def test_the_editors_families_are_listed_with_their_own_counts(client, miniature):
    engineering = RoleFamilyFactory(name="Software engineering", slug="software-engineering")
    RoleFactory(family=engineering)
    RoleFactory(family=engineering, status=Role.Status.DRAFT)
    RoleFamilyFactory(name="Quality assurance", slug="quality-assurance")
    html = page(client, FAMILIES_URL)
    section = html[html.index('id="editorial-heading"') :]
    counts = dict(re.findall(r'">([^<]+)</a> <span class="count">([^<]+)</span>', section))
    assert counts == {"Quality assurance": "no published roles", "Software engineering": "1 role"}
    assert 'aria-current="page">Families</a>' in html


# A family's page ---------------------------------------------------------------------------


def test_a_group_page_lists_the_published_roles_of_its_whole_branch(client, miniature):
    html = page(client, group("25").get_absolute_url())
    assert listed_titles(html) == [
        "ICT application developer",
        "smartphone app developer",
        "software developer",
        "web developer",
    ]
    assert "4 published roles" in html
    assert "Draft programmer" not in html
    assert "ICT support technician" not in html  # another major group
    assert listed_groups(html) == {"251": "4 roles"}  # its child groups, not deeper ones
    assert "<dt>ISCO-08 code</dt><dd>25</dd>" in html
    assert "<dt>Level</dt><dd>Sub-major group</dd>" in html
    assert f'<a href="{mini.ISCO_25_URI}">' in html
    assert ATTRIBUTION in html and "ESCO version 1.1.1" in html
    assert 'aria-current="page">Families</a>' in html


def test_a_unit_group_page_has_breadcrumbs_along_the_isco_path_and_its_description(
    client, miniature
):
    html = page(client, group("2512").get_absolute_url())
    assert breadcrumbs(html) == [
        "Home",
        "Families",
        "2 Professionals",
        "25 Information and communications technology professionals",
        "251 Software and applications developers and analysts",
        "2512 Software developers",
    ]
    assert listed_titles(html) == ["software developer", "web developer"]
    assert "<dt>Level</dt><dd>Unit group</dd>" in html
    assert "<p>Invented summary for the miniature.<br>Tasks in this made-up text" in html
    assert 'id="subgroups-heading"' not in html  # nothing below a unit group
    assert "no longer has this group" not in html


def test_a_major_group_page_starts_its_breadcrumbs_at_families(client, miniature):
    html = page(client, group("3").get_absolute_url())
    assert breadcrumbs(html) == ["Home", "Families", "3 Technicians and associate professionals"]
    assert listed_titles(html) == ["ICT support technician"]


def test_a_group_esco_has_retired_carries_a_notice(client, miniature):
    RoleFamily.objects.filter(code="2514").update(esco_retired_in="1.2.0")
    html = page(client, group("2514").get_absolute_url())
    assert "ESCO 1.2.0 no longer has this group." in html


def test_an_editors_family_page_lists_its_own_roles_without_attribution(client, miniature):
    engineering = RoleFamilyFactory(name="Software engineering", slug="software-engineering")
    RoleFactory(title="Backend Developer", family=engineering)
    RoleFactory(title="Draft Developer", family=engineering, status=Role.Status.DRAFT)
    html = page(client, engineering.get_absolute_url())
    assert breadcrumbs(html) == ["Home", "Families", "Software engineering"]
    assert listed_titles(html) == ["Backend Developer"]
    assert "ISCO-08 code" not in html
    assert ATTRIBUTION not in html  # nothing on the page came from ESCO


def test_a_family_page_pages_its_roles_and_forgives_bad_page_numbers(client, miniature):
    for index in range(ROLES_PER_PAGE + 5):
        RoleFactory(title=f"Coder {index:02}", family=group("2512"))
    last_page = 2 + 2 + 5  # 2512's and 2514's published roles and the coders past page 1
    url = group("2").get_absolute_url()
    assert "Page 1 of 2" in page(client, url)
    assert len(listed_titles(page(client, url, page="2"))) == last_page
    for bad_page in ["abc", "0", "999"]:
        assert len(listed_titles(page(client, url, page=bad_page))) in (ROLES_PER_PAGE, last_page)


def test_an_unknown_family_is_not_found(client, miniature):
    url = reverse("catalogue:family", kwargs={"slug": "no-such-family"})
    assert client.get(url).status_code == 404


# The roles list's family filter ------------------------------------------------------------


def test_the_roles_family_filter_takes_in_every_group_below_an_isco_group(client, miniature):
    roles_url = reverse("roles:list")
    assert listed_titles(page(client, roles_url, family=group("251").slug)) == [
        "ICT application developer",
        "smartphone app developer",
        "software developer",
        "web developer",
    ]
    assert listed_titles(page(client, roles_url, family=group("2514").slug)) == [
        "ICT application developer",
        "smartphone app developer",
    ]
    assert listed_titles(page(client, roles_url, family=group("2513").slug)) == []


def test_the_roles_family_filter_takes_an_editors_family_exactly(client, miniature):
    engineering = RoleFamilyFactory(name="Software engineering", slug="software-engineering")
    RoleFactory(title="Backend Developer", family=engineering)
    html = page(client, reverse("roles:list"), family="software-engineering")
    assert listed_titles(html) == ["Backend Developer"]


def test_the_family_choices_list_editors_families_first_then_groups_by_code(client, miniature):
    """Only families with published roles at or below them, down to sub-major groups (the
    code box reaches narrower ones): tests/roles/test_list.py has the rest."""
    engineering = RoleFamilyFactory(name="Software engineering", slug="software-engineering")
    RoleFactory(family=engineering)
    RoleFamilyFactory(name="Design", slug="design")  # no role: not offered
    html = page(client, reverse("roles:list"))
    select = re.search(r'<select name="family".*?</select>', html, re.DOTALL).group()
    labels = re.findall(r"<option [^>]*>([^<]+)</option>", select)
    assert labels == [
        "All families",
        "Software engineering",
        "2 Professionals",
        "25 Information and communications technology professionals",
        "3 Technicians and associate professionals",
        "35 Information and communications technicians",
    ]


# URLs --------------------------------------------------------------------------------------


def test_family_urls_reverse_and_resolve_round_trip():
    assert FAMILIES_URL == "/families/"
    assert resolve(FAMILIES_URL).view_name == "catalogue:families"
    url = reverse("catalogue:family", kwargs={"slug": "software-developers-2512"})
    assert url == "/families/software-developers-2512/"
    match = resolve(url)
    assert (match.view_name, match.kwargs) == (
        "catalogue:family",
        {"slug": "software-developers-2512"},
    )


# Query budgets -----------------------------------------------------------------------------


def add_groups_and_roles(*, editorial: RoleFamily, roles_per_unit: int):
    """Sub-major groups 26 to 29 under major group 2, each with two minor groups of three
    unit groups, and published roles with skills and pay in every unit group; more roles in
    2512 and in ``editorial`` too, for real later pages."""
    professionals = group("2")
    for code in ("26", "27", "28", "29"):
        sub_major = RoleFamilyFactory(code=code, name=f"Group {code}", parent=professionals)
        for minor_code in (f"{code}1", f"{code}2"):
            minor = RoleFamilyFactory(code=minor_code, parent=sub_major)
            for unit_code in (f"{minor_code}1", f"{minor_code}2", f"{minor_code}3"):
                unit = RoleFamilyFactory(code=unit_code, parent=minor)
                for _ in range(roles_per_unit):
                    role = RoleFactory(family=unit)
                    RoleSkillFactory(role=role, importance="required")
                    SalaryBandFactory(role=role)
    for _ in range(ROLES_PER_PAGE + 5):
        RoleSkillFactory(role=RoleFactory(family=group("2512")))
        RoleSkillFactory(role=RoleFactory(family=editorial))


def test_query_counts_do_not_grow_with_the_catalogue(page_queries, miniature):
    engineering = RoleFamilyFactory(name="Engineering", slug="engineering")
    RoleSkillFactory(role=RoleFactory(family=engineering))
    major, sub_major, unit = (group(code).get_absolute_url() for code in ("2", "25", "2512"))
    editorial = engineering.get_absolute_url()
    urls = [
        FAMILIES_URL,
        major,
        f"{major}?page=2",  # the only page at first, a real second page later
        sub_major,
        unit,
        f"{unit}?page=2",
        editorial,
        f"{editorial}?page=2",
        f"{reverse('roles:list')}?family={group('2').slug}",
    ]
    before = [page_queries(url) for url in urls]
    # A major group and an editor's family have no broader groups to read.
    assert before[:-1] == [
        FAMILIES_QUERY_BUDGET,
        FAMILY_QUERY_BUDGET - 1,
        FAMILY_QUERY_BUDGET - 1,
        FAMILY_QUERY_BUDGET,
        FAMILY_QUERY_BUDGET,
        FAMILY_QUERY_BUDGET,
        FAMILY_QUERY_BUDGET - 1,
        FAMILY_QUERY_BUDGET - 1,
    ]

    add_groups_and_roles(editorial=engineering, roles_per_unit=2)
    assert RoleFamily.objects.isco_groups().count() == 10 + 4 * (1 + 2 + 2 * 3)  # from 10
    in_professionals = Role.objects.published().filter(family__code__startswith="2")
    assert in_professionals.count() > 3 * ROLES_PER_PAGE

    assert [page_queries(url) for url in urls] == before


# Valid HTML --------------------------------------------------------------------------------


@needs_java
def test_the_tree_and_a_group_page_are_valid_html(client, miniature, tmp_path):
    # tests/test_html.py checks the pages with the shipped catalogue, which has no ISCO-08
    # groups: the tree's markup is checked here, on the miniature.
    for name, url in {
        "families": FAMILIES_URL,
        "sub-major": group("25").get_absolute_url(),
        "unit": group("2512").get_absolute_url(),
    }.items():
        (tmp_path / f"{name}.html").write_text(page(client, url))
    problems = html_problems(tmp_path)
    assert problems == [], "\n".join(problems)


def test_home_browses_by_major_group_not_by_every_unit_group(client, esco_miniature):
    html = client.get(reverse("catalogue:home")).content.decode()
    professionals = RoleFamily.objects.get(code="2")
    assert f'href="{professionals.get_absolute_url()}">Professionals</a>' in html
    assert "Software developers" not in html  # a unit group: one click further down


def test_the_home_pages_families_are_the_trees_top_level_counted_alike(miniature):
    engineering = RoleFamilyFactory(name="Software engineering", slug="software-engineering")
    RoleFactory(family=engineering)
    # A unit group imported without its broader groups heads a branch of its own.
    clerks = RoleFamilyFactory(code="4110", name="General office clerks", slug="clerks-4110")
    RoleFactory(family=clerks)
    tree = RoleFamily.objects.for_listing().counted_tree()
    broadest = RoleFamily.objects.for_listing().counted_broadest()
    counts = [(family.name, family.published_roles_at_or_below) for family in broadest]
    assert counts == [(family.name, family.published_roles_at_or_below) for family in tree]
    assert ("General office clerks", 1) in counts and ("Software engineering", 1) in counts
    assert [count for name, count in counts if name == "Professionals"] == [4]
