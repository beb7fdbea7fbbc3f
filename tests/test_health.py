"""/healthz and /readyz with the database up (tests/test_faults.py takes it down)."""

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_liveness_reports_the_database_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-store" in response["Cache-Control"]


def test_readiness_is_ok_when_every_migration_is_applied(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-store" in response["Cache-Control"]


def test_readiness_fails_while_a_migration_is_unapplied(client):
    # As if new code were deployed before `migrate` ran: the database lacks its last migration.
    MigrationRecorder.Migration.objects.filter(app="roles").order_by("-applied").first().delete()
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "up", "unapplied_migrations": 1}


@pytest.mark.parametrize(("name", "budget"), [("healthz", 1), ("readyz", 3)])
def test_checks_are_cheap_and_leave_the_session_alone(client, name, budget):
    # A load balancer calls these every few seconds: SELECT 1, then (readiness) whether the
    # migrations table exists and what it holds; no session or user lookup.
    client.cookies["sessionid"] = "not-a-real-session"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    assert response.status_code == 200
    sql = [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]]
    assert len(sql) == budget, sql
    assert not any("django_session" in statement or "auth_user" in statement for statement in sql)
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("name", ["healthz", "readyz"])
def test_checks_change_nothing(client, name):
    assert client.post(reverse(name)).status_code == 405
