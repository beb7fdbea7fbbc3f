"""What needs an editor's attention, for the editors' dashboard on the admin index: roles
waiting for a reviewer, stale figures, roles due for review, published roles missing part of
their page, roles a newer ESCO import changed. Each list shows its first few records and how
many there are in all (one query each, whatever the catalogue's size) and links to the admin
list of all of them."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, Window
from django.urls import reverse
from django.utils import timezone

from roles.models import Role
from salaries.models import STALE_AFTER_YEARS, SalaryBand, SalaryFigure

from .models import ImportRun

SHOWN = 5
# A published role is due for review when no editor has checked it for this long.
REVIEW_EVERY = datetime.timedelta(days=365)

# The admin role list's "needs attention" filter (roles.admin.NeedsAttentionFilter) offers
# these, by parameter value.
ROLE_PROBLEMS = {
    "in-review": "Waiting for review",
    "review": "Due for review",
    "no-responsibilities": "Published without responsibilities",
    "no-skills": "Published without skills",
    "no-pay": "Published without pay",
    "esco-changed": "Changed by the last ESCO import",
}


ROLE_PROBLEM_WHYS = {
    "in-review": "Submitted by editors: a reviewer publishes each or sends it back.",
    "review": "Published, and never reviewed or last reviewed more than a year ago.",
    "no-responsibilities": "Their pages list no responsibilities.",
    "no-skills": "Their pages list no skills.",
    "no-pay": "Their pages show no salary figures.",
    "esco-changed": "ESCO's text of these occupations changed in the latest import.",
}


@dataclass(frozen=True)
class Attention:
    title: str
    why: str
    count: int
    records: list  # the first SHOWN, each with its admin change page as .admin_url
    see_all: str  # the admin list of every one of them


def roles_with(problem: str, *, today: datetime.date | None = None):
    """The roles that have ``problem`` (a key of ROLE_PROBLEMS), most urgent first."""
    today = today or timezone.localdate()
    published = Role.objects.published()
    if problem == "in-review":
        # Longest waiting first: submitting a role for review saves it.
        return Role.objects.filter(status=Role.Status.IN_REVIEW).order_by("updated_at", "title")
    if problem == "review":
        overdue = Q(reviewed_on__isnull=True) | Q(reviewed_on__lt=today - REVIEW_EVERY)
        return published.filter(overdue).order_by(F("reviewed_on").asc(nulls_first=True), "title")
    if problem == "no-responsibilities":
        return published.filter(responsibilities__isnull=True).order_by("title")
    if problem == "no-skills":
        return published.filter(role_skills__isnull=True).order_by("title")
    if problem == "no-pay":
        return published.filter(salary_bands__isnull=True, salary_figures__isnull=True).order_by(
            "title"
        )
    if problem == "esco-changed":
        run = ImportRun.objects.order_by("-started_at").first()
        if run is None:
            return Role.objects.none()
        # Roles the run updated (it stamps updated_at) that were there before it.
        return (
            Role.objects.exclude(esco_uri="")
            .filter(
                created_at__lt=run.started_at,
                updated_at__range=(run.started_at, run.finished_at),
            )
            .order_by("title")
        )
    raise ValueError(f"Unknown problem: {problem}")


def needing_attention(*, today: datetime.date | None = None) -> list[Attention]:
    """Every list of the dashboard, empty ones included (an editor sees what is in order)."""
    today = today or timezone.localdate()
    role_list = reverse("admin:roles_role_changelist")
    role_lists = [
        _attention(
            title,
            ROLE_PROBLEM_WHYS[problem],
            roles_with(problem, today=today),
            f"{role_list}?attention={problem}",
        )
        for problem, title in ROLE_PROBLEMS.items()
    ]
    # What waits for a reviewer first, then the figures, then the other roles.
    return [
        role_lists[0],
        _attention(
            "Salary bands older than two years",
            f"They describe a year more than {STALE_AFTER_YEARS} years ago; pages flag them.",
            SalaryBand.objects.stale(this_year=today.year)
            .select_related("role")
            .order_by("year", "role__title", "experience_min_years"),
            reverse("admin:salaries_salaryband_changelist") + "?age=stale",
        ),
        _attention(
            "Salary figures older than two years",
            "Averages and ceilings that pages flag as old.",
            SalaryFigure.objects.stale(this_year=today.year)
            .select_related("role")
            .order_by("year", "role__title"),
            reverse("admin:salaries_salaryfigure_changelist") + "?age=stale",
        ),
        *role_lists[1:],
    ]


def _attention(title, why, records, see_all) -> Attention:
    # The window counts every match before LIMIT applies: the count and the first few in one
    # query.
    shown = list(records.annotate(matching=Window(Count("pk")))[:SHOWN])
    for record in shown:
        meta = record._meta
        record.admin_url = reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk]
        )
    return Attention(
        title=title,
        why=why,
        count=shown[0].matching if shown else 0,
        records=shown,
        see_all=see_all,
    )
