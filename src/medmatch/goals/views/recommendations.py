"""The recommendations page, its "what if" weights and "why not this one?"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from medmatch.catalog.search import ProgramQuery, search_programs
from medmatch.fit import GoalsError
from medmatch.goals.fitting import catalog_features, rank_for_user, rank_goals, student_facts
from medmatch.goals.models import GoalProfile
from medmatch.goals.recommendations import (
    RecommendationForm,
    WeightsForm,
    WhyNotForm,
    explained_programs,
    recommendation_page,
)

WHY_NOT_RESULTS = 5
LIST_FILTERS = ("specialty", "country", "program_type")


def _saved_goals(user) -> dict | None:
    profile = GoalProfile.objects.for_student(user).first()
    return profile.data if profile is not None and profile.has_answers else None


@login_required
@require_GET
def show_recommendations(request):
    saved = _saved_goals(request.user)
    if saved is None:
        if GoalProfile.objects.for_student(request.user).exists():
            # Every step saved with nothing chosen: the ticks say "visited", so say what is
            # missing rather than send the student round the same six steps again.
            messages.info(
                request,
                "You went through the steps without choosing anything, so there is nothing to "
                "rank by yet: choose at least one answer (for example a specialty) and save.",
            )
        else:
            messages.info(
                request, "Tell us what you want first: the list is built from your goals."
            )
        return redirect("goals:questionnaire")
    form = RecommendationForm(request.GET, features=catalog_features(), saved=saved)
    filters = form.cleaned_data if form.is_valid() else {}
    # The student's own answers to open questions fill facts the catalog does not know.
    ranking = rank_goals(saved, form.overrides() if filters else None, student_facts(request.user))
    page = recommendation_page(ranking, filters, filters.get("page") or 1)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "ranking": ranking,
        "overrides": form.overrides() if filters else {},
        "list_filters": {k: filters[k] for k in LIST_FILTERS if filters.get(k)},
        "querystring": params.urlencode(),
    }
    # Only the list's own htmx requests get the list alone; a boosted navigation (the
    # questionnaire's redirect here) needs the whole page.
    partial = request.htmx and request.htmx.target == "results"
    template = "goals/_results.html" if partial else "goals/recommendations.html"
    return render(request, template, context)


@login_required
@require_POST
def save_weights(request):
    with transaction.atomic():
        profile = GoalProfile.objects.for_student(request.user).select_for_update().first()
        if profile is None:
            return redirect("goals:questionnaire")
        form = WeightsForm(request.POST, saved=profile.data)
        problem = None if form.is_valid() else form.error_text()
        if problem is None:
            try:
                profile.save_answers(form.answers())
            except GoalsError as error:
                problem = str(error)
        if problem:
            messages.error(request, f"The weights were not saved: {problem}")
        else:
            messages.success(request, "Your new weights are saved.")
    filters = QueryDict(mutable=True)
    for name in LIST_FILTERS:
        if request.POST.get(name):
            filters[name] = request.POST[name]
    url = reverse("goals:recommendations")
    return redirect(f"{url}?{filters.urlencode()}" if filters else url)


@login_required
@require_GET
def explain_program(request):
    form = WhyNotForm(request.GET)
    form.is_valid()  # a bad ?program= leaves ?q= usable: cleaned_data keeps the valid fields
    text, program = form.cleaned_data.get("q", ""), form.cleaned_data.get("program")
    ranking = rank_for_user(request.user)
    results, total = [], 0
    if ranking is not None and program:
        results = explained_programs(ranking, [program])
        total = len(results)
    elif ranking is not None and text:
        found = search_programs(ProgramQuery(q=text, page_size=WHY_NOT_RESULTS))
        total = found.total
        results = explained_programs(ranking, [hit.obj.pk for hit in found.page.object_list])
    context = {"q": text, "results": results, "total": total, "has_goals": ranking is not None}
    partial = request.htmx and request.htmx.target == "why-not-result"
    template = "goals/_why_not.html" if partial else "goals/why_not.html"
    return render(request, template, context)
