"""The catalogue as versioned YAML files (``content/``): loaded by ``load_catalogue``,
written back by ``export_catalogue``. The format is in format.py, which both directions read."""

from .exporting import ExportReport, export_catalogue
from .format import DEFAULT_DIRECTORY, CatalogueError
from .loading import LoadReport, load_catalogue

__all__ = [
    "DEFAULT_DIRECTORY",
    "CatalogueError",
    "ExportReport",
    "LoadReport",
    "export_catalogue",
    "load_catalogue",
]
