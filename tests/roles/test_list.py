"""The roles list at scale: numbered pages, pay sorts, the ISCO-08 and has-pay filters, the
families offered, and its CSV, which lists exactly what the list lists."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from catalogue.selectors import roles_for_listing
from roles import views as role_views
from roles.models import Role, RoleFamily
from roles.views import RoleListView
from salaries.formatting import experience_span
from tests.factories import (
    RoleFactory,
    RoleFamilyFactory,
    SalaryBandFactory,
    SalaryFigureFactory,
)
from tests.roles.test_views import LIST_QUERY_BUDGET

pytestmark = pytest.mark.django_db

LIST = reverse("roles:list")
EXPORT = reverse("roles:export")
# The roles, read as they stream.
EXPORT_QUERY_BUDGET = 1


def page(client, url=LIST, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def listed_titles(client, **params):
    html = page(client, **params)
    return re.findall(r'<h3><a href="/roles/[^"]+/">([^<]+)</a></h3>', html)


def every_listed_title(client, **params):
    """The titles of every page of the list, in order."""
    titles, number = [], 1
    while True:
        html = page(client, **params, page=number)
        titles += re.findall(r'<h3><a href="/roles/[^"]+/">([^<]+)</a></h3>', html)
        if 'rel="next"' not in html:
            return titles
        number += 1


def pagination(html) -> list[tuple[str, str, bool]]:
    """The page links as (text, href, is the current page), the gaps as ("…", "", False)."""
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group()
    items = re.findall(r"<li[^>]*>(.*?)</li>", nav, re.S)
    links = []
    for item in items:
        link = re.search(r'<a [^>]*href="([^"]*)"[^>]*>([^<]*)</a>', item)
        if link:
            links.append((link[2], link[1].replace("&amp;", "&"), "aria-current" in item))
        else:
            links.append((item.strip(), "", False))
    return links


def csv_rows(response):
    assert response.status_code == 200, response.content
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def optgroups(html) -> dict[str, list[str]]:
    select = re.search(r'<select name="family".*?</select>', html, re.S).group()
    return {
        label.replace("&#x27;", "'"): re.findall(r"<option [^>]*>([^<]*)</option>", body)
        for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S)
    }


@pytest.fixture
def many_roles(db, monkeypatch):
    """25 roles in one family, two a page: 13 pages."""
    monkeypatch.setattr(RoleListView, "paginate_by", 2)
    family = RoleFamilyFactory(slug="many")
    for index in range(25):
        RoleFactory(title=f"Role {index:02}", family=family)
    RoleFactory(title="Elsewhere")


# Numbered pages ----------------------------------------------------------------------------


def test_pages_are_numbered_around_the_current_one_with_gaps(client, many_roles):
    links = pagination(page(client, family="many", q="", page=7))
    assert [text for text, _, _ in links] == [
        "Previous", "1", "…", "5", "6", "7", "8", "9", "…", "13", "Next",
    ]  # fmt: skip
    assert [text for text, _, current in links if current] == ["7"]
    # Every link keeps every other parameter, as it came.
    hrefs = dict((text, href) for text, href, _ in links if href)
    assert hrefs["Previous"] == "?family=many&q=&page=6"
    assert hrefs["1"] == "?family=many&q=&page=1"
    assert hrefs["13"] == "?family=many&q=&page=13"
    assert hrefs["Next"] == "?family=many&q=&page=8"


def test_the_first_and_last_pages_have_no_link_beyond_them(client, many_roles):
    first = pagination(page(client, family="many"))
    assert [text for text, _, _ in first] == ["1", "2", "3", "…", "13", "Next"]
    assert first[0][2]  # the current page
    last = pagination(page(client, family="many", page=13))
    assert [text for text, _, _ in last] == ["Previous", "1", "…", "11", "12", "13"]
    assert 'aria-label="Page 13"' in page(client, family="many", page=13)


@pytest.mark.parametrize(
    ("asked", "shown"), [("999", "13"), ("14", "13"), ("0", "1"), ("-3", "1"), ("abc", "1")]
)
def test_a_page_out_of_range_shows_the_nearest_one_marked_as_current(
    client, many_roles, asked, shown
):
    html = page(client, family="many", page=asked)
    assert [text for text, _, current in pagination(html) if current] == [shown]
    assert f"Page {shown} of 13" in html


def test_other_paginated_lists_are_numbered_too(client, db, monkeypatch):
    from catalogue.views import FamilyDetailView

    monkeypatch.setattr(FamilyDetailView, "paginate_by", 2)
    family = RoleFamilyFactory(slug="several")
    RoleFactory.create_batch(7, family=family)
    html = page(client, family.get_absolute_url(), page=2)
    assert [text for text, _, _ in pagination(html)] == ["Previous", "1", "2", "3", "4", "Next"]


# Sorting by pay ----------------------------------------------------------------------------


@pytest.fixture
def paid_roles(db):
    """Starting pay and top pay in different orders, an open-topped band and no pay."""
    steady = RoleFactory(title="Steady")  # starts high, stays flat
    SalaryBandFactory(role=steady, minimum=700_000, maximum=900_000)
    climber = RoleFactory(title="Climber")  # starts low, ends highest
    SalaryBandFactory(role=climber, minimum=300_000, maximum=600_000)
    SalaryBandFactory(
        role=climber,
        minimum=1_000_000,
        maximum=2_500_000,
        experience_min_years=Decimal(5),
        experience_max_years=Decimal(10),
    )
    open_topped = RoleFactory(title="Open topped")  # "₹12,00,000+": its top is its minimum
    SalaryBandFactory(role=open_topped, minimum=1_200_000, maximum=None)
    RoleFactory(title="Unpaid")
    RoleFactory(title="Also unpaid")


def test_highest_pay_sorts_by_the_top_of_each_range_roles_without_pay_last(client, paid_roles):
    assert listed_titles(client, sort="-top-salary") == [
        "Climber", "Open topped", "Steady", "Also unpaid", "Unpaid",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("salary", ["Climber", "Steady", "Open topped", "Also unpaid", "Unpaid"]),
        ("-salary", ["Open topped", "Steady", "Climber", "Also unpaid", "Unpaid"]),
    ],
)
def test_starting_pay_sorts_put_roles_without_pay_last_either_way(
    client, paid_roles, sort, expected
):
    assert listed_titles(client, sort=sort) == expected


def test_the_sort_box_offers_the_pay_orders(client, paid_roles):
    html = page(client)
    assert '<option value="-top-salary">Highest pay (top of range)</option>' in html
    assert '<option value="salary">Starting pay (lowest first)</option>' in html


# Has pay figures ---------------------------------------------------------------------------


@pytest.mark.parametrize("ticked", ["yes", "1", "on", "true", "YES"])
def test_has_pay_lists_roles_with_bands_or_figures_once_each(client, paid_roles, ticked):
    figures_only = RoleFactory(title="Figures only")
    SalaryFigureFactory(role=figures_only)
    SalaryFigureFactory(role=figures_only, measure="median")
    assert listed_titles(client, has_pay=ticked) == [
        "Climber", "Figures only", "Open topped", "Steady",
    ]  # fmt: skip
    html = page(client, has_pay=ticked)
    assert "4 roles" in html
    assert re.search(r'<input type="checkbox" name="has_pay" value="yes"[^>]* checked', html)


@pytest.mark.parametrize("unticked", ["", "no", "0", "false", "maybe"])
def test_has_pay_left_unticked_filters_nothing(client, paid_roles, unticked):
    assert len(listed_titles(client, has_pay=unticked)) == 5
    assert " checked" not in re.search(r'<input[^>]*name="has_pay"[^>]*>', page(client)).group()


# ISCO-08 groups ----------------------------------------------------------------------------


@pytest.fixture
def isco_tree(db):
    """ISCO-08's branch down to software developers, with roles at the bottom and in the
    middle, another major group with only a draft, and an editors' family."""
    professionals = RoleFamilyFactory(slug="professionals-2", name="Professionals", code="2")
    ict = RoleFamilyFactory(
        slug="ict-25", name="ICT professionals", code="25", parent=professionals
    )
    health = RoleFamilyFactory(
        slug="health-22", name="Health professionals", code="22", parent=professionals
    )
    developers = RoleFamilyFactory(slug="developers-251", name="Developers", code="251", parent=ict)
    software = RoleFamilyFactory(
        slug="software-2512", name="Software developers", code="2512", parent=developers
    )
    web = RoleFamilyFactory(slug="web-2513", name="Web developers", code="2513", parent=developers)
    managers = RoleFamilyFactory(slug="managers-1", name="Managers", code="1")
    editors = RoleFamilyFactory(slug="engineering", name="Engineering")
    drafts_only = RoleFamilyFactory(slug="quality", name="Quality assurance")
    RoleFactory(title="Backend developer", family=software, isco_08="2512", slug="backend")
    RoleFactory(title="ICT generalist", family=ict)
    RoleFactory(title="Web designer", family=web, isco_08="2513", slug="web-designer")
    RoleFactory(title="Nurse", family=health)
    RoleFactory(title="Site engineer", family=editors)
    RoleFactory(title="Chief executive", family=managers, status=Role.Status.DRAFT)
    RoleFactory(title="Tester", family=drafts_only, status=Role.Status.DRAFT)
    return software


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("2", ["Backend developer", "ICT generalist", "Nurse", "Web designer"]),
        ("25", ["Backend developer", "ICT generalist", "Web designer"]),
        ("251", ["Backend developer", "Web designer"]),
        (" 2512 ", ["Backend developer"]),
        ("1", []),  # a real group whose only role is a draft
    ],
)
def test_an_isco_code_lists_the_roles_at_or_below_its_group(client, isco_tree, code, expected):
    assert listed_titles(client, isco=code) == expected


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9999", "We know no ISCO-08 group coded “9999”."),
        ("26", "We know no ISCO-08 group coded “26”."),
        ("abc", "An ISCO-08 code has one to four digits, such as 25 or 2512."),
        ("25123", "An ISCO-08 code has one to four digits, such as 25 or 2512."),
        ("٢٥", "An ISCO-08 code has one to four digits, such as 25 or 2512."),
        ("25\x00", "An ISCO-08 code has one to four digits, such as 25 or 2512."),
    ],
)
def test_an_unknown_or_malformed_isco_code_is_a_form_error(client, isco_tree, code, message):
    html = page(client, isco=code)
    assert "Please correct the filters" in html
    assert message in html.replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert listed_titles(client, isco=code) == []


