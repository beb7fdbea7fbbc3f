"""The job posting builder in Chromium: from the role page to a posting copied as plain
text, with the choices made in the GET form."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MARKDOWN_MARKS = re.compile(r"^\s*(#|[-*+] |\d+[.)] |>)|\*|__|`|\||\]\(", re.M)


def test_write_a_posting_from_the_role_page_and_copy_it_as_plain_text(browser, site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{site}/roles/backend-developer/")
    page.get_by_role("link", name="Write a job posting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Write a Backend Developer job posting"
    )

    page.get_by_label("Experience band").select_option(
        label="2 to under 5 years, India: ₹5,00,000 – ₹15,00,000 per year"
    )
    page.get_by_label("Location").select_option("bangalore")
    page.get_by_label("Java", exact=True).check()
    page.get_by_label("SQL", exact=True).check()
    page.get_by_label("Company name").fill("Acme Technologies")
    page.get_by_role("button", name="Write the posting").click()

    # The choices are in the address, and the form shows them again.
    assert "company_name=Acme+Technologies" in page.url and "skills=sql" in page.url
    expect(page.get_by_label("Company name")).to_have_value("Acme Technologies")

    page.get_by_role("button", name="Copy plain text").click()
    status = page.locator("#plain-text .copy-status")
    expect(status).to_have_text("Copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Backend Developer\nAcme Technologies · Full-time · Bangalore, India")
    assert "₹5,00,000 – ₹15,00,000 per year" in copied
    assert "  • Java\n  • SQL\n" in copied
    assert not MARKDOWN_MARKS.search(copied), MARKDOWN_MARKS.search(copied)

    page.get_by_role("button", name="Copy Markdown").click()
    expect(page.locator("#markdown .copy-status")).to_have_text("Copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()").startswith("# Backend Developer\n")
    context.close()


def test_without_javascript_the_copy_buttons_stay_hidden_and_the_text_is_there(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/roles/backend-developer/posting/?company_name=Acme")
    expect(page.get_by_role("button", name="Copy plain text")).to_be_hidden()
    expect(page.locator("#posting-text")).to_contain_text("Acme · Full-time · India")
    context.close()
