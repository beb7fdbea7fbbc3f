"""A job posting written from the catalogue: a role's summary, responsibilities, skills,
qualifications and a salary band's pay, with the recruiter's choices (the band, the place,
the optional skills, their company), ready to paste as plain text, Markdown or HTML.

The posting spans roles, skills and salaries, so it lives here, above the three apps. The
words are the catalogue's; only the company's name and website are the recruiter's."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.template.loader import render_to_string
from django.utils.text import capfirst

from roles.models import Role
from salaries.formatting import lakhs_range, pay_range, reads_in_lakhs
from salaries.models import Location, SalaryBand
from skills.models import RoleSkill, SkillImportance, skill_sections

from .esco import ATTRIBUTION

# What a posting says until the recruiter types their company's name: a prompt to fill in.
COMPANY_PLACEHOLDER = "[Your company]"
# How long a posting stays open unless the recruiter says otherwise.
DAYS_OPEN = 30


class EmploymentType(models.TextChoices):
    """The employment types Google's job-posting guidelines name (JobPosting.employmentType)."""

    FULL_TIME = "FULL_TIME", "Full-time"
    PART_TIME = "PART_TIME", "Part-time"
    CONTRACTOR = "CONTRACTOR", "Contract"
    TEMPORARY = "TEMPORARY", "Temporary"
    INTERN = "INTERN", "Internship"


def roles_for_posting() -> models.QuerySet[Role]:
    """Roles with what a posting is written from: family, responsibilities, skills (split
    into ``technical_skills`` and ``soft_skills`` as on the role page, each with its skill)
    and salary bands with their place and source. Five queries, however many skills (ESCO
    gives some occupations 340): the roles, then one per prefetch."""
    role_skills = RoleSkill.objects.select_related("skill").defer("skill__search_vector")
    bands = SalaryBand.objects.select_related("location__parent", "source")
    return (
        Role.objects.select_related("family")
        .defer("search_vector")
        .prefetch_related(
            "responsibilities",
            models.Prefetch("role_skills", role_skills.technical(), "technical_skills"),
            models.Prefetch("role_skills", role_skills.soft(), "soft_skills"),
            models.Prefetch("salary_bands", bands),
        )
    )


def place_name(location: Location) -> str:
    """A place as a posting names it: "Bangalore, India", "India"."""
    if location.parent is not None:
        return f"{location.name}, {location.parent.name}"
    return location.name


def months_of(years: Decimal) -> int:
    return int((years * 12).to_integral_value())


@dataclass(frozen=True)
class PostingOptions:
    """What the recruiter chose (catalogue.forms.PostingForm)."""

    date_posted: date
    band: SalaryBand | None = None
    location: Location | None = None
    # The role's preferred skills to mention; its required skills always are.
    preferred_skills: tuple[RoleSkill, ...] = ()
    company_name: str = ""
    company_url: str = ""
    employment_type: str = EmploymentType.FULL_TIME
    valid_through: date | None = None

    @property
    def closes_on(self) -> date:
        return self.valid_through or self.date_posted + timedelta(days=DAYS_OPEN)


