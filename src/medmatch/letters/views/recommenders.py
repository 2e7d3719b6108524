"""The letters overview and the recommenders' pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.letters.forms import RecommenderForm
from medmatch.letters.models import Recommender
from medmatch.letters.planning import (
    STATE_LABELS,
    coverage,
    dashboard_panel_context,
    plan_for,
    requests_with_applications,
    today,
)
from medmatch.letters.services import TermsFixedError, recommender_save
from medmatch.letters.views.common import get_recommender


@login_required
@require_GET
def show_letters(request):
    on = today()
    letter_requests = list(requests_with_applications(request.user))
    context = {
        "recommenders": Recommender.objects.for_student(request.user).select_related("specialty"),
        "rows": [
            (r, plan, STATE_LABELS[plan.state])
            for r, plan in ((r, plan_for(r, on)) for r in letter_requests)
        ],
        "coverage": coverage(request.user),
        **dashboard_panel_context(request.user, on),
    }
    return render(request, "letters/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create_recommender(request):
    form = RecommenderForm(request.POST or None)
    if form.is_valid():
        form.instance.student = request.user
        recommender = form.save()
        messages.success(request, f"Added {recommender.name}. Now ask them for a letter.")
        return redirect(f"{reverse('letters:request_create')}?recommender={recommender.pk}")
    return render(request, "letters/recommender_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def edit_recommender(request, pk: int):
    recommender = get_recommender(request, pk)
    form = RecommenderForm(request.POST or None, instance=recommender)
    if form.is_valid():
        try:
            recommender_save(recommender=form.save(commit=False))
        except TermsFixedError as error:  # a request to them was sent from another tab
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Saved {recommender.name}.")
            return redirect("letters:index")
    context = {"form": form, "recommender": recommender}
    return render(request, "letters/recommender_form.html", context)


@require_POST
def delete_recommender(request, pk: int):
    recommender = get_recommender(request, pk)
    if recommender.requests.exists():
        messages.error(
            request,
            f"{recommender.name} has letter requests; delete those first, so no letter is lost.",
        )
    else:
        recommender.delete()
        messages.success(request, f"Deleted {recommender.name}.")
    return redirect("letters:index")
