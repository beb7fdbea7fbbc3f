"""The Content Security Policy (no 'unsafe-inline', no 'unsafe-eval') in a real browser: the
public pages and Django admin's scripts (inlines, autocomplete, prepopulated slug) all work
under it, and the browser reports no violation and no other console error."""

import pytest
from playwright.sync_api import expect

from roles.models import Role

pytestmark = pytest.mark.browser

PASSWORD = "a long superuser password"


def assert_clean(page):
    assert page.evaluate("window.cspViolations") == []
    assert page.console_problems == []


@pytest.fixture
def signed_in_page(watched_page, site, django_user_model):
    django_user_model.objects.create_superuser("boss", password=PASSWORD)
    page = watched_page
    page.goto(f"{site}/admin/login/")
    assert_clean(page)
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Catalogue content")).to_be_visible()
    assert_clean(page)
    return page


def test_admin_role_change_form_works_under_the_policy(signed_in_page, site):
    page = signed_in_page
    role = Role.objects.get(slug="backend-developer")
    page.goto(f"{site}/admin/roles/role/{role.pk}/change/")
    # Sections open from their headings (HTML's own <details>: no script involved).
    page.get_by_role("heading", name="Role skills", exact=True).click()
    page.get_by_role("heading", name="Sources", exact=True).click()

    # Autocomplete (select2 fetching from admin's autocomplete view) on a skill inline.
    skills = page.locator("#role_skills-group")
    skills.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("jav")
    expect(page.locator(".select2-results__option", has_text="JavaScript")).to_be_visible()
    page.keyboard.press("Escape")

    # Inlines: "Add another" clones the empty form with JavaScript.
    rows_before = skills.locator("tr.form-row:not(.empty-form)").count()
    skills.locator(".add-row a").click()
    expect(skills.locator("tr.form-row:not(.empty-form)")).to_have_count(rows_before + 1)

    # The sources picker (filter_horizontal) is built by SelectFilter2.js.
    expect(page.locator("#id_sources_filter")).to_be_visible()
    assert_clean(page)


def test_the_dashboard_lists_a_stale_band_and_its_link_opens_it(signed_in_page, site):
    page = signed_in_page  # on the admin index; the seed's bands describe 2023
    stale = page.locator("section", has=page.get_by_role("heading", name="Salary bands older"))
    expect(stale.get_by_role("heading")).to_contain_text("Salary bands older than two years: 4")
    stale.get_by_role("link", name="Backend Developer: 0 to under 2 years").click()
    expect(page.get_by_role("heading", name="Change salary band")).to_be_visible()
    expect(page.get_by_label("Year:")).to_have_value("2023")
    assert_clean(page)


def test_admin_add_form_prepopulates_the_slug_under_the_policy(signed_in_page, site):
    page = signed_in_page
    page.goto(f"{site}/admin/roles/role/add/")
    page.get_by_role("textbox", name="Title:", exact=True).press_sequentially("Data Engineer")
    expect(page.get_by_label("Slug")).to_have_value("data-engineer")
    assert_clean(page)


def test_the_public_role_page_runs_under_the_policy_and_violations_would_show(watched_page, site):
    page = watched_page
    response = page.goto(f"{site}/roles/backend-developer/")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    # Occupation, FAQPage and BreadcrumbList.
    assert page.locator('script[type="application/ld+json"]').count() == 3
    expect(page.get_by_role("button", name="Copy as plain text")).to_be_visible()  # our script ran
    assert_clean(page)
    # The link-preview card is served by the site itself, so the policy never stands in its way.
    card = page.locator('meta[property="og:image"]').get_attribute("content")
    assert card == f"{site}/roles/backend-developer/preview.png"
    assert page.request.get(card).headers["content-type"] == "image/png"

    # The control: an inline style attribute is blocked, and the test notices.
    page.evaluate(
        """document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>')"""
    )
    page.wait_for_function("window.cspViolations.length > 0")
    assert page.evaluate("window.cspViolations")[0].startswith("style-src")
