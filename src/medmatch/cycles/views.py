"""The practice match's pages: the start page with past runs, the list builder, a run's result
with its lessons, and deleting a run. Every run is the student's own (``get_practice_run``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.catalog.models import Specialty
from medmatch.cycles.forms import CoupleListForm, MarketForm, RankListForm
from medmatch.cycles.models import PracticeRun
from medmatch.cycles.presenters import hand_made_lists, run_context
from medmatch.cycles.selectors import default_specialty
from medmatch.cycles.services import market_outline, new_seed, practice_run_create
from medmatch.lib.access import get_owned_or_404


def get_practice_run(request, pk: int) -> PracticeRun:
    return get_owned_or_404(PracticeRun, request.user, pk=pk)


def _start_page(request, form, status=200):
    runs = PracticeRun.objects.for_student(request.user).select_related("specialty")[:50]
    return render(request, "cycles/practice.html", {"form": form, "runs": runs}, status=status)


@login_required
@require_GET
def show_practice(request):
    specialty = default_specialty(request.user)
    initial = {"market": PracticeRun.Market.HAND_MADE, "specialty": specialty and specialty.pk}
    return _start_page(request, MarketForm(initial=initial))


@login_required
@require_http_methods(["GET", "POST"])
def build_practice_list(request):
    data = request.POST if request.method == "POST" else request.GET
    market_form = MarketForm(data)
    if not market_form.is_valid():
        return _start_page(request, market_form, status=400)
    setting = dict(market_form.cleaned_data)
    setting["specialty"] = Specialty.objects.filter(pk=setting["specialty"]).first()
    setting["seed"] = setting["seed"] or new_seed()
    programs, notes = market_outline(
        market=setting["market"],
        specialty=setting["specialty"],
        couple=setting["couple"],
        seed=setting["seed"],
    )
    list_class = CoupleListForm if setting["couple"] else RankListForm
    list_form = list_class(programs, request.POST if request.method == "POST" else None)
    if list_form.is_valid():
        ranking = list_form.cleaned_data["rows" if setting["couple"] else "ranking"]
        outline = (programs, notes)
        run = practice_run_create(student=request.user, ranking=ranking, outline=outline, **setting)
        return redirect(run)
    context = {"setting": setting, "programs": programs, "notes": notes, "list_form": list_form}
    if setting["market"] == PracticeRun.Market.HAND_MADE:
        context["hand_made"] = hand_made_lists(couple=setting["couple"])
    return render(request, "cycles/practice_new.html", context)


@require_GET
def show_practice_run(request, pk: int):
    run = get_practice_run(request, pk)
    return render(request, "cycles/practice_run.html", run_context(run))


@require_POST
def delete_practice_run(request, pk: int):
    run = get_practice_run(request, pk)
    run.delete()
    messages.success(request, "Deleted the practice run.")
    return redirect("cycles:practice")


# The practice match, for students.
urlpatterns = [
    path("practice/", show_practice, name="practice"),
    path("practice/new/", build_practice_list, name="practice_new"),
    path("practice/<int:pk>/", show_practice_run, name="practice_run"),
    path("practice/<int:pk>/delete/", delete_practice_run, name="practice_delete"),
]
