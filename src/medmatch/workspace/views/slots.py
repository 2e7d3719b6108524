"""Interview slot rounds (see views/__init__.py): the coordinator's pages under
``/workspace/programs/<pk>/rounds/`` (create a round, add slots, invite in an order, watch the
ranking, close the window, remove a student, the round's calendar) and the invited student's pages
under ``/submissions/invitations/`` (rank the slots, see the outcome, cancel).

Staff rows come only through ``workspace.access``, a student's only through ``get_owned_or_404``;
everyone else gets a 404, anonymous visitors included (these are object URLs). A student's page
never shows their priority, their place on a waitlist, or any other student.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from medmatch.lib.access import get_owned_or_404
from medmatch.lib.downloads import private_download
from medmatch.workspace.access import get_staff_program_or_404, get_staff_round_or_404
from medmatch.workspace.forms.slots import (
    BulkSlotsForm,
    InviteForm,
    RankingForm,
    RoundForm,
    SlotForm,
    WindowForm,
    ZoneForm,
)
from medmatch.workspace.models import Invitation, SlotRound
from medmatch.workspace.slot_rounds import (
    RankingClosed,
    RoundAssigned,
    can_rank,
    invitable_submissions,
    invitation_cancel,
    invitations_send,
    preferences_save,
    round_close_now,
    slot_delete,
    slots_add,
    window_move,
)
from medmatch.workspace.slot_selectors import (
    is_waitlisted,
    round_calendar,
    round_overview,
    student_name,
    student_slots,
    submission_name,
)


def _round(request, pk: int, rpk: int) -> SlotRound:
    """The round ``rpk`` of the staff's program ``pk``; 404 for anyone else or a mismatch."""
    program = get_staff_program_or_404(request.user, pk)
    round_ = get_staff_round_or_404(request.user, rpk)
    if round_.program_id != program.pk:
        raise Http404("No such interview round.")
    round_.program = program
    return round_


def _to_round(round_: SlotRound):
    return redirect("workspace:round", round_.program_id, round_.pk)


# ---- staff ---------------------------------------------------------------------------------------


@require_GET
def list_rounds(request, pk: int):
    program = get_staff_program_or_404(request.user, pk)
    rounds = SlotRound.objects.filter(program=program).order_by("-window_closes_at", "-pk")
    return render(request, "workspace/slots/rounds.html", {"program": program, "rounds": rounds})


@require_http_methods(["GET", "POST"])
def create_round(request, pk: int):
    program = get_staff_program_or_404(request.user, pk)
    round_ = SlotRound(program=program, window_closes_at=timezone.now())
    form = RoundForm(request.POST or None, instance=round_, program=program)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Created the round. Add its slots, then invite students.")
        return _to_round(form.instance)
    return render(request, "workspace/slots/round_form.html", {"program": program, "form": form})


@require_GET
def show_round(request, pk: int, rpk: int):
    round_ = _round(request, pk, rpk)
    context = {"round": round_, "program": round_.program, **round_overview(round_)}
    context["window_open"] = round_.window_opens_at and not round_.assigned_at
    return render(request, "workspace/slots/round.html", context)


@require_http_methods(["GET", "POST"])
def add_slots(request, pk: int, rpk: int):
    round_ = _round(request, pk, rpk)
    bulk = request.method == "POST" and "bulk-date" in request.POST
    data = request.POST if request.method == "POST" else None
    single = SlotForm(None if bulk else data, round_=round_)
    many = BulkSlotsForm(data if bulk else None, round_=round_)
    form = many if bulk else single
    if request.method == "POST" and round_.assigned_at is None and form.is_valid():
        added = slots_add(
            round_=round_, starts=form.starts(), capacity=form.cleaned_data["capacity"]
        )
        messages.success(request, f"Added {added} slot{'s' if added != 1 else ''}.")
        return _to_round(round_)
    context = {"round": round_, "program": round_.program, "single": single, "many": many}
    return render(request, "workspace/slots/slots_form.html", context)


@require_POST
def delete_slot(request, pk: int, rpk: int, spk: int):
    round_ = _round(request, pk, rpk)
    slot = round_.slots.filter(pk=spk).first()
    if slot is None:
        raise Http404("No such slot.")
    try:
        slot_delete(slot=slot)
    except RoundAssigned:
        messages.error(request, "The slots are assigned: a slot can no longer be removed.")
    return _to_round(round_)


@require_http_methods(["GET", "POST"])
def invite_students(request, pk: int, rpk: int):
    round_ = _round(request, pk, rpk)
    submissions = invitable_submissions(round_)
    now = timezone.now()
    form = InviteForm(request.POST or None, round_=round_, submissions=submissions, now=now)
    if request.method == "POST" and round_.assigned_at is None and form.is_valid():
        data = form.cleaned_data
        sent = invitations_send(
            round_=round_,
            submissions=data["ordered"],
            closes_at=data["closes_at"],
            now=now,
            by=request.user,
        )
        messages.success(request, f"Invited {len(sent)} student{'s' if len(sent) != 1 else ''}.")
        return _to_round(round_)
    rows = [(submission, submission_name(submission), field) for submission, field in form.rows()]
    context = {"round": round_, "program": round_.program, "form": form, "rows": rows}
    return render(request, "workspace/slots/invite.html", context)


@require_http_methods(["GET", "POST"])
def move_window(request, pk: int, rpk: int):
    round_ = _round(request, pk, rpk)
    form = WindowForm(request.POST or None, round_=round_, now=timezone.now())
    if request.method == "POST" and round_.window_opens_at and form.is_valid():
        try:
            window_move(round_=round_, closes_at=form.cleaned_data["closes_at"])
        except RoundAssigned:
            messages.error(request, "The slots are assigned: the window is closed for good.")
        else:
            messages.success(request, "Moved the end of the ranking window.")
        return _to_round(round_)
    context = {"round": round_, "program": round_.program, "form": form}
    return render(request, "workspace/slots/window.html", context)


