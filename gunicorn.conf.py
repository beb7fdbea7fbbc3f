"""gunicorn settings for `make run` and `make bench` (see README.md, "Configuration")."""

import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# One process per core; threads let a worker serve another request while one waits on
# PostgreSQL. Django is thread-safe and each thread gets its own database connection.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 10
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = 10_000
max_requests_jitter = 1_000
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
