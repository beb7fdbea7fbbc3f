import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, ExpressionWrapper, F, FilteredRelation, OuterRef, Q
from django.utils import timezone

from jobsite.models import OrderedModel, TimestampedModel
from roles.models import Role, Source

from .formatting import experience_range, money, pay_range

currency_validator = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. INR.")
country_validator = RegexValidator(r"^[A-Z]{2}$", "Use a two-letter ISO 3166-1 code, e.g. IN.")
YEAR_RANGE = (1990, 2100)
# A figure is flagged "older than two years" (formatting.STALE_LABEL) when the year it
# describes is more than this many years before the current one: in 2026, figures for 2023
# are flagged, those for 2024 are not.
STALE_AFTER_YEARS = 2


class PayPeriod(models.TextChoices):
    YEAR = "year", "per year"
    MONTH = "month", "per month"


class LocationQuerySet(models.QuerySet):
    def with_published_salary_bands(self):
        """Places that at least one published role has a salary band for."""
        return self.filter(
            Exists(
                SalaryBand.objects.filter(
                    location=OuterRef("pk"), role__status=Role.Status.PUBLISHED
                )
            )
        )


class Location(TimestampedModel):
    """A country, or a city within one (its parent)."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    country_code = models.CharField(
        max_length=2, validators=[country_validator], help_text="ISO 3166-1 alpha-2, e.g. IN."
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The country a city lies in; empty for a country.",
    )
    is_demo = models.BooleanField(default=False, editable=False, help_text="Synthetic demo data.")

    objects = LocationQuerySet.as_manager()

    class Meta:
        ordering = ["country_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "parent"], nulls_distinct=False, name="location_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(country_code__regex=r"^[A-Z]{2}$"), name="location_country_code_format"
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="location_not_own_parent"),
        ]

    def __str__(self):
        return self.name


class SalaryMeasure(models.TextChoices):
    AVERAGE = "average", "Average"
    MEDIAN = "median", "Median"
    MINIMUM = "minimum", "Starting from"
    MAXIMUM = "maximum", "Up to"


@dataclass(frozen=True)
class PayBounds:
    """The lowest and highest pay, in whole currency units, accepted for one currency and
    period."""

    lowest: int
    highest: int

    def holds(self, amount: int) -> bool:
        return self.lowest <= amount <= self.highest


# What counts as plausible pay, by currency and period: anything outside is a slip of the
# keyboard (₹1, twelve nines), not a salary. Generous on purpose, so that no real band is
# refused: rupees a year run from ₹10,000 (a part-time stipend) to ₹10 crore, far above the
# top band of any role (a chief executive's whole package is not a band for a role). Monthly
# bounds are the yearly ones over twelve, rounded outward. Dollars, euros and pounds (for
# sources abroad) run from 1,000 a year, a student's part-time pay, to 5 million, above any
# role's top band there. A currency with no row here is refused: its scale is unknown.
PAY_BOUNDS: dict[tuple[str, str], PayBounds] = {
    ("INR", "year"): PayBounds(10_000, 100_000_000),
    ("INR", "month"): PayBounds(500, 10_000_000),
    **{(currency, "year"): PayBounds(1_000, 5_000_000) for currency in ("USD", "EUR", "GBP")},
    **{(currency, "month"): PayBounds(50, 500_000) for currency in ("USD", "EUR", "GBP")},
}
PAY_PERIODS = set(PayPeriod.values)
currency_format = currency_validator.regex
# What the database says when clean() was skipped; clean() names the field and the bound.
IMPLAUSIBLE_PAY = "Pay is outside the plausible range for its currency and period."
# A band whose midpoint is more than this many times above or below the median of its role's
# other bands is far out of line: a slipped zero (10 times) is caught with room to spare,
# while a real ladder, entry to senior, sits within about three times of its middle.
OUT_OF_LINE_FACTOR = 5


def is_stale(year: int, *, this_year: int | None = None) -> bool:
    """Whether figures for ``year`` are older than STALE_AFTER_YEARS, in ``this_year`` (by
    default, today's)."""
    return (this_year or timezone.localdate().year) - year > STALE_AFTER_YEARS


def plausible_pay(field: str, *, optional: bool = False) -> Q:
    """Rows whose ``field`` is plausible pay in their currency and period (PAY_BOUNDS), for
    a check constraint; ``optional``: an empty field passes too."""
    condition = Q(**{f"{field}__isnull": True}) if optional else Q()
    for (currency, period), bounds in PAY_BOUNDS.items():
        condition |= Q(
            currency=currency, period=period, **{f"{field}__range": (bounds.lowest, bounds.highest)}
        )
    return condition


class MoneyFields(models.Model):
    """Currency, pay period, place, source and year shared by every salary figure."""

    currency = models.CharField(max_length=3, default="INR", validators=[currency_validator])
    period = models.CharField(max_length=5, choices=PayPeriod, default=PayPeriod.YEAR)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="Year the figure was reported.")

    class Meta:
        abstract = True

    @property
    def is_stale(self) -> bool:
        """Whether the year the figure describes is more than STALE_AFTER_YEARS ago."""
        return is_stale(self.year)

    def save_warnings(self) -> list[str]:
        """What an editor should hear once this figure is saved (Role.save_warnings)."""
        if self.is_stale:
            return [
                f"{self} describes {self.year}, more than {STALE_AFTER_YEARS} years ago: its "
                "page flags it as older than two years. Add newer figures when a source has "
                "them."
            ]
        return []

    def implausible_pay(self, *amount_fields: str) -> dict[str, str]:
        """Why each of ``amount_fields`` (an empty one is skipped) is not plausible pay in
        this record's currency and period (PAY_BOUNDS), by field; empty when all are."""
        if not currency_format.fullmatch(self.currency or "") or self.period not in PAY_PERIODS:
            return {}  # the field's own validators say what is wrong with it
        bounds = PAY_BOUNDS.get((self.currency, self.period))
        per_period = f"{self.currency} {PayPeriod(self.period).label}"
        if bounds is None:
            known = ", ".join(sorted({currency for currency, _ in PAY_BOUNDS}))
            return {
                "currency": f"Pay in {self.currency} cannot be checked, so it is not accepted: "
                f"plausible pay is set for {known} only (a developer can add a currency to "
                "PAY_BOUNDS in salaries/models.py)."
            }
        hint = (
            "Enter whole rupees: 5 lakh is 500000."
            if self.currency == "INR"
            else f"Enter whole units of {self.currency}, not thousands."
        )
        errors = {}
        for name in amount_fields:
            amount = getattr(self, name)
            if amount is None or bounds.holds(amount):
                continue
            label = self._meta.get_field(name).verbose_name
            if amount < bounds.lowest:
                limit, side = bounds.lowest, "below the lowest"
            else:
                limit, side = bounds.highest, "above the highest"
            errors[name] = (
                f"The {label}, {money(amount, self.currency)}, is {side} plausible pay in "
                f"{per_period}: {money(limit, self.currency)}. {hint}"
            )
        return errors


