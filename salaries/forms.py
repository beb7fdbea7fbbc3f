from collections.abc import Iterable
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Case, Q, When

from .formatting import money, pay_range
from .models import OutOfLine, PayPeriod, SalaryBand

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


class PayPeriodField(forms.ChoiceField):
    """Pay per year (the default: rupees and lakhs) or per month, as the visitor chose in the
    ``pay`` parameter of a salary page's address."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", PayPeriod.choices)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Show pay")
        super().__init__(**kwargs)
        self.error_messages["invalid_choice"] = "We show pay per year or per month only."

    def clean(self, value):
        return super().clean(value) or PayPeriod.YEAR


class PayPeriodForm(forms.Form):
    """The role page's choice of pay period: a value it does not know is ignored, with a
    message, rather than costing the visitor the rest of the page."""

    pay = PayPeriodField()

    def chosen_period(self) -> str:
        return self.cleaned_data["pay"] if self.is_valid() else PayPeriod.YEAR


# The id of the <datalist> that suggests role titles to the role box (the explorer's template).
ROLE_TITLES_LIST_ID = "role-titles"


class RolePickerField(forms.CharField):
    """A role, typed or pasted: its slug (the documented ``?role=<slug>``) or its title as a
    person would type it, in any letter case.

    A text box with a short list of suggestions, not a <select>: a select of every role
    grows with the catalogue (10,000 options is a megabyte of HTML)."""

    widget = forms.TextInput(
        attrs={"list": ROLE_TITLES_LIST_ID, "autocomplete": "off", "spellcheck": "false"}
    )
    unknown_role = (
        "We have no salary figures for that role. Check the spelling, or type a role’s title, "
        "such as Backend Developer."
    )

    def __init__(self, *, queryset, **kwargs):
        kwargs.setdefault("max_length", 150)  # Role.title and Role.slug
        kwargs.setdefault("help_text", "A role’s title, such as Backend Developer.")
        super().__init__(**kwargs)
        self.queryset = queryset
        self.error_messages.update(
            {
                "max_length": "A role’s title is at most %(limit_value)d characters; "
                "this has %(show_value)d.",
                "unknown_role": self.unknown_role,
            }
        )

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        # One query whichever was typed; a slug wins over another role's title.
        role = (
            self.queryset.filter(Q(slug=text) | Q(title__iexact=text))
            .order_by(Case(When(slug=text, then=0), default=1), "title")
            .first()
        )
        if role is None:
            raise ValidationError(self.error_messages["unknown_role"], code="unknown_role")
        return role


class SalaryExplorerForm(forms.Form):
    """The explorer's form (SalaryBandFilterSet's Meta.form)."""

    def clean(self):
        cleaned_data = super().clean()
        role = cleaned_data.get("role")
        if role is not None:
            # The box shows the role's title, however it was asked for (a slug in a link,
            # any letter case): what a person would have picked from the suggestions.
            self.data = self.data.copy()
            self.data[self.add_prefix("role")] = role.title
        return cleaned_data


# Admin: a band far out of line with its role's others is saved once the editor confirms it -----

# What a band is compared on: a change to any of these asks again whether it is in line.
COMPARED_FIELDS = ("role", "minimum", "maximum", "currency", "period")


class NothingToCheck(forms.HiddenInput):
    """The confirmation box's place in a band row that needs no confirmation, when another
    row does: an empty cell, not a hidden one, so that the table's columns stay aligned."""

    is_hidden = False


class SalaryBandForm(forms.ModelForm):
    """A salary band as editors enter it in admin: a band far out of line with its role's
    other bands (SalaryBand.out_of_line_with) is saved only once the editor has ticked "I
    have checked this figure". The box stays hidden until it is needed.

    On a role's page the bands are compared with each other (SalaryBandFormSet, in
    salaries/admin.py); on a band's own page, with the role's saved bands
    (SalaryBandPageForm)."""

    pay_checked = forms.BooleanField(
        label="I have checked this figure",
        required=False,
        widget=forms.HiddenInput,
        help_text="Needed only for pay far out of line with the role's other bands.",
    )

    class Meta:
        model = SalaryBand
        fields = [
            "role",
            "experience_min_years",
            "experience_max_years",
            "minimum",
            "maximum",
            "percentile_25",
            "median",
            "percentile_75",
            "sample_size",
            "currency",
            "period",
            "location",
            "source",
            "year",
        ]

    @property
    def changed_data(self):
        # Ticking the box is not a change to the band: history records none, and a row
        # whose only change is the tick saves nothing.
        return [name for name in super().changed_data if name != "pay_checked"]

    def _update_errors(self, errors):
        """The role page's inline leaves a source's statistics to the band's own page, yet
        the model still checks them against the range: a new range that leaves the stored
        median outside it is an error of the whole row there, not of a field it lacks."""
        if hasattr(errors, "error_dict"):
            by_field = dict(errors.error_dict)
            left_out = [
                name for name in by_field if name != NON_FIELD_ERRORS and name not in self.fields
            ]
            if left_out:
                for name in left_out:
                    del by_field[name]
                by_field.setdefault(NON_FIELD_ERRORS, []).extend(
                    ValidationError(self._left_out_message(name)) for name in left_out
                )
                errors = ValidationError(by_field)
        super()._update_errors(errors)

    def _left_out_message(self, name: str) -> str:
        band = self.instance
        label = SalaryBand._meta.get_field(name).verbose_name
        return (
            f"The {label} saved with this band, {money(getattr(band, name), band.currency)}, "
            f"would fall outside the range {pay_range(band)}. Change it on the band's own "
            "page, then the range here."
        )

    def confirm_if_out_of_line(self, others: Iterable[SalaryBand]) -> OutOfLine | None:
        """Ask the editor to confirm the band if its pay, new or changed, is far out of line
        with ``others``; call once the form is cleaned, when its instance holds what was
        typed. Returns how far out it is, if it is."""
        if any(name in self.errors for name in COMPARED_FIELDS):
            return None  # nothing sound to compare yet
        if not (self.instance._state.adding or set(COMPARED_FIELDS) & set(self.changed_data)):
            return None  # accepted when it was saved
        out_of_line = self.instance.out_of_line_with(others)
        if out_of_line is None:
            return None
        self.show_pay_check()
        if not self.cleaned_data.get("pay_checked"):
            self.add_error(
                "pay_checked",
                f"{out_of_line} If the figure is right, tick “I have checked this figure” "
                "and save again.",
            )
        return out_of_line

    def show_pay_check(self):
        self.fields["pay_checked"].widget = forms.CheckboxInput()

    def leave_pay_check_empty(self):
        self.fields["pay_checked"].widget = NothingToCheck()


class SalaryBandPageForm(SalaryBandForm):
    """A band on its own admin page, compared with its role's saved bands."""

    def _post_clean(self):
        # After the instance is built from the form (as UserCreationForm checks passwords).
        super()._post_clean()
        if self.instance.role_id is not None:
            self.confirm_if_out_of_line(SalaryBand.objects.alongside(self.instance))
