"""Geometry for the salary band chart, worked out here so the SVG template only places it.

The chart is a horizontal bar per experience band, from the band's minimum pay to its
maximum, on a shared pay axis. Given cells of bands from several sources (salaries.cells), a
bar spans the range across the cell's sources: one bar per rung keeps the ladder readable,
and the table below the chart gives each source's own figure. It is narrow (400 units) and
labels sit above the bars rather than beside them, so that the text stays legible when a
phone scales it down.

Two guards keep it readable whatever the figures. A band far above its role's others
(SalaryBand.out_of_line_with) is left off the axis's scale and its bar is cut short with a
break mark, so that one outlier cannot squash every other bar to a sliver. And labels are
measured (conservatively, see EM_PER_CHARACTER) before they are placed: a row's two labels
that cannot share a line take two, and the chart widens rather than let a label run past
its viewBox."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal

from .formatting import (
    LAKH,
    MONEY_LOCALE,
    lakhs_range,
    pay_range,
    provenance,
    reads_in_lakhs,
    rupee,
)

WIDTH = 400  # the narrowest the chart is; wider only for a label that needs it
# Room for the "+" after an open-topped bar, and for half of the last tick's label, centred
# on the plot's edge: at most "1,500" (lakhs, over a ₹10 crore open top), 21 units.
RIGHT_MARGIN = 28
PLOT_LEFT = 12
PLOT_RIGHT = WIDTH - RIGHT_MARGIN
PLOT_TOP = 28
ROW_HEIGHT = 48
LABEL_OFFSET = 16  # baseline of a row's labels, from the row's top
LINE_HEIGHT = 18  # the value label's own line, when it cannot share the row label's
LABEL_GAP = 12  # the least space between a row's two labels on one line
BAR_OFFSET = 24
BAR_HEIGHT = 16
LABEL_FONT_SIZE = 14
TICK_FONT_SIZE = 12
# A generous width per character, in ems, so that a label measured to fit does fit: measured
# in Chromium with DejaVu Sans, one of the widest sans-serif faces, the chart's labels take
# 0.53-0.57 em a character, bold 0.59-0.63, and bold digits at most 0.70.
EM_PER_CHARACTER = 0.7
# A bar cut short (its band is off the scale) ends at the plot's edge, at least this long,
# with a break mark this far in from its end.
CLIPPED_STUB = 30
BREAK_INSET = 12
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
    value_label_y: float  # label_y, or a line below it when the two do not fit side by side
    bar_x: float
    bar_y: float
    bar_width: float
    plus_y: float
    open_top: bool
    highlighted: bool
    clipped: bool = False  # off the scale: the bar is cut short at the plot's edge
    break_path: str = ""  # the break mark across a clipped bar, as an SVG path


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
    """The chart of ``bands`` (salary bands, or cells of them) with ``highlighted`` (a band,
    a list of bands or None) marked.

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
    off_scale = _off_scale(drawn)
    axis_max, step = _axis([band for band in drawn if id(band) not in off_scale], unit)
    period = reference.get_period_display()
    pay_axis_title = f"Pay ({unit_name} {period})"

    several_places = len({band.location_id for band in drawn}) > 1
    labels = []
    for band in drawn:
        label = band.experience_label
        if several_places:
            label = f"{label} · {band.location.name if band.location else 'Anywhere'}"
        value_label = lakhs_range(band)
        if band.pk in marked:
            value_label = f"Your band: {value_label}"
        labels.append((label, value_label))

    # Wide enough for the longest single label: the two of a row can always take two lines.
    longest = max(
        [_text_width(text, LABEL_FONT_SIZE) for pair in labels for text in pair]
        + [_text_width(pay_axis_title, TICK_FONT_SIZE)]
    )
    width = max(WIDTH, math.ceil(PLOT_LEFT + longest + RIGHT_MARGIN))
    plot_right = width - RIGHT_MARGIN
    plot_width = plot_right - PLOT_LEFT

    def x_of(amount) -> float:
        return round(PLOT_LEFT + plot_width * min(float(amount) / axis_max, 1), 1)

    rows = []
    top = PLOT_TOP
    for band, (label, value_label) in zip(drawn, labels, strict=True):
        side_by_side = (
            _text_width(label, LABEL_FONT_SIZE)
            + LABEL_GAP
            + _text_width(value_label, LABEL_FONT_SIZE)
            <= plot_width
        )
        second_line = 0 if side_by_side else LINE_HEIGHT
        bar_y = top + BAR_OFFSET + second_line
        clipped = id(band) in off_scale
        start = x_of(band.minimum)
        end = plot_right if band.maximum is None or clipped else x_of(band.maximum)
        if clipped:
            start = min(start, plot_right - CLIPPED_STUB)
        rows.append(
            Row(
                label=label,
                value_label=value_label,
                label_y=top + LABEL_OFFSET,
                value_label_y=top + LABEL_OFFSET + second_line,
                bar_x=start,
                bar_y=bar_y,
                bar_width=max(round(end - start, 1), MIN_BAR_WIDTH),
                plus_y=bar_y + BAR_HEIGHT - 1,
                open_top=band.maximum is None,
                highlighted=band.pk in marked,
                clipped=clipped,
                break_path=_break_path(plot_right - BREAK_INSET, bar_y) if clipped else "",
            )
        )
        top += ROW_HEIGHT + second_line
    plot_bottom = top
    ticks = [
        Tick(x=x_of(value * unit), label=_number(value))
        for value in _tick_values(axis_max / unit, step)
    ]
    return BandChart(
        id=f"salary-chart-{drawn[0].pk}",
        title=title or f"Pay by years of experience, {reference.currency} {period}",
        description=_describe(
            drawn, marked, pay_axis_title, off_scale=off_scale, left_out=len(bands) - len(drawn)
        ),
        width=width,
        height=plot_bottom + 50,
        plot_left=PLOT_LEFT,
        plot_right=plot_right,
        plus_x=plot_right + 6,
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


def _off_scale(bands) -> set[int]:
    """The bands (by id(), as unsaved bands have no pk) far above the others: the axis is
    scaled to the rest. Far below needs nothing: a short bar near zero squashes nothing."""
    off = set()
    for band in bands:
        out_of_line = band.out_of_line_with(bands)
        if out_of_line is not None and out_of_line.above:
            off.add(id(band))
    return off


def _text_width(text: str, font_size: int) -> float:
    """A label's width in the chart's units, on the generous side (EM_PER_CHARACTER)."""
    return len(text) * font_size * EM_PER_CHARACTER


def _break_path(x: float, bar_y: float) -> str:
    """Two slanted strokes across a bar: the usual mark of an axis broken off."""
    low, high = bar_y + BAR_HEIGHT + 2, bar_y - 2
    return f"M{x} {low} L{x + 5} {high} M{x + 5} {low} L{x + 10} {high}"


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


def _describe(bands, marked, pay_axis_title, *, off_scale, left_out) -> str:
    parts = [f"Bar chart. Vertical axis: years of experience. Horizontal axis: {pay_axis_title}."]
    for band in bands:
        place = f" in {band.location.name}" if band.location else ""
        mark = " (your band)" if band.pk in marked else ""
        if id(band) in off_scale:
            mark += " (far above the others: its bar is cut short)"
        parts.append(
            f"{band.experience_label}{place}: {pay_range(band)} {band.get_period_display()}{mark}."
        )
    # A cell's bands each name their source; a band names its own.
    sources = dict.fromkeys(
        provenance(source_band) for band in bands for source_band in getattr(band, "bands", [band])
    )
    parts.append(f"{'Sources' if len(sources) > 1 else 'Source'}: {' | '.join(sources)}.")
    if left_out:
        parts.append(
            "1 band in another currency or period is not drawn."
            if left_out == 1
            else f"{left_out} bands in other currencies or periods are not drawn."
        )
    return " ".join(parts)
