"""The OpenAPI schema is generated from the code, valid, and documents every error answer."""

import pytest
from django.urls import reverse
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_every_endpoint_is_in_the_schema(schema):
    assert set(schema["paths"]) == {
        "/api/v1/",
        "/api/v1/roles/",
        "/api/v1/roles/{slug}/",
        "/api/v1/skills/",
        "/api/v1/skills/{slug}/",
        "/api/v1/salary-bands/",
        "/api/v1/families/",
        "/api/v1/search/",
    }


def test_every_operation_documents_its_problems(schema):
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        for status in ("400", "404", "429"):
            assert set(responses[status]["content"]) == {"application/problem+json"}, path


def test_the_lists_filters_are_the_pages_filters(schema):
    def parameters(path):
        return {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}

    assert parameters("/api/v1/roles/") == {
        "q", "family", "isco", "skill", "has_pay", "sort", "page", "page_size"
    }  # fmt: skip
    assert parameters("/api/v1/skills/") == {"kind", "q", "group", "type", "page", "page_size"}
    assert parameters("/api/v1/salary-bands/") == {
        "role", "experience", "location", "currency", "period", "page", "page_size"
    }  # fmt: skip


def test_the_docs_page_loads_swagger_ui_from_our_own_files(client):
    page = client.get(reverse("api:docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page and "<style>" not in page
