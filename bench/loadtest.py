"""`make loadtest`: hold LOADTEST_CONNECTIONS (64) connections for LOADTEST_SECONDS (60) against
the main pages, and fail if a single request fails.

1. Serves the site with gunicorn and gunicorn.conf.py, as `make run` does, on a free port on
   127.0.0.1, against the database you work with (`make` has migrated it and loaded the
   catalogue) and waits until /readyz says it is ready.
2. Runs one wrk per page at the same time (the role page, the roles list, the salary explorer
   with an experience, the search page), a quarter of the connections each.
3. Prints requests, requests per second and latencies per page and in total, and exits 1 if
   any response was not 2xx/3xx or any connection failed or timed out (LOADTEST_TIMEOUT, 5 s).

Bounded: wrk stops after LOADTEST_SECONDS and is killed if it overruns; gunicorn is stopped
at the end whatever happened. Nothing listens beyond the loopback interface.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "64"))
TIMEOUT = int(os.environ.get("LOADTEST_TIMEOUT", "5"))
STARTUP_SECONDS = 60
PAGES = {
    "role page": "/roles/backend-developer/",
    "roles list": "/roles/",
    "salary explorer, 3 years": "/salaries/?role=backend-developer&experience=3",
    "search": "/search/?q=developer",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn as `make run` starts it, in its own process group so that it stops whole."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "PORT": str(port),
            "GUNICORN_ACCESS_LOG": "",  # a line per request would be most of the work
            "DJANGO_LOG_LEVEL": "WARNING",
        }

    def __enter__(self):
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--config", "gunicorn.conf.py"]
            + ["jobsite.wsgi"],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_until_ready(self):
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit("gunicorn exited before it was ready")
            try:
                with urllib.request.urlopen(f"{self.base}/readyz", timeout=5):
                    return
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.1)
        sys.exit(f"gunicorn was not ready after {STARTUP_SECONDS} s")

    def __exit__(self, *exc_info):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def check_pages(base: str) -> None:
    """Each page answers 200 before the load starts (and is in the page cache, as it would be
    on a live site)."""
    for name, path in PAGES.items():
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            sys.exit(f"{name} ({path}) answered {status}")


def run_wrk(base: str) -> dict[str, dict]:
    per_page = max(1, CONNECTIONS // len(PAGES))
    processes = {
        name: subprocess.Popen(
            ["wrk", "--threads", "1", "--connections", str(per_page)]
            + ["--duration", f"{SECONDS}s", "--timeout", f"{TIMEOUT}s", "--latency", base + path],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name, path in PAGES.items()
    }
    results = {}
    for name, process in processes.items():
        try:
            output, _ = process.communicate(timeout=SECONDS + 30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            output += "\n(wrk overran and was killed)"
        if process.returncode != 0:
            sys.exit(f"wrk failed for {name}:\n{output}")
        results[name] = parse(output)
    return results


def parse(output: str) -> dict:
    def number(pattern: str, default: str | None = None) -> float:
        found = re.search(pattern, output, re.MULTILINE)
        if found is None and default is None:
            raise ValueError(f"no {pattern!r} in wrk's output:\n{output}")
        return float(found.group(1) if found else default)

    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests": int(number(r"(\d+) requests in")),
        "rps": number(r"Requests/sec:\s+([\d.]+)"),
        "p50": milliseconds(output, "50%"),
        "p99": milliseconds(output, "99%"),
        "http_errors": int(number(r"Non-2xx or 3xx responses: (\d+)", "0")),
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
        "socket_detail": socket_errors.group(0) if socket_errors else "",
    }


def milliseconds(output: str, percentile: str) -> float:
    found = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\b", output, re.MULTILINE)
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def report(results: dict[str, dict]) -> str:
    per_page = max(1, CONNECTIONS // len(PAGES))
    lines = [
        f"{per_page * len(PAGES)} connections ({per_page} per page) for {SECONDS} s, "
        f"wrk timeout {TIMEOUT} s; gunicorn.conf.py on {os.cpu_count()} cores, "
        f"{memory_gib():.0f} GiB of memory.",
        "",
        "| page | requests | req/s | p50 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        errors = r["http_errors"] + r["socket_errors"]
        lines.append(
            f"| {name} | {r['requests']} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{errors} |"
        )
    total_requests = sum(r["requests"] for r in results.values())
    total_errors = sum(r["http_errors"] + r["socket_errors"] for r in results.values())
    total_rps = sum(r["rps"] for r in results.values())
    lines.append(f"| all | {total_requests} | {total_rps:.0f} | | | {total_errors} |")
    return "\n".join(lines)


def memory_gib() -> float:
    with open("/proc/meminfo") as meminfo:
        kib = int(re.search(r"MemTotal:\s+(\d+) kB", meminfo.read()).group(1))
    return kib / 1024 / 1024


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    with Server(free_port()) as server:
        check_pages(server.base)
        print(f"Loading {len(PAGES)} pages for {SECONDS} s...", flush=True)
        results = run_wrk(server.base)
    print(report(results))
    failures = [
        f"{name}: {r['http_errors']} non-2xx/3xx responses {r['socket_detail']}".strip()
        for name, r in results.items()
        if r["http_errors"] or r["socket_errors"]
    ]
    if failures:
        sys.exit("Errors under load:\n" + "\n".join(failures))
    print("No errors.")


if __name__ == "__main__":
    main()
