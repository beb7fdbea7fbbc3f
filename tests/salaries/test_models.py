from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, ProtectedError
from django.utils import timezone

from roles.models import Role
from salaries.models import (
    OUT_OF_LINE_FACTOR,
    PAY_BOUNDS,
    PAY_SUMMARY_FIELDS,
    PaySpan,
    SalaryBand,
    SalaryFigure,
    pay_summary,
)
from tests.factories import (
    LocationFactory,
    RoleFactory,
    SalaryBandFactory,
    SalaryFigureFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def refused(**fields):
    """Whether the database refuses a band with these fields (bypassing form validation)."""
    try:
        with transaction.atomic():
            SalaryBandFactory(**fields)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "fields",
    [
        {"minimum": 900_000, "maximum": 800_000},
        {"experience_min_years": Decimal(-1)},
        {"experience_min_years": Decimal(5), "experience_max_years": Decimal(2)},
        {"experience_min_years": Decimal(2), "experience_max_years": Decimal(2)},
        {"currency": "inr"},
        {"currency": "IN1"},
        {"period": "week"},
        {"year": 1850},
    ],
    ids=[
        "minimum above maximum",
        "negative experience",
        "experience range reversed",
        "empty experience range",
        "lower-case currency",
        "currency with a digit",
        "unknown period",
        "implausible year",
    ],
)
def test_database_refuses_nonsense_bands(fields):
    assert refused(**fields)


def test_database_accepts_open_ended_band():
    band = SalaryBandFactory(
        experience_min_years=Decimal(10), experience_max_years=None, minimum=2_500_000, maximum=None
    )
    assert band.experience_label == "10 years or more"


def test_same_band_twice_for_one_place_is_refused_even_without_a_location():
    role, source = RoleFactory(), SourceFactory()
    SalaryBandFactory(role=role, source=source, location=None)
    assert refused(role=role, source=source, location=None)


def test_same_start_in_another_city_is_allowed():
    role = RoleFactory()
    SalaryBandFactory(role=role, location=LocationFactory())
    assert not refused(role=role, location=LocationFactory())


def test_overlapping_band_fails_validation():
    existing = SalaryBandFactory(experience_min_years=Decimal(2), experience_max_years=Decimal(5))
    overlapping = SalaryBand(
        role=existing.role,
        source=existing.source,
        experience_min_years=Decimal(4),
        experience_max_years=Decimal(8),
        minimum=300_000,
        year=2023,
    )
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.full_clean()
    adjacent = SalaryBand(
        role=existing.role,
        source=existing.source,
        experience_min_years=Decimal(5),
        experience_max_years=None,
        minimum=300_000,
        year=2023,
    )
    adjacent.full_clean()


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ("0", "0 to under 2 years"),
        ("1.9", "0 to under 2 years"),
        ("2", "2 to under 5 years"),
        ("3", "2 to under 5 years"),
        ("2.5", "2 to under 5 years"),
        ("9.9", "5 to under 10 years"),
        ("10", "10 years or more"),
        ("12", "10 years or more"),
    ],
)
def test_experience_matches_exactly_one_band(years, expected):
    role = RoleFactory()
    source = SourceFactory()
    for low, high in [(0, 2), (2, 5), (5, 10), (10, None)]:
        SalaryBandFactory(
            role=role,
            source=source,
            experience_min_years=Decimal(low),
            experience_max_years=None if high is None else Decimal(high),
            minimum=(low + 1) * 100_000,
            maximum=None,
        )
    matches = list(SalaryBand.objects.filter(role=role).for_experience(Decimal(years)))
    assert [band.experience_label for band in matches] == [expected]
    assert all(band.holds(Decimal(years)) for band in matches)


def test_role_with_salary_data_cannot_be_deleted():
    band = SalaryBandFactory()
    with pytest.raises(ProtectedError):
        band.role.delete()


def test_location_in_use_cannot_be_deleted():
    band = SalaryBandFactory(location=LocationFactory())
    with pytest.raises(ProtectedError):
        band.location.delete()


