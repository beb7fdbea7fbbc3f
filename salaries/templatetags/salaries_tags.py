"""Pay and experience for templates: thin filters over salaries.formatting, and the chart."""

from django import template

from salaries import charts, formatting

register = template.Library()

register.filter("money", formatting.money)  # {{ amount|money:currency }}: ₹6,40,000
register.filter("pay_range", formatting.pay_range)  # a band: ₹3,00,000 – ₹8,00,000
register.filter("lakhs_range", formatting.lakhs_range)  # a band: ₹3 – 8 LPA
register.filter("pay_range_lakhs", formatting.lakhs_range)
register.filter("pay_lakhs", formatting.pay_lakhs)  # a figure: ₹6.4 LPA
register.filter(
    "amount_per", formatting.amount_per
)  # a figure |amount_per:"month": ₹53,300 per month
register.filter("reads_in_lakhs", formatting.reads_in_lakhs)
register.filter("years", formatting.years)  # 2.5 -> 2.5 years
register.filter("statistics", formatting.statistics)  # a band: median ₹5,00,000; …
register.filter("provenance", formatting.provenance)  # Tap Academy, 2023; figures for 2023
# A role annotated with salaries.models.pay_summary():
register.filter("pay_span", formatting.pay_span)  # ₹3,00,000 – ₹25,00,000+ (|pay_span:"month")
register.filter("experience_span", formatting.experience_span)  # 0–10+ years


@register.inclusion_tag("includes/salary_chart.html")
def salary_chart(bands, highlighted_band=None, *, experience=None, title=""):
    """An accessible SVG bar chart of pay by experience band.

    ``{% salary_chart bands %}``, ``{% salary_chart bands highlighted_band %}`` or
    ``{% salary_chart bands experience=years title="Backend Developer pay" %}``:
    ``highlighted_band`` is a band or a list of bands to mark; ``experience`` (years, a
    Decimal) marks the bands that hold it instead. Renders nothing when there are no bands."""
    return {"chart": charts.band_chart(bands, highlighted_band, experience=experience, title=title)}
