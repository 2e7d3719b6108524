"""Open questions: every unknown fact and every doubtful insight about a shortlisted program.

The questions are (re)generated when the student opens these pages — idempotently, so a GET
only ever adds the questions that are missing. A program's page is keyed by the shortlist item,
so another user's (or a stranger's) URL is a 404 like every other owned object.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from medmatch.lib.access import get_owned_or_404
from medmatch.research.fit import explain_program
from medmatch.research.forms.questions import AnswerForm
from medmatch.research.models import OpenQuestion, ShortlistItem
from medmatch.research.services import (
    open_question_answer,
    open_question_reopen,
    open_questions_refresh,
)


def get_question(request, pk: int) -> OpenQuestion:
    return get_owned_or_404(
        OpenQuestion.objects.select_related("program__institution"), request.user, pk=pk
    )


def _questions_url(question: OpenQuestion) -> str:
    item = ShortlistItem.objects.filter(student=question.student, program=question.program).first()
    if item is None:
        return reverse("research:questions")
    return f"{reverse('research:program_questions', args=[item.pk])}#question-{question.pk}"


@login_required
@require_GET
def list_open_questions(request):
    open_questions_refresh(student=request.user)
    items = (
        ShortlistItem.objects.for_student(request.user)
        .with_program()
        .sorted_by(ShortlistItem.Sort.NAME)
    )
    counts = {
        row["program"]: row
        for row in OpenQuestion.objects.for_student(request.user)
        .values("program")
        .annotate(
            open=Count("pk", filter=Q(answered=False)),
            answered=Count("pk", filter=Q(answered=True)),
        )
    }
    rows = [(item, counts.get(item.program_id, {"open": 0, "answered": 0})) for item in items]
    return render(request, "research/questions.html", {"rows": rows})


@require_GET
def show_program_questions(request, pk: int):
    item = get_owned_or_404(ShortlistItem.objects.with_program(), request.user, pk=pk)
    open_questions_refresh(student=request.user, programs=[item.program])
    questions = OpenQuestion.objects.for_student(request.user).filter(program=item.program)
    forms = [AnswerForm(question=q) for q in questions.select_related("program", "insight")]
    context = {
        "item": item,
        "program": item.program,
        "forms": forms,
        "explanation": explain_program(request.user, item.program),
    }
    return render(request, "research/program_questions.html", context)


@require_POST
def answer_question(request, pk: int):
    question = get_question(request, pk)
    form = AnswerForm(request.POST, question=question)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_questions_url(question))
    open_question_answer(question=question, answer=form.cleaned_data["answer"], value=form.value())
    messages.success(request, "Saved your answer; it now counts as your own information.")
    return redirect(_questions_url(question))


@require_POST
def reopen_question(request, pk: int):
    question = get_question(request, pk)
    open_question_reopen(question=question)
    messages.success(request, "The question is open again; your answer no longer counts.")
    return redirect(_questions_url(question))