# Plausible pay


def figure_refused(**fields):
    try:
        with transaction.atomic():
            SalaryFigureFactory(**fields)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "fields",
    [
        {"minimum": 1, "maximum": 800_000},
        {"minimum": 100_000, "maximum": 999_999_999_999},
        {"currency": "USD", "minimum": 300_000, "maximum": 8_000_000},
        {"period": "month", "minimum": 300_000, "maximum": 20_000_000},
        {"currency": "XYZ"},
    ],
    ids=[
        "₹1 a year",
        "twelve nines",
        "8 million dollars a year",
        "2 crore rupees a month",
        "a currency with no plausible range",
    ],
)
def test_database_refuses_implausible_pay(fields):
    assert refused(**fields)


@pytest.mark.parametrize(("currency", "period"), list(PAY_BOUNDS))
def test_database_and_the_bounds_table_agree_at_every_edge(currency, period):
    bounds = PAY_BOUNDS[(currency, period)]
    pay = {"currency": currency, "period": period}
    assert not refused(minimum=bounds.lowest, maximum=bounds.highest, **pay)
    assert refused(minimum=bounds.lowest - 1, maximum=bounds.highest, **pay)
    assert refused(minimum=bounds.lowest, maximum=bounds.highest + 1, **pay)
    assert not figure_refused(amount=bounds.highest, **pay)
    assert figure_refused(amount=bounds.lowest - 1, **pay)
    assert figure_refused(amount=bounds.highest + 1, **pay)


def test_implausible_pay_is_explained_by_field_bound_currency_and_period():
    band = SalaryBandFactory.build(
        role=RoleFactory(), source=SourceFactory(), minimum=1, maximum=999_999_999_999
    )
    with pytest.raises(ValidationError) as refusal:
        band.full_clean()
    errors = refusal.value.message_dict
    assert errors["minimum"] == [
        "The minimum, ₹1, is below the lowest plausible pay in INR per year: ₹10,000. "
        "Enter whole rupees: 5 lakh is 500000."
    ]
    assert errors["maximum"][0].startswith(
        "The maximum, ₹9,99,99,99,99,999, is above the highest plausible pay in INR per year: "
        "₹10,00,00,000."
    )
    # The database's own, vaguer message is not added on top.
    assert set(errors) == {"minimum", "maximum"}

    monthly = SalaryFigureFactory.build(
        role=band.role, source=band.source, amount=60_000_000, currency="EUR", period="month"
    )
    with pytest.raises(ValidationError) as refusal:
        monthly.full_clean()
    assert refusal.value.message_dict == {
        "amount": [
            "The amount, €6,00,00,000, is above the highest plausible pay in EUR per month: "
            "€5,00,000. Enter whole units of EUR, not thousands."
        ]
    }


def test_a_currency_without_bounds_is_refused_by_name():
    band = SalaryBandFactory.build(role=RoleFactory(), source=SourceFactory(), currency="XYZ")
    with pytest.raises(ValidationError) as refusal:
        band.full_clean()
    (message,) = refusal.value.message_dict["currency"]
    assert message.startswith("Pay in XYZ cannot be checked")
    assert "EUR, GBP, INR, USD" in message


def test_plausible_pay_passes_validation():
    SalaryBandFactory.build(role=RoleFactory(), source=SourceFactory()).full_clean()
    SalaryFigure(
        role=RoleFactory(), source=SourceFactory(), measure="average", amount=640_000, year=2023
    ).full_clean()


# Bands far out of line with the role's others


def ladder(*pay, currency="INR", period="year"):
    """Unsaved bands of one role, one per (minimum, maximum)."""
    return [
        SalaryBand(
            pk=index + 1,
            experience_min_years=Decimal(index * 2),
            experience_max_years=Decimal(index * 2 + 2),
            minimum=minimum,
            maximum=maximum,
            currency=currency,
            period=period,
        )
        for index, (minimum, maximum) in enumerate(pay)
    ]


