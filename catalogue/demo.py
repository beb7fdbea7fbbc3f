"""A synthetic demo catalogue: thousands of plausible published roles with their skills,
salary bands, responsibilities and FAQs, for trying the site and benchmarking it at scale.

Everything generated is marked ``is_demo=True`` where the model has that flag, its names end
in "(demo)" and its slugs start with "demo-"; rows without the flag (a role's skills, bands,
responsibilities, FAQs, collaborations) belong to a demo role. The same seed gives the same
catalogue: all randomness comes from one ``random.Random(seed)`` and no content depends on
the clock.

Speed comes from building rows in memory and writing them with ``bulk_create``. That skips
``full_clean()`` and signals, so rows are valid by construction (unique names and slugs by
numbering, non-overlapping experience ranges by building each ladder from sorted cut
points, minimum <= maximum by computing both from one rising curve), and the derived state
that signals would keep current (search vectors, the catalogue revision behind page caching)
is refreshed once at the end.
"""

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from itertools import accumulate
from operator import or_

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.text import slugify

from jobsite.cache import bump_catalogue_version
from roles.models import (
    Collaboration,
    FrequentlyAskedQuestion,
    Responsibility,
    Role,
    RoleFamily,
    Source,
)
from salaries.models import Location, SalaryBand
from skills.models import RoleSkill, Skill, SkillImportance, SkillKind

from .parts import ROLE_PARTS
from .search import refresh_role_search_vectors
from .statistics import refresh_planner_statistics

DEMO_SUFFIX = " (demo)"
DEMO_SLUG_PREFIX = "demo-"
# Rows per INSERT: large enough that round trips do not dominate, small enough to keep each
# statement's parameters and memory modest.
BATCH_SIZE = 5000
# Roles whose content (skills, bands, ...) is built and written together; also the
# progress bar's step.
ROLES_PER_CHUNK = 500
SALARY_YEAR = 2024  # the year every demo figure claims; fixed so runs are reproducible
MAX_ROLES = 100_000


class DemoDataError(Exception):
    """The demo data cannot be generated or cleared as asked; nothing was written."""


@dataclass
class DemoReport:
    """How many rows of each kind were created or deleted."""

    counts: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        return [f"{name}: {count}" for name, count in self.counts.items()]


# The models carrying the is_demo flag.
FLAGGED_MODELS = (Role, Skill, RoleFamily, Source, Location)


def demo_data_exists() -> bool:
    return any(model.objects.filter(is_demo=True).exists() for model in FLAGGED_MODELS)


def generate_demo_data(
    *, roles: int, seed: int, progress: Callable[[int], None] | None = None
) -> DemoReport:
    """Create ``roles`` published demo roles and everything they refer to.

    Refuses (DemoDataError) when demo data is already present: clear it first. ``progress``
    is called with the number of roles completed after each chunk. All or nothing."""
    if not 1 <= roles <= MAX_ROLES:
        raise DemoDataError(f"The number of roles must be between 1 and {MAX_ROLES}.")
    with transaction.atomic():
        if demo_data_exists():
            raise DemoDataError(
                "Demo data is already in the database. Run with --clear to remove it "
                "(or --clear --roles N to replace it)."
            )
        generator = _Generator(seed)
        report = generator.run(roles, progress or (lambda done: None))
        refresh_planner_statistics(CONTENT_MODELS)
        # Bulk inserts send no signals: rebuild what they would have kept current (skills'
        # vectors are generated columns, which PostgreSQL filled as the rows went in).
        refresh_role_search_vectors(generator.role_ids)
        bump_catalogue_version()
    return report


