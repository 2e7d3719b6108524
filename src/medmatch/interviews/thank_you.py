"""A first draft of the thank-you note after an interview, for the student to edit and send
themselves (medmatch never sends anything). Built from the interview's facts and one specific
thing the student noted; where a fact is missing, a [bracketed] placeholder says what to fill in,
so nothing is made up."""

import re


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    return re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".!?")


def _names(interviewers: list[str]) -> str:
    if not interviewers:
        return "[interviewer's name]"
    if len(interviewers) == 1:
        return interviewers[0]
    return ", ".join(interviewers[:-1]) + " and " + interviewers[-1]


def draft_thank_you(interview, *, student_name: str) -> str:
    program = interview.application.program
    impression = getattr(interview, "impression", None)
    noted = _first_sentence(impression.notes if impression else "") or _first_sentence(
        interview.notes
    )
    specific = (
        f"One thing that stayed with me: {noted}."
        if noted
        else "One thing that stayed with me: [one specific thing from the day: a conversation, "
        "a teaching session, something a resident said]."
    )
    day = f"{interview.local_start.day} {interview.local_start:%B}"
    return "\n".join(
        [
            f"Dear {_names(interview.interviewer_names)},",
            "",
            f"Thank you for taking the time to speak with me on {day} about the "
            f"{program.title} program at {program.institution.name}.",
            "",
            f"{specific} It confirmed my interest in training with you, and [one sentence on "
            "how it fits your goals].",
            "",
            "I look forward to hearing from you.",
            "",
            "With best regards,",
            student_name or "[your name]",
        ]
    )