SHIPPED_LADDER = [
    (300_000, 800_000),
    (500_000, 1_500_000),
    (1_000_000, 2_500_000),
    (2_500_000, None),
]


def test_a_real_ladder_is_in_line_from_its_lowest_band_to_its_highest():
    bands = ladder(*SHIPPED_LADDER)
    assert [band.out_of_line_with(bands) for band in bands] == [None] * 4


def test_a_band_far_above_the_median_of_the_others_is_out_of_line():
    bands = ladder(*SHIPPED_LADDER, (50_000_000, 100_000_000))
    outlier = bands[-1]
    out_of_line = outlier.out_of_line_with(bands)
    # Midpoint ₹7.5 crore against the median of the others' midpoints, ₹13,75,000.
    assert out_of_line.above and out_of_line.median == Decimal(1_375_000)
    assert round(out_of_line.factor) == 55
    assert str(out_of_line) == (
        "The 8 to under 10 years band, ₹5,00,00,000 – ₹10,00,00,000, is far out of line: its "
        "midpoint, ₹7,50,00,000, is 55 times higher than the median of this role's other INR "
        "per year bands, ₹13,75,000."
    )
    # The others stay in line: the median of theirs barely moves.
    assert [band.out_of_line_with(bands) for band in bands[:-1]] == [None] * 4


def test_a_band_far_below_is_out_of_line_too_and_says_so():
    bands = ladder(*SHIPPED_LADDER, (10_000, 20_000))
    out_of_line = bands[-1].out_of_line_with(bands)
    assert not out_of_line.above
    assert "92 times lower than the median" in str(out_of_line)


def test_just_past_the_factor_is_out_of_line_and_just_inside_is_not():
    (reference,) = ladder((1_000_000, 1_000_000))
    at_the_factor, past_it = ladder(
        (OUT_OF_LINE_FACTOR * 1_000_000,) * 2, (OUT_OF_LINE_FACTOR * 1_000_000 + 10_000,) * 2
    )
    assert at_the_factor.out_of_line_with([reference]) is None
    assert past_it.out_of_line_with([reference]) is not None


def test_bands_in_another_currency_or_period_are_not_compared():
    (monthly,) = ladder((40_000, 90_000), period="month")
    (dollars,) = ladder((90_000, 150_000), currency="USD")
    yearly = ladder(*SHIPPED_LADDER)
    assert monthly.out_of_line_with(yearly) is None
    assert dollars.out_of_line_with(yearly) is None
    assert yearly[0].out_of_line_with([monthly, dollars]) is None  # nothing to compare with


def test_alongside_is_the_roles_other_bands_in_the_same_currency_and_period():
    role = RoleFactory()
    band = SalaryBandFactory(role=role)
    same = SalaryBandFactory(role=role, experience_min_years=2, experience_max_years=5)
    SalaryBandFactory(role=role, period="month", minimum=40_000, maximum=90_000)
    SalaryBandFactory(role=role, currency="USD", minimum=40_000, maximum=90_000)
    SalaryBandFactory()  # another role's
    assert list(SalaryBand.objects.alongside(band)) == [same]


# Several sources per cell, and what a source may add to its band -------------------------


def test_another_source_may_give_the_same_band_and_a_ladder_of_its_own():
    role = RoleFactory()
    first = SalaryBandFactory(
        role=role, experience_min_years=Decimal(0), experience_max_years=Decimal(5)
    )
    # The same start from another source is its own row; the database refuses a repeat.
    assert not refused(role=role, experience_min_years=Decimal(0), experience_max_years=Decimal(5))
    assert refused(role=role, source=first.source, experience_min_years=Decimal(0))
    # Another source may cut the same years differently (2 to under 6 overlaps 0 to under 5)...
    other_ladder = SalaryBand(
        role=role,
        source=SourceFactory(),
        experience_min_years=Decimal(2),
        experience_max_years=Decimal(6),
        minimum=400_000,
        year=2024,
    )
    other_ladder.full_clean()
    # ...but one source's own bands may not overlap.
    other_ladder.source = first.source
    with pytest.raises(ValidationError, match="overlaps another band from the same source"):
        other_ladder.full_clean()


