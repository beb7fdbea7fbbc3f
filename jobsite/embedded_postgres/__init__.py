"""A PostgreSQL database backend that starts its own embedded server on demand.

Used when DATABASE_URL is unset. The server comes from the ``pgserver`` wheel (a real
PostgreSQL build), keeps its data under ``settings.EMBEDDED_POSTGRES_DIR`` and listens on a
Unix socket only. Every process that connects holds a handle on the server; pgserver counts
the handles on disk, so gunicorn workers and management commands share one server, and the
last process to exit stops it (processes that were killed are not counted: see server.py).
"""
