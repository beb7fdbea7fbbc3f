import reversion
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Subquery
from django.urls import reverse

from jobsite.models import OrderedModel, TimestampedModel

isco_08_validator = RegexValidator(r"^\d{4}$", "An ISCO-08 unit group code has four digits.")
onet_soc_validator = RegexValidator(
    r"^\d{2}-\d{4}\.\d{2}$", "An O*NET-SOC code looks like 15-1252.00."
)


class RoleFamilyQuerySet(models.QuerySet):
    def with_published_role_counts(self):
        """Families that have published roles, each with ``published_roles`` counted."""
        return self.annotate(
            published_roles=Count("roles", filter=Q(roles__status=RoleStatus.PUBLISHED))
        ).filter(published_roles__gt=0)


@reversion.register()
class RoleFamily(TimestampedModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, editable=False, help_text="Synthetic demo data.")

    objects = RoleFamilyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "role families"

    def __str__(self):
        return self.name


@reversion.register()
class Source(TimestampedModel):
    """Where a fact or figure comes from, so that readers can trace it."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    publisher = models.CharField(max_length=200)
    url = models.URLField("URL", blank=True, help_text="Leave empty when the source has no link.")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year published.")
    note = models.TextField(blank=True, help_text="What this source supports, and any caveats.")
    is_demo = models.BooleanField(default=False, editable=False, help_text="Synthetic demo data.")

    class Meta:
        ordering = ["publisher", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__range=(1900, 2100)),
                name="source_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.publisher}: {self.title}"


class RoleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Role.Status.PUBLISHED)

    def with_all_skills(self, skills):
        """Roles that list every one of ``skills``."""
        from skills.models import RoleSkill

        roles = self
        for skill in skills:
            roles = roles.filter(Exists(RoleSkill.objects.filter(role=OuterRef("pk"), skill=skill)))
        return roles

    def with_pay_summary(self):
        """Annotate the span of the role's yearly salary bands in the catalogue's currency:
        ``pay_minimum`` (lowest minimum), ``pay_maximum`` (highest maximum),
        ``open_topped_bands`` (a band has no maximum), and the experience they cover
        (``experience_from``, ``experience_to``, ``open_ended_bands``).

        Bands in other currencies or pay periods are left out: a range mixing them means
        nothing. Correlated subqueries rather than a join and GROUP BY, so that a paginated
        list works them out for the rows it shows, not for every role."""
        from salaries.models import SalaryBand

        bands = SalaryBand.objects.filter(
            role=OuterRef("pk"), currency=settings.CATALOGUE_CURRENCY, period="year"
        )

        def over_bands(aggregate):
            return Subquery(
                bands.order_by().values("role").annotate(value=aggregate).values("value")[:1]
            )

        return self.annotate(
            pay_minimum=over_bands(Min("minimum")),
            pay_maximum=over_bands(Max("maximum")),
            open_topped_bands=Exists(bands.filter(maximum__isnull=True)),
            experience_from=over_bands(Min("experience_min_years")),
            experience_to=over_bands(Max("experience_max_years")),
            open_ended_bands=Exists(bands.filter(experience_max_years__isnull=True)),
        )

    def with_top_skills(self, count: int = 3):
        """Prefetch ``top_skills``: the first ``count`` required technical skills."""
        from skills.models import RoleSkill

        top = RoleSkill.objects.required().technical().select_related("skill")[:count]
        return self.prefetch_related(models.Prefetch("role_skills", top, to_attr="top_skills"))

    def for_listing(self):
        """Published roles as cards: family, pay span and top skills, in fixed queries."""
        return (
            self.published()
            .select_related("family")
            .with_pay_summary()
            .with_top_skills()
            .order_by("title")
        )

    def for_detail_page(self):
        """Everything the role page shows, in a fixed number of queries."""
        # Imported here: skills and salaries depend on roles, not the other way round.
        from salaries.models import HigherPayingLocation, SalaryBand, SalaryFigure
        from skills.models import RoleSkill

        role_skills = RoleSkill.objects.select_related("skill")
        return (
            self.select_related("family")
            .with_pay_summary()
            .prefetch_related(
                "responsibilities",
                "faqs",
                "sources",
                models.Prefetch(
                    "role_skills", queryset=role_skills.technical(), to_attr="technical_skills"
                ),
                models.Prefetch("role_skills", queryset=role_skills.soft(), to_attr="soft_skills"),
                models.Prefetch(
                    "collaborations",
                    queryset=Collaboration.objects.select_related("collaborator"),
                ),
                models.Prefetch(
                    "salary_bands", queryset=SalaryBand.objects.select_related("location", "source")
                ),
                models.Prefetch(
                    "salary_figures",
                    queryset=SalaryFigure.objects.select_related("location", "source"),
                ),
                models.Prefetch(
                    "higher_paying_locations",
                    queryset=HigherPayingLocation.objects.select_related("location", "source"),
                ),
            )
        )


# History (django-reversion): a role's every version holds the role with all of its rows, so
# restoring one brings back rows deleted since and removes rows added since. Most rows follow
# their role in turn, so a change made elsewhere (a band edited on the salary bands page) shows
# in the role's history too. Restoring reverts a whole revision, so a revision must hold one
# role at most: see RoleSkill, jobsite.admin and roles.catalogue.
ROLE_HISTORY_FOLLOWS = [
    "responsibilities",
    "faqs",
    "role_skills",
    "collaborations",
    "salary_bands",
    "salary_figures",
    "higher_paying_locations",
]


class RoleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


@reversion.register(follow=ROLE_HISTORY_FOLLOWS, exclude=["search_vector"])
class Role(TimestampedModel):
    Status = RoleStatus

    title = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    family = models.ForeignKey(RoleFamily, on_delete=models.PROTECT, related_name="roles")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    featured = models.BooleanField(default=False, help_text="Show this role on the home page.")
    summary = models.CharField(max_length=300, help_text="One or two sentences for lists.")
    overview = models.TextField(blank=True, help_text="Who holds this role and what they do.")
    qualifications = models.TextField(blank=True)
    education = models.TextField(blank=True, help_text="Degrees and training usually expected.")
    outlook = models.TextField(blank=True, help_text="Demand for the role in the job market.")
    salary_note = models.TextField(
        blank=True, help_text="What pay depends on, and caveats on the figures."
    )
    isco_08 = models.CharField(
        "ISCO-08 code", max_length=4, blank=True, validators=[isco_08_validator]
    )
    onet_soc = models.CharField(
        "O*NET-SOC code", max_length=10, blank=True, validators=[onet_soc_validator]
    )
    reviewed_on = models.DateField(
        null=True, blank=True, help_text="When an editor last checked the whole description."
    )
    is_demo = models.BooleanField(default=False, editable=False, help_text="Synthetic demo data.")
    # Title (A), skills (B), summary, responsibilities and FAQs (C), overview, qualifications
    # and education (D); kept current by roles.search.
    search_vector = SearchVectorField(null=True, editable=False)
    sources = models.ManyToManyField(Source, blank=True, related_name="roles")
    works_with = models.ManyToManyField(
        "self",
        through="Collaboration",
        through_fields=("role", "collaborator"),
        symmetrical=False,
        related_name="worked_with_by",
        blank=True,
    )

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status", "family"], name="role_status_family_idx"),
            GinIndex(fields=["search_vector"], name="role_search_vector_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(isco_08="") | Q(isco_08__regex=r"^\d{4}$"),
                name="role_isco_08_format",
            ),
            models.CheckConstraint(
                condition=Q(onet_soc="") | Q(onet_soc__regex=r"^\d{2}-\d{4}\.\d{2}$"),
                name="role_onet_soc_format",
            ),
            models.CheckConstraint(
                condition=Q(status__in=RoleStatus.values),
                name="role_status_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("roles:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


@reversion.register(follow=["role"])
class Responsibility(OrderedModel):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="responsibilities")
    text = models.TextField()

    class Meta(OrderedModel.Meta):
        verbose_name_plural = "responsibilities"
        constraints = [
            models.UniqueConstraint(fields=["role", "text"], name="responsibility_unique_per_role"),
        ]

    def __str__(self):
        return self.text


@reversion.register(follow=["role"])
class FrequentlyAskedQuestion(OrderedModel):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=300)
    answer = models.TextField()

    class Meta(OrderedModel.Meta):
        verbose_name = "FAQ"
        verbose_name_plural = "FAQs"
        constraints = [
            models.UniqueConstraint(
                fields=["role", "question"], name="faq_question_unique_per_role"
            ),
        ]

    def __str__(self):
        return self.question


@reversion.register(follow=["role"])
class Collaboration(OrderedModel):
    """Another role that this role works with day to day, and how."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="collaborations")
    # Refuse to delete a role that others say they work with: the link would vanish silently.
    collaborator = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="collaborations_as_collaborator"
    )
    note = models.CharField(
        max_length=300, blank=True, help_text="How the two roles work together."
    )

    class Meta(OrderedModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["role", "collaborator"], name="collaboration_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(role=models.F("collaborator")), name="collaboration_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.role} works with {self.collaborator}"
