"""The interview schedule: interviews per application with their clashes, the ICS download, and
after each interview the impressions and a thank-you note draft."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from medmatch.applications.models import Application
from medmatch.interviews.calendar import build_interview_calendar
from medmatch.interviews.forms import (
    ImpressionForm,
    InterviewForm,
    ScheduleFilterForm,
    ThankYouForm,
    ThankYouTopicForm,
)
from medmatch.interviews.models import Impression, Interview, Question
from medmatch.interviews.services import impression_record, interview_schedule
from medmatch.interviews.thank_you import draft_thank_you
from medmatch.interviews.views.common import (
    clashes_with,
    conflicts_by_interview,
    current_interviews,
    get_interview,
    now,
)
from medmatch.lib.access import get_owned_or_404
from medmatch.lib.downloads import private_download


@login_required
@require_GET
def show_schedule(request):
    application = None
    application_id = ScheduleFilterForm(request.GET).application_id()
    if application_id:
        application = get_owned_or_404(
            Application.objects.with_program(), request.user, pk=application_id
        )
    interviews = Interview.objects.for_student(request.user).with_program()
    if application:
        interviews = interviews.filter(application=application)
    interviews = list(interviews)
    conflicts, by_id = conflicts_by_interview(current_interviews(request.user))
    for interview in interviews:
        interview.clashes = by_id.get(interview.pk, [])
    if application:
        shown = {interview.pk for interview in interviews}
        conflicts = [c for c in conflicts if c.first.id in shown or c.second.id in shown]
    context = {
        "application": application,
        "upcoming": [i for i in interviews if i.ends_at >= now()],
        "past": [i for i in interviews if i.ends_at < now()][::-1],
        "conflicts": conflicts,
    }
    return render(request, "interviews/schedule.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def add_interview(request):
    initial = {"application": ScheduleFilterForm(request.GET).application_id()}
    data = request.POST if request.method == "POST" else None
    form = InterviewForm(data, student=request.user, initial=initial)
    clashes = _unconfirmed_clashes(request, form)
    if form.is_valid() and not clashes:
        interview, moved_to = interview_schedule(form=form)
        messages.success(request, "Added the interview to your schedule.")
        if moved_to:
            messages.info(request, f"The application moved to “{moved_to}” on your board.")
        return redirect(interview)
    context = {"form": form, "interview": None, "clashes": clashes}
    return render(request, "interviews/interview_form.html", context)


def _unconfirmed_clashes(request, form) -> list:
    # A clash is the student's call (two interviews in one day can work), so it is shown before
    # saving and "save anyway" confirms it; it never blocks.
    if not form.is_valid() or form.cleaned_data["confirm_clash"]:
        return []
    return clashes_with(form.instance, request.user)


@require_GET
def show_interview(request, pk: int):
    interview = get_interview(request, pk)
    _, by_id = conflicts_by_interview(current_interviews(request.user))
    context = {
        "interview": interview,
        "conflicts": by_id.get(interview.pk, []),
        "impression": getattr(interview, "impression", None),
        "happened": interview.has_happened(now()),
        "questions_to_ask": Question.objects.visible_to(request.user).filter(
            category=Question.Category.ASK
        ),
    }
    return render(request, "interviews/interview.html", context)


@require_http_methods(["GET", "POST"])
def edit_interview(request, pk: int):
    interview = get_interview(request, pk)
    data = request.POST if request.method == "POST" else None
    form = InterviewForm(data, student=request.user, instance=interview)
    clashes = _unconfirmed_clashes(request, form)
    if form.is_valid() and not clashes:
        form.save()
        messages.success(request, "Saved the interview.")
        return redirect(interview)
    context = {"form": form, "interview": interview, "clashes": clashes}
    return render(request, "interviews/interview_form.html", context)


@require_http_methods(["GET", "POST"])
def delete_interview(request, pk: int):
    interview = get_interview(request, pk)
    if request.method == "GET":
        return render(request, "interviews/interview_delete.html", {"interview": interview})
    interview.delete()  # its impressions and thank-you draft go with it
    messages.success(request, "Removed the interview from your schedule.")
    return redirect("interviews:schedule")


@require_http_methods(["GET", "POST"])
def record_impression(request, pk: int):
    interview = get_interview(request, pk)
    impression = getattr(interview, "impression", None) or Impression(interview=interview)
    data = request.POST if request.method == "POST" else None
    form = ImpressionForm(data, instance=impression, now=now())
    if form.is_valid():
        _, moved_to = impression_record(form=form)
        messages.success(request, "Saved your impressions.")
        if moved_to:
            messages.info(request, f"The application moved to “{moved_to}” on your board.")
        return redirect(interview)
    return render(request, "interviews/impression.html", {"interview": interview, "form": form})


@require_http_methods(["GET", "POST"])
def edit_thank_you(request, pk: int):
    interview = get_interview(request, pk)
    regenerate = request.method == "POST" and request.POST.get("action") == "regenerate"
    topic_form = ThankYouTopicForm(request.POST if regenerate else None)
    draft = draft_thank_you(
        interview, student_name=request.user.get_full_name(), topic=topic_form.chosen_topic()
    )
    if regenerate:
        form = ThankYouForm(instance=interview, initial={"thank_you_note": draft})
    elif request.method == "POST":
        form = ThankYouForm(request.POST, instance=interview)
        if form.is_valid():
            form.save()
            messages.success(request, "Saved the draft. Copy it into your email to send it.")
            return redirect("interviews:thank_you", interview.pk)
    else:
        initial = {} if interview.thank_you_note else {"thank_you_note": draft}
        form = ThankYouForm(instance=interview, initial=initial)
    context = {"interview": interview, "form": form, "topic_form": topic_form}
    return render(request, "interviews/thank_you.html", context)


@login_required
@private_download
@require_GET
def download_interviews(request):
    interviews = Interview.objects.for_student(request.user).with_program()
    body = build_interview_calendar(
        interviews, url_for=lambda o: request.build_absolute_uri(o.get_absolute_url()), now=now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="medmatch-interviews.ics"'
    return response
