"""Profile one page against the `make bench` database: `make profile URL=/roles/backend-developer/`.

Runs the page REQUESTS times through Django's test client under cProfile and prints the
functions with the most cumulative time. PAGE_CACHE_SECONDS=0 profiles a cold render; leave
it at its default to profile cache hits. Run `make bench` once first to build the database."""

import cProfile
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("EMBEDDED_POSTGRES_DIR", str(ROOT / "var" / "bench" / "pgdata"))
os.environ.setdefault("DJANGO_STATIC_ROOT", str(ROOT / "var" / "bench" / "static"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobsite.settings")


def main():
    import django

    django.setup()
    from django.test import Client

    url = sys.argv[1] if len(sys.argv) > 1 else "/roles/backend-developer/"
    requests = int(os.environ.get("REQUESTS", "50"))
    client = Client()
    client.get(url, HTTP_HOST="127.0.0.1")  # connections, caches, template loading
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(url, HTTP_HOST="127.0.0.1")
    profiler.disable()
    print(f"{url}: {requests} requests")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
