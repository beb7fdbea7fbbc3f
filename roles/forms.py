from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from catalogue.postings import (
    COMPANY_PLACEHOLDER,
    DAYS_OPEN,
    EmploymentType,
    PostingOptions,
    place_name,
)
from salaries.formatting import pay_range
from salaries.forms import YearsOfExperienceField
from skills.models import SkillImportance

from .models import Role


class ExperienceForm(forms.Form):
    """Years of experience, to mark the matching salary band on a role page."""

    experience = YearsOfExperienceField(label="Your years of experience", required=False)


class IscoGroupField(forms.ModelChoiceField):
    """An ISCO-08 group typed by its code: 2 (a major group) down to 2512 (a unit group).

    Typed rather than picked: ISCO-08 has 619 groups, too many for a list, and the code is
    what a recruiter has from a job advert or a statistics table."""

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "pattern": "[0-9]{1,4}", "maxlength": 4, "size": 4}
    )
    default_error_messages = {
        "invalid_choice": "We know no ISCO-08 group coded “%(value)s”.",
        "invalid_code": "An ISCO-08 code has one to four digits, such as 25 or 2512.",
    }

    def __init__(self, queryset, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(queryset, **kwargs)

    def to_python(self, value):
        code = value.strip() if isinstance(value, str) else value
        # Checked before the database is asked (PostgreSQL refuses a null character), and
        # ASCII only: Python's \d takes "٢٥" too, which no ISCO-08 code is written in.
        if code and not (len(code) <= 4 and code.isascii() and code.isdigit()):
            raise ValidationError(self.error_messages["invalid_code"], code="invalid_code")
        return super().to_python(code)


class YesCheckboxInput(forms.CheckboxInput):
    """A tick box sent as ``<name>=yes``; only a yes (or 1, true, on) ticks it, where
    Django's reads any other text, even "0" or "no", as ticked."""

    TICKED = {"yes", "1", "true", "on"}

    def __init__(self, attrs=None):
        super().__init__({"value": "yes", **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        value = data.get(name)
        return isinstance(value, str) and value.strip().lower() in self.TICKED


MAX_COMPANY_NAME_LENGTH = 100
# A posting's dates stay near today: a year either way, and open for a year at most.
MAX_DAYS_FROM_TODAY = 366
MAX_DAYS_OPEN = 366
DATE_FORMAT_HINT = "Enter a date as year-month-day, such as 2026-03-31."


class IsoDateInput(forms.DateInput):
    """A date picker (type="date") that never echoes a value it cannot hold: a mistyped
    date is named in the field's error instead, and the page stays valid HTML."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def format_value(self, value):
        if isinstance(value, str):
            try:
                return date.fromisoformat(value).isoformat()
            except ValueError:
                return None
        return super().format_value(value)


class PostingForm(forms.Form):
    """What a recruiter chooses for a job posting of ``role`` (read by
    catalogue.postings.roles_for_posting()): a salary band, a place, the preferred skills to
    mention, their company and the posting's dates. Every choice has a default (the first
    band, its place, none of the preferred skills, a company placeholder, open for thirty
    days), so a bare address gives a whole posting; ``date_posted`` is always in the
    address (the view adds today's), so that a shared or cached page keeps its dates."""

    band = forms.TypedChoiceField(
        label="Experience band",
        coerce=int,
        error_messages={
            "required": "Choose an experience band.",
            "invalid_choice": "Choose one of this role’s experience bands.",
        },
    )
    location = forms.ChoiceField(
        label="Location",
        error_messages={
            "required": "Choose where the job is.",
            "invalid_choice": "Choose a place from the list.",
        },
    )
    employment_type = forms.ChoiceField(
        label="Employment type",
        choices=EmploymentType,
        error_messages={"invalid_choice": "Choose an employment type from the list."},
    )
    company_name = forms.CharField(
        label="Company name",
        max_length=MAX_COMPANY_NAME_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": COMPANY_PLACEHOLDER}),
    )
    company_url = forms.URLField(
        label="Company website",
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text="Optional, such as https://example.com.",
    )
    date_posted = forms.DateField(
        label="Date posted",
        widget=IsoDateInput(),
        error_messages={"required": "Enter the date posted.", "invalid": DATE_FORMAT_HINT},
    )
    valid_through = forms.DateField(
        label="Apply by",
        required=False,
        widget=IsoDateInput(),
        error_messages={"invalid": DATE_FORMAT_HINT},
        help_text=f"Empty: {DAYS_OPEN} days after the date posted.",
    )
    skills = forms.MultipleChoiceField(
        label="Preferred skills to include",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Tick only this role’s preferred skills."},
    )

    def __init__(self, data, *, role: Role, locations, today: date):
        self.role = role
        self.today = today
        self.bands = {band.pk: band for band in role.salary_bands.all()}
        self.locations = {location.slug: location for location in locations}
        self.preferred = {
            role_skill.skill.slug: role_skill
            for role_skill in [*role.technical_skills, *role.soft_skills]
            if role_skill.importance == SkillImportance.PREFERRED
        }
        super().__init__(self.with_defaults(data))
        self.label_suffix = ""
        self.fields["band"].choices = [
            (
                pk,
                f"{band.experience_label}{f', {band.location.name}' if band.location else ''}: "
                f"{pay_range(band)} {band.get_period_display()}",
            )
            for pk, band in self.bands.items()
        ]
        self.fields["location"].choices = [
            (slug, place_name(location)) for slug, location in self.locations.items()
        ]
        self.fields["skills"].choices = [
            (slug, role_skill.skill.name) for slug, role_skill in self.preferred.items()
        ]
        # A role without pay figures, or a catalogue without places, has nothing to choose.
        for name, choices in [("band", self.bands), ("location", self.locations)]:
            if not choices:
                del self.fields[name]
        if not self.preferred:
            del self.fields["skills"]

    @property
    def required_skill_count(self) -> int:
        """How many skills every posting of the role names, whatever is ticked."""
        skills = [*self.role.technical_skills, *self.role.soft_skills]
        return sum(role_skill.importance == SkillImportance.REQUIRED for role_skill in skills)

    def with_defaults(self, data):
        """``data`` with a default for each choice it does not make."""
        data = data.copy()
        first_band = next(iter(self.bands.values()), None)
        if "band" not in data and first_band is not None:
            data["band"] = str(first_band.pk)
        if "location" not in data:
            band = self.bands.get(_int_or_none(data.get("band"))) or first_band
            location = band.location if band and band.location else None
            if location is None:
                location = next(iter(self.locations.values()), None)
            if location is not None:
                data["location"] = location.slug
        data.setdefault("employment_type", EmploymentType.FULL_TIME)
        return data

    def clean_company_name(self):
        # One line: a line break typed into the name would break the posting's layout.
        return " ".join(self.cleaned_data["company_name"].split())

    def clean_date_posted(self):
        posted = self.cleaned_data["date_posted"]
        if abs((posted - self.today).days) > MAX_DAYS_FROM_TODAY:
            raise ValidationError(
                "Choose a date within a year of today.", code="date_posted_out_of_range"
            )
        return posted

    def clean(self):
        cleaned = super().clean()
        posted, closes = cleaned.get("date_posted"), cleaned.get("valid_through")
        if posted and closes:
            if closes < posted:
                self.add_error("valid_through", "Apply by a date on or after the date posted.")
            elif (closes - posted).days > MAX_DAYS_OPEN:
                self.add_error("valid_through", "A posting can stay open for a year at most.")
        return cleaned

    def options(self) -> PostingOptions:
        """The choices made, for catalogue.postings.Posting; only for a valid form."""
        data = self.cleaned_data
        return PostingOptions(
            date_posted=data["date_posted"],
            valid_through=data["valid_through"],
            band=self.bands.get(data.get("band")),
            location=self.locations.get(data.get("location")),
            preferred_skills=tuple(self.preferred[slug] for slug in data.get("skills", [])),
            company_name=data["company_name"],
            company_url=data["company_url"],
            employment_type=data["employment_type"],
        )


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
