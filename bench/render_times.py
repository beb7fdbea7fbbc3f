"""Time cold renders of the public pages in-process: `.venv/bin/python bench/render_times.py`.

With the page cache off (PAGE_CACHE_SECONDS=0), renders each page REQUESTS times (default
200) through Django's test client against the database `make database` fills (var/pgdata;
`ESCO_DIR=... make database` adds ESCO) and prints, per page: the median and 95th
percentile in milliseconds (wall clock); the median CPU time of this process alone
(Django's share, PostgreSQL's left out: steadier than the wall clock on a busy machine); the
SQL queries one render runs; and the page's median over the bare Django view's
(/__baseline__/, timed the same way). The issue's goal, a bare view's rate at least 0.2
times (0.1 for a role page), is a median at most 5 (10) times the bare view's. No network
and no gunicorn: what it measures is Django's own work (URL, middleware, view, ORM,
templates) and PostgreSQL's.

URLS (space-separated) replaces the pages timed; by default the skill page is the first
skill the role page links to. Compare figures only between runs on the same machine and
database (docs/benchmarks.md, "Cold rendering in-process")."""

import os
import statistics
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PAGE_CACHE_SECONDS"] = "0"
# Routes the bare view (/__baseline__/) that `make bench` compares pages with.
os.environ["JOBSITE_BENCHMARK"] = "1"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobsite.settings")
os.environ.setdefault("DJANGO_STATIC_ROOT", str(ROOT / "var" / "static"))

ROLE_URL = "/roles/backend-developer/"


def default_urls() -> list[str]:
    from roles.models import Role

    role = Role.objects.published().filter(slug="backend-developer").first()
    skill = role.role_skills.select_related("skill").first().skill if role else None
    urls = ["/", "/roles/", ROLE_URL]
    if skill:
        urls.append(skill.get_absolute_url())
    return [*urls, "/salaries/", "/search/?q=developer"]


class Timing(NamedTuple):
    median: float  # ms, wall clock, PostgreSQL's share included
    p95: float
    cpu: float  # ms of this process's CPU, median: Django's share alone
    queries: int
    size: int  # bytes


def time_page(client, url: str, requests: int) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, HTTP_HOST="127.0.0.1")  # connections, template loading
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_HOST="127.0.0.1")
    query_count = len(queries)
    durations, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url, HTTP_HOST="127.0.0.1")
        durations.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    durations.sort()
    p95 = durations[min(len(durations) - 1, round(len(durations) * 0.95))]
    return Timing(
        statistics.median(durations),
        p95,
        statistics.median(cpu),
        query_count,
        len(response.content),
    )


def main():
    import django

    django.setup()
    from django.test import Client

    requests = int(os.environ.get("REQUESTS", "200"))
    urls = os.environ.get("URLS", "").split() or default_urls()
    client = Client()
    print(f"{requests} cold renders each (PAGE_CACHE_SECONDS=0)")
    bare = time_page(client, "/__baseline__/", requests)
    print(
        f"{'page':<36} {'median ms':>9} {'p95 ms':>7} {'CPU ms':>7} {'queries':>7} {'KB':>4}"
        f" {'x bare':>7}"
    )
    print(f"{'/__baseline__/ (bare view)':<36} {bare.median:>9.2f} {'':>7} {bare.cpu:>7.2f}")
    for url in urls:
        page = time_page(client, url, requests)
        print(
            f"{url:<36} {page.median:>9.1f} {page.p95:>7.1f} {page.cpu:>7.1f} {page.queries:>7}"
            f" {page.size / 1024:>4.0f} {page.median / bare.median:>7.1f}"
        )


if __name__ == "__main__":
    main()
