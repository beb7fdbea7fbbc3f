"""The database going away under a running site, and coming back.

The tests at the end start real processes, as production runs them: a PostgreSQL server of
their own (pgserver's build, data in a temporary folder, reached through its Unix socket)
and gunicorn with gunicorn.conf.py on a free loopback port. They stop the database underneath
the site and check what visitors and load balancers see, then start it again."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

from jobsite.urls import urlpatterns as site_urlpatterns

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ROLE_PAGE = "/roles/backend-developer/"
# Every kind of page: public ones behind the page cache, and admin behind ATOMIC_REQUESTS.
PAGES = [
    "/",
    "/roles/",
    ROLE_PAGE,
    "/skills/",
    "/salaries/?role=backend-developer&experience=3",
    "/salaries/export.csv",
    "/search/?q=python",
    "/admin/",
    "/admin/login/",
]
DEADLINE_SECONDS = 60  # for anything to start or stop; polled every 0.1 s
# The site under test uses the tests' own database server, whatever the suite runs against,
# and runs as in production (the browser tests allow async-unsafe calls for themselves).
NOT_INHERITED = {
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "REDIS_URL",
    "DJANGO_DEBUG",
    "DJANGO_HTTPS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def unreachable_database(request):
    raise OperationalError('connection to server on socket "/nowhere/.s.PGSQL.5432" failed')


def broken_view(request):
    raise RuntimeError("boom")


class SessionStoreDownMiddleware:
    """Fails as SessionMiddleware does when it saves a session to a database that is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise OperationalError("server closed the connection unexpectedly")


handler500 = "jobsite.views.server_error"
urlpatterns = [
    path("unreachable/", unreachable_database),
    path("broken/", broken_view),
    *site_urlpatterns,
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_database_errors_get_a_503_page_that_needs_nothing_that_could_be_down(tmp_path):
    # A static manifest that was never built: the page must not depend on it either.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, STATIC_ROOT=tmp_path):
        response = Client(raise_request_exception=False).get("/unreachable/")
    assert_outage_page(response.status_code, response.headers, response.content.decode())


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_other_errors_are_still_server_errors():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_database_error_raised_in_middleware_gets_the_503_page_too(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.SessionStoreDownMiddleware"]
    response = Client(raise_request_exception=False).get("/healthz")
    assert_outage_page(response.status_code, response.headers, response.content.decode())


def assert_outage_page(status, headers, html):
    assert status == 503
    assert "Back in a moment" in html
    assert 'class="site-header"' in html  # the site's own page, not a bare error
    assert "Traceback" not in html and "socket" not in html
    assert int(headers["Retry-After"]) > 0
    assert "no-store" in headers["Cache-Control"]


# --- A real outage -------------------------------------------------------------------------


class PostgresServer:
    """A PostgreSQL server of the tests' own, which they can stop and start again."""

    def __init__(self, data_dir: Path):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs, when XDG_RUNTIME_DIR is unset
            import pgserver

        self.data_dir = data_dir
        handle = pgserver.get_server(data_dir, cleanup_mode="stop")
        self.socket_dir = str(handle.get_postmaster_info().socket_dir)
        # As root, pgserver runs the server as its own system user; so must pg_ctl.
        self.system_user = handle.system_user
        self.url = f"postgres://postgres@{urllib.parse.quote(self.socket_dir, safe='')}/jobsite"
        with psycopg.connect(
            host=self.socket_dir, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute("CREATE DATABASE jobsite")

    def pid(self) -> int | None:
        from pgserver.utils import PostmasterInfo

        postmaster = PostmasterInfo.read_from_pgdata(self.data_dir)
        return postmaster.pid if postmaster is not None and postmaster.is_running() else None

    def stop(self):
        self._pg_ctl("-w", "-m", "fast", "stop")

    def start(self):
        # As pgserver starts it: no TCP, a Unix socket in the same folder as before.
        options = ["-o", '-h ""', "-o", f"-k {self.socket_dir}"]
        self._pg_ctl("-w", *options, "-l", f"{self.data_dir}/log", "start")

    def _pg_ctl(self, *args):
        from pgserver._commands import pg_ctl

        pg_ctl(list(args), pgdata=self.data_dir, user=self.system_user, timeout=DEADLINE_SECONDS)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str


class Site:
    """The site served by gunicorn as `make run` serves it, on a free loopback port."""

    def __init__(self, env: dict, log_path: Path):
        self.env = env
        self.log_path = log_path

    def __enter__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [BIN / "gunicorn", "--config", "gunicorn.conf.py", "jobsite.wsgi"],
                cwd=ROOT,
                env={**self.env, "PORT": str(self.port)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # so that its workers are stopped with it
            )
        try:
            self._wait_until_serving()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_serving(self):
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{self.log}")
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"gunicorn did not answer in {DEADLINE_SECONDS} s:\n{self.log}")

    def __exit__(self, exc_type=None, *exc_info):
        if exc_type is not None:
            print(f"gunicorn's log:\n{self.log}")  # shown by pytest with the failure
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=DEADLINE_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def get(self, path: str) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=DEADLINE_SECONDS)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read().decode())
        finally:
            connection.close()

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    server = PostgresServer(tmp_path_factory.mktemp("faults") / "pgdata")
    yield server
    if server.pid() is not None:
        server.stop()


