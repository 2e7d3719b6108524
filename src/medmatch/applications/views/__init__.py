"""Application pages, split by page. Every object is fetched with the helpers in ``common``:
another user's application or requirement is a 404 for everyone else, including an anonymous
visitor (never a login redirect that would confirm it exists)."""

from medmatch.applications.views.applications import (
    delete_application,
    edit_application,
    show_application,
    track_application,
)
from medmatch.applications.views.board import move_application, show_board, show_table
from medmatch.applications.views.calendar import calendar_feed, download_calendar, manage_calendar
from medmatch.applications.views.dashboard import show_next_steps
from medmatch.applications.views.requirements import (
    add_requirement,
    delete_requirement,
    edit_requirement,
    show_requirement,
    toggle_requirement,
)

__all__ = [
    "add_requirement",
    "calendar_feed",
    "delete_application",
    "delete_requirement",
    "download_calendar",
    "edit_application",
    "edit_requirement",
    "manage_calendar",
    "move_application",
    "show_application",
    "show_board",
    "show_next_steps",
    "show_requirement",
    "show_table",
    "toggle_requirement",
    "track_application",
]
