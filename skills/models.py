import re
from collections.abc import Iterable
from typing import NamedTuple

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorExact, SearchVectorField
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Lower
from django.urls import reverse
from django.utils.text import slugify

from jobsite.models import EscoConcept, OrderedModel, TimestampedModel, lines
from jobsite.text_search import document, search_query
from roles.models import Role


class SkillKind(models.TextChoices):
    # Declaration order is display order: technical kinds first, soft skills last.
    PROGRAMMING_LANGUAGE = "programming_language", "Programming language"
    FRAMEWORK_RUNTIME = "framework_runtime", "Framework or runtime"
    DATABASE = "database", "Database"
    CLOUD_PLATFORM = "cloud_platform", "Cloud platform"
    API_INTEGRATION = "api_integration", "APIs and integration"
    SECURITY = "security", "Security"
    ARCHITECTURE = "architecture", "Architecture and design"
    TOOL = "tool", "Tool"
    # ESCO's kinds: its knowledge, its skills and competences, and those of either that it
    # calls transversal (needed across occupations and sectors).
    KNOWLEDGE = "knowledge", "Knowledge"
    COMPETENCE = "competence", "Skill or competence"
    TRANSVERSAL = "transversal", "Transversal skill"
    SOFT_SKILL = "soft_skill", "Soft skill"


# Kinds a role's page lists apart from its technical skills.
PERSONAL_KINDS = (SkillKind.TRANSVERSAL, SkillKind.SOFT_SKILL)


class EscoSkillType(models.TextChoices):
    KNOWLEDGE = "knowledge", "Knowledge"
    SKILL_COMPETENCE = "skill/competence", "Skill or competence"


class ReuseLevel(models.TextChoices):
    """How widely ESCO says a skill is reused, from everywhere to one occupation."""

    TRANSVERSAL = "transversal", "Transversal"
    CROSS_SECTOR = "cross-sector", "Cross-sector"
    SECTOR_SPECIFIC = "sector-specific", "Sector-specific"
    OCCUPATION_SPECIFIC = "occupation-specific", "Occupation-specific"


