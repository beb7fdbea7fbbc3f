from django.conf import settings
from django.db.backends.postgresql import base as postgresql

from . import server


class DatabaseWrapper(postgresql.DatabaseWrapper):
    """Django's PostgreSQL backend, pointed at the embedded server's socket."""

    def get_connection_params(self):
        params = super().get_connection_params()
        socket_dir, port = server.ensure_running(
            settings.EMBEDDED_POSTGRES_DIR, database=settings.EMBEDDED_POSTGRES_DATABASE
        )
        params.update(host=socket_dir, port=port, user=server.SUPERUSER)
        return params