def test_the_isco_code_box_appears_once_isco_groups_have_roles(client, isco_tree):
    assert 'name="isco"' in page(client)
    Role.objects.exclude(family__code="").update(status=Role.Status.DRAFT)
    cache.clear()  # an update() sends no signal: cached pages would not go stale
    assert 'name="isco"' not in page(client)
    # Unless a code was sent: its answer, even "no such group", must be seen.
    assert 'name="isco"' in page(client, isco="25")


# Families offered --------------------------------------------------------------------------


def test_only_families_with_published_roles_are_offered_grouped(client, isco_tree):
    groups = optgroups(page(client))
    assert groups == {
        "Our editors' families": ["Engineering"],
        # The major group, then its sub-major groups with roles at or below them; minor
        # and unit groups are reached with the code box.
        "2 Professionals": ["2 Professionals", "22 Health professionals", "25 ICT professionals"],
    }


def test_a_chosen_narrower_group_is_offered_and_selected(client, isco_tree):
    html = page(client, family="software-2512")
    assert optgroups(html)["2 Professionals"] == [
        "2 Professionals",
        "22 Health professionals",
        "25 ICT professionals",
        "2512 Software developers",
    ]
    assert '<option value="software-2512" selected>2512 Software developers</option>' in html
    assert listed_titles(client, family="software-2512") == ["Backend developer"]


