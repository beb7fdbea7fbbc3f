import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from catalogue.files import load_catalogue


@pytest.fixture(autouse=True, scope="session")
def _unhashed_static_files():
    """Serve static files by their plain names, so tests need no collectstatic run."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns if it is missing
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with empty caches: pages, page tags, rate counts. A page cached by
    one test would otherwise be served to the next, whose content differs."""
    for cache in caches.all(initialized_only=False):
        cache.clear()


@pytest.fixture
def catalogue(db):
    """The catalogue as shipped in catalogue/, loaded the way `make run` loads it."""
    return load_catalogue()


def staff_member(user_model, name: str, group: str):
    """A staff user named ``name`` (password "a long <name> password") in ``group``."""
    from django.contrib.auth.models import Group

    user = user_model.objects.create_user(
        username=name, password=f"a long {name} password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return staff_member(django_user_model, "editor", "Editors")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer(db, django_user_model):
    """A member of Reviewers: edits as editors do, and publishes (roles.review)."""
    return staff_member(django_user_model, "reviewer", "Reviewers")


@pytest.fixture
def reviewer_client(reviewer):
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    return client


@pytest.fixture
def page_queries(client):
    """Return a function that GETs a URL and counts the SQL it ran.

    The savepoints that ATOMIC_REQUESTS opens inside each test's transaction are left out:
    in production they are a plain BEGIN/COMMIT, which is not counted either."""

    def count(url, *, as_client=client):
        with CaptureQueriesContext(connection) as queries:
            response = as_client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)  # a stream queries as it is read
        assert response.status_code == 200, response.status_code
        return sum(1 for query in queries if "SAVEPOINT" not in query["sql"])

    return count


@pytest.fixture
def esco_miniature(db, tmp_path):
    """A miniature ESCO (tests/catalogue/esco_miniature.py: invented rows in ESCO's exact
    format) imported as `manage.py import_esco` imports the real one; returns the report."""
    from catalogue.esco import import_esco
    from tests.catalogue.esco_miniature import write_miniature

    return import_esco(write_miniature(tmp_path / "esco"))