@pytest.fixture(scope="module")
def site_env(postgres, tmp_path_factory):
    """The environment gunicorn runs with, its database migrated and the catalogue loaded."""
    env = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    env.update(
        DJANGO_SECRET_KEY="faults-test-only",
        DJANGO_STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
        DJANGO_LOG_LEVEL="WARNING",
        GUNICORN_WORKERS="1",
        # One thread: every request uses the one kept connection, so a stale one would show.
        GUNICORN_THREADS="1",
        GUNICORN_ACCESS_LOG="",
        # For the embedded backend: the same server, attached to rather than started.
        EMBEDDED_POSTGRES_DIR=str(postgres.data_dir),
    )
    for command in (
        ["migrate", "--no-input"],
        ["load_catalogue"],
        ["collectstatic", "--no-input"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command, "--verbosity", "0"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": postgres.url},
            check=True,
            timeout=DEADLINE_SECONDS * 2,
        )
    return env


def test_pages_answer_503_while_the_database_is_down_and_work_again_when_it_returns(
    postgres, site_env, tmp_path
):
    env = {**site_env, "DATABASE_URL": postgres.url}  # as in production: a server by URL
    with Site(env, tmp_path / "gunicorn.log") as site:
        # The connection is open and kept (CONN_MAX_AGE) when the database goes.
        for page in PAGES:
            assert site.get(page).status in (200, 302), page

        postgres.stop()

        # What nobody has asked for yet needs the database (the "outage" query string makes
        # each address new to the page cache)...
        for page in PAGES:
            separator = "&" if "?" in page else "?"
            response = site.get(f"{page}{separator}outage=1")
            assert_outage_page(response.status, response.headers, response.text)
        # ...while public pages the cache holds are still answered: it needs no SQL.
        cached = site.get(ROLE_PAGE)
        assert (cached.status, cached.headers["X-Cache"]) == (200, "hit")
        assert "Backend Developer" in cached.text
        liveness = site.get("/healthz")
        assert liveness.status == 200
        assert json.loads(liveness.text) == {"status": "ok", "database": "down"}
        readiness = site.get("/readyz")
        assert readiness.status == 503
        assert json.loads(readiness.text)["database"] == "down"

        postgres.start()

        first = site.get(ROLE_PAGE)
        assert first.status == 200
        assert "Backend Developer" in first.text
        for page in PAGES:
            assert site.get(page).status in (200, 302), page
        assert site.get("/readyz").status == 200
        assert json.loads(site.get("/healthz").text)["database"] == "up"

        # A restart between two requests leaves the kept connection dead without any
        # request noticing; CONN_HEALTH_CHECKS replaces it before the next one uses it.
        postgres.stop()
        postgres.start()
        assert site.get(ROLE_PAGE).status == 200
    assert "Traceback" not in site.log


def test_the_embedded_server_is_started_again_when_it_stops_under_the_site(
    postgres, site_env, tmp_path
):
    if postgres.pid() is None:
        postgres.start()
    # No DATABASE_URL: the embedded backend, attached to the server in EMBEDDED_POSTGRES_DIR.
    with Site(site_env, tmp_path / "gunicorn.log") as site:
        assert site.get(ROLE_PAGE).status == 200
        stopped = postgres.pid()

        postgres.stop()
        assert postgres.pid() is None

        # The next connection finds the server gone and starts it again (an address the
        # page cache does not hold, so that the page needs the database).
        assert site.get(f"{ROLE_PAGE}?experience=3").status == 200
        assert postgres.pid() not in (None, stopped)
    assert "Traceback" not in site.log
