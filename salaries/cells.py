"""Salary bands as pages show them: grouped into cells, and in the pay period the visitor
chose.

A cell is pay for one role, place, experience range, currency and period. Several sources
may give it, each in a band of its own (SalaryBand is one source's figure): the cell shows
the range across them and each source's own figure beside its citation. Pages, the chart
and the Markdown download read cells; the database, the CSV and the JSON-LD keep one row
per source."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.conf import settings

from .formatting import in_period
from .models import BAND_STATISTICS, PayOverExperience, PayPeriod, SalaryBand


@dataclass(frozen=True)
class ShownBand:
    """One source's band, its pay in the period shown (``period``)."""

    band: SalaryBand
    period: str

    def _shown(self, name: str) -> int | None:
        return in_period(getattr(self.band, name), given=self.band.period, shown=self.period)

    @property
    def minimum(self) -> int:
        return self._shown("minimum")

    @property
    def maximum(self) -> int | None:
        return self._shown("maximum")

    @property
    def median(self) -> int | None:
        return self._shown("median")

    @property
    def percentile_25(self) -> int | None:
        return self._shown("percentile_25")

    @property
    def percentile_75(self) -> int | None:
        return self._shown("percentile_75")

    @property
    def has_statistics(self) -> bool:
        """Whether the source gives a median, percentiles or its sample size."""
        band = self.band
        return band.sample_size is not None or any(
            getattr(band, name) is not None for name in BAND_STATISTICS
        )

    @property
    def currency(self) -> str:
        return self.band.currency

    @property
    def source(self):
        return self.band.source

    @property
    def year(self) -> int:
        return self.band.year

    @property
    def is_stale(self) -> bool:
        return self.band.is_stale

    @property
    def sample_size(self) -> int | None:
        return self.band.sample_size

    @property
    def converted(self) -> bool:
        """Whether the source gave this pay per another period."""
        return self.band.period != self.period

    def get_period_display(self) -> str:
        return PayPeriod(self.period).label


@dataclass
class SalaryCell(PayOverExperience):
    """The bands of one role, place, experience range, currency and period, one per source,
    in the period shown. Reads like a band (the chart draws it as one): its ``minimum`` is
    the lowest source's, its ``maximum`` the highest (none when any source leaves the top
    open)."""

    sources: list[ShownBand] = field(default_factory=list)

    @property
    def _first(self) -> SalaryBand:
        return self.sources[0].band

    @property
    def bands(self) -> list[SalaryBand]:
        return [shown.band for shown in self.sources]

    @property
    def pk(self):
        return self._first.pk

    @property
    def role(self):
        return self._first.role

    @property
    def location(self):
        return self._first.location

    @property
    def location_id(self):
        return self._first.location_id

    @property
    def currency(self) -> str:
        return self._first.currency

    @property
    def period(self) -> str:
        return self.sources[0].period

    @property
    def experience_min_years(self) -> Decimal:
        return self._first.experience_min_years

    @property
    def experience_max_years(self) -> Decimal | None:
        return self._first.experience_max_years

    @property
    def minimum(self) -> int:
        return min(shown.minimum for shown in self.sources)

    @property
    def maximum(self) -> int | None:
        tops = [shown.maximum for shown in self.sources]
        return None if None in tops else max(tops)

    @property
    def has_several_sources(self) -> bool:
        return len(self.sources) > 1

    @property
    def is_stale(self) -> bool:
        return any(shown.is_stale for shown in self.sources)

    @property
    def matches_experience(self) -> bool:
        """The explorer's mark (SalaryBandQuerySet.mark_experience): a cell's bands share
        their years, so they match or not together."""
        return bool(getattr(self._first, "matches_experience", False))

    def get_period_display(self) -> str:
        return PayPeriod(self.period).label


def _cell_key(band: SalaryBand) -> tuple:
    return (
        band.role_id,
        band.location_id,
        band.currency,
        band.period,
        band.experience_min_years,
        band.experience_max_years,
    )


def salary_cells(bands: Iterable[SalaryBand], *, period: str | None = None) -> list[SalaryCell]:
    """``bands`` (in reading order, SalaryBandQuerySet.in_reading_order) as cells, their pay
    per ``period`` ("year" or "month"), or each per its own when None."""
    return [
        SalaryCell(sources=[ShownBand(band, period or band.period) for band in group])
        for _, group in groupby(bands, key=_cell_key)
    ]


def sources_of_pay_span(bands: Iterable[SalaryBand]) -> list[SalaryBand]:
    """One band of each source behind a role's pay span (salaries.models.pay_summary spans
    its yearly bands in the catalogue's currency), in reading order: what the role's key
    facts cite, with each band's year and whether it is stale."""
    seen = {}
    for band in bands:
        if band.currency == settings.CATALOGUE_CURRENCY and band.period == PayPeriod.YEAR:
            key = (band.source_id, band.year)
            seen.setdefault(key, band)
    return list(seen.values())
