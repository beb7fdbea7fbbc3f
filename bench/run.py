"""`make bench`: measure the pages as production serves them, against a baseline in the same run.

1. Prepares a separate embedded database (var/bench/pgdata): migrations, ESCO when ESCO_DIR
   names its download (`make bench-import` times that import), the shipped catalogue and a
   demo catalogue of BENCH_ROLES roles (generated once, then reused).
2. Serves the site with gunicorn and gunicorn.conf.py (2 workers a core, gthread) sharing a
   Redis on loopback (REDIS_URL, as production does wherever more than one process serves),
   once with page caching off ("cold") and once on ("warm"), with the bare /__baseline__/
   view routed.
3. Drives each page (the API's role list and role detail among them) with wrk from a second
   process (BENCH_CONNECTIONS connections for BENCH_SECONDS) and prints requests per
   second, p50 and p99 latency, SQL queries per request and throughput as a share of the
   baseline's, measured again just before each page (the machine's speed drifts).
4. Crawls every published role page and every skill page once, cold (Redis emptied first),
   BENCH_CONNECTIONS at a time: pages per second and p99, beside the baseline. Then edits
   one role as an editor's save would (its overview and one of its bands) and crawls again,
   counting the pages rendered afresh (X-Cache: miss): only that role's page and its skills'
   pages (which show its pay) should be. BENCH_CRAWL_PAGES caps each crawl (default: every
   page).

The tables are also written to var/bench/latest.md. Everything listens on 127.0.0.1 and
stops when the run ends.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
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
CRAWL_PAGES = int(os.environ.get("BENCH_CRAWL_PAGES", "0"))  # 0: every page
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


def manage(*args, capture=False, env=None):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env={**ENV, **(env or {})},
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
    # A settled database, as autovacuum leaves a running site's: planner statistics that
    # survived no table rewrite of a migration, and visibility maps for index-only scans.
    manage("shell", "-c", VACUUM_ANALYZE)
    manage("collectstatic", "--no-input", "--verbosity", "0")


VACUUM_ANALYZE = "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"
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


BASELINE = "/__baseline__/"
# Pages are kept this long in the warm run: longer than a cold crawl of every page takes
# (13 minutes at ESCO's size), so that the crawls after it find the first pages still cached.
WARM = 3 * 3600


def pages():
    skill = json.loads(manage("shell", "-c", PICK_PAGES, capture=True).splitlines()[-1])["skill"]
    return {
        "baseline (bare Django view)": BASELINE,
        "home": "/",
        "roles list": "/roles/",
        "role page": "/roles/backend-developer/",
        "roles filtered by skill": f"/roles/?skill={skill}",
        "roles searched for a common word": "/roles/?q=engineer",
        "skills list": "/skills/",
        "skill page (busiest demo skill)": f"/skills/{skill}/",
        "salary explorer, 3 years": "/salaries/?role=backend-developer&experience=3",
        "search": "/search/?q=engineer",
        "families": "/families/",
        "API: role list": "/api/v1/roles/",
        "API: role detail": "/api/v1/roles/backend-developer/",
    }


CRAWL_URLS = """
import json
from itertools import chain, zip_longest
from roles.models import Role
from skills.models import Skill
roles = [r.get_absolute_url() for r in Role.objects.published().only("slug").order_by("-pk")]
skills = [s.get_absolute_url() for s in Skill.objects.only("slug").order_by("-pk")]
# Interleaved, newest first, so that a crawl cut short (BENCH_CRAWL_PAGES) holds both kinds
# and the role EDIT_ONE_ROLE edits, with its skills.
print(json.dumps([url for url in chain(*zip_longest(roles, skills)) if url]))
"""

# An editor's save of one role's text and of one of its salary bands, through the ORM as
# admin saves them (signals and all): the newest published role with pay. Prints its slug
# and how many skill pages show its pay.
EDIT_ONE_ROLE = """
from django.db import transaction
from roles.models import Role
role = Role.objects.published().filter(salary_bands__isnull=False).order_by("-pk").first()
band = role.salary_bands.order_by("pk").first()
with transaction.atomic():
    role.overview = (role.overview or "") + " Edited by the benchmark."
    role.save()
    band.minimum -= 1000
    band.save()
