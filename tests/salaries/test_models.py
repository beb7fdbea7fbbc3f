from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from salaries.models import SalaryBand
from tests.factories import LocationFactory, RoleFactory, SalaryBandFactory, SourceFactory

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
    assert band.experience_label == "10+ years"


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
        minimum=1,
        year=2023,
    )
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.full_clean()
    adjacent = SalaryBand(
        role=existing.role,
        source=existing.source,
        experience_min_years=Decimal(5),
        experience_max_years=None,
        minimum=1,
        year=2023,
    )
    adjacent.full_clean()


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        ("0", "0–2 years"),
        ("1.9", "0–2 years"),
        ("2", "2–5 years"),
        ("3", "2–5 years"),
        ("2.5", "2–5 years"),
        ("9.9", "5–10 years"),
        ("10", "10+ years"),
        ("12", "10+ years"),
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
            minimum=low * 100_000,
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
