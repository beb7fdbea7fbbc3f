"""Link previews and crawlers: Open Graph and Twitter card tags on every public page, a
PNG card per role, FAQPage and BreadcrumbList JSON-LD on role pages, /robots.txt and
/favicon.ico. The sitemap's tests are in tests/catalogue/test_sitemap.py."""

import io
import json
import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

from roles.models import Role
from roles.preview import FALLBACK_SPELLING, font
from tests.factories import RoleFactory, RoleSkillFactory, SalaryBandFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/roles/",
    "/roles/?skill=python&sort=-salary",
    "/roles/backend-developer/",
    "/skills/",
    "/skills/python/",
    "/families/",
    "/families/software-engineering/",
    "/salaries/",
    "/search/?q=backend",
]
ROLE_PAGE = "/roles/backend-developer/"
# The card: its role with family and pay span, and its top skills (one prefetch).
PREVIEW_QUERY_BUDGET = 2


def meta(html, key):
    """The content of <meta property=key> or <meta name=key>; None when missing."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return unescape(found[1]) if found else None


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def json_ld(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


# Open Graph and Twitter cards --------------------------------------------------------------


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_has_a_link_preview(client, catalogue, url):
    html = page(client, url)
    title = unescape(re.search(r"<title>(.*?) · Jobsite</title>", html, re.S)[1])
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)[1]
    assert meta(html, "og:title") == title != ""
    assert meta(html, "og:description") == meta(html, "description") != ""
    assert meta(html, "og:url") == canonical
    assert canonical.startswith("http://testserver/")
    assert meta(html, "og:site_name") == "Jobsite"
    assert meta(html, "og:type") == ("article" if url == ROLE_PAGE else "website")
    assert meta(html, "og:image").startswith("http://testserver/")  # same origin
    assert meta(html, "og:image:alt")
    assert meta(html, "twitter:card") == "summary_large_image"


def test_a_page_not_found_has_a_link_preview_too(client, catalogue):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert meta(response.content.decode(), "og:title") == "Page not found"


def test_pages_other_than_roles_show_the_site_card(client, catalogue):
    image = meta(page(client, "/skills/"), "og:image")
    assert re.fullmatch(r"http://testserver/static/img/preview(\.\w+)?\.png", image)
    with Image.open(finders.find("img/preview.png")) as card:
        assert (card.format, card.size) == ("PNG", (1200, 630))


def test_a_role_page_shows_its_own_card(client, catalogue):
    html = page(client, ROLE_PAGE)
    assert meta(html, "og:title") == "Backend Developer job description"
    assert meta(html, "og:description").startswith("A backend developer designs, builds")
    assert meta(html, "og:image") == "http://testserver/roles/backend-developer/preview.png"
    assert meta(html, "og:image:alt") == "Backend Developer, Software engineering"


def test_a_role_card_is_a_png_of_the_size_previews_take(client, catalogue):
    response = client.get(reverse("roles:preview", kwargs={"slug": "backend-developer"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"] and response["ETag"]
    with Image.open(io.BytesIO(response.content)) as card:
        assert (card.format, card.size) == ("PNG", (1200, 630))
        # Drawn on, not blank: the title, the pay, the skills.
        assert len(card.getcolors(maxcolors=100_000)) > 50


def test_a_card_draws_the_rupee_sign_or_spells_it_out():
    """Debian's DejaVu fonts have ₹; Pillow's own font does not, and says "Rs" instead."""
    typeface, is_fallback = font("bold", 42)
    if is_fallback:
        assert "₹3 – 8".translate(FALLBACK_SPELLING) == "Rs 3 - 8"
    else:
        assert typeface.getmask("₹").getbbox() != typeface.getmask("\ufffe").getbbox()


def test_drafts_and_unknown_roles_have_no_card(client, catalogue):
    for slug in ["qa-analyst", "no-such-role"]:
        assert client.get(reverse("roles:preview", kwargs={"slug": slug})).status_code == 404


def test_a_role_card_runs_a_fixed_number_of_queries(page_queries, catalogue):
    url = reverse("roles:preview", kwargs={"slug": "backend-developer"})
    few = page_queries(url)
    role = Role.objects.get(slug="backend-developer")
    for index in range(20):
        RoleSkillFactory(role=role, importance="required")
        SalaryBandFactory(
            role=role, experience_min_years=30 + index, experience_max_years=31 + index
        )
    assert page_queries(url) == few <= PREVIEW_QUERY_BUDGET


def test_a_role_with_a_long_title_and_no_pay_still_gets_a_card(client, catalogue):
    role = RoleFactory(title="commissioned armed forces officer " * 4, slug="long-title")
    response = client.get(reverse("roles:preview", kwargs={"slug": role.slug}))
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")


# JSON-LD on role pages ---------------------------------------------------------------------


def test_a_role_page_describes_its_faqs_as_an_faq_page(client, catalogue):
    blocks = json_ld(page(client, ROLE_PAGE))
    assert blocks[0]["@type"] == "Occupation"  # first, as before
    [faq_page] = [block for block in blocks if block["@type"] == "FAQPage"]
    assert faq_page["@context"] == "https://schema.org"
    questions = faq_page["mainEntity"]
    assert len(questions) == 5
    assert questions[1] == {
        "@type": "Question",
        "name": "Which languages are used for backend development?",
        "acceptedAnswer": {
            "@type": "Answer",
            "text": "Important and capable backend languages include C#, PHP, Java, "
            "JavaScript, Python, Ruby and SQL.",
        },
    }


def test_a_role_without_faqs_has_no_faq_page(client, catalogue):
    role = RoleFactory(slug="no-faqs")
    types = [block["@type"] for block in json_ld(page(client, role.get_absolute_url()))]
    assert "FAQPage" not in types and "BreadcrumbList" in types


def visible_breadcrumbs(html):
    trail = re.search(r'<nav aria-label="Breadcrumb" class="breadcrumbs">(.*?)</nav>', html, re.S)
    items = re.findall(r"<li[^>]*>(.*?)</li>", trail[1], re.S)
    return [
        (
            unescape(re.sub(r"<[^>]+>", "", item).strip()),
            (re.findall(r'href="([^"]+)"', item) or [None])[0],
        )
        for item in items
    ]


def assert_breadcrumbs_match(html, page_url):
    [crumbs] = [block for block in json_ld(html) if block["@type"] == "BreadcrumbList"]
    items = crumbs["itemListElement"]
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    assert all(item["@type"] == "ListItem" for item in items)
    visible = visible_breadcrumbs(html)
    assert [item["name"] for item in items] == [name for name, _ in visible]
    # Each links where the visible one does; the last, the page itself, is not a link there.
    assert [item["item"] for item in items] == [
        f"http://testserver{href or page_url}" for _, href in visible
    ]
    return [item["name"] for item in items]


def test_a_role_pages_breadcrumb_list_matches_its_breadcrumbs(client, catalogue):
    names = assert_breadcrumbs_match(page(client, ROLE_PAGE), ROLE_PAGE)
    assert names == ["Home", "Roles", "Backend Developer"]


def test_an_occupations_breadcrumb_list_runs_down_isco_08(client, esco_miniature):
    url = "/roles/web-developer/"
    names = assert_breadcrumbs_match(page(client, url), url)
    assert names[:2] == ["Home", "Roles"] and names[-1] == "web developer"
    assert len(names) == 7  # four ISCO-08 levels between


# Crawlers and browsers ---------------------------------------------------------------------


def test_robots_txt_allows_the_catalogue_not_the_admin_and_names_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines and "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.post("/robots.txt").status_code == 405


def test_favicon_ico_is_found(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    with Image.open(io.BytesIO(response.content)) as icon:
        assert icon.format == "ICO"
    assert client.post("/favicon.ico").status_code == 405


def test_pages_name_their_icon(client, catalogue):
    html = page(client, "/")
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)[1]
    assert re.fullmatch(r"/static/favicon(\.\w+)?\.svg", icon)
    assert finders.find("favicon.svg")
