from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Upper
from django.urls import reverse
from django.utils import timezone

from jobsite.models import EscoConcept, OrderedModel, TimestampedModel, lines
from jobsite.text_search import document

isco_08_validator = RegexValidator(r"^\d{4}$", "An ISCO-08 unit group code has four digits.")
isco_group_validator = RegexValidator(r"^\d{1,4}$", "An ISCO-08 group code has one to four digits.")
esco_code_validator = RegexValidator(
    r"^\d{4}(\.\d+)+$", "An ESCO occupation code looks like 2512.4 (its unit group, then more)."
)
onet_soc_validator = RegexValidator(
    r"^\d{2}-\d{4}\.\d{2}$", "An O*NET-SOC code looks like 15-1252.00."
)


class RoleFamilyQuerySet(models.QuerySet):
    def for_listing(self):
        """Only what lists of families show (name, link, code, counts): ESCO's descriptions
        make a family's row kilobytes long, and the whole tree is 636 rows (three times
        faster to read without them)."""
        return self.only("name", "slug", "code")

    def isco_groups(self):
        """The ISCO-08 groups, by code: major groups (one digit) down to unit groups (four)."""
        return self.exclude(code="").order_by("code")

    def editorial(self):
        """Families an editor made, outside ISCO-08."""
        return self.filter(code="")

    def isco_path(self, code: str):
        """The groups from the major group down to the one coded ``code``."""
        prefixes = [code[:length] for length in range(1, len(code) + 1)]
        return self.filter(code__in=prefixes).order_by("code")

    def at_or_below(self, family: "RoleFamily"):
        """``family`` and, for an ISCO-08 group, every group below it: what a family's page
        and the roles list's family filter cover. ISCO-08 codes spell out the tree (2512 is
        under 251, under 25, under 2), so one prefix match finds the whole branch."""
        if family.code:
            return self.filter(code__startswith=family.code)
        return self.filter(pk=family.pk)

    def with_published_roles(self):
        """Families with a published role at or below them (``at_or_below``'s reach): the
        ones worth offering as a filter. An EXISTS per family, never a join, so each family
        comes once and the whole answer is one query, however many roles there are."""
        published = Role.objects.published()
        own = Exists(published.filter(family=OuterRef("pk")))
        in_branch = Exists(published.filter(family__code__startswith=OuterRef("code")))
        # An editor's family has no code, and "" starts every code: it counts its own only.
        return self.filter((Q(code="") & own) | (~Q(code="") & in_branch))

    def with_own_published_role_counts(self):
        """Every family with ``own_published_roles``: the published roles filed directly
        under it, none of its subgroups' (zero included).

        A count per family read from the (status, family) index, not a join through the
        roles table: at ESCO's scale that join reads every role's row (four times slower)."""
        own = (
            Role.objects.published()
            .filter(family=OuterRef("pk"))
            .order_by()
            .values("family")
            .annotate(count=Count("*"))
            .values("count")
        )
        return self.annotate(
            own_published_roles=Coalesce(Subquery(own, output_field=models.IntegerField()), 0)
        )

    def counted_tree(self) -> list["RoleFamily"]:
        """These families as a tree, read in one query: those with no broader group among
        them, by code then name, each with ``subgroups`` (the same, down to unit groups) and
        ``published_roles_at_or_below`` (its published roles and all its subgroups').

        The tree follows the codes, as ``at_or_below`` does, so a page's counts always match
        the roles it lists; a family without a code stands alone."""
        families = list(self.with_own_published_role_counts().order_by("code", "name"))
        groups_by_code = {family.code: family for family in families if family.code}

        def broader_group(code):
            # The longest prefix read: the parent, or a grandparent if a filter left it out.
            prefixes = (code[:length] for length in range(len(code) - 1, 0, -1))
            return next(
                (groups_by_code[prefix] for prefix in prefixes if prefix in groups_by_code), None
            )

        for family in families:
            family.subgroups = []
            family.published_roles_at_or_below = family.own_published_roles
        tops = []
        for family in families:
            broader = broader_group(family.code)
            (broader.subgroups if broader else tops).append(family)
        # Deepest first: a group's total is complete before it is added to its broader group's.
        for group in sorted(groups_by_code.values(), key=lambda group: -len(group.code)):
            if broader := broader_group(group.code):
                broader.published_roles_at_or_below += group.published_roles_at_or_below
        return tops

    def counted_broadest(self) -> list["RoleFamily"]:
        """counted_tree's top level alone (ISCO-08's major groups, and the families editors
        made), counted as counted_tree counts, without making the 600-odd groups below into
        records: what the home page lists. Two queries."""
        rows = list(
            self.with_own_published_role_counts()
            .order_by()
            .values_list("pk", "code", "own_published_roles")
        )
        pks_by_code = {code: pk for pk, code, _ in rows if code}

        def broadest(pk, code):
            # Its shortest code read: where counted_tree's walk up the broader groups ends.
            if not code:
                return pk
            prefixes = (code[:length] for length in range(1, len(code) + 1))
            return next(pks_by_code[prefix] for prefix in prefixes if prefix in pks_by_code)

        totals = {}
        for pk, code, count in rows:
            top = broadest(pk, code)
            totals[top] = totals.get(top, 0) + count
        tops = list(self.filter(pk__in=totals).order_by("code", "name"))
        for family in tops:
            family.published_roles_at_or_below = totals[family.pk]
        return tops


