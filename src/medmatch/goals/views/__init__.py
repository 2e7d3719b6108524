from medmatch.goals.views.questionnaire import answer_step, start_questionnaire
from medmatch.goals.views.recommendations import (
    explain_program,
    save_weights,
    show_recommendations,
)

__all__ = [
    "answer_step",
    "explain_program",
    "save_weights",
    "show_recommendations",
    "start_questionnaire",
]
