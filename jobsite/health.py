"""Health checks for a load balancer or an orchestrator: ``/healthz`` and ``/readyz``.

Neither opens a transaction (``ATOMIC_REQUESTS`` would connect before the check could catch
the failure), neither is ever cached, and neither touches the session or the user."""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.transaction import non_atomic_requests
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def unapplied_migrations() -> int:
    """How many of this code's migrations the database has not applied."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# A probe sends no CSRF token: a POST or other method gets require_safe's 405, not a 403.
@csrf_exempt
@require_safe
@non_atomic_requests
def liveness(request):
    """The process answers: 200 whatever the database's state, which the body reports.

    Restarting the process would not bring a database back, so an outage must not fail
    this check; ``/readyz`` is the one that takes an instance out of rotation."""
    database = "up" if database_is_up() else "down"
    return _answer({"status": "ok", "database": database}, status=200)


@csrf_exempt
@require_safe
@non_atomic_requests
def readiness(request):
    """Ready for traffic: the database answers and every migration is applied. 503 if not."""
    if not database_is_up():
        return _answer({"status": "unavailable", "database": "down"}, status=503)
    try:
        unapplied = unapplied_migrations()
    except DatabaseError:  # the database went away between the two checks
        return _answer({"status": "unavailable", "database": "down"}, status=503)
    if unapplied:
        # A count, not names: the check is public.
        body = {"status": "unavailable", "database": "up", "unapplied_migrations": unapplied}
        return _answer(body, status=503)
    return _answer({"status": "ok", "database": "up"}, status=200)


def _answer(body: dict, *, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    return response
