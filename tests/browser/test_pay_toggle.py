import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_switch_a_role_page_to_pay_per_month_and_keep_it_across_links(page, site):
    page.goto(f"{site}/roles/backend-developer/")
    salary = page.locator("#salary")
    expect(salary.locator("table.bands tbody tr").first).to_contain_text(
        "₹3,00,000 – ₹8,00,000 per year"
    )

    salary.get_by_role("link", name="per month").click()
    expect(page).to_have_url(re.compile(r"\?pay=month#salary$"))
    expect(salary.get_by_role("link", name="per month")).to_have_attribute("aria-current", "true")
    expect(salary.locator("table.bands tbody tr").first).to_contain_text(
        "₹25,000 – ₹66,700 per month"
    )
    expect(salary).to_contain_text("Monthly pay is yearly pay divided by 12")
    expect(page.locator(".facts")).to_contain_text("₹25,000 – ₹2,08,300+ per month")

    # The band finder keeps the choice...
    page.get_by_label("Your years of experience").fill("3")
    page.get_by_role("button", name="Find my band").click()
    expect(page).to_have_url(re.compile(r"experience=3.*pay=month|pay=month.*experience=3"))
    expect(page.locator(".match")).to_contain_text("₹41,700 – ₹1,25,000 per month")

    # ...and so does the link to the explorer, and the explorer's link back.
    page.get_by_role("link", name="Compare Backend Developer pay in the salary explorer").click()
    expect(page).to_have_url(re.compile(r"/salaries/\?role=backend-developer&pay=month$"))
    expect(page.locator("table.salary-bands tbody tr").nth(1)).to_contain_text(
        "₹25,000 – ₹66,700 per month"
    )
    page.get_by_role("link", name="Read the full Backend Developer job description").click()
    expect(page).to_have_url(re.compile(r"/roles/backend-developer/\?pay=month$"))
    expect(page.locator("#salary table.bands tbody tr").first).to_contain_text("per month")

    # Back to per year: the address no longer carries the choice.
    page.locator("#salary").get_by_role("link", name="per year").click()
    expect(page).not_to_have_url(re.compile("pay="))
    expect(page.locator("#salary table.bands tbody tr").first).to_contain_text(
        "₹3,00,000 – ₹8,00,000 per year"
    )