@pytest.mark.parametrize("slug", ["quality", "managers-1", "no-such-family"])
def test_a_family_without_published_roles_is_refused(client, isco_tree, slug):
    html = page(client, family=slug)
    assert "Please correct the filters" in html
    assert f"No published role is in a family “{slug}”." in html.replace("&ldquo;", "“").replace(
        "&rdquo;", "”"
    )


def test_the_family_list_costs_the_same_queries_with_many_more_families(
    client, page_queries, isco_tree
):
    urls = [LIST, f"{LIST}?family=software-2512", f"{LIST}?isco=251&has_pay=yes&sort=-top-salary"]
    before = [page_queries(url) for url in urls]
    professionals = RoleFamily.objects.get(code="2")
    for major in range(3, 10):
        group = RoleFamilyFactory(code=str(major))
        for sub in range(10):
            sub_major = RoleFamilyFactory(code=f"{major}{sub}", parent=group)
            RoleFactory(family=RoleFamilyFactory(code=f"{major}{sub}1", parent=sub_major))
            SalaryBandFactory(role=RoleFactory(family=sub_major))
    RoleFactory.create_batch(20, family=professionals)
    after = [page_queries(url) for url in urls]
    assert before == after
    assert max(after) <= LIST_QUERY_BUDGET
    assert len(optgroups(page(client))) == 1 + 8  # editors' and eight major groups


def test_the_families_offered_are_read_once_until_the_structure_changes(
    client, page_queries, isco_tree, settings
):
    settings.PAGE_CACHE_SECONDS = 0  # every request renders its page
    first = page_queries(LIST)
    assert page_queries(f"{LIST}?sort=title") == first - 1
    RoleFactory(family=RoleFamilyFactory(code="3", name="Technicians"))
    groups = optgroups(page(client))
    assert groups["3 Technicians"] == ["3 Technicians"]
    assert page_queries(f"{LIST}?sort=-title") == first - 1


def test_signed_in_editors_always_get_the_families_offered_afresh(
    editor_client, page_queries, isco_tree
):
    urls = [LIST, f"{LIST}?sort=title"]
    assert len({page_queries(url, as_client=editor_client) for url in urls}) == 1


# The CSV -----------------------------------------------------------------------------------