class RoleFamily(EscoConcept, TimestampedModel):
    """A family roles are browsed by: an ISCO-08 group (coded, in four levels, from an ESCO
    import) or one an editor made (no code)."""

    ISCO_LEVELS = {1: "Major group", 2: "Sub-major group", 3: "Minor group", 4: "Unit group"}

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    code = models.CharField(
        "ISCO-08 code",
        max_length=4,
        blank=True,
        validators=[isco_group_validator],
        help_text="For an ISCO-08 group: one digit for a major group, four for a unit group.",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The broader ISCO-08 group.",
    )
    is_demo = models.BooleanField(default=False, editable=False, help_text="Synthetic demo data.")

    objects = RoleFamilyQuerySet.as_manager()

    class Meta:
        ordering = ["code", "name"]
        verbose_name_plural = "role families"
        constraints = [
            *EscoConcept.Meta.constraints,
            # ISCO-08 repeats a group's name in its only child (Commissioned armed forces
            # officers at three levels), so names are unique among siblings only.
            models.UniqueConstraint(
                fields=["name", "parent"], nulls_distinct=False, name="rolefamily_unique_name"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="rolefamily_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(code="") | Q(code__regex=r"^\d{1,4}$"), name="rolefamily_code_format"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="rolefamily_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}" if self.code else self.name

    def get_absolute_url(self):
        return reverse("catalogue:family", kwargs={"slug": self.slug})

    @property
    def isco_level(self) -> str:
        return self.ISCO_LEVELS.get(len(self.code), "")


class SourceQuerySet(models.QuerySet):
    def best_matches_first(self, term: str):
        """Sources an editor typing ``term`` most likely means first: publisher, then title,
        then year, starting with its first word ("Tap" finds Tap Academy's post before the
        Glassdoor figures whose title only mentions it), newest first within each."""
        words = term.split()
        if not words:
            return self
        term = words[0]
        whens = [
            models.When(publisher__istartswith=term, then=0),
            models.When(title__istartswith=term, then=1),
        ]
        if term.isdigit():
            whens.append(models.When(year__startswith=term, then=2))
        starts_with = models.Case(*whens, default=3)
        return self.alias(starts_with=starts_with).order_by(
            "starts_with", "publisher", models.F("year").desc(nulls_last=True), "title"
        )


class Source(TimestampedModel):
    """Where a fact or figure comes from, so that readers can trace it."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    publisher = models.CharField(max_length=200)
    url = models.URLField("URL", blank=True, help_text="Leave empty when the source has no link.")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year published.")
    note = models.TextField(blank=True, help_text="What this source supports, and any caveats.")
    # PROTECT: deleting the citing source would silently make a secondhand figure look
    # firsthand.
    cited_in = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources_cited",
        help_text="When this source was not consulted directly: the source that cites it "
        "(Glassdoor's figures as cited by a blog post).",
    )
    is_demo = models.BooleanField(default=False, editable=False, help_text="Synthetic demo data.")

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["publisher", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__range=(1900, 2100)),
                name="source_year_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(cited_in=models.F("pk")), name="source_not_cited_in_itself"
            ),
        ]

    def __str__(self):
        # What tells two sources apart in a picker: who published it, when, and its title.
        year = f" ({self.year})" if self.year else ""
        return f"{self.publisher}{year}: {self.title}"

    @property
    def citation(self) -> str:
        """The source as a reader sees it beside a fact or figure: "Tap Academy, 2023", or
        for one known only through another, "Glassdoor, as cited by Tap Academy, 2023".

        Reads ``cited_in``: the query that feeds it selects it (``source__cited_in``)."""
        # No query for a source cited nowhere (or one not yet saved).
        known = self.cited_in_id is not None or Source.cited_in.is_cached(self)
        cited_in = self.cited_in if known else None
        return citation(
            self.publisher,
            self.year,
            cited_by=cited_in.publisher if cited_in else "",
            cited_by_year=cited_in.year if cited_in else None,
        )


def citation(publisher: str, year: int | None, *, cited_by: str = "", cited_by_year=None) -> str:
    """How a source is named beside a figure (Source.citation), from plain values, for reads
    that have no Source at hand (the salary CSV): "Tap Academy, 2023"; "Glassdoor, as cited by
    Tap Academy, 2023"; "Glassdoor, 2022, as cited by Tap Academy, 2023" when the years differ.
    """
    if not cited_by:
        return f"{publisher}, {year}" if year else publisher
    # The year is said once, after the citing source, unless the two differ.
    own_year = f", {year}" if year and year != cited_by_year else ""
    citing = f"{cited_by}, {cited_by_year}" if cited_by_year else cited_by
    return f"{publisher}{own_year}, as cited by {citing}"


class RoleQuerySet(models.QuerySet):
    """Reads of roles alone. Reads that bring in their skills or pay are the catalogue's
    (catalogue.selectors): roles know nothing of the apps that point at them."""

    def published(self):
        return self.filter(status=Role.Status.PUBLISHED)

    def sharing_family_with(self, role: "Role"):
        """Other published roles in ``role``'s family, by title, for links to them."""
        return (
            self.published()
            .filter(family_id=role.family_id)
            .exclude(pk=role.pk)
            .only("title", "slug")
            .order_by("title")
        )

    def gone(self):
        """Archived roles (one ESCO retired, say), with what their "gone" page links to."""
        return (
            self.filter(status=Role.Status.ARCHIVED)
            .select_related("family", "broader")
            .defer("search_vector", "broader__search_vector")
        )


class RoleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    # Submitted by an editor, waiting for a reviewer (roles.review): not public, as a draft.
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Role(EscoConcept, TimestampedModel):
    Status = RoleStatus

    title = models.CharField(max_length=150, unique=True)
    alternative_titles = models.TextField(
        blank=True,
        help_text="Other titles the role goes by, one per line; search finds the role by them.",
    )
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
    esco_code = models.CharField(
        "ESCO code",
        max_length=20,
        blank=True,
        validators=[esco_code_validator],
        help_text="ESCO's code for the occupation: its ISCO-08 unit group, then ESCO's own digits.",
    )
    esco_modified_at = models.DateTimeField(
        "modified in ESCO", null=True, blank=True, editable=False
    )
    broader = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="narrower",
        help_text="The broader occupation this role narrows, e.g. software developer.",
    )
    reviewed_on = models.DateField(
        null=True, blank=True, help_text="When an editor last checked the whole description."
    )
    is_demo = models.BooleanField(default=False, editable=False, help_text="Synthetic demo data.")
    # Built from the role and the rows it owns, so not a GeneratedField: kept current by
    # catalogue.search.refresh_role_search_vectors (its weights are listed there).
    search_vector = SearchVectorField(null=True, editable=False)
    # Its titles' words alone (search_vector's weight-A part): ranking the roles whose titles
    # hold the searched words first reads this small column, where cutting the titles out
    # of every match's search_vector (kilobytes, stored out of line) read that twice more.
    title_vector = models.GeneratedField(
        expression=document("title", "alternative_titles", weight="A"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
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
        # Editing a role and deciding what the public sees are separate (roles.review):
        # the Editors group has change_role, the Reviewers group this as well.
        permissions = [("publish_role", "Can publish, archive and send back roles")]
        indexes = [
            models.Index(fields=["status", "family"], name="role_status_family_idx"),
            # The published roles' ids without reading the table (an index-only scan): the
            # counts and joins of the skills list, the explorer and its places start there.
            models.Index(fields=["status", "id"], name="role_status_id_idx"),
            GinIndex(fields=["search_vector"], name="role_search_vector_idx"),
            # The salary explorer's role box takes a title in any letter case (title__iexact,
            # which PostgreSQL compares upper-cased): salaries.forms.RoleField.
            models.Index(Upper("title"), name="role_upper_title_idx"),
            # The few featured roles, by title: the home page, the role box's suggestions.
            models.Index(fields=["title"], condition=Q(featured=True), name="role_featured_idx"),
        ]
        constraints = [
            *EscoConcept.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(broader=models.F("pk")), name="role_not_own_broader"
            ),
            models.CheckConstraint(
                condition=Q(esco_code="") | Q(esco_code__regex=r"^\d{4}(\.\d+)+$"),
                name="role_esco_code_format",
            ),
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

    def save_warnings(self) -> list[str]:
        """What an editor should hear once this role is saved, never a reason to refuse it
        (admin shows each as a warning)."""
        if self.is_published and not (self.salary_bands.exists() or self.salary_figures.exists()):
            return [
                f"“{self.title}” is published without pay: its page shows no salary figures. "
                "Add a band or a figure when a source gives one."
            ]
        return []

    @property
    def also_called(self) -> list[str]:
        """The alternative titles, one per line in the field, as a list."""
        return lines(self.alternative_titles)

    def missing_for_publishing(self, *, responsibilities: int, skills: int) -> list[str]:
        """What the role's page lacks to be worth a visitor's time, given how many
        responsibilities and skills it has: a published page needs more than a summary."""
        missing = []
        if not self.summary.strip():
            missing.append("a summary")
        if not self.overview.strip():
            missing.append("an overview")
        if not responsibilities and not skills:
            missing.append("responsibilities or skills")
        return missing


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


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted for review"
    SENT_BACK = "sent_back", "Sent back"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"
    UNPUBLISHED = "unpublished", "Taken back to draft"


class ReviewEvent(models.Model):
    """One step of a role's review (roles.review): who submitted it, who published, archived
    or sent it back, when, and with what comment. Written by the workflow only, never edited."""

    Action = ReviewAction

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="review_events")
    action = models.CharField(max_length=11, choices=Action)
    # PROTECT: who asked and who approved must outlive the account; deactivate it instead.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_events"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["role", "-at"], name="reviewevent_role_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=ReviewAction.values),
                name="reviewevent_action_valid",
            ),
            # The editor must be told why: a role is never sent back without a word.
            models.CheckConstraint(
                condition=~Q(action="sent_back") | ~Q(comment=""),
                name="reviewevent_sent_back_says_why",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.role} by {self.by}"
