"""`make bench`: measure the pages as production serves them, against a baseline in the same run.

1. Prepares a separate embedded database (var/bench/pgdata): migrations, ESCO when ESCO_DIR
   names its download (`make bench-import` times that import), the shipped catalogue and a
   demo catalogue of BENCH_ROLES roles (generated once, then reused).
2. Serves the site with gunicorn and gunicorn.conf.py (workers = cores, gthread), once with
   page caching off ("cold") and once on ("warm"), with the bare /__baseline__/ view routed.
3. Drives each page (the API's role list and role detail among them) with wrk from a second
   process (BENCH_CONNECTIONS connections for BENCH_SECONDS) and prints requests per
   second, p50 and p99 latency, SQL queries per request and throughput as a share of the
   baseline's. The table is also written to
   var/bench/latest.md.

Everything listens on 127.0.0.1 and stops when the run ends.
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PYTHON = sys.executable
ROLES = int(os.environ.get("BENCH_ROLES", "10000"))
SEED = os.environ.get("BENCH_SEED", "1")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PORT = int(os.environ.get("BENCH_PORT", "8089"))
BASE = f"http://127.0.0.1:{PORT}"

ENV = {
    **os.environ,
    "EMBEDDED_POSTGRES_DIR": str(BENCH_DIR / "pgdata"),
    "DJANGO_STATIC_ROOT": str(BENCH_DIR / "static"),
    "JOBSITE_BENCHMARK": "1",
    "DJANGO_LOG_LEVEL": "WARNING",
    "GUNICORN_ACCESS_LOG": "",
    "PORT": str(PORT),
    # wrk is one client sending thousands of requests a second: the API's per-client limit
    # would answer most of them 429.
    "API_THROTTLE_RATE": "off",
}
ENV.pop("DATABASE_URL", None)  # always a separate database, never the one you work in


def manage(*args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout


def prepare_database():
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    manage("migrate", "--no-input", "--verbosity", "0")
    if os.environ.get("ESCO_DIR"):  # the real catalogue first, then the demo roles on top
        manage("import_esco", os.environ["ESCO_DIR"], "--verbosity", "0")
    manage("load_catalogue", "--verbosity", "0")
    existing = int(manage("shell", "-c", COUNT_DEMO_ROLES, capture=True).split()[-1])
    if existing != ROLES:
        if existing:
            manage("generate_demo_data", "--clear", "--verbosity", "0")
        print(f"Generating {ROLES} demo roles (seed {SEED})...", flush=True)
        started = time.monotonic()
        manage("generate_demo_data", "--roles", str(ROLES), "--seed", SEED)
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    manage("collectstatic", "--no-input", "--verbosity", "0")


COUNT_DEMO_ROLES = "from roles.models import Role; print(Role.objects.filter(is_demo=True).count())"

# The pages to measure; filled with a busy demo skill once the data exists.
PICK_PAGES = """
import json
from django.db.models import Count
from skills.models import Skill
skill = Skill.objects.filter(is_demo=True).annotate(n=Count('role_skills')).order_by('-n').first()
print(json.dumps({"skill": skill.slug if skill else "python"}))
"""

QUERY_COUNTS = """
import json, sys
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
counts = {}
for url in json.loads(sys.stdin.read()):
    client.get(url, HTTP_HOST="127.0.0.1")  # the first visit fills the page cache, if on
    with CaptureQueriesContext(connection) as queries:
        client.get(url, HTTP_HOST="127.0.0.1")
    counts[url] = len(queries)
print(json.dumps(counts))
"""


def pages():
    skill = json.loads(manage("shell", "-c", PICK_PAGES, capture=True).splitlines()[-1])["skill"]
    return {
        "baseline (bare Django view)": "/__baseline__/",
        "home": "/",
        "roles list": "/roles/",
        "role page": "/roles/backend-developer/",
        "roles filtered by skill": f"/roles/?skill={skill}",
        "salary explorer, 3 years": "/salaries/?role=backend-developer&experience=3",
        "search": "/search/?q=engineer",
        "API: role list": "/api/v1/roles/",
        "API: role detail": "/api/v1/roles/backend-developer/",
    }


def query_counts(urls, cache_seconds):
    """SQL per request, counted in-process on each page's second request (see QUERY_COUNTS)."""
    env = {**ENV, "PAGE_CACHE_SECONDS": str(cache_seconds)}
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", QUERY_COUNTS],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=True,
        input=json.dumps(urls),
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


class Server:
    def __init__(self, cache_seconds):
        self.env = {**ENV, "PAGE_CACHE_SECONDS": str(cache_seconds)}

    def __enter__(self):
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py", "jobsite.wsgi"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{BASE}/__baseline__/", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(url):
    # Warm up (connections, caches), then measure.
    subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", "-d2s", url], capture_output=True)
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def _ms(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    prepare_database()
    targets = pages()
    lines = [
        f"Catalogue: {ROLES} demo roles + the shipped catalogue. "
        f"Load: wrk, 2 threads, {CONNECTIONS} connections, {SECONDS} s per page after a "
        f"2 s warm-up. Server: gunicorn.conf.py ({os.cpu_count()} cores).",
        "",
    ]
    for mode, cache_seconds in [("cold: page cache off", 0), ("warm: page cache on", 600)]:
        counts = query_counts(list(targets.values()), cache_seconds)
        results = {}
        with Server(cache_seconds):
            for name, path in targets.items():
                results[name] = wrk(BASE + path)
                print(f"  {mode}: {name}: {results[name]['rps']:.0f} req/s", flush=True)
        baseline = results["baseline (bare Django view)"]["rps"]
        lines += [
            f"### {mode}",
            "",
            "| page | req/s | p50 ms | p99 ms | SQL/request | vs baseline | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, path in targets.items():
            r = results[name]
            lines.append(
                f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
                f"{counts[path]} | {r['rps'] / baseline:.0%} | "
                f"{r['errors']}{' ' + r['socket_errors'] if r['socket_errors'] else ''} |"
            )
        lines.append("")
    report = "\n".join(lines)
    (BENCH_DIR / "latest.md").write_text(report + "\n", encoding="utf-8")
    print("\n" + report)


if __name__ == "__main__":
    main()
