"""Geometry for the salary band chart, worked out here so the SVG template only places it.

The chart is a horizontal bar per experience band, from the band's minimum pay to its
maximum, on a shared pay axis. It is narrow (400 units) and labels sit above the bars rather
than beside them, so that the text stays legible when a phone scales it down."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal

from .formatting import LAKH, MONEY_LOCALE, lakhs_range, pay_range, reads_in_lakhs, rupee

WIDTH = 400
PLOT_LEFT = 12
PLOT_RIGHT = WIDTH - 28  # room for the "+" after an open-topped bar
PLOT_TOP = 28
ROW_HEIGHT = 48
LABEL_OFFSET = 16  # baseline of a row's labels, from the row's top
BAR_OFFSET = 24
BAR_HEIGHT = 16
MIN_BAR_WIDTH = 3  # a band whose minimum equals its maximum still shows
TARGET_TICKS = 5
# An open top (₹25,00,000+) has no end to scale to: leave it this much room past its start.
OPEN_TOP_HEADROOM = 1.3


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Row:
    label: str
    value_label: str
    label_y: float
    bar_x: float
    bar_y: float
    bar_width: float
    plus_y: float
    open_top: bool
    highlighted: bool


@dataclass(frozen=True)
class BandChart:
    id: str
    title: str
    description: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plus_x: int
    bar_height: int
    plot_top: int
    plot_bottom: int
    tick_label_y: int
    axis_title_y: int
    pay_axis_title: str
    rows: list[Row]
    ticks: list[Tick]


def band_chart(bands, highlighted=None, *, experience=None, title="") -> BandChart | None:
    """The chart of ``bands`` with ``highlighted`` (a band, a list of bands or None) marked.

    With ``experience`` (years), the bands that hold it are marked instead. Only bands in
    one currency and period share an axis: those of the first marked band, else the first."""
    bands = list(bands)
    if not bands:
        return None
    marked = _marked_ids(bands, highlighted, experience)
    reference = next((band for band in bands if band.pk in marked), bands[0])
    drawn = [
        band
        for band in bands
        if (band.currency, band.period) == (reference.currency, reference.period)
    ]
    unit, unit_name = _unit(reference, drawn)
    axis_max, step = _axis(drawn, unit)
    plot_width = PLOT_RIGHT - PLOT_LEFT

    def x_of(amount) -> float:
        return round(PLOT_LEFT + plot_width * float(amount) / axis_max, 1)

    several_places = len({band.location_id for band in drawn}) > 1
    rows = []
    for index, band in enumerate(drawn):
        top = PLOT_TOP + index * ROW_HEIGHT
        start = x_of(band.minimum)
        end = PLOT_RIGHT if band.maximum is None else x_of(band.maximum)
        label = band.experience_label
        if several_places:
            label = f"{label} · {band.location.name if band.location else 'Anywhere'}"
        value_label = lakhs_range(band)
        if band.pk in marked:
            value_label = f"Your band: {value_label}"
        rows.append(
            Row(
                label=label,
                value_label=value_label,
                label_y=top + LABEL_OFFSET,
                bar_x=start,
                bar_y=top + BAR_OFFSET,
                bar_width=max(round(end - start, 1), MIN_BAR_WIDTH),
                plus_y=top + BAR_OFFSET + BAR_HEIGHT - 1,
                open_top=band.maximum is None,
                highlighted=band.pk in marked,
            )
        )
    plot_bottom = PLOT_TOP + len(drawn) * ROW_HEIGHT
    ticks = [
        Tick(x=x_of(value * unit), label=_number(value))
        for value in _tick_values(axis_max / unit, step)
    ]
    period = reference.get_period_display()
    pay_axis_title = f"Pay ({unit_name} {period})"
    return BandChart(
        id=f"salary-chart-{drawn[0].pk}",
        title=title or f"Pay by years of experience, {reference.currency} {period}",
        description=_describe(drawn, marked, pay_axis_title, left_out=len(bands) - len(drawn)),
        width=WIDTH,
        height=plot_bottom + 50,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plus_x=PLOT_RIGHT + 6,
        bar_height=BAR_HEIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=plot_bottom,
        tick_label_y=plot_bottom + 18,
        axis_title_y=plot_bottom + 40,
        pay_axis_title=pay_axis_title,
        rows=rows,
        ticks=ticks,
    )


def _marked_ids(bands, highlighted, experience) -> set:
    if experience is not None and experience != "":
        years = Decimal(experience)
        return {band.pk for band in bands if band.holds(years)}
    if highlighted is None or highlighted == "":
        return set()
    if isinstance(highlighted, Iterable):
        return {band.pk for band in highlighted}
    return {highlighted.pk}


def _unit(reference, bands) -> tuple[int, str]:
    """The pay axis unit: lakhs for yearly rupees, as Indians quote pay; else thousands."""
    if reads_in_lakhs(reference):
        return LAKH, f"{rupee()} lakh"
    top = max(band.maximum or band.minimum for band in bands)
    if top >= 10_000:
        return 1_000, f"thousands of {reference.currency}"
    return 1, reference.currency


def _axis(bands, unit) -> tuple[float, float]:
    """The pay axis's end (in currency units) and its tick step (in ``unit``s)."""
    top = 0.0
    for band in bands:
        if band.maximum is None:
            top = max(top, band.minimum * OPEN_TOP_HEADROOM)
        else:
            top = max(top, float(band.maximum))
    if top <= 0:
        return float(unit), 1.0
    step = _nice_step(top / unit / TARGET_TICKS)
    return math.ceil(top / unit / step) * step * unit, step


def _nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten: steps a reader can add up at a glance."""
    if raw <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= raw:
            return multiple * magnitude
    return 10 * magnitude


def _tick_values(maximum: float, step: float) -> list[float]:
    count = round(maximum / step)
    return [step * index for index in range(count + 1)]


def _number(value: float) -> str:
    return format_decimal(round(value, 2), format="#,##,##0.##", locale=MONEY_LOCALE)


def _describe(bands, marked, pay_axis_title, *, left_out) -> str:
    parts = [f"Bar chart. Vertical axis: years of experience. Horizontal axis: {pay_axis_title}."]
    for band in bands:
        place = f" in {band.location.name}" if band.location else ""
        mark = " (your band)" if band.pk in marked else ""
        parts.append(
            f"{band.experience_label}{place}: {pay_range(band)} {band.get_period_display()}{mark}."
        )
    sources = sorted({f"{band.source.publisher}, {band.year}" for band in bands})
    parts.append(f"Source: {'; '.join(sources)}.")
    if left_out:
        parts.append(
            "1 band in another currency or period is not drawn."
            if left_out == 1
            else f"{left_out} bands in other currencies or periods are not drawn."
        )
    return " ".join(parts)
