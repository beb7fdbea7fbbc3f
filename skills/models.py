from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from jobsite.models import OrderedModel, TimestampedModel
from jobsite.text_search import document
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
    SOFT_SKILL = "soft_skill", "Soft skill"


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
        kind_order = models.Case(
            *(models.When(kind=kind, then=index) for index, kind in enumerate(SkillKind.values)),
            default=len(SkillKind.values),
        )
        return self.order_by(kind_order, "name")

    def for_listing(self):
        """What the skills list shows, in one query."""
        return self.with_role_counts().in_kind_order()


class Skill(TimestampedModel):
    Kind = SkillKind

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=Kind)
    description = models.TextField(blank=True, help_text="What the skill is, for any role.")
    is_demo = models.BooleanField(default=False, editable=False, help_text="Synthetic demo data.")
    # Depends on this row alone, so PostgreSQL keeps it current on every write, however made.
    search_vector = models.GeneratedField(
        expression=document("name", weight="A") + document("description", weight="C"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "name"], name="skill_kind_name_idx"),
            GinIndex(fields=["search_vector"], name="skill_search_vector_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SkillKind.values), name="skill_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("skills:detail", kwargs={"slug": self.slug})


class SkillImportance(models.TextChoices):
    REQUIRED = "required", "Required"
    PREFERRED = "preferred", "Preferred"


class RoleSkillQuerySet(models.QuerySet):
    def required(self):
        return self.filter(importance=SkillImportance.REQUIRED)

    def technical(self):
        return self.exclude(skill__kind=Skill.Kind.SOFT_SKILL)

    def soft(self):
        return self.filter(skill__kind=Skill.Kind.SOFT_SKILL)


class RoleSkill(OrderedModel):
    """How much a role needs a skill, and what the skill means in that role."""

    Importance = SkillImportance

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="role_skills")
    # A skill still in use by a role cannot be deleted; unlink it from its roles first.
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="role_skills")
    importance = models.CharField(max_length=10, choices=Importance, default=Importance.REQUIRED)
    explanation = models.TextField(blank=True, help_text="What this skill means in this role.")

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
    top = RoleSkill.objects.required().technical().select_related("skill")[:count]
    return models.Prefetch("role_skills", top, to_attr="top_skills")
