"""Accounts and access: sign-in throttling, passwords, sessions, and what editors may do."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission, User
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import Client
from django.urls import reverse

from skills.models import Skill

pytestmark = pytest.mark.django_db

EDITOR_PASSWORD = "a long editor password"  # tests/conftest.py, the `editor` fixture
WRONG_PASSWORD = "not the password at all"


def sign_in(client, password, *, username="editor", address="198.51.100.7", **meta):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **meta,
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def wind_back_attempts(minutes):
    """Move recorded sign-in failures into the past, as if that much time had passed."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def lock_out(client, **kwargs):
    for _ in range(4):
        response = sign_in(client, WRONG_PASSWORD, **kwargs)
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = sign_in(client, WRONG_PASSWORD, **kwargs)
    assert response.status_code == 429
    return response


# --- Throttling --------------------------------------------------------------------------


def test_five_failures_lock_the_username_from_that_address_with_a_clear_429_page(client, editor):
    response = lock_out(client)
    page = response.content.decode()
    assert "Too many sign-in attempts" in page
    assert "15 minutes" in page
    assert 'class="site-header"' in page  # the site's design
    assert response["Retry-After"] == "900"
    assert "no-store" in response["Cache-Control"]

    # Even the right password is not checked while locked out.
    response = sign_in(client, EDITOR_PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_a_lockout_holds_only_that_username_from_that_address(client, editor):
    User.objects.create_user("asha", password="another long password", is_staff=True)
    lock_out(client)

    from_elsewhere = Client()
    assert sign_in(from_elsewhere, EDITOR_PASSWORD, address="192.0.2.44").status_code == 302
    assert signed_in(from_elsewhere)

    colleague = Client()
    assert sign_in(colleague, "another long password", username="asha").status_code == 302
    assert signed_in(colleague)


def test_a_lockout_ends_after_fifteen_minutes(client, editor):
    lock_out(client)
    wind_back_attempts(14)
    assert sign_in(client, EDITOR_PASSWORD).status_code == 429
    wind_back_attempts(2)
    assert sign_in(client, EDITOR_PASSWORD).status_code == 302
    assert signed_in(client)


def test_failing_again_while_locked_out_does_not_extend_the_lockout(client, editor):
    lock_out(client)
    wind_back_attempts(14)
    assert sign_in(client, WRONG_PASSWORD).status_code == 429
    wind_back_attempts(2)  # 16 minutes since the lockout, 2 since the last attempt
    assert sign_in(client, EDITOR_PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_failures(client, editor):
    for _ in range(4):
        assert sign_in(client, WRONG_PASSWORD).status_code == 200
    assert sign_in(client, EDITOR_PASSWORD).status_code == 302
    client.post(reverse("admin:logout"))
    # Without the reset this would be the fifth failure in a row, and locked out.
    assert sign_in(client, WRONG_PASSWORD).status_code == 200


def test_behind_a_proxy_failures_count_against_the_address_the_proxy_saw(client, editor, settings):
    settings.BEHIND_PROXY = True
    proxy = "10.0.0.2"
    # Forged entries in front of the proxy's own do not spread the attempts out.
    for attempt in range(5):
        response = sign_in(
            client,
            WRONG_PASSWORD,
            address=proxy,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}, 198.51.100.7",
        )
    assert response.status_code == 429
    # The same proxy forwarding another visitor: not locked out.
    visitor = Client()
    response = sign_in(visitor, EDITOR_PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert response.status_code == 302


# --- Passwords and sessions --------------------------------------------------------------


def add_user(client, password):
    return client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Xy7!short", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("493820175639", "This password is entirely numeric."),
    ],
)
def test_weak_passwords_are_refused(admin_client, password, message):
    response = add_user(admin_client, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_a_strong_password_is_accepted(admin_client):
    assert add_user(admin_client, "correct horse battery staple").status_code == 302
    assert User.objects.filter(username="newcomer").exists()


def test_signing_in_starts_a_new_session(client, editor):
    session = client.session
    session["seen_before_sign_in"] = True
    session.save()
    before = session.session_key

    assert sign_in(client, EDITOR_PASSWORD).status_code == 302
    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert Session.objects.filter(session_key=after).exists()


def test_signing_out_takes_a_post_and_ends_the_session_on_the_server(client, editor):
    client.force_login(editor)
    session_key = client.session.session_key
    admin_index = reverse("admin:index")

    assert client.get(reverse("admin:logout")).status_code == 405  # a link cannot sign you out
    assert Session.objects.filter(session_key=session_key).exists()
    assert client.get(admin_index).status_code == 200

    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert not Session.objects.filter(session_key=session_key).exists()

    # Replaying the old cookie gets nowhere: the session is gone from the database.
    replay = Client()
    replay.cookies["sessionid"] = session_key
    response = replay.get(admin_index)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# --- What editors may do -----------------------------------------------------------------


def management_data(response):
    """The inline formsets' management forms of an admin add or change page, left empty."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    return data


def test_editors_can_add_catalogue_content(editor_client):
    url = reverse("admin:skills_skill_add")
    data = management_data(editor_client.get(url)) | {
        "name": "Elixir",
        "slug": "elixir",
        "kind": Skill.Kind.values[0],
        "description": "A functional language on the Erlang VM.",
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Skill.objects.filter(slug="elixir").exists()


def test_editors_cannot_add_users(editor_client):
    response = add_user(editor_client, "correct horse battery staple")
    assert response.status_code == 403
    assert not User.objects.filter(username="newcomer").exists()


def test_editors_cannot_change_their_own_groups_or_make_themselves_superusers(
    editor_client, editor
):
    response = editor_client.post(
        reverse("admin:auth_user_change", args=[editor.pk]),
        {"username": "editor", "is_staff": "on", "is_superuser": "on", "groups": []},
    )
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]


def test_editors_cannot_grant_their_group_more_permissions(editor_client):
    editors = Group.objects.get(name="Editors")
    granted_before = set(editors.permissions.all())
    response = editor_client.post(
        reverse("admin:auth_group_change", args=[editors.pk]),
        {"name": "Editors", "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 403
    assert set(editors.permissions.all()) == granted_before
    assert editor_client.get(reverse("admin:auth_group_add")).status_code == 403


def test_editors_cannot_see_or_clear_sign_in_lockouts(editor_client):
    assert editor_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:axes_accesslog_changelist")).status_code == 403
