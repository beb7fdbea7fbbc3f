from django.db import connection


def refresh_planner_statistics(models_changed) -> None:
    """Refresh PostgreSQL's statistics on the tables of ``models_changed``, just filled or
    emptied in bulk (by the demo data or an ESCO import).

    Until autovacuum gets round to it, the planner plans for the old row counts: believing a
    table holds a handful of rows, it checks each new row's foreign key, builds each role's
    search vector or joins skills to their 120,000 role links by reading whole tables. Run
    inside the writing transaction, ANALYZE counts that transaction's own rows."""
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models_changed)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
