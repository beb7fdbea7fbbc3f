import contextlib
import threading
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

SUPERUSER = "postgres"

_lock = threading.Lock()
_addresses: dict[Path, tuple[str, int]] = {}


def ensure_running(data_dir: Path, database: str) -> tuple[str, int]:
    """Start (or attach to) the embedded server, create ``database`` if missing, and return
    the directory and port of its Unix socket. Cheap after the first call in a process."""
    data_dir = Path(data_dir).resolve()
    with _lock:
        if data_dir not in _addresses:
            with warnings.catch_warnings():
                # platformdirs warns when XDG_RUNTIME_DIR is unset (as on servers and CI)
                # and falls back to a folder under /tmp, which suits pgserver's lock file.
                warnings.simplefilter("ignore")
                import pgserver  # imported late: only the embedded set-up needs it

            data_dir.parent.mkdir(parents=True, exist_ok=True)
            server = pgserver.get_server(data_dir, cleanup_mode="stop")
            postmaster = server.get_postmaster_info()
            address = (str(postmaster.socket_dir), int(postmaster.port))
            _create_database(*address, database)
            _addresses[data_dir] = address
        return _addresses[data_dir]


def _create_database(socket_dir: str, port: int, database: str) -> None:
    with psycopg.connect(
        host=socket_dir, port=port, user=SUPERUSER, dbname="postgres", autocommit=True
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not exists:
            # Another process may create it between our check and our CREATE.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase):
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
