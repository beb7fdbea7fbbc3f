"""Pay and experience as readers in India read them: ₹3,00,000, ₹3 – 8 LPA, 2–5 years.

Plain functions, so that pages (through the thin filters in templatetags/salaries_tags.py),
the chart, the CSV export and the structured data all say a figure the same way."""

from decimal import Decimal

from babel.numbers import format_currency, format_decimal, get_currency_symbol
from django.conf import settings

# Amounts are whole currency units, grouped as Indians read them: ₹3,00,000.
MONEY_LOCALE = "en_IN"
WHOLE_UNITS_PATTERN = "¤#,##,##0"
# Lakhs with one decimal only when it says something: 3, 6.4, 1,250.
LAKHS_PATTERN = "#,##,##0.#"
LAKH = 100_000


def rupee() -> str:
    return get_currency_symbol("INR", locale=MONEY_LOCALE)


def money(amount, currency="INR") -> str:
    """₹6,40,000 for 640000 INR; empty for no amount."""
    if amount is None or amount == "":
        return ""
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


# A role's pay at a glance, from the annotations of salaries.models.pay_summary() -----------


def pay_span(role) -> str:
    """A role's yearly pay from its lowest band to its highest: "₹3,00,000 – ₹25,00,000+",
    where "+" marks an open top band."""
    if role.pay_minimum is None:
        return ""
    currency = settings.CATALOGUE_CURRENCY
    low = money(role.pay_minimum, currency)
    top = role.pay_maximum if role.pay_maximum and role.pay_maximum > role.pay_minimum else None
    span = f"{low} – {money(top, currency)}" if top else low
    return f"{span}+" if role.open_topped_bands else span


def experience_span(role) -> str:
    """The experience the role's bands cover: "0–10+ years", "2–5 years"."""
    if role.experience_from is None:
        return ""
    low = plain_years(role.experience_from)
    if role.open_ended_bands:
        top = role.experience_to
        return f"{low}–{plain_years(top)}+ years" if top else f"{low}+ years"
    return f"{low}–{plain_years(role.experience_to)} years"
