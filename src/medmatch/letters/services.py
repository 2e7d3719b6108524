"""Letter writes that touch several models: a request with its assignments, upload links, an
uploaded letter with its log entry, and sending the request to the recommender."""

import datetime
import ipaddress
import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from medmatch.letters import conf
from medmatch.letters.models import (
    AccessLog,
    Letter,
    LetterAssignment,
    LetterRequest,
    Recommender,
    UploadLink,
)
from medmatch.letters.planning import plan_for_applications, today
from medmatch.letters.routes import instructions, medmatch_link_use, needs_medmatch_link
from medmatch.lib.validators import single_line

logger = logging.getLogger(__name__)


class LetterError(ValueError):
    """A write that cannot be done, with a message for the person who tried."""


class TermsFixedError(LetterError):
    """A change to what was fixed when the recommender was asked (waiver, recommender, their
    name and email)."""


# --- requests and their assignments ------------------------------------------------------------


def over_limit(applications, request: LetterRequest | None = None) -> list[str]:
    """One message per application that already has the most letters it can take (declined
    requests do not count; ``request`` itself does not count against its own applications)."""
    limit = conf.get("LETTERS_PER_APPLICATION")
    others = LetterAssignment.objects.exclude(request__status=LetterRequest.Status.DECLINED)
    if request is not None and request.pk:
        others = others.exclude(request=request)
    counts = dict(
        others.filter(application__in=applications)
        .values_list("application")
        .annotate(n=Count("pk"))
        .values_list("application", "n")
    )
    return [
        f"{application.program.title} ({application.program.institution.name}) already has "
        f"{limit} letters assigned, the most it takes. Unassign one there first."
        for application in applications
        if counts.get(application.pk, 0) >= limit
    ]


def fixed_terms_message(request: LetterRequest) -> str:
    day = timezone.localtime(request.terms_fixed_at)
    return (
        f"The waiver and the recommender were fixed on {day.day} {day:%B %Y} (an upload link "
        "was made or the request was emailed), so they can no longer change. To ask on other "
        "terms, make a new request."
    )


def request_fix_terms(*, request: LetterRequest, now=None) -> LetterRequest:
    """Fix the waiver and the recommender of ``request`` from now on (a no-op when they already
    are). Call it inside the transaction that makes an upload link or sends the recommender an
    email, so the terms the recommender sees are the ones that stay. Locks the request's row;
    ``request`` is brought up to date with it (waiver, recommender, when fixed) and returned."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = LetterRequest.objects.select_for_update().get(pk=request.pk)
        # The recommender's row too: recommender_save refuses a new name or email under this lock.
        recommender = Recommender.objects.select_for_update().get(pk=locked.recommender_id)
        if locked.terms_fixed_at is None:
            locked.terms_fixed_at = now
            locked.save(update_fields=["terms_fixed_at"])
    request.terms_fixed_at = locked.terms_fixed_at
    request.waived = locked.waived
    request.recommender = recommender
    return request


@transaction.atomic
def recommender_save(*, recommender: Recommender) -> Recommender:
    """Save ``recommender``, refusing a new name or email once a request to them has fixed
    terms: a letter received must stay labelled with the person who was asked for it."""
    if recommender.pk is not None:
        stored = Recommender.objects.select_for_update().filter(pk=recommender.pk).first()
        renamed = stored is not None and (recommender.name, recommender.email) != (
            stored.name,
            stored.email,
        )
        if renamed and stored.has_fixed_requests():
            raise TermsFixedError(fixed_recommender_message(stored))
    recommender.save()
    return recommender


def fixed_recommender_message(recommender: Recommender) -> str:
    return (
        f"{recommender.name} was asked for a letter under this name and email address, so they "
        "can no longer change. To ask someone else, or the same person at another address, add "
        "them as a new recommender."
    )


@transaction.atomic
def request_save(*, letter_request: LetterRequest, applications) -> LetterRequest:
    """Save ``letter_request`` (new or changed) and make ``applications`` exactly its assignments.
    Fixed terms are never changed here, whatever the caller set (see request_fix_terms)."""
    if letter_request.pk is not None:
        stored = LetterRequest.objects.select_for_update().filter(pk=letter_request.pk).first()
        if stored is not None:
            # The in-memory copy may predate a link made in another tab: the row decides.
            letter_request.terms_fixed_at = stored.terms_fixed_at
            changed = (letter_request.waived, letter_request.recommender_id) != (
                stored.waived,
                stored.recommender_id,
            )
            if stored.terms_fixed and changed:
                raise TermsFixedError(fixed_terms_message(stored))
    if letter_request.status != LetterRequest.Status.DECLINED:
        problems = over_limit(applications, letter_request)
        if problems:
            raise LetterError(" ".join(problems))
    if (
        letter_request.service_uploaded_on is not None
        and letter_request.status != LetterRequest.Status.DECLINED
    ):
        letter_request.status = LetterRequest.Status.SUBMITTED
    letter_request.save()
    wanted = {application.pk for application in applications}
    LetterAssignment.objects.filter(request=letter_request).exclude(application__in=wanted).delete()
    have = set(
        LetterAssignment.objects.filter(request=letter_request).values_list(
            "application", flat=True
        )
    )
    LetterAssignment.objects.bulk_create(
        LetterAssignment(request=letter_request, application_id=pk) for pk in sorted(wanted - have)
    )
    checklists_tick(request=letter_request)
    return letter_request


def request_submit(*, letter_request: LetterRequest, applications) -> LetterRequest:
    """``request_save`` for what a student sent (the request page, the API): a request without
    a due date gets the planner's suggestion, a week before the earliest deadline."""
    if letter_request.due_on is None:
        letter_request.due_on = plan_for_applications(applications, today()).suggested_due
    return request_save(letter_request=letter_request, applications=applications)


