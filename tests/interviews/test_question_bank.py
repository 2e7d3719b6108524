"""The built-in question bank (loaded by a data migration, idempotently) and the student's own
questions: add, edit, delete, and only ever seen by their owner."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.urls import reverse

from medmatch.interviews.models import Question

pytestmark = pytest.mark.django_db


def test_it_loads_the_topics_and_questions_to_ask_with_their_sources():
    built_in = Question.objects.built_in()
    assert built_in.count() == 38  # 32 topics + 6 questions to ask
    why_us = built_in.get(key="Q004")
    assert why_us.category == "fit"
    assert ("ama-assn.org", why_us.source_urls.split()[1]) in why_us.sources
    assert built_in.filter(category=Question.Category.ASK).count() == 6


def test_it_loads_the_bank_again_without_duplicating_it():
    migration = importlib.import_module("medmatch.interviews.migrations.0002_load_question_bank")
    Question.objects.filter(key="Q001").update(text="changed")
    migration.load_question_bank(global_apps, None)
    assert Question.objects.built_in().count() == 38
    assert Question.objects.get(key="Q001").text.startswith("Introduce yourself")


def test_it_lists_the_bank_by_category_with_sources(client, alice):
    client.force_login(alice)
    response = client.get(reverse("interviews:questions"))
    assert response.status_code == 200
    assert "Questions to ask them" in response.content.decode()
    assert 'href="https://www.ama-assn.org/' in response.content.decode()


def test_it_adds_edits_and_deletes_an_own_question(client, alice, bob):
    client.force_login(alice)
    response = client.post(
        reverse("interviews:questions"),
        {"category": "ethics", "text": "How would you handle a colleague who cuts corners?"},
    )
    question = Question.objects.get(student=alice)
    assert response.status_code == 302 and question.category == "ethics"
    client.post(
        reverse("interviews:question_edit", args=[question.pk]),
        {"category": "ethics", "text": "Edited"},
    )
    question.refresh_from_db()
    assert question.text == "Edited"
    client.force_login(bob)
    assert "Edited" not in client.get(reverse("interviews:questions")).content.decode()
    client.force_login(alice)
    client.post(reverse("interviews:question_delete", args=[question.pk]))
    assert not Question.objects.filter(pk=question.pk).exists()


def test_it_says_which_field_is_wrong(client, alice):
    client.force_login(alice)
    response = client.post(reverse("interviews:questions"), {"category": "ethics", "text": ""})
    assert response.status_code == 200
    assert "text: write the question." in response.content.decode()
    assert not Question.objects.filter(student=alice).exists()


def test_it_never_lets_anyone_edit_a_built_in_question(client, alice):
    client.force_login(alice)
    question = Question.objects.built_in().first()
    assert client.get(reverse("interviews:question_edit", args=[question.pk])).status_code == 404
    assert client.post(reverse("interviews:question_delete", args=[question.pk])).status_code == 404
