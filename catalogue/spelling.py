"""Forgiving typos: the words the catalogue holds, and the one nearest a word it does not.

PostgreSQL here has no contrib modules (no pg_trgm, no fuzzystrmatch), so the words come from
the search index itself: ``ts_stat`` over the stored vectors of published roles and of skills
lists every lexeme with how many records hold it, in one query. Each vector holds every word
twice, stemmed ("develop") and as written ("developer", "developers"), so the list has the
words a visitor types as well as the stems; when a stem and the word it came from are equally
near a typo ("carpentr": "carpent", "carpenter"), the whole word is the one suggested. Every
word listed is one the search finds, so a correction always searches for something real.

The list is built once per catalogue revision (jobsite.cache) and kept in Django's cache; at
ESCO's size it holds about 27,500 words and builds in a quarter of a second. RapidFuzz ranks
them by optimal string alignment distance (an adjacent swap, "pyhton", is one edit).
"""

from bisect import bisect_left
from dataclasses import dataclass
from itertools import islice

from django.core.cache import cache
from django.db import connection
from rapidfuzz import process
from rapidfuzz.distance import OSA

from jobsite.cache import current_revision
from jobsite.text_search import WORD, search_terms
from roles.models import Role
from skills.models import Skill

# Words shorter than this are neither corrected nor suggested: one edit turns "go" into
# "js" or "ui", and the search already finds every word starting with them.
SHORTEST_CORRECTED = 3
# A word that few records hold may itself be the typo (ESCO writes "sofware" once): it is
# replaced when a near word is held by this many times as many.
MORE_COMMON = 10
RARE = 2  # records
VOCABULARY_SECONDS = 24 * 60 * 60  # keyed by revision: an edit makes a new one anyway


def allowed_edits(word: str) -> int:
    """How far a correction may be from ``word``: one edit up to five letters, two beyond
    (the rule Elasticsearch and Lucene call AUTO fuzziness)."""
    if len(word) < SHORTEST_CORRECTED:
        return 0
    return 1 if len(word) <= 5 else 2


@dataclass(frozen=True)
class Vocabulary:
    """The words of the search index, sorted, and how many records hold each."""

    words: tuple[str, ...]
    records: tuple[int, ...]

    def records_starting(self, term: str) -> int:
        """How many records hold the commonest word starting with ``term`` (the search
        matches prefixes); 0 when no word does. Looks at a bounded run of words."""
        start = bisect_left(self.words, term)
        run = islice(zip(self.words[start:], self.records[start:], strict=True), 50)
        return max(
            (records for word, records in run if word.startswith(term)),
            default=0,
        )

    def nearest(self, term: str) -> tuple[str, int] | None:
        """The listed word nearest ``term`` within its allowed edits, and how many records
        hold it: the fewest edits, then the commonest. Words starting with ``term`` are left
        out: the search finds those already."""
        matches = process.extract(
            term, self.words, scorer=OSA.distance, score_cutoff=allowed_edits(term), limit=None
        )
        candidates = [
            (word, distance, self.records[index])
            for word, distance, index in matches
            if not word.startswith(term)
        ]
        if not candidates:
            return None
        fewest = min(distance for _, distance, _ in candidates)
        closest = [(word, records) for word, distance, records in candidates if distance == fewest]
        # A stem is a prefix of the word it came from: name the word.
        whole = [
            (word, records)
            for word, records in closest
            if not any(other != word and other.startswith(word) for other, _ in closest)
        ]
        return max(whole, key=lambda candidate: candidate[1])


def _vocabulary_sql() -> str:
    # Fixed text: table names and a status from the models, nothing typed by a visitor.
    published = f"status = ''{Role.Status.PUBLISHED}''"
    roles = f"SELECT search_vector FROM {Role._meta.db_table} WHERE {published}"
    skills = f"SELECT search_vector FROM {Skill._meta.db_table}"
    return (
        "SELECT word, sum(ndoc)::integer FROM ("
        f"SELECT word, ndoc FROM ts_stat('{roles}') UNION ALL "
        f"SELECT word, ndoc FROM ts_stat('{skills}')"
        f") AS words WHERE length(word) >= {SHORTEST_CORRECTED} GROUP BY word"
    )


def build_vocabulary() -> Vocabulary:
    """The words of the index now, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_vocabulary_sql())
        rows = sorted(cursor.fetchall())
    return Vocabulary(
        words=tuple(word for word, _ in rows), records=tuple(records for _, records in rows)
    )


def vocabulary() -> Vocabulary:
    """The index's words for the catalogue as it is: from the cache, or built and cached."""
    number, _ = current_revision()
    return cache.get_or_set(f"search-words:{number}", build_vocabulary, VOCABULARY_SECONDS)


def correction(text: str) -> str | None:
    """``text`` as the visitor probably meant it, or None when there is nothing to correct.

    Each word the catalogue does not hold, not even as the start of a word, is replaced by
    the nearest word it holds; so is a word only a record or two hold when a near word is
    far commoner ("sofware engineer": ESCO misspells software once). Words are replaced
    where they stand, so the rest of ``text`` (its case, "C#") stays as typed. For searches
    that found nothing: a query count that depended on how much was found would depend on
    the catalogue's size."""
    words = vocabulary()
    replacements = {}
    for term in search_terms(text):
        if not allowed_edits(term) or term.isdigit():
            continue
        held_by = words.records_starting(term)
        if held_by > RARE:
            continue
        nearest = words.nearest(term)
        if nearest is None:
            continue
        word, records = nearest
        if not held_by or records >= MORE_COMMON * held_by:
            replacements[term] = word
    corrected = WORD.sub(lambda match: _replaced(match[0], replacements), text)
    return corrected if corrected != text else None


def _replaced(typed: str, replacements: dict[str, str]) -> str:
    """``typed``'s replacement, in its case: "Pyhton" becomes "Python", "PYHTON" "PYTHON"."""
    word = replacements.get(typed.lower())
    if word is None:
        return typed
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    return word.capitalize() if typed[0].isupper() else word


class SpellingSuggestionMixin:
    """For a filtered list whose text filter ``q`` found nothing: ``spelling_suggestion``,
    the text corrected, for includes/spelling_suggestion.html to offer ("Did you mean …?")
    with the page's other filters kept. Only when nothing was found, and the count is the
    paginator's own: no query unless a word needs correcting."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        text = filterset.form.cleaned_data.get("q") if filterset.is_valid() else ""
        paginator = context.get("paginator")
        found = paginator.count if paginator is not None else len(context["object_list"])
        context["spelling_suggestion"] = correction(text) if text and not found else None
        return context