def clear_demo_data() -> DemoReport:
    """Delete the demo data and nothing else.

    Refuses (DemoDataError), deleting nothing, if a row that is not demo data depends on
    demo data, e.g. an editor linked a real role to a demo skill: that link is theirs."""
    demo_roles = Role.objects.filter(is_demo=True)
    demo_skills = Skill.objects.filter(is_demo=True)
    with transaction.atomic():
        found = _links_into_demo_data()
        if found:
            listed = "; ".join(f"{count} {name}" for name, count in found.items())
            raise DemoDataError(
                f"Nothing was deleted: content that is not demo data refers to demo data "
                f"({listed}). Remove those links in admin first."
            )

        # Set-based deletes, children before the rows they PROTECT. _raw_delete sends no
        # signals: otherwise Django would load every row to send post_delete, and each
        # signal would bump the catalogue revision. It is bumped once below instead.
        report = DemoReport()
        steps = [
            # Every row of a demo role, and every row naming one (a collaboration).
            *(
                (part.model, part.model.objects.filter(_names_any(part.model, Role, demo_roles)))
                for part in ROLE_PARTS
            ),
            (Role.sources.through, Role.sources.through.objects.filter(role__in=demo_roles)),
            (Role, demo_roles),
            (Skill, demo_skills.filter(~Exists(RoleSkill.objects.filter(skill=OuterRef("pk"))))),
            (RoleFamily, RoleFamily.objects.filter(is_demo=True)),
            (Source, Source.objects.filter(is_demo=True)),
            # Cities and their demo country go in one statement: the parent foreign key is
            # checked at commit.
            (Location, Location.objects.filter(is_demo=True)),
        ]
        for model, rows in steps:
            deleted = rows._raw_delete(rows.db)
            if deleted:
                report.counts[_label(model)] += deleted
        # No search vector needs rebuilding: no remaining role lists a demo skill (checked
        # above), so the deleted rows appear in no remaining vector.
        if report.counts:
            refresh_planner_statistics((*REFERENCED_MODELS, *CONTENT_MODELS))
            bump_catalogue_version()
    return report


# The tables the demo data fills: the ones other rows point at, then the rest.
REFERENCED_MODELS = FLAGGED_MODELS
CONTENT_MODELS = (*(part.model for part in ROLE_PARTS), Role.sources.through)


def _links_into_demo_data() -> dict[str, int]:
    """How many rows of real content point at demo data, by a sentence saying what they are
    ("real roles' skills that are demo skills"); only the kinds there are some of."""
    real_roles = Role.objects.filter(is_demo=False)
    counts = Counter(
        {
            "real roles in demo families": real_roles.filter(family__is_demo=True).count(),
            "real roles citing the demo source": Role.sources.through.objects.filter(
                role__in=real_roles, source__is_demo=True
            ).count(),
            "real places inside demo places": Location.objects.filter(
                is_demo=False, parent__is_demo=True
            ).count(),
        }
    )
    for part in ROLE_PARTS:  # a real role's rows, by what they name
        for name in part.references:
            target = part.model._meta.get_field(name).related_model
            if target in FLAGGED_MODELS:
                sentence = f"real roles' {name}s that are demo {target._meta.verbose_name_plural}"
                counts[sentence] += part.model.objects.filter(
                    role__in=real_roles, **{f"{name}__is_demo": True}
                ).count()
    return {sentence: count for sentence, count in counts.items() if count}


def _names_any(model, target, records) -> Q:
    """Rows of ``model`` with any foreign key to ``target`` pointing into ``records``."""
    names = [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is target
    ]
    return reduce(or_, (Q(**{f"{name}__in": records}) for name in names))


def _label(model) -> str:
    if model is Role.sources.through:
        return "role sources"
    return str(model._meta.verbose_name_plural)


# The shape of the catalogue ------------------------------------------------------------

