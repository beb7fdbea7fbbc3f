"""Pay and experience as readers in India read them: ₹3,00,000, ₹3 – 8 LPA, 2 to under 5
years, and yearly pay shown per month.

Plain functions, so that pages (through the thin filters in templatetags/salaries_tags.py),
the chart, the CSV export and the structured data all say a figure the same way."""

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_currency, format_decimal, get_currency_symbol
from django.conf import settings

# Amounts are whole currency units, grouped as Indians read them: ₹3,00,000.
MONEY_LOCALE = "en_IN"
WHOLE_UNITS_PATTERN = "¤#,##,##0"
# Lakhs with one decimal only when it says something: 3, 6.4, 1,250.
LAKHS_PATTERN = "#,##,##0.#"
LAKH = 100_000
# salaries.models.STALE_AFTER_YEARS in words: figures for a year more than two years ago.
STALE_LABEL = "older than two years"
MONTHS_IN_YEAR = 12
PERIOD_LABELS = {"year": "per year", "month": "per month"}
# A yearly figure over twelve is no more precise than the yearly figure: ₹8,00,000 a year
# is shown as ₹66,700 a month, not ₹66,667.
MONTHLY_ROUNDING = 100
# Babel takes about 0.1 ms to format one amount, and a role page formats dozens, most of
# them the same few amounts as the page before: formatted amounts are remembered, this many.
FORMATTED_AMOUNTS_KEPT = 4096


@lru_cache(maxsize=1)
def rupee() -> str:
    return get_currency_symbol("INR", locale=MONEY_LOCALE)


def money(amount, currency="INR") -> str:
    """₹6,40,000 for 640000 INR; empty for no amount."""
    if amount is None or amount == "":
        return ""
    return _formatted_money(amount, currency)


@lru_cache(maxsize=FORMATTED_AMOUNTS_KEPT, typed=True)
def _formatted_money(amount, currency: str) -> str:
    return format_currency(
        amount, currency, format=WHOLE_UNITS_PATTERN, locale=MONEY_LOCALE, currency_digits=False
    )


def pay_range(band) -> str:
    """A band's pay: "₹3,00,000 – ₹8,00,000", or "₹25,00,000+" when the top is open."""
    low = money(band.minimum, band.currency)
    if band.maximum is None:
        return f"{low}+"
    return f"{low} – {money(band.maximum, band.currency)}"


def in_lakhs(amount) -> str:
    """The number of lakhs in ``amount``, Indian-grouped: 640000 -> "6.4", 2500000 -> "25"."""
    return _formatted_lakhs(amount)


@lru_cache(maxsize=FORMATTED_AMOUNTS_KEPT, typed=True)
def _formatted_lakhs(amount) -> str:
    return format_decimal(Decimal(amount) / LAKH, format=LAKHS_PATTERN, locale=MONEY_LOCALE)


def reads_in_lakhs(money_fields) -> bool:
    """Lakhs per annum is how Indians quote yearly rupee pay, and only that."""
    return money_fields.currency == "INR" and money_fields.period == "year"


def pay_lakhs(figure) -> str:
    """A single yearly rupee figure in lakhs per annum: "₹6.4 LPA"; other pay as `money`."""
    if figure.amount is None:
        return ""
    if not reads_in_lakhs(figure):
        return money(figure.amount, figure.currency)
    return f"{rupee()}{in_lakhs(figure.amount)} LPA"


def amount_per(figure, period=None) -> str:
    """A single figure's amount per ``period`` ("year" or "month"; its own when empty), with
    the period: "₹6,40,000 per year", "₹53,300 per month"."""
    period = period or figure.period
    amount = in_period(figure.amount, given=figure.period, shown=period)
    return f"{money(amount, figure.currency)} {PERIOD_LABELS[period]}"


def lakhs_range(band) -> str:
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


