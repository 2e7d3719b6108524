"""Research pages, one module per page group: the shortlist, contacts and conversations, open
questions, reviews and the program briefing."""

from medmatch.research.views.briefing import download_briefing_pdf, show_briefing
from medmatch.research.views.contacts import (
    add_contact,
    add_conversation,
    delete_contact,
    delete_conversation,
    edit_contact,
    edit_conversation,
    finish_follow_up,
    list_contacts,
    show_contact,
)
from medmatch.research.views.questions import (
    answer_question,
    list_open_questions,
    reopen_question,
    show_program_questions,
)
from medmatch.research.views.reviews import write_review
from medmatch.research.views.shortlist import (
    add_to_shortlist,
    compare_shortlisted,
    edit_shortlist_item,
    remove_from_shortlist,
    show_shortlist,
    show_shortlist_item,
)

__all__ = [
    "add_contact",
    "add_conversation",
    "add_to_shortlist",
    "answer_question",
    "compare_shortlisted",
    "delete_contact",
    "delete_conversation",
    "download_briefing_pdf",
    "edit_contact",
    "edit_conversation",
    "edit_shortlist_item",
    "finish_follow_up",
    "list_contacts",
    "list_open_questions",
    "remove_from_shortlist",
    "reopen_question",
    "show_briefing",
    "show_contact",
    "show_program_questions",
    "show_shortlist",
    "show_shortlist_item",
    "write_review",
]
