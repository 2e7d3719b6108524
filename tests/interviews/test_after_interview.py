"""After the interview: the impressions form (ratings, unknown kept unknown) and the thank-you
note draft (built from the interview, editable, never sent)."""

import pytest
from django.core import mail
from django.urls import reverse

from medmatch.interviews.models import Impression

pytestmark = pytest.mark.django_db


def test_it_records_impressions_with_unrated_parts_left_unknown(client, alice, held_interview):
    interview = held_interview
    client.force_login(alice)
    url = reverse("interviews:impression", args=[interview.pk])
    response = client.post(url, {"teaching": "5", "overall": "4", "notes": "Great morning report."})
    assert response.status_code == 302
    impression = Impression.objects.get(interview=interview)
    assert (impression.teaching, impression.culture, impression.overall) == (5, None, 4)
    client.post(url, {"teaching": "3", "notes": ""})
    impression.refresh_from_db()
    assert impression.teaching == 3 and impression.overall is None
    assert Impression.objects.count() == 1


def test_it_rejects_a_rating_outside_1_to_5(client, alice, held_interview):
    client.force_login(alice)
    url = reverse("interviews:impression", args=[held_interview.pk])
    response = client.post(url, {"overall": "9"})
    assert response.status_code == 200 and not Impression.objects.exists()


def test_it_drafts_a_thank_you_note_from_the_interview(client, alice, interview):
    alice.first_name, alice.last_name = "Alice", "Archer"
    alice.save()
    client.force_login(alice)
    response = client.get(reverse("interviews:thank_you", args=[interview.pk]))
    draft = response.context["form"]["thank_you_note"].value()
    assert draft.startswith("Dear Dr. Ada Lovelace and Dr. Grace Hopper,")
    assert "Internal Medicine program at Massachusetts General Hospital" in draft
    assert "One thing that stayed with me: [one specific thing from the day" in draft
    assert draft.endswith("Alice Archer")
    assert mail.outbox == []


def test_it_never_puts_private_notes_into_the_thank_you_draft(client, alice, interview):
    interview.notes = "Residents seemed tired. Parking is awful."
    interview.save()
    Impression.objects.create(interview=interview, notes="residents seemed tired; call is brutal")
    client.force_login(alice)
    url = reverse("interviews:thank_you", args=[interview.pk])
    drafts = [
        client.get(url).context["form"]["thank_you_note"].value(),
        client.post(url, {"action": "regenerate"}).context["form"]["thank_you_note"].value(),
    ]
    for draft in drafts:
        assert "tired" not in draft.lower()
        assert "parking" not in draft.lower() and "brutal" not in draft


def test_it_puts_the_topic_the_student_chose_to_share_into_a_new_draft(client, alice, interview):
    Impression.objects.create(interview=interview, notes="residents seemed tired")
    client.force_login(alice)
    url = reverse("interviews:thank_you", args=[interview.pk])
    response = client.post(
        url, {"action": "regenerate", "topic": "the residents' journal club on sepsis"}
    )
    draft = response.context["form"]["thank_you_note"].value()
    assert "One thing that stayed with me: the residents' journal club on sepsis." in draft
    assert "tired" not in draft
    refused = client.post(url, {"action": "regenerate", "topic": "a\x07bell"})
    assert "topic: " in refused.content.decode()
    too_long = client.post(url, {"action": "regenerate", "topic": "x" * 301})
    assert "topic: at most 300 characters (this has 301)." in too_long.content.decode()


def test_it_saves_the_edited_note_and_can_start_again(client, alice, interview):
    client.force_login(alice)
    url = reverse("interviews:thank_you", args=[interview.pk])
    client.post(url, {"thank_you_note": "My own words."})
    interview.refresh_from_db()
    assert interview.thank_you_note == "My own words."
    assert client.get(url).context["form"]["thank_you_note"].value() == "My own words."
    fresh = client.post(url, {"action": "regenerate", "thank_you_note": "ignored"})
    assert "[one specific thing from the day" in fresh.context["form"]["thank_you_note"].value()
    interview.refresh_from_db()
    assert interview.thank_you_note == "My own words."  # regenerating does not overwrite
    assert mail.outbox == []


def test_it_moves_the_application_to_interviewed_with_the_impressions(
    client, alice, held_interview
):
    client.force_login(alice)
    client.post(reverse("interviews:impression", args=[held_interview.pk]), {"overall": "4"})
    held_interview.application.refresh_from_db()
    assert held_interview.application.status == "interviewed"


def test_it_refuses_impressions_before_the_interview_starts(client, alice, interview):
    client.force_login(alice)
    url = reverse("interviews:impression", args=[interview.pk])
    page = client.get(url).content.decode()
    assert "Impressions can be written once the interview has started" in page
    assert "<form" not in page.split("<main", 1)[-1].split("</main>", 1)[0]
    response = client.post(url, {"overall": "5", "notes": "Made up."})
    assert response.status_code == 200
    assert "Nothing was saved." in response.content.decode()
    assert not Impression.objects.exists()
    interview.application.refresh_from_db()
    assert interview.application.status != "interviewed"
    detail = client.get(reverse("interviews:interview", args=[interview.pk])).content.decode()
    assert "Write your impressions" not in detail
