"""The job posting builder, /roles/<slug>/posting/: a recruiter's choices in a GET form, the
posting as plain text, Markdown and HTML, and its schema.org JobPosting JSON-LD."""

import html
import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from roles.models import Role
from salaries.models import SalaryBand
from skills.models import SkillKind
from tests.factories import (
    RoleFactory,
    RoleFamilyFactory,
    RoleSkillFactory,
    SalaryBandFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db

POSTING = reverse("roles:posting", kwargs={"slug": "backend-developer"})
# The role with its family; its responsibilities, technical and soft skills
# and salary bands; the catalogue's places. Whatever the number of skills (ESCO: 340).
POSTING_QUERY_BUDGET = 6
# What Markdown reads as marks: headings, bullets, emphasis, tables, code, links, rules.
MARKDOWN_MARKS = [
    re.compile(r"^\s*#", re.M),
    re.compile(r"^\s*[-*+] ", re.M),
    re.compile(r"^\s*\d+[.)] ", re.M),
    re.compile(r"^\s*>", re.M),
    re.compile(r"^\s*(-{3,}|={3,})\s*$", re.M),
    re.compile(r"\*|__|`|\|"),
    re.compile(r"\]\("),
]


def today():
    return timezone.localdate()


def posting_page(client, url=POSTING, **params):
    params.setdefault("date_posted", today().isoformat())
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def box(page, name):
    """The text of one of the page's copy boxes: text, markdown, html, json-ld."""
    found = re.search(rf'<textarea id="posting-{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return html.unescape(found[1]) if found else None


def job_posting(page):
    script = box(page, "json-ld")
    payload = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    return json.loads(payload)


def errors(page):
    alert = re.search(r'<div role="alert" class="form-errors">(.*?)</div>', page, re.S)
    return re.findall(r"<li><a [^>]+>([^<]+)</a></li>", alert[1]) if alert else []


def band_pk(years_from):
    return SalaryBand.objects.get(
        role__slug="backend-developer", experience_min_years=years_from
    ).pk


# What a bare address gives ----------------------------------------------------------------


def test_a_bare_address_is_sent_on_with_todays_date_which_is_never_cached(client, catalogue):
    response = client.get(POSTING + "?company_name=Acme")
    assert response.status_code == 302
    assert response["Location"] == f"{POSTING}?company_name=Acme&date_posted={today()}"
    assert "no-store" in response["Cache-Control"]


def test_the_defaults_are_the_first_band_its_place_no_optional_skills_and_a_placeholder(
    client, catalogue
):
    page = client.get(POSTING, follow=True).content.decode()
    text = box(page, "text")
    assert text.startswith("Backend Developer\n[Your company] · Full-time · India\n")
    assert "₹3,00,000 – ₹8,00,000 per year (₹3 – 8 LPA)" in text
    assert "Backend programming" in text and "Communication" in text  # required skills
    assert "Good to have" not in text and "Java\n" not in text
    closes = today() + timedelta(days=30)
    assert f"Apply by {closes.day} {closes:%B %Y}." in text
    assert f'<option value="{band_pk(0)}" selected>' in page
    assert '<option value="india" selected>India</option>' in page


def test_the_role_page_links_to_its_posting(client, catalogue):
    page = client.get(reverse("roles:detail", kwargs={"slug": "backend-developer"}))
    assert f'href="{POSTING}">Write a job posting</a>' in page.content.decode()


# Choices change the posting ---------------------------------------------------------------


def test_the_chosen_band_place_skills_company_and_type_are_in_every_format(client, catalogue):
    page = posting_page(
        client,
        band=band_pk(2),
        location="bangalore",
        skills=["java", "csharp"],
        company_name="Acme Technologies",
        employment_type="CONTRACTOR",
    )
    text, markdown, source = box(page, "text"), box(page, "markdown"), box(page, "html")
    for rendering in (text, markdown, source):
        assert "Acme Technologies" in rendering
        assert "Bangalore, India" in rendering
        assert "Contract" in rendering
        assert "₹5,00,000 – ₹15,00,000 per year (₹5 – 15 LPA)" in rendering
        assert "2 to under 5 years" in rendering
        assert "Java" in rendering and "C#" in rendering
        assert "Ruby" not in rendering  # a preferred skill left unticked
    assert "  • Java\n  • C#\n" in text
    assert "- Java\n- C#\n" in markdown
    assert "<li>Java</li>\n<li>C#</li>" in source
    assert '<input type="checkbox" name="skills" value="java" id="id_skills_0" checked>' in page


def test_plain_text_has_no_markdown_marks(client, catalogue):
    page = posting_page(client, skills=["csharp", "nodejs"], company_name="Acme Technologies")
    text = box(page, "text")
    for mark in MARKDOWN_MARKS:
        assert not mark.search(text), mark.pattern
    assert "  • C#" in text  # a "#" inside a skill's name is not a heading


def test_markdown_and_html_have_the_sections(client, catalogue):
    page = posting_page(client, skills=["python"])
    markdown, source = box(page, "markdown"), box(page, "html")
    assert markdown.startswith("# Backend Developer\n")
    for heading in [
        "What you will do",
        "What you need",
        "Good to have",
        "Qualifications",
        "Pay and experience",
    ]:
        assert f"\n## {heading}\n" in markdown
        assert f"<h3>{heading}</h3>" in source
    assert "- **Backend programming**: Proficiency in at least one" in markdown
    assert "<li><strong>Backend programming</strong>: Proficiency" in source
    # The preview is the same HTML as the box holds.
    assert source in page


def test_markdown_escapes_what_the_recruiter_types(client, catalogue):
    page = posting_page(client, company_name="*Acme* <b>_Labs_</b>")
    assert "**\\*Acme\\* \\<b\\>\\_Labs\\_\\</b\\>**" in box(page, "markdown")
    assert "<b>" not in page.replace(html.escape("<b>"), "")  # nothing comes back as markup


def test_an_open_topped_band_reads_as_such(client, catalogue):
    page = posting_page(client, band=band_pk(10))
    assert "₹25,00,000+ per year (₹25+ LPA)" in box(page, "text")
    salary = job_posting(page)["baseSalary"]["value"]
    assert salary == {"@type": "QuantitativeValue", "minValue": 2500000, "unitText": "YEAR"}


# The JobPosting JSON-LD ---------------------------------------------------------------------


def test_the_job_posting_has_what_google_requires_and_recommends(client, catalogue):
    page = posting_page(
        client,
        date_posted="2026-03-02",
        valid_through="2026-04-15",
        band=band_pk(5),
        location="mumbai",
        skills=["sql"],
        company_name="Acme Technologies",
        company_url="acme.example",
        employment_type="PART_TIME",
    )
    data = job_posting(page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "JobPosting"
    assert data["title"] == "Backend Developer"
    assert data["description"].startswith("<h2>Backend Developer</h2>")
    assert data["datePosted"] == "2026-03-02" and data["validThrough"] == "2026-04-15"
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Acme Technologies",
        "sameAs": "https://acme.example",
        "url": "https://acme.example",
    }
    assert data["jobLocation"] == {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressCountry": "IN", "addressLocality": "Mumbai"},
    }
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "INR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 1000000,
            "maxValue": 2500000,
            "unitText": "YEAR",
        },
    }
    assert data["employmentType"] == "PART_TIME"
    assert data["experienceRequirements"] == {
        "@type": "OccupationalExperienceRequirements",
        "monthsOfExperience": 60,
    }
    assert data["skills"][0] == "Backend programming" and data["skills"][-1] == "SQL"
    assert data["occupationalCategory"]["codeValue"] == "2512"
    assert data["directApply"] is False