def in_period(amount, *, given: str, shown: str) -> int | None:
    """``amount``, pay per ``given`` period ("year" or "month"), per ``shown`` period: a
    yearly figure over twelve, to the nearest MONTHLY_ROUNDING; a monthly one times twelve."""
    if amount is None or given == shown:
        return amount
    if (given, shown) == ("month", "year"):
        return amount * MONTHS_IN_YEAR
    steps = Decimal(amount) / MONTHS_IN_YEAR / MONTHLY_ROUNDING
    return int(steps.quantize(Decimal(1), rounding=ROUND_HALF_UP)) * MONTHLY_ROUNDING


def per_month_note(currency="INR") -> str:
    """What a page showing yearly pay per month says once."""
    example = 800_000
    return (
        f"Monthly pay is yearly pay divided by {MONTHS_IN_YEAR} and rounded to the nearest "
        f"{money(MONTHLY_ROUNDING, currency)}: {money(example, currency)} a year shows as "
        f"{money(in_period(example, given='year', shown='month'), currency)} a month."
    )


def statistics(band) -> str:
    """The median, percentiles and sample size a band's source gives, those it gives only:
    "median ₹5,00,000; 25th–75th percentile ₹4,00,000 – ₹6,50,000; 120 salaries"."""
    currency = band.currency
    parts = []
    if band.median is not None:
        parts.append(f"median {money(band.median, currency)}")
    low, high = band.percentile_25, band.percentile_75
    if low is not None and high is not None:
        parts.append(f"25th–75th percentile {money(low, currency)} – {money(high, currency)}")
    elif low is not None:
        parts.append(f"25th percentile {money(low, currency)}")
    elif high is not None:
        parts.append(f"75th percentile {money(high, currency)}")
    if band.sample_size is not None:
        count = format_decimal(band.sample_size, locale=MONEY_LOCALE)
        parts.append(f"{count} salar{'y' if band.sample_size == 1 else 'ies'}")
    return "; ".join(parts)


def provenance(figure) -> str:
    """Where a figure comes from and how old it is: "Tap Academy, 2023; figures for 2023,
    older than two years". ``figure`` has a ``source`` (Source.citation), a ``year`` and
    ``is_stale`` (salaries.models.MoneyFields)."""
    text = f"{figure.source.citation}; figures for {figure.year}"
    return f"{text}, {STALE_LABEL}" if figure.is_stale else text


def plain_years(value) -> str:
    """Years without trailing zeros: 2.0 -> "2", 2.50 -> "2.5", 10.0 -> "10"; empty for none."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value).normalize():f}"


def years(value) -> str:
    """Years of experience as a reader says them: "1 year", "3 years", "2.5 years"."""
    if value is None or value == "":
        return ""
    text = plain_years(value)
    return f"{text} year" if Decimal(value) == 1 else f"{text} years"


def experience_range(low, high) -> str:
    """A band's years, its edges unmistakable: the lower one inclusive, the upper exclusive.
    "0 to under 2 years", "2.5 to under 5 years", "10 years or more"."""
    if high is None or high == "":
        return f"{years(low)} or more"
    return f"{plain_years(low)} to under {years(high)}"


# A role's pay at a glance, from the annotations of salaries.models.pay_summary() -----------


def pay_span(role, period="year") -> str:
    """A role's yearly pay from its lowest band to its highest: "₹3,00,000 – ₹25,00,000+",
    where "+" marks an open top band; per month (``period``), "₹25,000 – ₹2,08,300+"."""
    if role.pay_minimum is None:
        return ""
    currency = settings.CATALOGUE_CURRENCY
    period = period or "year"
    lowest = in_period(role.pay_minimum, given="year", shown=period)
    highest = in_period(role.pay_maximum, given="year", shown=period)
    low = money(lowest, currency)
    top = highest if highest and highest > lowest else None
    span = f"{low} – {money(top, currency)}" if top else low
    return f"{span}+" if role.open_topped_bands else span


def experience_span(role) -> str:
    """The experience the role's bands cover: "0 years or more" (its top band is open),
    "2 to under 5 years"."""
    if role.experience_from is None:
        return ""
    if role.open_ended_bands:
        return experience_range(role.experience_from, None)
    return experience_range(role.experience_from, role.experience_to)
