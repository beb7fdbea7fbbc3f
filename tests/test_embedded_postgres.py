"""The embedded PostgreSQL server (jobsite/embedded_postgres) stops when the last live process
using it exits, even after others were killed outright (README.md, "The database").

Each test starts its own server in a temporary folder, never var/pgdata, which the suite
itself runs on: clients are real Django processes connecting through the embedded backend."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEADLINE_SECONDS = 60  # for a client to connect or a server to stop; polled every 0.1 s
# Connects as the site does, says so by creating the file it is given, then holds its handle
# on the server until its standard input is closed.
CLIENT = (
    "import os, pathlib, sys; from django.db import connection; connection.ensure_connection(); "
    "pathlib.Path(os.environ['CONNECTED_FILE']).touch(); sys.stdin.read()"
)


class Client:
    def __init__(self, data_dir: Path, name: str):
        self.connected = data_dir.parent / f"{name}.connected"
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(
            EMBEDDED_POSTGRES_DIR=str(data_dir),
            DJANGO_SECRET_KEY="embedded-test-only",
            CONNECTED_FILE=str(self.connected),
        )
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", CLIENT],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.pid = self.process.pid
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not self.connected.exists():
            if self.process.poll() is not None:
                pytest.fail(f"client exited before connecting:\n{self.process.stderr.read()}")
            if time.monotonic() > deadline:
                self.kill()
                pytest.fail(f"client did not connect in {DEADLINE_SECONDS} s")
            time.sleep(0.1)

    def exit(self):
        """Exit as a process normally does, running its exit handlers."""
        _, errors = self.process.communicate(timeout=DEADLINE_SECONDS)
        assert self.process.returncode == 0, errors

    def kill(self):
        self.process.kill()  # SIGKILL: no exit handler runs
        self.process.communicate(timeout=DEADLINE_SECONDS)  # reaped, so its pid is gone


def postmaster_pid(data_dir: Path) -> int | None:
    try:
        return int((data_dir / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return None


def handle_pids(data_dir: Path) -> str:
    return (data_dir / ".handle_pids.json").read_text()


def wait_until_stopped(data_dir: Path) -> bool:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while postmaster_pid(data_dir) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture
def data_dir(tmp_path):
    data_dir = tmp_path / "pgdata"
    yield data_dir
    # A server a failing test left running: stopped (SIGINT is PostgreSQL's fast shutdown).
    pid = postmaster_pid(data_dir)
    if pid is not None:
        try:
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            return
        wait_until_stopped(data_dir)


def test_the_server_stops_when_the_last_live_client_exits_after_one_was_killed(data_dir):
    killed = Client(data_dir, "killed")
    server = postmaster_pid(data_dir)
    assert server is not None
    killed.kill()
    # Nothing removed it from pgserver's list, and the server runs on.
    assert str(killed.pid) in handle_pids(data_dir)
    assert postmaster_pid(data_dir) == server

    last = Client(data_dir, "last")
    assert postmaster_pid(data_dir) == server  # attached to, not started again
    last.exit()

    assert wait_until_stopped(data_dir), f"still running; handles: {handle_pids(data_dir)}"


def test_the_server_waits_for_every_live_client(data_dir):
    first = Client(data_dir, "first")
    second = Client(data_dir, "second")
    server = postmaster_pid(data_dir)
    first.exit()
    assert postmaster_pid(data_dir) == server
    second.exit()
    assert wait_until_stopped(data_dir)


def test_an_empty_handle_list_left_by_a_killed_writer_counts_as_no_client(data_dir):
    """pgserver writes the list in place: a process killed half-way leaves it empty."""
    killed = Client(data_dir, "killed")
    killed.kill()
    (data_dir / ".handle_pids.json").write_text("")

    last = Client(data_dir, "last")
    last.exit()

    assert wait_until_stopped(data_dir), f"still running; handles: {handle_pids(data_dir)}"
