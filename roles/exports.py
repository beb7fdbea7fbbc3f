"""The roles list as CSV rows (roles.views.RoleExportView streams them)."""

from collections.abc import Callable, Iterator

from django.conf import settings
from django.utils import timezone

from jobsite.csv_exports import text_cell
from salaries.formatting import experience_span
from salaries.models import PAY_SUMMARY_FIELDS

ROLE_CSV_HEADER = [
    "title",
    "URL",
    "family",
    "ISCO-08 code",
    f"pay minimum ({settings.CATALOGUE_CURRENCY} per year)",
    f"pay maximum ({settings.CATALOGUE_CURRENCY} per year)",
    "top band open-ended",
    "experience covered",
    "updated",
]
# What each row is read from: the role's own columns, its family's name and the pay span of
# salaries.models.pay_summary() (catalogue.selectors.roles_for_listing annotates it). Plain
# values, not model instances: two objects a row would cost more than the rest of the file.
ROLE_CSV_FIELDS = (
    "title",
    "slug",
    "family__name",
    "isco_08",
    *PAY_SUMMARY_FIELDS,
    "updated_at",
)
# Roles read from the database, and rows sent, at a time: 13,000 roles (ESCO's and 10,000
# demo ones) are never held in memory together.
ROLE_CSV_CHUNK_SIZE = 2000


def role_csv_rows(roles, *, url_of: Callable[[str], str]) -> Iterator[list]:
    """One CSV row per role of ``roles`` (a roles_for_listing() queryset, filtered and
    ordered as the list is), in its order; ``url_of`` turns a slug into the page's URL."""
    # The cards' top skills are a prefetch, one query per chunk: left out of the file.
    values = roles.prefetch_related(None).values_list(*ROLE_CSV_FIELDS, named=True)
    for role in values.iterator(chunk_size=ROLE_CSV_CHUNK_SIZE):
        yield [
            text_cell(role.title),
            url_of(role.slug),
            text_cell(role.family__name),
            role.isco_08,
            _number(role.pay_minimum),
            _number(role.pay_maximum),
            "yes" if role.open_topped_bands else ("no" if role.pay_minimum is not None else ""),
            # "0–10+ years", as the cards read (experience_span needs only these three).
            experience_span(role),
            timezone.localdate(role.updated_at).isoformat(),
        ]


def _number(value) -> str | int:
    return "" if value is None else value
