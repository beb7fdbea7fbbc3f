from babel.numbers import format_currency
from django import template

register = template.Library()

# Amounts are whole currency units, grouped as Indians read them: ₹3,00,000.
MONEY_LOCALE = "en_IN"
WHOLE_UNITS_PATTERN = "¤#,##,##0"


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