def money_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(currency__regex=r"^[A-Z]{3}$"), name=f"{prefix}_currency_iso_4217"
        ),
        models.CheckConstraint(
            condition=Q(period__in=PayPeriod.values),
            name=f"{prefix}_period_valid",
        ),
        models.CheckConstraint(
            condition=Q(year__range=YEAR_RANGE), name=f"{prefix}_year_plausible"
        ),
    ]


def holds_experience(years: Decimal) -> Q:
    """Bands whose range holds ``years``: lower bound inclusive, upper exclusive or open."""
    return Q(experience_min_years__lte=years) & (
        Q(experience_max_years__isnull=True) | Q(experience_max_years__gt=years)
    )


# What a band may carry besides its range when its source gives them, lowest first; shown
# when present and never worked out here.
BAND_STATISTICS = ("percentile_25", "median", "percentile_75")

EXPLORER_BAND_FIELDS = (
    "role",
    "location",
    "source",
    "currency",
    "period",
    "year",
    "experience_min_years",
    "experience_max_years",
    "minimum",
    "maximum",
    *BAND_STATISTICS,
    "sample_size",
)
# Bands as readers meet them, on a role's page and in the explorer alike: each place's bands
# together, those for anywhere first, then each country before its cities (by name); within a
# place by currency, period and experience, so that a cell's bands (one per source, see
# salaries.cells) come together, by publisher.
READING_ORDER = (
    F("location__country_code").asc(nulls_first=True),
    F("location__parent").asc(nulls_first=True),
    "location__name",
    "currency",
    "period",
    "experience_min_years",
    F("experience_max_years").asc(nulls_last=True),
    "source__publisher",
    "pk",
)


