import pickle

from jobsite.cache_backends import BoundedLocMemCache


def bounded(name, max_bytes):
    cache = BoundedLocMemCache(name, {"OPTIONS": {"MAX_BYTES": max_bytes, "MAX_ENTRIES": 10_000}})
    cache.clear()
    return cache


def size_of(value):
    return len(pickle.dumps(value, BoundedLocMemCache.pickle_protocol))


def test_the_cache_holds_no_more_bytes_than_its_bound_dropping_the_least_recently_used():
    page = b"x" * 1000
    cache = bounded("test-bound", max_bytes=3 * size_of(page))
    for key in ("a", "b", "c"):
        cache.set(key, page)
    cache.get("a")  # read: now the most recently used
    cache.set("d", page)
    assert [key for key in "abcd" if cache.get(key) is not None] == ["a", "c", "d"]
    assert cache.bytes_held == 3 * size_of(page)


def test_replacing_or_deleting_a_value_gives_back_its_bytes():
    cache = bounded("test-replace", max_bytes=10_000)
    cache.set("page", b"x" * 5000)
    cache.set("page", b"y" * 100)
    assert cache.bytes_held == size_of(b"y" * 100)
    cache.delete("page")
    assert cache.bytes_held == 0
    cache.set("page", b"z")
    cache.clear()
    assert cache.bytes_held == 0


def test_a_value_larger_than_the_bound_empties_the_cache_for_it_alone():
    cache = bounded("test-large", max_bytes=2000)
    cache.set("small", b"s" * 100)
    cache.set("huge", b"h" * 5000)
    assert cache.get("small") is None
    assert cache.get("huge") == b"h" * 5000


def test_every_thread_sees_one_tally():
    # Django makes a cache instance per thread; they share one store, so one count.
    first = bounded("test-shared", max_bytes=10_000)
    second = BoundedLocMemCache("test-shared", {"OPTIONS": {"MAX_BYTES": 10_000}})
    first.set("page", b"x" * 100)
    assert second.bytes_held == first.bytes_held == size_of(b"x" * 100)
