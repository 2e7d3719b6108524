from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from medmatch.catalog.models import Institution, Program, Source
from medmatch.goals.models import GoalProfile


def home(request):
    counts = {
        "programs": Program.objects.count(),
        "institutions": Institution.objects.count(),
        "sources": Source.objects.count(),
    }
    return render(request, "home.html", {"counts": counts})


@require_GET
@login_required
def start(request):
    """Where log-in and a confirmed sign-up land: the student's next step, never the account page
    (beside "Delete my account"). No goals yet: the questionnaire; else the recommendations."""
    profile = GoalProfile.objects.filter(student=request.user).first()
    if profile is None or not profile.has_answers:
        return redirect("goals:questionnaire")
    return redirect("goals:recommendations")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page links: send them to the static
    icon (its name carries a content hash in production, so the redirect is not permanent)."""
    return redirect(static("img/favicon.ico"))