# (family, relative share of roles, ISCO-08 code, O*NET-SOC code, a junior's starting pay in
# INR a year, job functions)
FAMILIES = [
    ("Software engineering", 22, "2512", "15-1252.00", 500_000,
     ["Backend Engineer", "Full-Stack Developer", "Software Engineer", "API Developer"]),
    ("Data and analytics", 10, "2511", "15-2051.01", 450_000,
     ["Data Engineer", "Data Analyst", "Analytics Engineer", "BI Developer"]),
    ("Machine learning", 6, "2519", "15-2051.00", 650_000,
     ["Machine Learning Engineer", "Data Scientist", "MLOps Engineer"]),
    ("Infrastructure and cloud", 10, "2523", "15-1244.00", 550_000,
     ["Cloud Engineer", "Platform Engineer", "Site Reliability Engineer", "DevOps Engineer"]),
    ("Security", 5, "2529", "15-1212.00", 600_000,
     ["Security Engineer", "Security Analyst", "Penetration Tester"]),
    ("Mobile", 6, "2514", "15-1252.00", 450_000,
     ["Android Developer", "iOS Developer", "Mobile Engineer"]),
    ("Front end and web", 9, "2513", "15-1254.00", 400_000,
     ["Front-End Developer", "Web Developer", "UI Engineer"]),
    ("Design", 6, "2166", "15-1255.00", 400_000,
     ["Product Designer", "UX Researcher", "Interaction Designer"]),
    ("Product management", 7, "1330", "11-3021.00", 800_000,
     ["Product Manager", "Product Owner", "Technical Product Manager"]),
    ("Quality engineering", 7, "2519", "15-1253.00", 350_000,
     ["QA Engineer", "Test Automation Engineer", "Quality Analyst"]),
    ("IT operations and support", 6, "2522", "15-1244.00", 300_000,
     ["System Administrator", "Network Engineer", "IT Support Specialist"]),
    ("Delivery and management", 6, "1330", "11-3021.00", 900_000,
     ["Engineering Manager", "Project Manager", "Scrum Master"]),
]  # fmt: skip

DOMAINS = [
    "Payments", "Lending", "Insurance", "Logistics", "Retail", "Healthcare", "Education",
    "Travel", "Media", "Gaming", "Telecom", "Energy", "Agritech", "Public Services",
    "Identity", "Search", "Messaging", "Maps", "Advertising", "Marketplace", "Supply Chain",
    "Banking", "Streaming", "Fraud Detection", "Customer Support", "HR Tech", "Real Estate",
    "Manufacturing", "Climate", "Wealth Management",
]  # fmt: skip

# (prefix, share of roles, pay multiplier)
SENIORITIES = [
    ("Junior", 15, 0.8),
    ("", 35, 1.0),
    ("Senior", 30, 1.35),
    ("Lead", 10, 1.6),
    ("Staff", 5, 1.9),
    ("Principal", 5, 2.1),
]

# The demo country and its cities, with how pay there compares with the national figure.
COUNTRY = ("India", "IN", 1.0)
CITIES = [
    ("Pune", 1.05),
    ("Hyderabad", 1.08),
    ("Chennai", 1.0),
    ("Kolkata", 0.88),
    ("Ahmedabad", 0.9),
    ("Jaipur", 0.85),
    ("Kochi", 0.87),
    ("Indore", 0.82),
    ("Noida", 1.02),
    ("Gurugram", 1.1),
]