def checklists_tick(*, request: LetterRequest) -> None:
    """Tick letter items on the checklist of each application ``request`` is assigned to, so
    that each checklist has at least as many letter items done as letters are in (arrived here
    or recorded as uploaded to the service). Never unticks: a tick may be the student's own."""
    from medmatch.applications.models import Application, Requirement

    if not request.is_in or request.status == LetterRequest.Status.DECLINED:
        return
    note = _tick_note(request)
    for application in Application.objects.filter(letter_requests=request):
        letters_in = [
            other
            for other in application.letter_requests.exclude(
                status=LetterRequest.Status.DECLINED
            ).select_related("letter")
            if other.is_in
        ]
        items = application.requirements.filter(kind=Requirement.Kind.LETTER).order_by(
            "position", "pk"
        )
        missing = len(letters_in) - sum(1 for item in items if item.done)
        for item in [item for item in items if not item.done][: max(missing, 0)]:
            item.set_done(True)
            item.notes = item.notes or note
            item.save(update_fields=["done", "done_at", "notes"])


@transaction.atomic
def request_record_service_upload(*, request: LetterRequest, on: datetime.date) -> None:
    """Record that the recommender uploaded the letter to the application service on ``on``:
    the request is submitted and the checklists tick a letter."""
    request = LetterRequest.objects.select_for_update().get(pk=request.pk)
    request.service_uploaded_on = on
    if request.status != LetterRequest.Status.DECLINED:
        request.status = LetterRequest.Status.SUBMITTED
    request.save(update_fields=["service_uploaded_on", "status", "updated_at"])
    checklists_tick(request=request)


def _tick_note(request: LetterRequest) -> str:
    from medmatch.letters.routes import services_of

    name = request.recommender.name
    if request.service_uploaded_on is not None:
        services = " / ".join(services_of(request.applications.with_program())) or "the service"
        day = request.service_uploaded_on
        return f"Ticked by medmatch: {name}'s letter was uploaded to {services} ({_day(day)})."
    return f"Ticked by medmatch: {name}'s letter arrived on {_day(request.letter.uploaded_at)}."


def _day(when) -> str:
    if isinstance(when, datetime.datetime):
        when = timezone.localtime(when).date()
    return f"{when.day} {when:%b %Y}"


