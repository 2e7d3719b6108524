"""The interviews part of the account archive (``accounts.archive``): the student's own
questions, practice attempts (at their own questions or the bank's, named by the bank's key),
and interviews with their impressions. Reminders already sent are this server's bookkeeping."""

from medmatch.accounts.archive import ArchiveError, create, fields_in, fields_out, rows
from medmatch.interviews.models import Impression, Interview, PracticeAttempt, Question

QUESTION = ("category", "text", "source_label", "source_urls", "created_at")
ATTEMPT = (
    "practised_at",
    "seconds_taken",
    "time_limit_seconds",
    "answer",
    "notes",
    "feedback",
    "score",
)
INTERVIEW = (
    "starts_at",
    "time_zone",
    "duration_minutes",
    "format",
    "place",
    "city",
    "latitude",
    "longitude",
    "link",
    "interviewers",
    "notes",
    "thank_you_note",
    "created_at",
    "updated_at",
)
IMPRESSION = ("notes", "updated_at")


def export(user, context) -> dict:
    questions = Question.objects.filter(student=user).order_by("created_at", "pk")
    questions_out = [
        fields_out(question, QUESTION) | {"key": context.key("question", question)}
        for question in questions
    ]
    attempts = (
        PracticeAttempt.objects.for_student(user)
        .select_related("question")
        .order_by("practised_at", "pk")
    )
    interviews = (
        Interview.objects.for_student(user)
        .select_related("impression")
        .order_by("starts_at", "created_at", "pk")
    )
    return {
        "questions": questions_out,
        "practice_attempts": [
            fields_out(attempt, ATTEMPT)
            | (
                {"question": context.key_of("question", attempt.question_id)}
                if attempt.question.student_id
                else {"bank_question": attempt.question.key}
            )
            for attempt in attempts
        ],
        "interviews": [
            fields_out(interview, INTERVIEW)
            | {
                "application": context.key_of("application", interview.application_id),
                "impression": _impression(interview),
            }
            for interview in interviews
        ],
    }


def _impression(interview) -> dict | None:
    try:
        return fields_out(interview.impression, IMPRESSION)
    except Impression.DoesNotExist:
        return None


def import_(user, data: dict, context) -> None:
    part = "account.json interviews"
    for row, where in rows(data, "questions", part):
        question = create(Question, where, fields_in(Question, row, QUESTION, where), student=user)
        context.remember(row.get("key"), question, where)
    for row, where in rows(data, "practice_attempts", part):
        if "bank_question" in row:
            question = Question.objects.filter(student=None, key=row["bank_question"]).first()
            if question is None or not row["bank_question"]:
                raise ArchiveError(
                    f"{where}.bank_question",
                    f"{row['bank_question']!r} is not in this server's question bank",
                )
        else:
            question = context.get(row.get("question"), "question", f"{where}.question")
        create(
            PracticeAttempt,
            where,
            fields_in(PracticeAttempt, row, ATTEMPT, where),
            student=user,
            question=question,
        )
    for row, where in rows(data, "interviews", part):
        application = context.get(row.get("application"), "application", f"{where}.application")
        interview = create(
            Interview, where, fields_in(Interview, row, INTERVIEW, where), application=application
        )
        if row.get("impression") is not None:
            at = f"{where}.impression"
            create(
                Impression,
                at,
                fields_in(Impression, row["impression"], IMPRESSION, at),
                interview=interview,
            )
