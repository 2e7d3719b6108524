"""The "what is next" list across all of a student's applications."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from medmatch.applications.extensions import dashboard_context
from medmatch.applications.models import Application
from medmatch.applications.next_steps import next_steps
from medmatch.applications.views.common import today


@login_required
@require_GET
def show_next_steps(request):
    applications = (
        Application.objects.for_student(request.user)
        .with_program()
        .prefetch_related("requirements")
    )
    steps = next_steps(applications, today())
    context = {
        "overdue": [step for step in steps if step.urgency == "overdue"],
        "soon": [step for step in steps if step.urgency == "soon"],
        "later": [step for step in steps if step.urgency == "next"],
        "total": len(applications),
        "today": today(),
        # What other apps add (letters: late and at-risk requests), registered in their ready().
        **dashboard_context(request.user, today()),
    }
    return render(request, "applications/dashboard.html", context)
