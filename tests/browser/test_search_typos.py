"""Search that forgives, in a real Chromium: a typo in the site's search box, and the skill
picker suggesting skills from the whole catalogue as the visitor types."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import SkillFactory

pytestmark = pytest.mark.browser


def test_a_typo_in_the_site_search_finds_what_was_meant(page, site):
    page.goto(f"{site}/roles/")
    page.get_by_label("Search roles and skills").fill("pyhton")
    page.get_by_label("Search roles and skills").press("Enter")
    expect(page).to_have_url(f"{site}/search/?q=pyhton")
    spelling = page.locator("p.spelling")
    expect(spelling).to_have_text("Showing results for python. Search instead for pyhton.")
    skills = page.get_by_role("region", name="Skills")
    expect(skills.get_by_role("link", name="Python", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Roles").get_by_role("link").first).to_be_visible()

    # As typed it finds nothing, and the page offers the correction as a link to follow.
    spelling.get_by_role("link", name="pyhton").click()
    expect(page).to_have_url(f"{site}/search/?q=pyhton&as_typed=1")
    expect(page.get_by_role("status")).to_have_text("0 roles and 0 skills match “pyhton”.")
    page.locator("p.spelling").get_by_role("link", name="python").click()
    expect(page).to_have_url(f"{site}/search/?q=python")
    expect(page.locator("p.spelling")).to_have_count(0)
    expect(skills.get_by_role("link", name="Python", exact=True)).to_be_visible()


def test_the_skill_picker_suggests_from_the_whole_catalogue(page, site):
    SkillFactory(name="Kubernetes", slug="kubernetes", alternative_names="K8s")  # no role has it
    page.goto(f"{site}/roles/")
    options = page.locator("#skill-suggestions option")
    values = options.evaluate_all("(options) => options.map((option) => option.value)")
    assert "Kubernetes" not in values  # to begin with, the skills of the roles shown

    box = page.get_by_label("Add a skill")
    box.press_sequentially("kube", delay=30)
    expect(page.locator('#skill-suggestions option[value="Kubernetes"]')).to_have_count(1)
    # Found by another name, the suggestion says which (a browser shows only suggestions
    # holding what was typed).
    box.fill("")
    box.press_sequentially("k8s", delay=30)
    expect(page.locator('#skill-suggestions option[value="Kubernetes"]')).to_have_attribute(
        "label", "Kubernetes (K8s)"
    )
    # The name as typed (any case, or another name) filters when the form is sent.
    box.fill("nodejs")
    page.get_by_role("button", name="Show roles").click()
    expect(page).to_have_url(re.compile(r"[?&]skill=nodejs"))
    expect(page.get_by_role("checkbox", name="Node.js")).to_be_checked()
    expect(page.get_by_role("link", name="Backend Developer", exact=True)).to_be_visible()


def test_without_javascript_a_typed_other_name_still_filters(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/roles/")
    page.get_by_label("Add a skill").fill("Node")
    page.get_by_role("button", name="Show roles").click()
    expect(page.get_by_role("checkbox", name="Node.js")).to_be_checked()
    expect(page.get_by_role("link", name="Backend Developer", exact=True)).to_be_visible()
    context.close()
