"""A role page's pay: sources, cited sources and old figures, several sources per cell,
places, pay per month, and the Occupation JSON-LD's salaries."""

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from roles.models import Role, Source
from salaries.models import Location
from tests.factories import LocationFactory, SalaryBandFactory, SourceFactory
from tests.roles.test_views import DETAIL_QUERY_BUDGET

pytestmark = pytest.mark.django_db

BACKEND = reverse("roles:detail", kwargs={"slug": "backend-developer"})


def text_of(html: str) -> str:
    """The page's text without tags, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, anchor: str) -> str:
    start = html.index(f'<section id="{anchor}"')
    return html[start : html.index("</section>", start)]


def get(client, url=BACKEND, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def occupation(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return next(data for data in map(json.loads, blocks) if data["@type"] == "Occupation")


def test_the_seed_says_whose_figures_they_are_which_year_and_that_they_are_old(client, catalogue):
    html = get(client)
    facts = text_of(re.search(r'<dl class="facts">(.*?)</dl>', html, re.S).group(1))
    # The key facts' pay cites the bands' source: Tap Academy's own table.
    assert (
        "Pay ₹3,00,000 – ₹25,00,000+ per year ( Tap Academy, 2023 ; figures for 2023 , "
        "older than two years )" in facts
    )
    salary = text_of(section(html, "salary"))
    # The average and senior figures are Glassdoor's, known only through the post.
    assert (
        "Average: ₹6,40,000 per year in India ( Glassdoor, as cited by Tap Academy, 2023 ; "
        "figures for 2023 , older than two years )" in salary
    )
    # Two figures, four bands and the chart's description.
    assert salary.count("older than two years") == 2 + 4 + 1
    assert "Bangalore : Pays backend developers more" in salary
    assert "(Glassdoor, as cited by Tap Academy, 2023)" in salary
    sources = text_of(section(html, "sources"))
    assert "Glassdoor (2023), as cited by Tap Academy" in sources


def test_figures_two_years_old_or_less_are_not_flagged(client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    role.salary_bands.update(year=2025)
    role.salary_figures.update(year=2025)
    salary = text_of(section(get(client), "salary"))
    assert "figures for 2025" in salary and "older than two years" not in salary


def add_second_source(role, **fields):
    survey = SourceFactory(publisher="Pay Survey", year=2025)
    india = Location.objects.get(slug="india")
    return SalaryBandFactory(
        role=role,
        location=india,
        source=survey,
        experience_min_years=Decimal(0),
        experience_max_years=Decimal(2),
        minimum=350_000,
        maximum=900_000,
        year=2025,
        **fields,
    )


def test_a_cell_with_two_sources_shows_the_range_across_them_and_each_ones_figure(
    client, catalogue
):
    role = Role.objects.get(slug="backend-developer")
    add_second_source(role, percentile_25=450_000, median=550_000, percentile_75=700_000)
    html = get(client)
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\">(.*?)</tr>", section(html, "salary"), re.S)
    assert len(rows) == 4  # still one row per experience range
    first = text_of(rows[0])
    assert first.startswith(
        "0 to under 2 years ₹3,00,000 – ₹9,00,000 per year (₹3 – 9 LPA) across 2 sources "
    )
    # Each source's own figure, by publisher, with what it gives and how old it is.
    assert (
        "₹3,50,000 – ₹9,00,000 (₹3.5 – 9 LPA) : Pay Survey, 2025 ; figures for 2025 "
        "Median ₹5,50,000; 25th–75th percentile ₹4,50,000 – ₹7,00,000 "
        "₹3,00,000 – ₹8,00,000 (₹3 – 8 LPA) : Tap Academy, 2023 ; figures for 2023 , "
        "older than two years"
    ) in first
    # Nothing is invented for a source that gives none.
    assert text_of(rows[1]).count("edian") == 0
    # The JSON-LD keeps one entry per source, with what schema.org lets each give: a
    # distribution's median and percentiles (it has no ends), or else a range.
    salaries = occupation(html)["estimatedSalary"]
    assert len(salaries) == 5
    survey = next(s for s in salaries if "Pay Survey" in s["name"])
    assert survey == {
        "@type": "MonetaryAmountDistribution",
        "name": "0 to under 2 years of experience, in India (Pay Survey, 2025)",
        "currency": "INR",
        "duration": "P1Y",
        "percentile25": 450000,
        "median": 550000,
        "percentile75": 700000,
    }
    assert all("median" not in s for s in salaries if "Tap Academy" in s["name"])


def test_a_citys_bands_come_under_its_name_after_the_countrys(client, catalogue):
    role = Role.objects.get(slug="backend-developer")
    for slug in ["mumbai", "bangalore"]:
        SalaryBandFactory(role=role, location=Location.objects.get(slug=slug))
    SalaryBandFactory(role=role, location=None)
    salary = section(get(client), "salary")
    places = re.findall(r'<h3 class="pay-place">(.*?)</h3>', salary)
    assert places == ["Anywhere", "India", "Bangalore", "Mumbai"]
    captions = re.findall(r"<caption>(.*?)</caption>", salary)
    assert captions[1:] == [
        "Pay by years of experience in India",
        "Pay by years of experience in Bangalore",
        "Pay by years of experience in Mumbai",
    ]
    # The explorer lists them in the same order.
    explorer = get(client, reverse("salaries:explorer"), role="backend-developer")
    listed = re.findall(r'<td data-label="Location">(.*?)</td>', explorer)
    assert list(dict.fromkeys(listed)) == places
    names = [s["name"] for s in occupation(get(client))["estimatedSalary"]]
    assert names[0].endswith("anywhere (Test Publisher, 2024)")
    assert names[-1] == "0 to under 2 years of experience, in Mumbai (Test Publisher, 2024)"


def test_pay_per_month_is_chosen_in_the_address_and_kept_by_the_pages_links(client, catalogue):
    html = get(client, pay="month", experience="3")
    salary = section(html, "salary")
    text = text_of(salary)
    assert "Monthly pay is yearly pay divided by 12 and rounded to the nearest ₹100" in text
    assert "0 to under 2 years ₹25,000 – ₹66,700 per month" in text
    assert "Average: ₹53,300 per month in India" in text
    assert not re.search(r"₹[\d,]+\+? per year", text)
    assert "2 to under 5 years</strong> band (India): ₹41,700 – ₹1,25,000 per month." in salary
    assert "Pay (thousands of INR per month)" in salary
    facts = text_of(re.search(r'<dl class="facts">(.*?)</dl>', html, re.S).group(1))
    assert "Pay ₹25,000 – ₹2,08,300+ per month" in facts
    # The toggle, the band finder and the explorer link keep the choice (and the experience).
    assert 'href="?pay=month&amp;experience=3#salary" aria-current="true">per month' in salary
    assert 'href="?experience=3#salary">per year' in salary
    assert '<input type="hidden" name="pay" value="month">' in salary
    assert 'href="/salaries/?role=backend-developer&amp;pay=month"' in salary
    # The JSON-LD keeps each source's own figures, per year.
    assert occupation(html)["estimatedSalary"][0]["value"]["unitText"] == "YEAR"
    # The address is the only memory: the next page without it is per year again.
    assert "per year" in text_of(section(get(client), "salary"))
    assert '<link rel="canonical" href="http://testserver/roles/backend-developer/">' in html


@pytest.mark.parametrize("value", ["week", "MONTH", "", "month\x00"])
def test_an_unknown_pay_period_is_ignored_with_a_message(client, catalogue, value):
    html = get(client, pay=value)
    salary = text_of(section(html, "salary"))
    assert "₹3,00,000 – ₹8,00,000 per year" in salary
    if value:
        assert "We show pay per year or per month only. Showing it per year." in salary
    else:
        assert "We show pay" not in salary


def test_the_salary_section_keeps_its_query_budget_with_many_sources_and_places(
    client, catalogue, page_queries
):
    role = Role.objects.get(slug="backend-developer")
    cities = [
        LocationFactory(name=f"City {n}", parent=Location.objects.get(slug="india"))
        for n in range(4)
    ]
    for number in range(6):
        cited_in = SourceFactory(publisher=f"Blog {number}", year=2024)
        source = SourceFactory(publisher=f"Survey {number}", cited_in=cited_in)
        for city in cities:
            SalaryBandFactory(role=role, source=source, location=city, median=500_000)
    Source.objects.filter(slug="glassdoor-india-backend-developer-pay").update(
        cited_in=Source.objects.get(slug="tap-academy-backend-developer-2023")
    )
    cache.clear()
    assert page_queries(BACKEND) == DETAIL_QUERY_BUDGET
    cache.clear()
    assert page_queries(f"{BACKEND}?pay=month&experience=1") == DETAIL_QUERY_BUDGET
