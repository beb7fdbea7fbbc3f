from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connections

PRIMARY = "default"
REPLICA = "replica"

_reading_from_primary = ContextVar("reading_from_primary", default=False)


@contextmanager
def reads_from_primary():
    """Send this thread's reads to the primary while the block runs: the page cache renders
    a page there when the replica has yet to replay an edit it knows was committed."""
    reset = _reading_from_primary.set(True)
    try:
        yield
    finally:
        _reading_from_primary.reset(reset)


class PrimaryReplicaRouter:
    """Reads from the replica, writes to the primary.

    A read inside a transaction on the primary (an admin save, an import) stays on the
    primary, so a request always sees its own writes despite replication lag."""

    def db_for_read(self, model, **hints):
        if connections[PRIMARY].in_atomic_block or _reading_from_primary.get():
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # both aliases hold the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