def mark_asked(request: LetterRequest, on: datetime.date) -> None:
    if request.status == LetterRequest.Status.TO_ASK:
        request.status = LetterRequest.Status.ASKED
    if request.asked_on is None:
        request.asked_on = on
    request.save(update_fields=["status", "asked_on", "updated_at"])


# --- upload links ------------------------------------------------------------------------------


def link_expiry(request: LetterRequest, now: datetime.datetime) -> datetime.datetime:
    if request.due_on is None:
        return now + datetime.timedelta(days=conf.get("LETTERS_LINK_DAYS_WITHOUT_DUE_DATE"))
    last = request.due_on + datetime.timedelta(days=conf.get("LETTERS_LINK_GRACE_DAYS") + 1)
    # Midnight after the last day, in the site's zone.
    return timezone.make_aware(datetime.datetime.combine(last, datetime.time()))


def link_create(
    *, request: LetterRequest, purpose: str = "page", now=None
) -> tuple[str, UploadLink]:
    """A new upload link; returns the secret token (shown or mailed once) and the link."""
    now = now or timezone.now()
    expires_at = link_expiry(request, now)
    if expires_at <= now:
        raise LetterError(
            "The due date passed more than "
            f"{conf.get('LETTERS_LINK_GRACE_DAYS')} days ago, so a link would expire at once. "
            "Set a new due date first."
        )
    token = UploadLink.new_token()
    with transaction.atomic():
        # The portal shows the waiver from the first link on: from then on it is fixed.
        request_fix_terms(request=request, now=now)
        link = UploadLink.objects.create(
            request=request,
            token_hash=UploadLink.hash_token(token),
            created_at=now,
            expires_at=expires_at,
            purpose=purpose,
        )
    return token, link


def link_revoke(*, link: UploadLink) -> bool:
    if link.revoked_at is not None:
        return False
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    return True


def portal_url(base_url: str, request: LetterRequest, token: str) -> str:
    return base_url.rstrip("/") + reverse("letters:portal", args=[request.pk, token])


def link_resolve(request_pk: int, token: str, now=None) -> tuple[UploadLink | None, str]:
    """The link ``token`` names on request ``request_pk`` and its state ("ok", "expired",
    "revoked"); or None and why not ("unknown token", "token of another request"). Only an "ok"
    link opens the portal. A token is single-purpose: one made for another request does not
    open this one."""
    now = now or timezone.now()
    if not token or len(token) > 100:
        return None, "unknown token"
    link = (
        UploadLink.objects.select_related("request__recommender", "request__student")
        .filter(token_hash=UploadLink.hash_token(token))
        .first()
    )
    if link is None:
        return None, "unknown token"
    if link.request_id != request_pk:
        return None, "token of another request"
    state = link.state(now)
    return link, ("ok" if state == "active" else state)


def ip_prefix(address: str) -> str:
    """The network an address is in (/24 for IPv4, /48 for IPv6), never the address itself."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def log_access(*, link: UploadLink, address: str, action: str, outcome: str) -> None:
    """One row in the access log of ``link``'s request. Only a real link of the request writes
    there: guessed tokens go to ``log_unknown_token``, so nobody can fill a student's log."""
    AccessLog.objects.create(
        request_id=link.request_id,
        link=link,
        ip_prefix=ip_prefix(address),
        action=action,
        outcome=outcome[:200],
    )


def log_unknown_token(*, request_pk, address: str, action: str, outcome: str) -> None:
    # The server's log, not the request's: a guess says nothing about the request it named.
    logger.warning(
        "letters portal: %s on request %s from %s (%s)",
        action,
        request_pk,
        ip_prefix(address) or "unknown network",
        outcome,
    )


# --- the letter --------------------------------------------------------------------------------


def can_replace(request: LetterRequest, on: datetime.date) -> bool:
    return request.due_on is None or on <= request.due_on


