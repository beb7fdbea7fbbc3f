"""A per-process memory cache bounded by the bytes it holds rather than by its number of
entries: cached pages range from 1 KB to 100 KB, so Django's locmem default (300 entries,
whatever their size) holds a sliver of the catalogue's ~17,000 pages."""

from django.core.cache.backends.locmem import LocMemCache


class _Ledger:
    """The size of each value a named cache holds, and their total: shared by the cache's
    instances (Django makes one per thread) as locmem shares its store."""

    def __init__(self):
        self.sizes = {}
        self.held = 0

    def add(self, key, size):
        self.forget(key)
        self.sizes[key] = size
        self.held += size

    def forget(self, key):
        self.held -= self.sizes.pop(key, 0)

    def clear(self):
        self.sizes.clear()
        self.held = 0


_ledgers = {}


class BoundedLocMemCache(LocMemCache):
    """Django's LocMemCache (least recently used out first), holding at most ``MAX_BYTES``
    of pickled values (OPTIONS; default 256 MiB). Its entry limit still applies: set
    ``MAX_ENTRIES`` high.

    Builds on LocMemCache's private ``_set``, ``_delete`` and ``_cull``, always called with
    its lock held; tests/test_cache_backends.py would catch a Django release that changed
    them."""

    def __init__(self, name, params):
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 256 * 1024 * 1024))
        self._ledger = _ledgers.setdefault(name, _Ledger())

    def _set(self, key, value, timeout=None):
        self._ledger.forget(key)
        self._cache.pop(key, None)
        while self._cache and self._ledger.held + len(value) > self._max_bytes:
            oldest, _ = self._cache.popitem()  # locmem moves what it reads to the front
            self._expire_info.pop(oldest, None)
            self._ledger.forget(oldest)
        super()._set(key, value, timeout)
        self._ledger.add(key, len(value))

    def _delete(self, key):
        self._ledger.forget(key)
        return super()._delete(key)

    def _cull(self):
        super()._cull()
        for key in [key for key in self._ledger.sizes if key not in self._cache]:
            self._ledger.forget(key)

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._ledger.clear()

    @property
    def bytes_held(self) -> int:
        return self._ledger.held
