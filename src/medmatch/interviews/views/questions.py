"""The interviews overview and the question bank: built-in topics with their sources, and the
student's own questions."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from medmatch.interviews.forms import QuestionForm
from medmatch.interviews.models import PracticeAttempt, Question
from medmatch.interviews.views.common import (
    conflicts_by_interview,
    current_interviews,
    get_own_question,
    now,
)


@login_required
@require_GET
def show_index(request):
    interviews = current_interviews(request.user)
    conflicts, _ = conflicts_by_interview(interviews)
    upcoming = [interview for interview in interviews if interview.ends_at >= now()]
    attempts = PracticeAttempt.objects.for_student(request.user).select_related("question")
    context = {
        "upcoming": upcoming[:5],
        "conflicts": conflicts,
        "recent_attempts": attempts[:5],
        "attempt_count": attempts.count(),
    }
    return render(request, "interviews/index.html", context)


def _bank_context(user, form) -> dict:
    questions = Question.objects.visible_to(user).order_by("category", "key", "pk")
    labels = dict(Question.Category.choices)
    order = list(labels)
    questions = sorted(questions, key=lambda q: (order.index(q.category), q.key or "~", q.pk))
    groups = [
        (category, labels[category], list(items))
        for category, items in groupby(questions, key=lambda q: q.category)
    ]
    return {"groups": groups, "form": form}


@login_required
@require_http_methods(["GET", "POST"])
def list_questions(request):
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        question = form.save(commit=False)
        question.student = request.user
        question.save()
        messages.success(request, "Added your question to the bank.")
        return redirect(f"{request.path}#question-{question.pk}")
    return render(request, "interviews/questions.html", _bank_context(request.user, form))


@require_http_methods(["GET", "POST"])
def edit_question(request, pk: int):
    question = get_own_question(request, pk)
    form = QuestionForm(request.POST if request.method == "POST" else None, instance=question)
    if form.is_valid():
        form.save()
        messages.success(request, "Saved your question.")
        return redirect("interviews:questions")
    return render(request, "interviews/question_edit.html", {"question": question, "form": form})


@require_http_methods(["GET", "POST"])
def delete_question(request, pk: int):
    question = get_own_question(request, pk)
    if request.method == "GET":
        context = {"question": question, "attempts": question.attempts.count()}
        return render(request, "interviews/question_delete.html", context)
    question.delete()  # its practice attempts go with it
    messages.success(request, "Deleted your question and its practice attempts.")
    return redirect("interviews:questions")