def test_the_json_ld_cannot_close_the_recruiters_script(client, catalogue):
    page = posting_page(client, company_name="</script><script>alert(1)</script>")
    script = box(page, "json-ld")
    assert script.count("</script>") == 1 and script.endswith("</script>")
    assert job_posting(page)["hiringOrganization"]["name"].startswith("</script>")


def test_the_page_carries_no_live_job_posting_markup(client, catalogue):
    page = posting_page(client)
    assert "application/ld+json" not in page.replace(html.escape('"application/ld+json"'), "")
    assert '<meta name="robots" content="noindex">' in page


# Bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"band": "999999"}, "Experience band: Choose one of this role’s experience bands."),
        ({"band": "two"}, "Experience band: Choose one of this role’s experience bands."),
        ({"location": "atlantis"}, "Location: Choose a place from the list."),
        ({"skills": "communication"}, "Preferred skills to include: Tick only this role’s"),
        ({"date_posted": "2026-13-45"}, "Date posted: Enter a date as year-month-day"),
        ({"date_posted": "9999-12-31"}, "Date posted: Choose a date within a year of today."),
        ({"valid_through": "1999-01-01"}, "Apply by: Apply by a date on or after the date posted."),
        ({"company_name": "A" * 101}, "Company name: Ensure this value has at most 100"),
        ({"company_name": "Acme\x00"}, "Company name: Null characters are not allowed."),
        ({"company_url": "javascript:alert(1)"}, "Company website: Enter a valid URL."),
        ({"employment_type": "SLAVERY"}, "Employment type: Choose an employment type"),
    ],
)
def test_bad_choices_are_form_errors_and_no_posting(client, catalogue, params, message):
    page = posting_page(client, **params)
    assert any(error.startswith(html.escape(message)) for error in errors(page)), errors(page)
    assert box(page, "text") is None
    assert "Correct the choices above to see the posting." in page


