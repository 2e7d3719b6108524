"""The goals questionnaire: a few short steps, each saved on its own and editable any time."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from medmatch.fit import GoalsError
from medmatch.goals.fitting import specialty_key_choices
from medmatch.goals.forms import STEP_SLUGS, STEPS
from medmatch.goals.models import GoalProfile


def _my_profile(user, *, lock: bool = False) -> GoalProfile:
    # The goals are a one-to-one "mine" object: there is no URL with another student's id.
    queryset = GoalProfile.objects.for_student(user)
    if lock:
        queryset = queryset.select_for_update()
    profile = queryset.first()
    return profile or GoalProfile(student=user)


def _step_forms(step_forms, profile, data=None):
    choices = specialty_key_choices()
    forms = []
    for form_class in step_forms:
        kwargs = {"answer": profile.data.get(form_class.question)}
        if form_class.question in ("specialties", "residency"):
            kwargs["specialty_choices"] = choices
        forms.append(form_class(data, **kwargs))
    return forms


def _attach_goals_error(forms, error: GoalsError) -> None:
    question = error.field.split(".")[0].split("[")[0]
    for form in forms:
        if form.question == question:
            form.add_error(None, f"{form.title}: {error.reason}")
            return
    forms[0].add_error(None, str(error))


@login_required
@require_GET
def start_questionnaire(request):
    profile = _my_profile(request.user)
    for slug in STEP_SLUGS:
        if slug not in profile.completed_steps:
            return redirect("goals:step", step=slug)
    return redirect("goals:step", step=STEP_SLUGS[0])


@login_required
@require_http_methods(["GET", "POST"])
def answer_step(request, step):
    if step not in STEP_SLUGS:
        raise Http404("No such step.")
    number = STEP_SLUGS.index(step)
    slug, title, form_classes = STEPS[number]
    with transaction.atomic():
        profile = _my_profile(request.user, lock=request.method == "POST")
        forms = _step_forms(form_classes, profile, request.POST or None)
        if request.method == "POST" and all(form.is_valid() for form in forms):
            try:
                answers = {form.question: form.to_answer() for form in forms}
                profile.save_answers(answers, step=slug)
            except GoalsError as error:
                _attach_goals_error(forms, error)
            else:
                return _after_save(request, number)
    context = {
        "steps": [(s, t, s in profile.completed_steps) for s, t, _ in STEPS],
        "step": slug,
        "step_title": title,
        "number": number + 1,
        "count": len(STEPS),
        "forms": forms,
        "previous": STEP_SLUGS[number - 1] if number else None,
        "is_last": number == len(STEPS) - 1,
        "has_goals": profile.pk is not None and profile.has_answers,
    }
    return render(request, "goals/questionnaire.html", context)


def _after_save(request, number):
    if "finish" in request.POST or number == len(STEPS) - 1:
        target = reverse("goals:recommendations")
    else:
        target = reverse("goals:step", kwargs={"step": STEP_SLUGS[number + 1]})
    return redirect(target)
