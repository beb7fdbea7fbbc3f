"""gunicorn settings for `make run` and `make bench` (see README.md, "Configuration")."""

import multiprocessing
import os

bind = f"127.0.0.1:{os.environ.get('PORT', '8000')}"
# Two processes per core, two threads each: a worker serves another request while one
# waits on PostgreSQL, and rendering, which is Python work, is spread over processes more
# than over threads sharing one GIL. With one process per core and four threads each, a
# busy worker spent half its time in the kernel handing the GIL between threads (futex
# calls), while kept-alive connections could all sit on one worker: the families page
# served 10 a second against about 35 now (wrk, 16 connections, docs/benchmarks.md).
# Django is thread-safe; each thread has its own database connection, 8 a server.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = 30
graceful_timeout = 10
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound. Not often: a
# new worker starts with an empty local cache, and at 10,000 requests a loaded worker was
# replaced every 5–10 seconds under `make bench`.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "200000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# No control socket (gunicorn 27's gunicornc): nothing uses it, and every gunicorn on a machine
# would claim the same $HOME/.gunicorn/gunicorn.ctl (make run, make bench, the fault tests).
control_socket_disable = True


def post_worker_init(worker):
    """Under `make run` (JOBSITE_PRINT_NEXT_STEPS=1), end the start-up with the address and what
    to do next. Not when_ready: the master calls that before it forks the workers, whose boot
    lines would then bury the message. The last of the first workers prints it, once it has
    loaded the site, at the address it really listens on."""
    if not os.environ.get("JOBSITE_PRINT_NEXT_STEPS") or worker.age != worker.cfg.workers:
        return
    from django.urls import reverse

    site = str(worker.sockets[0])
    print(
        f"\nJobsite is serving {site}/ (Ctrl-C stops it).\n"
        "Next, create an admin account: .venv/bin/python manage.py createsuperuser\n"
        f"and sign in at {site}{reverse('admin:index')}\n",
        flush=True,
    )
