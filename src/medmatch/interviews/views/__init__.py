"""The interview pages, one module per part: questions (and the overview), practice, schedule."""

from medmatch.interviews.views.practice import (
    delete_attempt,
    practise_question,
    show_attempt,
    show_progress,
)
from medmatch.interviews.views.questions import (
    delete_question,
    edit_question,
    list_questions,
    show_index,
)
from medmatch.interviews.views.schedule import (
    add_interview,
    delete_interview,
    download_interviews,
    edit_interview,
    edit_thank_you,
    record_impression,
    show_interview,
    show_schedule,
)

__all__ = [
    "add_interview",
    "delete_attempt",
    "delete_interview",
    "delete_question",
    "download_interviews",
    "edit_interview",
    "edit_question",
    "edit_thank_you",
    "list_questions",
    "practise_question",
    "record_impression",
    "show_attempt",
    "show_index",
    "show_interview",
    "show_progress",
    "show_schedule",
]
