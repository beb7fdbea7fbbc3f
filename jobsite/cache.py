"""Whole-page caching for the public catalogue pages, answered before sessions and sign-in.

A page is stored as its bytes and headers with the *tags* of what it shows and each tag's
token at the time it was rendered. A change to catalogue content gives the tags it touches
new tokens once its transaction commits; a cached page whose tokens are no longer the
current ones is rendered again. So an edit shows on the very next request in every process,
while pages that do not show the edited content stay cached:

- ``CATALOGUE`` changes with every edit: lists, search, the explorer and every page that
  names nothing narrower depend on it.
- ``STRUCTURE`` changes with every edit other pages' links and lists are made of (a role's
  title, slug, status, family or broader occupation, any role's skills, the skills, families,
  sources and places themselves): the pages of single roles and skills depend on it.
- ``role_tag(pk)``: a role's own content (its text, responsibilities, FAQs, pay): its own
  pages depend on it.
- ``skill_tag(pk)``: the pay of the roles needing a skill, which the skill's page shows
  beside each role.

The tokens live in the cache PAGE_TAGS_CACHE names, which every process reads (Redis with
REDIS_URL, beside the pages, so that a page and its commonest tokens come in one round trip;
files in var/ otherwise), so knowing whether a page is current costs no SQL. A token reads
"<catalogue revision number>.<unix time>.<random>": the number says whether a replica has
replayed the change yet, the time is the page's Last-Modified, and the random part makes
the tokens of a restored or recreated database new too.

``PageCacheMiddleware`` answers cached pages for anonymous visitors without a session
cookie before the session, CSRF, auth, messages and axes middleware run; ``catalogue_page``
marks a view's rendered answer for it to store. Signed-in editors always get a fresh,
private page: they may be previewing drafts."""

import hashlib
import logging
import secrets
import time
from contextlib import nullcontext
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from .routers import REPLICA, reads_from_primary

logger = logging.getLogger(__name__)

CATALOGUE = "catalogue"
STRUCTURE = "structure"
# "hit" on a page answered from the page cache, "miss" on one rendered for this request: what
# `make bench` counts as cold renders, and what an operator reads behind a CDN.
CACHE_STATUS_HEADER = "X-Cache"
# Headers of a rendered page that belong to that one answer, not to the page.
UNSTORED_HEADERS = {CACHE_STATUS_HEADER.lower(), "date", "set-cookie"}
REVISION_SQL = "SELECT number, changed_at FROM jobsite_cataloguerevision WHERE id = 1"
BUMP_SQL = (
    "UPDATE jobsite_cataloguerevision SET number = number + 1, changed_at = now() "
    "WHERE id = 1 RETURNING number"
)


def role_tag(pk) -> str:
    return f"role:{pk}"


def skill_tag(pk) -> str:
    return f"skill:{pk}"


# --- What changed -------------------------------------------------------------------------


