"""What every CSV download shares: cells a spreadsheet shows as text, the refusal of invalid
filters, and streaming a few thousand rows at a time."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.db import connections, router
from django.http import HttpResponse

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(text: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def invalid_filters_response(filterset) -> HttpResponse:
    """400 with each filter's complaint: a script gets a refusal it can notice, not an empty
    file that looks like no data."""
    form = filterset.form
    messages = [
        # Errors of the form as a whole (NON_FIELD_ERRORS) belong to no one field.
        f"{form[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]
    return HttpResponse(
        "\n".join(["Invalid filters:", *messages]) + "\n",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


def csv_chunks(header: list[str], rows: Iterable[list], *, chunk_size: int) -> Iterator[str]:
    """The CSV text of ``rows``, ``header`` first, ``chunk_size`` rows a chunk: for a
    StreamingHttpResponse, so that a whole catalogue is never held in memory.

    The database the rows come from is checked now, before the response starts: one that
    cannot be reached is then answered 503 like any page, not with a download cut short."""
    connection = connections[router.db_for_read(None)]
    connection.close_if_health_check_failed()  # a kept connection to a server now gone
    connection.ensure_connection()
    return _chunks(header, rows, chunk_size)


def _chunks(header, rows, chunk_size) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % chunk_size == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
