"""Admin pages fit the window: an editor never scrolls sideways to reach a salary band's
fields on a role's page (it was 2,339 px wide at 1,280), and the role page opens with its
sections folded (it was 12,900 px tall with every inline open)."""

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
    open_every_section(page)
    expect(page.locator("#salary_bands-group [name='salary_bands-0-year']")).to_be_visible()

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


def test_role_change_page_opens_short_with_each_kind_of_row_folded(admin_page, site):
    page = admin_page
    role = Role.objects.get(slug="backend-developer")
    page.goto(f"{site}/admin/roles/role/{role.pk}/change/")

    folded = page.locator("#role_form details:not([open]) > summary")
    # Responsibilities, skills, FAQs, roles it works with, bands, figures, cities; the codes
    # and the sources.
    assert folded.count() == 9
    expect(page.locator("[name='salary_bands-0-year']")).to_be_hidden()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, height

    page.get_by_role("heading", name="Salary bands").click()  # a heading opens its section
    expect(page.locator("[name='salary_bands-0-year']")).to_be_visible()


def test_a_long_text_shows_whole_in_its_box(admin_page, site):
    page = admin_page
    role = Role.objects.get(slug="backend-developer")
    page.goto(f"{site}/admin/roles/role/{role.pk}/change/")
    overview = page.locator("textarea[name='overview']")
    # Twenty lines: twice what Django's ten rows show without scrolling inside the box.
    overview.fill("\n".join(f"Paragraph {n} of the overview." for n in range(20)))
    scrolled, shown = overview.evaluate("(box) => [box.scrollHeight, box.clientHeight]")
    assert scrolled <= shown, (scrolled, shown)


def test_skill_change_page_fits_a_1280_pixel_window(admin_page, site):
    page = admin_page
    skill = Skill.objects.get(slug="python")
    assert skill.role_skills.exists()
    page.goto(f"{site}/admin/skills/skill/{skill.pk}/change/")
    expect(page.locator("#role_skills-group")).to_be_visible()
    assert_fits_the_window(page)


def open_every_section(page):
    summaries = page.locator("#role_form details:not([open]) > summary")
    while summaries.count():
        summaries.first.click()


def assert_fits_the_window(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], page.evaluate(WIDER_THAN_WINDOW)
