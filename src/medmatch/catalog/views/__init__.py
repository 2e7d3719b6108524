"""Catalog pages, one module per kind of page."""

from medmatch.catalog.views.compare import compare_programs
from medmatch.catalog.views.details import show_institution, show_program
from medmatch.catalog.views.lists import list_institutions, list_programs
from medmatch.catalog.views.sources import list_sources

__all__ = [
    "compare_programs",
    "list_institutions",
    "list_programs",
    "list_sources",
    "show_institution",
    "show_program",
]
