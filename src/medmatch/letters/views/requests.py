"""A letter request: create, edit, its page (status, waiver, packet, upload links, access log),
sending it, and the letter's download — which only ``can_read_letter`` opens."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.letters.forms import LetterRequestForm, ServiceUploadForm
from medmatch.letters.models import Letter, Recommender
from medmatch.letters.packet import build_packet
from medmatch.letters.permissions import can_read_letter
from medmatch.letters.planning import STATE_LABELS, plan_for, today
from medmatch.letters.routes import instructions, needs_medmatch_link, services_of
from medmatch.letters.services import (
    LetterError,
    TermsFixedError,
    link_create,
    link_revoke,
    portal_url,
    request_record_service_upload,
    request_submit,
)
from medmatch.letters.tasks import send_letter_request
from medmatch.letters.views.common import get_letter_request, get_link
from medmatch.lib.forms import optional_id

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


def emails_printed() -> bool:
    # As lib/context.py tells templates: the console backend delivers nothing.
    return settings.EMAIL_BACKEND == CONSOLE_EMAIL


@login_required
@require_http_methods(["GET", "POST"])
def create_request(request):
    if not Recommender.objects.for_student(request.user).exists():
        messages.info(request, "Add the person you would like to ask first.")
        return redirect("letters:recommender_create")
    initial = {"recommender": optional_id(request.GET, "recommender")}
    form = LetterRequestForm(request.POST or None, student=request.user, initial=initial)
    return _save_request(request, form, "letters/request_form.html")


@require_http_methods(["GET", "POST"])
def edit_request(request, pk: int):
    letter_request = get_letter_request(request, pk)
    form = LetterRequestForm(request.POST or None, student=request.user, instance=letter_request)
    return _save_request(request, form, "letters/request_form.html")


def _save_request(request, form, template):
    if form.is_valid():
        letter_request = form.save(commit=False)
        letter_request.student = request.user
        applications = list(form.cleaned_data["applications"])
        try:
            request_submit(letter_request=letter_request, applications=applications)
        except TermsFixedError as error:  # a link was made in another tab meanwhile
            form.add_error(None, str(error))
        except LetterError as error:  # a race with another tab filled an application
            form.add_error("applications", str(error))
        else:
            messages.success(request, "Saved.")
            return redirect(letter_request)
    return render(request, template, {"form": form, "letter_request": form.instance})


@require_GET
def show_request(request, pk: int):
    return _detail(request, get_letter_request(request, pk))


def _detail(request, letter_request, new_link_url: str = "", upload_form=None, status=200):
    letter = letter_request.letter_or_none
    plan = plan_for(letter_request, today())
    applications = list(letter_request.applications.with_program().order_by("deadline", "pk"))
    context = {
        "letter_request": letter_request,
        "applications": applications,
        "instructions": instructions(
            applications,
            student_name=request.user.display_name,
            letter_id=letter_request.eras_letter_id,
        ),
        "services": services_of(applications),
        "needs_link": needs_medmatch_link(applications, waived=letter_request.waived),
        "upload_form": upload_form or ServiceUploadForm(initial={"uploaded_on": today()}),
        "plan": plan,
        "state_label": STATE_LABELS[plan.state],
        "letter": letter,
        # The waived student learns that a letter arrived and when; nothing of its content.
        "can_read": can_read_letter(request.user, letter),
        "links": letter_request.links.all(),
        "access_log": [
            (entry, entry.outcome_for_student(confidential=letter_request.confidential))
            for entry in letter_request.access_log.all()[:50]
        ],
        "now": timezone.now(),
        "due_passed": letter_request.due_on is not None and letter_request.due_on < today(),
        "new_link_url": new_link_url,
    }
    return render(request, "letters/request_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
def delete_request(request, pk: int):
    letter_request = get_letter_request(request, pk)
    if request.method == "POST":
        letter_request.delete()
        messages.success(request, "Deleted the request.")
        return redirect("letters:index")
    return render(request, "letters/request_delete.html", {"letter_request": letter_request})


@require_GET
def download_packet(request, pk: int):
    letter_request = get_letter_request(request, pk)
    response = HttpResponse(build_packet(letter_request), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="letter-packet.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def send_request(request, pk: int):
    letter_request = get_letter_request(request, pk)
    if not letter_request.recommender.email:
        messages.error(request, f"Add {letter_request.recommender.name}'s email address first.")
        return redirect(letter_request)
    if emails_printed():
        messages.error(
            request,
            "Nothing was sent: this site has no mail server configured, so emails would only be "
            "printed on the server's console. Download the packet and send it yourself, or ask "
            "the site's administrator to set EMAIL_HOST.",
        )
        return redirect(letter_request)
    send_letter_request.enqueue(letter_request.pk, request.build_absolute_uri("/"))
    messages.success(
        request,
        f"The request and its packet are on their way to {letter_request.recommender.email}.",
    )
    return redirect(letter_request)


@require_POST
def record_service_upload(request, pk: int):
    letter_request = get_letter_request(request, pk)
    form = ServiceUploadForm(request.POST)
    if not form.is_valid():
        return _detail(request, letter_request, upload_form=form, status=400)
    request_record_service_upload(request=letter_request, on=form.cleaned_data["uploaded_on"])
    messages.success(request, "Recorded. The letter counts on the checklist of each application.")
    return redirect(letter_request)


@require_POST
def create_link(request, pk: int):
    letter_request = get_letter_request(request, pk)
    try:
        token, _ = link_create(request=letter_request)
    except LetterError as error:
        messages.error(request, str(error))
        return redirect(letter_request)
    # Only the hash is stored: this response is the one time the address can be shown.
    url = portal_url(request.build_absolute_uri("/"), letter_request, token)
    return _detail(request, letter_request, new_link_url=url)


@require_POST
def revoke_link(request, pk: int):
    link = get_link(request, pk)
    if link_revoke(link=link):
        messages.success(request, "Revoked. That upload address no longer works.")
    return redirect(f"{link.request.get_absolute_url()}#links")


@require_GET
def download_letter(request, pk: int):
    # can_read_letter is the access check (programs read letters on the program side, not here),
    # and "no letter" and "not yours to read" get the same answer.
    letter = Letter.objects.select_related("request").filter(request__pk=pk).first()
    if not can_read_letter(request.user, letter):
        raise Http404("No such file.")
    response = FileResponse(letter.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="letter.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
