"""Timed practice: answer a question against the clock, rate yourself, read the checker's
feedback; and progress over time."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.interviews.forms import PracticeForm
from medmatch.interviews.models import PracticeAttempt
from medmatch.interviews.views.common import get_attempt, get_question_to_practise


@require_http_methods(["GET", "POST"])
def practise_question(request, pk: int):
    question = get_question_to_practise(request, pk)
    form = PracticeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        attempt = form.save(commit=False)
        attempt.student, attempt.question = request.user, question
        attempt.run_check()
        attempt.save()
        messages.success(request, "Saved this practice attempt.")
        return redirect(attempt)
    previous = PracticeAttempt.objects.for_student(request.user).filter(question=question)
    context = {"question": question, "form": form, "previous": previous[:5]}
    return render(request, "interviews/practice.html", context)


@require_GET
def show_attempt(request, pk: int):
    attempt = get_attempt(request, pk)
    return render(request, "interviews/attempt.html", {"attempt": attempt})


@require_POST
def delete_attempt(request, pk: int):
    attempt = get_attempt(request, pk)
    attempt.delete()
    messages.success(request, "Deleted the practice attempt.")
    return redirect("interviews:progress")


def progress_data(attempts) -> dict:
    """Chart data in time order: the mean self-rating (1 to 5) and the checker's score (0 to 100)
    per
    attempt; None where unknown (not rated, nothing to check), which the chart leaves as a gap."""
    return {
        "labels": [f"{a.practised_at:%d %b} #{n}" for n, a in enumerate(attempts, start=1)],
        "self_rating": [a.mean_self_rating for a in attempts],
        "score": [a.score for a in attempts],
    }


@login_required
@require_GET
def show_progress(request):
    attempts = list(
        PracticeAttempt.objects.for_student(request.user)
        .select_related("question")
        .order_by("practised_at", "pk")
    )
    context = {"attempts": attempts, "chart": progress_data(attempts)}
    return render(request, "interviews/progress.html", context)
