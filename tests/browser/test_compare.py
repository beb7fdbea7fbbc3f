"""Comparing roles in a real Chromium: from a role card to the compare page, a second role
added by typing its title, the skills grid shown; on a phone the page never scrolls
sideways (the tables scroll inside their own boxes)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from roles.models import Role
from tests.browser.conftest import PHONE
from tests.factories import RoleFactory, RoleSkillFactory, SalaryBandFactory, SkillFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def second_role(site):
    """A published Data Engineer sharing Python with the shipped Backend Developer, with pay
    of its own and 40 skills of its own (a long grid section)."""
    backend = Role.objects.get(slug="backend-developer")
    engineer = RoleFactory(title="Data Engineer", slug="data-engineer", family=backend.family)
    RoleSkillFactory(role=engineer, skill=backend.role_skills.get(skill__slug="python").skill)
    for index in range(40):
        RoleSkillFactory(
            role=engineer, skill=SkillFactory(name=f"a rather long data skill name {index}")
        )
    SalaryBandFactory(
        role=engineer, experience_min_years=Decimal(0), experience_max_years=Decimal(3)
    )
    return engineer


def test_compare_from_a_role_card_add_a_second_role_and_see_the_grid(page, site, second_role):
    page.goto(f"{site}/roles/")
    page.get_by_role("link", name="Compare Backend Developer with another role").click()
    expect(page).to_have_url(f"{site}/compare/?role=backend-developer")

    page.get_by_label("Add a role").fill("data engineer")
    page.get_by_role("button", name="Add to comparison").click()
    # The typed title becomes the shareable address, roles named by slug.
    expect(page).to_have_url(f"{site}/compare/?role=backend-developer&role=data-engineer")

    shared = page.locator("#skills-shared")
    expect(shared.locator("summary")).to_contain_text("Needed by both")
    python = shared.locator("tbody tr", has=page.get_by_role("link", name="Python", exact=True))
    expect(python.locator("td")).to_have_count(2)
    # A long section starts folded, and opens on a click.
    added = page.locator("#skills-only-data-engineer")
    expect(added.locator("table")).to_be_hidden()
    added.locator("summary").click()
    expect(added.locator("table")).to_be_visible()
    expect(page.locator("#compared-pay tbody tr").first).to_contain_text("₹")

    page.get_by_role("link", name="Remove Data Engineer").click()
    expect(page).to_have_url(f"{site}/compare/?role=backend-developer")


def test_compare_from_a_role_page(page, site, second_role):
    page.goto(f"{site}/roles/data-engineer/")
    next_steps = page.locator("#next-steps")
    next_steps.get_by_role("link", name="Compare Data Engineer with Backend Developer").click()
    expect(page).to_have_url(f"{site}/compare/?role=data-engineer&role=backend-developer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare roles")


def test_the_page_fits_a_phone_and_its_tables_scroll_in_their_boxes(browser, site, second_role):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    extra = RoleFactory(title="An occupation with a remarkably long title for a phone")
    page.goto(f"{site}/compare/?role=backend-developer&role=data-engineer&role={extra.slug}")
    page.locator("#skills-only-data-engineer summary").click()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the compare page is {overflow}px too wide at 360px"
    boxes = page.locator(".compare-scroll")
    widths = boxes.evaluate_all("boxes => boxes.map(box => box.scrollWidth - box.clientWidth)")
    assert max(widths) > 0  # three roles do not fit: the tables scroll, inside their boxes
    assert re.search(r"Compare", page.title())
    context.close()