def in_order(low: str, high: str) -> Q:
    """Rows whose ``low`` field is not above their ``high`` one, or where either is empty."""
    return (
        Q(**{f"{low}__isnull": True})
        | Q(**{f"{high}__isnull": True})
        | Q(**{f"{low}__lte": F(high)})
    )


class MoneyQuerySet(models.QuerySet):
    """What bands and figures share (MoneyFields)."""

    def stale(self, *, this_year: int | None = None):
        """Those describing a year more than STALE_AFTER_YEARS ago (is_stale, in SQL)."""
        this_year = this_year or timezone.localdate().year
        return self.filter(year__lt=this_year - STALE_AFTER_YEARS)


class SalaryBandQuerySet(MoneyQuerySet):
    def for_experience(self, years: Decimal):
        """Bands whose range holds ``years``: lower bound inclusive, upper exclusive or open."""
        return self.filter(holds_experience(years))

    def mark_experience(self, years: Decimal):
        """Keep every band, annotating ``matches_experience``: whether it holds ``years``.

        The explorer shows a role's whole pay ladder and marks the visitor's rung, which says
        more than the one matching row alone."""
        return self.annotate(
            matches_experience=ExpressionWrapper(
                holds_experience(years), output_field=models.BooleanField()
            )
        )

    def alongside(self, band: "SalaryBand"):
        """The other bands of ``band``'s role in its currency and period: what its pay is
        compared with (SalaryBand.out_of_line_with)."""
        return (
            self.filter(role_id=band.role_id, currency=band.currency, period=band.period)
            .exclude(pk=band.pk)
            .only("pk", "currency", "period", "minimum", "maximum")
        )

    def in_reading_order(self):
        return self.order_by(*READING_ORDER)

    def for_role_page(self):
        """A role's bands as its page shows them (catalogue.selectors): each with its place
        and its source, and the source that one is cited in (Source.citation), in reading
        order."""
        return self.select_related("location", "source__cited_in").in_reading_order()

    def for_explorer(self):
        """Bands of published roles with what the explorer, its CSV and the API show, by
        role, then in reading order.

        Only the fields they show: the CSV reads every band, and a role's whole row (its
        prose and search vector, kilobytes) would come with each one."""
        return (
            self.filter(role__status=Role.Status.PUBLISHED)
            .select_related("role", "location", "source__cited_in")
            .only(
                *EXPLORER_BAND_FIELDS,
                "role__title",
                "role__slug",
                "location__name",
                "location__slug",
                "source__title",
                "source__publisher",
                "source__url",
                "source__year",
                "source__cited_in",
                "source__cited_in__publisher",
                "source__cited_in__year",
            )
            .order_by("role__title", *READING_ORDER)
        )


class PayOverExperience:
    """What a salary band and a cell of bands from several sources (salaries.cells) both
    answer, from their ``experience_min_years`` and ``experience_max_years``, ``minimum``
    and ``maximum``, ``currency`` and ``period``."""

    @property
    def experience_label(self) -> str:
        """ "0 to under 2 years", "10 years or more": edges no reader can misread."""
        return experience_range(self.experience_min_years, self.experience_max_years)

    def holds(self, years: Decimal) -> bool:
        """Whether ``years`` of experience falls in this band."""
        return self.experience_min_years <= years and (
            self.experience_max_years is None or years < self.experience_max_years
        )

    @property
    def midpoint(self) -> Decimal | None:
        """The middle of the band's pay; its minimum when the top is open."""
        if self.minimum is None:
            return None
        if self.maximum is None:
            return Decimal(self.minimum)
        return (Decimal(self.minimum) + Decimal(self.maximum)) / 2

    def out_of_line_with(self, others: Iterable["PayOverExperience"]) -> "OutOfLine | None":
        """How far this band's pay is out of line with ``others`` (its role's other bands,
        saved or submitted with it), or None when it is in line: its midpoint is compared
        with the median midpoint of those in the same currency and period, and is out of
        line when more than OUT_OF_LINE_FACTOR times above or below it.

        The one definition of "far out of line": admin asks an editor to confirm such a band,
        and the chart cuts its bar short rather than let it squash the others."""
        midpoint = self.midpoint
        if not midpoint:
            return None
        comparable = [
            other.midpoint
            for other in others
            if other is not self
            and (self.pk is None or other.pk != self.pk)
            and (other.currency, other.period) == (self.currency, self.period)
            and other.midpoint
        ]
        if not comparable:
            return None
        median = statistics.median(comparable)
        factor = max(midpoint / median, median / midpoint)
        if factor <= OUT_OF_LINE_FACTOR:
            return None
        return OutOfLine(band=self, factor=factor, above=midpoint > median, median=median)


