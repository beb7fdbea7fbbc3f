"""PostgreSQL full-text search as the site uses it, with core text search only: how text
becomes a weighted vector, and how the words a visitor types become a query.

Both sides live here so that they split words the same way, and low enough in the layout
that a model can declare a vector as a ``GeneratedField`` (``skills.models.Skill``) while
the catalogue app builds the ones that span several tables (``catalogue.search``).

Every part is indexed twice: with the ``english`` configuration, so that "developers" finds
"developer", and with ``simple``, so that a prefix the English stemmer would mangle
("engineeri" is not a prefix of the stem "engin") still finds "engineering". Punctuation is
turned into spaces first, the way the query side splits words, so that "Node.js" is found by
"node js" and by "js" as well as by "node". Every function used is immutable, as a generated
column requires.

PostgreSQL's parser drops the marks that make some technical names what they are ("C#" and
"C++" would both be "c", ".NET" would be "net"), so before anything else both sides spell
such names out as one word (SPELLED_OUT): "c#" is "csharp", "c++" "cplusplus", ".NET" and
"ASP.NET" hold "dotnet", "Node.js" holds "nodejs" besides "node" and "js".
"""

import re
from contextlib import contextmanager
from functools import cached_property, reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorExact
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import Func, QuerySet, TextField, Value
from django.db.models.functions import Coalesce

MAX_QUERY_LENGTH = 200

# What the query side counts as a word: a run of letters or digits (not underscores).
WORD = re.compile(r"[^\W_]+")
CONFIGURATIONS = ("english", "simple")

# Technical names the parser would break, as (pattern, replacement), applied in this order
# and ignoring case, by Python (re) to typed words and by PostgreSQL (regexp_replace) to
# stored text: the patterns use only what both dialects read alike.
SPELLED_OUT = (
    # "C#", "F#", never "issue#": a single letter standing alone before the sign.
    (r"(?<![a-z0-9])([a-z])#", r"\1sharp"),
    # "C++", "C++17", "Notepad++".
    (r"([a-z0-9])\+\+", r"\1plusplus"),
    # ".NET", "ASP.NET", "VB.NET": the platform, one word that also stands alone.
    (r"\.net(?![a-z0-9])", " dotnet"),
    # "Node.js", "Vue.js": the joined name, and its parts as the punctuation leaves them.
    (r"([a-z0-9]+)\.js(?![a-z0-9])", r"\1js \1 js"),
)


def spelled_out(text: str) -> str:
    """``text`` with the technical names of SPELLED_OUT written as the index holds them."""
    for pattern, replacement in SPELLED_OUT:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return text


# Text into vectors --------------------------------------------------------------------------


def _regexp_replace(expression, pattern: str, replacement: str, flags: str) -> Func:
    return Func(
        expression,
        Value(pattern),
        Value(replacement),
        Value(flags),
        function="regexp_replace",
        output_field=TextField(),
    )


def _words_only(expression):
    """``expression`` as text with the names of SPELLED_OUT spelled out and ASCII
    punctuation turned into spaces, like the query side."""
    text = Coalesce(expression, Value(""), output_field=TextField())
    for pattern, replacement in SPELLED_OUT:
        text = _regexp_replace(text, pattern, replacement, "gi")
    return _regexp_replace(text, "[[:punct:]]+", " ", "g")


def document(*expressions, weight: str) -> SearchVector:
    """``expressions`` as one weighted tsvector, stemmed (english) and as typed (simple)."""
    words = [_words_only(expression) for expression in expressions]
    english, simple = (
        SearchVector(*words, config=config, weight=weight) for config in CONFIGURATIONS
    )
    return english + simple


# Typed words into queries -------------------------------------------------------------------


def search_terms(text: str) -> list[str]:
    """The distinct words in ``text``, lower-cased, in order, as the index holds them:
    technical names spelled out ("c#" is "csharp"), other punctuation dropped."""
    return list(dict.fromkeys(word.lower() for word in WORD.findall(spelled_out(text))))


def require_words(text: str) -> None:
    """Refuse text with no word to search for, such as "!!!" or "&|:*"."""
    if not search_terms(text):
        raise ValidationError(
            "Try words: the search looks for words made of letters or numbers, and this has none.",
            code="no_words",
        )


def search_query(
    text: str, *, prefixes: bool = True, weights: str = "", stemmed: bool = True
) -> SearchQuery | None:
    """A query matching documents that contain every word of ``text`` as a prefix ("backe"
    finds "backend"), stemmed or as typed; None when ``text`` has no words. Without
    ``prefixes``, every word whole ("app" is not "apparel"): for ranking whole words first.
    With ``weights`` ("AB"), only in the parts of the document given those weights; without
    ``stemmed``, only as typed (a suggestion box: the stem of "aws" is "aw", as in "award").

    The tsquery syntax is built here from words of letters and digits only, and each word
    travels to PostgreSQL as a parameter: nothing the visitor types is read as an operator."""
    terms = search_terms(text)
    if not terms:
        return None
    # "backe:*", "backe:*AB", "backend:AB" or plain "backend".
    label = ("*" if prefixes else "") + weights
    return reduce(
        and_,
        (
            reduce(
                or_,
                (
                    SearchQuery(
                        f"{term}:{label}" if label else term, config=config, search_type="raw"
                    )
                    for config in (CONFIGURATIONS if stemmed else ("simple",))
                ),
            )
            for term in terms
        ),
    )


def matching(queryset, text: str):
    """The rows of ``queryset`` (roles or skills) whose ``search_vector`` matches ``text``;
    none when ``text`` has no words. Uses the GIN index on ``search_vector``."""
    query = search_query(text)
    if query is None:
        return queryset.none()
    return queryset.filter(search_vector=query)


# Reading matches --------------------------------------------------------------------------


@contextmanager
def through_the_index(using: str):
    """Queries run inside read rows matching a search vector through its GIN index, however
    many match.

    PostgreSQL's planner reads the whole table when a word is in a large share of the rows
    ("engineer" in 6,400 of 13,000 roles at ESCO plus 10,000 demo roles), pricing each row's
    test as one cheap operator; but each test must first fetch a vector of a few kilobytes
    stored out of line, and that takes 36 ms where the index takes 4. So whole-table reads
    are taken away from the planner inside, and given back before anything else runs in the
    transaction."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")


def matches_text(queryset) -> bool:
    """Whether ``queryset`` keeps only the rows whose search vector matches a query."""
    if not isinstance(queryset, QuerySet):
        return False
    nodes = [queryset.query.where]
    while nodes:
        node = nodes.pop()
        if isinstance(node, SearchVectorExact):
            return True
        nodes.extend(getattr(node, "children", ()))
    return False


class SearchPaginator(Paginator):
    """Django's paginator, counting a list filtered by words (``matching``) through the
    index: a list's count is where a common word cost most, 36 ms of a 46 ms page."""

    @cached_property
    def count(self) -> int:
        if not matches_text(self.object_list):
            return super().count
        with through_the_index(self.object_list.db):
            return self.object_list.count()
