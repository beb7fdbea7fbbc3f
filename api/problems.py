"""Every error the API gives, in one shape: RFC 9457 problem details
(``application/problem+json``), never an HTML page or a traceback.

``{"type": "about:blank", "title": "Not Found", "status": 404, "detail": "…"}``, with
``errors`` (messages by query parameter) for a 400 about filters."""

import math
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from rest_framework import exceptions

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Where the API answers: errors met there (a 404 for an unknown address, a 500) are problem
# details too, not the site's HTML error pages.
API_PATH_PREFIX = "/api/"


def is_api_request(request) -> bool:
    return request.path.startswith(API_PATH_PREFIX)


def problem_response(
    status: int, *, detail: str = "", errors: dict | None = None, headers: dict | None = None
) -> JsonResponse:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = JsonResponse(
        body,
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: what DRF would answer (404, 405, 400, 429 …), as a problem.
    Anything else (a bug) is left to Django's 500 handler, which answers a problem too.

    Unlike DRF's own handler this marks no transaction for rollback: the API only reads,
    outside any transaction (jobsite.cache.catalogue_page)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages_by_field(exc.detail)
        detail = "Invalid query parameters: " + "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in errors.items()
        )
        return problem_response(exc.status_code, detail=detail, errors=errors)
    return problem_response(exc.status_code, detail=str(exc.detail), headers=headers)


def _messages_by_field(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(name): [str(message) for message in _as_list(messages)]
            for name, messages in detail.items()
        }
    return {"non_field_errors": [str(message) for message in _as_list(detail)]}


def _as_list(messages):
    return messages if isinstance(messages, list) else [messages]


def not_found(request) -> JsonResponse:
    return problem_response(404, detail=f"Nothing is at {request.path}.")


def server_error() -> JsonResponse:
    return problem_response(500, detail="Something went wrong on our side; it has been logged.")
