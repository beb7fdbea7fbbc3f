"""Time every catalogue admin list as a signed-in superuser: `python bench/admin_lists.py`.

Each list is loaded plain, with a search and with a list filter: one request to warm up,
then REQUESTS more, through Django's test client in this process (no HTTP server, so the
figures are Django and PostgreSQL alone). Prints a Markdown table of the median time, the
SQL queries per request and the slowest of them, for docs/benchmarks.md ("Admin lists").

It measures whatever database the settings name, so point it at one filled at scale, never
at one people use: it signs in as a superuser it creates ("bench-admin"). Without
DATABASE_URL it uses `make bench`'s database (var/bench/pgdata), as bench/profile_page.py
does; fill that with `make bench` or, with ESCO as well, the commands in docs/benchmarks.md."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EMBEDDED_POSTGRES_DIR", str(ROOT / "var" / "bench" / "pgdata"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobsite.settings")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")  # not axes' note of the sign-in

REQUESTS = int(os.environ.get("REQUESTS", "5"))

# (list, admin URL name, search, filter): searches an editor would type, and a filter each
# list offers whose choices are there whatever the data.
LISTS = [
    ("roles", "roles_role", "software developer", "status__exact=published"),
    ("roles by family", "roles_role", "", "family__id__exact={largest_family}"),
    ("role families", "roles_rolefamily", "engineer", "from_esco=yes"),
    ("sources", "roles_source", "salary", "year=2024"),
    ("skills", "skills_skill", "python", "kind__exact=knowledge"),
    ("skill groups", "skills_skillgroup", "data", "from_esco=yes"),
    ("locations", "salaries_location", "bengaluru", "country_code=IN"),
    ("salary bands", "salaries_salaryband", "developer", "currency__exact=INR"),
    ("salary figures", "salaries_salaryfigure", "developer", "currency__exact=INR"),
    ("import runs", "catalogue_importrun", "", "esco_version=1.1.1"),
]
# The pickers on a role's page search the same way as the lists: (picker, its field, term).
AUTOCOMPLETES = [
    ("skill of a role", ("skills", "roleskill", "skill"), "jav"),
    ("role it works with", ("roles", "collaboration", "collaborator"), "softw dev"),
]


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # Static URLs without collectstatic's manifest: the pages are measured, not their files.
    storages = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    with override_settings(STORAGES=storages):
        measure_lists()


def measure_lists():
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from roles.models import Role, RoleFamily

    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)

    def measure(url):
        client.get(url, HTTP_HOST="127.0.0.1")  # connections, templates, caches
        timings, slowest, queries = [], 0.0, 0
        for _ in range(REQUESTS):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url, HTTP_HOST="127.0.0.1")
                timings.append(time.perf_counter() - start)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            queries = len(captured)
            slowest = max([slowest, *(float(query["time"]) for query in captured)])
        return statistics.median(timings) * 1000, queries, slowest * 1000

    largest_family = (
        RoleFamily.objects.annotate(size=Count("roles")).order_by("-size").values("pk")[0]["pk"]
    )
    print(f"{Role.objects.count():,} roles; median of {REQUESTS} requests after one to warm up.\n")
    print("| list | plain ms | SQL | search ms | SQL | filtered ms | SQL | slowest query ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, name, search, list_filter in LISTS:
        url = reverse(f"admin:{name}_changelist")
        plain = measure(url)
        searched = measure(f"{url}?q={search.replace(' ', '+')}") if search else None
        filtered = measure(f"{url}?{list_filter.format(largest_family=largest_family)}")
        cells = [plain, searched, filtered]
        row = []
        for cell in cells:
            row += [f"{cell[0]:.0f}", str(cell[1])] if cell else ["–", "–"]
        slowest = max(cell[2] for cell in cells if cell)
        print(f"| {label} | {' | '.join(row)} | {slowest:.0f} |")
    print("\n| autocomplete | term | ms | SQL | slowest query ms |")
    print("| --- | --- | ---: | ---: | ---: |")
    for label, (app_label, model_name, field_name), term in AUTOCOMPLETES:
        url = reverse("admin:autocomplete") + (
            f"?app_label={app_label}&model_name={model_name}&field_name={field_name}"
            f"&term={term.replace(' ', '+')}"
        )
        elapsed, queries, slowest = measure(url)
        print(f"| {label} | {term} | {elapsed:.0f} | {queries} | {slowest:.0f} |")


if __name__ == "__main__":
    main()
