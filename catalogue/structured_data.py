"""schema.org ``JobPosting`` JSON-LD for a posting written on the posting page.

Beside catalogue.postings rather than in roles/structured_data.py (the role page's
Occupation): a posting is built from a role's skills and a salary band and place, so it
spans the three content apps, and what spans them lives here.

Google's job-posting guidelines require title, description (HTML allowed), datePosted,
hiringOrganization and jobLocation; of the recommended properties we fill validThrough,
baseSalary, employmentType and directApply, and schema.org's experienceRequirements,
skills, responsibilities, qualifications and occupationalCategory. The block is given to
the recruiter to paste into their own posting's page; ours is a writing tool, not a job
opening, so it carries no live JobPosting markup."""

import json

from salaries.models import PayPeriod

from .postings import Posting, months_of

UNIT_TEXT = {PayPeriod.YEAR: "YEAR", PayPeriod.MONTH: "MONTH"}


def job_posting(posting: Posting, *, description_html: str) -> dict:
    """``posting`` as a schema.org JobPosting; ``description_html`` is its HTML rendering."""
    role = posting.role
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": posting.title,
        "description": description_html,
        "datePosted": posting.date_posted.isoformat(),
        "validThrough": posting.closes_on.isoformat(),
        "employmentType": posting.options.employment_type,
        "hiringOrganization": _organization(posting),
        "jobLocation": _place(posting),
        "baseSalary": _base_salary(posting),
        "experienceRequirements": _experience(posting),
        "skills": posting.skill_names,
        "responsibilities": posting.responsibilities,
        "qualifications": role.qualifications,
        "educationRequirements": role.education,
        "occupationalCategory": _isco_category(role),
        # The recruiter's page decides how people apply; nothing says it is on that page.
        "directApply": False,
    }
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def as_script(data: dict) -> str:
    """``data`` as a JSON-LD <script> element to paste into a page, indented to be read."""
    payload = json.dumps(data, ensure_ascii=False, indent=2)
    # Nothing in it may close the <script> element or open a comment in the recruiter's page;
    # "<\/" is JSON's own way to write "</", so the description's HTML stays readable.
    payload = payload.replace("</", "<\\/").replace("<!--", "\\u003C!--")
    return f'<script type="application/ld+json">\n{payload}\n</script>'


def _organization(posting: Posting) -> dict:
    organization = {"@type": "Organization", "name": posting.company}
    if url := posting.options.company_url:
        organization.update(sameAs=url, url=url)
    return organization


def _place(posting: Posting) -> dict | None:
    location = posting.options.location
    if location is None:
        return None
    address = {"@type": "PostalAddress", "addressCountry": location.country_code}
    if location.parent is not None:  # a city; a country has no locality
        address["addressLocality"] = location.name
    return {"@type": "Place", "address": address}


def _base_salary(posting: Posting) -> dict | None:
    band = posting.band
    if band is None:
        return None
    value = {"@type": "QuantitativeValue", "minValue": band.minimum}
    if band.maximum is not None:  # an open top band ("₹25,00,000+") has none
        value["maxValue"] = band.maximum
    value["unitText"] = UNIT_TEXT[band.period]
    return {"@type": "MonetaryAmount", "currency": band.currency, "value": value}


def _experience(posting: Posting) -> dict | None:
    band = posting.band
    if band is None:
        return None
    return {
        "@type": "OccupationalExperienceRequirements",
        "monthsOfExperience": months_of(band.experience_min_years),
    }


def _isco_category(role) -> dict | None:
    if not role.isco_08:
        return None
    # inCodeSet takes a code set or its URL, not a bare name.
    code_set = {"@type": "CategoryCodeSet", "name": "ISCO-08"}
    category = {"@type": "CategoryCode", "codeValue": role.isco_08, "inCodeSet": code_set}
    if role.family.code == role.isco_08:
        category["name"] = role.family.name
    return category
