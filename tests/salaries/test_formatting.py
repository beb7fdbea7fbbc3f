from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from roles.models import Source, citation
from salaries.cells import salary_cells
from salaries.charts import PLOT_LEFT, PLOT_RIGHT, band_chart
from salaries.formatting import (
    amount_per,
    experience_range,
    in_period,
    lakhs_range,
    money,
    pay_lakhs,
    pay_range,
    pay_span,
    per_month_note,
    plain_years,
    provenance,
    reads_in_lakhs,
    statistics,
    years,
)
from salaries.models import SalaryBand, SalaryFigure

SOURCE = Source(publisher="Tap Academy", title="Backend Developer Job Description in 2023")


def band(low, high, minimum, maximum, *, pk=None, currency="INR", period="year"):
    """An unsaved band: the filters and the chart geometry need no database."""
    return SalaryBand(
        pk=pk,
        experience_min_years=Decimal(low),
        experience_max_years=None if high is None else Decimal(high),
        minimum=minimum,
        maximum=maximum,
        currency=currency,
        period=period,
        source=SOURCE,
        year=2023,
    )


SHIPPED_BANDS = [
    band(0, 2, 300_000, 800_000, pk=1),
    band(2, 5, 500_000, 1_500_000, pk=2),
    band(5, 10, 1_000_000, 2_500_000, pk=3),
    band(10, None, 2_500_000, None, pk=4),
]


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (300_000, "INR", "₹3,00,000"),
        (640_000, "INR", "₹6,40,000"),
        (2_500_000, "INR", "₹25,00,000"),
        (125_000_000, "INR", "₹12,50,00,000"),
        (0, "INR", "₹0"),
        (None, "INR", ""),
    ],
)
def test_money_groups_digits_as_indians_read_them(amount, currency, expected):
    assert money(amount, currency) == expected


def test_pay_range_reads_closed_and_open_bands():
    assert pay_range(SHIPPED_BANDS[0]) == "₹3,00,000 – ₹8,00,000"
    assert pay_range(SHIPPED_BANDS[3]) == "₹25,00,000+"


@pytest.mark.parametrize(
    ("minimum", "maximum", "expected"),
    [
        (300_000, 800_000, "₹3 – 8 LPA"),
        (500_000, 1_500_000, "₹5 – 15 LPA"),
        (2_500_000, None, "₹25+ LPA"),
        (640_000, 1_250_000, "₹6.4 – 12.5 LPA"),
        (0, 350_000, "₹0 – 3.5 LPA"),
        (1_040_000, 1_960_000, "₹10.4 – 19.6 LPA"),  # one decimal, rounded
        (500_000, 500_400, "₹5 LPA"),  # not "₹5 – 5 LPA"
        (100_000_000, 125_000_000, "₹1,000 – 1,250 LPA"),
        (10_000_000_000, None, "₹1,00,000+ LPA"),  # lakhs grouped the Indian way too
    ],
)
def test_lakhs_range_reads_in_lakhs_per_annum(minimum, maximum, expected):
    assert lakhs_range(band(0, 2, minimum, maximum)) == expected


def test_lakhs_range_is_for_yearly_rupees_only():
    dollars = band(0, 2, 60_000, 90_000, currency="USD")
    monthly = band(0, 2, 25_000, 60_000, period="month")
    assert lakhs_range(dollars) == pay_range(dollars) == "$60,000 – $90,000"
    assert lakhs_range(monthly) == pay_range(monthly) == "₹25,000 – ₹60,000"


def test_pay_range_lakhs_is_the_same_filter_in_a_template():
    rendered = Template("{% load salaries_tags %}{{ band|pay_range_lakhs }}").render(
        Context({"band": SHIPPED_BANDS[1]})
    )
    assert rendered == "₹5 – 15 LPA"


def test_pay_lakhs_reads_a_single_figure():
    average = SalaryFigure(amount=640_000, currency="INR", period="year")
    assert pay_lakhs(average) == "₹6.4 LPA"
    assert pay_lakhs(SalaryFigure(amount=640_000, currency="INR", period="month")) == "₹6,40,000"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("3"), "3 years"),
        (Decimal("3.00"), "3 years"),
        (Decimal("2.5"), "2.5 years"),
        (Decimal("1"), "1 year"),
        (Decimal("0"), "0 years"),
        (None, ""),
    ],
)
def test_years_reads_experience(value, expected):
    assert years(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("2.0"), "2"), (Decimal("2.50"), "2.5"), (Decimal("10.0"), "10"), (None, "")],
)
def test_plain_years_drops_trailing_zeros_as_band_labels_and_the_csv_show_them(value, expected):
    assert plain_years(value) == expected
    if value is not None:
        label = SalaryBand(experience_min_years=value, experience_max_years=None).experience_label
        assert label == f"{expected} years or more"


