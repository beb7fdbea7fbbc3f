from django import forms
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.text import Truncator

from jobsite.text_search import MAX_QUERY_LENGTH, require_words
from roles.models import Role

from .comparing import MAX_ROLES_COMPARED


class SearchForm(forms.Form):
    """The search box. An empty ``q`` is valid: the page then asks for words instead of
    searching."""

    q = forms.CharField(
        label="Search roles and skills",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        validators=[require_words],
        widget=forms.SearchInput(attrs={"placeholder": "e.g. backend, Python, cloud"}),
    )
    # "Search instead for …": the words exactly as typed, never corrected.
    as_typed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""


# More values than this are not even looked up: a link cannot make the page read 1,000 roles.
MAX_ROLE_VALUES_READ = 10


class CompareForm(forms.Form):
    """The roles to compare: ``role`` repeated, each a slug (as links give it) or a title
    typed into the "add a role" box, in any letter case; empty boxes are ignored.

    Whatever is wrong with some of them (unknown, a draft, given twice, a fifth role, a
    null character), the form says so and ``roles`` keeps the good ones, in the order
    given, so the page still compares what it can. One query, for every value at once."""

    # A plain Field: the values are checked together in clean(), each with its own message,
    # not one (the last) by CharField's validators.
    role = forms.Field(
        label="Add a role",
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 150, "autocomplete": "off"}),
        help_text="A role’s title, such as Backend Developer.",
    )

    def __init__(self, data, *, roles: models.QuerySet[Role]):
        super().__init__(data)
        self.label_suffix = ""
        self.queryset = roles
        self.roles: list[Role] = []
        self.values = [value.strip() for value in data.getlist("role") if value.strip()]
        # What the visitor typed that named no role, to give back in the box to correct.
        self.unknown = ""

    def clean(self):
        values, problems = [], []
        for value in self.values[:MAX_ROLE_VALUES_READ]:
            if "\x00" in value:
                problems.append("A role’s title cannot contain a null character.")
            elif len(value) > 150:
                problems.append(f"“{Truncator(value).chars(40)}” is too long for a role’s title.")
            else:
                values.append(value)
        by_slug, by_title = self.find(values)
        for value in values:
            role = by_slug.get(value) or by_title.get(value.casefold())
            if role is None:
                self.unknown = self.unknown or value
                problems.append(
                    f"We have no published role called “{Truncator(value).chars(60)}”. Type a "
                    "role’s title, such as Backend Developer."
                )
            elif role in self.roles:
                problems.append(f"{role.title} is already in the comparison.")
            elif len(self.roles) == MAX_ROLES_COMPARED:
                problems.append(
                    f"Compare up to {MAX_ROLES_COMPARED} roles at a time: remove one to add "
                    f"{role.title}."
                )
            else:
                self.roles.append(role)
        if len(self.values) > MAX_ROLE_VALUES_READ:
            problems.append(f"Compare up to {MAX_ROLES_COMPARED} roles at a time.")
        for problem in dict.fromkeys(problems):
            self.add_error("role", problem)
        return {"role": self.roles}

    def find(self, values: list[str]) -> tuple[dict[str, Role], dict[str, Role]]:
        """The published roles ``values`` name, by slug and by casefolded title."""
        if not values:
            return {}, {}
        matches = list(
            self.queryset.alias(lower_title=Lower("title")).filter(
                Q(slug__in=values) | Q(lower_title__in=[value.lower() for value in values])
            )
        )
        by_title = {}
        for role in matches:
            by_title.setdefault(role.title.casefold(), role)
        return {role.slug: role for role in matches}, by_title

    @property
    def canonical(self) -> bool:
        """Whether the address already names every role by its slug, nothing else."""
        return self.values == [role.slug for role in self.roles]
