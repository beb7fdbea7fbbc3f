"""schema.org ``Occupation`` data for a role page, embedded as JSON-LD."""

from salaries.formatting import experience_span
from salaries.models import PayPeriod

DURATIONS = {PayPeriod.YEAR: "P1Y", PayPeriod.MONTH: "P1M"}


def occupation(role, *, url: str) -> dict:
    """Describe ``role`` (read by catalogue.selectors.roles_for_detail_page()) as a schema.org
    Occupation."""
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": role.title,
        "description": role.summary,
        "url": url,
        "responsibilities": [item.text for item in role.responsibilities.all()],
        "skills": [item.skill.name for item in [*role.technical_skills, *role.soft_skills]],
        "qualifications": role.qualifications,
        "educationRequirements": role.education,
        "experienceRequirements": experience_span(role),
        "occupationalCategory": [
            {"@type": "CategoryCode", "codeValue": code, "inCodeSet": code_set}
            for code, code_set in [(role.isco_08, "ISCO-08"), (role.onet_soc, "O*NET-SOC")]
            if code
        ],
        "estimatedSalary": [_salary_distribution(band) for band in role.salary_bands.all()],
        "occupationLocation": [
            {"@type": "Country" if location.parent_id is None else "City", "name": location.name}
            for location in _band_locations(role)
        ],
    }
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def _salary_distribution(band) -> dict:
    distribution = {
        "@type": "MonetaryAmountDistribution",
        "name": f"{band.experience_label} of experience",
        "currency": band.currency,
        "duration": DURATIONS[band.period],
        "minValue": band.minimum,
    }
    if band.maximum is not None:
        distribution["maxValue"] = band.maximum
    return distribution


def _band_locations(role):
    seen = {}
    for band in role.salary_bands.all():
        if band.location is not None:
            seen.setdefault(band.location.pk, band.location)
    return list(seen.values())
