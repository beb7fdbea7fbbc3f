"""Which ESCO versions a page's (or an API answer's, or an export's) records came from: the
attribution ESCO's licence asks for names them wherever its content is shown."""

from collections.abc import Iterable

from .importing import ATTRIBUTION

__all__ = ["ATTRIBUTION", "esco_versions"]


def esco_versions(*shown) -> list[str]:
    """The ESCO versions of the records ``shown`` (records, or iterables of them), sorted;
    empty when none came from ESCO. Reads only fields the records hold: no query."""
    return sorted(
        {
            record.esco_version
            for records in shown
            for record in (records if isinstance(records, Iterable) else [records])
            if getattr(record, "esco_version", "")
        }
    )