def pages_changed(tags, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record a change to catalogue content showing on pages tagged ``tags``: the revision
    row moves on in the current transaction, and the tags (and ``CATALOGUE``) get new tokens
    at once and again when it commits, so no process serves their pages from the cache after
    that. At once, so that a page is not answered from before the change while it is being
    made (nor in a test, whose transaction never commits); on commit, so that a page
    rendered meanwhile from what the database held before is not kept either."""
    with connections[using].cursor() as cursor:
        cursor.execute(BUMP_SQL)
        row = cursor.fetchone()
    if row is None:
        return  # not migrated yet (the row is made by a migration)
    names = {CATALOGUE, *tags}
    # The number of what is already committed: nothing waits for this one to be replayed.
    _publish(names, _new_token(row[0] - 1))
    transaction.on_commit(lambda: _publish(names, _new_token(row[0])), using=using)


def bump_catalogue_version(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Mark the whole catalogue changed. Bulk writes (which send no signals) must call this."""
    pages_changed({STRUCTURE}, using=using)


def _publish(names, token) -> None:
    try:
        tags = {_tag_key(name): token for name in names}
        caches[settings.PAGE_TAGS_CACHE].set_many(tags, timeout=None)
    except Exception:
        # The change is committed; only its pages' cache could not be told. They are
        # rendered again within PAGE_CACHE_SECONDS at the latest.
        logger.exception("Could not publish the new page cache tokens for %s", sorted(names))


def current_revision():
    """The catalogue's revision number and when it last changed, read from the database
    reads go to (the replica, when there is one)."""
    from .models import CatalogueRevision

    alias = router.db_for_read(CatalogueRevision)
    with connections[alias].cursor() as cursor:
        cursor.execute(REVISION_SQL)
        row = cursor.fetchone()
    if row is None:
        raise CatalogueRevision.DoesNotExist("Run migrate: the catalogue revision row is missing.")
    return row


# --- What a page shows --------------------------------------------------------------------


def page_depends_on(request, *tags) -> None:
    """Say that the page being rendered shows only what ``tags`` (and ``STRUCTURE``) cover,
    so that edits elsewhere leave it cached. A page that says nothing depends on every edit."""
    request = getattr(request, "_request", request)  # REST framework's wraps Django's
    request.page_tags = {STRUCTURE, *getattr(request, "page_tags", ()), *tags}


# Long: a fragment is keyed by a token, so a newer token, not its age, is what retires it.
FRAGMENT_SECONDS = 24 * 3600


def structure_fragment(request, name: str, build):
    """``build()``, kept in the cache while the catalogue's structure stays as it was when
    the page being rendered began: for what a page derives from the whole catalogue that
    only a change of structure changes (the families offered as a filter), so that pages
    do not derive it again on every render, page cache or not.

    Keyed by the ``STRUCTURE`` token ``catalogue_page`` read before the view ran, from a
    database that had replayed it: what is built is never older than its key, and an edit
    gives the tag a new token. Outside a catalogue page, or with the cache down, it is
    built afresh."""
    request = getattr(request, "_request", request)  # REST framework's wraps Django's
    token = getattr(request, "structure_token", None)
    if token is None:
        return build()
    key = f"fragment:{name}:{token}"
    try:
        value = caches["default"].get(key)
    except Exception:
        logger.warning("Fragment cache unavailable for %s", name, exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            caches["default"].set(key, value, FRAGMENT_SECONDS)
        except Exception:
            logger.warning("Could not store the fragment %s", name, exc_info=True)
    return value


def _tag_key(name: str) -> str:
    return f"tag:{name}"


def _tokens(names) -> dict[str, str]:
    """The current token of each tag; a tag the cache lost gets a new one (so every page
    stored with its old token is stale, as it must be: nothing says what changed since)."""
    store = caches[settings.PAGE_TAGS_CACHE]
    found = store.get_many([_tag_key(name) for name in names])
    tokens = {name: found[_tag_key(name)] for name in names if _tag_key(name) in found}
    lost = [name for name in names if name not in tokens]
    for name in lost:
        store.add(_tag_key(name), _new_token(0), timeout=None)
    if lost:
        found = store.get_many([_tag_key(name) for name in lost])
        tokens.update({name: found.get(_tag_key(name), "") for name in lost})
    return tokens


def _new_token(number: int) -> str:
    return f"{number}.{int(time.time())}.{secrets.token_hex(4)}"


def _revision_number(token: str) -> int:
    return int(token.split(".")[0] or 0)


def _last_modified(tokens: dict[str, str]) -> int:
    """When the newest change a page shows was made."""
    return max(int(token.split(".")[1]) for token in tokens.values())


def _replica_is_behind(token: str) -> bool:
    """Whether the replica has yet to replay the change that made ``token``."""
    if REPLICA not in settings.DATABASES:
        return False
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(REVISION_SQL)
        row = cursor.fetchone()
    return row is None or row[0] < _revision_number(token)


# --- Storing and answering ----------------------------------------------------------------


def _page_key(request) -> str:
    address = f"{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.blake2b(address.encode(), digest_size=12).hexdigest()


def _etag(key: str, tokens: dict[str, str]) -> str:
    versions = ",".join(f"{name}={tokens[name]}" for name in sorted(tokens))
    return quote_etag(hashlib.blake2b(f"{key}|{versions}".encode(), digest_size=12).hexdigest())


def _served_from_cache(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class PageCacheMiddleware:
    """Answer a cached catalogue page before the middleware after this one run; store what
    ``catalogue_page`` rendered once every middleware after this one has added its headers.

    Placed after the header, HTTPS, CORS, static-file and outage middleware (which still
    dress every cached answer) and before sessions: a visitor without a session cookie is
    anonymous, so nothing of theirs is needed to answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _served_from_cache(request):
            cached = _cached_answer(request)
            if cached is not None:
                return cached
        response = self.get_response(request)
        rendered = getattr(response, "page_cache_entry", None)
        if rendered is not None and not response.cookies:
            _store(rendered, response)
        return response


def _cached_answer(request):
    key = _page_key(request)
    try:
        entry, current = _entry_and_tokens(key)
        if entry is None:
            return None
        tokens, etag, last_modified, status, headers, content, marks = entry
        _remember_tags(key, tokens)
        if unread := [name for name in tokens if name not in current]:
            current.update(_tokens(unread))
        if any(current[name] != token for name, token in tokens.items()):
            return None
    except Exception:  # the cache is down: render, as if it were empty
        logger.warning("Page cache unavailable for %s", request.path, exc_info=True)
        return None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        _public(not_modified, etag, last_modified)
        not_modified[CACHE_STATUS_HEADER] = "hit"
        return not_modified
    response = HttpResponse(content, status=status, headers=headers)
    vars(response).update(marks)
    response[CACHE_STATUS_HEADER] = "hit"
    return response


# The tags of the pages this process has stored or answered, by page key: a role's or a
# skill's page is then checked against its own tag in the same round trip that reads it,
# not in a second one. Only a hint (a wrong or forgotten one costs that second round trip),
# so it is simply emptied when full.
_known_tags: dict[str, tuple[str, ...]] = {}
KNOWN_TAGS_LIMIT = 100_000
COMMON_TAGS = (CATALOGUE, STRUCTURE)


def _remember_tags(key, tokens) -> None:
    names = tuple(sorted(tokens))
    if _known_tags.get(key) != names:
        if len(_known_tags) >= KNOWN_TAGS_LIMIT:
            _known_tags.clear()
        _known_tags[key] = names


def _entry_and_tokens(key):
    """The page stored under ``key``, and the tokens of the tags it is expected to carry,
    read with it in one round trip where the tags share the page cache (Redis)."""
    if settings.PAGE_TAGS_CACHE != "default":
        return caches["default"].get(key), {}
    expected = {_tag_key(name): name for name in _known_tags.get(key, COMMON_TAGS)}
    found = caches["default"].get_many([key, *expected])
    return found.get(key), {name: found[tag] for tag, name in expected.items() if tag in found}


def _store(rendered, response) -> None:
    key, tokens, etag, last_modified = rendered
    headers = [
        (name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS
    ]
    # What a view's decorators told the outer middleware, e.g. django-csp's @csp_update on
    # the API docs page: it must tell them again when the page is answered from the cache.
    marks = {name: value for name, value in vars(response).items() if name.startswith("_csp")}
    entry = (tokens, etag, last_modified, response.status_code, headers, response.content, marks)
    try:
        caches["default"].set(key, entry, settings.PAGE_CACHE_SECONDS)
        _remember_tags(key, tokens)
    except Exception:
        logger.warning("Could not store %s in the page cache", key, exc_info=True)


def catalogue_page(view):
    """A public, read-only catalogue page: ETag and Last-Modified (a matching conditional
    request is answered 304), ``Cache-Control: public``, and kept in the page cache for
    ``PAGE_CACHE_SECONDS`` (0 turns the cache off; 304s still work). The view runs outside a
    transaction: it only reads."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response

        try:
            before = _tokens([CATALOGUE, STRUCTURE])
        except Exception:  # the cache is down: serve the page, uncached and unvalidated
            logger.warning("Page tags unavailable for %s", request.path, exc_info=True)
            response = _rendered(view(request, *args, **kwargs))
            patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)
            return response
        # An edit has committed that the replica has not replayed: render the page from the
        # primary, or the new tokens would be stored with the old content.
        lagging = _replica_is_behind(before[CATALOGUE])
        request.structure_token = before[STRUCTURE]  # structure_fragment's key
        with reads_from_primary() if lagging else nullcontext():
            response = _rendered(view(request, *args, **kwargs))
        if response.status_code != 200:
            return response

        key = _page_key(request)
        names = getattr(request, "page_tags", None) or {CATALOGUE}
        try:
            after = _tokens({CATALOGUE, *names})
        except Exception:
            logger.warning("Page tags unavailable for %s", request.path, exc_info=True)
            return response
        tokens = {name: after[name] for name in names}
        etag = _etag(key, tokens)
        last_modified = _last_modified(tokens)
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return _public(not_modified, etag, last_modified)
        response[CACHE_STATUS_HEADER] = "miss"
        _public(response, etag, last_modified)
        # Stored only if no edit was published while it was rendered: its content might
        # predate the edit, and its tokens not.
        if (
            settings.PAGE_CACHE_SECONDS
            and not response.streaming
            and after[CATALOGUE] == before[CATALOGUE]
        ):
            response.page_cache_entry = (key, tokens, etag, last_modified)
        return response

    return transaction.non_atomic_requests(wrapper)


def _rendered(response):
    # A whole CSV export is streamed as it is made: never held whole, so never cached.
    if hasattr(response, "render") and not response.streaming:
        response = response.render()
    return response


def _public(response, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)
    return response
