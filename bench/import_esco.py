"""`make bench-import`: time the ESCO import and its memory, then count the SQL of the pages
that show the largest ESCO shapes.

1. A fresh embedded database of its own (var/bench-import/pgdata), migrated.
2. `manage.py import_esco ESCO_DIR` (default ../shared/data/esco-v1.1.1) into the empty
   catalogue, then again on the same files: wall time and peak resident memory of each.
3. SQL queries per page, counted in-process, for the occupation with the most skills (340 in
   v1.1.1), the skill the most occupations need (350), the ISCO tree, a unit group's page and
   a search by alternative title: the same numbers the tests hold on a miniature.

Targets (issue 10): full import ≤ 60 s, repeat ≤ 10 s, peak memory ≤ 500 MB. The table is
printed and written to var/bench-import/latest.md. Everything stops when the run ends.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench-import"
PYTHON = sys.executable
ESCO_DIR = Path(os.environ.get("ESCO_DIR") or ROOT.parent / "shared" / "data" / "esco-v1.1.1")
TARGETS = {"import": 60, "repeat": 10, "memory_mb": 500}

ENV = {
    **os.environ,
    "EMBEDDED_POSTGRES_DIR": str(BENCH_DIR / "pgdata"),
    "DJANGO_STATIC_ROOT": str(BENCH_DIR / "static"),
    "DJANGO_LOG_LEVEL": "WARNING",
}
ENV.pop("DATABASE_URL", None)  # always a database of its own, never the one you work in

PAGE_QUERIES = """
import json
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from roles.models import Role, RoleFamily
from skills.models import Skill

widest = Role.objects.annotate(n=Count("role_skills")).order_by("-n").first()
busiest = Skill.objects.annotate(n=Count("role_skills")).order_by("-n").first()
small = Role.objects.exclude(esco_uri="").annotate(n=Count("role_skills")).order_by("n").first()
unit = RoleFamily.objects.get(code=widest.isco_08)
pages = {
    f"role page, {widest.n} skills ({widest.title})": widest.get_absolute_url(),
    f"role page, {small.n} skills ({small.title})": small.get_absolute_url(),
    f"skill page, {busiest.n} occupations ({busiest.name})": busiest.get_absolute_url(),
    "skill page, page 4": busiest.get_absolute_url() + "?page=4",
    "ISCO-08 groups": "/families/",
    f"unit group {unit.code}": unit.get_absolute_url(),
    "roles list": "/roles/",
    "skills list": "/skills/",
    "search 'programmer'": "/search/?q=programmer",
}
client = Client()
counts = {}
for name, url in pages.items():
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url, HTTP_HOST="127.0.0.1").status_code
    counts[name] = [url, status, len(queries)]
print(json.dumps(counts))
"""


def manage(*args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**ENV, "PAGE_CACHE_SECONDS": "0"},
        text=True,
        capture_output=capture,
    )
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stderr or ''}")
    return result.stdout


def timed_import() -> tuple[float, float, str]:
    """Seconds and peak memory (MB) of one `import_esco` process, and its report."""
    started = time.monotonic()
    output = manage("import_esco", str(ESCO_DIR), capture=True)
    seconds = time.monotonic() - started
    # The largest resident set of any child waited for so far: each import is the largest.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb, output


def main():
    if not ESCO_DIR.is_dir():
        sys.exit(
            f"ESCO's files are not at {ESCO_DIR}: set ESCO_DIR (see README, 'Importing ESCO')."
        )
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    BENCH_DIR.mkdir(parents=True)
    manage("migrate", "--no-input", "--verbosity", "0")
    first_seconds, first_mb, report = timed_import()
    print(report, end="")
    repeat_seconds, repeat_mb, repeat_report = timed_import()
    print(repeat_report, end="")
    manage("collectstatic", "--no-input", "--verbosity", "0")  # the pages link hashed names
    pages = json.loads(manage("shell", "-c", PAGE_QUERIES, capture=True).strip().splitlines()[-1])

    def verdict(value, target):
        return "met" if value <= target else "MISSED"

    lines = [
        f"ESCO import from {ESCO_DIR}, on {os.cpu_count()} cores",
        "",
        "| run | seconds | peak memory (MB) | target |",
        "| --- | ---: | ---: | --- |",
        f"| full import | {first_seconds:.1f} | {first_mb:.0f} | ≤ {TARGETS['import']} s, "
        f"≤ {TARGETS['memory_mb']} MB: {verdict(first_seconds, TARGETS['import'])}, "
        f"{verdict(first_mb, TARGETS['memory_mb'])} |",
        f"| repeat, same files | {repeat_seconds:.1f} | {repeat_mb:.0f} | ≤ {TARGETS['repeat']} s:"
        f" {verdict(repeat_seconds, TARGETS['repeat'])} |",
        "",
        "| page (full ESCO catalogue, page cache off) | status | SQL queries |",
        "| --- | ---: | ---: |",
        *(f"| {name} | {status} | {count} |" for name, (_, status, count) in pages.items()),
    ]
    table = "\n".join(lines)
    print("\n" + table)
    (BENCH_DIR / "latest.md").write_text(table + "\n")
    missed = (
        first_seconds > TARGETS["import"]
        or repeat_seconds > TARGETS["repeat"]
        or first_mb > TARGETS["memory_mb"]
    )
    return 1 if missed or any(status != 200 for _, status, _ in pages.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