def letter_store(*, link: UploadLink, upload, sha256: str, address: str) -> Letter:
    """Keep the uploaded letter (replacing an earlier one until the due date), mark the request
    submitted, log it and tell the student — without the letter's content."""
    request = link.request
    with transaction.atomic():
        request = LetterRequest.objects.select_for_update().get(pk=request.pk)
        old = Letter.objects.filter(request=request).first()
        if old is not None and not can_replace(request, timezone.localdate()):
            raise LetterError(
                "The due date has passed, so the letter can no longer be replaced. If something "
                f"must change, write to {request.student.display_name}."
            )
        # Normally fixed since the link was made; rows from before that rule get fixed here.
        request = request_fix_terms(request=request)
        old_file = old.file.name if old else None
        letter = old or Letter(request=request)
        # The waiver this letter arrived under; a confidential letter never becomes readable.
        letter.waived = request.waived or (old is not None and old.waived)
        letter.file.save(f"{request.pk}.pdf", upload, save=False)
        letter.original_name = (upload.name or "")[:255]
        letter.size = upload.size
        letter.sha256 = sha256
        letter.uploaded_at = timezone.now()
        if old is not None:
            letter.replaced_count += 1
        letter.save()
        request.status = LetterRequest.Status.SUBMITTED
        request.save(update_fields=["status", "updated_at"])
        action = AccessLog.Action.REPLACE if old else AccessLog.Action.UPLOAD
        log_access(link=link, address=address, action=action, outcome="ok")
        if old_file:
            storage = letter.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
        checklists_tick(request=request)
    _notify_student(request, replaced=old is not None)
    return letter


def _notify_student(request: LetterRequest, *, replaced: bool) -> None:
    student = request.student
    if not student.email:
        return
    context = {"request": request, "replaced": replaced, "student": student}
    body = render_to_string("letters/email/letter_received.txt", context)
    name = single_line(request.recommender.name)
    subject = f"{name} {'replaced' if replaced else 'uploaded'} a letter"
    try:
        EmailMessage(subject, body, to=[student.email]).send()
    except Exception:
        # The letter is stored; a mail problem must not turn the recommender's upload into an
        # error page (they would upload again and again).
        logger.exception(
            "letters: could not tell student %s about letter %s", student.pk, request.pk
        )


# --- sending the request ----------------------------------------------------------------------


def request_send(*, request: LetterRequest, base_url: str) -> None:
    """Email the recommender the request with a fresh upload link and the packet PDF, and mark
    the request asked."""
    from medmatch.letters.packet import build_packet

    if not request.recommender.email:
        raise LetterError(f"{request.recommender.name} has no email address yet; add it first.")
    applications = list(request.applications.with_program().order_by("deadline", "pk"))
    with transaction.atomic():
        # Fixes the terms; ``request`` then holds the waiver and recommender as fixed.
        request = request_fix_terms(request=request)
        token, link = None, None
        if needs_medmatch_link(applications, waived=request.waived):
            token, link = link_create(request=request, purpose="email")
        recommender = request.recommender
        if not recommender.email:
            raise LetterError(f"{recommender.name} has no email address yet; add it first.")
        mark_asked(request, timezone.localdate())
        context = {
            "request": request,
            "recommender": recommender,
            "student_name": request.student.display_name,
            "url": portal_url(base_url, request, token) if token else "",
            "link": link,
            "applications": applications,
            "instructions": instructions(
                applications,
                student_name=request.student.display_name,
                letter_id=request.eras_letter_id,
            ),
            "link_use": medmatch_link_use(applications),
        }
        body = render_to_string("letters/email/request.txt", context)
        message = EmailMessage(
            f"Letter of recommendation request from {single_line(context['student_name'])}",
            body,
            to=[recommender.email],
            reply_to=[request.student.email] if request.student.email else None,
        )
        message.attach("letter-packet.pdf", build_packet(request), "application/pdf")
        message.send()


def open_requests_for_reminders():
    return (
        LetterRequest.objects.open()
        .filter(due_on__isnull=False)
        .exclude(Q(recommender__email="") | Q(student__is_active=False))
        .select_related("recommender", "student")
    )