def test_a_bad_date_is_not_echoed_into_the_date_picker(client, catalogue):
    page = posting_page(client, date_posted="2026-13-45")
    assert '<input type="date" name="date_posted" required' in page
    assert "2026-13-45" not in page


# Who sees what ------------------------------------------------------------------------------


def test_a_draft_has_no_posting_for_visitors_but_editors_preview_it(client, editor, catalogue):
    draft = RoleFactory(status=Role.Status.DRAFT, title="Secret Role")
    url = reverse("roles:posting", kwargs={"slug": draft.slug})
    assert client.get(url).status_code == 404
    assert client.get(url, {"date_posted": today().isoformat()}).status_code == 404
    client.force_login(editor)
    page = client.get(url, follow=True).content.decode()
    assert "Draft: only editors can see this page." in page
    assert box(page, "text").startswith("Secret Role\n")


def test_a_role_without_pay_gives_a_posting_without_pay(client, catalogue):
    role = RoleFactory(title="Unpaid Role")
    page = posting_page(client, reverse("roles:posting", kwargs={"slug": role.slug}))
    assert "We have no pay figures for this role yet" in page
    assert "Pay and experience" not in box(page, "text")
    assert "baseSalary" not in job_posting(page)


# Query budget -------------------------------------------------------------------------------


def test_the_posting_page_runs_a_fixed_number_of_queries(page_queries, catalogue):
    url = f"{POSTING}?date_posted={today()}&skills=java&skills=sql"
    assert page_queries(url) == POSTING_QUERY_BUDGET


def test_an_occupation_with_340_skills_costs_what_one_with_3_costs(client, page_queries, db):
    """ESCO's shapes: a role in an ISCO-08 unit group with 340 skills, a third essential."""
    unit = RoleFamilyFactory(slug="software-2512", name="Software developers", code="2512")
    role = RoleFactory(
        family=unit,
        title="web developer",
        isco_08="2512",
        esco_uri="http://data.europa.eu/esco/occupation/test-web-developer",
        esco_version="1.1.1",
    )
    kinds = [SkillKind.KNOWLEDGE, SkillKind.COMPETENCE, SkillKind.TRANSVERSAL]
    for kind in kinds:
        RoleSkillFactory(role=role, skill=SkillFactory(kind=kind), importance="preferred")
    SalaryBandFactory(role=role)
    url = f"{reverse('roles:posting', kwargs={'slug': role.slug})}?date_posted={today()}"
    few = page_queries(url)
    for index in range(337):
        importance = "required" if index % 3 == 0 else "preferred"
        RoleSkillFactory(
            role=role, skill=SkillFactory(kind=kinds[index % 3]), importance=importance
        )
    many = page_queries(url)
    assert few == many == POSTING_QUERY_BUDGET
    page = posting_page(client, url.split("?")[0])
    assert page.count('type="checkbox" name="skills"') == 3 + 337 - 113
    assert box(page, "text").startswith("Web developer\n")
    assert "This service uses the ESCO classification" in box(page, "text")
