from django.db import models
from django.db.models import Q
from django.urls import reverse

from jobsite.models import OrderedModel, TimestampedModel
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
    def with_published_roles(self):
        """Prefetch ``published_role_skills``: published roles needing the skill, required first."""
        role_skills = (
            RoleSkill.objects.filter(role__status=Role.Status.PUBLISHED)
            .select_related("role")
            .order_by(RoleSkill.required_first(), "role__title")
        )
        return self.prefetch_related(
            models.Prefetch("role_skills", queryset=role_skills, to_attr="published_role_skills")
        )


class Skill(TimestampedModel):
    Kind = SkillKind

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=Kind)
    description = models.TextField(blank=True, help_text="What the skill is, for any role.")

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"], name="skill_kind_name_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=SkillKind.values), name="skill_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("skills:detail", kwargs={"slug": self.slug})

    @property
    def is_technical(self):
        return self.kind != self.Kind.SOFT_SKILL


class SkillImportance(models.TextChoices):
    REQUIRED = "required", "Required"
    PREFERRED = "preferred", "Preferred"


class RoleSkillQuerySet(models.QuerySet):
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

    @property
    def is_required(self):
        return self.importance == self.Importance.REQUIRED