@require_http_methods(["GET", "POST"])
def close_window(request, pk: int, rpk: int):
    round_ = _round(request, pk, rpk)
    if request.method == "POST":
        if round_close_now(round_=round_, now=timezone.now()):
            messages.success(request, "The window is closed and the slots are assigned.")
        else:
            messages.info(request, "Nothing to do: no invitations sent, or already assigned.")
        return _to_round(round_)
    return render(
        request, "workspace/slots/close.html", {"round": round_, "program": round_.program}
    )


@require_POST
def remove_invitation(request, pk: int, rpk: int, ipk: int):
    round_ = _round(request, pk, rpk)
    invitation = round_.invitations.filter(pk=ipk).first()
    if invitation is None:
        raise Http404("No such invitation.")
    moves = invitation_cancel(invitation_pk=invitation.pk, now=timezone.now())
    moved = max(len(moves) - 1, 0)
    messages.success(
        request, f"Removed {student_name(invitation)}; {moved} student(s) moved up to a freed slot."
    )
    return _to_round(round_)


@private_download
@require_GET
def download_round_calendar(request, pk: int, rpk: int):
    round_ = _round(request, pk, rpk)
    url = request.build_absolute_uri(request.path.removesuffix("calendar.ics"))
    body = round_calendar(round_, now=timezone.now(), url=url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="medmatch-round-{round_.pk}.ics"'
    return response


# ---- the invited student -------------------------------------------------------------------------


def _invitation(request, ipk: int) -> Invitation:
    return get_owned_or_404(
        Invitation.objects.select_related(
            "round__program__institution", "assigned_slot", "submission__student"
        ),
        request.user,
        pk=ipk,
    )


@login_required
@require_GET
def list_invitations(request):
    invitations = (
        Invitation.objects.for_student(request.user)
        .filter(round__window_opens_at__isnull=False)
        .select_related("round__program__institution", "assigned_slot")
        .order_by("-invited_at", "-pk")
    )
    return render(request, "workspace/slots/invitations.html", {"invitations": invitations})


@require_http_methods(["GET", "POST"])
def show_invitation(request, ipk: int):
    invitation = _invitation(request, ipk)
    round_, now = invitation.round, timezone.now()
    # The zone chosen on this page (?zone=; "" for the program's only), else the student's own.
    chose = "zone" in request.GET
    zone_form = ZoneForm(request.GET if chose else {"zone": request.user.time_zone})
    rows = student_slots(invitation, own_zone=zone_form.chosen(), now=now)
    data = request.POST if request.method == "POST" else None
    form = RankingForm(data, slots=[row.slot for row in rows], initial=_ranks(rows))
    if request.method == "POST" and form.is_valid():
        try:
            preferences_save(
                invitation=invitation,
                ranking=form.cleaned_data["ranking"],
                now=now,
                time_zone=(zone_form.chosen() or "") if chose else "",
            )
        except RankingClosed:
            messages.error(request, "The window has closed: your ranking can no longer change.")
        else:
            messages.success(request, "Saved. You can change it until the window closes.")
        return redirect(request.get_full_path())
    context = {
        "invitation": invitation,
        "round": round_,
        "program": round_.program,
        "rows": [(row, form[f"slot_{row.slot.pk}"]) for row in rows],
        "form": form,
        "zone_form": zone_form,
        "own_zone": zone_form.chosen(),
        "zone_remembered": not chose and bool(zone_form.chosen()),
        "can_rank": can_rank(invitation, now),
        "waitlisted": is_waitlisted(invitation),
    }
    return render(request, "workspace/slots/invitation.html", context)


def _ranks(rows) -> dict:
    return {f"slot_{row.slot.pk}": row.rank for row in rows if row.rank}


@require_http_methods(["GET", "POST"])
def cancel_invitation(request, ipk: int):
    invitation = _invitation(request, ipk)
    if request.method == "POST" and invitation.cancelled_at is None:
        invitation_cancel(invitation_pk=invitation.pk, now=timezone.now())
        messages.success(request, "Cancelled. A slot you held is offered to whoever waits for it.")
        return redirect("workspace:invitation", invitation.pk)
    context = {"invitation": invitation, "round": invitation.round}
    return render(request, "workspace/slots/cancel.html", context)


ROUND = "workspace/programs/<int:pk>/rounds/<int:rpk>/"

urlpatterns = [
    path("workspace/programs/<int:pk>/rounds/", list_rounds, name="rounds"),
    path("workspace/programs/<int:pk>/rounds/new/", create_round, name="round_create"),
    path(ROUND, show_round, name="round"),
    path(ROUND + "slots/", add_slots, name="round_slots"),
    path(ROUND + "slots/<int:spk>/delete/", delete_slot, name="slot_delete"),
    path(ROUND + "invite/", invite_students, name="round_invite"),
    path(ROUND + "window/", move_window, name="round_window"),
    path(ROUND + "close/", close_window, name="round_close"),
    path(ROUND + "invitations/<int:ipk>/remove/", remove_invitation, name="invitation_remove"),
    path(ROUND + "calendar.ics", download_round_calendar, name="round_calendar"),
    path("submissions/invitations/", list_invitations, name="invitations"),
    path("submissions/invitations/<int:ipk>/", show_invitation, name="invitation"),
    path("submissions/invitations/<int:ipk>/cancel/", cancel_invitation, name="invitation_cancel"),
]
