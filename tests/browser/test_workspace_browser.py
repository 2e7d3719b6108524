"""Issue 15's acceptance test, in a browser: two programs at two institutions take applications
in medmatch; six students submit through the submit page; each program's verified coordinator
scores in the inbox with a rubric and invites with the bulk action; Rush's coordinator makes an
interview round with two slots and invites three students; they rank the slots on their
invitation pages; the worker's scan assigns the slots when the window closes; a student cancels
and the one waiting gets the slot and an email. Each side sees only its own: a student's pages
show no score or decision, and the other program's coordinator gets 404.

axe-core on each page type; screenshots in test-results/browser/workspace-*.png (a phone's width
for the student's pages)."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from tests.personas import make_user
from tests.workspace.conftest import make_coordinatorship, make_world
from tests.workspace.submit_factories import make_application, make_letters, make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    from medmatch.workspace.models import RubricCriterion

    settings.MEDIA_ROOT = tmp_path / "media"
    world = make_world(letters_required=1)
    rush, northwestern = world["rush"], world["northwestern"]
    medicine, surgery = world["medicine"], world["surgery"]
    for program in (medicine, surgery):
        RubricCriterion.objects.create(program=program, name="Clinical experience", max_score=5)
    erin = make_user("erin", role="coordinator", email="erin@rush.edu", full_name="Erin Rush")
    make_coordinatorship(erin, rush)
    gina = make_user("gina", role="coordinator", email="gina@nm.org", full_name="Gina North")
    make_coordinatorship(gina, northwestern)
    return {"medicine": medicine, "surgery": surgery, "erin": erin, "gina": gina}


def _log_in(page, live_server, user) -> None:
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _student_ready(name: str, program):
    """A student with a CV entry, a statement and a letter request for an application to
    ``program``: everything the submit page needs (the submitting itself is the page's)."""
    from medmatch.applications.models import CVEntry

    student = make_user(name.lower(), full_name=name)
    application = make_application(student, program)
    CVEntry.objects.create(student=student, section="clinical", title="Sub-internship, medicine")
    make_statement(student, application)
    make_letters(student, 1, arrived=False)
    return student, application


def _submit(page, live_server, student, application) -> None:
    _log_in(page, live_server, student)
    page.goto(live_server.url + reverse("workspace:submission_create", args=[application.pk]))
    page.get_by_label("Full name").fill(student.full_name)
    page.get_by_label("Graduation year").fill("2026")
    page.get_by_label(re.compile(r"Dr\. Writer 0")).check()
    page.get_by_role("button", name=f"Submit to {application.program.title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sent in medmatch")


def _score(page, name: str, score: str) -> None:
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_label("Clinical experience").fill(score)
    page.get_by_role("button", name="Save my review").click()
    expect(page.locator(".review-panel")).to_contain_text(f"{int(score) * 20}%")
    page.go_back()
    page.go_back()


def test_two_programs_review_invite_and_assign_interview_slots(
    page, live_server, world, screenshot_dir, assert_accessible
):
    from medmatch.tasks import send_all_reminders
    from medmatch.workspace.models import Invitation, SlotEmail, Submission

    medicine, surgery, erin, gina = (world[k] for k in ("medicine", "surgery", "erin", "gina"))
    page.set_viewport_size(PHONE)

    # Six students submit through the submit page: four to Rush, two to Northwestern.
    ready = [_student_ready(name, medicine) for name in ("Ana", "Ben", "Cai", "Dee")]
    ready += [_student_ready(name, surgery) for name in ("Eli", "Fay")]
    for n, (student, application) in enumerate(ready):
        if n == 0:
            _log_in(page, live_server, student)
            page.goto(
                live_server.url + reverse("workspace:submission_create", args=[application.pk])
            )
            page.screenshot(path=str(screenshot_dir / "workspace-submit.png"), full_page=True)
            assert_accessible(page, "the submit page")
        _submit(page, live_server, student, application)
    assert Submission.objects.filter(program=medicine).count() == 4
    assert Submission.objects.filter(program=surgery).count() == 2
    page.screenshot(path=str(screenshot_dir / "workspace-submitted.png"), full_page=True)
    assert_accessible(page, "a student's submission")

    # Rush's coordinator: the home links to the inbox; score three, invite them in one action.
    page.set_viewport_size(DESKTOP)
    _log_in(page, live_server, erin)
    page.goto(live_server.url + reverse("workspace:home"))
    assert_accessible(page, "the workspace home")
    page.get_by_role("link", name="Inbox").first.click()
    expect(page.locator(".inbox-table tbody tr")).to_have_count(4)
    for name, score in (("Ana", "5"), ("Ben", "4"), ("Cai", "3")):
        _score(page, name, score)
    page.reload()
    for name in ("Ana", "Ben", "Cai"):
        page.get_by_label(f"Select {name}", exact=True).check()
    page.get_by_label("Decision for the selected applications").select_option("invite")
    page.get_by_role("button", name="Apply to the ticked rows").click()
    expect(page.locator(".inbox-table")).to_contain_text("Invite")
    page.screenshot(path=str(screenshot_dir / "workspace-inbox.png"), full_page=True)
    assert_accessible(page, "the inbox")

    # A round of two slots; the three invited in the inbox's order (Ana, Ben, Cai).
    page.get_by_role("link", name="Interview rounds").click()
    assert_accessible(page, "the interview rounds")
    page.get_by_role("link", name="New round").click()
    page.get_by_label("Title").fill("Interview days, January")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_label("Video link").fill("https://meet.example.org/rush-im")
    assert_accessible(page, "the new round form")
    page.get_by_role("button", name="Create the round").click()
    page.get_by_role("link", name="Add slots").first.click()
    day = timezone.localdate() + datetime.timedelta(days=14)
    many = page.locator("section[aria-labelledby=many-heading]")
    many.get_by_label("Date").fill(day.isoformat())
    many.get_by_label("First start").fill("09:00")
    many.get_by_label("Last interview ends by").fill("11:00")
    page.get_by_role("button", name="Add these slots").click()
    expect(page.get_by_text("Added 2 slots.")).to_be_visible()
    page.get_by_role("link", name="Invite students").click()
    for name in ("Ana", "Ben", "Cai"):
        expect(page.get_by_label(name, exact=True)).to_be_visible()
    assert_accessible(page, "the invite form")
    page.get_by_role("button", name="Send the invitations").click()
    expect(page.get_by_text("Invited 3 students.")).to_be_visible()
    round_url = page.url
    invitations = {
        invitation.submission.student.full_name: invitation
        for invitation in Invitation.objects.select_related("submission__student", "round")
    }
    round_ = invitations["Ana"].round

    # Northwestern's coordinator scores her own and sees nothing of Rush.
    _log_in(page, live_server, gina)
    page.goto(live_server.url + reverse("workspace:inbox", args=[surgery.pk]))
    expect(page.locator(".inbox-table tbody tr")).to_have_count(2)
    _score(page, "Eli", "4")
    for url in (
        reverse("workspace:inbox", args=[medicine.pk]),
        reverse("workspace:submission_staff", args=[invitations["Ana"].submission_id]),
        reverse("workspace:round", args=[medicine.pk, round_.pk]),
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 404, url

    # The students rank the slots on their invitation pages (at a phone's width).
    page.set_viewport_size(PHONE)
    rankings = {"Ana": ["09:00"], "Ben": ["10:00"], "Cai": ["09:00", "10:00"]}
    for name, ranking in rankings.items():
        invitation = invitations[name]
        _log_in(page, live_server, invitation.submission.student)
        page.goto(
            live_server.url + reverse("workspace:submission", args=[invitation.submission_id])
        )
        page.get_by_role("link", name=f"Your invitation: {round_.title}").click()
        for rank, time in enumerate(ranking, start=1):
            page.get_by_label(re.compile(f"Rank of the slot of .* {time}")).select_option(str(rank))
        page.get_by_role("button", name="Save my ranking").click()
        expect(page.get_by_text("Saved.")).to_be_visible()
        if name == "Cai":
            page.screenshot(path=str(screenshot_dir / "workspace-invitation.png"), full_page=True)
            assert_accessible(page, "an invitation")

    # The window's end: the worker's scans assign the slots and send the emails.
    round_.refresh_from_db()
    after = (round_.window_closes_at + datetime.timedelta(minutes=1)).isoformat()
    report = send_all_reminders.call(after)
    assert report["counts"]["slot_assignments"]["sent"] == 1
    slots = {
        name: Invitation.objects.get(pk=invitations[name].pk).assigned_slot for name in rankings
    }
    assert slots["Ana"] is not None and slots["Ben"] is not None and slots["Cai"] is None

    # Cai waits; Ben cancels, and Cai gets his slot and an email.
    page.goto(live_server.url + reverse("workspace:invitation", args=[invitations["Cai"].pk]))
    expect(page.locator("main")).to_contain_text("You are on the waitlist")
    ben = invitations["Ben"]
    _log_in(page, live_server, ben.submission.student)
    page.goto(live_server.url + reverse("workspace:invitation", args=[ben.pk]))
    page.get_by_role("link", name="Cancel my interview").click()
    assert_accessible(page, "cancel an interview")
    before = len(mail.outbox)
    page.get_by_role("button", name="Cancel my interview").click()
    expect(page.get_by_text("Cancelled.")).to_be_visible()
    # The cancellation queues the round's emails (run at once by the tests' task backend, by
    # ``medmatch worker`` in production): Cai is told the freed slot is hers.
    assert Invitation.objects.get(pk=invitations["Cai"].pk).assigned_slot == slots["Ben"]
    cai = invitations["Cai"].submission.student
    assert SlotEmail.objects.filter(
        invitation=invitations["Cai"], kind="outcome", key=f"slot-{slots['Ben'].pk}"
    ).exists()
    assert [m.subject for m in mail.outbox[before:] if cai.email in m.to]

    _log_in(page, live_server, cai)
    page.goto(live_server.url + reverse("workspace:invitation", args=[invitations["Cai"].pk]))
    expect(page.locator("main")).to_contain_text("10:00")
    page.screenshot(path=str(screenshot_dir / "workspace-invitation-moved.png"), full_page=True)
    # A student's pages never show a score, a decision or a priority.
    for url in (
        reverse("workspace:invitation", args=[invitations["Cai"].pk]),
        reverse("workspace:submission", args=[invitations["Cai"].submission_id]),
        reverse("applications:detail", args=[invitations["Cai"].submission.application_id]),
    ):
        page.goto(live_server.url + url)
        main = page.locator("main")
        for secret in ("score", "Decision", "Hold", "Decline", "priority", "%"):
            expect(main).not_to_contain_text(secret)
    assert_accessible(page, "a student's application page")
    response = page.goto(live_server.url + reverse("workspace:inbox", args=[medicine.pk]))
    assert response.status == 404

    # Rush's coordinator sees the round assigned: Ana and Cai have slots, Ben cancelled.
    page.set_viewport_size(DESKTOP)
    _log_in(page, live_server, erin)
    page.goto(round_url)
    expect(page.locator("main")).to_contain_text("cancelled")
    page.screenshot(path=str(screenshot_dir / "workspace-round.png"), full_page=True)
    assert_accessible(page, "a round")
