import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from jobsite.cache import CACHE_STATUS_HEADER
from roles.models import Role, RoleFamily, Source
from tests.factories import (
    FrequentlyAskedQuestionFactory,
    RoleFactory,
    RoleSkillFactory,
    SalaryBandFactory,
    SkillFactory,
    SourceFactory,
)

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
    with django_assert_num_queries(0):
        again = client.get(ROLE_URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    modified = client.get(ROLE_URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert modified.status_code == 304


def test_a_warm_page_is_served_from_the_cache_without_sql(
    client, catalogue, django_assert_num_queries
):
    cold = client.get(ROLE_URL)
    with django_assert_num_queries(0):
        warm = client.get(ROLE_URL)
    assert (cold[CACHE_STATUS_HEADER], warm[CACHE_STATUS_HEADER]) == ("miss", "hit")
    assert warm.content == cold.content
    assert warm["ETag"] == cold["ETag"]
    assert warm["Content-Type"] == cold["Content-Type"]
    # The middleware outside the page cache still dresses what it answers.
    assert warm["Content-Security-Policy"] == cold["Content-Security-Policy"]
    assert warm["X-Frame-Options"] == "DENY"


def test_a_visitor_with_a_session_cookie_is_not_answered_before_sign_in_is_known(client, catalogue):
    client.get(ROLE_URL)
    client.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    response = client.get(ROLE_URL)
    assert response[CACHE_STATUS_HEADER] == "miss"  # rendered, though the page is cached
    assert "public" in response["Cache-Control"]  # the cookie named no one: a visitor


def test_a_page_whose_tag_the_cache_lost_is_rendered_again(client, catalogue):
    client.get(ROLE_URL)
    caches[settings.PAGE_TAGS_CACHE].clear()  # e.g. Redis restarted, or evicted the tags
    assert client.get(ROLE_URL)[CACHE_STATUS_HEADER] == "miss"
    assert client.get(ROLE_URL)[CACHE_STATUS_HEADER] == "hit"


def role_page(slug):
    return reverse("roles:detail", kwargs={"slug": slug})


def cache_status(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response[CACHE_STATUS_HEADER]


@pytest.fixture
def two_roles(db):
    edited, other = RoleFactory(slug="edited"), RoleFactory(slug="other")
    python, sql = SkillFactory(name="Python"), SkillFactory(name="SQL")
    RoleSkillFactory(role=edited, skill=python)
    RoleSkillFactory(role=other, skill=sql)
    faq = FrequentlyAskedQuestionFactory(role=edited, question="What is the first question?")
    SourceFactory()  # for the pay added later: a new source changes the structure
    return edited, other, python, sql, faq


def test_an_edit_to_a_role_leaves_the_pages_not_showing_it_cached(client, two_roles):
    edited, other, python, sql, faq = two_roles
    urls = {
        "edited": role_page("edited"),
        "its download": reverse("roles:markdown", kwargs={"slug": "edited"}),
        "its skill": python.get_absolute_url(),
        "other": role_page("other"),
        "other skill": sql.get_absolute_url(),
        "roles list": reverse("roles:list"),
        "home": reverse("catalogue:home"),
    }
    assert {name: cache_status(client, url) for name, url in urls.items()} == dict.fromkeys(
        urls, "miss"
    )
    faq.question = "What changed in the question?"
    faq.save()
    assert {name: cache_status(client, url) for name, url in urls.items()} == {
        "edited": "miss",
        "its download": "miss",
        "its skill": "hit",  # shows the role's title, family and pay, not its FAQs
        "other": "hit",
        "other skill": "hit",
        "roles list": "miss",
        "home": "miss",
    }
    SalaryBandFactory(role=edited, source=Source.objects.get())
    assert {name: cache_status(client, url) for name, url in urls.items()} == {
        "edited": "miss",
        "its download": "miss",
        "its skill": "miss",  # its pay, beside the role's name
        "other": "hit",
        "other skill": "hit",
        "roles list": "miss",
        "home": "miss",
    }
    assert b"What changed in the question?" in client.get(urls["edited"]).content


def test_a_role_saved_unchanged_or_with_new_text_leaves_other_roles_cached(client, two_roles):
    edited, other, *_ = two_roles
    client.get(role_page("other"))
    edited.overview = "New words about the role."
    edited.save()
    assert cache_status(client, role_page("other")) == "hit"
    assert b"New words about the role." in client.get(role_page("edited")).content


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda role: setattr(role, "title", "Renamed role"), id="title"),
        pytest.param(lambda role: setattr(role, "status", Role.Status.DRAFT), id="status"),
        pytest.param(lambda role: setattr(role, "slug", "moved"), id="slug"),
    ],
)
def test_what_other_pages_show_of_a_role_makes_every_role_page_stale(client, two_roles, change):
    edited, *_ = two_roles
    client.get(role_page("other"))
    change(edited)
    edited.save()
    assert cache_status(client, role_page("other")) == "miss"


def test_a_change_to_a_roles_skills_makes_every_role_page_stale(client, two_roles):
    edited, other, python, *_ = two_roles
    client.get(role_page("other"))
    RoleSkillFactory(role=edited, skill=SkillFactory(name="Go"))  # next steps may change
    assert cache_status(client, role_page("other")) == "miss"


def test_the_api_docs_keep_their_own_policy_when_answered_from_the_cache(client, db):
    docs = reverse("api:docs")
    cold, warm = client.get(docs), client.get(docs)
    assert warm[CACHE_STATUS_HEADER] == "hit"
    assert "data:" in cold["Content-Security-Policy"]
    assert warm["Content-Security-Policy"] == cold["Content-Security-Policy"]


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


def test_pages_are_served_while_the_shared_cache_is_down(client, catalogue, settings):
    with socket.socket() as probe:  # a loopback port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "jobsite.cache_backends.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    settings.PAGE_TAGS_CACHE = "default"
    for url in (ROLE_URL, reverse("catalogue:home"), reverse("roles:list"), reverse("api:roles")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert CACHE_STATUS_HEADER not in response  # rendered, neither stored nor looked up
