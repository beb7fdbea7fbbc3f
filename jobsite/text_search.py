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
"""

import re
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.exceptions import ValidationError
from django.db.models import Func, TextField, Value
from django.db.models.functions import Coalesce

MAX_QUERY_LENGTH = 200

# What the query side counts as a word: a run of letters or digits (not underscores).
WORD = re.compile(r"[^\W_]+")
CONFIGURATIONS = ("english", "simple")


# Text into vectors --------------------------------------------------------------------------


def _words_only(expression):
    """``expression`` as text with ASCII punctuation turned into spaces, like the query side."""
    return Func(
        Coalesce(expression, Value(""), output_field=TextField()),
        Value("[[:punct:]]+"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def document(*expressions, weight: str) -> SearchVector:
    """``expressions`` as one weighted tsvector, stemmed (english) and as typed (simple)."""
    words = [_words_only(expression) for expression in expressions]
    english, simple = (
        SearchVector(*words, config=config, weight=weight) for config in CONFIGURATIONS
    )
    return english + simple


# Typed words into queries -------------------------------------------------------------------


def search_terms(text: str) -> list[str]:
    """The distinct words in ``text``, lower-cased, in order; punctuation is dropped."""
    return list(dict.fromkeys(word.lower() for word in WORD.findall(text)))


def require_words(text: str) -> None:
    """Refuse text with no word to search for, such as "!!!" or "&|:*"."""
    if not search_terms(text):
        raise ValidationError(
            "Try words: the search looks for words made of letters or numbers, and this has none.",
            code="no_words",
        )


def search_query(text: str, *, prefixes: bool = True) -> SearchQuery | None:
    """A query matching documents that contain every word of ``text`` as a prefix ("backe"
    finds "backend"), stemmed or as typed; None when ``text`` has no words. Without
    ``prefixes``, every word whole ("app" is not "apparel"): for ranking whole words first.

    The tsquery syntax is built here from words of letters and digits only, and each word
    travels to PostgreSQL as a parameter: nothing the visitor types is read as an operator."""
    terms = search_terms(text)
    if not terms:
        return None
    return reduce(
        and_,
        (
            reduce(
                or_,
                (
                    SearchQuery(f"{term}:*" if prefixes else term, config=config, search_type="raw")
                    for config in CONFIGURATIONS
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
