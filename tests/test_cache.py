import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from roles.models import Role, RoleFamily

pytestmark = pytest.mark.django_db

ROLE_URL = reverse("roles:detail", kwargs={"slug": "backend-developer"})


def test_public_pages_carry_validators_and_public_cache_control(client, catalogue):
    response = client.get(ROLE_URL)
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert "public" in response["Cache-Control"]
    assert f"max-age={settings.PAGE_MAX_AGE}" in response["Cache-Control"]


def test_revalidation_answers_304_without_rendering(client, catalogue, django_assert_num_queries):
    first = client.get(ROLE_URL)
    with django_assert_num_queries(1):  # only the catalogue revision
        again = client.get(ROLE_URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    modified = client.get(ROLE_URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert modified.status_code == 304


def test_a_warm_page_is_served_from_the_cache(client, catalogue, django_assert_num_queries):
    cold = client.get(ROLE_URL)
    with django_assert_num_queries(1):
        warm = client.get(ROLE_URL)
    assert warm.content == cold.content


def test_each_query_string_is_its_own_page(client, catalogue):
    plain = client.get(ROLE_URL)
    marked = client.get(ROLE_URL, {"experience": "3"})
    assert plain["ETag"] != marked["ETag"]
    assert b"is-match" in marked.content and b"is-match" not in plain.content


def test_an_edit_in_admin_shows_on_the_next_request(editor_client, catalogue):
    client = Client()  # a visitor, beside the signed-in editor
    home = reverse("catalogue:home")
    before = client.get(home)
    assert b"Software engineering" in before.content
    family = RoleFamily.objects.get(slug="software-engineering")
    response = editor_client.post(
        reverse("admin:roles_rolefamily_change", args=[family.pk]),
        {"name": "Software development", "slug": family.slug, "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = client.get(home, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert b"Software development" in after.content


def test_bulk_updates_invalidate_once_told(client, catalogue):
    from jobsite.cache import bump_catalogue_version

    before = client.get(ROLE_URL)
    Role.objects.filter(slug="backend-developer").update(summary="Changed in bulk.")
    assert client.get(ROLE_URL).content == before.content  # no signal: still cached
    bump_catalogue_version()
    assert b"Changed in bulk." in client.get(ROLE_URL).content


def test_editors_get_fresh_private_pages(editor_client, catalogue):
    response = editor_client.get(ROLE_URL)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "ETag" not in response


def test_with_page_caching_off_pages_still_revalidate(client, catalogue, settings):
    settings.PAGE_CACHE_SECONDS = 0
    first = client.get(ROLE_URL)
    assert client.get(ROLE_URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_errors_are_not_cached(client, catalogue):
    assert client.get(reverse("roles:detail", kwargs={"slug": "nope"})).status_code == 404
    assert "ETag" not in client.get(reverse("roles:detail", kwargs={"slug": "nope"}))


def settings_in_a_fresh_process(**environ):
    """The settings a process started with ``environ`` would use."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.CACHES['default']['BACKEND'], sorted(s.DATABASES),"
        " getattr(s, 'DATABASE_ROUTERS', [])]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jobsite.settings", **environ}
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return output.stdout.strip()


def test_redis_url_switches_to_the_shared_redis_cache():
    assert "LocMemCache" in settings_in_a_fresh_process()
    assert "RedisCache" in settings_in_a_fresh_process(REDIS_URL="redis://127.0.0.1:6379/0")