class SalaryBand(PayOverExperience, MoneyFields):
    """Pay for a role over a range of years of experience, e.g. 2 to under 5 years: INR 5–15
    lakh, from one source. Several sources may give a band for the same role, place and
    experience: one band each (a "cell" of bands, salaries.cells)."""

    # A role with salary data cannot be deleted: the figures would vanish with it.
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="salary_bands")
    experience_min_years = models.DecimalField(
        "from (years)",
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Lower bound, inclusive.",
    )
    experience_max_years = models.DecimalField(
        "to (years)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Upper bound, exclusive. Empty for an open range such as 10 years or more.",
    )
    minimum = models.PositiveBigIntegerField(help_text="Whole currency units.")
    maximum = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="Whole currency units. Empty for an open top, e.g. 25 lakh+.",
    )
    percentile_25 = models.PositiveBigIntegerField(
        "25th percentile",
        null=True,
        blank=True,
        help_text="Whole currency units; only when the source gives it.",
    )
    median = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Whole currency units; only when the source gives it."
    )
    percentile_75 = models.PositiveBigIntegerField(
        "75th percentile",
        null=True,
        blank=True,
        help_text="Whole currency units; only when the source gives it.",
    )
    sample_size = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How many salaries the source's figures are drawn from, when it says.",
    )

    objects = SalaryBandQuerySet.as_manager()

    class Meta:
        ordering = ["role_id", "location_id", "experience_min_years"]
        constraints = [
            *money_constraints("salary_band"),
            models.CheckConstraint(
                condition=Q(experience_min_years__gte=0), name="salary_band_experience_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(experience_max_years__isnull=True)
                | Q(experience_max_years__gt=F("experience_min_years")),
                name="salary_band_experience_ordered",
            ),
            models.CheckConstraint(
                condition=Q(minimum__gte=0), name="salary_band_minimum_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=F("minimum")),
                name="salary_band_minimum_not_above_maximum",
            ),
            models.CheckConstraint(
                condition=plausible_pay("minimum"),
                name="salary_band_minimum_plausible",
                violation_error_message=IMPLAUSIBLE_PAY,
            ),
            models.CheckConstraint(
                condition=plausible_pay("maximum", optional=True),
                name="salary_band_maximum_plausible",
                violation_error_message=IMPLAUSIBLE_PAY,
            ),
            *(
                models.CheckConstraint(
                    condition=plausible_pay(name, optional=True),
                    name=f"salary_band_{name}_plausible",
                    violation_error_message=IMPLAUSIBLE_PAY,
                )
                for name in BAND_STATISTICS
            ),
            # 25th percentile, median, 75th percentile: in that order, within the range.
            models.CheckConstraint(
                condition=in_order("percentile_25", "median")
                & in_order("median", "percentile_75")
                & in_order("percentile_25", "percentile_75"),
                name="salary_band_statistics_ordered",
            ),
            models.CheckConstraint(
                condition=Q(
                    *(
                        in_order("minimum", name) & in_order(name, "maximum")
                        for name in BAND_STATISTICS
                    )
                ),
                name="salary_band_statistics_within_range",
            ),
            models.CheckConstraint(
                condition=Q(sample_size__isnull=True) | Q(sample_size__gte=1),
                name="salary_band_sample_size_positive",
            ),
            # One band per starting point for a role, place, currency and period from each
            # source; overlaps beyond that are caught by clean() (an exclusion constraint
            # needs btree_gist). Its fields, less the role, are how the catalogue files tell
            # a role's bands apart (catalogue.parts).
            models.UniqueConstraint(
                fields=[
                    "role",
                    "location",
                    "currency",
                    "period",
                    "experience_min_years",
                    "source",
                ],
                nulls_distinct=False,
                name="salary_band_unique_start_per_source",
            ),
        ]
        indexes = [
            models.Index(
                fields=["role", "experience_min_years", "experience_max_years"],
                name="salary_band_experience_idx",
            ),
        ]

    def __str__(self):
        return f"{self.role}: {self.experience_label}"

    def clean(self):
        super().clean()
        if errors := self.implausible_pay("minimum", "maximum", *BAND_STATISTICS):
            raise ValidationError(errors)
        if errors := self.statistics_out_of_order():
            raise ValidationError(errors)
        if self.role_id is None or self.experience_min_years is None:
            return
        if (
            self.experience_max_years is not None
            and self.experience_max_years <= self.experience_min_years
        ):
            raise ValidationError(
                {"experience_max_years": "The upper bound must be above the lower bound."}
            )
        if self.maximum is not None and self.minimum is not None and self.maximum < self.minimum:
            raise ValidationError({"maximum": "The maximum cannot be below the minimum."})
        # Each source's bands for a place form a ladder of their own: another source may
        # cut the same years differently.
        overlapping = (
            SalaryBand.objects.filter(
                role_id=self.role_id,
                location_id=self.location_id,
                source_id=self.source_id,
                currency=self.currency,
                period=self.period,
            )
            .exclude(pk=self.pk)
            .filter(
                Q(experience_max_years__isnull=True)
                | Q(experience_max_years__gt=self.experience_min_years)
            )
        )
        if self.experience_max_years is not None:
            overlapping = overlapping.filter(experience_min_years__lt=self.experience_max_years)
        if overlapping.exists():
            raise ValidationError(
                "This experience range overlaps another band from the same source for the "
                "same place."
            )

    def statistics_out_of_order(self) -> dict[str, str]:
        """Why the percentiles and median given are not in order within the band's range,
        by field; empty when they are (the database checks the same)."""
        errors = {}
        given = [(name, getattr(self, name)) for name in BAND_STATISTICS]
        given = [(name, value) for name, value in given if value is not None]

        def label(name):
            return self._meta.get_field(name).verbose_name

        for name, value in given:
            if self.minimum is not None and value < self.minimum:
                errors[name] = f"The {label(name)} cannot be below the minimum."
            elif self.maximum is not None and value > self.maximum:
                errors[name] = f"The {label(name)} cannot be above the maximum."
        for (low_name, low), (high_name, high) in zip(given, given[1:], strict=False):
            if low > high and high_name not in errors:
                errors[high_name] = f"The {label(high_name)} cannot be below the {label(low_name)}."
        return errors


