from decimal import Decimal

from babel.numbers import format_currency, format_decimal, get_currency_symbol
from django import template

register = template.Library()

# Amounts are whole currency units, grouped as Indians read them: ₹3,00,000.
MONEY_LOCALE = "en_IN"
WHOLE_UNITS_PATTERN = "¤#,##,##0"
# Lakhs with one decimal only when it says something: 3, 6.4, 1,250.
LAKHS_PATTERN = "#,##,##0.#"
LAKH = 100_000


@register.filter
def money(amount, currency="INR"):
    """₹6,40,000 for 640000 INR."""
    if amount is None or amount == "":
        return ""
    return format_currency(
        amount, currency, format=WHOLE_UNITS_PATTERN, locale=MONEY_LOCALE, currency_digits=False
    )


@register.filter
def pay_range(band):
    """A band's pay: "₹3,00,000 – ₹8,00,000", or "₹25,00,000+" when the top is open."""
    low = money(band.minimum, band.currency)
    if band.maximum is None:
        return f"{low}+"
    return f"{low} – {money(band.maximum, band.currency)}"


def in_lakhs(amount) -> str:
    """The number of lakhs in ``amount``, Indian-grouped: 640000 -> "6.4", 2500000 -> "25"."""
    return format_decimal(Decimal(amount) / LAKH, format=LAKHS_PATTERN, locale=MONEY_LOCALE)


@register.filter
def reads_in_lakhs(money_fields) -> bool:
    """Lakhs per annum is how Indians quote yearly rupee pay, and only that."""
    return money_fields.currency == "INR" and money_fields.period == "year"


@register.filter
def pay_lakhs(figure):
    """A single yearly rupee figure in lakhs per annum: "₹6.4 LPA"; other pay as `money`."""
    if figure.amount is None:
        return ""
    if not reads_in_lakhs(figure):
        return money(figure.amount, figure.currency)
    return f"{rupee()}{in_lakhs(figure.amount)} LPA"


@register.filter
def lakhs_range(band):
    """A band's yearly rupee pay in lakhs per annum: "₹3 – 8 LPA", "₹25+ LPA".

    Other currencies and periods have no lakhs-per-annum reading: they fall back to
    `pay_range`."""
    if not reads_in_lakhs(band):
        return pay_range(band)
    low = in_lakhs(band.minimum)
    if band.maximum is None:
        return f"{rupee()}{low}+ LPA"
    high = in_lakhs(band.maximum)
    if high == low:  # e.g. 5,00,000 – 5,00,400 would read "₹5 – 5 LPA"
        return f"{rupee()}{low} LPA"
    return f"{rupee()}{low} – {high} LPA"


register.filter("pay_range_lakhs", lakhs_range)


@register.filter
def years(value):
    """Years of experience as a reader says them: "1 year", "3 years", "2.5 years"."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    text = f"{number.normalize():f}"  # 3.00 -> "3", 2.50 -> "2.5"
    return f"{text} year" if number == 1 else f"{text} years"


def rupee() -> str:
    return get_currency_symbol("INR", locale=MONEY_LOCALE)


@register.inclusion_tag("includes/salary_chart.html")
def salary_chart(bands, highlighted_band=None, *, experience=None, title=""):
    """An accessible SVG bar chart of pay by experience band.

    ``{% salary_chart bands %}``, ``{% salary_chart bands highlighted_band %}`` or
    ``{% salary_chart bands experience=years title="Backend Developer pay" %}``:
    ``highlighted_band`` is a band or a list of bands to mark; ``experience`` (years, a
    Decimal) marks the bands that hold it instead. Renders nothing when there are no bands."""
    # Imported here: the chart module formats its labels with the filters above.
    from salaries.charts import band_chart

    return {"chart": band_chart(bands, highlighted_band, experience=experience, title=title)}
