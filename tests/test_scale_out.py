"""Several app servers sharing one PostgreSQL primary, a streaming replica of it and one Redis,
as docs/deployment.md describes: proved against the real engines.

.ci/run starts them on loopback (a hot standby made by `pg_basebackup -R`, Debian's
redis-server) and runs this module on its own (`pytest -m scale_out`) with DATABASE_URL,
DATABASE_REPLICA_URL (the replica, same database name) and REDIS_URL. Without them it is
skipped, except under CI, where it must run.

Two gunicorn instances (gunicorn.conf.py, one worker each) serve the test database that
pytest-django made on the primary; the replica streams the whole cluster, so it holds that
database too. The tests see the site only as visitors and editors do, over HTTP (with the one
Host a load balancer would pass on), and look at the databases directly; never at how the
page cache works inside."""

import http.client
import os
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from http.cookies import SimpleCookie

import dj_database_url
import psycopg
import pytest
import redis
from django.db import connections
from django.urls import reverse

from roles.models import Role
from tests.admin_forms import FormValues
from tests.test_faults import NOT_INHERITED, ROOT, Response, Site

ENGINES = ("DATABASE_URL", "DATABASE_REPLICA_URL", "REDIS_URL")
MISSING = [name for name in ENGINES if not os.environ.get(name)]
WHY_NOT = f"{', '.join(MISSING)} not set (.ci/run starts a replica and Redis for these tests)"

pytestmark = [
    pytest.mark.scale_out,
    # Committed data, which the gunicorn processes and the replica can see.
    pytest.mark.django_db(transaction=True, databases="__all__"),
    # Skipped before any database is set up; under CI the engines fixture fails instead.
    pytest.mark.skipif(bool(MISSING) and not os.environ.get("CI"), reason=WHY_NOT),
]
DEADLINE_SECONDS = 60  # for the replica to catch up; polled every 0.05 s
PUBLIC_HOST = "jobsite.example"  # what the load balancer passes on to every app server
BACKEND = "backend-developer"
ROLE_PAGE = reverse("roles:detail", kwargs={"slug": BACKEND})
EDITOR_PASSWORD = "a long editor password"  # tests/conftest.py's editor
UNANNOUNCED_SUMMARY = "Changed in bulk on the primary, which no page has been told of."
NEW_SUMMARY = "Builds the services behind the catalogue, edited for the scale-out tests."


@pytest.fixture(scope="module")
def engines():
    """Not at import: the suite's other runs in .ci/run deselect this module, not fail it."""
    if MISSING:
        pytest.fail(f"CI must run the scale-out tests, but {WHY_NOT}.")


def on_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def site_env(engines, django_db_setup, tmp_path_factory):
    """The environment of every app server: the same engines, secret key and hosts."""
    test_database = connections["default"].settings_dict["NAME"]
    env = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    env.update(
        DATABASE_URL=on_database(os.environ["DATABASE_URL"], test_database),
        DATABASE_REPLICA_URL=on_database(os.environ["DATABASE_REPLICA_URL"], test_database),
        REDIS_URL=os.environ["REDIS_URL"],
        DJANGO_SECRET_KEY="scale-out-test-only",
        # The public name, and the address the servers' own health checks use.
        DJANGO_ALLOWED_HOSTS=f"{PUBLIC_HOST},127.0.0.1",
        DJANGO_STATIC_ROOT=str(tmp_path_factory.mktemp("static")),
        DJANGO_LOG_LEVEL="WARNING",
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESS_LOG="",
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=DEADLINE_SECONDS * 2,
    )
    return env