@dataclass(frozen=True)
class OutOfLine:
    """A band far out of line with its role's other bands (SalaryBand.out_of_line_with)."""

    band: PayOverExperience
    factor: Decimal  # how many times above or below the median, always more than 1
    above: bool
    median: Decimal  # the median midpoint of the other bands

    def __str__(self):
        band = self.band
        times = f"{self.factor:.0f}" if self.factor >= 10 else f"{self.factor:.1f}"
        direction = "higher" if self.above else "lower"
        return (
            f"The {band.experience_label} band, {pay_range(band)}, is far out of line: its "
            f"midpoint, {money(round(band.midpoint), band.currency)}, is {times} times "
            f"{direction} than the median of this role's other {band.currency} "
            f"{band.get_period_display()} bands, {money(round(self.median), band.currency)}."
        )


class PaySpan(models.Model):
    """The span of one role's salary bands in one currency and pay period: the lowest
    minimum and highest maximum, the experience they cover, and whether any band is open at
    the top or the end. What role cards, lists and pages show beside a role (pay_summary).

    Derived from the bands and kept by the database, never by Django: triggers on the bands'
    table rebuild a role's spans in the very statement that adds, changes or deletes its
    bands (migration 0005), so admin edits, bulk imports and raw SQL all leave it right, in
    the same transaction. Reading one row beats working six aggregates out per role."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="pay_spans")
    currency = models.CharField(max_length=3)
    period = models.CharField(max_length=5, choices=PayPeriod)
    pay_minimum = models.PositiveBigIntegerField()
    pay_maximum = models.PositiveBigIntegerField(null=True)
    open_topped_bands = models.BooleanField()
    experience_from = models.DecimalField(max_digits=4, decimal_places=1)
    experience_to = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    open_ended_bands = models.BooleanField()

    class Meta:
        ordering = ["role_id", "currency", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "currency", "period"], name="pay_span_unique_per_role"
            ),
        ]

    def __str__(self):
        return f"{self.role_id}: {self.currency} {self.period}"


# What pay_summary annotates, each read from the same column of PaySpan.
PAY_SUMMARY_FIELDS = (
    "pay_minimum",
    "pay_maximum",
    "open_topped_bands",
    "experience_from",
    "experience_to",
    "open_ended_bands",
)


def pay_summary() -> dict[str, models.Expression]:
    """Annotations for roles: the span of each role's yearly salary bands in the catalogue's
    currency, ``pay_minimum`` (lowest minimum), ``pay_maximum`` (highest maximum),
    ``open_topped_bands`` (a band has no maximum), and the experience they cover
    (``experience_from``, ``experience_to``, ``open_ended_bands``):
    ``roles.annotate(**pay_summary())``. A role without such bands has None for each.

    Bands in other currencies or pay periods are left out: a range mixing them means
    nothing. Read from the role's PaySpan in that currency and period, one LEFT JOIN on a
    unique key: no aggregate per row, and a paginated list reads the rows it shows only."""
    catalogue_span = FilteredRelation(
        "pay_spans",
        condition=Q(
            pay_spans__currency=settings.CATALOGUE_CURRENCY, pay_spans__period=PayPeriod.YEAR
        ),
    )
    return {
        "catalogue_pay_span": catalogue_span,
        **{name: F(f"catalogue_pay_span__{name}") for name in PAY_SUMMARY_FIELDS},
    }


class SalaryFigureQuerySet(MoneyQuerySet):
    def for_role(self, role: Role, location: Location | None = None):
        """A role's figures with their place and source (and the source that one is cited
        in, for Source.citation), optionally for one place only."""
        figures = self.filter(role=role).select_related("location", "source__cited_in")
        if location is not None:
            figures = figures.filter(location=location)
        return figures


class SalaryFigure(MoneyFields):
    """A single pay figure for a role, such as the average base salary."""

    Measure = SalaryMeasure

    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="salary_figures")
    measure = models.CharField(max_length=10, choices=Measure)
    level = models.CharField(
        max_length=50, blank=True, help_text="Seniority the figure applies to; empty for all."
    )
    amount = models.PositiveBigIntegerField(help_text="Whole currency units.")
    note = models.CharField(max_length=300, blank=True)

    objects = SalaryFigureQuerySet.as_manager()

    class Meta:
        ordering = ["role_id", "measure", "level"]
        constraints = [
            *money_constraints("salary_figure"),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="salary_figure_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=plausible_pay("amount"),
                name="salary_figure_amount_plausible",
                violation_error_message=IMPLAUSIBLE_PAY,
            ),
            models.CheckConstraint(
                condition=Q(measure__in=SalaryMeasure.values),
                name="salary_figure_measure_valid",
            ),
            models.UniqueConstraint(
                fields=["role", "measure", "level", "location", "currency", "period"],
                nulls_distinct=False,
                name="salary_figure_unique",
            ),
        ]

    def __str__(self):
        return f"{self.role}: {self.get_measure_display()} {self.level}".strip()

    def clean(self):
        super().clean()
        if errors := self.implausible_pay("amount"):
            raise ValidationError(errors)


class HigherPayingLocation(OrderedModel):
    """A place where the role is paid above the national norm, with the reason given."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="higher_paying_locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True, help_text="Why pay is higher there.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")

    class Meta(OrderedModel.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["role", "location"], name="higher_paying_location_unique"
            ),
        ]

    def __str__(self):
        return f"{self.role}: {self.location}"
