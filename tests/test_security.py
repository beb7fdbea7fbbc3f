"""Production configuration: settings from the environment, security headers and cookies, no
state-changing GET, CSRF on every form (README.md, "Security")."""

import json
import logging
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, path, reverse
from django.views import View

import jobsite.urls
from jobsite.cache import current_revision
from roles.models import Role

SECURITY_VARIABLES = [
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_SECRET_KEY_FILE",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_HTTPS",
    "DJANGO_SECURE_PROXY_SSL_HEADER",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their own process only
]
PRODUCTION = {
    "DJANGO_HTTPS": "1",
    "DJANGO_ALLOWED_HOSTS": "jobsite.example",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
}


def broken_view(request):
    raise RuntimeError("a bug")


class PostingView(View):
    """A view that takes a POST, as a form would."""

    def get(self, request):
        return HttpResponse("form")

    def post(self, request):
        return HttpResponse("posted")


# The site, plus a page that fails and one that takes a POST (ROOT_URLCONF=__name__).
handler500 = jobsite.urls.handler500
urlpatterns = [
    path("broken/", broken_view),
    path("posting/", PostingView.as_view()),
    *jobsite.urls.urlpatterns,
]


def run_django(*args, **variables):
    """Run Python with the project's settings and only the given security variables set, the
    way a server would start: in a process of its own."""
    env = {name: value for name, value in os.environ.items() if name not in SECURITY_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "jobsite.settings"
    env.update(variables)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_under(**variables):
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "ALLOWED_HOSTS",
        "SECRET_KEY",
    ]
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    result = run_django("-c", code, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- Settings from the environment -------------------------------------------------------


def assert_refuses_to_start(result):
    assert result.returncode != 0
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr
    # The message says how to fix it, each way.
    for remedy in ["Set DJANGO_SECRET_KEY", "make run", "DJANGO_SECRET_KEY_FILE"]:
        assert remedy in result.stderr


def test_without_a_secret_key_the_site_refuses_to_start(tmp_path):
    missing = tmp_path / "no-such-file"
    result = run_django("manage.py", "check", DJANGO_SECRET_KEY_FILE=str(missing))
    assert_refuses_to_start(result)
    assert str(missing) in result.stderr


@pytest.mark.parametrize("contents", ["", " \n"])
def test_an_empty_key_file_is_refused(tmp_path, contents):
    key_file = tmp_path / "secret-key"
    key_file.write_text(contents)
    assert_refuses_to_start(run_django("manage.py", "check", DJANGO_SECRET_KEY_FILE=str(key_file)))


def test_without_the_variable_the_key_comes_from_the_file(tmp_path):
    key_file = tmp_path / "secret-key"
    key_file.write_text("  key-from-the-file\n")
    values = settings_under(DJANGO_SECRET_KEY_FILE=str(key_file))
    assert values["SECRET_KEY"] == "key-from-the-file"


def test_the_variable_wins_over_the_file(tmp_path):
    key_file = tmp_path / "secret-key"
    key_file.write_text("key-from-the-file\n")
    values = settings_under(
        DJANGO_SECRET_KEY="key-from-the-variable", DJANGO_SECRET_KEY_FILE=str(key_file)
    )
    assert values["SECRET_KEY"] == "key-from-the-variable"


def test_in_debug_mode_a_missing_file_falls_back_to_the_development_key(tmp_path):
    missing = str(tmp_path / "no-such-file")
    values = settings_under(DJANGO_DEBUG="1", DJANGO_SECRET_KEY_FILE=missing)
    assert values["SECRET_KEY"] == "insecure-development-only-key"


def test_debug_is_off_unless_asked_for():
    assert settings_under(DJANGO_SECRET_KEY="x")["DEBUG"] is False
    assert settings_under(DJANGO_SECRET_KEY="x", DJANGO_DEBUG="1")["DEBUG"] is True


def test_laptop_defaults_serve_plain_http():
    values = settings_under(DJANGO_SECRET_KEY="x")
    assert values["SECURE_SSL_REDIRECT"] is False  # make run serves http://127.0.0.1:8000
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]