def test_chart_draws_a_bar_per_band_from_minimum_to_maximum():
    chart = band_chart(SHIPPED_BANDS, SHIPPED_BANDS[1])
    assert [row.label for row in chart.rows] == [
        "0 to under 2 years",
        "2 to under 5 years",
        "5 to under 10 years",
        "10 years or more",
    ]
    assert [row.highlighted for row in chart.rows] == [False, True, False, False]
    assert chart.rows[1].value_label == "Your band: ₹5 – 15 LPA"
    # Bars start in order of minimum pay; a closed band ends at its maximum, inside the plot.
    starts = [row.bar_x for row in chart.rows]
    assert starts == sorted(starts) and starts[0] > PLOT_LEFT
    closed_ends = [row.bar_x + row.bar_width for row in chart.rows[:3]]
    assert closed_ends == sorted(closed_ends) and closed_ends[-1] < PLOT_RIGHT
    # 5 to under 10 years ends where 10+ starts: both are ₹25,00,000.
    assert closed_ends[2] == pytest.approx(chart.rows[3].bar_x)
    # The open top runs to the chart's edge.
    assert chart.rows[3].open_top
    assert chart.rows[3].bar_x + chart.rows[3].bar_width == pytest.approx(PLOT_RIGHT)
    assert chart.pay_axis_title == "Pay (₹ lakh per year)"
    assert chart.ticks[0].label == "0" and chart.ticks[0].x == PLOT_LEFT
    assert chart.ticks[-1].x == pytest.approx(PLOT_RIGHT)
    assert [tick.label for tick in chart.ticks] == ["0", "10", "20", "30", "40"]


def test_chart_marks_the_bands_that_hold_an_experience():
    chart = band_chart(SHIPPED_BANDS, experience=Decimal("12"))
    assert [row.highlighted for row in chart.rows] == [False, False, False, True]
    assert "10 years or more: ₹25,00,000+ per year (your band)." in chart.description


def test_chart_describes_its_data_and_source():
    chart = band_chart(SHIPPED_BANDS)
    assert "0 to under 2 years: ₹3,00,000 – ₹8,00,000 per year." in chart.description
    # Each source, the year its figures describe, and whether that is over two years ago.
    assert "Source: Tap Academy; figures for 2023, older than two years." in chart.description
    assert not any(row.highlighted for row in chart.rows)


def test_chart_keeps_one_currency_and_period_on_its_axis():
    dollars = band(0, 2, 60_000, 90_000, pk=9, currency="USD")
    chart = band_chart([*SHIPPED_BANDS, dollars])
    assert len(chart.rows) == 4
    assert "1 band in another currency or period is not drawn." in chart.description
    only_dollars = band_chart([dollars])
    assert only_dollars.pay_axis_title == "Pay (thousands of USD per year)"
    assert only_dollars.rows[0].value_label == "$60,000 – $90,000"


def test_chart_tag_renders_an_accessible_svg():
    rendered = Template(
        '{% load salaries_tags %}{% salary_chart bands highlighted title="Backend pay" %}'
    ).render(Context({"bands": SHIPPED_BANDS, "highlighted": SHIPPED_BANDS[1]}))
    assert 'role="img"' in rendered
    assert 'viewBox="0 0 400 ' in rendered and 'width="100%"' in rendered
    assert '<title id="salary-chart-1-title">Backend pay</title>' in rendered
    assert 'aria-labelledby="salary-chart-1-title"' in rendered
    assert 'aria-describedby="salary-chart-1-desc"' in rendered
    assert "Pay (₹ lakh per year)" in rendered and "Years of experience" in rendered
    assert rendered.count('class="salary-chart-band is-highlighted"') == 1
    assert 'fill="url(#salary-chart-1-open)"' in rendered  # the fading open top
    assert ">+</text>" in rendered
    assert "style=" not in rendered and "<script" not in rendered


def test_chart_tag_renders_nothing_without_bands():
    rendered = Template("{% load salaries_tags %}{% salary_chart bands %}").render(
        Context({"bands": []})
    )
    assert rendered.strip() == ""


# Pay per month, band edges, statistics and sources --------------------------------------


@pytest.mark.parametrize(
    ("amount", "given", "shown", "expected"),
    [
        (300_000, "year", "month", 25_000),
        (800_000, "year", "month", 66_700),  # 66,666.67: to the nearest hundred
        (2_500_000, "year", "month", 208_300),
        (1_000_050 * 12, "year", "month", 1_000_100),  # a half rounds up
        (25_000, "month", "year", 300_000),
        (640_000, "year", "year", 640_000),
        (None, "year", "month", None),
    ],
)
def test_in_period_divides_a_year_by_twelve_to_the_nearest_hundred(amount, given, shown, expected):
    assert in_period(amount, given=given, shown=shown) == expected


def test_the_page_says_once_how_monthly_pay_is_worked_out():
    assert per_month_note() == (
        "Monthly pay is yearly pay divided by 12 and rounded to the nearest ₹100: "
        "₹8,00,000 a year shows as ₹66,700 a month."
    )


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (Decimal(0), Decimal(2), "0 to under 2 years"),
        (Decimal("2.5"), Decimal(5), "2.5 to under 5 years"),
        (Decimal(0), Decimal(1), "0 to under 1 year"),
        (Decimal(10), None, "10 years or more"),
        (Decimal(1), None, "1 year or more"),
    ],
)
def test_band_edges_read_unambiguously(low, high, expected):
    assert experience_range(low, high) == expected
    assert band(low, high, 300_000, None).experience_label == expected


def test_statistics_say_only_what_the_source_gives():
    given = band(0, 2, 300_000, 800_000)
    assert statistics(given) == ""
    given.median = 500_000
    assert statistics(given) == "median ₹5,00,000"
    given.percentile_25, given.percentile_75, given.sample_size = 400_000, 650_000, 1_234
    assert statistics(given) == (
        "median ₹5,00,000; 25th–75th percentile ₹4,00,000 – ₹6,50,000; 1,234 salaries"
    )
    given.median, given.percentile_75, given.sample_size = None, None, 1
    assert statistics(given) == "25th percentile ₹4,00,000; 1 salary"


def test_a_source_known_through_another_is_cited_through_it():
    tap = Source(publisher="Tap Academy", year=2023)
    assert tap.citation == "Tap Academy, 2023"
    glassdoor = Source(publisher="Glassdoor", year=2023, cited_in=tap)
    assert glassdoor.citation == "Glassdoor, as cited by Tap Academy, 2023"
    glassdoor.year = 2022
    assert glassdoor.citation == "Glassdoor, 2022, as cited by Tap Academy, 2023"
    assert (
        citation("Glassdoor", None, cited_by="Tap Academy") == "Glassdoor, as cited by Tap Academy"
    )
    assert Source(publisher="Hearsay").citation == "Hearsay"


def test_provenance_names_the_source_the_year_and_whether_it_is_old(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 12, 2))
    figure = band(0, 2, 300_000, 800_000)
    figure.source = Source(publisher="Tap Academy", year=2023)
    assert provenance(figure) == "Tap Academy, 2023; figures for 2023, older than two years"
    figure.year = 2024
    assert provenance(figure) == "Tap Academy, 2023; figures for 2024"


def test_a_single_figure_and_a_roles_span_per_month():
    figure = SalaryFigure(amount=640_000, currency="INR", period="year")
    assert amount_per(figure) == "₹6,40,000 per year"
    assert amount_per(figure, "month") == "₹53,300 per month"
    role = type(
        "Role", (), {"pay_minimum": 300_000, "pay_maximum": 2_500_000, "open_topped_bands": True}
    )
    assert pay_span(role) == "₹3,00,000 – ₹25,00,000+"
    assert pay_span(role, "month") == "₹25,000 – ₹2,08,300+"


# Cells: a band from each source -----------------------------------------------------------


def sourced(low, high, minimum, maximum, publisher, *, pk, **fields):
    shown = band(low, high, minimum, maximum, pk=pk)
    shown.source = Source(publisher=publisher, year=2024)
    shown.year = 2024
    for name, value in fields.items():
        setattr(shown, name, value)
    return shown


def test_a_cell_spans_its_sources_and_keeps_each_ones_figure():
    bands = [
        sourced(0, 2, 300_000, 800_000, "Alpha", pk=1, median=500_000),
        sourced(0, 2, 350_000, 900_000, "Beta", pk=2),
        sourced(2, None, 800_000, None, "Alpha", pk=3),
        sourced(2, None, 900_000, 2_000_000, "Beta", pk=4),
    ]
    cells = salary_cells(bands)
    assert [cell.experience_label for cell in cells] == ["0 to under 2 years", "2 years or more"]
    first, second = cells
    assert first.has_several_sources and [s.source.publisher for s in first.sources] == [
        "Alpha",
        "Beta",
    ]
    assert (first.minimum, first.maximum) == (300_000, 900_000)
    assert pay_range(first) == "₹3,00,000 – ₹9,00,000"
    assert first.sources[0].has_statistics and not first.sources[1].has_statistics
    assert second.maximum is None  # one source leaves the top open
    # Per month: every figure, the statistics too, divided by twelve.
    monthly = salary_cells(bands, period="month")[0]
    assert (monthly.minimum, monthly.maximum) == (25_000, 75_000)
    assert monthly.sources[0].median == 41_700
    assert monthly.get_period_display() == "per month" and not reads_in_lakhs(monthly)


def test_the_chart_draws_one_bar_per_cell_and_names_every_source():
    bands = [
        sourced(0, 2, 300_000, 800_000, "Alpha", pk=1),
        sourced(0, 2, 350_000, 900_000, "Beta", pk=2),
        sourced(2, 5, 500_000, 1_500_000, "Alpha", pk=3),
    ]
    cells = salary_cells(bands)
    chart = band_chart(cells, experience=Decimal(1))
    assert [row.label for row in chart.rows] == ["0 to under 2 years", "2 to under 5 years"]
    assert [row.highlighted for row in chart.rows] == [True, False]
    assert chart.rows[0].value_label == "Your band: ₹3 – 9 LPA"
    assert "Sources: Alpha, 2024; figures for 2024 | Beta, 2024; figures for 2024." in (
        chart.description
    )
