from decimal import Decimal

import pytest
from django.template import Context, Template

from roles.models import Source
from salaries.charts import PLOT_LEFT, PLOT_RIGHT, band_chart
from salaries.formatting import lakhs_range, money, pay_lakhs, pay_range, plain_years, years
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
        assert label == f"{expected}+ years"


def test_chart_draws_a_bar_per_band_from_minimum_to_maximum():
    chart = band_chart(SHIPPED_BANDS, SHIPPED_BANDS[1])
    assert [row.label for row in chart.rows] == [
        "0–2 years",
        "2–5 years",
        "5–10 years",
        "10+ years",
    ]
    assert [row.highlighted for row in chart.rows] == [False, True, False, False]
    assert chart.rows[1].value_label == "Your band: ₹5 – 15 LPA"
    # Bars start in order of minimum pay; a closed band ends at its maximum, inside the plot.
    starts = [row.bar_x for row in chart.rows]
    assert starts == sorted(starts) and starts[0] > PLOT_LEFT
    closed_ends = [row.bar_x + row.bar_width for row in chart.rows[:3]]
    assert closed_ends == sorted(closed_ends) and closed_ends[-1] < PLOT_RIGHT
    # 5–10 years ends where 10+ starts: both are ₹25,00,000.
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
    assert "10+ years: ₹25,00,000+ per year (your band)." in chart.description


def test_chart_describes_its_data_and_source():
    chart = band_chart(SHIPPED_BANDS)
    assert "0–2 years: ₹3,00,000 – ₹8,00,000 per year." in chart.description
    assert "Source: Tap Academy, 2023." in chart.description
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