# Share of the skill pool per kind: every kind of our own (ESCO's come from an import).
SKILL_KIND_SHARES = {
    SkillKind.PROGRAMMING_LANGUAGE: 12,
    SkillKind.FRAMEWORK_RUNTIME: 18,
    SkillKind.DATABASE: 10,
    SkillKind.CLOUD_PLATFORM: 10,
    SkillKind.API_INTEGRATION: 10,
    SkillKind.SECURITY: 8,
    SkillKind.ARCHITECTURE: 10,
    SkillKind.TOOL: 12,
    SkillKind.SOFT_SKILL: 10,
}
# How a technical skill of each kind is named around an invented proper name.
SKILL_NAME_PATTERNS = {
    SkillKind.PROGRAMMING_LANGUAGE: ["{}", "{}Script", "{} Lang"],
    SkillKind.FRAMEWORK_RUNTIME: ["{} framework", "{}.js", "{} runtime"],
    SkillKind.DATABASE: ["{}DB", "{} SQL", "{} Graph"],
    SkillKind.CLOUD_PLATFORM: ["{} Cloud", "{} Functions", "{} Compute"],
    SkillKind.API_INTEGRATION: ["{} API", "{}RPC", "{} webhooks"],
    SkillKind.SECURITY: ["{} auth", "{} vault", "{} threat modelling"],
    SkillKind.ARCHITECTURE: ["{} patterns", "{} event sourcing", "{} mesh"],
    SkillKind.TOOL: ["{} CI", "{}ctl", "{} tracer"],
}
NAME_ONSETS = [
    "Ka", "Ve", "Lu", "Tor", "Mi", "Zan", "Or", "Bel", "Quin", "Sa",
    "Dra", "Fen", "Ix", "Nor", "Pal", "Rho", "Sil", "Tam", "Ul", "Wex",
]  # fmt: skip
NAME_CODAS = [
    "ra", "lo", "ven", "mix", "dor", "tis", "ka", "ne", "ruq", "lin",
    "ba", "zo", "mer", "tan", "vy", "gal", "sen", "fir", "qo", "dex",
]  # fmt: skip
SOFT_QUALITIES = [
    "Written", "Spoken", "Cross-team", "Client-facing", "Structured", "Calm", "Creative",
    "Critical", "Collaborative", "Strategic", "Analytical", "Empathetic", "Persuasive",
    "Adaptive", "Reflective",
]  # fmt: skip
SOFT_ABILITIES = [
    "communication", "negotiation", "problem solving", "planning", "mentoring", "feedback",
    "decision making", "prioritisation", "facilitation", "storytelling", "listening",
    "ownership", "curiosity", "time management", "conflict resolution",
]  # fmt: skip

RESPONSIBILITIES = [
    "Design, build and run {domain} features from first sketch to production.",
    "Turn {domain} requirements into small, testable pieces of work.",
    "Review colleagues' work and keep the team's standards high.",
    "Measure how {domain} systems behave in production and act on what the numbers show.",
    "Write and maintain documentation that newcomers can follow on their first day.",
    "Work with product and design to decide what to build next for {domain} customers.",
    "Find the causes of incidents and make sure they do not happen twice.",
    "Keep dependencies, tools and platforms up to date and secure.",
    "Automate repetitive {domain} work so that people can focus on judgement calls.",
    "Estimate work honestly and flag risks early.",
    "Mentor junior colleagues and share knowledge across teams.",
    "Protect {domain} customers' data and respect their privacy.",
    "Plan capacity for seasonal peaks in {domain} demand.",
    "Run experiments and report results plainly, including the failures.",
    "Represent the team in planning and architecture discussions.",
    "Improve the reliability and speed of the {domain} platform.",
    "Keep stakeholders informed about progress, trade-offs and delays.",
    "Take part in an on-call rotation for {domain} services.",
]
FAQS = [
    (
        "What does a {title} do?",
        "A {title} works on {domain} products: {summary}",
    ),
    (
        "How much does a {title} earn?",
        "In this demo data, pay starts at about {start} a year and rises with experience; "
        "see the salary table for each city.",
    ),
    (
        "Which skills matter most for a {title}?",
        "The required skills listed on this page; the preferred ones make a candidate stand out.",
    ),
    (
        "Is the {title} role in demand?",
        "Demand for {domain} specialists is steady in this synthetic catalogue.",
    ),
    (
        "How do I become a {title}?",
        "Build the required skills through projects, then apply for junior roles in {domain}.",
    ),
    (
        "Can a {title} work remotely?",
        "Many {domain} teams in this demo data allow hybrid or remote work.",
    ),
]
COLLABORATION_NOTES = [
    "Agree priorities and hand over work every sprint.",
    "Pair on tricky problems and review each other's changes.",
    "Share data and dashboards on how features perform.",
    "Plan releases together.",
    "",
]
SKILL_PURPOSES = [
    "ship features",
    "keep systems reliable",
    "understand customers' needs",
    "work with other teams",
    "handle data safely",
    "keep costs under control",
]