def test_the_csv_lists_exactly_the_lists_roles_in_its_order(client, paid_roles, monkeypatch):
    monkeypatch.setattr(RoleListView, "paginate_by", 2)  # the CSV holds every page
    for query in [
        {},
        {"sort": "-top-salary"},
        {"sort": "salary"},
        {"sort": "-title", "has_pay": "yes"},
        {"q": "", "has_pay": "no"},
    ]:
        rows = csv_rows(client.get(EXPORT, query))
        assert [row[0] for row in rows[1:]] == every_listed_title(client, **query), query


def test_the_csv_holds_each_roles_link_family_code_pay_and_experience(client, isco_tree):
    role = Role.objects.get(title="Backend developer")
    SalaryBandFactory(role=role, minimum=300_000, maximum=800_000)
    SalaryBandFactory(
        role=role,
        minimum=1_500_000,
        maximum=None,
        experience_min_years=Decimal(8),
        experience_max_years=None,
    )
    response = client.get(EXPORT, {"isco": "25"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="roles.csv"'
    header, backend, generalist, web = csv_rows(response)
    assert header == [
        "title", "URL", "family", "ISCO-08 code", "pay minimum (INR per year)",
        "pay maximum (INR per year)", "top band open-ended", "experience covered", "updated",
    ]  # fmt: skip
    updated = timezone.localdate(role.updated_at).isoformat()  # the site's day, India's
    assert backend == [
        "Backend developer",
        f"http://testserver/roles/{role.slug}/",
        "Software developers",
        "2512",
        "300000",
        "800000",
        "yes",
        # In the cards' words (salaries.formatting.experience_span).
        experience_span(roles_for_listing().get(pk=role.pk)),
        updated,
    ]
    # No pay: the pay cells are empty, not zero.
    assert generalist[4:8] == ["", "", "", ""]
    assert web[0:4] == [
        "Web designer",
        "http://testserver/roles/web-designer/",
        "Web developers",
        "2513",
    ]


def test_the_csv_guards_against_formulas_in_text_cells(client, db):
    family = RoleFamilyFactory(name="+cmd|' /C calc'!A0", slug="sneaky")
    RoleFactory(title='=HYPERLINK("http://evil.example")', slug="formula", family=family)
    RoleFactory(title="@SUM(A1:A9)", slug="at-sum", family=family)
    RoleFactory(title="-2+3", slug="minus", family=family)
    rows = csv_rows(client.get(EXPORT, {"family": "sneaky"}))
    assert [row[0] for row in rows[1:]] == [
        "'-2+3",
        '\'=HYPERLINK("http://evil.example")',
        "'@SUM(A1:A9)",
    ]
    assert {row[2] for row in rows[1:]} == {"'+cmd|' /C calc'!A0"}


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ({"isco": "9999"}, "ISCO-08 group code: We know no ISCO-08 group coded “9999”."),
        ({"family": "atlantis"}, "Family: No published role is in a family “atlantis”."),
        ({"sort": "salary; DROP TABLE roles_role"}, "Sort by: Select a valid choice."),
        ({"skill": "telepathy"}, "We know no skill"),
        ({"q": "x" * 201}, "Search:"),
    ],
)
def test_the_csv_refuses_invalid_filters_plainly(client, isco_tree, query, complaint):
    response = client.get(EXPORT, query)
    assert response.status_code == 400
    assert not response.streaming
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response
    body = response.content.decode()
    assert body.startswith("Invalid filters:\n")
    assert complaint in body


def test_the_csv_is_streamed_in_chunks(client, paid_roles, monkeypatch):
    whole = csv_rows(client.get(EXPORT))
    monkeypatch.setattr(role_views, "ROLE_CSV_CHUNK_SIZE", 2)
    chunks = [chunk.decode() for chunk in client.get(EXPORT).streaming_content]
    assert [len(chunk.splitlines()) for chunk in chunks] == [3, 2, 1]  # header + 5 rows
    assert list(csv.reader(io.StringIO("".join(chunks)))) == whole


def test_the_csv_runs_the_same_queries_for_ten_roles_or_two_hundred(page_queries, isco_tree):
    urls = [EXPORT, f"{EXPORT}?family=engineering&has_pay=yes&sort=-salary"]
    before = [page_queries(url) for url in urls]
    family = RoleFamily.objects.get(slug="engineering")
    for role in RoleFactory.create_batch(200, family=family):
        SalaryBandFactory(role=role)
    after = [page_queries(url) for url in urls]
    assert before == after
    assert after[0] == EXPORT_QUERY_BUDGET
    assert after[1] == EXPORT_QUERY_BUDGET + 1  # the family named, looked up


def test_the_download_link_keeps_the_filters_but_not_the_page(client, many_roles):
    html = page(client, family="many", has_pay="", sort="-title", page=3)
    assert (
        '<a href="/roles/export.csv?family=many&amp;has_pay=&amp;sort=-title" download>'
        "Download these roles as CSV</a> (all 25, not just this page)"
    ) in html
    assert '<a href="/roles/export.csv" download>' in page(client)