def test_the_https_switch_turns_on_redirects_secure_cookies_and_a_year_of_hsts():
    values = settings_under(**PRODUCTION)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 60 * 60
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["ALLOWED_HOSTS"] == ["jobsite.example"]


def test_the_proxy_switch_trusts_x_forwarded_proto():
    values = settings_under(DJANGO_SECRET_KEY="x", DJANGO_SECURE_PROXY_SSL_HEADER="1")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_settings_pass_the_deployment_checks():
    result = run_django("manage.py", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deployment_checks_catch_plain_http():
    """The check above would pass vacuously if --deploy found nothing to object to."""
    without_https = {**PRODUCTION, "DJANGO_HTTPS": ""}
    result = run_django(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", **without_https
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT


# --- Headers -----------------------------------------------------------------------------

PERMISSIONS_DENIED = ["camera", "microphone", "geolocation", "payment", "usb"]


def csp_directives(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_security_headers(response):
    directives = csp_directives(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in PERMISSIONS_DENIED:
        assert f"{feature}=()" in permissions, feature
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_pages_carry_the_security_headers_fresh_and_from_the_cache(client, catalogue):
    url = reverse("roles:detail", kwargs={"slug": "backend-developer"})
    fresh = client.get(url)
    cached = client.get(url)
    assert fresh.status_code == cached.status_code == 200
    assert_security_headers(fresh)
    assert_security_headers(cached)
    not_modified = client.get(url, headers={"if-none-match": fresh["ETag"]})
    assert not_modified.status_code == 304
    assert_security_headers(not_modified)


def test_admin_pages_carry_the_security_headers(client, editor_client, catalogue):
    assert_security_headers(client.get(reverse("admin:login")))
    role = Role.objects.get(slug="backend-developer")
    response = editor_client.get(reverse("admin:roles_role_change", args=[role.pk]))
    assert response.status_code == 200
    assert_security_headers(response)


def test_not_found_pages_carry_the_security_headers(client, db):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert_security_headers(response)


@override_settings(ROOT_URLCONF=__name__)
def test_refusals_and_server_errors_carry_the_security_headers(editor, catalogue):
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    answers = {
        "method not allowed": (browser.post(reverse("roles:list")), 405),
        "no CSRF token": (browser.post(reverse("admin:login")), 403),
        "host not allowed": (browser.get("/", headers={"host": "elsewhere.example"}), 400),
        "server error": (browser.get("/broken/"), 500),
    }
    browser.force_login(editor)
    answers["no permission"] = (browser.get(reverse("admin:auth_user_changelist")), 403)
    for answer, (response, status) in answers.items():
        assert response.status_code == status, answer
        assert_security_headers(response)


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_served_by_whitenoise_carry_the_security_headers(db):
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert_security_headers(response)


def test_hsts_lasts_a_year_over_https(client, settings, catalogue):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get(reverse("catalogue:home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https_unless_a_proxy_says_it_was_https(
    client, settings, catalogue
):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(reverse("roles:list"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/roles/"
    assert_security_headers(response)
    behind_proxy = client.get(reverse("roles:list"), headers={"x-forwarded-proto": "https"})
    assert behind_proxy.status_code == 200


def test_session_and_csrf_cookies_are_secure_httponly_and_same_site(client, settings, editor):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    client.get(reverse("admin:login"), secure=True)
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["secure"] is True
    assert csrf_cookie["samesite"] == "Lax"

    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "a long editor password"},
        secure=True,
    )
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


# --- No state-changing GET, no unsafe method on public pages, CSRF on every form ------------

# A real address for every public route that takes arguments; a new route needs one here.
SAMPLE_ARGUMENTS = {
    "roles:detail": {"slug": "backend-developer"},
    "roles:markdown": {"slug": "backend-developer"},
    "roles:text": {"slug": "backend-developer"},
    "roles:preview": {"slug": "backend-developer"},
    "roles:posting": {"slug": "backend-developer"},
    "roles:changes": {"slug": "backend-developer"},
    "catalogue:sitemap-section": {"section": "roles"},
    "skills:detail": {"slug": "python"},
    "catalogue:family": {"slug": "software-engineering"},
    "role-json": {"slug": "backend-developer"},
    "api:role": {"slug": "backend-developer"},
    "api:skill": {"slug": "python"},
}


def public_routes(patterns=None, namespace=""):
    """Every named route of the site outside admin, walked from the URL resolver."""
    for pattern in jobsite.urls.urlpatterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from public_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"{pattern.pattern} has no name"
            yield f"{namespace}{pattern.name}", pattern


def public_urls():
    urls = []
    for name, pattern in public_routes():
        arguments = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
        kwargs = SAMPLE_ARGUMENTS.get(name, {})
        assert arguments == set(kwargs), f"add sample arguments for {name} to SAMPLE_ARGUMENTS"
        urls.append(reverse(name, kwargs=kwargs))
    return urls


def test_the_route_walk_finds_every_public_page(db):
    urls = public_urls()
    for expected in ["/", "/roles/", "/roles/backend-developer/", "/skills/", "/salaries/"]:
        assert expected in urls
    assert not any(url.startswith("/admin/") for url in urls)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_public_pages_refuse_unsafe_methods_and_change_nothing(catalogue, method):
    """405, not the CSRF check's 403: as a browser would send it, with no token."""
    browser = Client(enforce_csrf_checks=True)
    revision_before = current_revision()[0]
    for url in public_urls():
        # The posting page sends a bare address on to one with today's date.
        assert browser.get(url, follow=True).status_code == 200, url
        response = getattr(browser, method)(url)
        assert response.status_code == 405, (url, response.status_code)
        assert "GET" in response["Allow"]
        assert "POST" not in response["Allow"]
    assert current_revision()[0] == revision_before


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_that_takes_a_post_still_needs_the_csrf_token(db):
    assert Client(enforce_csrf_checks=True).post("/posting/").status_code == 403
    assert Client().post("/posting/").content == b"posted"  # the check off: the view answers


FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL | re.IGNORECASE)


def test_every_public_form_submits_by_get_or_carries_a_csrf_token(client, catalogue):
    forms = []
    for url in public_urls():
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            forms += FORM.findall(response.content.decode())
    assert len(forms) >= 5  # the search box on every page, the filters
    for form in forms:
        opening = form[: form.index(">")].lower()
        if 'method="get"' not in opening:
            assert "csrfmiddlewaretoken" in form, opening


def test_admin_login_needs_its_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("admin:login")).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    credentials = {"username": "editor", "password": "a long editor password"}

    forged = client.post(reverse("admin:login"), credentials)
    assert forged.status_code == 403
    assert "_auth_user_id" not in client.session

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    genuine = client.post(reverse("admin:login"), {**credentials, "csrfmiddlewaretoken": token})
    assert genuine.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_admin_changes_need_the_csrf_token(editor, catalogue):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    role = Role.objects.get(slug="backend-developer")
    url = reverse("admin:roles_role_change", args=[role.pk])
    assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode()
    response = client.post(url, {"title": "Defaced", "slug": "defaced"})
    assert response.status_code == 403
    role.refresh_from_db()
    assert role.title == "Backend Developer"


def test_a_page_an_editor_may_not_see_is_refused_with_one_log_line(editor_client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = editor_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.getMessage() == "Forbidden (Permission denied): /admin/auth/user/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_still_logged_with_its_traceback(db, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "RuntimeError: a bug" in caplog.text
    assert "Traceback" in caplog.text