print(role.slug, role.role_skills.count())
"""


class Redis:
    """A throwaway redis-server on a free loopback port, keeping nothing on disk."""

    def __enter__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.command("PING") == "+PONG":
                return self
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self, *words):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as connection:
                connection.sendall((" ".join(words) + "\r\n").encode())
                return connection.recv(64).decode().strip()
        except OSError:
            return ""

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


def crawl(paths):
    """Fetch each path once, CONNECTIONS at a time on kept-alive connections: pages per
    second, p99 latency, and how many were rendered for the request (X-Cache: miss)."""
    queue = list(reversed(paths))
    lock = threading.Lock()
    latencies, misses, errors = [], [0], [0]

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        while True:
            with lock:
                if not queue:
                    break
                path = queue.pop()
            started = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed * 1000)
                misses[0] += response.getheader("X-Cache") == "miss"
                errors[0] += response.status != 200
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    latencies.sort()
    return {
        "pages": len(latencies),
        "rate": len(latencies) / seconds,
        "p99": latencies[int(len(latencies) * 0.99)] if latencies else 0.0,
        "misses": misses[0],
        "errors": errors[0],
    }


def query_counts(urls, cache_seconds, redis_url):
    """SQL per request, counted in-process on each page's second request (see QUERY_COUNTS)."""
    env = {**ENV, "PAGE_CACHE_SECONDS": str(cache_seconds), "REDIS_URL": redis_url}
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
    def __init__(self, cache_seconds, redis_url):
        self.env = {**ENV, "PAGE_CACHE_SECONDS": str(cache_seconds), "REDIS_URL": redis_url}

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
                with urllib.request.urlopen(BASE + BASELINE, timeout=2):
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
    for tool in ("wrk", "redis-server"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install {tool}")
    prepare_database()
    targets = pages()
    lines = [
        f"Catalogue: {ROLES} demo roles + the shipped catalogue"
        f"{' + ESCO' if os.environ.get('ESCO_DIR') else ''}. "
        f"Load: wrk, 2 threads, {CONNECTIONS} connections, {SECONDS} s per page after a "
        f"2 s warm-up. Server: gunicorn.conf.py ({os.cpu_count()} cores), one Redis.",
        "",
    ]
    with Redis() as redis:
        for mode, cache_seconds in [("cold: page cache off", 0), ("warm: page cache on", WARM)]:
            redis.command("FLUSHALL")
            counts = query_counts(list(targets.values()), cache_seconds, redis.url)
            results, beside = {}, {}
            with Server(cache_seconds, redis.url):
                for name, path in targets.items():
                    # The bare view again just before each page: this machine's speed drifts
                    # by half within a minute, so a page is compared with its neighbour.
                    beside[name] = wrk(BASE + BASELINE)["rps"]
                    results[name] = wrk(BASE + path)
                    print(
                        f"  {mode}: {name}: {results[name]['rps']:.0f} req/s, "
                        f"p99 {results[name]['p99']:.1f} ms, bare view {beside[name]:.0f} req/s",
                        flush=True,
                    )
                if cache_seconds:
                    crawls = crawl_twice(redis)
            lines += table(mode, targets, results, counts, beside)
        baseline = sum(beside.values()) / len(beside)
        lines += crawl_table(crawls, baseline)
    report = "\n".join(lines)
    (BENCH_DIR / "latest.md").write_text(report + "\n", encoding="utf-8")
    print("\n" + report)


def crawl_twice(redis):
    paths = json.loads(manage("shell", "-c", CRAWL_URLS, capture=True).splitlines()[-1])
    if CRAWL_PAGES:
        paths = paths[:CRAWL_PAGES]
    redis.command("FLUSHALL")
    cold = crawl(paths)
    print(
        f"  crawl, cold: {cold['pages']} pages at {cold['rate']:.0f}/s, p99 {cold['p99']:.0f} ms",
        flush=True,
    )
    warm = crawl(paths)
    # With the servers' REDIS_URL, as every process that edits must have: the page tags are
    # there.
    edited, skills = manage(
        "shell", "-c", EDIT_ONE_ROLE, capture=True, env={"REDIS_URL": redis.url}
    ).split()[-2:]
    after_edit = crawl(paths)
    print(f"  crawl after editing {edited}: {after_edit['misses']} rendered", flush=True)
    # Crawled again: nothing the edit left stale may be rendered twice.
    settled = crawl(paths)
    return {
        "cold": cold,
        "warm": warm,
        "after_edit": after_edit,
        "settled": settled,
        "edited": (edited, skills),
    }


def table(mode, targets, results, counts, beside):
    lines = [
        f"### {mode}",
        "",
        "| page | req/s | p50 ms | p99 ms | SQL/request | bare view just before, req/s "
        "| vs bare view | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, path in targets.items():
        r = results[name]
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{counts[path]} | {beside[name]:.0f} | {r['rps'] / beside[name]:.2f}× | "
            f"{r['errors']}{' ' + r['socket_errors'] if r['socket_errors'] else ''} |"
        )
    return [*lines, ""]


def crawl_table(crawls, baseline):
    edited, skills = crawls["edited"]
    lines = [
        "### crawl: every published role page and every skill page once",
        "",
        "| crawl | pages | pages/s | p99 ms | vs baseline | rendered (X-Cache: miss) | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, key in [
        ("cold (cache emptied)", "cold"),
        ("again, warm", "warm"),
        (f"after editing the text and pay of {edited} ({skills} skills)", "after_edit"),
        ("again", "settled"),
    ]:
        r = crawls[key]
        lines.append(
            f"| {name} | {r['pages']} | {r['rate']:.0f} | {r['p99']:.1f} | "
            f"{r['rate'] / baseline:.2f}× | {r['misses']} | {r['errors']} |"
        )
    return [*lines, ""]


if __name__ == "__main__":
    main()
