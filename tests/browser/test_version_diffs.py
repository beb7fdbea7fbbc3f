"""Comparing two versions of a role in the real admin, in Chromium (issue 15): an editor
rewrites a sentence of a role's overview, opens History, compares the two versions and sees
the words removed and added marked, inline and side by side, with a way to restore each
version; no admin page touched reports a CSP violation or a console error."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from roles.models import Role

pytestmark = pytest.mark.browser

PASSWORD = "a long password for the comparison"
SENTENCE = "Their everyday tools include languages and runtimes such as Python, Java and Node.js"
REWRITTEN = "Their everyday tools include languages and runtimes such as Go, Java and Node.js"


def assert_clean(page):
    assert page.evaluate("window.cspViolations") == []
    assert page.console_problems == []


def test_an_editor_sees_the_sentence_they_changed(
    site, watched_page, django_user_model, screenshots_dir
):
    editor = django_user_model.objects.create_user("ed", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    role = Role.objects.get(slug="backend-developer")
    assert SENTENCE in role.overview
    page = watched_page

    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("ed")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{site}/admin/roles/role/{role.pk}/change/")
    overview = page.get_by_label("Overview:")
    overview.fill(overview.input_value().replace(SENTENCE, REWRITTEN))
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert_clean(page)

    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("button", name="Compare")).to_be_visible()
    assert_clean(page)
    # The two newest versions are chosen already: the editor's and the one before it.
    page.get_by_role("button", name="Compare").click()

    expect(
        page.get_by_role("heading", name="Compare versions of Backend Developer")
    ).to_be_visible()
    overview_row = page.locator("table.version-changes tr", has_text="Overview")
    expect(overview_row.locator("del")).to_have_text("Python,")
    expect(overview_row.locator("ins")).to_have_text("Go,")
    expect(page.get_by_role("link", name="Restore this version")).to_have_count(2)
    page.screenshot(path=screenshots_dir / "admin-version-compare.png", full_page=True)
    assert_clean(page)

    page.get_by_role("link", name="Side by side").click()
    expect(page.locator("td.version-before del")).to_have_text("Python,")
    expect(page.locator("td.version-after ins")).to_have_text("Go,")
    page.screenshot(path=screenshots_dir / "admin-version-compare-side.png", full_page=True)
    assert_clean(page)

    # Restoring the older version opens reversion's form for it, to confirm with Save.
    page.get_by_role("link", name="Restore this version").first.click()
    expect(page.get_by_label("Overview:")).to_have_value(role.overview)
    assert_clean(page)