class SkillGroup(EscoConcept, TimestampedModel):
    """A group in ESCO's skills hierarchy (e.g. "computer programming"), which skills and
    other groups sit under."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    code = models.CharField(max_length=20, blank=True, help_text="ESCO's code, e.g. S1.2.3.")
    description = models.TextField(blank=True)
    broader = models.ManyToManyField("self", symmetrical=False, related_name="narrower", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [*EscoConcept.Meta.constraints]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("skills:list") + f"?group={self.slug}"


def kind_order() -> models.Case:
    """A skill's kind as its place in SkillKind's declaration order (technical first, soft
    skills last): what lists sort skills by, and what an index holds with the name."""
    return models.Case(
        *(models.When(kind=kind, then=index) for index, kind in enumerate(SkillKind.values)),
        default=len(SkillKind.values),
    )


class SkillQuerySet(models.QuerySet):
    def with_role_counts(self):
        """Annotate how many published roles need each skill: ``role_count``, split into
        ``required_role_count`` and ``preferred_role_count``.

        One join and GROUP BY, which counts the links of every skill in the queryset: narrow
        it to the skills shown first (SkillListView counts for one page's skills)."""
        published = Q(role_skills__role__status=Role.Status.PUBLISHED)
        required = Q(role_skills__importance=SkillImportance.REQUIRED)
        preferred = Q(role_skills__importance=SkillImportance.PREFERRED)
        return self.annotate(
            role_count=models.Count("role_skills", filter=published),
            required_role_count=models.Count("role_skills", filter=published & required),
            preferred_role_count=models.Count("role_skills", filter=published & preferred),
        )

    def in_kind_order(self):
        """Kinds in SkillKind's declaration order (technical first, soft skills last), then name."""
        return self.order_by(kind_order(), "name")

    def for_listing(self):
        """What the skills list shows, in one query."""
        # The search vector runs to kilobytes a row and the list never shows it.
        return self.with_role_counts().in_kind_order().defer("search_vector")

    def in_group(self, group: "SkillGroup"):
        """The skills ESCO places directly under ``group``."""
        return self.filter(groups=group)

    def matching_text(self, text: str):
        """Skills whose name, one of their other names or their description contains
        ``text``, ignoring case: a reader may know a skill by any of its names."""
        return self.filter(
            Q(name__icontains=text)
            | Q(alternative_names__icontains=text)
            | Q(description__icontains=text)
        )

    def called(self, names: Iterable[str]) -> dict[str, list["Skill"]]:
        """For each of ``names`` (each a slug, or a name as a person types it), the skills it
        may mean, ignoring case: the one with that slug, else the one with that name, else
        every skill giving it among its other names ("node" for Node.js, "Postgres" for
        PostgreSQL), which may be several. An empty list for a name no skill goes by.

        One query for slugs and names (their indexes); a second, on the search index, only
        for names that matched neither."""
        names = list(dict.fromkeys(names))
        lowered = [name.lower() for name in names]
        found = list(
            self.annotate(lower_name=Lower("name"))
            .filter(Q(slug__in=[*names, *lowered]) | Q(lower_name__in=lowered))
            .defer("search_vector")
        )
        meant = {}
        for name in names:
            by_slug = [skill for skill in found if skill.slug.lower() == name.lower()]
            meant[name] = by_slug or [skill for skill in found if skill.lower_name == name.lower()]
        unmatched = [name for name in names if not meant[name]]
        # An other name is a whole line of alternative_names; the search index narrows the
        # skills to read to those holding its words, the pattern checks the line.
        lines = Q()
        for name in unmatched:
            words = search_query(name, prefixes=False)
            if words is not None:
                line = rf"(^|\n)[ \t]*{re.escape(name.strip())}[ \t\r]*(\n|$)"
                lines |= Q(search_vector=words, alternative_names__iregex=line)
        if lines:
            others = list(self.filter(lines).order_by("name").defer("search_vector"))
            for name in unmatched:
                meant[name] = [
                    skill
                    for skill in others
                    if name.strip().lower() in {other.lower() for other in skill.also_called}
                ]
        return meant

    def suggested_for(self, text: str):
        """Skills a person typing ``text`` may be after, for a suggestion box: those whose
        name or one of whose other names has a word starting with each word typed ("visual
        c" finds Microsoft Visual C++, "node" Node.js). The skill named ``text`` first, then
        names starting with it, then names holding the words, then those only another name
        holds; shortest first within each. One query, on the search index."""
        # A: the name, B: the other names; as typed, never stemmed.
        in_names = search_query(text, weights="AB", stemmed=False)
        if in_names is None:
            return self.none()
        text = text.strip()
        return (
            self.filter(search_vector=in_names)
            .annotate(
                named=_is(Q(name__iexact=text)),
                name_first=_is(Q(name__istartswith=text)),
                in_name=SearchVectorExact(
                    F("search_vector"), search_query(text, weights="A", stemmed=False)
                ),
            )
            .only("name", "slug", "alternative_names")
            .order_by("-named", "-name_first", "-in_name", Length("name"), "name")
        )

    def for_detail_page(self, *, narrower_shown: int):
        """Skills with what their page shows besides the roles that need them: ESCO's skill
        groups above them, their broader skills, and their first ``narrower_shown`` narrower
        skills by name (``narrower_skills_shown``; ESCO puts 271 under "advise others"), all
        of them counted in ``narrower_skill_count``. Four queries, however many there are."""
        related = self.model.objects.only("name", "slug", "kind", "esco_version").order_by("name")
        return (
            self.defer("search_vector")
            .annotate(narrower_skill_count=models.Count("narrower_skills"))
            .prefetch_related(
                models.Prefetch("groups", SkillGroup.objects.order_by("name")),
                models.Prefetch("broader_skills", related),
                models.Prefetch(
                    "narrower_skills", related[:narrower_shown], to_attr="narrower_skills_shown"
                ),
            )
        )


def _is(condition: Q) -> models.ExpressionWrapper:
    """``condition`` as a value to order by."""
    return models.ExpressionWrapper(condition, output_field=models.BooleanField())


class Skill(EscoConcept, TimestampedModel):
    Kind = SkillKind

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=Kind)
    alternative_names = models.TextField(
        blank=True,
        help_text="Other names for the skill, one per line; search finds the skill by them.",
    )
    description = models.TextField(blank=True, help_text="What the skill is, for any role.")
    esco_type = models.CharField(
        "ESCO skill type",
        max_length=20,
        choices=EscoSkillType,
        blank=True,
        editable=False,
        help_text="Empty where ESCO gives none.",
    )
    reuse_level = models.CharField(
        "ESCO reuse level", max_length=20, choices=ReuseLevel, blank=True, editable=False
    )
    esco_modified_at = models.DateTimeField(
        "modified in ESCO", null=True, blank=True, editable=False
    )
    groups = models.ManyToManyField(
        SkillGroup, related_name="skills", blank=True, help_text="ESCO's skill groups above it."
    )
    broader_skills = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="narrower_skills",
        blank=True,
        help_text="Broader skills ESCO places this one under.",
    )
    is_demo = models.BooleanField(default=False, editable=False, help_text="Synthetic demo data.")
    # Depends on this row alone, so PostgreSQL keeps it current on every write, however made.
    search_vector = models.GeneratedField(
        expression=document("name", weight="A")
        + document("alternative_names", weight="B")
        + document("description", weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "name"], name="skill_kind_name_idx"),
            # The skills list's order: a page of it is read from here, not by sorting all
            # 16,000 skills (in_kind_order).
            models.Index(kind_order(), F("name"), name="skill_kind_order_name_idx"),
            GinIndex(fields=["search_vector"], name="skill_search_vector_idx"),
            # Filters and links name a skill in any case ("python", "PYTHON"): SkillsField.
            models.Index(Lower("name"), name="skill_lower_name_idx"),
        ]
        constraints = [
            *EscoConcept.Meta.constraints,
            models.CheckConstraint(condition=Q(kind__in=SkillKind.values), name="skill_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("skills:detail", kwargs={"slug": self.slug})

    @property
    def also_called(self) -> list[str]:
        return lines(self.alternative_names)


class SkillImportance(models.TextChoices):
    REQUIRED = "required", "Required"
    PREFERRED = "preferred", "Preferred"


class RoleSkillQuerySet(models.QuerySet):
    def required(self):
        return self.filter(importance=SkillImportance.REQUIRED)

    def technical(self):
        return self.exclude(skill__kind__in=PERSONAL_KINDS)

    def soft(self):
        """Soft skills, and ESCO's transversal skills."""
        return self.filter(skill__kind__in=PERSONAL_KINDS)


class RoleSkill(OrderedModel):
    """How much a role needs a skill, and what the skill means in that role."""

    Importance = SkillImportance

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="role_skills")
    # A skill still in use by a role cannot be deleted; unlink it from its roles first.
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="role_skills")
    importance = models.CharField(max_length=10, choices=Importance, default=Importance.REQUIRED)
    explanation = models.TextField(blank=True, help_text="What this skill means in this role.")
    # What ESCO said of the pair at the last import (empty for a link an editor made): an
    # import changes ``importance`` only while it still equals this.
    esco_importance = models.CharField(
        max_length=10, choices=Importance, blank=True, editable=False
    )

    objects = RoleSkillQuerySet.as_manager()

    class Meta(OrderedModel.Meta):
        verbose_name = "role skill"
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="role_skill_unique_pair"),
            models.CheckConstraint(
                condition=Q(importance__in=SkillImportance.values),
                name="role_skill_importance_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["skill", "importance"], name="roleskill_skill_importance_idx")
        ]

    def __str__(self):
        return f"{self.role}: {self.skill} ({self.get_importance_display().lower()})"

    @classmethod
    def required_first(cls):
        """An ordering expression that puts required skills before preferred ones."""
        return models.Case(models.When(importance=cls.Importance.REQUIRED, then=0), default=1).asc()