@pytest.mark.parametrize(
    "fields",
    [
        {"percentile_25": 600_000, "median": 500_000},
        {"median": 700_000, "percentile_75": 600_000},
        {"percentile_25": 700_000, "percentile_75": 600_000},
        {"median": 200_000},  # below the minimum, ₹3,00,000
        {"percentile_75": 900_000},  # above the maximum, ₹8,00,000
        {"maximum": None, "median": 200_000_000},  # ₹20 crore: above any plausible pay
        {"sample_size": 0},
    ],
    ids=[
        "25th percentile above the median",
        "median above the 75th percentile",
        "percentiles reversed",
        "median below the minimum",
        "75th percentile above the maximum",
        "implausible percentile",
        "no salaries sampled",
    ],
)
def test_database_refuses_statistics_out_of_order_out_of_range_or_implausible(fields):
    assert refused(**fields)


def test_statistics_a_source_gives_are_kept_and_the_rest_left_empty():
    band = SalaryBandFactory(percentile_25=400_000, median=500_000, sample_size=1)
    band.full_clean()
    band.refresh_from_db()
    assert (band.percentile_25, band.median, band.percentile_75, band.sample_size) == (
        400_000,
        500_000,
        None,
        1,
    )
    # An open top bounds nothing above.
    SalaryBandFactory(maximum=None, median=5_000_000, percentile_75=6_000_000).full_clean()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"median": 200_000}, "median", "The median cannot be below the minimum."),
        (
            {"percentile_75": 900_000},
            "percentile_75",
            "The 75th percentile cannot be above the maximum.",
        ),
        (
            {"percentile_25": 600_000, "median": 500_000},
            "median",
            "The median cannot be below the 25th percentile.",
        ),
        ({"median": 50}, "median", "is below the lowest plausible pay"),
    ],
)
def test_statistics_out_of_order_are_explained_by_field(fields, field, message):
    band = SalaryBand(
        role=RoleFactory(),
        source=SourceFactory(),
        experience_min_years=Decimal(0),
        minimum=300_000,
        maximum=800_000,
        year=2024,
        **fields,
    )
    with pytest.raises(ValidationError) as error:
        band.full_clean()
    assert message in " ".join(error.value.message_dict[field])


def test_a_figure_is_flagged_older_than_two_years_by_the_year_it_describes(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 12, 2))
    assert SalaryBand(year=2023).is_stale
    assert not SalaryBand(year=2024).is_stale
    assert SalaryFigure(year=2023).is_stale


def test_bands_read_anywhere_first_then_each_country_before_its_cities():
    role = RoleFactory()
    india = LocationFactory(name="India", country_code="IN")
    cities = [LocationFactory(name=name, country_code="IN", parent=india) for name in "MBD"]
    for place in [*cities, india, None]:
        SalaryBandFactory(role=role, location=place)
    order = [
        band.location.name if band.location else "Anywhere"
        for band in SalaryBand.objects.filter(role=role).for_role_page()
    ]
    assert order == ["Anywhere", "India", "B", "D", "M"]
    explorer = [
        band.location.name if band.location else "Anywhere"
        for band in SalaryBand.objects.filter(role=role).for_explorer()
    ]
    assert explorer == order


# Pay spans (PaySpan, kept by the database's triggers) ----------------------------------


def spans_read(role):
    """The role's pay summary as pages read it (salaries.models.pay_summary)."""
    read = Role.objects.annotate(**pay_summary()).get(pk=role.pk)
    return {name: getattr(read, name) for name in PAY_SUMMARY_FIELDS}


