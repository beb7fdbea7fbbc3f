import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


def test_open_a_role_from_the_list(page, site):
    page.goto(f"{site}/roles/")
    page.get_by_role("link", name="Backend Developer", exact=True).click()
    expect(page).to_have_url(f"{site}/roles/backend-developer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Backend Developer")
    # FAQs expand on click.
    question = page.locator("summary").first
    answer = page.locator("details").first.locator("p").first
    expect(answer).to_be_hidden()
    question.click()
    expect(answer).to_be_visible()


def test_filter_roles_by_a_skill(page, site):
    page.goto(f"{site}/roles/")
    page.get_by_label("Add a skill").fill("Python")
    page.get_by_role("button", name="Show roles").click()
    expect(page).to_have_url(re.compile(r"[?&]skill=python", re.IGNORECASE))
    expect(page.get_by_role("checkbox", name="Python")).to_be_checked()
    expect(page.get_by_role("heading", name="1 role")).to_be_visible()
    expect(page.get_by_role("link", name="Backend Developer", exact=True)).to_be_visible()


def test_role_page_marks_the_band_for_my_experience(page, site):
    page.goto(f"{site}/roles/backend-developer/")
    page.get_by_label("Your years of experience").fill("3")
    page.get_by_role("button", name="Find my band").click()
    expect(page.locator("tr.is-match th")).to_contain_text("2 to under 5 years")


def test_salary_explorer_marks_my_band_and_downloads_the_csv(page, site):
    page.goto(f"{site}/salaries/")
    # A text box with suggestions: a person types (or picks) the title.
    page.get_by_label("Role", exact=True).fill("Backend Developer")
    page.get_by_label("Years of experience").fill("3")
    page.get_by_role("button", name="Show salaries").click()
    expect(page).to_have_url(re.compile(r"role=Backend\+Developer.*experience=3"))
    marked = page.locator("tr.is-match")
    expect(marked).to_have_count(1)
    expect(marked.locator("th")).to_contain_text("2 to under 5 years")
    expect(page.locator(".match-summary")).to_contain_text("₹5,00,000 – ₹15,00,000")
    expect(page.get_by_role("img", name=re.compile("pay by years of experience"))).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert rows[0].lower().startswith("role,")
    assert len(rows) == 1 + 4  # the header and the role's four bands, as the table shows
    assert sum("yes" in row.split(",")[-1] for row in rows[1:]) == 1


def test_copy_as_plain_text_puts_the_description_on_the_clipboard(browser, site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site}/roles/backend-developer/")
    page.get_by_role("button", name="Copy as plain text").click()
    expect(page.locator(".copy-status")).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    # Plain text, as a form that takes no Markdown wants it.
    assert copied.startswith("Backend Developer\n")
    assert "## " not in copied and "**" not in copied and "• " in copied
    context.close()


MAIN_PAGES = {
    "home": "/",
    "roles": "/roles/",
    "role": "/roles/backend-developer/?experience=3",
    "skills": "/skills/",
    "skill": "/skills/python/",
    "salaries": "/salaries/?role=backend-developer&experience=3",
}


@pytest.mark.parametrize("name", MAIN_PAGES)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_main_pages_fit_the_screen_and_are_saved_as_screenshots(
    browser, site, screenshots_dir, name, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    response = page.goto(f"{site}{MAIN_PAGES[name]}")
    assert response.status == 200
    # Nothing overflows sideways: a phone reader never scrolls horizontally.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px too wide at {viewport['width']}px"
    page.screenshot(path=screenshots_dir / f"{name}-{viewport['width']}.png", full_page=True)
    context.close()
