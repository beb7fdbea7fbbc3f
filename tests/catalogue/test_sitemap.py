"""/sitemap.xml (catalogue/sitemaps.py): an index of sections, each paginated, listing
published roles only, every skill and the families with published roles, each with when it
last changed; a fixed number of queries per page, and pages served from the page cache."""

import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from catalogue.sitemaps import SITEMAP_PAGE_SIZE, CatalogueSitemap
from roles.models import Role
from skills.models import Skill
from tests.factories import RoleFactory, RoleFamilyFactory, SkillFactory

pytestmark = pytest.mark.django_db

INDEX = "/sitemap.xml"
# For each of the three sections of records, the latest change and the count of pages
# (the static pages' section reads nothing).
INDEX_QUERY_BUDGET = 3 * 2
# The paginator's count and the page's addresses.
SECTION_QUERY_BUDGET = 2


def locations(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"] == "application/xml"
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def paths(client, url):
    """The addresses of a sitemap page, less the scheme and host."""
    found = locations(client, url)
    return [urlsplit(location)._replace(scheme="", netloc="").geturl() for location in found]


@pytest.fixture
def small_pages(monkeypatch):
    """Sections of two addresses a page, to see the pagination without 5,000 rows."""
    monkeypatch.setattr(CatalogueSitemap, "limit", 2)


def test_the_index_lists_each_section_absolutely(client, catalogue):
    found = locations(client, INDEX)
    assert found[:4] == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-roles.xml",
        "http://testserver/sitemap-skills.xml",
        "http://testserver/sitemap-families.xml",
    ]


def test_the_index_pages_a_section_too_long_for_one(client, catalogue, small_pages):
    skills = paths(client, "/sitemap-skills.xml")
    assert len(skills) == 2
    found = paths(client, INDEX)
    skill_pages = [path for path in found if path.startswith("/sitemap-skills.xml")]
    pages = -(-Skill.objects.count() // 2)
    assert pages > 1
    assert skill_pages == ["/sitemap-skills.xml"] + [
        f"/sitemap-skills.xml?p={page}" for page in range(2, pages + 1)
    ]
    # Each page its own skills, none twice.
    every = [path for page in skill_pages for path in paths(client, page)]
    assert len(every) == len(set(every)) == Skill.objects.count()
    assert client.get(f"/sitemap-skills.xml?p={pages + 1}").status_code == 404
    assert client.get("/sitemap-skills.xml?p=abc").status_code == 404


def test_the_page_size_keeps_the_esco_catalogue_to_a_few_pages():
    assert SITEMAP_PAGE_SIZE <= 50_000  # the sitemaps protocol's limit
    assert -(-13_896 // SITEMAP_PAGE_SIZE) > 1  # ESCO's skills: more than one page


def test_only_published_roles_are_listed(client, catalogue):
    listed = paths(client, "/sitemap-roles.xml")
    published = Role.objects.published().values_list("slug", flat=True)
    assert sorted(listed) == sorted(f"/roles/{slug}/" for slug in published)
    assert "/roles/backend-developer/" in listed
    assert "/roles/qa-analyst/" not in listed  # a draft
    RoleFactory(slug="archived-role", status=Role.Status.ARCHIVED)
    assert "/roles/archived-role/" not in paths(client, "/sitemap-roles.xml")


def test_each_address_says_when_it_last_changed(client, catalogue):
    text = client.get("/sitemap-roles.xml").content.decode()
    role = Role.objects.get(slug="backend-developer")
    entry = re.search(
        r"<url><loc>http://testserver/roles/backend-developer/</loc>(.*?)</url>", text, re.S
    )
    assert f"<lastmod>{timezone.localdate(role.updated_at).isoformat()}</lastmod>" in entry[1]
    # The index says when each section last changed: its latest record's change.
    index = client.get(INDEX).content.decode()
    latest = max(Role.objects.published().values_list("updated_at", flat=True))
    roles = re.search(r"<loc>http://testserver/sitemap-roles.xml</loc><lastmod>([^<]+)<", index)
    assert datetime.fromisoformat(roles[1]) == latest


def test_families_without_published_roles_are_left_out(client, db):
    major = RoleFamilyFactory(slug="professionals-2", code="2")
    unit = RoleFamilyFactory(slug="software-2512", code="2512", parent=major)
    empty_group = RoleFamilyFactory(slug="health-3", code="3")
    editorial = RoleFamilyFactory(slug="design")
    empty_editorial = RoleFamilyFactory(slug="nothing-yet")
    RoleFactory(family=unit)
    RoleFactory(family=editorial)
    RoleFactory(family=empty_group, status=Role.Status.DRAFT)
    RoleFactory(family=empty_editorial, status=Role.Status.DRAFT)
    listed = paths(client, "/sitemap-families.xml")
    assert sorted(listed) == sorted(
        family.get_absolute_url() for family in [major, unit, editorial]
    )


def test_an_unknown_section_is_not_found(client, db):
    assert client.get("/sitemap-nothing.xml").status_code == 404


def grow(factor):
    family = RoleFamilyFactory()
    for _ in range(factor):
        RoleFactory(family=family)
        RoleFactory(family=RoleFamilyFactory())
        SkillFactory()


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        (INDEX, INDEX_QUERY_BUDGET),
        ("/sitemap-pages.xml", 1),
        ("/sitemap-roles.xml", SECTION_QUERY_BUDGET),
        ("/sitemap-roles.xml?p=2", SECTION_QUERY_BUDGET),
        ("/sitemap-skills.xml", SECTION_QUERY_BUDGET),
        ("/sitemap-families.xml", SECTION_QUERY_BUDGET),
    ],
)
def test_sitemap_pages_run_a_fixed_number_of_queries(
    page_queries, esco_miniature, small_pages, url, budget
):
    grow(3)
    small = page_queries(url)
    grow(30)
    large = page_queries(url)
    assert small == large <= budget


def test_sitemaps_are_served_from_the_page_cache(page_queries, catalogue):
    for url in [INDEX, "/sitemap-skills.xml"]:
        page_queries(url)
        assert page_queries(url) == 0  # cached
