"""schema.org ``Occupation`` data for a role page, embedded as JSON-LD."""

from salaries.formatting import experience_span
from salaries.models import PayPeriod

DURATIONS = {PayPeriod.YEAR: "P1Y", PayPeriod.MONTH: "P1M"}
UNIT_TEXTS = {PayPeriod.YEAR: "YEAR", PayPeriod.MONTH: "MONTH"}


def occupation(role, *, url: str) -> dict:
    """Describe ``role`` (read by catalogue.selectors.roles_for_detail_page()) as a schema.org
    Occupation."""
    data = {
        "@context": "https://schema.org",
        "@type": "Occupation",
        "name": role.title,
        "alternateName": role.also_called,
        "description": role.summary,
        "url": url,
        # The ESCO concept the role stands for: its URI identifies the occupation on the web.
        "sameAs": role.esco_uri,
        "identifier": role.esco_uri,
        "responsibilities": [item.text for item in role.responsibilities.all()],
        "skills": [item.skill.name for item in [*role.technical_skills, *role.soft_skills]],
        "qualifications": role.qualifications,
        "educationRequirements": role.education,
        "experienceRequirements": experience_span(role),
        "occupationalCategory": _categories(role),
        "estimatedSalary": [_salary_distribution(band) for band in role.salary_bands.all()],
        "occupationLocation": [
            {"@type": "Country" if location.parent_id is None else "City", "name": location.name}
            for location in _band_locations(role)
        ],
    }
    return {key: value for key, value in data.items() if value not in ("", [], None)}


def _categories(role) -> list[dict]:
    """The role's codes in ISCO-08 and O*NET-SOC, as schema.org CategoryCodes; the ISCO-08
    one named after the unit group when the role's family is that group."""
    categories = []
    for code, code_set in [(role.isco_08, "ISCO-08"), (role.onet_soc, "O*NET-SOC")]:
        if not code:
            continue
        category = {
            "@type": "CategoryCode",
            "codeValue": code,
            # inCodeSet takes a code set or its URL, not a bare name.
            "inCodeSet": {"@type": "CategoryCodeSet", "name": code_set},
        }
        if code_set == "ISCO-08" and role.family.code == code:
            category["name"] = role.family.name
        categories.append(category)
    return categories


# schema.org's QuantitativeValueDistribution properties, by the band field that fills them.
DISTRIBUTION_STATISTICS = {
    "percentile25": "percentile_25",
    "median": "median",
    "percentile75": "percentile_75",
}


def _salary_distribution(band) -> dict:
    """One source's band, as that source gives it. schema.org gives a distribution no place
    of its own (Occupation's occupationLocation lists the places for all of them), so its
    name says where, and whose figures they are."""
    place = f"in {band.location.name}" if band.location else "anywhere"
    name = f"{band.experience_label} of experience, {place} ({band.source.citation})"
    statistics = {
        key: value
        for key, field in DISTRIBUTION_STATISTICS.items()
        if (value := getattr(band, field)) is not None
    }
    if statistics:
        return {
            "@type": "MonetaryAmountDistribution",
            "name": name,
            "currency": band.currency,
            "duration": DURATIONS[band.period],
            **statistics,
        }
    # schema.org's distributions have a median and percentiles but no ends (minValue and
    # maxValue are not theirs): a bare range is a MonetaryAmount, as a JobPosting's pay is.
    value = {"@type": "QuantitativeValue", "minValue": band.minimum}
    if band.maximum is not None:
        value["maxValue"] = band.maximum
    value["unitText"] = UNIT_TEXTS[band.period]
    return {"@type": "MonetaryAmount", "name": name, "currency": band.currency, "value": value}


def _band_locations(role):
    seen = {}
    for band in role.salary_bands.all():
        if band.location is not None:
            seen.setdefault(band.location.pk, band.location)
    return list(seen.values())


def faq_page(role) -> dict | None:
    """The role's FAQs as a schema.org FAQPage, or None when it has none."""
    questions = [
        {
            "@type": "Question",
            "name": faq.question,
            "acceptedAnswer": {"@type": "Answer", "text": faq.answer},
        }
        for faq in role.faqs.all()
    ]
    if not questions:
        return None
    return {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions}


def breadcrumb_list(trail: list[tuple[str, str]]) -> dict:
    """A page's breadcrumbs, (name, absolute URL) from Home down to the page itself, as a
    schema.org BreadcrumbList."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }
