"""Contacts and conversations: recording insights, seeing them on the program page (only the
student who gathered them), follow-ups, and 404 for everyone else."""

import datetime

import pytest
from django.urls import reverse

from medmatch.research.models import Contact, Conversation, Insight
from tests.research.conftest import shortlist_for
from tests.research.factories import make_contact, make_conversation


def conversation_post(**changes) -> dict:
    data = {
        "date": "2025-10-02",
        "channel": "video",
        "summary": "Talked about call and teaching.",
        "follow_up_on": "",
        "teaching_rating": "5",
        "teaching_confidence": "high",
        "teaching_note": "Noon conference is protected; attendings teach on rounds.",
    }
    for aspect in ("mentorship", "workload", "culture", "autonomy"):
        data |= {f"{aspect}_rating": "", f"{aspect}_confidence": "medium", f"{aspect}_note": ""}
    return data | changes


def test_it_adds_a_contact_at_the_program_it_came_from(client, alice, programs):
    program = programs["mgh_anesthesia"]  # not on alice's shortlist
    client.force_login(alice)
    url = f"{reverse('research:contact_add')}?program={program.pk}"
    assert program.title in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Sam Lee", "role": "resident", "program": program.pk, "how_met": "open day"}
    )
    contact = Contact.objects.get()
    assert (contact.student, contact.program, contact.name) == (alice, program, "Sam Lee")
    assert response.url == reverse("research:conversation_add", args=[contact.pk])


def test_it_offers_only_the_students_own_programs(client, alice, programs):
    shortlist_for(alice, programs["columbia_cardiology"])
    client.force_login(alice)
    response = client.post(
        reverse("research:contact_add"),
        {"name": "Sam Lee", "role": "resident", "program": programs["mgh_cardiology"].pk},
    )
    assert response.status_code == 200
    assert "program: pick one of your programs." in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.parametrize("field", ["name", "how_met"])
def test_it_refuses_a_line_break_in_a_contact_s_name(client, alice, field):
    client.force_login(alice)
    data = {"name": "Sam Lee", "role": "resident", "how_met": "open day"}
    data[field] = "Eve\r\nBcc: x@example.org"
    response = client.post(reverse("research:contact_add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        f"{field}: use a single line of text without control characters (found: \\n, \\r)."
    ]
    assert not Contact.objects.exists()


def test_it_records_a_conversation_with_its_insights(client, alice, programs):
    contact = make_contact(alice, programs["columbia_cardiology"])
    client.force_login(alice)
    response = client.post(
        reverse("research:conversation_add", args=[contact.pk]),
        conversation_post(
            workload_rating="2",
            workload_confidence="low",
            workload_note="Maybe 80-hour weeks in the CCU?",
            follow_up_on="2025-10-20",
        ),
    )
    assert response.url == reverse("research:contact", args=[contact.pk])
    conversation = Conversation.objects.get()
    assert conversation.follow_up_on == datetime.date(2025, 10, 20)
    insights = {i.aspect: (i.rating, i.confidence) for i in Insight.objects.all()}
    assert insights == {"teaching": (5, "high"), "workload": (2, "low")}


def test_it_refuses_an_insight_note_without_a_rating(client, alice, programs):
    contact = make_contact(alice, programs["columbia_cardiology"])
    client.force_login(alice)
    response = client.post(
        reverse("research:conversation_add", args=[contact.pk]),
        conversation_post(culture_note="Friendly people."),
    )
    assert "culture rating: rate it 1\u20135 with the note" in response.content.decode()
    assert not Conversation.objects.exists()


def test_it_replaces_the_insights_when_a_conversation_is_edited(client, alice, programs):
    contact = make_contact(alice, programs["columbia_cardiology"])
    conversation = make_conversation(contact, [("culture", 4, "medium", "kind")])
    client.force_login(alice)
    client.post(reverse("research:conversation_edit", args=[conversation.pk]), conversation_post())
    assert list(Insight.objects.values_list("aspect", "rating")) == [("teaching", 5)]


def test_it_shows_insights_on_the_program_page_only_to_their_author(client, alice, bob, programs):
    program = programs["columbia_cardiology"]
    contact = make_contact(alice, program, name="Dr Priya Shah")
    make_conversation(contact, [("mentorship", 4, "high", "Weekly meetings with a named mentor")])
    url = reverse("catalog:program", args=[program.pk])
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert "Your insights" in page and "Weekly meetings with a named mentor" in page
    client.force_login(bob)
    page = client.get(url).content.decode()
    assert "Weekly meetings" not in page and "Dr Priya Shah" not in page
    client.logout()
    page = client.get(url).content.decode()
    assert "Weekly meetings" not in page and "Your insights" not in page


def test_it_shows_an_institution_contacts_insight_on_its_programs(client, alice, programs):
    program = programs["columbia_pediatrics"]
    contact = make_contact(alice, institution=program.institution, role="faculty")
    make_conversation(contact, [("culture", 5, "medium", "Collegial across departments")])
    client.force_login(alice)
    page = client.get(reverse("catalog:program", args=[program.pk])).content.decode()
    assert "Collegial across departments" in page
    page = client.get(
        reverse("catalog:program", args=[programs["mgh_cardiology"].pk])
    ).content.decode()
    assert "Collegial across departments" not in page


def test_it_lists_follow_ups_and_marks_them_done(client, alice, programs):
    contact = make_contact(alice, programs["columbia_cardiology"], name="Sam Lee")
    conversation = make_conversation(contact, follow_up_on=datetime.date(2025, 10, 9))
    client.force_login(alice)
    assert "Follow-ups" in client.get(reverse("research:contacts")).content.decode()
    client.post(reverse("research:follow_up_done", args=[conversation.pk]))
    conversation.refresh_from_db()
    assert conversation.follow_up_done
    assert "Follow-ups" not in client.get(reverse("research:contacts")).content.decode()


def test_it_deletes_a_contact_with_its_conversations(client, alice, programs):
    contact = make_contact(alice, programs["columbia_cardiology"])
    make_conversation(contact, [("culture", 4, "medium", "")])
    client.force_login(alice)
    client.post(reverse("research:contact_delete", args=[contact.pk]))
    assert not Contact.objects.exists() and not Insight.objects.exists()


@pytest.mark.parametrize(
    ("name", "method", "of"),
    [
        ("research:contact", "get", "contact"),
        ("research:contact_edit", "get", "contact"),
        ("research:contact_edit", "post", "contact"),
        ("research:contact_delete", "post", "contact"),
        ("research:conversation_add", "post", "contact"),
        ("research:conversation_edit", "get", "conversation"),
        ("research:conversation_edit", "post", "conversation"),
        ("research:conversation_delete", "post", "conversation"),
        ("research:follow_up_done", "post", "conversation"),
    ],
)
def test_it_hides_contacts_and_conversations_from_everyone_else(
    alice, programs, outsiders, name, method, of
):
    contact = make_contact(alice, programs["columbia_cardiology"])
    conversation = make_conversation(contact, [("culture", 4, "medium", "")])
    pk = contact.pk if of == "contact" else conversation.pk
    for who, client in outsiders.items():
        response = getattr(client, method)(reverse(name, args=[pk]), conversation_post())
        assert response.status_code == 404, who
    assert Contact.objects.filter(name=contact.name).exists()
    conversation.refresh_from_db()
    assert not conversation.follow_up_done and conversation.insights.count() == 1


def test_it_lists_only_the_students_own_contacts(client, alice, bob, programs):
    make_contact(alice, programs["columbia_cardiology"], name="Alice's resident")
    client.force_login(bob)
    assert "Alice's resident" not in client.get(reverse("research:contacts")).content.decode()


@pytest.mark.parametrize("value", ["abc", "\u00b2", "99999999999999999999", "0", "-1"])
def test_it_offers_the_contact_form_when_the_program_is_not_a_number(client, alice, value):
    # Program.objects.filter(pk="abc") raised ValueError: a 500 for ?program=abc.
    client.force_login(alice)
    response = client.get(reverse("research:contact_add"), {"program": value})
    assert response.status_code == 200
    assert response.context["form"].initial["program"] is None
