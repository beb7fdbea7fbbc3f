"""What README.md tells people to run works as it says, straight after `make run`: every
`manage.py` command it shows exists and starts with no DJANGO_SECRET_KEY in the environment
(settings read var/secret-key, which `make` writes), and `make run` ends its start-up by
saying where the site is and what to do next."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

from tests.test_security import run_django

BIN = Path(sys.executable).parent
FENCED_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`([^`]+)`")
MANAGE_COMMAND = re.compile(r"manage\.py\s+([a-z][a-z0-9_]*)")


def readme_commands() -> set[str]:
    """The command names README.md shows after `manage.py`, in code blocks and inline code."""
    text = (settings.BASE_DIR / "README.md").read_text()
    code = FENCED_BLOCK.findall(text) + INLINE_CODE.findall(FENCED_BLOCK.sub("", text))
    return {name for snippet in code for name in MANAGE_COMMAND.findall(snippet)}


def project_commands() -> set[str]:
    """The project's own commands, which manage.py lists only once the settings have loaded."""
    files = settings.BASE_DIR.glob("*/management/commands/*.py")
    return {path.stem for path in files if not path.stem.startswith("_")}


def test_every_command_the_readme_shows_exists_and_starts_without_a_secret_key_variable():
    shown = readme_commands()
    assert shown, "README.md shows no manage.py command: has the parsing broken?"
    result = run_django("manage.py", "help", "--commands")  # no DJANGO_SECRET_KEY(_FILE)
    assert result.returncode == 0, result.stderr
    assert "ImproperlyConfigured" not in result.stderr
    listed = set(result.stdout.split())
    # Django lists only its core commands when the settings fail to load, and still exits 0.
    unlisted = sorted(project_commands() - listed)
    assert not unlisted, f"the settings did not load: manage.py does not list {unlisted}"
    missing = sorted(shown - listed)
    assert not missing, f"README.md shows manage.py commands that do not exist: {missing}"


def test_the_deployment_checks_pass_with_the_key_make_wrote():
    """README's `check --deploy` for production settings, the key read from var/secret-key:
    `make` writes one long and random enough for the check."""
    result = run_django(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_HTTPS="1",
        DJANGO_ALLOWED_HOSTS="jobsite.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_make_run_ends_its_start_up_with_the_address_and_the_next_step(tmp_path):
    """As `make run` starts gunicorn, on a port the system picks: the message gives the port
    really bound, after the workers' boot lines, once."""
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "PORT": "0",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "",
        "JOBSITE_PRINT_NEXT_STEPS": "1",
    }
    command = [BIN / "gunicorn", "--config", "gunicorn.conf.py"]  # as the Makefile runs it
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "jobsite.wsgi"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so that its workers are stopped with it
        )
    try:
        deadline = time.monotonic() + 60
        while "sign in at" not in log_path.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log_path.read_text()
            time.sleep(0.1)
        time.sleep(1)  # time for the other worker to print it too, were it to
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    output = log_path.read_text()
    port = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", output).group(1)
    assert port != "0"
    assert output.count("Jobsite is serving") == 1, output
    message = output[output.index("Jobsite is serving") :]
    assert message.startswith(f"Jobsite is serving http://127.0.0.1:{port}/ ")
    assert ".venv/bin/python manage.py createsuperuser" in message
    assert f"sign in at http://127.0.0.1:{port}/admin/" in message
    assert output.count("Booting worker") == 2
    assert output.rindex("Booting worker") < output.index("Jobsite is serving"), output
    # No control socket: each would take over (and delete on exit) the one per user.
    assert "Control socket" not in output, output
