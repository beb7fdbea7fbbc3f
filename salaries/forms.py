from decimal import Decimal

from django import forms

MAX_YEARS_OF_EXPERIENCE = Decimal(60)


class YearsOfExperienceField(forms.DecimalField):
    """Years of experience, such as 3 or 2.5, with one plain message for any nonsense.

    NaN and infinity are refused by DecimalField itself; the range and the two decimal places
    keep out absurd values (1e9, 1e-9) without exposing decimal jargon."""

    # A text box, not type="number": it keeps whatever was typed (so an error can echo it
    # back as valid HTML) and accepts "2.5" whatever the browser's locale.
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    out_of_range = (
        f"Enter your years of experience as a number from 0 to {MAX_YEARS_OF_EXPERIENCE}."
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", MAX_YEARS_OF_EXPERIENCE)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("help_text", "A number, such as 3 or 2.5.")
        super().__init__(**kwargs)
        self.error_messages.update(
            {
                "invalid": "Enter your years of experience as a number, such as 3 or 2.5.",
                "min_value": self.out_of_range,
                "max_value": self.out_of_range,
                "max_decimal_places": "Use at most two decimal places, such as 2.5 or 2.75.",
                "max_digits": self.out_of_range,
                "max_whole_digits": self.out_of_range,
            }
        )