def spans_worked_out(role):
    """The same, worked out from the bands themselves: what the spans must always equal."""
    bands = SalaryBand.objects.filter(role=role, currency="INR", period="year")
    if not bands.exists():
        return dict.fromkeys(PAY_SUMMARY_FIELDS)
    return {
        **bands.aggregate(
            pay_minimum=Min("minimum"),
            pay_maximum=Max("maximum"),
            experience_from=Min("experience_min_years"),
            experience_to=Max("experience_max_years"),
        ),
        "open_topped_bands": bands.filter(maximum__isnull=True).exists(),
        "open_ended_bands": bands.filter(experience_max_years__isnull=True).exists(),
    }


def test_pay_span_follows_saves_edits_and_deletes_of_bands():
    role = RoleFactory()
    assert spans_read(role) == dict.fromkeys(PAY_SUMMARY_FIELDS)
    entry = SalaryBandFactory(role=role, minimum=300_000, maximum=800_000)
    senior = SalaryBandFactory(
        role=role,
        experience_min_years=Decimal(2),
        experience_max_years=None,
        minimum=900_000,
        maximum=None,
    )
    assert spans_read(role) == {
        "pay_minimum": 300_000,
        "pay_maximum": 800_000,
        "open_topped_bands": True,
        "experience_from": Decimal(0),
        "experience_to": Decimal(2),
        "open_ended_bands": True,
    }
    senior.maximum = 2_000_000
    senior.experience_max_years = Decimal(10)
    senior.save()
    assert spans_read(role) == spans_worked_out(role)
    assert spans_read(role)["pay_maximum"] == 2_000_000
    assert spans_read(role)["open_topped_bands"] is False
    entry.delete()
    assert spans_read(role)["pay_minimum"] == 900_000
    senior.delete()
    assert spans_read(role) == dict.fromkeys(PAY_SUMMARY_FIELDS)
    assert not PaySpan.objects.filter(role=role).exists()


def test_pay_span_leaves_out_other_currencies_and_periods():
    role = RoleFactory()
    SalaryBandFactory(role=role, minimum=400_000, maximum=900_000)
    SalaryBandFactory(role=role, currency="USD", minimum=5_000, maximum=9_000)
    SalaryBandFactory(role=role, period="month", minimum=20_000, maximum=70_000)
    assert spans_read(role)["pay_minimum"] == 400_000
    assert spans_read(role) == spans_worked_out(role)
    # Each currency and period keeps a span of its own.
    assert PaySpan.objects.filter(role=role).count() == 3


def test_pay_span_follows_bulk_writes_and_bands_moved_between_roles():
    """Imports write bands with bulk_create, update() and delete() on querysets, which no
    save() or signal sees: the database keeps the spans right all the same."""
    role, other = RoleFactory(), RoleFactory()
    source = SourceFactory()
    SalaryBand.objects.bulk_create(
        SalaryBand(
            role=role,
            source=source,
            year=2024,
            experience_min_years=Decimal(start),
            experience_max_years=Decimal(start + 2),
            minimum=300_000 * (start + 1),
            maximum=400_000 * (start + 1),
        )
        for start in (0, 2, 4)
    )
    assert spans_read(role) == spans_worked_out(role)
    assert spans_read(role)["experience_to"] == Decimal(6)
    SalaryBand.objects.filter(role=role).update(maximum=None)
    assert spans_read(role)["open_topped_bands"] is True
    SalaryBand.objects.filter(role=role, experience_min_years=Decimal(4)).update(role=other)
    assert spans_read(role) == spans_worked_out(role)
    assert spans_read(other) == spans_worked_out(other)
    assert spans_read(other)["pay_minimum"] == 1_500_000
    SalaryBand.objects.filter(role__in=[role, other]).delete()
    assert not PaySpan.objects.exists()


def test_pay_span_changes_roll_back_with_the_bands():
    role = RoleFactory()
    SalaryBandFactory(role=role, minimum=300_000, maximum=800_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        SalaryBandFactory(role=role, experience_min_years=Decimal(5), minimum=100_000_000_000)
    assert spans_read(role)["pay_minimum"] == 300_000
    with transaction.atomic():
        SalaryBand.objects.filter(role=role).delete()
        transaction.set_rollback(True)
    assert spans_read(role)["pay_minimum"] == 300_000