class Replica:
    """The streaming replica, reached directly: how far it has replayed, and what it holds."""

    def __init__(self, url: str, test_database: str):
        config = dj_database_url.parse(url)
        login = {
            "host": config["HOST"],
            "port": config["PORT"],
            "user": config["USER"],
            "password": config["PASSWORD"],
            "autocommit": True,
        }
        # Replay is paused and resumed through the database the URL names, where .ci/run
        # lets the site's role do it; the site's data is in the test database.
        self.control = psycopg.connect(**login, dbname=config["NAME"])
        self.data = psycopg.connect(**login, dbname=test_database)

    def close(self):
        self.control.close()
        self.data.close()

    def catch_up(self):
        """Wait until the replica has replayed everything committed on the primary so far."""
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            (written,) = cursor.fetchone()
        deadline = time.monotonic() + DEADLINE_SECONDS
        sql = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn"
        while not self.control.execute(sql, [written]).fetchone()[0]:
            if time.monotonic() > deadline:
                pytest.fail(f"The replica did not replay up to {written} in {DEADLINE_SECONDS} s")
            time.sleep(0.05)

    @contextmanager
    def held_back(self):
        """Replay paused: what the primary commits meanwhile stays off the replica until the
        block ends (the replica stops before the next record it reads)."""
        self.control.execute("SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            self.control.execute("SELECT pg_wal_replay_resume()")

    def role_summary(self, slug: str) -> str:
        row = self.data.execute("SELECT summary FROM roles_role WHERE slug = %s", [slug])
        return row.fetchone()[0]


@pytest.fixture
def replica(engines, django_db_setup):
    test_database = connections["default"].settings_dict["NAME"]
    replica = Replica(os.environ["DATABASE_REPLICA_URL"], test_database)
    yield replica
    replica.close()


class AppServer(Site):
    """One app server behind the load balancer: gunicorn with gunicorn.conf.py, reached
    under the site's public name, as the load balancer forwards requests."""

    def request(self, method: str, path: str, *, headers=None, body=None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=DEADLINE_SECONDS)
        try:
            headers = {"Host": PUBLIC_HOST, **(headers or {})}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return Response(response.status, response.headers, response.read().decode())
        finally:
            connection.close()

    def get(self, path: str, headers=None) -> Response:
        return self.request("GET", path, headers=headers)


@pytest.fixture
def app_servers(site_env, catalogue, editor, replica, tmp_path):
    """Two app servers, A and B, once the replica holds the catalogue and the editor."""
    replica.catch_up()
    with (
        AppServer(site_env, tmp_path / "a.log") as a,
        AppServer(site_env, tmp_path / "b.log") as b,
    ):
        yield a, b
    for server in (a, b):
        assert "Traceback" not in server.log


class Browser:
    """An editor's browser on one app server: keeps its cookies and submits forms."""

    def __init__(self, server: AppServer):
        self.server = server
        self.cookies = SimpleCookie()

    def send(self, method: str, path: str, values=None) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())}
        body = None
        if values is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(values)
        response = self.server.request(method, path, headers=headers, body=body)
        for cookie in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(cookie)
        return response

    def form(self, path: str, **changes) -> list[tuple[str, str]]:
        """The form at ``path`` as a browser would submit it, with ``changes`` typed in."""
        page = self.send("GET", path)
        assert page.status == 200, (path, page.status)
        parser = FormValues()
        parser.feed(page.text)
        return [
            (name, changes.get(name, value))
            for name, value in parser.values
            if "__prefix__" not in name and name != "_save"
        ]

    def sign_in(self, username: str, password: str):
        login = reverse("admin:login")
        values = self.form(login, username=username, password=password)
        response = self.send("POST", login, values)
        assert response.status == 302, response.text[:2000]


def role_change_page() -> str:
    role = Role.objects.using("default").get(slug=BACKEND)
    return reverse("admin:roles_role_change", args=[role.pk])


def save(browser: Browser, path: str, values):
    response = browser.send("POST", path, values)
    assert response.status == 302, response.text[:3000]  # saved; a form error would be a 200


def edit_summary(browser: Browser, summary: str):
    page = role_change_page()
    save(browser, page, browser.form(page, summary=summary))