@dataclass(frozen=True)
class Posting:
    """A posting for ``role`` (read by roles_for_posting()) with ``options``: its parts, as
    the three renderings and the JobPosting JSON-LD (catalogue.structured_data) share them."""

    role: Role
    options: PostingOptions

    @property
    def title(self) -> str:
        return capfirst(self.role.title)  # ESCO's titles are lower case: "software developer"

    @property
    def company(self) -> str:
        return self.options.company_name or COMPANY_PLACEHOLDER

    @property
    def employment_type(self) -> str:
        return EmploymentType(self.options.employment_type).label

    @property
    def place(self) -> str:
        return place_name(self.options.location) if self.options.location else ""

    @property
    def intro(self) -> str:
        where = f" in {self.place}" if self.place else ""
        return (
            f"{self.company} is hiring for the role of {self.title} "
            f"({self.employment_type.lower()}){where}."
        )

    @property
    def summary(self) -> str:
        return self.role.summary

    @property
    def responsibilities(self) -> list[str]:
        return [item.text for item in self.role.responsibilities.all()]

    def _role_skills(self) -> list[RoleSkill]:
        """The role's skills in its page's order: by kind, required first."""
        role = self.role
        sections = skill_sections([*role.technical_skills, *role.soft_skills])
        return [role_skill for section in sections for role_skill in section.role_skills]

    @property
    def required_skills(self) -> list[RoleSkill]:
        return [
            role_skill
            for role_skill in self._role_skills()
            if role_skill.importance == SkillImportance.REQUIRED
        ]

    @property
    def preferred_skills(self) -> list[RoleSkill]:
        chosen = {role_skill.pk for role_skill in self.options.preferred_skills}
        return [role_skill for role_skill in self._role_skills() if role_skill.pk in chosen]

    @property
    def skill_names(self) -> list[str]:
        return [item.skill.name for item in [*self.required_skills, *self.preferred_skills]]

    @property
    def qualifications(self) -> list[str]:
        """The role's qualifications and education, a paragraph an item."""
        text = "\n\n".join(part for part in [self.role.qualifications, self.role.education] if part)
        paragraphs = re.split(r"\n\s*\n", text)
        return [" ".join(paragraph.split()) for paragraph in paragraphs if paragraph.strip()]

    @property
    def band(self) -> SalaryBand | None:
        return self.options.band

    @property
    def pay(self) -> str:
        """The band's pay: "₹5,00,000 – ₹15,00,000 per year (₹5 – 15 LPA)"."""
        band = self.band
        if band is None:
            return ""
        text = f"{pay_range(band)} {band.get_period_display()}"
        return f"{text} ({lakhs_range(band)})" if reads_in_lakhs(band) else text

    @property
    def experience(self) -> str:
        return self.band.experience_label if self.band else ""

    @property
    def date_posted(self) -> date:
        return self.options.date_posted

    @property
    def closes_on(self) -> date:
        return self.options.closes_on

    @property
    def esco_attribution(self) -> str:
        """ESCO's licence asks for its attribution wherever its content goes."""
        if not self.role.is_from_esco:
            return ""
        return f"{ATTRIBUTION} ESCO version {self.role.esco_version}."


@dataclass(frozen=True)
class RenderedPosting:
    text: str
    markdown: str
    html: str


def render_posting(posting: Posting) -> RenderedPosting:
    """The posting three ways: plain text (no Markdown marks, for forms that take only
    text), Markdown, and an HTML fragment."""
    context = {"posting": posting}
    return RenderedPosting(
        text=_tidy(render_to_string("catalogue/posting.txt", context)),
        markdown=_tidy(render_to_string("catalogue/posting.md", context)),
        html=render_to_string("catalogue/posting.html", context).strip(),
    )


def _tidy(text: str) -> str:
    """One blank line at most between blocks, none at either end: template tags leave more."""
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


# Characters Markdown reads as marks anywhere in a line, and those that start a heading or
# a list when they begin one (each piece of text begins a line or a list item).
MARKDOWN_INLINE_MARKS = re.compile(r"([\\`*_\[\]<>|])")
MARKDOWN_HEADING_OR_BULLET = re.compile(r"^([#+-])")
MARKDOWN_NUMBERED = re.compile(r"^(\d+)([.)])")


def markdown_text(text: str) -> str:
    """``text`` with Markdown's marks escaped, so that it reads as typed: a company named
    "*Acme*" or "<b>" stays that, not emphasis or HTML."""
    escaped = MARKDOWN_INLINE_MARKS.sub(r"\\\1", text)
    escaped = MARKDOWN_HEADING_OR_BULLET.sub(r"\\\1", escaped)
    return MARKDOWN_NUMBERED.sub(r"\1\\\2", escaped)


def places_for_posting() -> models.QuerySet[Location]:
    """Every place in the catalogue, each country followed by its cities: where a posting
    may be. A handful of rows, read in one query."""
    return Location.objects.select_related("parent").order_by(
        "country_code", models.F("parent").asc(nulls_first=True), "name"
    )
