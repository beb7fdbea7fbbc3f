"""The ESCO classification, read from the Commission's download and imported as roles,
skills and families (importing.py); the files themselves are never kept in the project."""

from .files import EscoError, EscoFiles
from .importing import ATTRIBUTION, ImportReport, import_esco

__all__ = ["ATTRIBUTION", "EscoError", "EscoFiles", "ImportReport", "import_esco"]