def test_pages_read_from_the_replica_and_edits_write_to_the_primary(app_servers, editor, replica):
    a, b = app_servers
    browser = Browser(a)
    browser.sign_in(editor.username, EDITOR_PASSWORD)
    change_page = role_change_page()
    values = browser.form(change_page, summary=NEW_SUMMARY)
    replica.catch_up()  # the editor's session too: only what follows is held back

    with replica.held_back():
        # Saved: the replica is read-only, so a write sent there would have failed.
        save(browser, change_page, values)
        assert Role.objects.using("default").get(slug=BACKEND).summary == NEW_SUMMARY
        assert replica.role_summary(BACKEND) != NEW_SUMMARY
        # Shown on the very next request all the same: the page cache knows the replica has
        # not replayed that edit yet, so this page is rendered from the primary.
        page = b.get(ROLE_PAGE)
        assert (page.status, page.headers["X-Cache"]) == (200, "miss")
        assert NEW_SUMMARY in page.text
    replica.catch_up()
    assert replica.role_summary(BACKEND) == NEW_SUMMARY

    with replica.held_back():
        # Written on the primary behind the page cache's back (a bulk update sends no
        # signal), so what a page rendered now shows says which database it read.
        Role.objects.using("default").filter(slug=BACKEND).update(summary=UNANNOUNCED_SUMMARY)
        page = b.get(f"{ROLE_PAGE}?experience=3")  # an address not cached yet
        assert (page.status, page.headers["X-Cache"]) == (200, "miss")
        assert NEW_SUMMARY in page.text  # read from the replica
    replica.catch_up()
    assert UNANNOUNCED_SUMMARY in b.get(f"{ROLE_PAGE}?experience=4").text


def test_an_edit_on_one_app_server_shows_on_the_next_request_to_another(
    app_servers, editor, replica
):
    a, b = app_servers
    assert b.get(ROLE_PAGE).headers["X-Cache"] == "miss"
    before = b.get(ROLE_PAGE)
    assert before.headers["X-Cache"] == "hit"  # B has the page cached when the edit is made
    assert NEW_SUMMARY not in before.text

    browser = Browser(a)
    browser.sign_in(editor.username, EDITOR_PASSWORD)
    edit_summary(browser, NEW_SUMMARY)
    replica.catch_up()

    after = b.get(ROLE_PAGE)
    assert after.status == 200
    assert NEW_SUMMARY in after.text
    assert after.headers["ETag"] != before.headers["ETag"]


def test_app_servers_share_one_page_cache_in_redis(app_servers, editor, replica):
    a, b = app_servers
    first = a.get(ROLE_PAGE)
    assert (first.status, first.headers["X-Cache"]) == (200, "miss")
    from_b = b.get(ROLE_PAGE)
    assert (from_b.status, from_b.headers["X-Cache"]) == (200, "hit")  # rendered once, on A
    assert from_b.text == first.text
    # The same validators from every server, so a CDN may revalidate through any of them.
    assert from_b.headers["ETag"] == first.headers["ETag"]
    assert "public" in from_b.headers["Cache-Control"]
    assert b.get(ROLE_PAGE, {"If-None-Match": first.headers["ETag"]}).status == 304

    browser = Browser(a)
    browser.sign_in(editor.username, EDITOR_PASSWORD)
    edit_summary(browser, NEW_SUMMARY)
    replica.catch_up()

    # Rendered once more for the whole fleet, whichever server is asked first.
    fresh = b.get(ROLE_PAGE)
    assert (fresh.status, fresh.headers["X-Cache"]) == (200, "miss")
    assert NEW_SUMMARY in fresh.text
    revalidated = a.get(ROLE_PAGE, {"If-None-Match": first.headers["ETag"]})
    assert (revalidated.status, revalidated.headers["X-Cache"]) == (200, "hit")
    assert revalidated.text == fresh.text
    assert revalidated.headers["ETag"] == fresh.headers["ETag"] != first.headers["ETag"]


def redis_command_calls() -> dict[str, int]:
    """How many times Redis ran each command since the last call (INFO commandstats)."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        stats = client.info("commandstats")
        client.config_resetstat()
    finally:
        client.close()
    return {name.removeprefix("cmdstat_"): fields["calls"] for name, fields in stats.items()}


def test_a_cached_role_page_costs_one_redis_round_trip(app_servers, replica):
    a, b = app_servers
    assert a.get(ROLE_PAGE).headers["X-Cache"] == "miss"
    assert b.get(ROLE_PAGE).headers["X-Cache"] == "hit"  # B learns which tags the page has
    redis_command_calls()
    for _ in range(5):
        assert b.get(ROLE_PAGE).headers["X-Cache"] == "hit"
    calls = redis_command_calls()
    # The page and the tokens of all its tags (its role's among them) in one MGET each time;
    # the rest (HELLO, INFO, CONFIG) is this test's own client.
    assert {name: count for name, count in calls.items() if name in ("get", "mget")} == {"mget": 5}