# What roles need of skills, for reads of roles (the role list's filter and cards) --------


def needs_skill(skill: Skill) -> Exists:
    """A condition on roles: the role lists ``skill``."""
    return Exists(RoleSkill.objects.filter(role=OuterRef("pk"), skill=skill))


def top_skills(count: int = 3) -> models.Prefetch:
    """Prefetch, for roles, ``top_skills``: their first ``count`` required technical skills."""
    top = (
        RoleSkill.objects.required()
        .technical()
        .select_related("skill")
        .defer("skill__search_vector")[:count]
    )
    return models.Prefetch("role_skills", top, to_attr="top_skills")


# A role's skills in sections, for its page -----------------------------------------------

# The heading a role's page lists each kind under: ESCO's kinds by ESCO's own names, our
# technical kinds under one. The sections follow SkillKind's declaration order.
SECTION_HEADINGS = {
    SkillKind.KNOWLEDGE: "Knowledge",
    SkillKind.COMPETENCE: "Skills and competences",
    SkillKind.TRANSVERSAL: "Transversal skills",
    SkillKind.SOFT_SKILL: "Soft skills",
}
TECHNICAL_HEADING = "Technical skills"


class SkillSection(NamedTuple):
    heading: str
    role_skills: list[RoleSkill]

    @property
    def anchor(self) -> str:
        """The section's id on the page: "technical-skills"."""
        return slugify(self.heading)

    @property
    def explained(self) -> bool:
        """Whether any of its skills says what it means in the role (ESCO's links never do),
        which decides how roomy the list is."""
        return any(role_skill.explanation for role_skill in self.role_skills)


def skill_sections(role_skills: Iterable[RoleSkill]) -> list[SkillSection]:
    """``role_skills`` (each with its skill read) grouped by kind into a role page's
    sections, in SkillKind's order, leaving out empty ones. Within a section required skills
    come first, otherwise in the order given. Python, no query: give it prefetched rows."""
    sections: dict[str, list[RoleSkill]] = {
        SECTION_HEADINGS.get(kind, TECHNICAL_HEADING): [] for kind in SkillKind
    }
    required_first = sorted(
        role_skills, key=lambda role_skill: role_skill.importance != SkillImportance.REQUIRED
    )
    for role_skill in required_first:
        sections[SECTION_HEADINGS.get(role_skill.skill.kind, TECHNICAL_HEADING)].append(role_skill)
    return [SkillSection(heading, rows) for heading, rows in sections.items() if rows]
