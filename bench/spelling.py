"""Time the search's typo correction (catalogue/spelling.py) at the size of the database the
environment names: build the word list from the search index, then correct a few typos.

Run it against a database holding ESCO, for example the one `make bench-import` leaves:

    EMBEDDED_POSTGRES_DIR=var/bench-import/pgdata .venv/bin/python bench/spelling.py

Prints the number of words, the build's wall time (best of five: the SQL, and the SQL with
the Python that sorts the list), the size of the cached value, and each typo's correction
with its time (best of twenty). Reads only; writes nothing.
"""

import os
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobsite.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from catalogue import spelling  # noqa: E402
from roles.models import Role  # noqa: E402
from skills.models import Skill  # noqa: E402

TYPOS = ["devloper", "pyhton", "kubernets", "sofware engineer", "electrision", "acountant"]


def best(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    print(f"{Role.objects.published().count()} published roles, {Skill.objects.count()} skills")

    def sql_only():
        with connection.cursor() as cursor:
            cursor.execute(spelling._vocabulary_sql())
            return cursor.fetchall()

    seconds, _ = best(sql_only, 5)
    print(f"word list SQL: {seconds * 1000:.0f} ms")
    seconds, words = best(spelling.build_vocabulary, 5)
    size = len(pickle.dumps(words))
    print(
        f"word list built: {len(words.words)} words in {seconds * 1000:.0f} ms, "
        f"{size / 1e6:.1f} MB pickled"
    )
    seconds, _ = best(lambda: pickle.loads(pickle.dumps(words)), 5)
    print(f"word list from the cache (pickle round trip): {seconds * 1000:.1f} ms")

    # The whole search page for a typo, its word list built (an empty cache) and cached.
    client = Client()
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        PAGE_CACHE_SECONDS=0, ALLOWED_HOSTS=["testserver"], STORAGES=plain_static
    ):
        for state in ["built", "cached"]:
            if state == "built":
                cache.clear()
            start = time.perf_counter()
            response = client.get("/search/", {"q": "devloper"})
            elapsed = time.perf_counter() - start
            print(f"/search/?q=devloper, word list {state}: {elapsed * 1000:.0f} ms", end=" ")
            print(f"({response.status_code})")

    # correction() reads the list from the cache; give it this one, so only matching is timed.
    spelling.vocabulary = lambda: words
    for typo in TYPOS:
        seconds, corrected = best(lambda typo=typo: spelling.correction(typo), 20)
        print(f"  {typo!r} -> {corrected!r}: {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
