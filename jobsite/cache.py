"""Whole-page caching for the public catalogue pages, kept honest by a catalogue revision.

Every change to catalogue content bumps one row (``CatalogueRevision``) in the same
transaction as the change. Cached pages and ETags carry that number, so the next request
after an edit, in any process, misses the cache and renders fresh content; browsers and
CDNs revalidate with a 304 until then."""

import hashlib
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

# "hit" on a page answered from the page cache, "miss" on one rendered for this request: what
# `make bench` counts as cold renders, and what an operator reads behind a CDN.
CACHE_STATUS_HEADER = "X-Cache"
REVISION_SQL = "SELECT number, changed_at FROM jobsite_cataloguerevision WHERE id = 1"


def current_revision():
    """The catalogue's revision number and when it last changed.

    Read on every public request, so written as plain SQL: building the equivalent ORM query
    cost more than the rest of a cache hit (measured with cProfile for docs/benchmarks.md)."""
    from .models import CatalogueRevision

    alias = router.db_for_read(CatalogueRevision)
    with connections[alias].cursor() as cursor:
        cursor.execute(REVISION_SQL)
        row = cursor.fetchone()
    if row is None:
        raise CatalogueRevision.DoesNotExist("Run migrate: the catalogue revision row is missing.")
    return row


def bump_catalogue_version() -> None:
    """Mark the catalogue changed. Bulk writes (which send no signals) must call this."""
    from .models import CatalogueRevision

    CatalogueRevision.objects.filter(pk=1).update(number=F("number") + 1, changed_at=timezone.now())


def _content_changed(sender, **kwargs):
    if kwargs.get("raw"):  # fixtures being loaded
        return
    bump_catalogue_version()


def invalidate_pages_on_changes_to(app_labels) -> None:
    """Bump the revision whenever a model of these apps is saved or deleted, or a
    many-to-many link between them changes (the catalogue app passes its content apps)."""
    for label in app_labels:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            uid = f"catalogue-changed:{model._meta.label}"
            if model._meta.auto_created:  # a many-to-many table, e.g. a role's sources
                m2m_changed.connect(_content_changed, sender=model, dispatch_uid=uid)
            else:
                post_save.connect(_content_changed, sender=model, dispatch_uid=uid)
                post_delete.connect(_content_changed, sender=model, dispatch_uid=f"{uid}:delete")


def catalogue_page(view):
    """Serve a public, read-only catalogue page from the cache when it is current.

    Visitors' GETs get an ETag and Last-Modified (a matching conditional request is answered
    304 without rendering), ``Cache-Control: public``, and a page cached for
    ``PAGE_CACHE_SECONDS`` (0 turns the cache off). Signed-in editors always get a fresh,
    private page: they may be previewing drafts. The view runs outside a transaction: it
    only reads."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
            return response

        number, changed_at = current_revision()
        address = f"{request.get_host()}{request.get_full_path()}"
        digest = hashlib.blake2b(address.encode(), digest_size=12).hexdigest()
        etag = quote_etag(f"{number}-{digest}")
        last_modified = int(changed_at.timestamp())
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return _public(not_modified, etag, last_modified)

        key = f"page:{number}:{digest}"
        response = cache.get(key) if settings.PAGE_CACHE_SECONDS else None
        if response is not None:
            response[CACHE_STATUS_HEADER] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            if response.streaming:
                # Sent while it is made (a whole CSV export): never held whole, so never cached.
                return _public(response, etag, last_modified)
            if hasattr(response, "render"):
                response = response.render()
            if settings.PAGE_CACHE_SECONDS:
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
            response[CACHE_STATUS_HEADER] = "miss"
        return _public(response, etag, last_modified)

    return transaction.non_atomic_requests(wrapper)


def _public(response, etag, last_modified):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=settings.PAGE_MAX_AGE)
    return response
