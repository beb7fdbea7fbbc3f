import contextlib
import json
import os
import subprocess
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from psycopg import sql

if TYPE_CHECKING:
    from pgserver import PostgresServer

SUPERUSER = "postgres"

_lock = threading.Lock()
_servers: dict[Path, "PostgresServer"] = {}  # this process's handle on each server


def ensure_running(data_dir: Path, database: str) -> tuple[str, int]:
    """Start (or attach to) the embedded server, create ``database`` if missing, and return
    the directory and port of its Unix socket.

    Called for every new connection, so the server is checked each time against its
    ``postmaster.pid`` (a small file): one that has gone away under a running process
    (stopped by hand, killed, crashed) is started again, and one that another process has
    restarted is attached to afresh. Otherwise a long-running process would stay cut off
    until it was itself restarted, while any new process quietly started the server for
    itself. A server that cannot be started is reported as a connection error, which pages
    answer with a 503."""
    data_dir = Path(data_dir).resolve()
    with _lock:
        try:
            server = _servers.get(data_dir)
            if server is None:
                server = _start(data_dir)
                _create_database(*_address(server), database)
                _servers[data_dir] = server
            elif _restarted_or_stopped(server, data_dir):
                # Start it, or attach to the server another process has started, under
                # pgserver's lock across processes. Attaching matters too: pgserver stops
                # the server it knows of when the last process using it exits.
                with server._lock:
                    server.ensure_postgres_running()
            return _address(server)
        except (subprocess.SubprocessError, OSError, AssertionError) as error:
            raise psycopg.OperationalError(
                f"The embedded PostgreSQL server in {data_dir} could not be started: {error} "
                f"(its log is {data_dir / 'log'})."
            ) from error


def _start(data_dir: Path) -> "PostgresServer":
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as on servers and CI) and falls
        # back to a folder under /tmp, which suits pgserver's lock file.
        warnings.simplefilter("ignore")
        import pgserver  # imported late: only the embedded set-up needs it

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    handles = _live_handles(data_dir)
    if handles.path.exists():
        # Before pgserver reads the list to add this process: it cannot read an empty file.
        with pgserver.PostgresServer._lock:
            handles.put(handles.get())
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    # pgserver's exit handler stops the server when it finds only this process in the list,
    # reading it under pgserver's lock through this attribute: so dead processes are left out.
    server.global_process_id_list = handles
    return server


def _live_handles(data_dir: Path):
    """pgserver's list of the processes holding a handle on the server (its
    ``.handle_pids.json``), read without those that have died.

    pgserver removes a process from the list when it exits normally; one killed outright
    (``kill -9``, the OOM killer) stays in it, and the server would then never stop. A file
    left empty or cut short by a process killed while writing it counts as no process at all,
    and the list is written whole or not at all."""
    from pgserver.utils import DiskList, process_is_running

    class LiveHandles(DiskList):
        def get(self) -> list[int]:
            try:
                pids = json.loads(self.path.read_text())
            except FileNotFoundError:
                return []
            except ValueError:  # empty, cut short or not text
                return []
            if not isinstance(pids, list):
                return []
            return [pid for pid in pids if isinstance(pid, int) and process_is_running(pid)]

        def put(self, values: list[int]) -> None:
            # Only one process writes at a time (under pgserver's lock), so one name will do.
            incoming = self.path.with_name(f"{self.path.name}.incoming")
            incoming.write_text(json.dumps(values))
            os.replace(incoming, self.path)

    return LiveHandles(data_dir / ".handle_pids.json")


def _restarted_or_stopped(server: "PostgresServer", data_dir: Path) -> bool:
    from pgserver.utils import PostmasterInfo

    postmaster = PostmasterInfo.read_from_pgdata(data_dir)
    if postmaster is None or not postmaster.is_running():
        return True
    return postmaster.pid != server.get_postmaster_info().pid


def _address(server: "PostgresServer") -> tuple[str, int]:
    postmaster = server.get_postmaster_info()
    return str(postmaster.socket_dir), int(postmaster.port)


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
