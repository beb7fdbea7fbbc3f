"""The catalogue as versioned YAML files (``content/``): loaded by ``load_catalogue``,
written back by ``export_catalogue``. The format is in format.py, which both directions read."""

from .exporting import ExportReport, export_catalogue
from .format import DEFAULT_DIRECTORY, CatalogueError
from .loading import LoadReport, load_catalogue
from .reading import MAX_FILE_BYTES

__all__ = [
    "DEFAULT_DIRECTORY",
    "CatalogueError",
    "ExportReport",
    "MAX_FILE_BYTES",
    "LoadReport",
    "export_catalogue",
    "load_catalogue",
]
