"""Every error the API gives, in one shape: RFC 9457 problem details
(``application/problem+json``), never an HTML page or a traceback.

``{"type": "about:blank", "title": "Not Found", "status": 404, "detail": "…"}``, with
``errors`` (messages by query parameter) for a 400 about filters."""

from http import HTTPStatus

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Where the API answers: errors met there (a 404 for an unknown address, a 500) are problem
# details too, not the site's HTML error pages.
API_PATH_PREFIX = "/api/"
# Headers of DRF's error responses that the problem keeps: when to retry, what is allowed.
KEPT_HEADERS = ("Retry-After", "Allow")


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
    Anything else (a bug) is left to Django's 500 handler, which answers a problem too."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors = _messages_by_field(exc.detail)
        detail = "Invalid query parameters: " + "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in errors.items()
        )
    else:
        detail = str(exc.detail) if hasattr(exc, "detail") else ""
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return problem_response(response.status_code, detail=detail, errors=errors, headers=headers)


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
