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
from medmatch.applications.views.cv import (
    add_cv_entry,
    change_tailored_cv,
    delete_cv_entry,
    download_cv,
    download_tailored_cv,
    edit_cv_entry,
    move_cv_entry,
    show_cv,
    show_tailored_cv,
)
from medmatch.applications.views.dashboard import show_next_steps
from medmatch.applications.views.requirements import (
    add_requirement,
    delete_requirement,
    edit_requirement,
    show_requirement,
    toggle_requirement,
)
from medmatch.applications.views.statements import (
    analyze_statement,
    create_statement,
    delete_statement,
    edit_statement,
    list_statements,
    restore_version,
    show_diff,
    show_versions,
    start_application_statement,
)

__all__ = [
    "add_cv_entry",
    "add_requirement",
    "analyze_statement",
    "calendar_feed",
    "change_tailored_cv",
    "create_statement",
    "delete_application",
    "delete_cv_entry",
    "delete_requirement",
    "delete_statement",
    "download_calendar",
    "download_cv",
    "download_tailored_cv",
    "edit_application",
    "edit_cv_entry",
    "edit_requirement",
    "edit_statement",
    "list_statements",
    "manage_calendar",
    "move_application",
    "move_cv_entry",
    "restore_version",
    "show_application",
    "show_board",
    "show_cv",
    "show_diff",
    "show_next_steps",
    "show_requirement",
    "show_table",
    "show_tailored_cv",
    "show_versions",
    "start_application_statement",
    "toggle_requirement",
    "track_application",
]
