"""A first draft of the thank-you note after an interview, for the student to edit and send
themselves (medmatch never sends anything). Built only from what is meant to be said to the
program: the interviewers' names, the program, the day, and a topic the student typed for this
note. The student's private notes (the interview's notes, the impressions: "residents seemed
tired") never go into it. Where a fact is missing, a [bracketed] placeholder says what to fill in,
so nothing is made up."""


def _names(interviewers: list[str]) -> str:
    if not interviewers:
        return "[interviewer's name]"
    if len(interviewers) == 1:
        return interviewers[0]
    return ", ".join(interviewers[:-1]) + " and " + interviewers[-1]


def draft_thank_you(interview, *, student_name: str, topic: str = "") -> str:
    """The draft for ``interview``; ``topic`` is the one thing the student chose to mention to
    the program (typed for this note), never taken from their private notes."""
    program = interview.application.program
    topic = " ".join(topic.split()).rstrip(".!?")
    specific = (
        f"One thing that stayed with me: {topic}."
        if topic
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
