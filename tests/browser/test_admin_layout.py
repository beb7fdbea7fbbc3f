"""Admin pages fit the window: an editor never scrolls sideways to reach a salary band's
fields on a role's page (it was 2,339 px wide at 1,280)."""

import pytest
from playwright.sync_api import expect

from roles.models import Role
from skills.models import Skill

from .conftest import DESKTOP

pytestmark = pytest.mark.browser

PASSWORD = "a long superuser password"

# The elements wider than the window, widest first, to say what overflows when one does.
WIDER_THAN_WINDOW = """
() => [...document.querySelectorAll("body *")]
  .filter((element) => element.getBoundingClientRect().right > window.innerWidth)
  .map((element) => `${element.tagName.toLowerCase()}#${element.id}.${element.className}`)
  .slice(0, 10)
"""


@pytest.fixture
def admin_page(page, site, django_user_model):
    django_user_model.objects.create_superuser("boss", password=PASSWORD)
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("boss")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Catalogue content")).to_be_visible()
    return page


def test_role_change_page_fits_a_1280_pixel_window(admin_page, site):
    page = admin_page
    role = Role.objects.get(slug="backend-developer")
    assert role.salary_bands.exists() and role.salary_figures.exists()
    page.goto(f"{site}/admin/roles/role/{role.pk}/change/")
    expect(page.locator("#salary_bands-group")).to_be_visible()

    assert_fits_the_window(page)
    # Each table's last field is in its box, not scrolled out of it.
    for group, last_field in [
        ("salary_bands", "year"),
        ("salary_figures", "note"),
        ("role_skills", "explanation"),
    ]:
        box = page.locator(f"#{group}-group").bounding_box()
        field = page.locator(f"#{group}-group [name='{group}-0-{last_field}']").bounding_box()
        assert field["x"] + field["width"] <= box["x"] + box["width"], group


def test_skill_change_page_fits_a_1280_pixel_window(admin_page, site):
    page = admin_page
    skill = Skill.objects.get(slug="python")
    assert skill.role_skills.exists()
    page.goto(f"{site}/admin/skills/skill/{skill.pk}/change/")
    expect(page.locator("#role_skills-group")).to_be_visible()
    assert_fits_the_window(page)


def assert_fits_the_window(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], page.evaluate(WIDER_THAN_WINDOW)