class _Generator:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.seed = seed
        self.report = DemoReport()

    def run(self, role_count: int, progress: Callable[[int], None]) -> DemoReport:
        self.source = self._create_source()
        self.families = self._create_families()
        self.places = self._create_locations()
        self._create_skills(pool_size=max(200, role_count // 5))
        plans = self._create_roles(role_count)
        refresh_planner_statistics(REFERENCED_MODELS)
        for start in range(0, role_count, ROLES_PER_CHUNK):
            chunk = plans[start : start + ROLES_PER_CHUNK]
            self._create_role_content(chunk)
            progress(len(chunk))
        return self.report

    def _save(self, model, rows: list) -> list:
        created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.report.counts[_label(model)] += len(created)
        return created

    # Shared records ----------------------------------------------------------------------

    def _create_source(self) -> Source:
        source = Source(
            title=f"Synthetic catalogue{DEMO_SUFFIX}",
            slug=f"{DEMO_SLUG_PREFIX}synthetic-catalogue",
            publisher="Jobsite demo data generator",
            note=(
                f"Made up by generate_demo_data with seed {self.seed} to try the site at "
                "scale. Not real roles or pay."
            ),
            is_demo=True,
        )
        return self._save(Source, [source])[0]

    def _create_families(self) -> list[RoleFamily]:
        families = [
            RoleFamily(
                name=f"{name}{DEMO_SUFFIX}",
                slug=f"{DEMO_SLUG_PREFIX}{slugify(name)}",
                description=f"Synthetic {name.lower()} roles for trying the catalogue at scale.",
                is_demo=True,
            )
            for name, *_ in FAMILIES
        ]
        return self._save(RoleFamily, families)

    def _create_locations(self) -> list[tuple[Location, float]]:
        name, code, multiplier = COUNTRY
        country = self._save(
            Location,
            [
                Location(
                    name=f"{name}{DEMO_SUFFIX}",
                    slug=f"{DEMO_SLUG_PREFIX}{slugify(name)}",
                    country_code=code,
                    is_demo=True,
                )
            ],
        )[0]
        cities = self._save(
            Location,
            [
                Location(
                    name=f"{city}{DEMO_SUFFIX}",
                    slug=f"{DEMO_SLUG_PREFIX}{slugify(city)}",
                    country_code=code,
                    parent=country,
                    is_demo=True,
                )
                for city, _ in CITIES
            ],
        )
        return [(country, multiplier)] + [
            (city, multiplier) for city, (_, multiplier) in zip(cities, CITIES, strict=True)
        ]

    def _create_skills(self, *, pool_size: int) -> None:
        total_share = sum(SKILL_KIND_SHARES.values())
        names: set[str] = set()
        slugs: set[str] = set()
        skills = []
        for kind, share in SKILL_KIND_SHARES.items():
            for _ in range(max(10, round(pool_size * share / total_share))):
                name, slug = self._unique_skill_name(kind, names, slugs)
                skills.append(
                    Skill(
                        name=f"{name}{DEMO_SUFFIX}",
                        slug=slug,
                        kind=kind,
                        description=(
                            f"{name} is a made-up {SkillKind(kind).label.lower()} skill in the "
                            "demo catalogue."
                        ),
                        is_demo=True,
                    )
                )
        skills = self._save(Skill, skills)
        self.skill_ids = [s.pk for s in skills]
        self.soft_skill_ids = [s.pk for s in skills if s.kind == SkillKind.SOFT_SKILL]
        technical = [s.pk for s in skills if s.kind != SkillKind.SOFT_SKILL]
        # Each family draws most of a role's technical skills from its own cluster, the
        # rest from the whole pool, where a few skills are far more popular than the long
        # tail (weights falling as 1/rank), as in real job descriptions.
        self.clusters = [technical[index :: len(FAMILIES)] for index in range(len(FAMILIES))]
        popularity = technical[:]
        self.random.shuffle(popularity)
        self.popular_skill_ids = popularity
        self.popularity_weights = list(
            accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(popularity)))
        )

    def _unique_skill_name(self, kind: str, names: set, slugs: set) -> tuple[str, str]:
        for attempt in range(1000):
            if kind == SkillKind.SOFT_SKILL:
                name = f"{self.random.choice(SOFT_QUALITIES)} {self.random.choice(SOFT_ABILITIES)}"
            else:
                proper = self.random.choice(NAME_ONSETS) + self.random.choice(NAME_CODAS)
                name = self.random.choice(SKILL_NAME_PATTERNS[kind]).format(proper)
            if attempt >= 20:  # the combinations are running out: number them
                name = f"{name} {attempt}"
            slug = f"{DEMO_SLUG_PREFIX}{slugify(name)}"
            if name not in names and slug not in slugs:
                names.add(name)
                slugs.add(slug)
                return name, slug
        raise DemoDataError("Could not find a unique skill name.")  # pragma: no cover

    # Roles ----------------------------------------------------------------------------------

    def _create_roles(self, count: int) -> list["_RolePlan"]:
        family_weights = list(accumulate(share for _, share, *_ in FAMILIES))
        seniority_weights = list(accumulate(share for _, share, _ in SENIORITIES))
        width = max(5, len(str(count)))
        plans = []
        for number in range(1, count + 1):
            family_index = self.random.choices(range(len(FAMILIES)), cum_weights=family_weights)[0]
            family_name, _, isco, onet, starting_pay, functions = FAMILIES[family_index]
            seniority, _, seniority_pay = self.random.choices(
                SENIORITIES, cum_weights=seniority_weights
            )[0]
            domain = self.random.choice(DOMAINS)
            function = self.random.choice(functions)
            plain_title = " ".join(part for part in (seniority, domain, function) if part)
            label = f"{number:0{width}d}"
            summary = (
                f"Builds and improves {domain.lower()} products as a "
                f"{function.lower()}, working across teams. Synthetic demo role."
            )
            role = Role(
                title=f"{plain_title} (demo {label})",
                slug=f"{DEMO_SLUG_PREFIX}{slugify(plain_title)}-{label}",
                family=self.families[family_index],
                status=Role.Status.PUBLISHED,
                featured=self.random.random() < 0.002,
                summary=summary,
                overview=(
                    f"A {plain_title} joins a {domain.lower()} team and owns part of its "
                    f"product. This role is made up for the demo catalogue: it shows how the "
                    f"site behaves with thousands of roles."
                ),
                qualifications=(
                    f"Experience in {family_name.lower()}; evidence of shipped work; "
                    "clear written English."
                ),
                education="A degree in a related field, or equivalent experience.",
                outlook=f"Steady demand for {function.lower()}s in {domain.lower()}.",
                salary_note="Synthetic figures from the demo generator, not real pay data.",
                isco_08=isco,
                onet_soc=onet,
                is_demo=True,
            )
            pay = starting_pay * seniority_pay * self.random.uniform(0.85, 1.2)
            plans.append(_RolePlan(role, plain_title, family_index, domain, pay))
        self._save(Role, [plan.role for plan in plans])
        self.role_ids = [plan.role.pk for plan in plans]
        return plans

    def _create_role_content(self, plans: list["_RolePlan"]) -> None:
        role_skills, bands, responsibilities, faqs, collaborations, sources = [], [], [], [], [], []
        for plan in plans:
            role = plan.role
            skill_ids = self._pick_skills(plan)
            required = round(len(skill_ids) * 0.65)
            role_skills.extend(
                RoleSkill(
                    role_id=role.pk,
                    skill_id=skill_id,
                    importance=(
                        SkillImportance.REQUIRED
                        if position < required
                        else SkillImportance.PREFERRED
                    ),
                    position=position,
                    explanation=(
                        f"Used to {self.random.choice(SKILL_PURPOSES)}."
                        if position < required
                        else ""
                    ),
                )
                for position, skill_id in enumerate(skill_ids)
            )
            role_bands = self._salary_bands(plan)
            bands.extend(role_bands)
            domain = plan.domain.lower()
            responsibilities.extend(
                Responsibility(role_id=role.pk, text=text.format(domain=domain), position=position)
                for position, text in enumerate(
                    self.random.sample(RESPONSIBILITIES, self.random.randint(4, 8))
                )
            )
            facts = {
                "title": plan.title,
                "domain": domain,
                "summary": role.summary,
                "start": f"{min(band.minimum for band in role_bands) / 100_000:.1f} lakh rupees",
            }
            faqs.extend(
                FrequentlyAskedQuestion(
                    role_id=role.pk,
                    question=question.format(**facts),
                    answer=answer.format(**facts),
                    position=position,
                )
                for position, (question, answer) in enumerate(
                    self.random.sample(FAQS, self.random.randint(2, 5))
                )
            )
            collaborators = dict.fromkeys(
                collaborator
                for collaborator in self.random.sample(self.role_ids, min(4, len(self.role_ids)))
                if collaborator != role.pk
            )
            collaborations.extend(
                Collaboration(
                    role_id=role.pk,
                    collaborator_id=collaborator,
                    note=self.random.choice(COLLABORATION_NOTES),
                    position=position,
                )
                for position, collaborator in enumerate(
                    list(collaborators)[: self.random.randint(0, 3)]
                )
            )
            sources.append(Role.sources.through(role_id=role.pk, source_id=self.source.pk))
        self._save(RoleSkill, role_skills)
        self._save(SalaryBand, bands)
        self._save(Responsibility, responsibilities)
        self._save(FrequentlyAskedQuestion, faqs)
        self._save(Collaboration, collaborations)
        self._save(Role.sources.through, sources)

    def _pick_skills(self, plan: "_RolePlan") -> list[int]:
        """About 30 distinct skills: technical ones mostly from the family's cluster, the
        rest by popularity across the pool, then a few soft skills."""
        technical_count = self.random.randint(20, 30)
        cluster = self.clusters[plan.family_index]
        chosen = dict.fromkeys(
            self.random.sample(cluster, min(len(cluster), round(technical_count * 0.6)))
        )
        while len(chosen) < technical_count:
            for skill_id in self.random.choices(
                self.popular_skill_ids,
                cum_weights=self.popularity_weights,
                k=technical_count - len(chosen),
            ):
                chosen.setdefault(skill_id)
        soft = self.random.sample(self.soft_skill_ids, self.random.randint(3, 6))
        return list(chosen)[:technical_count] + soft

    def _salary_bands(self, plan: "_RolePlan") -> list[SalaryBand]:
        """4 to 12 bands over one to four places; in each place a ladder of experience
        ranges built from sorted cut points, so they cannot overlap."""
        band_count = self.random.randint(4, 12)
        place_count = self.random.randint(1, min(4, band_count // 2))
        places = self.random.sample(self.places, place_count)
        growth = self.random.uniform(0.08, 0.16)
        bands = []
        for index, (location, multiplier) in enumerate(places):
            # Split the bands as evenly as possible; every place gets at least two.
            count = band_count // place_count + (index < band_count % place_count)
            cuts = [0, *sorted(self.random.sample(range(1, 21), count))]
            open_ended = self.random.random() < 0.6
            open_topped = open_ended and self.random.random() < 0.5
            base = plan.starting_pay * multiplier
            for step in range(count):
                low, high = cuts[step], cuts[step + 1]
                last = step == count - 1
                minimum = _round_pay(base * (1 + growth) ** low * 0.85)
                maximum = _round_pay(base * (1 + growth) ** high * 1.15)
                bands.append(
                    SalaryBand(
                        role_id=plan.role.pk,
                        location=location,
                        source=self.source,
                        year=SALARY_YEAR,
                        experience_min_years=Decimal(low),
                        experience_max_years=None if last and open_ended else Decimal(high),
                        minimum=minimum,
                        maximum=None if last and open_topped else max(minimum, maximum),
                    )
                )
        return bands


@dataclass
class _RolePlan:
    role: Role
    title: str  # without the "(demo NNNNN)" that makes it unique
    family_index: int
    domain: str
    starting_pay: float


def _round_pay(amount: float) -> int:
    """Whole rupees, rounded to the nearest ten thousand as published bands usually are."""
    return int(round(amount / 10_000) * 10_000) or 10_000
