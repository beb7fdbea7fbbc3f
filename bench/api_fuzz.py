"""`make api-fuzz`: Schemathesis, an outside judge, against the API on a live server.

Schemathesis reads the API's OpenAPI schema (/api/v1/schema/) and sends requests generated
from it, valid and invalid, to every endpoint, checking every answer: no 5xx, each status
code and content type documented, each body as the schema says, invalid input refused and
other methods answered 405 with Allow.

1. Serves the site with gunicorn as `make run` does (bench/loadtest.py's Server), on a free
   port on 127.0.0.1, against the database `make` has migrated and loaded, with throttling
   off (API_THROTTLE_RATE=off): Schemathesis sends hundreds of requests a minute.
2. Runs `schemathesis run` with every check (all are on unless bench/schemathesis.toml
   turns one off for some operations, saying why; `--checks all` would override it), at
   most API_FUZZ_EXAMPLES (30) examples per operation and API_FUZZ_SECONDS (300) in all,
   and exits with its status.

gunicorn is stopped at the end whatever happened; nothing listens beyond loopback.
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtest import Server, free_port  # noqa: E402

CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"  # which checks apply where
EXAMPLES = os.environ.get("API_FUZZ_EXAMPLES", "30")
SECONDS = int(os.environ.get("API_FUZZ_SECONDS", "300"))


def main():
    os.environ["API_THROTTLE_RATE"] = "off"
    with Server(free_port()) as server:
        command = [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file",
            str(CONFIG),
            "run",
            f"{server.base}/api/v1/schema/",
            "--max-examples",
            EXAMPLES,
            "--max-time",
            str(SECONDS),
            "--request-timeout",
            "30",
            "--workers",
            "2",
        ]
        print(" ".join(command[1:]), flush=True)
        try:
            result = subprocess.run(command, timeout=SECONDS + 120)
        except subprocess.TimeoutExpired:
            sys.exit(f"Schemathesis overran {SECONDS} s and was stopped")
    sys.exit(result.returncode)


if __name__ == "__main__":
    main()
